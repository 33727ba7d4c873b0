"""The worker process: owns open documents, decrypts, parses and renders.

Started by ``pool.WorkerProcess`` with the "spawn" start method, so it is a
fresh interpreter that never shares memory with the GUI process (no fork of
a process holding Qt or keys). Everything it learns comes through its pipe:

1. ``("init", db_path)`` then the 32-byte data key as a raw message
   (``send_bytes``): never a file, argv or the environment;
2. requests, served one at a time (the parent keeps the newest-first queue
   and the time limits, so a hang here is seen and killed from outside).

The worker reads the chunks itself from the store opened read-only and
decrypts them into one preallocated buffer per document, which PyMuPDF
opens from memory (a memoryview: no copy, and no plaintext file ever).
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.shared_memory import SharedMemory
from typing import Any

from meetingroom.errors import DocumentPasswordProtected, DocumentUnreadable, PageOutOfRange
from meetingroom.pdf import protocol
from meetingroom.store.blobs import ChunkSource

log = logging.getLogger(__name__)

# PyMuPDF ships partial annotations (untyped functions); used as Any here.
# Imported by ``load_pymupdf`` in the worker process only: the GUI process
# imports this module (for ``main`` as the spawn target) but never parses a
# PDF, and importing PyMuPDF there would cost a noticeable part of the start.
pymupdf: Any = None


def load_pymupdf() -> Any:
    """Import PyMuPDF (once) and return the module."""
    global pymupdf
    if pymupdf is None:
        import pymupdf as loaded

        pymupdf = loaded
    return pymupdf


KEY_BYTES = 32
# Open documents a worker keeps; the least recently used is closed beyond it.
MAX_OPEN_DOCUMENTS = 6
# A rendered page never exceeds this many pixels (a hostile MediaBox or an
# absurd zoom must not make the worker allocate gigabytes).
MAX_PIXELS = 40_000_000
# MuPDF keeps decoded fonts and images in its store (up to 256 MB by default),
# which held ~175 MB of a worker's memory after scrolling a 1,000-page
# document. Emptying it every few renders bounds the worker; measured cost:
# about 1 ms a page, for the fonts decoded again.
STORE_SHRINK_EVERY = 16


def bucket_scale(scale: float) -> float:
    """Return ``scale`` rounded to the cache's zoom bucket (steps of 1/100)."""
    return max(1, round(scale * 100)) / 100


@dataclass(slots=True)
class _OpenDocument:
    document: Any  # pymupdf.Document (untyped)
    buffer: bytearray  # the decrypted bytes; PyMuPDF reads them in place

    def close(self) -> None:
        self.document.close()
        # Zero the plaintext once MuPDF no longer reads it.
        self.buffer[:] = bytes(len(self.buffer))
        # Pages and their document refer to each other, and the document holds
        # the buffer: only a collection frees it, and a worker allocates too few
        # Python objects for one to come by itself (each close and reopen of a
        # 60 MB document kept another 57 MB in the worker). Collect now; the
        # worker has few objects, so it is quick.
        self.document = None
        gc.collect()


class Worker:
    """The documents of one worker process and the handlers of each request kind."""

    def __init__(self, source: ChunkSource, allow_test_requests: bool) -> None:
        self._source = source
        self._allow_test = allow_test_requests
        self._documents: OrderedDict[str, _OpenDocument] = OrderedDict()
        self._renders = 0

    def document(self, version_id: str) -> Any:
        """Return the open PyMuPDF document of ``version_id``, opening it if needed.

        Raises:
            DocumentUnreadable: empty, not a PDF, or no pages.
            DocumentPasswordProtected: the PDF needs a password.
            IncompleteDocument, Tampered, StoreError: from the store.
        """
        found = self._documents.get(version_id)
        if found is not None:
            self._documents.move_to_end(version_id)
            return found.document
        manifest = self._source.manifest(version_id)
        if manifest.size == 0:
            raise DocumentUnreadable(version_id, "the file is empty")
        buffer = bytearray(manifest.size)
        try:
            self._source.read_into(version_id, manifest, memoryview(buffer))
            try:
                document = pymupdf.open(stream=memoryview(buffer), filetype="pdf")
            except Exception:
                raise DocumentUnreadable(version_id, "it is not a readable PDF") from None
            if document.needs_pass:
                document.close()
                raise DocumentPasswordProtected(version_id)
            if document.page_count == 0:
                document.close()
                raise DocumentUnreadable(version_id, "it has no readable pages")
        except BaseException:
            buffer[:] = bytes(len(buffer))
            raise
        self._documents[version_id] = _OpenDocument(document, buffer)
        while len(self._documents) > MAX_OPEN_DOCUMENTS:
            _, oldest = self._documents.popitem(last=False)
            oldest.close()
        return document

    def page(self, version_id: str, number: int) -> Any:
        """Return page ``number`` (0-based) of ``version_id``.

        Raises:
            PageOutOfRange: no such page.
            DocumentUnreadable: the page is damaged (or as ``document``).
        """
        document = self.document(version_id)
        if not 0 <= number < document.page_count:
            raise PageOutOfRange(version_id, number, document.page_count)
        try:
            return document.load_page(number)
        except Exception:
            # A repaired file can list pages whose objects are gone.
            raise DocumentUnreadable(version_id, f"page {number + 1} is damaged") from None

    def handle(self, kind: str, version_id: str, params: dict[str, Any]) -> Any:
        """Return the payload answering one request; raise what goes back as an error."""
        if kind in protocol.TEST_KINDS:
            return self._test_request(kind, params)
        if kind == protocol.OPEN:
            return self._info(version_id)
        if kind == protocol.CLOSE:
            found = self._documents.pop(version_id, None)
            if found is not None:
                found.close()
            return None
        if kind == protocol.RENDER:
            return self._render(version_id, params)
        if kind == protocol.SEARCH:
            return self._search(version_id, str(params["text"]), int(params["max_hits"]))
        if kind == protocol.TEXT:
            return self._text(version_id, int(params["page"]))
        raise ValueError(f"unknown request kind {kind!r}")

    def _test_request(self, kind: str, params: dict[str, Any]) -> Any:
        if not self._allow_test:
            raise PermissionError("test requests are disabled in this worker")
        if kind == protocol.TEST_CRASH:
            # What a MuPDF segfault looks like from outside: no reply, no cleanup.
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(float(params.get("seconds", 3600)))
        return None

    def _info(self, version_id: str) -> dict[str, Any]:
        document = self.document(version_id)
        sizes = []
        damaged = 0
        for number in range(document.page_count):
            try:
                rect = document.load_page(number).rect
            except Exception:
                # Listed but unreadable: laid out as an empty slot, reported on render.
                damaged += 1
                sizes.append((0.0, 0.0))
            else:
                sizes.append((float(rect.width), float(rect.height)))
        if damaged == document.page_count:
            raise DocumentUnreadable(version_id, "its pages are damaged or missing")
        outline = [
            (int(level), str(title), int(page) - 1)
            for level, title, page, *_ in document.get_toc(simple=True)
        ]
        title = (document.metadata or {}).get("title") or ""
        return {
            "page_count": document.page_count,
            "page_sizes": sizes,
            "outline": outline,
            "title": str(title),
            "repaired": bool(document.is_repaired),
        }

    def _render(self, version_id: str, params: dict[str, Any]) -> tuple[Any, ...]:
        page = self.page(version_id, int(params["page"]))
        rect = page.rect
        scale = params.get("scale")
        if scale is None:
            width = max(float(rect.width), 1.0)
            scale = bucket_scale(float(params["width_px"]) / width * float(params["dpr"]))
        area = max(float(rect.width) * float(rect.height), 1.0)
        if area * scale * scale > MAX_PIXELS:
            scale = int((MAX_PIXELS / area) ** 0.5 * 100) / 100 or 0.01
        try:
            pixmap = page.get_pixmap(
                matrix=pymupdf.Matrix(scale, scale),
                colorspace=pymupdf.csRGB,
                alpha=bool(params.get("alpha", False)),
            )
        except Exception:
            raise DocumentUnreadable(version_id, f"page {page.number + 1} is damaged") from None
        self._renders += 1
        if self._renders % STORE_SHRINK_EVERY == 0:
            pymupdf.TOOLS.store_shrink(100)
        samples = pixmap.samples_mv
        size = len(samples)
        # The pixels go back through shared memory: one copy into it here,
        # one out of it in the parent, and none through the pipe.
        shared = SharedMemory(create=True, size=max(size, 1))
        try:
            assert shared.buf is not None
            shared.buf[:size] = samples
            name = shared.name
        finally:
            shared.close()
        return (name, pixmap.width, pixmap.height, pixmap.stride, pixmap.n, scale, size)

    def _search(self, version_id: str, text: str, max_hits: int) -> list[tuple[Any, ...]]:
        document = self.document(version_id)
        hits: list[tuple[Any, ...]] = []
        for number in range(document.page_count):
            try:
                found = document.load_page(number).search_for(text, quads=True)
            except Exception:
                # A damaged page has no text to find; the rest still does.
                log.debug("pdf worker: page %d unreadable in search", number)
                continue
            for quad in found:
                hits.append((number, _quad(quad)))
                if len(hits) >= max_hits:
                    return hits
        return hits

    def _text(self, version_id: str, number: int) -> dict[str, Any]:
        page = self.page(version_id, number)
        words = [
            ((float(w[0]), float(w[1]), float(w[2]), float(w[3])), str(w[4]), w[5], w[6], w[7])
            for w in page.get_text("words", sort=True)
        ]
        return {"text": str(page.get_text("text", sort=True)), "words": words}

    def close(self) -> None:
        """Close every document (zeroing its buffer) and the store."""
        while self._documents:
            _, document = self._documents.popitem()
            document.close()
        self._source.close()


def _quad(quad: Any) -> tuple[float, ...]:
    return (
        float(quad.ul.x),
        float(quad.ul.y),
        float(quad.ur.x),
        float(quad.ur.y),
        float(quad.ll.x),
        float(quad.ll.y),
        float(quad.lr.x),
        float(quad.lr.y),
    )


def _exit_with_parent() -> None:
    """Exit when the parent has gone, even if the pipe is not being read (a hang)."""
    parent = os.getppid()
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def main(conn: Connection, allow_test_requests: bool) -> None:
    """Run a worker: handshake, then serve requests until ``None`` or the pipe closes."""
    # Ctrl+C in a terminal goes to the whole process group; the parent decides.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, daemon=True, name="mr-pdf-parent").start()
    load_pymupdf()
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    header = conn.recv()
    key = bytearray(KEY_BYTES)
    try:
        received = conn.recv_bytes_into(key)
        if header[0] != "init" or received != KEY_BYTES:
            return
        source = ChunkSource(str(header[1]), key)
    finally:
        key[:] = bytes(KEY_BYTES)
    worker = Worker(source, allow_test_requests)
    conn.send(("ready",))
    try:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                break
            if message is None:
                break
            request_id, kind, version_id, params = message
            try:
                payload = worker.handle(kind, version_id, params)
            except Exception as exc:
                code, args = protocol.encode_error(exc)
                conn.send((request_id, "err", code, args))
            else:
                conn.send((request_id, "ok", payload))
    finally:
        worker.close()
