"""The reader's side panels: page thumbnails, outline, and the annotation list."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QListWidget,
    QListWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from meetingroom.domain import Annotation, UserId, Visibility
from meetingroom.pdf import DocumentInfo, RenderService
from ui.i18n import Translator
from ui.reader.bridge import RenderBridge, to_image
from ui.reader.budget import PixmapBudget, pixmap_bytes

THUMB_WIDTH = 96
# Thumbnail images kept besides the rows in view: about 160 at 96 px on a 1x
# screen. Scrolled back, a dropped one comes again from the service's cache.
THUMB_BUDGET = 8 * 1024 * 1024
PageRole = Qt.ItemDataRole.UserRole + 1
AnnotationRole = Qt.ItemDataRole.UserRole + 2


class Thumbnails(QListWidget):
    """One row per page; images are asked for only for the rows in view, and kept
    within ``THUMB_BUDGET`` bytes (rows far from view go back to a blank page)."""

    page_chosen = Signal(int)

    def __init__(
        self,
        tr: Translator,
        service: RenderService,
        bridge: RenderBridge,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("readerThumbnails")
        self.setAccessibleName(tr("reader_thumbnails"))
        self._tr = tr
        self.service = service
        self.bridge = bridge
        self.version_id = ""
        self._asked: set[int] = set()
        self.kept: PixmapBudget[int] = PixmapBudget(THUMB_BUDGET)
        self._in_view = range(0)
        self._blank = QIcon()
        # Icon mode, one column: each page's number under its image.
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSpacing(4)
        # White pages on grey, as in the page view, so each thumbnail stands out.
        self.setStyleSheet("QListWidget#readerThumbnails { background: #e8eaed; }")
        self.setIconSize(QSize(THUMB_WIDTH, int(THUMB_WIDTH * 1.42)))
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(60)
        self._timer.timeout.connect(self._request_visible)
        self.verticalScrollBar().valueChanged.connect(lambda _v: self._timer.start())
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)

    def set_document(self, version_id: str, info: DocumentInfo) -> None:
        self.clear()
        self._asked.clear()
        self.kept.clear()
        self._in_view = range(0)
        self.version_id = version_id
        blank = QPixmap(self.iconSize())
        blank.fill(QColor("#ffffff"))
        icon = self._blank = QIcon(blank)
        for page in range(info.page_count):
            item = QListWidgetItem(icon, self._tr("reader_thumb_page", page=page + 1))
            item.setData(PageRole, page)
            self.addItem(item)
        self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._timer.start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._timer.start()

    def _request_visible(self) -> None:
        if not self.isVisible() or self.count() == 0:
            return
        area = self.viewport().rect()
        first = -1
        for y in range(area.top(), area.bottom(), 8):  # the first row under the top edge
            first = self.indexAt(QPoint(area.center().x(), y)).row()
            if first >= 0:
                break
        if first < 0:
            return
        last = first
        while (
            last + 1 < self.count()
            and self.visualItemRect(self.item(last + 1)).top() <= area.bottom()
        ):
            last += 1
        self._in_view = range(first, min(last + 2, self.count()))
        for page in self._in_view:
            if page in self._asked:
                continue
            self._asked.add(page)
            future = self.service.thumbnail(
                self.version_id,
                page,
                width_px=THUMB_WIDTH,
                device_pixel_ratio=float(self.devicePixelRatioF()),
            )
            self.bridge.watch(
                future,
                self,
                partial(self._arrived, page),
                partial(self._forget, page),
                convert=to_image,
            )

    def _forget(self, page: int, _error: BaseException) -> None:
        self._asked.discard(page)

    def _arrived(self, page: int, image: QImage) -> None:
        item = self.item(page)
        if item is not None:
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(self.devicePixelRatioF())
            item.setIcon(QIcon(pixmap))
            self.kept.shown(page, pixmap_bytes(pixmap))
            for dropped in self.kept.trim(self._in_view):
                self._asked.discard(dropped)  # asked again when it scrolls into view
                row = self.item(dropped)
                if row is not None:
                    row.setIcon(self._blank)

    def thumbnails_shown(self) -> int:
        """Return how many rows show a rendered image or wait for one (for tests)."""
        return len(self._asked)

    def show_page(self, page: int) -> None:
        item = self.item(page)
        if item is not None and self.currentRow() != page:
            self.blockSignals(True)
            self.setCurrentRow(page)
            self.blockSignals(False)
            self.scrollToItem(item)

    def _chosen(self, item: QListWidgetItem) -> None:
        self.page_chosen.emit(int(item.data(PageRole)))


class Outline(QTreeWidget):
    """The document's bookmarks; activating one goes to its page."""

    page_chosen = Signal(int)

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readerOutline")
        self.setAccessibleName(tr("reader_outline"))
        self.setHeaderHidden(True)
        self._tr = tr
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)

    def set_document(self, info: DocumentInfo) -> None:
        self.clear()
        parents: list[QTreeWidgetItem] = []
        for entry in info.outline:
            level = max(1, entry.level)
            del parents[level - 1 :]
            item = QTreeWidgetItem([entry.title])
            item.setData(0, PageRole, entry.page)
            item.setToolTip(0, entry.title)
            if parents:
                parents[-1].addChild(item)
            else:
                self.addTopLevelItem(item)
            parents.append(item)
        if not info.outline:
            item = QTreeWidgetItem([self._tr("reader_outline_empty")])
            item.setData(0, PageRole, -1)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addTopLevelItem(item)
        self.expandToDepth(0)

    def _chosen(self, item: QTreeWidgetItem) -> None:
        page = item.data(0, PageRole)
        if isinstance(page, int) and page >= 0:
            self.page_chosen.emit(page)


class AnnotationPanel(QListWidget):
    """The document's annotations by page; activating one jumps to it."""

    annotation_chosen = Signal(str)

    def __init__(self, tr: Translator, user_id: UserId, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readerAnnotations")
        self.setAccessibleName(tr("reader_panel"))
        self.setWordWrap(True)
        self._tr = tr
        self._user_id = user_id
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)

    def show_annotations(self, annotations: list[Annotation]) -> None:
        self.clear()
        tr = self._tr
        ordered = sorted(annotations, key=lambda a: (a.page, _top(a), a.updated_at))
        for a in ordered:
            line = tr("reader_panel_row", page=a.page + 1, kind=tr(f"reader_kind_{a.kind.value}"))
            marks = []
            if a.visibility == Visibility.SHARED:
                marks.append(tr("reader_panel_shared"))
            if a.author_id != self._user_id:
                marks.append(tr("reader_panel_by_other"))
            if marks:
                line += " · " + ", ".join(marks)
            text = " ".join(a.text.split())
            if text:
                line += "\n" + (text if len(text) <= 90 else text[:89] + "…")
            item = QListWidgetItem(line)
            item.setData(AnnotationRole, a.id)
            item.setData(Qt.ItemDataRole.DecorationRole, QColor(a.colour))
            self.addItem(item)
        if not ordered:
            empty = QListWidgetItem(tr("reader_panel_empty"))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(empty)

    def ids(self) -> list[str]:
        """Return the annotation ids listed, in order (for tests)."""
        out = []
        for row in range(self.count()):
            value = self.item(row).data(AnnotationRole)
            if isinstance(value, str):
                out.append(value)
        return out

    def _chosen(self, item: QListWidgetItem) -> None:
        value = item.data(AnnotationRole)
        if isinstance(value, str):
            self.annotation_chosen.emit(value)


def _top(annotation: Annotation) -> float:
    geometry = annotation.geometry
    if not geometry or len(geometry[0]) < 2:
        return 0.0
    return float(geometry[0][1])
