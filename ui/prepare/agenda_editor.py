"""The agenda editor: a tree of items, edited in place, reordered by drag and drop or keys.

Keys: Ctrl+Up/Ctrl+Down move an item among its siblings, Tab/Shift+Tab nest
and unnest it, F2 renames, Del removes, Insert adds. Every change is one op
on the worker (``meetingroom.prepare.agenda``); the tree reloads afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from meetingroom import services
from meetingroom.domain import AgendaItem, AgendaItemId, MeetingId
from meetingroom.prepare import agenda
from meetingroom.store import Store
from ui.context import UiContext
from ui.i18n import Translator
from ui.prepare import texts  # noqa: F401  (registers the area's strings)
from ui.prepare.action_buttons import action_buttons
from ui.widgets.agenda_tree import AgendaNode, AgendaTreeModel

MIME = "application/x-meetingroom-agenda-item"
ItemIdRole = Qt.ItemDataRole.UserRole + 11


class AgendaEditModel(AgendaTreeModel):
    """The agenda as an editable tree. Edits and moves are requested, not applied here:

    ``edit_requested(item_id, field, value)`` and ``move_requested(item_id,
    parent_id, index)`` go to the editor, which runs the op and reloads.
    """

    edit_requested = Signal(str, str, object)
    move_requested = Signal(str, object, int)

    COLUMNS = ("prep_agenda_col_title", "prep_agenda_col_presenter", "prep_agenda_col_minutes")
    FIELDS = ("title", "presenter", "planned")

    def __init__(self, tr: Translator, parent: Any = None) -> None:
        super().__init__(tr, parent)
        self.items: list[AgendaItem] = []

    def set_items(self, items: list[AgendaItem]) -> None:
        """Show ``items`` (replacing what was shown)."""
        self.beginResetModel()
        self.items = list(items)
        self._root = AgendaNode(None, None, "")
        by_id: dict[str, AgendaNode] = {"": self._root}
        numbers = agenda.numbering(items)
        for _depth, item in agenda.ordered(items):
            parent = by_id.get(item.parent_id or "", self._root)
            node = AgendaNode(item, parent, numbers.get(item.id, ""))
            parent.children.append(node)
            by_id[item.id] = node
        self.endResetModel()

    def index_of(self, item_id: str) -> QModelIndex:
        """Return the index (column 0) of the item with ``item_id``, or an invalid one."""

        def find(parent: QModelIndex) -> QModelIndex:
            for row in range(self.rowCount(parent)):
                index = self.index(row, 0, parent)
                if self._node(index).item is not None and self._node(index).item.id == item_id:  # type: ignore[union-attr]
                    return index
                found = find(index)
                if found.isValid():
                    return found
            return QModelIndex()

        return find(QModelIndex())

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        item = node.item
        if item is None:
            return None
        column = index.column()
        if role == ItemIdRole:
            return item.id
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{node.number}. {item.title}"
            if column == 1:
                return item.presenter
            total = agenda.planned_minutes(self.items, item.id)
            return self._tr("prep_minutes", n=total) if total else ""
        if role == Qt.ItemDataRole.EditRole:
            return (item.title, item.presenter, item.planned_minutes or 0)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 2 and node.children:
            return self._tr("prep_agenda_sum_tip")
        return None

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = 0
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        item = self._node(index).item
        if item is None:
            return False
        field = self.FIELDS[index.column()]
        value = (int(value) if value else None) if field == "planned" else str(value)
        self.edit_requested.emit(item.id, field, value)
        return True

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        return (
            base
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEditable
            | Qt.ItemFlag.ItemIsDragEnabled
        )

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: Any) -> QMimeData:
        data = QMimeData()
        ids = [self._node(i).item.id for i in indexes if i.isValid() and i.column() == 0]  # type: ignore[union-attr]
        if ids:
            data.setData(MIME, QByteArray(ids[0].encode()))
        return data

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        return data.hasFormat(MIME)

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        """Ask for the move; return False so the view removes nothing itself (reload does)."""
        if not data.hasFormat(MIME):
            return False
        item_id = bytes(data.data(MIME).data()).decode()
        self.request_drop(item_id, parent, row)
        return False

    def request_drop(
        self, item_id: str, parent: QModelIndex | QPersistentModelIndex, row: int
    ) -> None:
        """Turn a drop at (``parent``, ``row``) into a move request (row -1: onto ``parent``)."""
        target = self._node(parent)
        parent_id = target.item.id if target.item is not None else None
        siblings: list[str] = [c.item.id for c in target.children if c.item is not None]
        if row < 0:
            row = len(siblings)
        if item_id in siblings and siblings.index(item_id) < row:
            row -= 1  # the index counts the siblings without the moved item
        self.move_requested.emit(item_id, parent_id, row)


class AgendaTree(QTreeView):
    """The tree view with the editor's keys (Tab must not leave the tree here)."""

    key_action = Signal(str)

    def event(self, event: QEvent) -> bool:
        editing = self.state() == QAbstractItemView.State.EditingState
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and not editing:
            key, ctrl = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and ctrl:
                # Tab nests here, so Ctrl+Tab is the way out of the tree.
                self.focusNextPrevChild(key == Qt.Key.Key_Tab)
                return True
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and self.currentIndex().isValid():
                self.key_action.emit("indent" if key == Qt.Key.Key_Tab else "outdent")
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        actions = {
            (Qt.Key.Key_Up, True): "up",
            (Qt.Key.Key_Down, True): "down",
            (Qt.Key.Key_Delete, False): "remove",
            (Qt.Key.Key_Insert, False): "add",
        }
        action = actions.get((Qt.Key(event.key()), ctrl))
        if action is not None and self.state() != QAbstractItemView.State.EditingState:
            self.key_action.emit(action)
            return
        super().keyPressEvent(event)


class AgendaEditor(QWidget):
    """The agenda tab: the tree, its buttons and the total planned time."""

    changed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        tr = ctx.tr
        self.meeting_id: MeetingId | None = None
        self.model = AgendaEditModel(tr, self)
        self.model.edit_requested.connect(self._edit)
        self.model.move_requested.connect(self._move)
        self.view = AgendaTree()
        self.view.setObjectName("prepAgendaTree")
        self.view.setAccessibleName(tr("prep_agenda_tree"))
        self.view.setModel(self.model)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.view.setAlternatingRowColors(True)
        self.view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.header().setStretchLastSection(False)
        self.view.setColumnWidth(1, 220)
        self.view.setColumnWidth(2, 110)
        self.view.key_action.connect(self.act)

        self.total = QLabel()
        self.total.setObjectName("prepAgendaTotal")
        self.hint = QLabel(tr("prep_agenda_keys"))
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        buttons = QHBoxLayout()
        # Their keys are handled by the tree itself (Tab nests there).
        self.buttons = action_buttons(
            tr,
            (
                ("add", "prep_agenda_add", "Ins"),
                ("add_sub", "prep_agenda_add_sub", ""),
                ("up", "prep_agenda_up", "Ctrl+Up"),
                ("down", "prep_agenda_down", "Ctrl+Down"),
                ("indent", "prep_agenda_indent", "Tab"),
                ("outdent", "prep_agenda_outdent", "Shift+Tab"),
                ("remove", "prep_agenda_remove", "Del"),
            ),
            self.act,
            buttons,
            bind_shortcuts=False,
        )
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.total)
        layout.addWidget(self.hint)
        QShortcut(QKeySequence("Ctrl+N"), self, lambda: self.act("add"))
        self.confirm: Callable[[str], bool] = self._ask

    def _ask(self, text: str) -> bool:
        answer = QMessageBox.question(self, self._ctx.tr("prep_confirm_title"), text)
        return answer == QMessageBox.StandardButton.Yes

    # -- loading -------------------------------------------------------------------

    def load(self, meeting_id: MeetingId, select: str | None = None, *, edit: bool = False) -> None:
        """Read the meeting's agenda on the worker and show it.

        ``select`` (default: the current item) is selected afterwards, and its
        title opened for editing when ``edit`` is set (a new item).
        """
        self.meeting_id = meeting_id
        keep = select or self.selected_id()

        def op(store: Store) -> list[AgendaItem]:
            return services.agenda(store, meeting_id).items

        def show(items: list[AgendaItem]) -> None:
            self.model.set_items(items)
            self.view.expandAll()
            total = agenda.planned_minutes(items)
            hours, minutes = divmod(total, 60)
            self.total.setText(self._ctx.tr("prep_agenda_total", h=hours, m=minutes, n=total))
            if keep:
                index = self.model.index_of(keep)
                if index.isValid():
                    self.view.setCurrentIndex(index)
                    if edit:
                        self.view.edit(index)

        self._ctx.ops.query(self, op, show)

    def selected_id(self) -> AgendaItemId | None:
        index = self.view.currentIndex()
        value = index.data(ItemIdRole) if index.isValid() else None
        return AgendaItemId(value) if value else None

    # -- actions ---------------------------------------------------------------------

    def act(self, action: str) -> None:
        """Carry out a button or key action on the selected item."""
        if self.meeting_id is None:
            return
        mid = self.meeting_id
        tr = self._ctx.tr
        item_id = self.selected_id()
        if action in ("add", "add_sub"):
            parent = item_id if action == "add_sub" else None
            if action == "add" and item_id is not None:
                current = next((i for i in self.model.items if i.id == item_id), None)
                parent = current.parent_id if current else None
            title = tr("prep_agenda_new_item")
            self._run(lambda s: agenda.add_item(s, mid, title, parent_id=parent).id, edit_new=True)
            return
        if item_id is None:
            return
        if action == "remove":
            item = next((i for i in self.model.items if i.id == item_id), None)
            if item is None or not self.confirm(tr("prep_agenda_confirm_remove", title=item.title)):
                return
            self._run(lambda s: _removed(agenda.remove_item(s, item_id)))
            return
        ops: dict[str, Callable[[Store, AgendaItemId], object]] = {
            "up": agenda.move_up,
            "down": agenda.move_down,
            "indent": agenda.indent,
            "outdent": agenda.outdent,
        }
        if action in ops:
            fn = ops[action]
            self._run(lambda s: (fn(s, item_id), item_id)[1])
            if action in ("up", "down", "indent", "outdent"):
                self.view.setFocus()

    def _edit(self, item_id: str, field: str, value: object) -> None:
        kwargs = {field: value}
        self._run(lambda s: agenda.update_item(s, AgendaItemId(item_id), **kwargs).id)  # type: ignore[arg-type]

    def _move(self, item_id: str, parent_id: str | None, index: int) -> None:
        parent = AgendaItemId(parent_id) if parent_id else None
        self._run(lambda s: (agenda.move_item(s, AgendaItemId(item_id), parent, index), item_id)[1])

    def _run(self, op: Callable[[Store], object], *, edit_new: bool = False) -> None:
        """Run an edit on the worker, then reload (selecting what it returns)."""
        mid = self.meeting_id
        assert mid is not None

        def done(result: object) -> None:
            self.changed.emit()
            select = result if isinstance(result, str) else None
            self.load(mid, select, edit=edit_new and select is not None)

        self._ctx.ops.query(self, op, done)


def _removed(_saved: object) -> None:
    """Return nothing: after a removal there is no item to select."""
