"""The secretary's workspace end to end, against the real server on each backend.

A secretary prepares a meeting on a laptop without a network (agenda, three
real PDFs, participants from the cached directory, seats), reconnects and
publishes; a delegate on another profile syncs and finds it all. A new
version uploaded late reaches the delegate with their annotations kept on
the old one. Two secretaries edit one agenda at the same time: different
fields merge, the same field is reported as a conflict, nothing is lost.
Everything goes through ``meetingroom.services`` and the ``SyncEngine``, as
the app does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from meetingroom import services
from meetingroom.directory import list_directory
from meetingroom.domain import (
    AgendaItem,
    Annotation,
    AnnotationId,
    AnnotationKind,
    Document,
    DocumentVersion,
    Meeting,
    MeetingStatus,
    Participant,
    ParticipantId,
    Role,
    Room,
    RoomId,
    Seat,
    SeatId,
    UserId,
    new_id,
)
from sync.errors import NetworkError
from tests.server.conftest import LiveServer
from tests.sync._prepare import add_agenda, add_version, attach_pdf, new_meeting, real_pdf
from tests.sync.conftest import Device, User, new_user

MakeDevice = Callable[..., Device]
MiB = 1024 * 1024


@contextmanager
def offline(device: Device) -> Iterator[None]:
    """Cut the device off the network (its server address leads nowhere) for the block."""
    transport = device.engine.transport
    real = transport.base_url
    transport.base_url = "http://127.0.0.1:9"  # the discard port: nothing listens
    try:
        yield
    finally:
        transport.base_url = real


@dataclass
class Prepared:
    meeting: Meeting
    agenda: list[AgendaItem]
    documents: list[tuple[Document, DocumentVersion, bytes]]
    delegate_row: Participant
    room: Room
    seats: list[Seat]


def _prepare_offline(device: Device, delegate: User, secretary: User) -> Prepared:
    """Prepare a whole meeting on ``device`` with no network; return what was made."""
    store = device.store
    with offline(device):
        meeting = new_meeting(store, "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12")
        agenda = add_agenda(
            store,
            meeting,
            ["Khai mạc hội nghị", "Báo cáo kinh tế - xã hội", "Thảo luận và biểu quyết"],
        )
        documents = []
        for i, (title, padding) in enumerate(
            [
                ("Báo cáo tình hình kinh tế - xã hội", int(1.6 * MiB)),
                ("Tờ trình dự toán ngân sách", 200_000),
                ("Dự thảo Nghị quyết", 0),
            ]
        ):
            data = real_pdf(title, pages=3, padding=padding)
            document, version = attach_pdf(
                store, meeting, title, data, agenda_item=agenda[min(i + 1, 2)], position=i
            )
            documents.append((document, version, data))
        # Participants come from the directory cached by the last online sync.
        entries = {e.user_id: e for e in list_directory(store)}
        chosen = entries[UserId(delegate.id)]
        delegate_row = Participant(
            id=ParticipantId(new_id()),
            meeting_id=meeting.id,
            display_name=chosen.display_name,
            role=Role.DELEGATE,
            clearance=chosen.clearance,
            user_id=chosen.user_id,
        )
        secretary_row = Participant(
            id=ParticipantId(new_id()),
            meeting_id=meeting.id,
            display_name=entries[UserId(secretary.id)].display_name,
            role=Role.SECRETARY,
            user_id=UserId(secretary.id),
        )
        services.save(store, delegate_row, secretary_row)
        room = Room(id=RoomId(new_id()), meeting_id=meeting.id, name="Hội trường tầng 3")
        seats = [
            Seat(id=SeatId(new_id()), room_id=room.id, label=f"A{i + 1}", x=10.0 * i, y=5.0)
            for i in range(3)
        ]
        services.save(store, room, *seats)
        # The seat is assigned after the participant was made (held back on push).
        assigned = seats[1].touched(participant_id=delegate_row.id)
        services.save(store, assigned)
        seats[1] = assigned
        pending = store.outbox.count()
        with pytest.raises(NetworkError):
            device.engine.sync()
        assert store.outbox.count() == pending  # nothing lost, all still queued
    return Prepared(meeting, agenda, documents, delegate_row, room, seats)


def _publish(device: Device, meeting: Meeting) -> None:
    current = device.store.repos.meetings.get(meeting.id)
    services.save(device.store, current.touched(status=MeetingStatus.PUBLISHED))
    report = device.engine.sync(("push-uploads", "push", "pull"))
    assert report.rejected == 0, report.errors
    assert device.store.outbox.count() == 0


def _setup(live: LiveServer, make_device: MakeDevice) -> tuple[Device, Device, Prepared]:
    secretary, delegate = new_user(live, "secretary"), new_user(live, "delegate")
    laptop = make_device(secretary.username)
    laptop.engine.sync(("pull",))  # online once: the directory is cached
    prepared = _prepare_offline(laptop, delegate, secretary)
    report = laptop.engine.sync(("push-uploads", "push", "pull"))  # back online
    assert report.uploaded == 3, report.errors
    assert report.rejected == 0, report.errors
    assert report.conflicts == 0
    assert laptop.store.outbox.count() == 0
    _publish(laptop, prepared.meeting)
    return laptop, make_device(delegate.username), prepared


def test_offline_preparation_reaches_a_delegate_after_publishing(
    live: LiveServer, make_device: MakeDevice
) -> None:
    _laptop, delegate, prepared = _setup(live, make_device)

    report = delegate.engine.sync()

    assert report.complete, report.errors
    store = delegate.store
    meeting = store.repos.meetings.get(prepared.meeting.id)
    assert meeting.title == prepared.meeting.title
    assert meeting.status is MeetingStatus.PUBLISHED
    agenda = services.agenda(store, meeting.id).items
    assert [a.title for a in sorted(agenda, key=lambda a: a.position)] == [
        a.title for a in prepared.agenda
    ]
    documents = {d.id: d for d in services.documents(store, meeting.id).items}
    assert set(documents) == {d.id for d, _, _ in prepared.documents}
    for document, version, data in prepared.documents:
        got = documents[document.id]
        assert got.current_version_id == version.id
        assert got.agenda_item_id == document.agenda_item_id
        assert bytes(store.blobs.read_into_buffer(version.id)) == data
    room = services.room(store, meeting.id)
    assert room is not None
    seats = services.seats(store, room.id).items
    mine = [s for s in seats if s.participant_id == prepared.delegate_row.id]
    assert [s.label for s in mine] == ["A2"]
    assert len(seats) == 3


def test_a_late_new_version_reaches_the_delegate_with_old_annotations_kept(
    live: LiveServer, make_device: MakeDevice
) -> None:
    laptop, delegate, prepared = _setup(live, make_device)
    assert delegate.engine.sync().complete
    document, v1, old_bytes = prepared.documents[0]
    author = delegate.store.sync_state.get("user_id")
    assert author is not None
    note = Annotation(
        id=AnnotationId(new_id()),
        version_id=v1.id,
        page=0,
        kind=AnnotationKind.HIGHLIGHT,
        geometry=((72.0, 700.0, 300.0, 714.0),),
        author_id=UserId(author),
        text="Cần làm rõ số liệu",
    )
    services.save(delegate.store, note)
    assert delegate.engine.sync().pushed == 1

    # Late, just before the meeting: the secretary replaces the document.
    new_bytes = real_pdf("Báo cáo (bản sửa đổi)", pages=4, padding=300_000)
    with offline(laptop):
        v2 = add_version(
            laptop.store, laptop.store.repos.documents.get(document.id), new_bytes, number=2
        )
    report = laptop.engine.sync(("push-uploads", "push", "pull"))
    assert report.uploaded == 1, report.errors

    report = delegate.engine.sync()

    assert report.complete, report.errors
    store = delegate.store
    assert store.repos.documents.get(document.id).current_version_id == v2.id
    versions = {v.id: v for v in services.versions(store, document.id).items}
    assert set(versions) == {v1.id, v2.id}
    assert versions[v2.id].number == 2
    assert bytes(store.blobs.read_into_buffer(v2.id)) == new_bytes
    assert bytes(store.blobs.read_into_buffer(v1.id)) == old_bytes
    kept = services.annotations(store, v1.id).items
    assert [(a.id, a.text) for a in kept] == [(note.id, note.text)]
    assert services.annotations(store, v2.id).items == []


def test_unpublishing_purges_the_meeting_from_the_delegate(
    live: LiveServer, make_device: MakeDevice
) -> None:
    laptop, delegate, prepared = _setup(live, make_device)
    assert delegate.engine.sync().complete
    _, version, _ = prepared.documents[0]
    assert delegate.store.blobs.is_complete(version.id)

    current = laptop.store.repos.meetings.get(prepared.meeting.id)
    services.save(laptop.store, current.touched(status=MeetingStatus.DRAFT))
    assert laptop.engine.sync(("push",)).pushed == 1

    report = delegate.engine.sync()

    assert report.purged >= 1
    store = delegate.store
    assert store.repos.meetings.find(prepared.meeting.id, include_deleted=True) is None
    assert services.documents(store, prepared.meeting.id).items == []
    assert not store.blobs.is_complete(version.id)
    assert store.blobs.state(version.id).bytes_stored == 0


def test_two_secretaries_edit_one_agenda_and_nothing_is_lost(
    live: LiveServer, make_device: MakeDevice
) -> None:
    laptop, _delegate, prepared = _setup(live, make_device)
    colleague_user = new_user(live, "secretary")
    # The colleague prepares this meeting too (a secretary participant of it).
    services.save(
        laptop.store,
        Participant(
            id=ParticipantId(new_id()),
            meeting_id=prepared.meeting.id,
            display_name="Thư ký 2",
            role=Role.SECRETARY,
            user_id=UserId(colleague_user.id),
        ),
    )
    laptop.engine.sync(("push",))
    colleague = make_device(colleague_user.username)
    colleague.engine.sync(("pull",))
    first, second, third = prepared.agenda

    # Offline on both laptops at once.
    with offline(laptop), offline(colleague):
        a = laptop.store
        b = colleague.store
        # Different fields of one item: both edits survive.
        services.save(a, a.repos.agenda_items.get(first.id).touched(title="Khai mạc"))
        services.save(b, b.repos.agenda_items.get(first.id).touched(presenter="Đồng chí Bí thư"))
        # The same field of one item: a conflict, never a silent overwrite.
        services.save(a, a.repos.agenda_items.get(second.id).touched(title="Báo cáo (A)"))
        services.save(b, b.repos.agenda_items.get(second.id).touched(title="Báo cáo (B)"))
        # New items on both sides.
        added_a = add_agenda(a, prepared.meeting, ["Bế mạc"])[0]
        added_b = add_agenda(b, prepared.meeting, ["Phát biểu của khách mời"])[0]
        # One removes an item.
        services.delete(a, a.repos.agenda_items.get(third.id))

    report_a = laptop.engine.sync(("push", "pull"))
    assert report_a.conflicts == 0, report_a.errors
    report_b = colleague.engine.sync(("push", "pull"))
    assert report_b.conflicts == 1, report_b.errors
    laptop.engine.sync(("pull",))

    conflicts = colleague.store.conflicts.list()
    assert len(conflicts) == 1
    assert conflicts[0].entity_id == second.id
    assert conflicts[0].fields == ("title",)
    assert conflicts[0].local["title"] == "Báo cáo (B)"  # kept for the user to resolve
    for store in (laptop.store, colleague.store):
        items = {i.id: i for i in services.agenda(store, prepared.meeting.id).items}
        assert items[first.id].title == "Khai mạc"
        assert items[first.id].presenter == "Đồng chí Bí thư"
        assert items[second.id].title == "Báo cáo (A)"
        assert third.id not in items
        assert {added_a.id, added_b.id} <= set(items)
        assert store.outbox.count() == 0
