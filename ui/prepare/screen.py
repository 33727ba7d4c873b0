"""``PrepareScreen``: the secretary's workspace for one meeting (or a new one).

Tabs: meeting and participants, agenda, documents, seating, preview as
delegate; a header with publish/unpublish/close. ``back`` asks to leave,
``changed`` tells the app the meeting data changed (to refresh its lists).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from meetingroom.domain import Meeting, MeetingId, MeetingStatus
from meetingroom.prepare import meeting as prep
from meetingroom.store import Store
from ui.context import UiContext
from ui.prepare.agenda_editor import AgendaEditor
from ui.prepare.documents_panel import DocumentsPanel
from ui.prepare.meeting_editor import MeetingEditor
from ui.prepare.preview_panel import PreviewPanel
from ui.prepare.seating_editor import SeatingEditor
from ui.prepare.texts import message_for
from ui.screens.conflicts import ConflictsDialog


class PrepareScreen(QWidget):
    """Prepare mode for ``meeting_id`` (None: a new meeting, created on first save)."""

    back = Signal()
    changed = Signal()

    def __init__(self, ctx: UiContext, meeting_id: MeetingId | None) -> None:
        super().__init__()
        self._ctx = ctx
        tr = ctx.tr
        self.setObjectName("prepareScreen")
        self.meeting_id: MeetingId | None = None
        self.meeting: Meeting | None = None

        self.back_button = QPushButton(tr("prep_back"))
        self.back_button.setAccessibleName(tr("prep_back"))
        self.back_button.setShortcut("Alt+Left")
        self.back_button.clicked.connect(self.leave)
        self.heading = QLabel()
        self.heading.setObjectName("prepHeading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.status = QLabel()
        self.status.setObjectName("prepStatus")
        self.publish_button = QPushButton(tr("prep_publish"))
        self.unpublish_button = QPushButton(tr("prep_unpublish"))
        self.close_button = QPushButton(tr("prep_close_meeting"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("prepMessage")
        for button, status in (
            (self.publish_button, MeetingStatus.PUBLISHED),
            (self.unpublish_button, MeetingStatus.DRAFT),
            (self.close_button, MeetingStatus.CLOSED),
        ):
            button.setAccessibleName(button.text())
            button.clicked.connect(lambda _=False, s=status: self.set_status(s))
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addWidget(self.heading, 1)
        header.addWidget(self.status)
        header.addWidget(self.publish_button)
        header.addWidget(self.unpublish_button)
        header.addWidget(self.close_button)

        self.meeting_tab = MeetingEditor(ctx)
        self.agenda_tab = AgendaEditor(ctx)
        self.documents_tab = DocumentsPanel(ctx)
        self.seating_tab = SeatingEditor(ctx)
        self.preview_tab = PreviewPanel(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("prepTabs")
        for widget, key in (
            (self.meeting_tab, "prep_tab_meeting"),
            (self.agenda_tab, "prep_tab_agenda"),
            (self.documents_tab, "prep_tab_documents"),
            (self.seating_tab, "prep_tab_seating"),
            (self.preview_tab, "prep_tab_preview"),
        ):
            index = self.tabs.addTab(widget, tr(key))
            self.tabs.setTabToolTip(index, tr.other(key))
        self.tabs.currentChanged.connect(lambda _i: self._refresh_tab())
        for tab in (self.meeting_tab, self.agenda_tab, self.documents_tab, self.seating_tab):
            tab.changed.connect(self.changed)
        self.meeting_tab.saved.connect(self._saved)

        # Edits that clashed with another secretary's (same field changed on
        # the server) are kept as conflict copies; they are shown, never dropped.
        self.conflicts_label = QLabel()
        self.conflicts_label.setObjectName("prepConflicts")
        self.conflicts_label.setStyleSheet("color: #8a3b00; font-weight: bold;")
        self.conflicts_button = QPushButton(tr("prep_conflicts_review"))
        self.conflicts_button.setAccessibleName(tr("prep_conflicts_review"))
        self.conflicts_button.clicked.connect(self.show_conflicts)
        conflicts = QHBoxLayout()
        conflicts.addWidget(self.conflicts_label, 1)
        conflicts.addWidget(self.conflicts_button)
        self.conflicts_label.setVisible(False)
        self.conflicts_button.setVisible(False)
        self.changed.connect(self.check_conflicts)
        self.dialog: ConflictsDialog | None = None

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(conflicts)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.meeting_tab.load(meeting_id)
        if meeting_id is not None:
            self._open(meeting_id)
        else:
            self.heading.setText(tr("prep_new_meeting"))
            self._enable(False)

    def leave(self) -> None:
        """Save unsaved meeting details, then emit ``back``; stay when they cannot be saved."""
        if not self.meeting_tab.is_dirty():
            self.back.emit()
            return
        self.tabs.setCurrentWidget(self.meeting_tab)
        self.meeting_tab.save(then=self.back.emit)

    def _enable(self, exists: bool) -> None:
        for index in range(1, self.tabs.count()):
            self.tabs.setTabEnabled(index, exists)
        status = self.meeting.status if self.meeting else None
        self.publish_button.setVisible(exists and status != MeetingStatus.PUBLISHED)
        self.unpublish_button.setVisible(exists and status == MeetingStatus.PUBLISHED)
        self.close_button.setVisible(exists and status == MeetingStatus.PUBLISHED)

    def _open(self, meeting_id: MeetingId) -> None:
        self.meeting_id = meeting_id
        self._ctx.ops.query(self, lambda s: s.repos.meetings.get(meeting_id), self._show_meeting)
        self._refresh_tab()
        self.check_conflicts()

    def check_conflicts(self) -> None:
        """Show how many edits wait for a decision after clashing on the server."""
        self._ctx.ops.query(self, lambda s: s.conflicts.count(), self._show_conflicts)

    def _show_conflicts(self, count: int) -> None:
        self.conflicts_label.setText(self._ctx.tr("prep_conflicts", n=count))
        self.conflicts_label.setVisible(count > 0)
        self.conflicts_button.setVisible(count > 0)

    def show_conflicts(self) -> ConflictsDialog:
        """Open the conflicts dialog (window-modal); return it."""
        dialog = ConflictsDialog(self._ctx, self)
        dialog.resolved.connect(self.check_conflicts)
        dialog.resolved.connect(self._refresh_tab)
        dialog.load()
        dialog.open()
        self.dialog = dialog
        return dialog

    def _show_meeting(self, meeting: Meeting) -> None:
        tr = self._ctx.tr
        self.meeting = meeting
        self.heading.setText(meeting.title)
        self.status.setText(tr.status(meeting.status))
        self.publish_button.setText(
            tr("prep_reopen") if meeting.status == MeetingStatus.CLOSED else tr("prep_publish")
        )
        self._enable(True)

    def _saved(self, meeting_id: str) -> None:
        self._open(MeetingId(meeting_id))

    def _refresh_tab(self) -> None:
        """Reload the visible tab (other tabs reload when they are shown)."""
        mid = self.meeting_id
        if mid is None:
            return
        current = self.tabs.currentWidget()
        if current is self.agenda_tab:
            self.agenda_tab.load(mid)
        elif current is self.documents_tab:
            self.documents_tab.load(mid)
        elif current is self.seating_tab:
            self.seating_tab.load(mid)
        elif current is self.preview_tab:
            self.preview_tab.load(mid)

    def set_status(self, status: MeetingStatus) -> None:
        """Publish, unpublish, close or reopen the meeting."""
        mid = self.meeting_id
        if mid is None:
            return
        tr = self._ctx.tr

        def op(store: Store) -> Meeting:
            return prep.set_status(store, mid, status)

        def done(meeting: Meeting) -> None:
            self.message.setText(tr("prep_status_now", status=tr.status(meeting.status)))
            self._show_meeting(meeting)
            self.changed.emit()

        def failed(error: BaseException) -> None:
            self.message.setText(message_for(tr, error))

        self._ctx.ops.query(self, op, done, failed)
