"""From ``RenderService`` futures (completed on worker threads) to the GUI thread.

A future's done-callback runs on the service's dispatcher thread; it may
build a ``QImage`` there (plain memory, allowed off the GUI thread) but
touches no widget. The outcome is queued to the GUI thread, and delivered
only while the receiving object is alive and the bridge's generation is
current, so nothing reaches a reader that was closed or a screen after a lock.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QImage

from meetingroom.pdf import RenderedPage

T = TypeVar("T")


def to_image(page: RenderedPage) -> QImage:
    """Return a ``QImage`` holding a copy of ``page``'s pixels (safe on any thread).

    The image allocates its own buffer and the rows are copied into it:
    constructing a ``QImage`` over a Python ``bytes`` object miscounts that
    object's references in PySide6 and crashed the app after some thousand
    pages (found by the scrolling benchmark).
    """
    fmt = QImage.Format.Format_RGBA8888 if page.channels == 4 else QImage.Format.Format_RGB888
    image = QImage(page.width, page.height, fmt)
    line = image.bytesPerLine()
    target = memoryview(image.bits())
    source = memoryview(page.samples)
    row = page.width * page.channels
    if line == page.stride:
        target[: line * page.height] = source[: line * page.height]
    else:  # Qt pads each row to 4 bytes; the renderer does not
        for y in range(page.height):
            target[y * line : y * line + row] = source[y * page.stride : y * page.stride + row]
    return image


class RenderBridge(QObject):
    """Delivers future outcomes on the GUI thread (always queued, never re-entrant)."""

    _deliver = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.generation = 0
        # Queued even when the future completed already on the GUI thread (a
        # cache hit): callers never see their callback run inside the request.
        self._deliver.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def invalidate(self) -> None:
        """Drop every outcome still in flight (document closed, app locked)."""
        self.generation += 1

    def watch(
        self,
        future: Future[T],
        receiver: QObject,
        success: Callable[[Any], None],
        failure: Callable[[BaseException], None] | None = None,
        convert: Callable[[T], Any] | None = None,
    ) -> None:
        """Call ``success(convert(result))`` or ``failure(error)`` on the GUI thread.

        ``convert`` runs on the thread that completed the future (e.g. pixels
        to a ``QImage``). A cancelled future delivers nothing.
        """
        generation = self.generation

        def done(fut: Future[T]) -> None:
            try:
                result: Any = fut.result()
                if convert is not None:
                    result = convert(result)
            except CancelledError:
                return
            except Exception as exc:  # delivered to the caller's failure handler
                error = exc
                self._deliver.emit(lambda: self._finish(generation, receiver, failure, error))
                return
            self._deliver.emit(lambda: self._finish(generation, receiver, success, result))

        future.add_done_callback(done)

    def _finish(
        self,
        generation: int,
        receiver: QObject,
        handler: Callable[[Any], None] | None,
        outcome: Any,
    ) -> None:
        if generation != self.generation or not shiboken6.isValid(receiver):
            return
        if handler is not None:
            handler(outcome)

    @Slot(object)
    def _run(self, callback: Callable[[], None]) -> None:
        callback()
