"""The meeting tab: the meeting's details and its participants, picked from the directory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from meetingroom import services
from meetingroom.directory import DirectoryEntry, list_directory
from meetingroom.domain import (
    Classification,
    Meeting,
    MeetingId,
    Participant,
    ParticipantId,
    Role,
)
from meetingroom.errors import MeetingRoomError
from meetingroom.prepare import meeting as prep
from meetingroom.store import Store
from ui.context import UiContext
from ui.i18n import fold
from ui.prepare.texts import message_for

EntryRole = Qt.ItemDataRole.UserRole + 21


@dataclass
class MeetingForm:
    """What the meeting tab shows, read in one op."""

    meeting: Meeting | None
    participants: list[Participant]
    directory: list[DirectoryEntry]
    directory_error: str = ""


def load_form(store: Store, meeting_id: MeetingId | None) -> MeetingForm:
    """Return the meeting, its participants and the cached directory (runs on the worker)."""
    try:
        directory = list_directory(store)
        error = ""
    except MeetingRoomError as exc:
        directory, error = [], str(exc)
    except Exception:  # the directory's table may not exist in an older profile
        directory, error = [], "directory unavailable"
    if meeting_id is None:
        return MeetingForm(None, [], directory, error)
    people = services.participants(store, meeting_id).items
    return MeetingForm(store.repos.meetings.get(meeting_id), people, directory, error)


def _to_qt(moment: datetime) -> QDateTime:
    local = moment.astimezone()
    return QDateTime(
        QDate(local.year, local.month, local.day), QTime(local.hour, local.minute, local.second)
    )


def _from_qt(value: QDateTime) -> datetime:
    naive: datetime = value.toPython()  # type: ignore[assignment]
    return naive.astimezone().astimezone(UTC)


class MeetingEditor(QWidget):
    """Edits a meeting's fields; ``saved(meeting_id)`` after each successful save."""

    saved = Signal(str)
    changed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        tr = ctx.tr
        self.meeting_id: MeetingId | None = None
        self.form: MeetingForm | None = None

        self.title = QLineEdit()
        self.title.setObjectName("prepTitle")
        self.starts = QDateTimeEdit()
        self.ends = QDateTimeEdit()
        for edit in (self.starts, self.ends):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.location = QLineEdit()
        self.classification = QComboBox()
        for level in Classification:
            self.classification.addItem(tr.classification(level), level)
        self.description = QPlainTextEdit()
        self.description.setMaximumHeight(56)
        self.save_button = QPushButton(tr("prep_save"))
        self.save_button.setObjectName("prepSaveMeeting")
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.setToolTip(f"{tr.other('prep_save')} (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("prepMeetingMessage")

        fields = QGroupBox(tr("prep_meeting_details"))
        form = QFormLayout(fields)
        for key, widget in (
            ("prep_field_title", self.title),
            ("prep_field_starts", self.starts),
            ("prep_field_ends", self.ends),
            ("prep_field_location", self.location),
            ("prep_field_classification", self.classification),
            ("prep_field_description", self.description),
        ):
            widget.setAccessibleName(tr(key))
            widget.setToolTip(tr.other(key))
            label = QLabel(tr(key))
            label.setBuddy(widget)
            form.addRow(label, widget)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.message, 1)
        form.addRow(row)

        # Participants: the directory on the left, the meeting's people on the right.
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(tr("prep_directory_filter"))
        self.filter.setAccessibleName(tr("prep_directory_filter"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.directory = QListWidget()
        self.directory.setObjectName("prepDirectory")
        self.directory.setAccessibleName(tr("prep_directory"))
        self.directory.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.directory.itemDoubleClicked.connect(lambda _item: self.add_selected())
        self.directory_note = QLabel()
        self.directory_note.setWordWrap(True)
        self.add_button = QPushButton(tr("prep_add_participants"))
        self.add_button.setAccessibleName(tr("prep_add_participants"))
        self.add_button.clicked.connect(self.add_selected)
        left = QVBoxLayout()
        left.addWidget(QLabel(tr("prep_directory")))
        left.addWidget(self.filter)
        left.addWidget(self.directory, 1)
        left.addWidget(self.directory_note)
        left.addWidget(self.add_button)

        self.people = QTableWidget(0, 3)
        self.people.setObjectName("prepParticipants")
        self.people.setAccessibleName(tr("prep_participants"))
        self.people.setHorizontalHeaderLabels(
            [tr("prep_col_name"), tr("prep_col_role"), tr("prep_col_clearance")]
        )
        self.people.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.people.setColumnWidth(1, 150)
        self.people.setColumnWidth(2, 190)
        self.people.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.people.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.people.verticalHeader().setVisible(False)
        self.remove_button = QPushButton(tr("prep_remove_participant"))
        self.remove_button.setAccessibleName(tr("prep_remove_participant"))
        self.remove_button.clicked.connect(self.remove_selected)
        right = QVBoxLayout()
        right.addWidget(self.people, 1)
        right.addWidget(self.remove_button)
        people_box = QGroupBox(tr("prep_participants"))
        people_row = QHBoxLayout(people_box)
        people_row.addLayout(left, 2)
        people_row.addLayout(right, 3)
        self.people_box = people_box

        layout = QVBoxLayout(self)
        layout.addWidget(fields)
        layout.addWidget(people_box, 1)

    # -- loading ---------------------------------------------------------------------

    def load(self, meeting_id: MeetingId | None) -> None:
        """Read the meeting (None: a new one) and the directory; show them."""
        self.meeting_id = meeting_id
        self._ctx.ops.query(self, lambda s: load_form(s, meeting_id), self._show)

    def _show(self, form: MeetingForm) -> None:
        self.form = form
        m = form.meeting
        if m is None:
            start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
            self.starts.setDateTime(_to_qt(start))
            self.ends.setDateTime(_to_qt(start + timedelta(hours=2)))
        else:
            self.title.setText(m.title)
            self.starts.setDateTime(_to_qt(m.starts_at))
            self.ends.setDateTime(_to_qt(m.ends_at))
            self.location.setText(m.location)
            self.classification.setCurrentIndex(list(Classification).index(m.classification))
            self.description.setPlainText(m.description)
        self.people_box.setEnabled(m is not None)
        self._show_people(form)

    def _show_people(self, form: MeetingForm) -> None:
        tr = self._ctx.tr
        present = {p.user_id for p in form.participants}
        self.directory.clear()
        for entry in form.directory:
            if entry.user_id in present:
                continue
            text = f"{entry.display_name} — {tr.role(entry.role)}, {tr.classification(entry.clearance)}"
            item = QListWidgetItem(text)
            item.setData(EntryRole, entry)
            self.directory.addItem(item)
        self.directory_note.setText(tr("prep_directory_empty") if not form.directory else "")
        self._filter(self.filter.text())
        self.people.setRowCount(0)
        for person in form.participants:
            row = self.people.rowCount()
            self.people.insertRow(row)
            name = self._cell(person.display_name, person.id)
            self.people.setItem(row, 0, name)
            role = QComboBox()
            role.setAccessibleName(tr("prep_col_role"))
            for r in Role:
                role.addItem(tr.role(r), r)
            role.setCurrentIndex(list(Role).index(person.role))
            role.currentIndexChanged.connect(
                lambda _i, pid=person.id, box=role: self._update(pid, role=box.currentData())
            )
            self.people.setCellWidget(row, 1, role)
            level = QComboBox()
            level.setAccessibleName(tr("prep_col_clearance"))
            for c in Classification:
                level.addItem(tr.classification(c), c)
            level.setCurrentIndex(list(Classification).index(person.clearance))
            level.currentIndexChanged.connect(
                lambda _i, pid=person.id, box=level: self._update(pid, clearance=box.currentData())
            )
            self.people.setCellWidget(row, 2, level)

    def _refresh_people(self, form: MeetingForm) -> None:
        """Show fresh participants without touching fields the user may be editing."""
        self.form = form
        self._show_people(form)

    @staticmethod
    def _cell(text: str, pid: str) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, pid)
        return item

    def _filter(self, text: str) -> None:
        query = fold(text)
        for row in range(self.directory.count()):
            item = self.directory.item(row)
            item.setHidden(bool(query) and query not in fold(item.text()))

    # -- edits -----------------------------------------------------------------------

    def is_dirty(self) -> bool:
        """Return True when the fields say something the saved meeting does not."""
        if self.form is None:
            return False
        m = self.form.meeting
        if m is None:
            return bool(self.title.text().strip())

        def moved(edit: QDateTimeEdit, saved: datetime) -> bool:
            return abs((_from_qt(edit.dateTime()) - saved).total_seconds()) >= 60

        return (
            self.title.text().strip() != m.title
            or self.location.text().strip() != m.location
            or self.classification.currentData() != m.classification
            or self.description.toPlainText() != m.description
            or moved(self.starts, m.starts_at)
            or moved(self.ends, m.ends_at)
        )

    def save(self, then: Callable[[], object] | None = None) -> None:
        """Create or update the meeting from the fields (on the worker); then call ``then``.

        A refused save (empty title, end before start) shows why and does
        not call ``then``.
        """
        tr = self._ctx.tr
        title = self.title.text()
        starts, ends = _from_qt(self.starts.dateTime()), _from_qt(self.ends.dateTime())
        location = self.location.text()
        level = Classification(self.classification.currentData())
        description = self.description.toPlainText()
        mid = self.meeting_id

        def op(store: Store) -> Meeting:
            if mid is None:
                return prep.create_meeting(
                    store,
                    title,
                    starts,
                    ends,
                    location=location,
                    classification=level,
                    description=description,
                )
            return prep.update_meeting(
                store,
                mid,
                title=title,
                starts_at=starts,
                ends_at=ends,
                location=location,
                classification=level,
                description=description,
            )

        def done(meeting: Meeting) -> None:
            self.meeting_id = meeting.id
            if self.form is not None:
                self.form.meeting = meeting
            self.message.setText(tr("prep_saved"))
            self.people_box.setEnabled(True)
            self.saved.emit(meeting.id)
            self.changed.emit()
            if then is not None:
                then()

        def failed(error: BaseException) -> None:
            self.message.setText(message_for(tr, error))

        self._ctx.ops.query(self, op, done, failed)

    def add_selected(self) -> None:
        """Add the directory entries selected on the left as participants."""
        if self.meeting_id is None:
            return
        entries = [i.data(EntryRole) for i in self.directory.selectedItems() if not i.isHidden()]
        if not entries:
            return
        mid = self.meeting_id
        self._run(lambda s: prep.add_participants(s, mid, entries))

    def remove_selected(self) -> None:
        """Remove the selected participant (their seat is freed)."""
        row = self.people.currentRow()
        item = self.people.item(row, 0) if row >= 0 else None
        if item is None:
            return
        pid = ParticipantId(item.data(Qt.ItemDataRole.UserRole))
        self._run(lambda s: prep.remove_participant(s, pid))

    def _update(self, pid: ParticipantId, **changes: object) -> None:
        self._run(lambda s: prep.update_participant(s, pid, **changes))  # type: ignore[arg-type]

    def _run(self, op: object) -> None:
        mid = self.meeting_id

        def done(_result: object) -> None:
            self.changed.emit()
            self._ctx.ops.query(self, lambda s: load_form(s, mid), self._refresh_people)

        self._ctx.ops.query(self, op, done)  # type: ignore[arg-type]
