"""The meeting list: today, upcoming, past; search by title; offline state per meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from meetingroom import services
from meetingroom.domain import Meeting, MeetingId
from meetingroom.store import Store
from ui.context import UiContext
from ui.i18n import Translator, fold

TODAY, UPCOMING, PAST = "today", "upcoming", "past"

KindRole = Qt.ItemDataRole.UserRole + 1
MeetingIdRole = Qt.ItemDataRole.UserRole + 2
SectionRole = Qt.ItemDataRole.UserRole + 3


@dataclass(frozen=True)
class MeetingSummary:
    """One meeting of the list with what the list shows about its pack."""

    meeting: Meeting
    documents: int  # documents with a current version
    missing: int  # of those, versions whose bytes are not complete

    @property
    def offline(self) -> bool:
        return self.missing == 0


def load_summaries(store: Store) -> list[MeetingSummary]:
    """Return every meeting with its pack's offline state (runs on the worker)."""
    out = []
    for meeting in services.list_meetings(store).items:
        current = [
            d.current_version_id
            for d in services.documents(store, meeting.id).items
            if d.current_version_id is not None
        ]
        missing = sum(1 for v in current if not store.blobs.is_complete(v))
        out.append(MeetingSummary(meeting, len(current), missing))
    return out


def section_of(meeting: Meeting, today: date) -> str:
    """Return TODAY, UPCOMING or PAST by the meeting's local start date."""
    day = meeting.starts_at.astimezone().date()
    if day == today:
        return TODAY
    return UPCOMING if day > today else PAST


def format_when(meeting: Meeting, tr: Translator) -> str:
    """Return the meeting's local time in ``tr``'s locale, e.g. "08:00–11:30 · 24/11/2026"."""
    from ui.i18n import format_date, format_time

    # The translator's locale, not Qt's process-wide default: the screen speaks
    # the language it was given.
    locale = tr.locale
    start, end = meeting.starts_at, meeting.ends_at
    return f"{format_time(start, locale)}–{format_time(end, locale)} · {format_date(start, locale)}"


class MeetingListModel(QAbstractListModel):
    """Section header rows followed by their meetings, filtered by a title search."""

    def __init__(self, tr: Translator, today: date, parent: Any = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._today = today
        self._summaries: list[MeetingSummary] = []
        self._query = ""
        self._rows: list[tuple[str, str, MeetingSummary | None]] = []  # (kind, section, s)

    # -- feeding -------------------------------------------------------------

    def set_summaries(self, summaries: list[MeetingSummary], today: date | None = None) -> None:
        if today is not None:
            self._today = today
        self._summaries = list(summaries)
        self._rebuild()

    def set_query(self, query: str) -> None:
        self._query = fold(query)
        self._rebuild()

    def clear(self) -> None:
        self.set_summaries([])

    def _rebuild(self) -> None:
        sections: dict[str, list[MeetingSummary]] = {TODAY: [], UPCOMING: [], PAST: []}
        for summary in self._summaries:
            if self._query and self._query not in fold(summary.meeting.title):
                continue
            sections[section_of(summary.meeting, self._today)].append(summary)
        sections[PAST].reverse()  # most recent first
        rows: list[tuple[str, str, MeetingSummary | None]] = []
        for name, items in sections.items():
            if items:
                rows.append(("section", name, None))
                rows.extend(("meeting", name, s) for s in items)
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    # -- reading -------------------------------------------------------------------

    def meeting_rows(self, section: str | None = None) -> list[Meeting]:
        """Return the meetings shown, optionally of one section (for tests and views)."""
        return [
            s.meeting
            for kind, name, s in self._rows
            if s is not None and kind == "meeting" and (section is None or name == section)
        ]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()][0] == "section":
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        kind, section, summary = self._rows[index.row()]
        if role == KindRole:
            return kind
        if role == SectionRole:
            return section
        if summary is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return self._tr(f"section_{section}")
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._tr.other(f"section_{section}")
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                font.setPointSizeF(font.pointSizeF() * 1.15)
                return font
            return None
        meeting = summary.meeting
        if role == Qt.ItemDataRole.DisplayRole:
            place = meeting.location or self._tr("no_place")
            return f"{meeting.title}\n{format_when(meeting, self._tr)} · {place} · {self._pack(summary)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._pack(summary, other=True)
        if role == MeetingIdRole:
            return meeting.id
        return None

    def _pack(self, summary: MeetingSummary, *, other: bool = False) -> str:
        text = self._tr.other if other else self._tr
        if summary.documents == 0:
            return text("pack_empty")
        if summary.offline:
            return text("pack_offline")
        return text("pack_partial", missing=summary.missing, total=summary.documents)


class MeetingListScreen(QWidget):
    """The list of meetings; emits ``open_meeting(id)`` when one is activated."""

    open_meeting = Signal(str)
    new_meeting = Signal()  # Prepare mode on a new meeting (secretaries)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingListScreen")
        self._ctx = ctx
        tr = ctx.tr
        self.model = MeetingListModel(tr, ctx.today(), self)
        title = QLabel(f"<h2>{tr('meetings')}</h2>")
        title.setToolTip(tr.other("meetings"))
        self.search = QLineEdit()
        self.search.setObjectName("meetingSearch")
        self.search.setAccessibleName(tr("search_meetings"))
        self.search.setPlaceholderText(tr("search_meetings"))
        self.search.setToolTip(tr.other("search_meetings"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.model.set_query)
        self.view = QListView()
        self.view.setObjectName("meetingList")
        self.view.setAccessibleName(tr("meetings"))
        self.view.setModel(self.model)
        self.view.setSpacing(3)
        self.view.setUniformItemSizes(False)
        self.view.setAlternatingRowColors(False)
        self.view.activated.connect(self._activated)
        self.view.clicked.connect(self._activated)
        self.empty = QLabel(tr("no_meetings"))
        self.empty.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 8)
        if ctx.can_prepare:
            self.new_button = QPushButton(tr("new_meeting"))
            self.new_button.setObjectName("newMeeting")
            self.new_button.setAccessibleName(tr("new_meeting"))
            self.new_button.setToolTip(tr.other("new_meeting"))
            self.new_button.clicked.connect(self.new_meeting)
            top = QHBoxLayout()
            top.addWidget(title, 1)
            top.addWidget(self.new_button)
            layout.addLayout(top)
        else:
            layout.addWidget(title)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)

    def refresh(self) -> None:
        """Reload the meetings from the store (in the background)."""
        self._ctx.ops.query(self, load_summaries, self._loaded)

    def _loaded(self, summaries: list[MeetingSummary]) -> None:
        self.model.set_summaries(summaries, self._ctx.today())
        self.empty.setVisible(not summaries)

    def _activated(self, index: QModelIndex) -> None:
        meeting_id = index.data(MeetingIdRole)
        if meeting_id:
            self.open_meeting.emit(MeetingId(meeting_id))

    def clear(self) -> None:
        """Forget every meeting shown (on lock)."""
        self.search.clear()
        self.model.clear()
