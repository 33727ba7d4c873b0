"""Preview as delegate: pick a participant, see read-only what they will receive.

``meetingroom.preview.preview_as`` applies the server's visibility and
classification rules to the local copy; this tab shows its ``PreviewPack``:
the agenda, the documents they may open, the ones their clearance hides,
their seat, and whether the meeting reaches them today.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from meetingroom import services
from meetingroom.domain import AgendaItemId, MeetingId, Participant, ParticipantId
from meetingroom.prepare import agenda as agenda_ops
from meetingroom.preview import PreviewPack, preview_as
from ui.context import UiContext
from ui.prepare.texts import message_for

HIDDEN = QColor("#8a1c1c")


def _leaf(text: str, *, hidden: bool = False) -> QTreeWidgetItem:
    item = QTreeWidgetItem([text])
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # read-only, not even selectable for editing
    if hidden:
        item.setForeground(0, QBrush(HIDDEN))
    return item


class PreviewPanel(QWidget):
    """The preview tab."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        tr = ctx.tr
        self.meeting_id: MeetingId | None = None
        self.pack: PreviewPack | None = None
        self.who = QComboBox()
        self.who.setObjectName("prepPreviewWho")
        self.who.setAccessibleName(tr("prep_preview_who"))
        self.show_button = QPushButton(tr("prep_preview_show"))
        self.show_button.setAccessibleName(tr("prep_preview_show"))
        self.show_button.clicked.connect(self.preview)
        self.who.activated.connect(lambda _i: self.preview())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("prepPreviewSummary")
        self.tree = QTreeWidget()
        self.tree.setObjectName("prepPreviewTree")
        self.tree.setAccessibleName(tr("prep_preview_tree"))
        self.tree.setHeaderLabels([tr("prep_preview_col")])
        row = QHBoxLayout()
        label = QLabel(tr("prep_preview_who"))
        label.setBuddy(self.who)
        row.addWidget(label)
        row.addWidget(self.who, 1)
        row.addWidget(self.show_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)

    def load(self, meeting_id: MeetingId) -> None:
        """List the meeting's participants to preview as."""
        self.meeting_id = meeting_id
        self._ctx.ops.query(
            self, lambda s: services.participants(s, meeting_id).items, self._show_people
        )

    def _show_people(self, people: list[Participant]) -> None:
        tr = self._ctx.tr
        keep = self.who.currentData()
        self.who.clear()
        for person in people:
            self.who.addItem(
                f"{person.display_name} — {tr.role(person.role)}, "
                f"{tr.classification(person.clearance)}",
                person.id,
            )
        self.who.setCurrentIndex(max(self.who.findData(keep), 0))
        self.show_button.setEnabled(bool(people))
        if people:
            self.preview()

    def preview(self) -> None:
        """Compute (on the worker) and show what the chosen participant will see."""
        pid = self.who.currentData()
        mid = self.meeting_id
        if not pid or mid is None:
            return
        tr = self._ctx.tr

        def failed(error: BaseException) -> None:
            self.tree.clear()
            self.summary.setText(message_for(tr, error))

        self._ctx.ops.query(
            self, lambda s: preview_as(s, mid, ParticipantId(pid)), self.show_pack, failed
        )

    def show_pack(self, pack: PreviewPack) -> None:
        """Show ``pack`` read-only: agenda, documents, hidden documents, seat, participants."""
        tr = self._ctx.tr
        self.pack = pack
        person = pack.participant
        lines = [
            tr(
                "prep_preview_intro",
                who=person.display_name,
                level=tr.classification(pack.clearance),
            )
        ]
        if pack.manager:
            lines.append(tr("prep_preview_manager"))
        if not pack.receives_now:
            lines.append(tr(f"prep_preview_reason_{pack.reason or 'draft'}"))
        if not pack.account_known:
            lines.append(tr("prep_preview_no_account_info"))
        self.summary.setText("\n".join(lines))

        self.tree.clear()
        numbers = agenda_ops.numbering(pack.agenda)
        agenda_branch = _leaf(tr("prep_preview_agenda", n=len(pack.agenda)))
        nodes: dict[AgendaItemId, QTreeWidgetItem] = {}
        for _depth, item in agenda_ops.ordered(pack.agenda):
            node = _leaf(f"{numbers.get(item.id, '')}. {item.title}")
            parent = nodes.get(item.parent_id) if item.parent_id else None
            (parent or agenda_branch).addChild(node)
            nodes[item.id] = node
        current = {v.id: v for v in pack.versions}
        docs_branch = _leaf(tr("prep_preview_documents", n=len(pack.documents)))
        for doc in pack.documents:
            version = current.get(doc.current_version_id) if doc.current_version_id else None
            text = doc.title
            if version is not None:
                text += f" — {tr('prep_docs_version', n=version.number)}"
            text += f" [{tr.classification(doc.classification)}]"
            docs_branch.addChild(_leaf(text))
        hidden_branch = _leaf(tr("prep_preview_hidden", n=len(pack.hidden_documents)), hidden=True)
        for doc in pack.hidden_documents:
            hidden_branch.addChild(
                _leaf(f"{doc.title} [{tr.classification(doc.classification)}]", hidden=True)
            )
        seat = pack.own_seat
        seat_text = (
            tr("prep_preview_seat", label=seat.label) if seat else tr("prep_preview_no_seat")
        )
        people_branch = _leaf(tr("prep_preview_people", n=len(pack.participants)))
        for other in pack.participants:
            people_branch.addChild(_leaf(f"{other.display_name} — {tr.role(other.role)}"))
        for branch in (agenda_branch, docs_branch, hidden_branch):
            self.tree.addTopLevelItem(branch)
        self.tree.addTopLevelItem(_leaf(seat_text))
        self.tree.addTopLevelItem(people_branch)
        self.tree.expandAll()
        people_branch.setExpanded(False)
