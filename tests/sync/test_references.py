"""Offline edits that point at entities made later still reach the server whole.

The outbox keeps one entry per entity in the order of its first change, so a
seat made before its participant, or an agenda item moved under an item made
after it, would be pushed before its target exists. The engine holds such a
reference back and sends it once the target is on the server.
"""

from __future__ import annotations

from collections.abc import Callable

from meetingroom import services
from meetingroom.domain import (
    AgendaItem,
    AgendaItemId,
    Participant,
    ParticipantId,
    Room,
    RoomId,
    Seat,
    SeatId,
    new_id,
)
from tests.server.conftest import LiveServer
from tests.sync._prepare import add_agenda, new_meeting
from tests.sync.conftest import Device, new_user

MakeDevice = Callable[..., Device]


def test_references_to_later_entities_are_sent_once_their_targets_exist(
    live: LiveServer, make_device: MakeDevice
) -> None:
    secretary = new_user(live, "secretary")
    device = make_device(secretary.username)
    store = device.store
    meeting = new_meeting(store)
    room = Room(id=RoomId(new_id()), meeting_id=meeting.id, name="Phòng 2")
    seat = Seat(id=SeatId(new_id()), room_id=room.id, label="B1", x=1.0, y=1.0)
    services.save(store, room, seat)
    (child,) = add_agenda(store, meeting, ["Nội dung con"])
    # Made later than the seat and the item that point at them:
    person = Participant(
        id=ParticipantId(new_id()), meeting_id=meeting.id, display_name="Đại biểu khách mời"
    )
    parent = AgendaItem(
        id=AgendaItemId(new_id()), meeting_id=meeting.id, position=0, title="Nội dung cha"
    )
    services.save(store, person, parent)
    services.save(store, store.repos.seats.get(seat.id).touched(participant_id=person.id))
    services.save(store, store.repos.agenda_items.get(child.id).touched(parent_id=parent.id))

    report = device.engine.sync(("push-uploads", "push"))

    assert report.rejected == 0, report.errors
    assert report.conflicts == 0
    assert store.outbox.count() == 0
    assert store.conflicts.count() == 0
    changes, _, _ = secretary.api.pull_all()
    server = {c["entity"]["id"]: c["entity"] for c in changes}
    assert server[seat.id]["participant_id"] == person.id
    assert server[child.id]["parent_id"] == parent.id
    assert store.repos.seats.get(seat.id).participant_id == person.id
    assert store.repos.agenda_items.get(child.id).parent_id == parent.id
    assert store.repos.seats.get(seat.id).rev == server[seat.id]["rev"]
