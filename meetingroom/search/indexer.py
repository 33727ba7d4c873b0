"""The background job that extracts and seals page text for the global search.

The app calls ``index_pending`` after a sync and after unlock, off the GUI
thread and off the database worker (it waits on the PDF workers; the store
serialises its own access). Text comes from ``RenderService.page_text``: the
PDF is parsed only in the worker processes, never in the app's process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import CancelledError
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

from meetingroom.errors import (
    DocumentError,
    IncompleteDocument,
    RenderServiceClosed,
    StoreError,
    StoreLocked,
)
from meetingroom.search import pagetext
from meetingroom.search.catalogue import load_catalogue
from meetingroom.store.gateway import Store

if TYPE_CHECKING:
    # Types only: importing meetingroom.pdf loads PyMuPDF, which the app
    # process never needs for search.
    from meetingroom.pdf.pool import RenderFuture
    from meetingroom.pdf.types import DocumentInfo, PageText

log = logging.getLogger(__name__)

T = TypeVar("T")


class TextSource(Protocol):
    """What the indexer needs of ``meetingroom.pdf.RenderService``."""

    def open(self, version_id: str) -> RenderFuture[DocumentInfo]: ...

    def page_text(self, version_id: str, page: int) -> RenderFuture[PageText]: ...


@dataclass
class IndexReport:
    """What one ``index_pending`` run did (version ids only: no content)."""

    indexed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # bytes not downloaded yet
    pages: int = 0
    interrupted: bool = False  # locked, service closed or asked to stop


def pending_versions(store: Store) -> list[str]:
    """Return current versions with complete bytes and no extracted text yet.

    Raises:
        StoreLocked: the store is locked.
    """
    catalogue = load_catalogue(store)
    done = pagetext.done_versions(store)
    return [
        v.id
        for v in catalogue.current.values()
        if v.id not in done and store.blobs.is_complete(v.id)
    ]


def index_pending(
    store: Store,
    source: TextSource,
    *,
    should_stop: Callable[[], bool] = lambda: False,
    on_version: Callable[[str], None] | None = None,
) -> IndexReport:
    """Extract, seal and store the page text of every pending version; return the report.

    Each version is written in one transaction once all its pages are read,
    so an interrupted run leaves no half-indexed version. A PDF that does
    not open is recorded as failed (not retried); a damaged page is indexed
    as empty. Locking the store or closing the render service stops the run
    quietly (``interrupted``); the rest is done on the next call.
    ``on_version`` is called with each finished version id.

    Raises:
        StoreError: the store failed (disk full, corrupt); what was done is kept.
    """
    report = IndexReport()
    try:
        todo = pending_versions(store)
    except StoreLocked:
        report.interrupted = True
        return report
    for version_id in todo:
        if should_stop():
            report.interrupted = True
            break
        try:
            pages = _extract(source, version_id, should_stop)
            if pages is None:
                report.interrupted = True
                break
            pagetext.save_version(store, version_id, pages)
            report.indexed.append(version_id)
            report.pages += len(pages)
        except IncompleteDocument:
            report.skipped.append(version_id)
            continue
        except (StoreLocked, RenderServiceClosed):
            report.interrupted = True
            break
        except DocumentError as exc:
            log.info("search: text of a version not extracted (%s)", type(exc).__name__)
            pagetext.mark_failed(store, version_id)
            report.failed.append(version_id)
        except StoreError:
            raise
        if on_version is not None:
            on_version(version_id)
    return report


def _extract(
    source: TextSource, version_id: str, should_stop: Callable[[], bool]
) -> list[str] | None:
    """Return the text of every page of ``version_id``, or None when asked to stop.

    Raises: the open's DocumentError; IncompleteDocument, StoreLocked,
    RenderServiceClosed as the render service raises them.
    """
    info = _wait(lambda: source.open(version_id))
    texts: list[str] = []
    for page in range(info.page_count):
        if should_stop():
            return None
        try:
            texts.append(_page_text(source, version_id, page))
        except (StoreLocked, RenderServiceClosed, IncompleteDocument):
            raise
        except DocumentError:
            # One damaged page (or one that hangs the worker) costs only its own text.
            texts.append("")
    return texts


def _page_text(source: TextSource, version_id: str, page: int) -> str:
    return _wait(lambda: source.page_text(version_id, page)).text


def _wait(submit: Callable[[], RenderFuture[T]]) -> T:
    """Return the result of a render request, resubmitting once if it was cancelled.

    The reader cancels queued requests of a document it closes; ours may be among them.
    """
    try:
        return submit().result()
    except CancelledError:
        return submit().result()
