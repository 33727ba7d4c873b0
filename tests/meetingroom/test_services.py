"""The services the app and sync call: edits with their outbox, reads, purge."""

from __future__ import annotations

import hashlib
import io
import os
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import pytest

from meetingroom import services
from meetingroom.crypto import DeviceSecrets
from meetingroom.domain import (
    AgendaItem,
    AgendaItemId,
    Annotation,
    AnnotationId,
    AnnotationKind,
    Classification,
    Document,
    DocumentId,
    DocumentVersion,
    DocumentVersionId,
    Meeting,
    MeetingId,
    MeetingStatus,
    Note,
    NoteId,
    Participant,
    ParticipantId,
    Role,
    Room,
    RoomId,
    Seat,
    SeatId,
    UserId,
    Visibility,
    new_id,
)
from meetingroom.errors import NotFound
from meetingroom.services import Changes
from meetingroom.store import CHUNK_SIZE, DB_FILENAME, Store

START = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
RESOLUTION = "Nghị quyết về kế hoạch phát triển kinh tế - xã hội năm 2027"


def a_meeting(n: int = 0, title: str = RESOLUTION, rev: int | None = None) -> Meeting:
    return Meeting(
        id=MeetingId(new_id()),
        title=title,
        starts_at=START + timedelta(days=n),
        ends_at=START + timedelta(days=n, hours=3),
        rev=rev,
    )


def an_item(
    meeting: Meeting, position: int, title: str, parent: AgendaItem | None = None
) -> AgendaItem:
    return AgendaItem(
        id=AgendaItemId(new_id()),
        meeting_id=meeting.id,
        position=position,
        title=title,
        parent_id=None if parent is None else parent.id,
    )


# -- save and delete: change summaries and the outbox ---------------------------------------


def test_save_returns_the_ids_per_kind(store: Store) -> None:
    meeting = a_meeting()
    items = [an_item(meeting, 1, "Khai mạc"), an_item(meeting, 2, "Thảo luận")]
    note = Note(id=NoteId(new_id()), meeting_id=meeting.id, author_id=UserId("u1"), text="x")

    changes = services.save(store, meeting, *items, note)

    assert changes.meetings == {meeting.id}
    assert changes.agenda_items == {i.id for i in items}
    assert changes.notes == {note.id}
    assert changes.documents == changes.versions == changes.annotations == frozenset()
    assert changes
    assert not Changes()


def test_changes_of_a_version_land_under_versions(store: Store) -> None:
    version = DocumentVersion(
        id=DocumentVersionId(new_id()),
        document_id=DocumentId(new_id()),
        number=1,
        sha256="ab" * 32,
        size=10,
        page_count=1,
    )
    assert services.save(store, version) == Changes(versions=frozenset({version.id}))


def test_changes_combine_with_or() -> None:
    a = Changes(meetings=frozenset({"m1"}), notes=frozenset({"n1"}))
    b = Changes(meetings=frozenset({"m2"}), seats=frozenset({"s1"}))
    combined = a | b
    assert combined.meetings == {"m1", "m2"}
    assert combined.notes == {"n1"}
    assert combined.seats == {"s1"}
    assert combined.documents == frozenset()


def test_save_queues_one_outbox_entry_per_entity(store: Store) -> None:
    meeting = a_meeting(rev=4)
    item = an_item(meeting, 1, "Khai mạc")
    services.save(store, meeting, item)

    pending = store.outbox.pending()
    assert [(e.entity_table, e.entity_id, e.base_rev) for e in pending] == [
        ("meetings", meeting.id, 4),
        ("agenda_items", item.id, None),
    ]
    assert len({e.op_id for e in pending}) == 2
    assert store.outbox.count() == 2


def test_re_editing_keeps_one_entry_with_a_new_op_id_and_the_first_base_rev(
    store: Store,
) -> None:
    meeting = a_meeting(rev=7)
    services.save(store, meeting)
    (first,) = store.outbox.pending()

    services.save(store, meeting.touched(title="Tên mới"))
    (second,) = store.outbox.pending()

    assert second.seq == first.seq
    assert second.entity_id == meeting.id
    assert second.base_rev == 7
    assert second.op_id != first.op_id
    assert store.repos.meetings.get(meeting.id).title == "Tên mới"
    # The first op_id names a payload that no longer exists: acknowledging it
    # must not drop the newer edit.
    assert store.outbox.acknowledge(first) is False
    assert store.outbox.count() == 1
    assert store.outbox.acknowledge(second) is True
    assert store.outbox.count() == 0


def test_save_is_all_or_nothing(store: Store) -> None:
    meeting = a_meeting()
    with pytest.raises(KeyError):
        services.save(store, meeting, object())  # the second cannot be stored
    assert store.repos.meetings.find(meeting.id) is None
    assert store.outbox.count() == 0


def test_delete_leaves_a_tombstone_that_listings_hide(store: Store) -> None:
    kept, gone = a_meeting(0), a_meeting(1, title="Cuộc họp bị hủy", rev=3)
    services.save(store, kept, gone)
    (_, entry_before) = store.outbox.pending()

    changes = services.delete(store, gone)

    assert changes == Changes(meetings=frozenset({gone.id}))
    assert services.list_meetings(store).items == [kept]
    with pytest.raises(NotFound):
        store.repos.meetings.get(gone.id)
    assert store.repos.meetings.find(gone.id) is None
    tombstone = store.repos.meetings.get(gone.id, include_deleted=True)
    assert tombstone.deleted
    assert tombstone.title == "Cuộc họp bị hủy"
    assert tombstone.updated_at >= gone.updated_at
    listed = store.repos.meetings.list(include_deleted=True).items
    assert {m.id for m in listed} == {kept.id, gone.id}
    # The delete travels through the outbox like any edit.
    entries = {e.entity_id: e for e in store.outbox.pending()}
    assert len(entries) == 2
    assert entries[gone.id].base_rev == 3
    assert entries[gone.id].op_id != entry_before.op_id


# -- reads -------------------------------------------------------------------------------------


def test_meetings_are_listed_earliest_first(store: Store) -> None:
    later, earliest, middle = a_meeting(5), a_meeting(1), a_meeting(3)
    services.save(store, later, earliest, middle)
    assert services.list_meetings(store).items == [earliest, middle, later]


def test_agenda_is_ordered_by_position_and_nests_by_parent(store: Store) -> None:
    meeting, other = a_meeting(), a_meeting(1)
    opening = an_item(meeting, 1, "Khai mạc")
    reports = an_item(meeting, 2, "Báo cáo")
    closing = an_item(meeting, 3, "Bế mạc")
    economy = an_item(meeting, 1, "Báo cáo kinh tế", parent=reports)
    society = an_item(meeting, 2, "Báo cáo xã hội", parent=reports)
    budget = an_item(meeting, 1, "Ngân sách", parent=economy)
    elsewhere = an_item(other, 0, "Khác")
    # Stored in an order unrelated to the agenda's.
    services.save(store, closing, society, budget, elsewhere, reports, economy, opening)

    readout = services.agenda(store, meeting.id)
    assert not readout.damaged
    assert [i.position for i in readout.items] == sorted(i.position for i in readout.items)
    assert {i.id for i in readout.items} == {
        i.id for i in (opening, reports, closing, economy, society, budget)
    }

    def children(parent: AgendaItem | None) -> list[AgendaItem]:
        parent_id = None if parent is None else parent.id
        return [i for i in readout.items if i.parent_id == parent_id]

    assert children(None) == [opening, reports, closing]
    assert children(reports) == [economy, society]
    assert children(economy) == [budget]
    assert children(closing) == []


def test_documents_by_position_and_versions_by_number(store: Store) -> None:
    meeting = a_meeting()
    docs = [
        Document(id=DocumentId(new_id()), meeting_id=meeting.id, title=f"Tài liệu {p}", position=p)
        for p in (2, 0, 1)
    ]
    versions = [
        DocumentVersion(
            id=DocumentVersionId(new_id()),
            document_id=docs[0].id,
            number=n,
            sha256=f"{n:064x}",
            size=100 * n,
            page_count=n,
        )
        for n in (3, 1, 2)
    ]
    services.save(store, meeting, *docs, *versions)
    assert [d.position for d in services.documents(store, meeting.id)] == [0, 1, 2]
    assert [v.number for v in services.versions(store, docs[0].id)] == [1, 2, 3]
    assert services.versions(store, docs[1].id).items == []


@dataclass
class Pack:
    """One meeting with one of everything under it."""

    meeting: Meeting
    item: AgendaItem
    document: Document
    version: DocumentVersion
    participant: Participant
    room: Room
    seat: Seat
    annotation: Annotation
    note: Note
    data: bytes

    def entities(self) -> list[object]:
        return [
            self.meeting,
            self.item,
            self.document,
            self.version,
            self.participant,
            self.room,
            self.seat,
            self.annotation,
            self.note,
        ]


def a_pack(n: int, data_size: int = 1000) -> Pack:
    meeting = Meeting(
        id=MeetingId(new_id()),
        title=f"{RESOLUTION} ({n})",
        starts_at=START + timedelta(days=n),
        ends_at=START + timedelta(days=n, hours=2),
        location="Phòng họp số 1, tầng 3",
        status=MeetingStatus.PUBLISHED,
        classification=Classification.CONFIDENTIAL,
        description="Kỳ họp thường lệ",
        rev=12,
    )
    item = an_item(meeting, 1, "Thông qua chương trình")
    version_id = DocumentVersionId(new_id())
    data = os.urandom(data_size)
    document = Document(
        id=DocumentId(new_id()),
        meeting_id=meeting.id,
        title="Dự thảo nghị quyết",
        agenda_item_id=item.id,
        classification=Classification.SECRET,
        current_version_id=version_id,
        position=1,
    )
    version = DocumentVersion(
        id=version_id,
        document_id=document.id,
        number=1,
        sha256="0" * 64,
        size=len(data),
        page_count=3,
        filename="du-thao-nghi-quyet.pdf",
        classification=Classification.SECRET,
    )
    participant = Participant(
        id=ParticipantId(new_id()),
        meeting_id=meeting.id,
        display_name="Nguyễn Thị Hồng Nhung",
        role=Role.CHAIR,
        clearance=Classification.TOP_SECRET,
        user_id=UserId("u-nhung"),
        title="Phó Chủ tịch UBND tỉnh",
    )
    room = Room(id=RoomId(new_id()), meeting_id=meeting.id, name="Hội trường A", width=20.5)
    seat = Seat(
        id=SeatId(new_id()),
        room_id=room.id,
        label="Ghế chủ tọa",
        x=10.25,
        y=2.0,
        participant_id=participant.id,
    )
    annotation = Annotation(
        id=AnnotationId(new_id()),
        version_id=version_id,
        page=2,
        kind=AnnotationKind.INK,
        geometry=((1.5, 2.5, 3.0, 4.0), (5.0, 6.25)),
        author_id=UserId("u-nhung"),
        colour="#ff0000",
        text="Cần xem lại điều 3",
        visibility=Visibility.SHARED,
    )
    note = Note(
        id=NoteId(new_id()),
        meeting_id=meeting.id,
        author_id=UserId("u-nhung"),
        text="Hỏi về nguồn vốn đầu tư công",
    )
    return Pack(meeting, item, document, version, participant, room, seat, annotation, note, data)


def save_pack(store: Store, pack: Pack) -> None:
    services.save(store, *pack.entities())
    services.store_document_bytes(store, pack.version.id, io.BytesIO(pack.data))


def assert_pack_intact(store: Store, pack: Pack) -> None:
    m = pack.meeting.id
    assert store.repos.meetings.get(m) == pack.meeting
    assert services.agenda(store, m).items == [pack.item]
    assert services.documents(store, m).items == [pack.document]
    assert services.versions(store, pack.document.id).items == [pack.version]
    assert services.participants(store, m).items == [pack.participant]
    assert services.room(store, m) == pack.room
    assert services.seats(store, pack.room.id).items == [pack.seat]
    assert services.annotations(store, pack.version.id).items == [pack.annotation]
    assert services.notes(store, m, UserId("u-nhung")).items == [pack.note]
    assert store.blobs.read_into_buffer(pack.version.id) == pack.data


def test_every_entity_type_round_trips_through_a_reopen(
    store: Store, profile: Path, device_secrets: DeviceSecrets
) -> None:
    pack = a_pack(1)
    save_pack(store, pack)
    assert_pack_intact(store, pack)
    store.close()
    with Store.open(profile, device_secrets=device_secrets) as again:
        again.unlock()
        assert_pack_intact(again, pack)


def test_room_is_none_for_a_meeting_without_one(store: Store) -> None:
    meeting = a_meeting()
    services.save(store, meeting)
    assert services.room(store, meeting.id) is None


def test_notes_are_per_author(store: Store) -> None:
    meeting = a_meeting()
    mine = Note(id=NoteId(new_id()), meeting_id=meeting.id, author_id=UserId("me"), text="a")
    theirs = Note(id=NoteId(new_id()), meeting_id=meeting.id, author_id=UserId("them"), text="b")
    services.save(store, meeting, mine, theirs)
    assert services.notes(store, meeting.id, UserId("me")).items == [mine]


@pytest.mark.parametrize("size", [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE])
def test_document_bytes_of_any_size_round_trip(store: Store, size: int) -> None:
    data = os.urandom(size)
    version_id = DocumentVersionId(new_id())
    manifest = services.store_document_bytes(
        store, version_id, io.BytesIO(data), expected_sha256=hashlib.sha256(data).hexdigest()
    )
    assert manifest.size == size
    assert manifest.chunks == max(1, -(-size // CHUNK_SIZE))
    assert store.blobs.is_complete(version_id)
    assert store.blobs.state(version_id).bytes_stored == size
    assert store.blobs.read_into_buffer(version_id) == data
    with store.blobs.open(version_id) as reader:
        assert reader.read() == data
        reader.seek(size // 2)
        assert reader.read(10) == data[size // 2 : size // 2 + 10]


# -- purge -------------------------------------------------------------------------------------


TABLE_OF = {
    "meeting": "meetings",
    "item": "agenda_items",
    "document": "documents",
    "version": "document_versions",
    "participant": "participants",
    "room": "rooms",
    "seat": "seats",
    "annotation": "annotations",
    "note": "notes",
}


def rows_with_id(store: Store, table: str, row_id: str) -> int:
    return int(
        store.db.execute(f'SELECT count(*) FROM "{table}" WHERE id = ?', [row_id]).fetchone()[0]
    )


def test_purge_meeting_removes_it_and_everything_under_it(store: Store) -> None:
    doomed, kept = a_pack(1, data_size=CHUNK_SIZE + 10), a_pack(2)
    save_pack(store, doomed)
    save_pack(store, kept)
    extra_item = an_item(doomed.meeting, 2, "Mục con", parent=doomed.item)
    services.save(store, extra_item)
    kept_entries = [
        e
        for e in store.outbox.pending()
        if e.entity_id in {getattr(kept, name).id for name in TABLE_OF}
    ]
    assert len(kept_entries) == len(TABLE_OF)

    changes = services.purge_meeting(store, doomed.meeting.id)

    assert changes.meetings == {doomed.meeting.id}
    assert changes.agenda_items == {doomed.item.id, extra_item.id}
    assert changes.documents == {doomed.document.id}
    assert changes.versions == {doomed.version.id}
    assert changes.participants == {doomed.participant.id}
    assert changes.rooms == {doomed.room.id}
    assert changes.seats == {doomed.seat.id}
    assert changes.annotations == {doomed.annotation.id}
    assert changes.notes == {doomed.note.id}

    for name, table in TABLE_OF.items():
        assert rows_with_id(store, table, getattr(doomed, name).id) == 0, table
    assert rows_with_id(store, "agenda_items", extra_item.id) == 0
    purged_ids = {getattr(doomed, name).id for name in TABLE_OF} | {extra_item.id}
    assert not [e for e in store.outbox.pending() if e.entity_id in purged_ids]
    assert store.outbox.pending() == kept_entries
    assert store.blobs.state(doomed.version.id).bytes_stored == 0
    count = store.db.execute(
        'SELECT count(*) FROM "blobs" WHERE version_id = ?', [doomed.version.id]
    ).fetchone()[0]
    assert count == 0
    assert not store.blobs.path(doomed.version.id).exists()

    assert services.list_meetings(store).items == [kept.meeting]
    assert_pack_intact(store, kept)


def test_purge_needs_no_key(store: Store) -> None:
    doomed, kept = a_pack(1), a_pack(2)
    save_pack(store, doomed)
    save_pack(store, kept)
    store.lock()
    changes = services.purge_meeting(store, doomed.meeting.id)
    assert changes.meetings == {doomed.meeting.id}
    store.unlock()
    assert services.list_meetings(store).items == [kept.meeting]
    assert_pack_intact(store, kept)


def test_purge_of_an_unknown_meeting_changes_nothing_else(store: Store) -> None:
    kept = a_pack(1)
    save_pack(store, kept)
    changes = services.purge_meeting(store, MeetingId(new_id()))
    assert changes.agenda_items == changes.documents == frozenset()
    assert_pack_intact(store, kept)
    assert store.outbox.count() == len(TABLE_OF)


def test_purged_ciphertext_does_not_stay_in_the_file(store: Store, profile: Path) -> None:
    # The store turns secure_delete on for its connection, whatever the SQLite
    # build's default; that setting is what makes purged pages zeroed.
    assert store.db.execute("PRAGMA secure_delete").fetchone()[0] == 1
    doomed = a_pack(1, data_size=100_000)
    save_pack(store, doomed)
    sealed = store.db.execute(
        'SELECT content FROM "meetings" WHERE id = ?', [doomed.meeting.id]
    ).fetchone()[0]
    chunk = store.blobs.path(doomed.version.id).read_bytes()
    services.purge_meeting(store, doomed.meeting.id)
    store.close()
    # The profile's files (database, log, chunk files); the disk's free
    # blocks are out of reach of a file-level check (see docs/security.md).
    on_disk = b"".join(path.read_bytes() for path in profile.rglob("*") if path.is_file())
    assert sealed not in on_disk
    assert chunk[1000:2000] not in on_disk


# -- Vietnamese text ---------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_vietnamese_text_round_trips_exactly_and_is_not_on_disk_in_clear(
    store: Store, profile: Path, device_secrets: DeviceSecrets, form: Literal["NFC", "NFD"]
) -> None:
    title = unicodedata.normalize(form, RESOLUTION)
    name = unicodedata.normalize(form, "Trần Văn Đức")
    meeting = a_meeting(title=title)
    participant = Participant(id=ParticipantId(new_id()), meeting_id=meeting.id, display_name=name)
    services.save(store, meeting, participant)
    assert store.repos.meetings.get(meeting.id).title == title
    store.close()

    files = [path for path in profile.rglob("*") if path.is_file()]
    assert profile / DB_FILENAME in files
    for path in files:
        raw = path.read_bytes()
        assert title.encode() not in raw, path.name
        assert name.encode() not in raw, path.name

    with Store.open(profile, device_secrets=device_secrets) as again:
        again.unlock()
        got = again.repos.meetings.get(meeting.id)
        assert got.title == title
        assert unicodedata.is_normalized(form, got.title)
        assert services.participants(again, meeting.id).items == [participant]
