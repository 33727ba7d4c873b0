"""The global search as an app screen: a back button over the search panel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from meetingroom.search import SearchIndex
from meetingroom.store import Store
from ui.context import UiContext
from ui.search.panel import SearchPanel


class SearchScreen(QWidget):
    """Shows ``SearchPanel``; ``back`` returns to where the user came from.

    The panel's ``openRequested``/``meetingRequested`` are re-emitted by the
    panel itself (``self.panel``); the app connects them.
    """

    back = Signal()

    def __init__(
        self,
        ctx: UiContext,
        index: SearchIndex,
        parent: QWidget | None = None,
        *,
        readable: Callable[[Store, str], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("searchScreen")
        tr = ctx.tr
        back = QPushButton(tr("back"))
        back.setAccessibleName(tr("back"))
        back.setToolTip(tr.other("back"))
        back.clicked.connect(self.back)
        self.panel = SearchPanel(ctx, index, readable=readable)
        top = QHBoxLayout()
        top.addWidget(back)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 8)
        layout.addLayout(top)
        layout.addWidget(self.panel, 1)

    def clear(self) -> None:
        """Forget the query and results when the screen goes; the app's index
        stays until the app locks (then the app drops it)."""
        self.panel.clear(drop_index=False)
