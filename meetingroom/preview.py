"""Preview as delegate: what one participant's laptop will receive, computed offline.

A secretary checks, before and after publishing, exactly what a given
delegate will see of a meeting. The rules are the server's
(``server/visibility.py``), applied to the secretary's own copy of the
meeting; ``tests/e2e/test_preview.py`` compares the two on a real server so
the rule sets stay equal:

- A meeting reaches someone only when it is ``published`` or ``closed``, not
  deleted, and they have a live participant row in it linked to their
  account (``user_id``). A draft is previewed as it will be once published
  (``receives_now`` says whether it reaches them today).
- Their clearance in the meeting is, over their live participant rows
  there, the highest of (the lower of the row's clearance and their
  account's clearance).
- They see the documents, and the versions of those documents, classified at
  or below that clearance; everything else of the meeting (agenda,
  participants, room, seats); annotations shared with the meeting on the
  versions they see. Notes are private and never part of a pack.
- An account with the secretary role manages the meetings in which it has a
  live participant row with the role ``secretary`` (and those it created,
  which a copy of the meeting does not record: such a secretary, named
  with another role, is previewed by that role's rules) and sees everything
  of them, drafts included.

The account's role and clearance come from the cached user directory
(``meetingroom.directory``); without it the participant row's clearance is
used and ``account_known`` is False.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from meetingroom.directory import DirectoryEntry, list_directory
from meetingroom.domain import (
    AgendaItem,
    Annotation,
    Classification,
    Document,
    DocumentVersion,
    Meeting,
    MeetingId,
    MeetingStatus,
    Participant,
    ParticipantId,
    Role,
    Room,
    Seat,
    Visibility,
)
from meetingroom.errors import NotFound
from meetingroom.store import Store
from meetingroom.store.repository import Readout

E = TypeVar("E")

VISIBLE_STATUSES = (MeetingStatus.PUBLISHED, MeetingStatus.CLOSED)


@dataclass(frozen=True)
class PreviewPack:
    """What one participant receives of one meeting.

    ``receives_now`` is False (with ``reason``: "draft", "deleted",
    "no_account", "removed") when the meeting does not reach them today; the
    lists then show what they will receive once it does. ``hidden_documents``
    and ``hidden_versions`` are the ones their clearance keeps from them.
    """

    meeting: Meeting
    participant: Participant
    clearance: Classification
    manager: bool
    account_known: bool
    receives_now: bool
    reason: str | None
    agenda: list[AgendaItem] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    versions: list[DocumentVersion] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)
    rooms: list[Room] = field(default_factory=list)
    seats: list[Seat] = field(default_factory=list)
    own_seat: Seat | None = None
    annotations: list[Annotation] = field(default_factory=list)
    hidden_documents: list[Document] = field(default_factory=list)
    hidden_versions: list[DocumentVersion] = field(default_factory=list)

    @property
    def room(self) -> Room | None:
        """Return the meeting's room (the first, if there are several), or None."""
        return self.rooms[0] if self.rooms else None

    def ids(self) -> dict[str, set[str]]:
        """Return the ids of what the participant receives, per protocol type."""
        return {
            "meeting": {self.meeting.id},
            "agenda_item": {a.id for a in self.agenda},
            "document": {d.id for d in self.documents},
            "document_version": {v.id for v in self.versions},
            "participant": {p.id for p in self.participants},
            "room": {r.id for r in self.rooms},
            "seat": {s.id for s in self.seats},
            "annotation": {a.id for a in self.annotations},
        }


def _effective_clearance(rows: list[Participant], account: DirectoryEntry | None) -> Classification:
    best = Classification.NORMAL
    for row in rows:
        level = row.clearance
        if account is not None and account.clearance.rank < level.rank:
            level = account.clearance
        if level.rank > best.rank:
            best = level
    return best


def _items(readout: Readout[E]) -> list[E]:
    """Return the records of ``readout``; a damaged one fails the whole preview."""
    if readout.damaged:
        raise readout.damaged[0]
    return list(readout.items)


def preview_as(store: Store, meeting_id: MeetingId, participant_id: ParticipantId) -> PreviewPack:
    """Return what participant ``participant_id`` receives of meeting ``meeting_id``.

    Raises:
        NotFound: no such meeting, or the participant is not one of its rows.
        StoreLocked: the store is locked.
        Tampered: a record of the meeting failed its integrity check.
    """
    repos = store.repos
    meeting = repos.meetings.find(meeting_id, include_deleted=True)
    if meeting is None:
        raise NotFound("meetings", meeting_id)
    participant = repos.participants.find(participant_id, include_deleted=True)
    if participant is None or participant.meeting_id != meeting_id:
        raise NotFound("participants", participant_id)

    participants = _items(repos.participants.list('"meeting_id" = ?', [meeting_id]))
    account: DirectoryEntry | None = None
    if participant.user_id is not None:
        account = next((e for e in list_directory(store) if e.user_id == participant.user_id), None)
    if participant.user_id is None:
        rows = [] if participant.deleted else [participant]
    else:
        rows = [p for p in participants if p.user_id == participant.user_id]
    manager = (
        account is not None
        and account.role is Role.SECRETARY
        and any(p.role is Role.SECRETARY for p in rows)
    )
    clearance = Classification.TOP_SECRET if manager else _effective_clearance(rows, account)

    reason: str | None = None
    if meeting.deleted:
        reason = "deleted"
    elif participant.user_id is None:
        reason = "no_account"
    elif not rows:
        reason = "removed"
    elif meeting.status not in VISIBLE_STATUSES and not manager:
        reason = "draft"

    agenda = sorted(
        _items(repos.agenda_items.list('"meeting_id" = ?', [meeting_id])),
        key=lambda a: (a.position, a.title),
    )
    all_documents = sorted(
        _items(repos.documents.list('"meeting_id" = ?', [meeting_id])),
        key=lambda d: (d.position, d.title),
    )
    documents = [d for d in all_documents if clearance.allows(d.classification)]
    hidden_documents = [d for d in all_documents if not clearance.allows(d.classification)]
    shown = {d.id for d in documents}
    versions: list[DocumentVersion] = []
    hidden_versions: list[DocumentVersion] = []
    for document in all_documents:
        for version in sorted(
            _items(repos.versions.list('"document_id" = ?', [document.id])),
            key=lambda v: v.number,
        ):
            if document.id in shown and clearance.allows(version.classification):
                versions.append(version)
            else:
                hidden_versions.append(version)
    rooms = _items(repos.rooms.list('"meeting_id" = ?', [meeting_id]))
    seats = [s for r in rooms for s in _items(repos.seats.list('"room_id" = ?', [r.id]))]
    own_ids = {p.id for p in rows} or {participant.id}
    own_seat = next((s for s in seats if s.participant_id in own_ids), None)
    annotations = [
        a
        for v in versions
        for a in _items(repos.annotations.list('"version_id" = ?', [v.id]))
        if a.visibility is Visibility.SHARED
    ]
    return PreviewPack(
        meeting=meeting,
        participant=participant,
        clearance=clearance,
        manager=manager,
        account_known=account is not None,
        receives_now=reason is None,
        reason=reason,
        agenda=agenda,
        documents=documents,
        versions=versions,
        participants=participants,
        rooms=rooms,
        seats=seats,
        own_seat=own_seat,
        annotations=annotations,
        hidden_documents=hidden_documents,
        hidden_versions=hidden_versions,
    )
