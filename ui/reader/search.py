"""Search in the open document: hits highlighted on their pages, next and previous."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QKeySequence, QPolygonF, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from meetingroom.pdf import RenderService, SearchHit
from ui.i18n import Translator
from ui.reader.bridge import RenderBridge
from ui.reader.marks import RectsItem
from ui.reader.view import DocumentView

HIT_COLOUR = QColor(255, 170, 0, 90)
CURRENT_COLOUR = QColor(255, 90, 0, 140)


def hit_rect(hit: SearchHit) -> QRectF:
    """Return the box of a hit's first quad (points)."""
    quad = hit.quads[0]
    polygon = QPolygonF([QPointF(quad[i], quad[i + 1]) for i in range(0, 8, 2)])
    rect: QRectF = polygon.boundingRect()
    return rect


class SearchBar(QWidget):
    """A search field with previous/next; F3 and Shift+F3 step through the hits."""

    def __init__(
        self,
        tr: Translator,
        service: RenderService,
        bridge: RenderBridge,
        view: DocumentView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tr = tr
        self.service = service
        self.bridge = bridge
        self.view = view
        self.hits: list[SearchHit] = []
        self.current = -1
        self._items: list[RectsItem] = []
        self._query = ""
        self.field = QLineEdit()
        self.field.setObjectName("readerSearch")
        self.field.setPlaceholderText(tr("reader_search"))
        self.field.setToolTip(tr.other("reader_search") + " (Ctrl+F)")
        self.field.setAccessibleName(tr("reader_search"))
        self.field.setClearButtonEnabled(True)
        self.field.returnPressed.connect(self._return)
        self.field.textChanged.connect(self._edited)
        self.prev_button = QToolButton()
        self.prev_button.setText("▲")
        self.prev_button.setToolTip(f"{tr('reader_search_prev')} (Shift+F3)")
        self.prev_button.setAccessibleName(tr("reader_search_prev"))
        self.prev_button.clicked.connect(self.previous)
        self.next_button = QToolButton()
        self.next_button.setText("▼")
        self.next_button.setToolTip(f"{tr('reader_search_next')} (F3)")
        self.next_button.setAccessibleName(tr("reader_search_next"))
        self.next_button.clicked.connect(self.next)
        self.count = QLabel()
        self.count.setObjectName("readerSearchCount")
        self.count.setMinimumWidth(60)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.prev_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.count)
        for keys, slot in (("F3", self.next), ("Shift+F3", self.previous)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.setMinimumWidth(220)

    def focus(self) -> None:
        self.field.setFocus()
        self.field.selectAll()

    def _edited(self, text: str) -> None:
        if not text.strip():
            self.clear_hits()
            self.count.clear()

    def _return(self) -> None:
        if self.field.text().strip() == self._query and self.hits:
            self.next()
        else:
            self.search(self.field.text())

    def search(self, text: str) -> None:
        """Search for ``text``; hits are shown when the worker answers."""
        self.clear_hits()
        self._query = text.strip()
        if self.field.text() != text:
            self.field.setText(text)
        if not self._query or not self.view.version_id:
            return
        self.count.setText(self._tr("reader_search_busy"))
        query = self._query
        self.bridge.watch(
            self.service.search(self.view.version_id, query),
            self,
            lambda hits: self._found(query, hits),
            lambda _error: self.count.setText(self._tr("reader_search_none")),
        )

    def _found(self, query: str, hits: list[SearchHit]) -> None:
        if query != self._query:
            return  # an older search answered late
        self.hits = hits
        self._items = []
        for hit in hits:
            if not 0 <= hit.page < self.view.page_count():
                continue
            item = RectsItem([hit_rect(hit)], HIT_COLOUR)
            item.setParentItem(self.view.pages[hit.page])
            self._items.append(item)
        if not hits:
            self.count.setText(self._tr("reader_search_none"))
            return
        # Start at the first hit at or after the page in view.
        here = max(0, self.view.current_page())
        start = next((i for i, h in enumerate(hits) if h.page >= here), 0)
        self.go(start)

    def go(self, index: int) -> None:
        if not self.hits or index >= len(self._items):
            return
        index %= len(self.hits)
        if 0 <= self.current < len(self._items):
            self._items[self.current].colour = HIT_COLOUR
            self._items[self.current].update()
        self.current = index
        item = self._items[index]
        item.colour = CURRENT_COLOUR
        item.update()
        hit = self.hits[index]
        self.view.show_rect(hit.page, hit_rect(hit))
        self.count.setText(self._tr("reader_search_count", current=index + 1, total=len(self.hits)))

    def next(self) -> None:
        if self.hits:
            self.go(self.current + 1)

    def previous(self) -> None:
        if self.hits:
            self.go(self.current - 1 if self.current > 0 else len(self.hits) - 1)

    def clear_hits(self) -> None:
        scene = self.view.scene()
        for item in self._items:
            if item.scene() is scene:
                scene.removeItem(item)
        self._items = []
        self.hits = []
        self.current = -1
