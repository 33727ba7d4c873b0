"""``export_document``: a copy of a document with the user's annotations, or flattened.

The app process decrypts the document (never parses it) and hands the bytes
to a spawned export process through a pipe; the new PDF comes back the same
way and is written only to the destination the user chose, atomically (a
temporary name beside it, then a rename; removed on any failure). No
plaintext is written anywhere else. A time limit kills a hung export.
"""

from __future__ import annotations

import contextlib
import enum
import multiprocessing
import os
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from meetingroom.domain import Annotation, Classification, DocumentVersionId
from meetingroom.errors import ExportFailed, ExportForbidden, ExportTimeout
from meetingroom.export import worker
from meetingroom.store.gateway import Store

DEFAULT_TIMEOUT = 120.0


class ExportMode(enum.StrEnum):
    ANNOTATED = "annotated"  # standard PDF annotations other readers show and edit
    FLATTENED = "flattened"  # annotations drawn into the pages, for printing


def _spec(annotation: Annotation, authors: Mapping[str, str]) -> dict[str, Any]:
    """Return the plain form of ``annotation`` that the export process understands."""
    return {
        "kind": annotation.kind.value,
        "page": annotation.page,
        "geometry": [list(part) for part in annotation.geometry],
        "colour": annotation.colour,
        "text": annotation.text,
        "author": authors.get(annotation.author_id, annotation.author_id),
    }


def export_document(
    store: Store,
    version_id: DocumentVersionId | str,
    annotations: Iterable[Annotation],
    mode: ExportMode,
    dest: Path,
    watermark: str | None = None,
    *,
    authors: Mapping[str, str] | None = None,
    allowed: Callable[[Classification], bool] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Path:
    """Write a copy of ``version_id`` with ``annotations`` to ``dest``; return ``dest``.

    ``mode`` ANNOTATED adds standard PDF annotations (highlight, underline,
    strikeout with quads; ink; text notes; free text; with colour, author and
    contents); FLATTENED draws them into the page content (no annotation
    objects are left). ``watermark``, when given, is drawn diagonally on
    every page. ``authors`` maps author ids to the names shown as each
    annotation's author (the id otherwise). ``allowed`` is the deployment
    policy's test for the version's classification. Deleted annotations and
    those of other versions are left out. Run it off the GUI thread.

    Raises:
        ExportForbidden: ``allowed`` refuses the document's classification.
        ExportFailed: the PDF cannot be read, the export process failed, or
            ``dest`` cannot be written; nothing is left at ``dest``.
        ExportTimeout: the export took longer than ``timeout`` seconds.
        NotFound, IncompleteDocument, StoreLocked, Tampered: from the store.
    """
    version = store.repos.versions.get(version_id)
    if allowed is not None and not allowed(version.classification):
        raise ExportForbidden(version.classification.value)
    names = authors or {}
    specs = [_spec(a, names) for a in annotations if a.version_id == version.id and not a.deleted]
    header = {"mode": ExportMode(mode).value, "annotations": specs, "watermark": watermark}
    data = store.blobs.read_into_buffer(version.id)
    try:
        result = _run(version.id, header, data, timeout)
    finally:
        data[:] = bytes(len(data))  # the decrypted document, zeroed
    _write_atomically(version.id, Path(dest), result)
    return Path(dest)


def _run(version_id: str, header: dict[str, Any], data: bytearray, timeout: float) -> bytes:
    """Return the exported PDF made by a fresh export process.

    Raises: ExportFailed, ExportTimeout.
    """
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe(duplex=True)
    process = context.Process(target=worker.main, args=(theirs,), name="mr-export", daemon=True)
    deadline = time.monotonic() + timeout
    started = False
    try:
        process.start()
        started = True
        theirs.close()
        ours.send(header)
        ours.send_bytes(data)
        status = _receive(ours, process.sentinel, deadline, version_id, timeout)
        if status[0] != "ok":
            raise ExportFailed(version_id, str(status[1]))
        return _receive_bytes(ours, process.sentinel, deadline, version_id, timeout)
    except (OSError, EOFError, RuntimeError) as exc:
        raise ExportFailed(
            version_id, f"the export process stopped ({type(exc).__name__})"
        ) from None
    finally:
        ours.close()
        if started:
            if process.is_alive():
                process.kill()
            process.join(timeout=5.0)
            process.close()
        else:
            theirs.close()


def _wait_readable(
    conn: Connection, sentinel: int, deadline: float, version_id: str, timeout: float
) -> None:
    remaining = deadline - time.monotonic()
    ready = wait([conn, sentinel], max(remaining, 0.0)) if remaining > 0 else []
    if conn in ready:
        return
    if sentinel in ready:
        raise ExportFailed(version_id, "the export process stopped unexpectedly")
    raise ExportTimeout(version_id, timeout)


def _receive(
    conn: Connection, sentinel: int, deadline: float, version_id: str, timeout: float
) -> Any:
    _wait_readable(conn, sentinel, deadline, version_id, timeout)
    return conn.recv()


def _receive_bytes(
    conn: Connection, sentinel: int, deadline: float, version_id: str, timeout: float
) -> bytes:
    _wait_readable(conn, sentinel, deadline, version_id, timeout)
    return conn.recv_bytes()


def _write_atomically(version_id: str, dest: Path, data: bytes) -> None:
    """Write ``data`` to ``dest`` through a temporary name in the same folder.

    Raises:
        ExportFailed: the folder cannot be written (the temporary file is removed).
    """
    temp = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.part")
    try:
        with temp.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, dest)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        reason = exc.strerror or type(exc).__name__
        raise ExportFailed(
            version_id, f"the file {dest.name} could not be written ({reason})"
        ) from None
