"""``RenderService``: the Qt-free API the reader drives.

Every method returns at once with a ``RenderFuture`` (a
``concurrent.futures.Future`` with a ``request_id``); the work happens in
worker processes (see ``pool`` and ``worker``). The UI bridges futures to
signals; nothing here blocks the caller's thread except ``close``.

Each document is owned by one worker (PyMuPDF documents are not
thread-safe and a worker keeps what it opened) until it is closed; a new
document goes to the worker owning the fewest open documents. Only the first
worker is started at once (warm); the others start when a second document is
open at the same time (e.g. search indexing another document while the user
reads), so reading one document costs one worker process, not an idle spare.
Rendered pages and thumbnails are cached here, in two separate byte-bounded
LRU caches.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.shared_memory import SharedMemory
from pathlib import Path
from typing import Any, Protocol, TypeVar

from meetingroom.pdf import protocol
from meetingroom.pdf.cache import ByteBudgetLRU
from meetingroom.pdf.pool import BACKGROUND, NORMAL, PREFETCH, Job, RenderFuture, WorkerSlot
from meetingroom.pdf.types import (
    DocumentInfo,
    OutlineEntry,
    PageText,
    RenderedPage,
    SearchHit,
    Word,
)
from meetingroom.pdf.worker import bucket_scale

T = TypeVar("T")

PageKey = tuple[str, int, int, bool]
"""(version id, page, zoom bucket in 1/100, alpha)."""


class KeyHolder(Protocol):
    """What the service needs of the store: its file and a way to get the key for workers."""

    @property
    def path(self) -> Path: ...

    def data_key_for_worker(self) -> bytearray: ...


@dataclass(frozen=True, slots=True)
class TimeLimits:
    """Seconds a worker may take per request before it is killed and replaced."""

    startup: float = 30.0
    open: float = 60.0
    render: float = 20.0
    search: float = 120.0
    text: float = 20.0


class RenderService:
    """Opens, renders and searches the documents of one store in worker processes."""

    def __init__(
        self,
        store: KeyHolder,
        *,
        workers: int = 2,
        page_cache_bytes: int = 256 * 1024 * 1024,
        thumbnail_cache_bytes: int = 32 * 1024 * 1024,
        limits: TimeLimits | None = None,
        allow_test_requests: bool = False,
    ) -> None:
        """Prepare up to ``workers`` worker processes for ``store``; start the first (warm).

        ``allow_test_requests`` enables the crash and sleep requests the tests
        use; the application never sets it.

        Raises:
            StoreLocked: the store is locked (no worker is started).
        """
        store.data_key_for_worker()[:] = bytes(32)  # fail now, in the caller, if locked
        self.limits = limits or TimeLimits()
        self.pages: ByteBudgetLRU[PageKey, RenderedPage] = ByteBudgetLRU(page_cache_bytes)
        self.thumbnails: ByteBudgetLRU[PageKey, RenderedPage] = ByteBudgetLRU(thumbnail_cache_bytes)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._owner: dict[str, WorkerSlot] = {}
        self._infos: dict[str, DocumentInfo] = {}
        self._closed = False
        self._slots = [
            WorkerSlot(
                index,
                Path(store.path),
                store.data_key_for_worker,
                allow_test_requests=allow_test_requests,
                startup_limit=self.limits.startup,
                warm=index == 0,
            )
            for index in range(max(1, workers))
        ]

    # -- requests ----------------------------------------------------------------

    def open(self, version_id: str) -> RenderFuture[DocumentInfo]:
        """Open a document; the future gives its ``DocumentInfo``.

        Future raises:
            DocumentUnreadable: damaged, truncated, empty or not a PDF.
            DocumentPasswordProtected: the PDF needs a password.
            IncompleteDocument: its bytes are not all downloaded.
            Tampered: its stored bytes failed their integrity check.
            RenderFailed, RenderTimeout: the worker crashed or hung (it was restarted).
            StoreLocked: the store was locked when a worker had to start.
        """

        def finish(payload: dict[str, Any]) -> DocumentInfo:
            info = DocumentInfo(
                version_id=version_id,
                page_count=int(payload["page_count"]),
                page_sizes=tuple((float(w), float(h)) for w, h in payload["page_sizes"]),
                outline=tuple(OutlineEntry(*entry) for entry in payload["outline"]),
                title=str(payload["title"]),
                repaired=bool(payload["repaired"]),
            )
            self._infos[version_id] = info
            return info

        return self._submit(protocol.OPEN, version_id, {}, self.limits.open, finish)

    def info(self, version_id: str) -> DocumentInfo | None:
        """Return the ``DocumentInfo`` of an already opened document, or None."""
        return self._infos.get(version_id)

    def render(
        self,
        version_id: str,
        page: int,
        *,
        zoom: float = 1.0,
        width_px: int | None = None,
        device_pixel_ratio: float = 1.0,
        alpha: bool = False,
        prefetch: bool = False,
    ) -> RenderFuture[RenderedPage]:
        """Render page ``page`` (0-based); the future gives its ``RenderedPage``.

        The size is ``zoom`` (pixels per point) or, when given, ``width_px``
        (logical pixels for the page's width), times ``device_pixel_ratio``
        so it is crisp on high-DPI screens. The scale is rounded to a bucket
        of 1/100 so that nearby zooms share cache entries. A cached page
        comes back in an already completed future. The document is opened
        first if needed (no ``open`` call is required). A ``prefetch`` (a
        page not in view yet) is served only when no other request of its
        worker waits, so it never delays a page in view.

        Future raises: as ``open``, and PageOutOfRange.
        """
        scale = self._scale(version_id, page, zoom, width_px, device_pixel_ratio)
        priority = PREFETCH if prefetch else NORMAL
        return self._render(
            self.pages, version_id, page, scale, width_px, device_pixel_ratio, alpha, priority
        )

    def thumbnail(
        self, version_id: str, page: int, *, width_px: int = 120, device_pixel_ratio: float = 1.0
    ) -> RenderFuture[RenderedPage]:
        """Render a small image of a page ``width_px`` wide; cached apart from pages.

        Served after every waiting page render and prefetch, so the side
        panel never delays the pages in view or those about to be.

        Future raises: as ``render``.
        """
        scale = self._scale(version_id, page, 1.0, width_px, device_pixel_ratio)
        return self._render(
            self.thumbnails,
            version_id,
            page,
            scale,
            width_px,
            device_pixel_ratio,
            False,
            BACKGROUND,
        )

    def search(
        self, version_id: str, text: str, *, max_hits: int = 1000
    ) -> RenderFuture[list[SearchHit]]:
        """Find ``text`` (case-insensitive) in every page; the future gives hits in page order.

        Each hit is one line of a match, with its quad. At most ``max_hits``.

        Future raises: as ``open``.
        """
        if not text.strip():
            return self._done([])

        def finish(payload: list[tuple[Any, ...]]) -> list[SearchHit]:
            return [SearchHit(int(page), (tuple(quad),)) for page, quad in payload]

        params = {"text": text, "max_hits": max_hits}
        return self._submit(protocol.SEARCH, version_id, params, self.limits.search, finish)

    def page_text(self, version_id: str, page: int) -> RenderFuture[PageText]:
        """Return a page's text and words with boxes (for selection and copy).

        Future raises: as ``render``.
        """

        def finish(payload: dict[str, Any]) -> PageText:
            words = tuple(Word(tuple(w[0]), w[1], w[2], w[3], w[4]) for w in payload["words"])
            return PageText(page, str(payload["text"]), words)

        params = {"page": page}
        return self._submit(protocol.TEXT, version_id, params, self.limits.text, finish)

    def close_document(self, version_id: str) -> RenderFuture[None]:
        """Close a document in its worker (its decrypted bytes are zeroed there).

        Queued requests for it are cancelled; its cached pages stay. Once it
        is closed, its worker no longer owns it (unless requests for it came
        meanwhile): opened again, it goes to the worker with the fewest open
        documents. Until then requests still go to its worker, so a document
        is never open in two workers because it was reopened while closing.
        """
        self.cancel_pending(version_id)
        with self._lock:
            owner = self._owner.get(version_id)
        if owner is None:
            return self._done(None)  # never opened: no worker to start just to close it

        def finish(_payload: object) -> None:
            with self._lock:
                if self._owner.get(version_id) is owner and not owner.has_queued(version_id):
                    del self._owner[version_id]

        return self._submit(protocol.CLOSE, version_id, {}, self.limits.text, finish)

    # -- cancelling ----------------------------------------------------------------

    def cancel(self, request_id: int) -> bool:
        """Drop a queued request; return True if it was still queued (its future is cancelled).

        A request already in a worker runs to the end; its result is simply unused.
        """
        return any(s.cancel(lambda job: job.request_id == request_id) for s in self._slots)

    def cancel_pending(self, version_id: str | None = None) -> int:
        """Drop every queued request (of ``version_id`` only, if given); return how many."""
        return sum(
            slot.cancel(lambda job: version_id is None or job.version_id == version_id)
            for slot in self._slots
        )

    # -- lifecycle -----------------------------------------------------------------

    def worker_pids(self) -> list[int]:
        """Return the process ids of the running workers (diagnostics and tests)."""
        return [pid for pid in (slot.pid for slot in self._slots) if pid is not None]

    @property
    def restarts(self) -> int:
        """Return how many times a worker was killed and replaced."""
        return sum(slot.restarts for slot in self._slots)

    def clear_caches(self) -> None:
        """Drop every cached page and thumbnail (their pixels are meeting content)."""
        self.pages.clear()
        self.thumbnails.clear()

    def close(self) -> None:
        """Stop the workers and drop the caches. Pending futures fail with RenderServiceClosed.

        Call it when the store locks: the workers hold the data key and
        decrypted documents. Safe to call twice.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
        for slot in self._slots:
            slot.close()
        self.clear_caches()

    def __enter__(self) -> RenderService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- test-only requests ----------------------------------------------------------

    def _test_crash(self, version_id: str) -> RenderFuture[None]:
        """Make the worker owning ``version_id`` kill itself (tests only)."""
        return self._submit(protocol.TEST_CRASH, version_id, {}, self.limits.render, lambda _: None)

    def _test_sleep(self, version_id: str, seconds: float, time_limit: float) -> RenderFuture[None]:
        """Make the worker owning ``version_id`` hang for ``seconds`` (tests only)."""
        params = {"seconds": seconds}
        return self._submit(protocol.TEST_SLEEP, version_id, params, time_limit, lambda _: None)

    # -- internals -------------------------------------------------------------------

    def _scale(
        self, version_id: str, page: int, zoom: float, width_px: int | None, dpr: float
    ) -> float | None:
        """Return the bucketed scale, or None when only the worker knows the page width."""
        if width_px is None:
            return bucket_scale(zoom * dpr)
        info = self._infos.get(version_id)
        if info is None or not 0 <= page < info.page_count:
            return None
        return bucket_scale(width_px / max(info.page_sizes[page][0], 1.0) * dpr)

    def _render(
        self,
        cache: ByteBudgetLRU[PageKey, RenderedPage],
        version_id: str,
        page: int,
        scale: float | None,
        width_px: int | None,
        dpr: float,
        alpha: bool,
        priority: int,
    ) -> RenderFuture[RenderedPage]:
        if scale is not None:
            cached = cache.get((version_id, page, round(scale * 100), alpha))
            if cached is not None:
                return self._done(cached)

        def finish(payload: tuple[Any, ...]) -> RenderedPage:
            rendered = _read_pixels(version_id, page, payload)
            cache.put((version_id, page, round(rendered.scale * 100), alpha), rendered)
            return rendered

        params = {
            "page": page,
            "scale": scale,
            "width_px": width_px,
            "dpr": dpr,
            "alpha": alpha,
        }
        return self._submit(
            protocol.RENDER, version_id, params, self.limits.render, finish, priority
        )

    def _done(self, result: T) -> RenderFuture[T]:
        future: RenderFuture[T] = RenderFuture(next(self._ids))
        future.set_running_or_notify_cancel()
        future.set_result(result)
        return future

    def _slot_for(self, version_id: str) -> WorkerSlot:
        """Return the worker owning ``version_id``, giving it to the one owning the fewest
        open documents (the first worker on a tie: it is the one already running)."""
        with self._lock:
            slot = self._owner.get(version_id)
            if slot is None:
                owned = {id(s): 0 for s in self._slots}
                for owner in self._owner.values():
                    owned[id(owner)] += 1
                slot = min(self._slots, key=lambda s: (owned[id(s)], s.index))
                self._owner[version_id] = slot
            return slot

    def _submit(
        self,
        kind: str,
        version_id: str,
        params: dict[str, Any],
        time_limit: float,
        finish: Callable[[Any], T],
        priority: int = NORMAL,
    ) -> RenderFuture[T]:
        future: RenderFuture[T] = RenderFuture(next(self._ids))
        job = Job(future.request_id, kind, version_id, params, time_limit, future, finish, priority)
        self._slot_for(version_id).submit(job)
        return future


def _read_pixels(version_id: str, page: int, payload: tuple[Any, ...]) -> RenderedPage:
    """Copy a rendered page out of the worker's shared memory block, then remove the block."""
    name, width, height, stride, channels, scale, size = payload
    shared = SharedMemory(name=name)
    try:
        assert shared.buf is not None
        samples = bytes(shared.buf[:size])
    finally:
        shared.close()
        shared.unlink()
    return RenderedPage(
        version_id=version_id,
        page=page,
        scale=float(scale),
        width=int(width),
        height=int(height),
        stride=int(stride),
        channels=int(channels),
        samples=samples,
    )
