"""The messages between the service and its worker processes.

Parent to worker, after the start-up handshake (see ``worker.main``):
``(request_id, kind, version_id, params)``, or ``None`` to stop. Worker to
parent: ``(request_id, "ok", payload)`` or ``(request_id, "err", code, args)``.
Only plain tuples, dicts, strings and numbers cross the pipe: typed errors
are rebuilt on the parent's side by ``decode_error`` because exceptions with
their own ``__init__`` do not survive pickling reliably.
"""

from __future__ import annotations

from typing import Any, Final

from meetingroom.errors import (
    DocumentPasswordProtected,
    DocumentUnreadable,
    IncompleteDocument,
    MeetingRoomError,
    PageOutOfRange,
    RenderFailed,
    StoreError,
    Tampered,
)

# Request kinds.
OPEN: Final = "open"
CLOSE: Final = "close"
RENDER: Final = "render"
SEARCH: Final = "search"
TEXT: Final = "text"
# Test-only kinds: the worker refuses them unless it was started with
# ``allow_test_requests`` (a constructor flag of the service, never derived
# from a document), so no document content can trigger them.
TEST_CRASH: Final = "_test_crash"
TEST_SLEEP: Final = "_test_sleep"
TEST_KINDS: Final = frozenset({TEST_CRASH, TEST_SLEEP})

Request = tuple[int, str, str, dict[str, Any]]
Reply = tuple[Any, ...]


def encode_error(exc: BaseException) -> tuple[str, tuple[Any, ...]]:
    """Return the (code, args) that carry ``exc`` over the pipe."""
    if isinstance(exc, DocumentPasswordProtected):
        return "password", ()
    if isinstance(exc, DocumentUnreadable):
        return "unreadable", (exc.reason,)
    if isinstance(exc, PageOutOfRange):
        return "page", (exc.page, exc.page_count)
    if isinstance(exc, Tampered):
        return "tampered", (exc.table, exc.row_id, exc.field)
    if isinstance(exc, IncompleteDocument):
        return "incomplete", ()
    if isinstance(exc, StoreError):
        return "store", (str(exc),)
    # Anything else is a bug or a MuPDF failure; its type names it without
    # copying document content (messages may quote the file) into the UI.
    return "failed", (f"{type(exc).__name__} in the renderer",)


def decode_error(version_id: str, code: str, args: tuple[Any, ...]) -> MeetingRoomError:
    """Return the typed error for a worker's (code, args) about ``version_id``."""
    if code == "password":
        return DocumentPasswordProtected(version_id)
    if code == "unreadable":
        return DocumentUnreadable(version_id, str(args[0]))
    if code == "page":
        return PageOutOfRange(version_id, int(args[0]), int(args[1]))
    if code == "tampered":
        return Tampered(str(args[0]), str(args[1]), str(args[2]))
    if code == "incomplete":
        return IncompleteDocument(version_id)
    if code == "store":
        return StoreError(str(args[0]))
    return RenderFailed(version_id, str(args[0]) if args else "unknown failure")
