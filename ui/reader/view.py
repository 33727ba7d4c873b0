"""The continuous page view: one scene item per page, in PDF points; zoom is one transform.

The pages in view are rendered at the current zoom times the screen's
device pixel ratio (crisp on high-DPI screens), the page in the middle first;
then, at low priority, the next ``PREFETCH_AHEAD`` pages in the direction of
scrolling and one page behind, so that Page Down shows a page already
rendered. Requests no longer wanted (the view moved on, the zoom changed) are
cancelled. Pixmaps of pages out of view are kept for paging back within
``PIXMAP_BUDGET`` bytes, least recently shown dropped first, so memory stays
bounded whatever the page count or zoom. The view never renders itself: it
asks ``RenderService`` and paints what comes back through the ``RenderBridge``.
"""

from __future__ import annotations

import bisect
from functools import partial
from typing import Protocol

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGestureEvent,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QPinchGesture,
    QStyleOptionGraphicsItem,
    QWidget,
)

from meetingroom.pdf import DocumentInfo, RenderService
from meetingroom.pdf.worker import bucket_scale
from ui.reader.bridge import RenderBridge, to_image
from ui.reader.budget import PixmapBudget, pixmap_bytes

GAP = 12.0  # points between pages
MARGIN_PX = 16  # logical pixels around the pages at fit width
MIN_ZOOM, MAX_ZOOM = 0.1, 8.0
PREFETCH_AHEAD = 2  # pages rendered ahead of the view, in the direction of scrolling
# Pixmaps kept besides those in view or prefetched: about 14 pages at fit
# width on a 1x screen (3.4 MB each), enough to page back without a render.
PIXMAP_BUDGET = 48 * 1024 * 1024
PAGE_FILL = QColor("#ffffff")
BACKGROUND = QColor("#5f6368")


class PageItem(QGraphicsItem):
    """One page: its local coordinates are PDF points, (0, 0) at the top-left."""

    def __init__(self, index: int, width: float, height: float) -> None:
        super().__init__()
        self.index = index
        self.size = (width, height)
        self.pixmap: QPixmap | None = None
        self.pixmap_scale = 0.0
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, False)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, *self.size)

    def set_pixmap(self, pixmap: QPixmap | None, scale: float) -> None:
        self.pixmap = pixmap
        self.pixmap_scale = scale
        self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        rect = self.boundingRect()
        painter.fillRect(rect, PAGE_FILL)
        if self.pixmap is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawPixmap(rect, self.pixmap, QRectF(self.pixmap.rect()))
        painter.setPen(QPen(QColor(0, 0, 0, 60), 0))
        painter.drawRect(rect)


class DocumentView(QGraphicsView):
    """Scrollable, zoomable pages of one document.

    Signals: ``current_page_changed(int)`` (0-based, the page at the middle
    of the view), ``zoom_changed(float)`` (pixels per point, logical),
    ``first_page_painted()`` once, when the first rendered page is shown.
    """

    current_page_changed = Signal(int)
    zoom_changed = Signal(float)
    first_page_painted = Signal()
    render_failed = Signal(object)

    def __init__(
        self, service: RenderService, bridge: RenderBridge, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("readerView")
        self.service = service
        self.bridge = bridge
        self.version_id = ""
        self.info: DocumentInfo | None = None
        self.pages: list[PageItem] = []
        self._tops: list[float] = []
        self.zoom = 1.0
        self.fit: str | None = "width"  # "width", "page" or None (a fixed zoom)
        # page -> (scale key, request id, prefetch): the requests in flight or queued.
        self._pending: dict[int, tuple[int, int, bool]] = {}
        self.kept: PixmapBudget[int] = PixmapBudget(PIXMAP_BUDGET)
        self._wanted: range = range(0)  # the pages in view, and their pixmaps pinned
        self._prefetching: tuple[int, ...] = ()
        self._direction = 1  # +1 scrolling down (or not yet), -1 up
        self._last_scroll = 0
        self._current = -1
        self._painted = False
        self.early_image: tuple[int, QImage, float] | None = None
        self._provisional: PageItem | None = None
        self.mouse_handler: MouseHandler | None = None
        self.setScene(QGraphicsScene(self))
        self.setBackgroundBrush(QBrush(BACKGROUND))
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(self._scrolled)

    # -- layout --------------------------------------------------------------------

    def show_early_page(self, page: int, image: QImage, scale: float) -> None:
        """Show the first rendered page before the document's layout is known.

        Opening reports every page's size, which takes a while on a long
        document; the first page (rendered at fit width) is shown alone
        meanwhile, then ``set_document`` lays out all pages and keeps its pixels.
        """
        self.early_image = (page, image, scale)
        if self.pages:
            return
        width, height = image.width() / scale, image.height() / scale
        provisional = PageItem(page, width, height)
        provisional.setPos(0, GAP)
        scene = self.scene()
        scene.addItem(provisional)
        scene.setSceneRect(QRectF(-GAP, 0, width + 2 * GAP, height + 2 * GAP))
        self._provisional = provisional
        self.resetTransform()
        self.zoom = self.fit_width_zoom_for(width)
        self.scale(self.zoom, self.zoom)
        provisional.set_pixmap(QPixmap.fromImage(image), scale)
        self._mark_painted()

    def set_document(self, version_id: str, info: DocumentInfo) -> None:
        """Lay out ``info``'s pages (no pixels yet); renders follow on their own."""
        self.version_id = version_id
        self.info = info
        scene = self.scene()
        if self._provisional is not None:
            scene.removeItem(self._provisional)
            self._provisional = None
        for item in self.pages:
            scene.removeItem(item)
        self.pages = []
        self._tops = []
        self.kept.clear()
        widest = max((w for w, _ in info.page_sizes), default=612.0)
        y = GAP
        for index, (w, h) in enumerate(info.page_sizes):
            item = PageItem(index, w, h)
            item.setPos((widest - w) / 2, y)
            scene.addItem(item)
            self.pages.append(item)
            self._tops.append(y)
            y += h + GAP
        scene.setSceneRect(QRectF(-GAP, 0, widest + 2 * GAP, y))
        if self.early_image is not None:
            page, image, scale = self.early_image
            self.early_image = None
            if 0 <= page < len(self.pages):
                self.show_image(page, image, scale)
        self._apply_fit()
        self.schedule()

    def clear_document(self) -> None:
        """Remove every page and pixmap (the document is closed, or the app locks)."""
        self._cancel_all()
        self.scene().clear()
        self.kept.clear()
        self.pages = []
        self._tops = []
        self.info = None
        self.early_image = None
        self._provisional = None

    def page_count(self) -> int:
        return len(self.pages)

    def page_top(self, page: int) -> float:
        return self._tops[page]

    # -- zoom ------------------------------------------------------------------------

    def fit_width_zoom(self) -> float:
        """Return the zoom at which the widest page fills the viewport's width."""
        return self.fit_width_zoom_for(max((p.size[0] for p in self.pages), default=612.0))

    def fit_width_zoom_for(self, widest: float) -> float:
        """Return the zoom at which a page ``widest`` points wide fills the viewport's width."""
        available = self.viewport().width() - 2 * MARGIN_PX
        return max(MIN_ZOOM, available / (widest + 2 * GAP))

    def set_zoom(self, zoom: float, *, fit: str | None = None) -> None:
        """Zoom to ``zoom`` pixels per point (clamped); ``fit`` keeps a fit mode on resize."""
        zoom = min(MAX_ZOOM, max(MIN_ZOOM, zoom))
        self.fit = fit
        if abs(zoom - self.zoom) < 1e-4 and self.transform().m11() == zoom:
            return
        self.zoom = zoom
        self.resetTransform()
        self.scale(zoom, zoom)
        self.zoom_changed.emit(zoom)
        self.schedule()

    def zoom_by(self, factor: float) -> None:
        """Zoom in (factor > 1) or out, around the point under the mouse or the centre."""
        self.set_zoom(self.zoom * factor)

    def fit_width(self) -> None:
        self.set_zoom(self.fit_width_zoom(), fit="width")

    def fit_page(self) -> None:
        page = self.pages[max(0, self.current_page())] if self.pages else None
        if page is None:
            return
        w, h = page.size
        vw = self.viewport().width() - 2 * MARGIN_PX
        vh = self.viewport().height() - 2 * MARGIN_PX
        zoom = min(vw / (w + 2 * GAP), vh / (h + 2 * GAP))
        current = self.current_page()
        self.set_zoom(zoom, fit="page")
        self.go_to_page(current)

    def _apply_fit(self) -> None:
        if self.fit == "width":
            self.fit_width()
        elif self.fit == "page":
            self.fit_page()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.pages:
            current = self.current_page()
            self._apply_fit()
            if self.fit == "page":
                self.go_to_page(current)
        self.schedule()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.zoom_by(1.1**steps)
            event.accept()
            return
        super().wheelEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Gesture:
            assert isinstance(event, QGestureEvent)
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if isinstance(pinch, QPinchGesture):
                factor = pinch.scaleFactor()
                if factor > 0:
                    self.zoom_by(factor)
                event.accept()
                return True
        return super().viewportEvent(event)

    # -- navigation ------------------------------------------------------------------

    def current_page(self) -> int:
        """Return the page at the middle of the view (0-based), or -1 without pages."""
        if not self.pages:
            return -1
        centre = self.mapToScene(self.viewport().rect().center()).y()
        return max(0, min(len(self.pages) - 1, bisect.bisect_right(self._tops, centre) - 1))

    def go_to_page(self, page: int, y: float = 0.0) -> None:
        """Scroll so that page ``page`` (0-based), at ``y`` points from its top, is at the top."""
        if not self.pages:
            return
        page = max(0, min(len(self.pages) - 1, page))
        target = self.mapFromScene(QPointF(0, self._tops[page] + y - GAP / 2)).y()
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + target)
        self.schedule()

    def show_rect(self, page: int, rect: QRectF) -> None:
        """Scroll so that ``rect`` (points on ``page``) is in view, centred."""
        if not self.pages:
            return
        item = self.pages[page]
        self.centerOn(item.mapToScene(rect.center()))
        self.schedule()

    def visible_pages(self) -> range:
        """Return the pages at least partly in view."""
        if not self.pages:
            return range(0)
        area = self.mapToScene(self.viewport().rect()).boundingRect()
        first = max(0, bisect.bisect_right(self._tops, area.top()) - 1)
        last = max(
            first, min(len(self.pages) - 1, bisect.bisect_right(self._tops, area.bottom()) - 1)
        )
        return range(first, last + 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if key == Qt.Key.Key_Home and ctrl:
            self.go_to_page(0)
        elif key == Qt.Key.Key_End and ctrl:
            self.go_to_page(len(self.pages) - 1)
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End) and not ctrl:
            bar = self.verticalScrollBar()
            bar.setValue(bar.minimum() if key == Qt.Key.Key_Home else bar.maximum())
        elif key == Qt.Key.Key_Space:
            bar = self.verticalScrollBar()
            step = bar.pageStep()
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            bar.setValue(bar.value() - step if shift else bar.value() + step)
        else:
            super().keyPressEvent(event)

    # -- rendering -------------------------------------------------------------------

    def schedule(self) -> None:
        """Refresh the wanted renders once the event loop is idle (coalesces bursts)."""
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _scrolled(self, _value: int) -> None:
        value = self.verticalScrollBar().value()
        if value != self._last_scroll:
            self._direction = 1 if value > self._last_scroll else -1
            self._last_scroll = value
        if self.pages and self.visible_pages() != self._wanted:
            # A page came into view: ask for it now (a refresh costs well under
            # a millisecond), not after this scroll's repaint, which runs before
            # a zero-delay timer and let a queued thumbnail go first.
            self.refresh()
        else:
            self.schedule()
        page = self.current_page()
        if page != self._current:
            self._current = page
            self.current_page_changed.emit(page)

    def device_ratio(self) -> float:
        return float(self.devicePixelRatioF())

    def wanted_scale(self) -> float:
        return bucket_scale(self.zoom * self.device_ratio())

    def refresh(self) -> None:
        """Request the visible pages, then prefetch; cancel the stale and trim the kept."""
        if not self.pages or not self.version_id:
            return
        visible = self.visible_pages()
        prefetch = self.prefetch_pages(visible)
        scale = self.wanted_scale()
        key = round(scale * 100)
        for page, (pending_key, request_id, _low) in list(self._pending.items()):
            if pending_key != key or not (page in visible or page in prefetch):
                self.service.cancel(request_id)
                del self._pending[page]
        self._wanted = visible
        self._prefetching = prefetch
        self._trim()
        # The service serves the newest request first: ask for the page in
        # the middle of the view last, so it comes first.
        middle = self.current_page()
        for page in sorted(visible, key=lambda p: -abs(p - middle)):
            pending = self._pending.get(page)
            if pending is not None and pending[2] and self.service.cancel(pending[1]):
                del self._pending[page]  # a queued prefetch came into view: ask now
            self._request(page, scale, key, prefetch=False)
        # Low priority, served after every page in view; the nearest ahead last
        # (newest first), so it is the first of them. A prefetch still queued
        # from an earlier refresh is asked again, or a newer one farther ahead
        # would be served before it.
        for page in reversed(prefetch):
            pending = self._pending.get(page)
            if pending is not None and pending[2] and self.service.cancel(pending[1]):
                del self._pending[page]
            self._request(page, scale, key, prefetch=True)

    def prefetch_pages(self, visible: range) -> tuple[int, ...]:
        """Return the pages to render ahead of ``visible``: the next ``PREFETCH_AHEAD`` in
        the direction of scrolling, nearest first, then the one behind."""
        if self._direction > 0:
            ahead = [visible.stop + i for i in range(PREFETCH_AHEAD)]
            behind = visible.start - 1
        else:
            ahead = [visible.start - 1 - i for i in range(PREFETCH_AHEAD)]
            behind = visible.stop
        return tuple(p for p in (*ahead, behind) if 0 <= p < len(self.pages))

    def _request(self, page: int, scale: float, key: int, *, prefetch: bool) -> None:
        item = self.pages[page]
        if self._sharp_enough(item, scale) or page in self._pending:
            return
        future = self.service.render(
            self.version_id,
            page,
            zoom=self.zoom,
            device_pixel_ratio=self.device_ratio(),
            prefetch=prefetch,
        )
        self._pending[page] = (key, future.request_id, prefetch)
        self.bridge.watch(
            future,
            self,
            partial(self._rendered, page, key),
            partial(self._failed, page),
            convert=lambda rendered: (to_image(rendered), rendered.scale),
        )

    def _trim(self) -> None:
        """Drop the least recently shown pixmaps beyond the budget, never one in use."""
        wanted, prefetch = self._wanted, self._prefetching
        pinned = _Pinned(wanted, prefetch)
        for page in self.kept.trim(pinned):
            if 0 <= page < len(self.pages):
                self.pages[page].set_pixmap(None, 0.0)

    @staticmethod
    def _sharp_enough(item: PageItem, scale: float) -> bool:
        """Return True when the page's pixmap can be shown at ``scale`` as it is.

        A pixmap up to 10 % larger is scaled down (still crisp), e.g. the
        first page, rendered at fit width before the layout was known.
        """
        return item.pixmap is not None and scale <= item.pixmap_scale <= scale * 1.1

    def _rendered(self, page: int, key: int, result: tuple[QImage, float]) -> None:
        if self._pending.get(page, (None,))[0] == key:
            del self._pending[page]
        if not 0 <= page < len(self.pages):
            return
        image, scale = result
        self.show_image(page, image, scale)
        if self._pending:
            return
        self.schedule()  # the view may have moved while this page was rendering

    def show_image(self, page: int, image: QImage, scale: float) -> None:
        pixmap = QPixmap.fromImage(image)
        self.pages[page].set_pixmap(pixmap, scale)
        self.kept.shown(page, pixmap_bytes(pixmap))
        self._trim()
        self._mark_painted()

    def _mark_painted(self) -> None:
        if not self._painted:
            self._painted = True
            self.viewport().repaint()  # paint now: "first page shown" is what the user sees
            self.first_page_painted.emit()

    def _failed(self, page: int, error: BaseException) -> None:
        self._pending.pop(page, None)
        self.render_failed.emit(error)

    def _cancel_all(self) -> None:
        for _key, request_id, _low in self._pending.values():
            self.service.cancel(request_id)
        self._pending.clear()

    @property
    def painted(self) -> bool:
        """Return True once a rendered page has been shown."""
        return self._painted

    def pending_count(self) -> int:
        return len(self._pending)

    def pending_pages(self, *, prefetch: bool | None = None) -> list[int]:
        """Return the pages whose render is queued or running (only prefetches, or only
        pages in view, when ``prefetch`` is given), in page order (for tests)."""
        return sorted(p for p, (_k, _r, low) in self._pending.items() if prefetch in (None, low))

    def shown(self, pages: range) -> bool:
        """Return True when every page of ``pages`` has a pixmap sharp at the current zoom."""
        scale = self.wanted_scale()
        return all(self._sharp_enough(self.pages[p], scale) for p in pages)

    # -- mouse -----------------------------------------------------------------------

    def page_at(self, view_pos: QPointF) -> tuple[int, QPointF] | None:
        """Return (page, point in that page's points) under ``view_pos``, or None."""
        scene = self.mapToScene(view_pos.toPoint())
        index = bisect.bisect_right(self._tops, scene.y()) - 1
        if not 0 <= index < len(self.pages):
            return None
        item = self.pages[index]
        local = item.mapFromScene(scene)
        if not item.boundingRect().contains(local):
            return None
        return index, local

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.mouse_handler is not None and self.mouse_handler.press(event):
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.mouse_handler is not None and self.mouse_handler.double_click(event):
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.mouse_handler is not None and self.mouse_handler.move(event):
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.mouse_handler is not None and self.mouse_handler.release(event):
            event.accept()
            return
        super().mouseReleaseEvent(event)


class _Pinned:
    """The pages whose pixmaps are in use: in view or being prefetched."""

    def __init__(self, wanted: range, prefetch: tuple[int, ...]) -> None:
        self._wanted, self._prefetch = wanted, prefetch

    def __contains__(self, page: object) -> bool:
        return page in self._wanted or page in self._prefetch


class MouseHandler(Protocol):
    """What the annotation layer plugs into the view; each returns True when it took the event."""

    def press(self, event: QMouseEvent) -> bool: ...

    def move(self, event: QMouseEvent) -> bool: ...

    def release(self, event: QMouseEvent) -> bool: ...

    def double_click(self, event: QMouseEvent) -> bool: ...
