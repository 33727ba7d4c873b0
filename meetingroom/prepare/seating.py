"""The seating chart editor's operations: room templates, seats, who sits where.

Positions are in room units (the room is ``width`` x ``height`` of them;
about ten units to a metre). A participant has at most one seat.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence

from meetingroom import services
from meetingroom.domain import (
    MeetingId,
    Participant,
    ParticipantId,
    Room,
    RoomId,
    Seat,
    SeatId,
    new_id,
)
from meetingroom.errors import InvalidMeeting
from meetingroom.store import Store

SPACING = 12.0  # between neighbouring seats (room for a name under each)
MARGIN = 12.0  # from the walls


class Template(enum.StrEnum):
    ROWS = "rows"  # a head table facing rows of seats, with a centre aisle
    U_SHAPE = "u_shape"  # a U of tables, the chair at the closed end
    BOARDROOM = "boardroom"  # one long table, the chair at its head
    GRID = "grid"  # rows x columns


def layout(
    template: Template, seats: int, rows: int = 0, cols: int = 0
) -> tuple[float, float, list[tuple[float, float]]]:
    """Return (room width, room height, seat positions) for a template.

    ``seats`` is the number of seats for rows, U-shape and boardroom;
    ``rows`` x ``cols`` the size of a grid. Seat order: the chair's seat first.

    Raises InvalidMeeting for fewer than one seat or more than 500.
    """
    count = rows * cols if template is Template.GRID else seats
    if count < 1 or count > 500:
        raise InvalidMeeting("a room template needs between 1 and 500 seats")
    if template is Template.GRID:
        spots = [
            (MARGIN + c * SPACING, MARGIN + r * SPACING) for r in range(rows) for c in range(cols)
        ]
    elif template is Template.ROWS:
        spots = _rows(count)
    elif template is Template.U_SHAPE:
        spots = _u_shape(count)
    else:
        spots = _boardroom(count)
    width = max(x for x, _ in spots) + MARGIN
    height = max(y for _, y in spots) + MARGIN
    return max(width, 2 * MARGIN), max(height, 2 * MARGIN), spots


def _rows(count: int) -> list[tuple[float, float]]:
    head = min(5, max(1, count // 6)) if count > 3 else 1
    rest = count - head
    per_row = max(1, min(12, math.ceil(math.sqrt(rest * 2)))) if rest else 1
    half = math.ceil(per_row / 2)
    aisle = SPACING  # an extra gap in the middle of each row
    row_width = (per_row - 1) * SPACING + (aisle if per_row > 1 else 0)
    centre = MARGIN + row_width / 2
    spots = [(centre + (i - (head - 1) / 2) * SPACING, MARGIN) for i in range(head)]
    for n in range(rest):
        r, c = divmod(n, per_row)
        x = MARGIN + c * SPACING + (aisle if c >= half else 0)
        spots.append((x, MARGIN + 2 * SPACING + r * SPACING))
    return _centre(spots)


def _u_shape(count: int) -> list[tuple[float, float]]:
    top = max(1, min(count, math.ceil(count / 3)))
    arms = count - top
    left = math.ceil(arms / 2)
    width = (top + 1) * SPACING
    spots = [(MARGIN + SPACING + i * SPACING, MARGIN) for i in range(top)]
    spots = _chair_first(spots)
    for n in range(arms):
        side, depth = (0, n) if n < left else (1, n - left)
        x = MARGIN if side == 0 else MARGIN + width
        spots.append((x, MARGIN + SPACING + depth * SPACING))
    return spots


def _boardroom(count: int) -> list[tuple[float, float]]:
    side = max(0, count - 1)
    per_side = math.ceil(side / 2)
    spots = [(MARGIN, MARGIN + SPACING)]  # the head of the table
    for n in range(side):
        r, c = divmod(n, per_side) if per_side else (0, 0)
        spots.append((MARGIN + SPACING + c * SPACING, MARGIN + r * 2 * SPACING))
    return spots


def _chair_first(spots: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Reorder a row so the middle seat comes first, then outwards (chair, deputies...)."""
    middle = (len(spots) - 1) / 2
    return sorted(spots, key=lambda s: (abs(spots.index(s) - middle), spots.index(s)))


def _centre(spots: list[tuple[float, float]]) -> list[tuple[float, float]]:
    low = min(x for x, _ in spots)
    return [(x - low + MARGIN, y) for x, y in spots]


def apply_template(
    store: Store,
    meeting_id: MeetingId,
    template: Template,
    *,
    seats: int = 0,
    rows: int = 0,
    cols: int = 0,
    room_name: str | None = None,
) -> tuple[Room, list[Seat]]:
    """Lay the meeting's room out from a template; return the room and its new seats.

    Replaces every existing seat (their assignments go with them); keeps the
    room record (its name defaults to the meeting's location). Seats are
    labelled 01, 02, ... in template order, the chair's seat first.

    Raises InvalidMeeting (seat count), NotFound, and as ``services.save``.
    """
    meeting = store.repos.meetings.get(meeting_id)
    width, height, spots = layout(template, seats, rows, cols)
    room = services.room(store, meeting_id)
    old: list[Seat] = []
    name = room_name if room_name is not None else (room.name if room else meeting.location)
    if room is None:
        room = Room(RoomId(new_id()), meeting_id, name, width=width, height=height)
    else:
        old = services.seats(store, room.id).items
        room = room.touched(name=name, width=width, height=height)
    digits = max(2, len(str(len(spots))))
    new = [
        Seat(SeatId(new_id()), room.id, f"{n:0{digits}d}", x, y)
        for n, (x, y) in enumerate(spots, start=1)
    ]
    services.save(store, room, *(s.tombstoned() for s in old), *new)
    return room, new


def _clamp(room: Room, x: float, y: float) -> tuple[float, float]:
    return min(max(x, 0.0), room.width), min(max(y, 0.0), room.height)


def next_label(seats: Sequence[Seat]) -> str:
    """Return a label not used yet: one more than the highest numeric label."""
    numbers = [int(s.label) for s in seats if s.label.isdigit()]
    return f"{max(numbers, default=0) + 1:02d}"


def add_seat(store: Store, room_id: RoomId, x: float, y: float, label: str = "") -> Seat:
    """Add a seat at (x, y), clamped to the room; return it. Raises NotFound, as ``save``."""
    room = store.repos.rooms.get(room_id)
    existing = services.seats(store, room_id).items
    x, y = _clamp(room, x, y)
    seat = Seat(SeatId(new_id()), room_id, label.strip() or next_label(existing), x, y)
    services.save(store, seat)
    return seat


def move_seat(store: Store, seat_id: SeatId, x: float, y: float) -> Seat:
    """Move a seat to (x, y), clamped to the room; return it."""
    seat = store.repos.seats.get(seat_id)
    room = store.repos.rooms.get(seat.room_id)
    x, y = _clamp(room, x, y)
    if (seat.x, seat.y) == (x, y):
        return seat
    moved = seat.touched(x=x, y=y)
    services.save(store, moved)
    return moved


def relabel_seat(store: Store, seat_id: SeatId, label: str) -> Seat:
    """Give a seat a new label; return it. Raises InvalidMeeting for an empty label."""
    if not label.strip():
        raise InvalidMeeting("a seat needs a label")
    seat = store.repos.seats.get(seat_id)
    if seat.label == label.strip():
        return seat
    updated = seat.touched(label=label.strip())
    services.save(store, updated)
    return updated


def remove_seat(store: Store, seat_id: SeatId) -> None:
    """Remove a seat (its occupant becomes unseated)."""
    services.delete(store, store.repos.seats.get(seat_id))


def assign(store: Store, seat_id: SeatId, participant_id: ParticipantId | None) -> list[Seat]:
    """Seat a participant (None: empty the seat); return the saved seats.

    A participant already seated elsewhere in the room leaves that seat, in
    the same transaction. Whoever sat here before becomes unseated.
    Raises NotFound (seat or participant), and as ``services.save``.
    """
    seat = store.repos.seats.get(seat_id)
    if participant_id is not None:
        store.repos.participants.get(participant_id)
    if seat.participant_id == participant_id:
        return []
    saved = [seat.touched(participant_id=participant_id)]
    if participant_id is not None:
        saved += [
            s.touched(participant_id=None)
            for s in services.seats(store, seat.room_id).items
            if s.participant_id == participant_id and s.id != seat_id
        ]
    services.save(store, *saved)
    return saved


def unseated(participants: Sequence[Participant], seats: Sequence[Seat]) -> list[Participant]:
    """Return the participants without a seat, in the order given."""
    seated = {s.participant_id for s in seats if s.participant_id is not None}
    return [p for p in participants if p.id not in seated]
