"""The meeting page: header, nested agenda, documents per item, seating chart, notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from meetingroom import services
from meetingroom.domain import (
    AgendaItem,
    AgendaItemId,
    Classification,
    Document,
    DocumentId,
    Meeting,
    MeetingId,
    Note,
    NoteId,
    Participant,
    Room,
    Seat,
    UserId,
    new_id,
)
from meetingroom.store import Store
from ui.context import UiContext
from ui.i18n import Translator
from ui.reader import texts as _reader_texts  # noqa: F401  (the reader's strings used here)
from ui.screens.meetings import format_when
from ui.widgets.agenda_tree import AgendaNode, AgendaTreeModel
from ui.widgets.seating import SeatingChart

AgendaIdRole = Qt.ItemDataRole.UserRole + 1
NOTES_DEBOUNCE_MS = 800


@dataclass(frozen=True)
class DocState:
    """What the badges of one document say."""

    has_version: bool
    offline: bool
    classification: Classification
    new_version: bool  # the user annotated an older version than the current one

    @property
    def confidential(self) -> bool:
        return self.classification.rank > Classification.NORMAL.rank


@dataclass
class MeetingPack:
    """Everything the page shows of one meeting, read in one background op."""

    meeting: Meeting
    agenda: list[AgendaItem]
    documents: list[Document]
    states: dict[DocumentId, DocState]
    participants: list[Participant]
    room: Room | None
    seats: list[Seat]
    note: Note | None
    damaged: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def load_pack(store: Store, meeting_id: MeetingId, user_id: UserId) -> MeetingPack:
    """Return the meeting's pack (runs on the worker). Raises NotFound, StoreLocked."""
    meeting = store.repos.meetings.get(meeting_id)
    agenda = services.agenda(store, meeting_id)
    docs = services.documents(store, meeting_id)
    people = services.participants(store, meeting_id)
    states: dict[DocumentId, DocState] = {}
    for doc in docs.items:
        versions = services.versions(store, doc.id).items
        current = next((v for v in versions if v.id == doc.current_version_id), None)
        annotated_older = current is not None and any(
            v.number < current.number
            and any(a.author_id == user_id for a in services.annotations(store, v.id).items)
            for v in versions
        )
        level = max(
            [doc.classification] + ([current.classification] if current else []),
            key=lambda c: c.rank,
        )
        states[doc.id] = DocState(
            has_version=current is not None,
            offline=current is not None and store.blobs.is_complete(current.id),
            classification=level,
            new_version=annotated_older,
        )
    room = services.room(store, meeting_id)
    seats = services.seats(store, room.id).items if room else []
    notes = services.notes(store, meeting_id, user_id).items
    damaged = len(agenda.damaged) + len(docs.damaged) + len(people.damaged)
    return MeetingPack(
        meeting,
        agenda.items,
        docs.items,
        states,
        people.items,
        room,
        seats,
        notes[0] if notes else None,
        damaged,
    )


class AgendaModel(AgendaTreeModel):
    """The agenda as a tree: ``parent_id`` nests, ``position`` orders siblings."""

    COLUMNS = ("agenda_title", "presenter", "minutes")

    def set_items(self, items: list[AgendaItem]) -> None:
        by_parent: dict[AgendaItemId | None, list[AgendaItem]] = {}
        known = {i.id for i in items}
        for item in items:
            # An item whose parent is gone (deleted, not visible) is shown at the top.
            key = item.parent_id if item.parent_id in known else None
            by_parent.setdefault(key, []).append(item)

        def build(node: AgendaNode, seen: set[str]) -> None:
            key = node.item.id if node.item else None
            children = sorted(by_parent.get(key, []), key=lambda i: (i.position, i.title))
            for n, child in enumerate(children, 1):
                if child.id in seen:  # a cycle in damaged data: stop there
                    continue
                number = f"{node.number}.{n}" if node.number else str(n)
                sub = AgendaNode(child, node, number)
                node.children.append(sub)
                build(sub, seen | {child.id})

        self.beginResetModel()
        self._root = AgendaNode(None, None, "")
        build(self._root, set())
        self.endResetModel()

    def clear(self) -> None:
        self.set_items([])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        item = node.item
        assert item is not None
        if role == AgendaIdRole:
            return item.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return f"{node.number}. {item.title}"
            if column == 1:
                return item.presenter
            if item.planned_minutes:
                return self._tr("minutes_value", n=item.planned_minutes)
            return ""
        return None


def badges(state: DocState | None, tr: Translator) -> list[str]:
    """Return the badge texts of a document, in the order shown."""
    if state is None:
        return []
    out = []
    if not state.has_version:
        out.append(tr("badge_no_version"))
    elif state.offline:
        out.append(tr("badge_offline"))
    else:
        out.append(tr("badge_missing"))
    if state.confidential:
        out.append(tr("badge_confidential", level=tr.classification(state.classification)))
    if state.new_version:
        out.append(tr("badge_new_version"))
    return out


class NotesEditor(QWidget):
    """Personal notes that save themselves a moment after typing stops."""

    saved = Signal()

    def __init__(self, ctx: UiContext, meeting_id: MeetingId, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self._meeting_id = meeting_id
        self._note: Note | None = None
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("notesEditor")
        self.editor.setAccessibleName(ctx.tr("notes"))
        self.editor.setPlaceholderText(ctx.tr("notes_placeholder"))
        self.editor.setToolTip(ctx.tr.other("notes_placeholder"))
        self.state = QLabel()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(NOTES_DEBOUNCE_MS)
        self.timer.timeout.connect(self.flush)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.state)
        self._loading = False
        self.editor.textChanged.connect(self._changed)

    def show_note(self, note: Note | None) -> None:
        self._note = note
        self._loading = True
        self.editor.setPlainText(note.text if note else "")
        self._loading = False

    def _changed(self) -> None:
        if self._loading:
            return
        self.state.setText(self._ctx.tr("notes_saving"))
        self.timer.start()

    def flush(self) -> None:
        """Save the text now if it changed (also called before a lock)."""
        self.timer.stop()
        text = self.editor.toPlainText()
        if self._note is not None and self._note.text == text:
            return
        if self._note is None:
            if not text:
                return
            note = Note(NoteId(new_id()), self._meeting_id, self._ctx.user_id, text)
        else:
            note = self._note.touched(text=text)
        self._note = note  # the next edit builds on this one, saved or in flight
        self._ctx.ops.query(self, lambda store: services.save(store, note), self._saved)

    def _saved(self, _changes: services.Changes) -> None:
        self.state.setText(self._ctx.tr("notes_saved"))
        self.saved.emit()


class MeetingPage(QWidget):
    """One meeting. ``back`` returns to the list; ``changed`` after a local save."""

    back = Signal()
    changed = Signal()
    open_document = Signal(str)  # the version id to open (double-click or Enter on a document)
    prepare = Signal()  # Prepare mode on this meeting (secretaries)

    def __init__(self, ctx: UiContext, meeting_id: MeetingId, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("meetingPage")
        self._ctx = ctx
        tr = ctx.tr
        self.meeting_id = meeting_id
        self.pack: MeetingPack | None = None

        back = QPushButton(tr("back"))
        back.setAccessibleName(tr("back"))
        back.setToolTip(tr.other("back"))
        back.clicked.connect(self.back)
        self.title = QLabel()
        self.title.setObjectName("meetingTitle")
        self.title.setWordWrap(True)
        self.details = QLabel()
        self.details.setObjectName("meetingDetails")
        self.details.setWordWrap(True)
        header = QVBoxLayout()
        top = QHBoxLayout()
        top.addWidget(back)
        top.addStretch(1)
        if ctx.can_prepare:
            prepare = QPushButton(tr("prepare_meeting"))
            prepare.setObjectName("prepareMeeting")
            prepare.setAccessibleName(tr("prepare_meeting"))
            prepare.setToolTip(tr.other("prepare_meeting"))
            prepare.clicked.connect(self.prepare)
            top.addWidget(prepare)
        header.addLayout(top)
        header.addWidget(self.title)
        header.addWidget(self.details)

        self.agenda_model = AgendaModel(tr, self)
        self.agenda = QTreeView()
        self.agenda.setObjectName("agendaTree")
        self.agenda.setAccessibleName(tr("agenda"))
        self.agenda.setModel(self.agenda_model)
        self.agenda.setAlternatingRowColors(True)
        self.agenda.setWordWrap(True)
        head = self.agenda.header()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.agenda.selectionModel().currentChanged.connect(self._item_selected)

        self.documents_label = QLabel()
        self.documents = QListWidget()
        self.documents.setObjectName("documentList")
        self.documents.setAccessibleName(tr("documents"))
        self.documents.itemActivated.connect(self._document_activated)
        left = QSplitter(Qt.Orientation.Vertical)
        agenda_box = QWidget()
        agenda_layout = QVBoxLayout(agenda_box)
        agenda_layout.setContentsMargins(0, 0, 0, 0)
        agenda_title = QLabel(f"<b>{tr('agenda')}</b>")
        agenda_title.setToolTip(tr.other("agenda"))
        agenda_layout.addWidget(agenda_title)
        agenda_layout.addWidget(self.agenda)
        docs_box = QWidget()
        docs_layout = QVBoxLayout(docs_box)
        docs_layout.setContentsMargins(0, 0, 0, 0)
        docs_layout.addWidget(self.documents_label)
        docs_layout.addWidget(self.documents)
        left.addWidget(agenda_box)
        left.addWidget(docs_box)
        left.setSizes([340, 220])

        self.seating = SeatingChart(tr, ctx.user_id)
        self.notes = NotesEditor(ctx, meeting_id)
        self.notes.saved.connect(self.changed)
        self.participants = QListWidget()
        self.participants.setObjectName("participantList")
        self.participants.setAccessibleName(tr("participants"))
        tabs = QTabWidget()
        tabs.setObjectName("meetingTabs")
        tabs.addTab(self.seating, tr("seating"))
        tabs.addTab(self.notes, tr("notes"))
        tabs.addTab(self.participants, tr("participants"))
        for i, key in enumerate(("seating", "notes", "participants")):
            tabs.setTabToolTip(i, tr.other(key))
        self.tabs = tabs

        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(left)
        body.addWidget(tabs)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.addLayout(header)
        layout.addWidget(body, 1)

    def load(self) -> None:
        """Read the meeting's pack in the background and show it."""
        meeting_id, user_id = self.meeting_id, self._ctx.user_id
        self._ctx.ops.query(
            self, lambda store: load_pack(store, meeting_id, user_id), self.show_pack
        )

    def show_pack(self, pack: MeetingPack) -> None:
        tr = self._ctx.tr
        self.pack = pack
        meeting = pack.meeting
        self.title.setText(f"<h2>{_escape(meeting.title)}</h2>")
        room = pack.room.name if pack.room else ""
        place = " — ".join(p for p in (room, meeting.location) if p) or tr("no_place")
        self.details.setText(
            f"{format_when(meeting, tr)} · {_escape(place)} · {tr.status(meeting.status)} · "
            f"{tr.classification(meeting.classification)}"
        )
        self.agenda_model.set_items(pack.agenda)
        self.agenda.expandAll()
        self.seating.show_room(pack.room, pack.seats, pack.participants)
        self.notes.show_note(pack.note)
        self.participants.clear()
        for person in pack.participants:
            line = f"{person.display_name} — {tr.role(person.role)}"
            self.participants.addItem(f"{line}\n{person.title}" if person.title else line)
        self._show_documents(None)

    def _item_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_documents(current.data(AgendaIdRole) if current.isValid() else None)

    def select_item(self, item_id: AgendaItemId) -> None:
        """Select an agenda item by id (its documents are then shown)."""
        matches = self.agenda_model.match(
            self.agenda_model.index(0, 0),
            AgendaIdRole,
            item_id,
            1,
            Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly,
        )
        if matches:
            self.agenda.setCurrentIndex(matches[0])

    def _show_documents(self, item_id: str | None) -> None:
        tr = self._ctx.tr
        self.documents.clear()
        if self.pack is None:
            return
        if item_id is None:
            self.documents_label.setText(f"<b>{tr('documents_all')}</b>")
            docs = self.pack.documents
        else:
            item = next((i for i in self.pack.agenda if i.id == item_id), None)
            name = item.title if item else ""
            self.documents_label.setText(f"<b>{_escape(tr('documents_of_item', item=name))}</b>")
            docs = [d for d in self.pack.documents if d.agenda_item_id == item_id]
        for doc in sorted(docs, key=lambda d: (d.position, d.title)):
            marks = badges(self.pack.states.get(doc.id), tr)
            entry = QListWidgetItem(f"{doc.title}\n    " + "  ·  ".join(marks))
            entry.setData(Qt.ItemDataRole.UserRole, doc.id)
            state = self.pack.states.get(doc.id)
            if state is not None and state.new_version:
                entry.setToolTip(tr("reader_older_badge_tip"))
            self.documents.addItem(entry)
        if not docs:
            self.documents.addItem(tr("no_documents"))

    def _document_activated(self, entry: QListWidgetItem) -> None:
        """Ask to open the document's current version (no version: nothing to open)."""
        doc_id = entry.data(Qt.ItemDataRole.UserRole)
        doc = next((d for d in self.pack.documents if d.id == doc_id), None) if self.pack else None
        if doc is None:
            return
        if doc.current_version_id is None:
            bar = self._ctx.ops.reporter.status_bar
            if bar is not None:
                bar.showMessage(self._ctx.tr("reader_document_no_version"), 8000)
            return
        self.open_document.emit(doc.current_version_id)

    def document_badges(self) -> dict[str, list[str]]:
        """Return {document title: badges} of the documents shown (for tests)."""
        if self.pack is None:
            return {}
        return {
            d.title: badges(self.pack.states.get(d.id), self._ctx.tr) for d in self.pack.documents
        }

    def flush(self) -> None:
        """Save pending edits now (before a lock)."""
        self.notes.flush()

    def clear(self) -> None:
        """Remove every trace of the meeting from the widgets (on lock)."""
        self.notes.timer.stop()
        self.pack = None
        self.title.clear()
        self.details.clear()
        self.agenda_model.clear()
        self.documents.clear()
        self.documents_label.clear()
        self.participants.clear()
        self.seating.clear()
        self.notes.show_note(None)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
