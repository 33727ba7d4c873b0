"""Domain types of the meeting room: frozen dataclasses with typed ids.

Every synced entity carries ``id`` (a UUID made by whoever creates it),
``rev`` (the server's revision, ``None`` until the server has it),
``updated_at`` (UTC, set by whoever changed it last) and ``deleted``
(a tombstone, so deletes sync like any other change).

This module is shared by the client and the server; it imports nothing but
the standard library.
"""

from __future__ import annotations

import dataclasses
import enum
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NewType, Self

MeetingId = NewType("MeetingId", str)
AgendaItemId = NewType("AgendaItemId", str)
DocumentId = NewType("DocumentId", str)
DocumentVersionId = NewType("DocumentVersionId", str)
ParticipantId = NewType("ParticipantId", str)
RoomId = NewType("RoomId", str)
SeatId = NewType("SeatId", str)
AnnotationId = NewType("AnnotationId", str)
NoteId = NewType("NoteId", str)
UserId = NewType("UserId", str)


def new_id() -> str:
    """Return a fresh random UUID as text; callers wrap it in the typed id."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class MeetingStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class Classification(enum.StrEnum):
    """Levels of Vietnamese state-secret law, lowest first.

    A participant's clearance uses the same levels: they may see what is
    classified at or below their clearance.
    """

    NORMAL = "normal"  # thường
    CONFIDENTIAL = "confidential"  # mật
    SECRET = "secret"  # noqa: S105  tối mật
    TOP_SECRET = "top_secret"  # noqa: S105  tuyệt mật

    @property
    def rank(self) -> int:
        """Return 0 for normal up to 3 for top secret."""
        return list(Classification).index(self)

    def allows(self, level: Classification) -> bool:
        """Return True when this clearance may see something at ``level``."""
        return self.rank >= level.rank


class Role(enum.StrEnum):
    SECRETARY = "secretary"
    CHAIR = "chair"
    DELEGATE = "delegate"
    OBSERVER = "observer"


class AnnotationKind(enum.StrEnum):
    HIGHLIGHT = "highlight"
    UNDERLINE = "underline"
    STRIKEOUT = "strikeout"
    INK = "ink"
    NOTE = "note"
    FREETEXT = "freetext"


class Visibility(enum.StrEnum):
    PRIVATE = "private"
    SHARED = "shared"  # shared with the meeting's participants


class _Entity:
    """Behaviour shared by the synced entities (each is a frozen dataclass)."""

    __slots__ = ()

    def touched(self, **changes: object) -> Self:
        """Return a copy with ``changes`` applied and ``updated_at`` set to now."""
        return dataclasses.replace(self, **changes, updated_at=utcnow())  # type: ignore[type-var]

    def tombstoned(self) -> Self:
        """Return a copy marked deleted (the tombstone that sync carries)."""
        return self.touched(deleted=True)


@dataclass(frozen=True, slots=True)
class Meeting(_Entity):
    id: MeetingId
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    status: MeetingStatus = MeetingStatus.DRAFT
    classification: Classification = Classification.NORMAL
    description: str = ""
    rev: int | None = None
    updated_at: datetime = field(default_factory=utcnow)
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class AgendaItem(_Entity):
    """One item of a meeting's agenda; ``parent_id`` nests it under another."""

    id: AgendaItemId
    meeting_id: MeetingId
    position: int
    title: str
    parent_id: AgendaItemId | None = None
    presenter: str = ""
    planned_minutes: int | None = None
    rev: int | None = None
    updated_at: datetime = field(default_factory=utcnow)
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class Document(_Entity):
    """A meeting document; its bytes live in its versions."""

    id: DocumentId
    meeting_id: MeetingId
    title: str
    agenda_item_id: AgendaItemId | None = None
    classification: Classification = Classification.NORMAL
    current_version_id: DocumentVersionId | None = None
    position: int = 0
    rev: int | None = None
    updated_at: datetime = field(default_factory=utcnow)
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class DocumentVersion(_Entity):
    """One immutable upload of a document, identified by its content hash."""

    id: DocumentVersionId
    document_id: DocumentId
    number: int
    sha256: str
    size: int
    page_count: int
    filename: str = ""
    classification: Classification = Classification.NORMAL
    rev: int | None = None
    updated_at: datetime = field(default_factory=utcnow)
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class Participant(_Entity):
    id: ParticipantId
    meeting_id: MeetingId
    display_name: str
    role: Role = Role.DELEGATE
    clearance: Classification = Classification.NORMAL
    user_id: UserId | None = None
    title: str = ""  # position held, e.g. "Phó Chủ tịch UBND tỉnh"
    rev: int | None = None
    updated_at: datetime = field(default_factory=utcnow)
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class Room(_Entity):
    """The room a meeting is held in; its size frames the seating chart."""

    id: RoomId
    meeting_id: MeetingId
    name: str
    width: float = 100.0
    height: float = 60.0
    rev: int | None = None
    updated_at: datetime = field(default_factory=utcnow)
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class Seat(_Entity):
    """A seat placed at (x, y) in its room's coordinates (same units as the room)."""

    id: SeatId
    room_id: RoomId
    label: str
    x: float
    y: float
    participant_id: ParticipantId | None = None
    rev: int | None = None
    updated_at: datetime = field(default_factory=utcnow)
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class Annotation(_Entity):
    """A mark on one page of one document version, in PDF user-space points.

    ``geometry`` depends on ``kind``: for highlight/underline/strikeout it is
    a sequence of rectangles ``(x0, y0, x1, y1)`` covering the marked text;
    for ink, one sequence per stroke of flattened points ``(x0, y0, x1, y1, ...)``;
    for note and freetext, a single rectangle.
    ``page`` counts from 0. ``colour`` is ``#rrggbb``.
    """

    id: AnnotationId
    version_id: DocumentVersionId
    page: int
    kind: AnnotationKind
    geometry: tuple[tuple[float, ...], ...]
    author_id: UserId
    colour: str = "#ffd400"
    text: str = ""
    visibility: Visibility = Visibility.PRIVATE
    rev: int | None = None
    updated_at: datetime = field(default_factory=utcnow)
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class Note(_Entity):
    """A delegate's personal notes for a meeting (private to their author)."""

    id: NoteId
    meeting_id: MeetingId
    author_id: UserId
    text: str
    rev: int | None = None
    updated_at: datetime = field(default_factory=utcnow)
    deleted: bool = False


Entity = (
    Meeting
    | AgendaItem
    | Document
    | DocumentVersion
    | Participant
    | Room
    | Seat
    | Annotation
    | Note
)
