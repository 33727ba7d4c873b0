"""The sync conflicts: what this computer had, what the server has, "keep server".

A conflict copy (``store.conflicts``) is a local edit that lost to the
server's; the entity already holds the server's state. The dialog lists one
row per differing field; "keep server" forgets the selected conflicts
(``store.conflicts.resolve``). Loading and resolving run on the DB worker.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from meetingroom.store import Store
from sync import remote
from ui.context import UiContext

MAX_SHOWN = 300  # characters of a value shown in a cell


@dataclass(frozen=True)
class ConflictRow:
    """One differing field of one conflict."""

    conflict_id: str
    what: str
    field: str
    local: str
    server: str


def _show(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def load_conflicts(store: Store) -> list[ConflictRow]:
    """Return the rows to show for every unresolved conflict (runs on the DB worker)."""
    rows: list[ConflictRow] = []
    for conflict in store.conflicts.list():
        entity = store.repos.for_table(conflict.entity_table).find(
            conflict.entity_id, include_deleted=True
        )
        server = remote.encode(entity) if entity is not None else {}
        title = server.get("title") or conflict.local.get("title") or conflict.entity_id[:8]
        what = f"{conflict.entity_table}: {title}"
        fields = conflict.fields or tuple(
            k
            for k in conflict.local
            if k not in ("rev", "id") and conflict.local[k] != server.get(k)
        )
        for name in fields or ("—",):
            rows.append(
                ConflictRow(
                    conflict.id,
                    _show(what),
                    name,
                    _show(conflict.local.get(name, "")),
                    _show(server.get(name, "")),
                )
            )
    return rows


class ConflictsDialog(QDialog):
    """Lists the conflicts; emits ``resolved`` after "keep server"."""

    resolved = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsDialog")
        self._ctx = ctx
        tr = ctx.tr
        self.setWindowTitle(tr("conflicts_title"))
        self.resize(900, 420)
        intro = QLabel(tr("conflicts_intro"))
        intro.setToolTip(tr.other("conflicts_intro"))
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("conflictsTable")
        self.table.setAccessibleName(tr("conflicts_title"))
        self.table.setHorizontalHeaderLabels(
            [tr("conflict_what"), tr("conflict_field"), tr("conflict_local"), tr("conflict_server")]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.empty = QLabel(tr("no_conflicts"))
        self.empty.setVisible(False)
        buttons = QDialogButtonBox()
        self.keep_server = QPushButton(tr("keep_server"))
        self.keep_server.setObjectName("keepServer")
        self.keep_server.setAccessibleName(tr("keep_server"))
        self.keep_server.setToolTip(tr.other("keep_server"))
        self.keep_server.clicked.connect(self.keep_selected)
        buttons.addButton(self.keep_server, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(tr("close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAccessibleName(tr("close"))
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.rows: list[ConflictRow] = []

    def load(self) -> None:
        """Read the conflicts in the background and show them."""
        self._ctx.ops.query(self, load_conflicts, self.show_rows)

    def show_rows(self, rows: list[ConflictRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate((row.what, row.field, row.local, row.server)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.empty.setVisible(not rows)
        self.keep_server.setEnabled(bool(rows))
        if rows and not self.table.selectedItems():
            self.table.selectRow(0)

    def keep_selected(self) -> None:
        """Keep the server's version of the selected conflicts (all when none is selected)."""
        picked = {i.row() for i in self.table.selectionModel().selectedRows()}
        ids = sorted(
            {row.conflict_id for i, row in enumerate(self.rows) if i in picked or not picked}
        )

        def resolve(store: Store) -> list[ConflictRow]:
            for conflict_id in ids:
                store.conflicts.resolve(conflict_id)
            return load_conflicts(store)

        self._ctx.ops.query(self, resolve, self._after_resolve)

    def _after_resolve(self, rows: list[ConflictRow]) -> None:
        self.show_rows(rows)
        self.resolved.emit()
