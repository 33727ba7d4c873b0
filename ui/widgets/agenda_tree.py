"""The agenda as a Qt tree model: the part the delegate's and the secretary's views share.

Subclasses fill ``_root`` with ``AgendaNode``s (in ``set_items``), name their
columns' text keys in ``COLUMNS`` and answer ``data``; navigation (index,
parent, counts) and the translated headers are here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from meetingroom.domain import AgendaItem
from ui.i18n import Translator


class AgendaNode:
    """One agenda item in the tree (the root has no item) and its number ("2.1")."""

    def __init__(self, item: AgendaItem | None, parent: AgendaNode | None, number: str) -> None:
        self.item = item
        self.parent = parent
        self.number = number
        self.children: list[AgendaNode] = []

    def row(self) -> int:
        """Return this node's row under its parent."""
        return self.parent.children.index(self) if self.parent else 0


class AgendaTreeModel(QAbstractItemModel):
    """Tree navigation over ``AgendaNode``s; columns from ``COLUMNS`` (text keys)."""

    COLUMNS: tuple[str, ...] = ()

    def __init__(self, tr: Translator, parent: Any = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._root = AgendaNode(None, None, "")

    def _node(self, index: QModelIndex | QPersistentModelIndex) -> AgendaNode:
        if index.isValid():
            node = index.internalPointer()
            assert isinstance(node, AgendaNode)
            return node
        return self._root

    def index(
        self,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex = QModelIndex(),  # noqa: B008
    ) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self._node(parent).children[row])

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = self._node(index).parent
        if node is None or node is self._root:
            return QModelIndex()
        return self.createIndex(node.row(), 0, node)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._tr(self.COLUMNS[section])
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._tr.other(self.COLUMNS[section])
        return None
