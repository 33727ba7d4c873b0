"""Creating and editing a meeting, its status and its participants.

Each function is one ordinary store edit (``services.save``: the entities and
their outbox entries in one transaction). Only the fields that really change
are touched, so two secretaries editing different fields merge on the server.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from meetingroom import services
from meetingroom.domain import (
    Classification,
    Meeting,
    MeetingId,
    MeetingStatus,
    Participant,
    ParticipantId,
    Role,
    UserId,
    new_id,
)
from meetingroom.errors import InvalidMeeting, InvalidStatusChange
from meetingroom.store import Store

#: Status changes a secretary may make: publish, unpublish, close, reopen.
TRANSITIONS: dict[MeetingStatus, frozenset[MeetingStatus]] = {
    MeetingStatus.DRAFT: frozenset({MeetingStatus.PUBLISHED}),
    MeetingStatus.PUBLISHED: frozenset({MeetingStatus.DRAFT, MeetingStatus.CLOSED}),
    MeetingStatus.CLOSED: frozenset({MeetingStatus.PUBLISHED}),
}


class Person(Protocol):
    """What a participant is made from: a directory entry (``meetingroom.directory``)."""

    @property
    def user_id(self) -> UserId: ...

    @property
    def display_name(self) -> str: ...

    @property
    def role(self) -> Role: ...

    @property
    def clearance(self) -> Classification: ...


def _validate(title: str, starts_at: datetime, ends_at: datetime) -> None:
    if not title.strip():
        raise InvalidMeeting("the title is empty")
    if ends_at <= starts_at:
        raise InvalidMeeting("the meeting must end after it starts")


def create_meeting(
    store: Store,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    *,
    location: str = "",
    classification: Classification = Classification.NORMAL,
    description: str = "",
) -> Meeting:
    """Create a draft meeting and return it.

    Raises:
        InvalidMeeting: empty title, or the end is not after the start.
        StoreLocked, DiskFull, ReadOnlyStore: as ``services.save``.
    """
    _validate(title, starts_at, ends_at)
    meeting = Meeting(
        MeetingId(new_id()),
        title.strip(),
        starts_at,
        ends_at,
        location=location.strip(),
        classification=classification,
        description=description,
    )
    services.save(store, meeting)
    return meeting


def update_meeting(
    store: Store,
    meeting_id: MeetingId,
    *,
    title: str | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    location: str | None = None,
    classification: Classification | None = None,
    description: str | None = None,
) -> Meeting:
    """Change the given fields of a meeting; return it (unchanged if nothing differs).

    Raises:
        NotFound: no such meeting.
        InvalidMeeting: the result would have an empty title or end before it starts.
        StoreLocked, DiskFull, ReadOnlyStore: as ``services.save``.
    """
    meeting = store.repos.meetings.get(meeting_id)
    wanted: dict[str, object] = {
        "title": None if title is None else title.strip(),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "location": None if location is None else location.strip(),
        "classification": classification,
        "description": description,
    }
    changes = {
        name: value
        for name, value in wanted.items()
        if value is not None and getattr(meeting, name) != value
    }
    if not changes:
        return meeting
    updated = meeting.touched(**changes)
    _validate(updated.title, updated.starts_at, updated.ends_at)
    services.save(store, updated)
    return updated


def set_status(store: Store, meeting_id: MeetingId, status: MeetingStatus) -> Meeting:
    """Move a meeting to ``status`` (publish, unpublish, close, reopen); return it.

    Raises:
        NotFound: no such meeting.
        InvalidStatusChange: ``TRANSITIONS`` does not allow it.
        StoreLocked, DiskFull, ReadOnlyStore: as ``services.save``.
    """
    meeting = store.repos.meetings.get(meeting_id)
    if meeting.status == status:
        return meeting
    if status not in TRANSITIONS[meeting.status]:
        raise InvalidStatusChange(meeting.status.value, status.value)
    updated = meeting.touched(status=status)
    services.save(store, updated)
    return updated


def add_participants(
    store: Store, meeting_id: MeetingId, people: Iterable[Person]
) -> list[Participant]:
    """Add directory users to the meeting with their role and clearance; return the new ones.

    A user who already takes part is skipped (not added twice).

    Raises:
        NotFound: no such meeting.
        StoreLocked, DiskFull, ReadOnlyStore: as ``services.save``.
    """
    store.repos.meetings.get(meeting_id)
    present = {p.user_id for p in services.participants(store, meeting_id).items}
    added: list[Participant] = []
    for person in people:
        if person.user_id in present:
            continue
        present.add(person.user_id)
        added.append(
            Participant(
                ParticipantId(new_id()),
                meeting_id,
                person.display_name,
                role=person.role,
                clearance=person.clearance,
                user_id=person.user_id,
            )
        )
    if added:
        services.save(store, *added)
    return added


def update_participant(
    store: Store,
    participant_id: ParticipantId,
    *,
    role: Role | None = None,
    clearance: Classification | None = None,
    title: str | None = None,
) -> Participant:
    """Change a participant's role, clearance or position title; return them.

    Raises NotFound, and as ``services.save``.
    """
    person = store.repos.participants.get(participant_id)
    wanted: dict[str, object] = {"role": role, "clearance": clearance, "title": title}
    changes = {k: v for k, v in wanted.items() if v is not None and getattr(person, k) != v}
    if not changes:
        return person
    updated = person.touched(**changes)
    services.save(store, updated)
    return updated


def remove_participant(store: Store, participant_id: ParticipantId) -> None:
    """Remove a participant from the meeting and free their seat, in one transaction.

    Raises NotFound, and as ``services.save``.
    """
    person = store.repos.participants.get(participant_id)
    room = services.room(store, person.meeting_id)
    freed = []
    if room is not None:
        freed = [
            s.touched(participant_id=None)
            for s in services.seats(store, room.id).items
            if s.participant_id == participant_id
        ]
    services.save(store, person.tombstoned(), *freed)
