"""The global search panel: a query box and its results, searched off the GUI thread.

Queries run on ``ctx.ops`` (the database worker) against a ``SearchIndex``
that keeps decrypted text in memory only; results come back on the GUI
thread and a result for an older query than the one typed is dropped.
Activating a result emits ``openRequested(version_id, page, query)`` for a
document hit or ``meetingRequested(meeting_id)`` for a meeting, agenda item
or note. The app wires the shortcut that shows the panel.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

import ui.search.texts  # noqa: F401  (registers the panel's texts)
from meetingroom.search import ResultKind, SearchIndex, SearchOutcome, SearchResult
from meetingroom.store import Store
from ui.context import UiContext
from ui.search.delegate import RichResultDelegate
from ui.search.model import ResultRole, SearchResultsModel

# Wait this long after the last keystroke before searching (Enter searches at once).
DEBOUNCE_MS = 250
RESULT_LIMIT = 200


def only_readable(
    outcome: SearchOutcome, store: Store, readable: Callable[[Store, str], bool]
) -> SearchOutcome:
    """Return ``outcome`` without the page hits of versions ``readable`` refuses."""
    verdicts: dict[str, bool] = {}

    def keep(result: SearchResult) -> bool:
        if result.kind is not ResultKind.PAGE or result.version_id is None:
            return True
        if result.version_id not in verdicts:
            verdicts[result.version_id] = readable(store, result.version_id)
        return verdicts[result.version_id]

    kept = tuple(r for r in outcome.results if keep(r))
    dropped = len(outcome.results) - len(kept)
    return dataclasses.replace(outcome, results=kept, total=outcome.total - dropped)


class SearchPanel(QWidget):
    """A query box with a results list; see the module docstring for the signals."""

    openRequested = Signal(str, int, str)
    meetingRequested = Signal(str)

    def __init__(
        self,
        ctx: UiContext,
        index: SearchIndex | None = None,
        parent: QWidget | None = None,
        *,
        readable: Callable[[Store, str], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self._ctx = ctx
        self.index = index or SearchIndex(ctx.user_id)
        # Which document versions may show their text now (the deployment
        # policy's offline lease); called on the DB worker. None: all.
        self._readable = readable
        self._asked = ""  # the query whose results are awaited
        tr = ctx.tr
        self.title = QLabel(f"<h2>{tr('search_title')}</h2>")
        self.title.setToolTip(tr.other("search_title"))
        self.query = QLineEdit()
        self.query.setObjectName("globalSearchBox")
        self.query.setAccessibleName(tr("search_box"))
        self.query.setAccessibleDescription(tr("search_hint"))
        self.query.setPlaceholderText(tr("search_placeholder"))
        self.query.setToolTip(f"{tr('search_hint')}\n{tr.other('search_hint')}")
        self.query.setClearButtonEnabled(True)
        self.query.textChanged.connect(self._typed)
        self.query.returnPressed.connect(self._enter)
        self.query.installEventFilter(self)
        self.status = QLabel()
        self.status.setObjectName("globalSearchStatus")
        self.status.setWordWrap(True)
        self.model = SearchResultsModel(tr, self)
        self.view = QListView()
        self.view.setObjectName("globalSearchResults")
        self.view.setAccessibleName(tr("search_results_list"))
        self.view.setModel(self.model)
        self.view.setItemDelegate(RichResultDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setWordWrap(True)
        self.view.setUniformItemSizes(False)
        self.view.setSpacing(2)
        self.view.activated.connect(self._activated)
        self.view.doubleClicked.connect(self._activated)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.query)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        self.setTabOrder(self.query, self.view)
        self.setFocusProxy(self.query)

    # -- what the app calls ------------------------------------------------------------

    def focus_query(self) -> None:
        """Put the cursor in the query box with its text selected (for the app's shortcut)."""
        self.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query.selectAll()

    def refresh(self) -> None:
        """Search the current query again (after a sync or when indexing has finished)."""
        if self._asked:
            self.run_search()

    # -- searching -------------------------------------------------------------------

    def search(self, text: str) -> None:
        """Put ``text`` in the box and search at once."""
        self.query.blockSignals(True)
        self.query.setText(text)
        self.query.blockSignals(False)
        self.run_search()

    def run_search(self) -> None:
        """Search for the box's text on the database worker; results arrive on the GUI thread."""
        self._timer.stop()
        text = self.query.text().strip()
        self._asked = text
        if not text:
            self.model.clear()
            self.status.clear()
            return
        self.status.setText(self._ctx.tr("search_running"))
        index, readable = self.index, self._readable

        def op(store: Store) -> SearchOutcome:
            outcome = index.search(store, text, limit=RESULT_LIMIT)
            return outcome if readable is None else only_readable(outcome, store, readable)

        self._ctx.ops.query(self, op, self._show, self._failed)

    def _typed(self, _text: str) -> None:
        self._timer.start()

    def _enter(self) -> None:
        if self._timer.isActive() or self.query.text().strip() != self._asked:
            self.run_search()
        else:
            self._open(self.view.currentIndex())

    def _show(self, outcome: SearchOutcome) -> None:
        if outcome.query != self._asked:
            return  # typed on meanwhile: a newer search is on its way
        tr = self._ctx.tr
        self.model.set_results(outcome.results)
        if not outcome.results:
            self.status.setText(tr("search_none", query=outcome.query))
        elif outcome.total > len(outcome.results):
            self.status.setText(
                tr("search_count_more", shown=len(outcome.results), total=outcome.total)
            )
        else:
            self.status.setText(tr("search_count", count=outcome.total))
        if outcome.results:
            self.view.setCurrentIndex(self.model.index(0, 0))

    def _failed(self, error: BaseException) -> None:
        self.model.clear()
        self.status.clear()
        self._ctx.ops.reporter.report(error)

    # -- opening ---------------------------------------------------------------------

    def _activated(self, index: QModelIndex) -> None:
        self._open(index)

    def _open(self, index: QModelIndex) -> None:
        result = index.data(ResultRole) if index.isValid() else None
        if result is None:
            return
        if result.kind in (ResultKind.PAGE, ResultKind.DOCUMENT) and result.version_id:
            self.openRequested.emit(result.version_id, max(result.page, 0), self._asked)
        else:
            self.meetingRequested.emit(result.meeting_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up/Down in the box move through the results, so the keyboard never has to leave it.
        if watched is self.query and isinstance(event, QKeyEvent):
            key = event.key() if event.type() == QEvent.Type.KeyPress else None
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.model.rowCount():
                row = self.view.currentIndex().row()
                row = row + 1 if key == Qt.Key.Key_Down else row - 1
                row = max(0, min(self.model.rowCount() - 1, row))
                self.view.setCurrentIndex(self.model.index(row, 0))
                return True
        return super().eventFilter(watched, event)

    # -- locking ---------------------------------------------------------------------

    def clear(self, *, drop_index: bool = True) -> None:
        """Forget the query and the results, and the in-memory index unless
        ``drop_index`` is False (the app keeps one index while unlocked)."""
        self._timer.stop()
        self._asked = ""
        self.query.blockSignals(True)
        self.query.clear()
        self.query.blockSignals(False)
        self.model.clear()
        self.status.clear()
        if drop_index:
            index = self.index
            self._ctx.ops.run(None, index.clear)
