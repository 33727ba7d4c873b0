"""Real faults on real files: damaged, truncated, full, read-only, too new, tampered.

No mocks of our own code: faults are made with raw sqlite3 and file writes,
then the store is used through its public API. Every fault must come out as a
typed ``MeetingRoomError``, never a raw ``sqlite3`` error, and must never
delete or rewrite the user's file.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import resource
import signal
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from meetingroom import services
from meetingroom.crypto import DeviceSecrets
from meetingroom.domain import (
    AgendaItem,
    AgendaItemId,
    DocumentVersionId,
    Meeting,
    MeetingId,
    Note,
    NoteId,
    UserId,
    new_id,
)
from meetingroom.errors import (
    ChecksumMismatch,
    DiskFull,
    IncompleteDocument,
    MeetingRoomError,
    NotFound,
    ReadOnlyStore,
    StoreCorrupt,
    StoreTooNew,
    Tampered,
)
from meetingroom.store import CHUNK_SIZE, DB_FILENAME, Store
from meetingroom.store.chunkfiles import SEALED_CHUNK

START = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


def a_meeting(n: int = 0, description: str = "") -> Meeting:
    return Meeting(
        id=MeetingId(new_id()),
        title=f"Phiên họp thứ {n}: Nghị quyết về kế hoạch",
        starts_at=START + timedelta(days=n),
        ends_at=START + timedelta(days=n, hours=3),
        description=description,
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def raw_execute(path: Path, sql: str, args: tuple[object, ...] = ()) -> None:
    """Run one statement on the file through a separate, plain sqlite3 connection."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(sql, args)
    finally:
        conn.close()


def raw_value(path: Path, sql: str, args: tuple[object, ...] = ()) -> object:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute(sql, args).fetchone()
    finally:
        conn.close()
    return None if row is None else row[0]


def flip_byte(data: bytes, position: int | None = None) -> bytes:
    damaged = bytearray(data)
    damaged[len(damaged) // 2 if position is None else position] ^= 0x01
    return bytes(damaged)


def write_document(store: Store, version_id: str, data: bytes) -> None:
    writer = store.blobs.writer(version_id, expected_sha256=sha256(data))
    writer.write(data)
    writer.finish()


@pytest.fixture
def opened() -> Iterator[list[Store]]:
    """A list to put stores opened by a test in; each is closed afterwards."""
    stores: list[Store] = []
    yield stores
    for store in stores:
        store.close()


# -- (1) damaged header ------------------------------------------------------------------------


def test_garbage_over_the_header_is_store_corrupt_and_the_file_is_kept(
    store: Store, profile: Path, device_secrets: DeviceSecrets
) -> None:
    services.save(store, a_meeting())
    store.close()
    path = profile / DB_FILENAME
    with path.open("r+b") as f:
        f.write(b"this is no longer an SQLite header!" * 3)
    damaged = path.read_bytes()

    with pytest.raises(StoreCorrupt) as info:
        Store.open(profile, device_secrets=device_secrets)
    assert isinstance(info.value, MeetingRoomError)
    assert info.value.path == str(path)
    assert "left in place" in str(info.value)
    assert path.read_bytes() == damaged


def test_a_text_file_in_place_of_the_database_is_store_corrupt(
    profile: Path, device_secrets: DeviceSecrets
) -> None:
    profile.mkdir()
    path = profile / DB_FILENAME
    path.write_text("Biên bản cuộc họp\n" * 500)
    before = path.read_bytes()
    with pytest.raises(StoreCorrupt):
        Store.open(profile, device_secrets=device_secrets)
    assert path.read_bytes() == before


def test_another_apps_sqlite_file_is_store_corrupt(
    profile: Path, device_secrets: DeviceSecrets
) -> None:
    profile.mkdir()
    raw_execute(profile / DB_FILENAME, "CREATE TABLE bookmarks (url TEXT)")
    with pytest.raises(StoreCorrupt, match="not a MeetingRoom profile"):
        Store.open(profile, device_secrets=device_secrets)
    assert raw_value(profile / DB_FILENAME, "SELECT count(*) FROM bookmarks") == 0


def test_another_apps_sqlite_file_is_left_byte_for_byte_untouched(
    profile: Path, device_secrets: DeviceSecrets
) -> None:
    profile.mkdir()
    path = profile / DB_FILENAME
    raw_execute(path, "CREATE TABLE bookmarks (url TEXT)")
    before = path.read_bytes()
    with pytest.raises(StoreCorrupt):
        Store.open(profile, device_secrets=device_secrets)
    assert path.read_bytes() == before


def test_an_empty_file_is_store_corrupt_and_stays_empty(
    profile: Path, device_secrets: DeviceSecrets
) -> None:
    profile.mkdir()
    path = profile / DB_FILENAME
    path.write_bytes(b"")
    with pytest.raises(StoreCorrupt):
        Store.open(profile, device_secrets=device_secrets)
    assert path.stat().st_size == 0


# -- (2) truncated file ----------------------------------------------------------------------------


@pytest.mark.parametrize("fraction", [0.5, 0.2, 0.9])
def test_truncated_file_is_store_corrupt_never_a_raw_sqlite_error(
    store: Store,
    profile: Path,
    device_secrets: DeviceSecrets,
    opened: list[Store],
    fraction: float,
) -> None:
    meetings = [a_meeting(n, description="Nội dung " * 100) for n in range(300)]
    services.save(store, *meetings)
    write_document(store, "v1", os.urandom(CHUNK_SIZE // 2))
    store.close()
    path = profile / DB_FILENAME
    size = path.stat().st_size
    assert size > 100 * 4096
    with path.open("r+b") as f:
        f.truncate(int(size * fraction))
    truncated = path.read_bytes()

    def open_and_read_everything() -> None:
        damaged = Store.open(profile, device_secrets=device_secrets)
        opened.append(damaged)
        damaged.unlock()
        services.list_meetings(damaged)
        damaged.blobs.read_into_buffer("v1")
        damaged.stats()

    # Opening or any later read must report the damage, typed.
    with pytest.raises(StoreCorrupt) as info:
        open_and_read_everything()
    assert not isinstance(info.value, sqlite3.Error)
    assert path.is_file()
    assert path.read_bytes() == truncated


# -- (3) disk full ------------------------------------------------------------------------------


@contextlib.contextmanager
def file_size_limit(nbytes: int) -> Iterator[None]:
    """Make writes past ``nbytes`` of any file fail with EFBIG (RLIMIT_FSIZE)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    # Without this the kernel's SIGXFSZ would kill the test process.
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def limit_growth(store: Store, extra_pages: int) -> None:
    """Let the database grow by ``extra_pages`` at most (SQLITE_FULL beyond)."""
    page_count = int(store.db.execute("PRAGMA page_count").fetchone()[0])
    store.db.execute(f"PRAGMA max_page_count = {page_count + extra_pages}")


def test_disk_full_while_saving_keeps_what_was_committed_and_nothing_of_the_failed_save(
    store: Store, profile: Path, device_secrets: DeviceSecrets
) -> None:
    before = [a_meeting(n) for n in range(20)]
    services.save(store, *before)
    limit_growth(store, 2)
    batch = [a_meeting(100 + n, description="Báo cáo " * 400) for n in range(200)]

    with pytest.raises(DiskFull) as info:
        services.save(store, *batch)
    assert "intact" in str(info.value)

    assert services.list_meetings(store).items == before
    assert store.outbox.count() == len(before)
    assert {e.entity_id for e in store.outbox.pending()} == {m.id for m in before}
    for meeting in batch[:3] + batch[-3:]:
        assert store.repos.meetings.find(meeting.id) is None

    # Once there is room again, the store works and the old data survives a reopen.
    store.db.execute("PRAGMA max_page_count = 1073741823")
    services.save(store, batch[0])
    store.close()
    with Store.open(profile, device_secrets=device_secrets) as again:
        again.unlock()
        assert services.list_meetings(again).items == [*before, batch[0]]
        assert again.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_disk_full_while_writing_document_bytes_keeps_whole_chunks_and_resumes(
    store: Store,
) -> None:
    meeting = a_meeting()
    services.save(store, meeting)
    data = os.urandom(3 * CHUNK_SIZE + 1234)
    writer = store.blobs.writer("v1", expected_sha256=sha256(data))
    # Room for one sealed chunk and a bit, not two: a file-size limit makes
    # the kernel refuse the write (EFBIG) as a full disk would (ENOSPC).
    with file_size_limit(SEALED_CHUNK * 3 // 2), pytest.raises(DiskFull):
        writer.write(data)
    assert writer.committed_offset == CHUNK_SIZE
    state = store.blobs.state("v1")
    assert state.bytes_stored == CHUNK_SIZE
    assert not state.complete
    with pytest.raises(IncompleteDocument):
        store.blobs.open("v1")
    assert store.repos.meetings.get(meeting.id) == meeting

    resumed = store.blobs.writer("v1", expected_sha256=sha256(data))
    assert resumed.committed_offset == CHUNK_SIZE
    resumed.write(data[resumed.committed_offset :])
    resumed.finish()
    assert store.blobs.read_into_buffer("v1") == data


# -- (4) read-only ------------------------------------------------------------------------------


def test_read_only_database_refuses_writes_and_changes_nothing(store: Store) -> None:
    meeting = a_meeting()
    services.save(store, meeting)
    write_document(store, "v1", b"%PDF-1.7 a small document")
    outbox_before = store.outbox.pending()

    store.db.conn.execute("PRAGMA query_only=1")
    with pytest.raises(ReadOnlyStore) as info:
        services.save(store, meeting.touched(title="Đổi tên cuộc họp"))
    assert "read-only" in str(info.value)
    with pytest.raises(ReadOnlyStore):
        services.save(store, a_meeting(1))
    with pytest.raises(ReadOnlyStore):
        services.delete(store, meeting)
    with pytest.raises(ReadOnlyStore):
        store.blobs.writer("v2")
    with pytest.raises(ReadOnlyStore):
        store.blobs.discard("v1")

    # Reads still work and show the state before the refused writes.
    assert services.list_meetings(store).items == [meeting]
    assert store.outbox.pending() == outbox_before
    assert store.blobs.read_into_buffer("v1") == b"%PDF-1.7 a small document"
    assert store.blobs.state("v2").bytes_stored == 0

    store.db.conn.execute("PRAGMA query_only=0")
    services.save(store, a_meeting(2))
    assert len(services.list_meetings(store)) == 2


# -- (5) written by a newer version -------------------------------------------------------------


def test_store_from_a_newer_version_is_refused_with_update_advice(
    store: Store, profile: Path, device_secrets: DeviceSecrets
) -> None:
    services.save(store, a_meeting())
    store.close()
    path = profile / DB_FILENAME
    raw_execute(
        path,
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        ("meetingroom", "m999_from_the_future", "2030-01-01 00:00:00+00:00"),
    )
    before = path.read_bytes()

    with pytest.raises(StoreTooNew) as info:
        Store.open(profile, device_secrets=device_secrets)
    assert info.value.unknown == ["m999_from_the_future"]
    message = str(info.value)
    assert "newer version" in message
    assert "Update MeetingRoom" in message
    assert "m999_from_the_future" in message
    assert path.read_bytes() == before


def test_unknown_migrations_of_another_set_do_not_matter(
    store: Store, profile: Path, device_secrets: DeviceSecrets
) -> None:
    meeting = a_meeting()
    services.save(store, meeting)
    store.close()
    raw_execute(
        profile / DB_FILENAME,
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        ("some-plugin", "m999_other", "2030-01-01 00:00:00+00:00"),
    )
    with Store.open(profile, device_secrets=device_secrets) as again:
        again.unlock()
        assert again.repos.meetings.get(meeting.id) == meeting


def test_missing_key_slot_is_store_corrupt(
    store: Store, profile: Path, device_secrets: DeviceSecrets
) -> None:
    # What a wipe interrupted after its crypto-shred leaves behind.
    store.close()
    raw_execute(profile / DB_FILENAME, "DELETE FROM keyslot")
    with pytest.raises(StoreCorrupt, match="key slot is missing"):
        Store.open(profile, device_secrets=device_secrets)
    assert (profile / DB_FILENAME).is_file()


def test_damaged_key_slot_is_store_corrupt(
    store: Store, profile: Path, device_secrets: DeviceSecrets
) -> None:
    store.close()
    raw_execute(profile / DB_FILENAME, "UPDATE keyslot SET slot = '{\"protection\": 1'")
    with pytest.raises(StoreCorrupt, match="key slot is damaged"):
        Store.open(profile, device_secrets=device_secrets)


# -- (6) tampering ---------------------------------------------------------------------------------


def content_of(store: Store, table: str, row_id: str) -> bytes:
    value = raw_value(store.path, f'SELECT content FROM "{table}" WHERE id = ?', (row_id,))
    assert isinstance(value, bytes)
    return value


def set_content(store: Store, table: str, row_id: str, content: bytes) -> None:
    raw_execute(store.path, f'UPDATE "{table}" SET content = ? WHERE id = ?', (content, row_id))


@pytest.fixture
def three_meetings(store: Store) -> list[Meeting]:
    meetings = [a_meeting(n) for n in range(3)]
    services.save(store, *meetings)
    return meetings


def test_flipped_byte_in_a_record_is_tampered_naming_table_and_id(
    store: Store, three_meetings: list[Meeting]
) -> None:
    first, damaged, third = three_meetings
    set_content(store, "meetings", damaged.id, flip_byte(content_of(store, "meetings", damaged.id)))

    with pytest.raises(Tampered) as info:
        store.repos.meetings.get(damaged.id)
    assert info.value.table == "meetings"
    assert info.value.row_id == damaged.id
    assert info.value.field == "content"
    assert f"meetings/{damaged.id}" in str(info.value)

    readout = services.list_meetings(store)
    assert readout.items == [first, third]
    assert [(t.table, t.row_id) for t in readout.damaged] == [("meetings", damaged.id)]
    # The intact ones still read one by one.
    assert store.repos.meetings.get(first.id) == first


@pytest.mark.parametrize("position", [0, 1, 13, -1])
def test_any_damaged_byte_of_a_record_is_tampered(
    store: Store, three_meetings: list[Meeting], position: int
) -> None:
    target = three_meetings[1]
    sealed = content_of(store, "meetings", target.id)
    set_content(store, "meetings", target.id, flip_byte(sealed, position))
    with pytest.raises(Tampered):
        store.repos.meetings.get(target.id)


@pytest.mark.parametrize("content", [b"", b"\x01", b"not sealed at all"])
def test_a_record_replaced_by_junk_is_tampered(
    store: Store, three_meetings: list[Meeting], content: bytes
) -> None:
    target = three_meetings[0]
    set_content(store, "meetings", target.id, content)
    with pytest.raises(Tampered):
        store.repos.meetings.get(target.id)
    assert len(services.list_meetings(store).damaged) == 1


def test_swapping_two_records_makes_both_tampered(
    store: Store, three_meetings: list[Meeting]
) -> None:
    a, b, c = three_meetings
    content_a = content_of(store, "meetings", a.id)
    content_b = content_of(store, "meetings", b.id)
    set_content(store, "meetings", a.id, content_b)
    set_content(store, "meetings", b.id, content_a)

    for meeting in (a, b):
        with pytest.raises(Tampered) as info:
            store.repos.meetings.get(meeting.id)
        assert info.value.row_id == meeting.id
    readout = services.list_meetings(store)
    assert readout.items == [c]
    assert {t.row_id for t in readout.damaged} == {a.id, b.id}


def test_a_record_moved_to_another_table_is_tampered(
    store: Store, three_meetings: list[Meeting]
) -> None:
    meeting = three_meetings[0]
    sealed = content_of(store, "meetings", meeting.id)
    # Same row id, other table: only the table in the binding tells them apart.
    raw_execute(
        store.path,
        "INSERT INTO agenda_items (id, updated_at, deleted, meeting_id, position, content) "
        "VALUES (?, ?, 0, ?, 1, ?)",
        (meeting.id, START.isoformat(), meeting.id, sealed),
    )
    with pytest.raises(Tampered) as info:
        store.repos.agenda_items.get(meeting.id)
    assert info.value.table == "agenda_items"
    readout = services.agenda(store, meeting.id)
    assert readout.items == []
    assert [t.row_id for t in readout.damaged] == [meeting.id]


def test_a_record_copied_over_another_tables_record_is_tampered(
    store: Store, three_meetings: list[Meeting]
) -> None:
    meeting = three_meetings[0]
    note = Note(id=NoteId(new_id()), meeting_id=meeting.id, author_id=UserId("u1"), text="ghi chú")
    item = AgendaItem(
        id=AgendaItemId(new_id()), meeting_id=meeting.id, position=1, title="Khai mạc"
    )
    services.save(store, note, item)
    set_content(store, "notes", note.id, content_of(store, "agenda_items", item.id))
    with pytest.raises(Tampered):
        store.repos.notes.get(note.id)
    assert services.agenda(store, meeting.id).items == [item]


def test_authentic_but_unreadable_content_is_tampered_not_a_crash(
    store: Store, three_meetings: list[Meeting]
) -> None:
    target = three_meetings[2]
    # Sealed with the right key and place, but not what the codec wrote.
    for junk in (b"not json", b"[]", b'{"title": 1}'):
        set_content(
            store, "meetings", target.id, store.seal("meetings", target.id, "content", junk)
        )
        with pytest.raises(Tampered):
            store.repos.meetings.get(target.id)
        assert services.list_meetings(store).items == three_meetings[:2]


@pytest.mark.parametrize(
    ("column", "value"),
    [("deleted", 1), ("rev", 99), ("updated_at", "2000-01-01T00:00:00+00:00")],
)
def test_edited_plaintext_columns_make_the_record_tampered(
    store: Store, three_meetings: list[Meeting], column: str, value: object
) -> None:
    # The clear columns are authenticated with the sealed content: hiding a
    # record (deleted=1) or rewriting its revision on disk is detected.
    target = three_meetings[1]
    raw_execute(
        store.path, f'UPDATE "meetings" SET "{column}" = ? WHERE id = ?', (value, target.id)
    )
    with pytest.raises(Tampered) as info:
        store.repos.meetings.get(target.id, include_deleted=True)
    assert info.value.row_id == target.id
    readout = services.list_meetings(store)
    assert target not in readout.items
    assert three_meetings[0] in readout.items


def test_a_record_moved_to_another_meeting_is_tampered(store: Store) -> None:
    first, second = a_meeting(1), a_meeting(2)
    item = AgendaItem(id=AgendaItemId(new_id()), meeting_id=first.id, position=0, title="1")
    services.save(store, first, second, item)
    raw_execute(
        store.path, 'UPDATE "agenda_items" SET meeting_id = ? WHERE id = ?', (second.id, item.id)
    )
    readout = services.agenda(store, second.id)
    assert readout.items == []
    assert [t.row_id for t in readout.damaged] == [item.id]


def test_more_bytes_than_the_expected_size_are_refused_and_discarded(store: Store) -> None:
    writer = store.blobs.writer("v-size", expected_size=CHUNK_SIZE)
    writer.write(b"x" * (CHUNK_SIZE - 10))
    with pytest.raises(ChecksumMismatch):
        writer.write(b"y" * 20)
    assert store.blobs.state("v-size").bytes_stored == 0


def test_fewer_bytes_than_the_expected_size_fail_at_finish(store: Store) -> None:
    writer = store.blobs.writer("v-short", expected_size=1000)
    writer.write(b"z" * 999)
    with pytest.raises(ChecksumMismatch):
        writer.finish()
    assert not store.blobs.is_complete("v-short")


@pytest.fixture
def three_chunks(store: Store) -> bytes:
    data = os.urandom(2 * CHUNK_SIZE + CHUNK_SIZE // 2)
    write_document(store, "v1", data)
    return data


def sealed_chunk(store: Store, version_id: str, index: int) -> bytes:
    """Return the sealed bytes of one chunk as they lie in the chunk file."""
    data = store.blobs.path(version_id).read_bytes()
    return data[index * SEALED_CHUNK : (index + 1) * SEALED_CHUNK]


def replace_chunk(store: Store, version_id: str, index: int, sealed: bytes) -> None:
    """Overwrite one chunk of the chunk file in place (a change on disk)."""
    with open(store.blobs.path(version_id), "r+b") as f:
        f.seek(index * SEALED_CHUNK)
        f.write(sealed)


def test_flipped_byte_in_a_chunk_is_tampered_when_read(store: Store, three_chunks: bytes) -> None:
    replace_chunk(store, "v1", 1, flip_byte(sealed_chunk(store, "v1", 1)))
    with pytest.raises(Tampered) as info:
        store.blobs.read_into_buffer("v1")
    assert info.value.table == "chunks"
    assert info.value.row_id == "v1#1"

    reader = store.blobs.open("v1")
    assert reader.read(CHUNK_SIZE) == three_chunks[:CHUNK_SIZE]  # chunk 0 is fine
    with pytest.raises(Tampered):
        reader.read(10)
    reader.seek(2 * CHUNK_SIZE)
    assert reader.read() == three_chunks[2 * CHUNK_SIZE :]  # so is chunk 2


def test_deleted_middle_chunk_is_tampered(store: Store, three_chunks: bytes) -> None:
    path = store.blobs.path("v1")
    data = path.read_bytes()
    path.write_bytes(data[:SEALED_CHUNK] + data[2 * SEALED_CHUNK :])
    with pytest.raises(Tampered) as info:
        store.blobs.read_into_buffer("v1")
    assert info.value.row_id == "v1#1"
    reader = store.blobs.open("v1")
    reader.seek(CHUNK_SIZE + 5)
    with pytest.raises(Tampered):
        reader.read(1)


def test_swapped_chunks_are_tampered(store: Store, three_chunks: bytes) -> None:
    first, second = sealed_chunk(store, "v1", 0), sealed_chunk(store, "v1", 1)
    replace_chunk(store, "v1", 0, second)
    replace_chunk(store, "v1", 1, first)
    with pytest.raises(Tampered) as info:
        store.blobs.read_into_buffer("v1")
    assert info.value.row_id == "v1#0"


def test_chunks_moved_to_another_version_are_tampered(store: Store, three_chunks: bytes) -> None:
    other = os.urandom(CHUNK_SIZE + 10)
    write_document(store, "v2", other)
    replace_chunk(store, "v2", 0, sealed_chunk(store, "v1", 0))
    with pytest.raises(Tampered):
        store.blobs.read_into_buffer("v2")
    assert store.blobs.read_into_buffer("v1") == three_chunks


def test_damaged_manifest_is_tampered(store: Store, three_chunks: bytes) -> None:
    manifest = raw_value(store.path, "SELECT manifest FROM blobs WHERE version_id = 'v1'")
    assert isinstance(manifest, bytes)
    raw_execute(
        store.path,
        "UPDATE blobs SET manifest = ? WHERE version_id = 'v1'",
        (flip_byte(manifest),),
    )
    with pytest.raises(Tampered) as info:
        store.blobs.open("v1")
    assert (info.value.table, info.value.field) == ("blobs", "manifest")


# -- (7) checksum ------------------------------------------------------------------------------------


def test_wrong_checksum_is_checksum_mismatch_and_discards_the_partial_data(store: Store) -> None:
    data = os.urandom(CHUNK_SIZE + CHUNK_SIZE // 2)
    writer = store.blobs.writer("v1", expected_sha256=sha256(b"something else"))
    writer.write(data)
    assert store.blobs.state("v1").bytes_stored == CHUNK_SIZE  # the first chunk was committed
    with pytest.raises(ChecksumMismatch) as info:
        writer.finish()
    assert info.value.version_id == "v1"
    state = store.blobs.state("v1")
    assert state.bytes_stored == 0
    assert not state.complete
    assert not store.blobs.path("v1").exists()
    with pytest.raises(IncompleteDocument):
        store.blobs.open("v1")


def test_wrong_checksum_through_the_service(store: Store) -> None:
    with pytest.raises(ChecksumMismatch):
        services.store_document_bytes(
            store,
            DocumentVersionId("v1"),
            io.BytesIO(b"%PDF-1.7 tampered"),
            expected_sha256="00" * 32,
        )
    assert store.blobs.state("v1").bytes_stored == 0
    with pytest.raises(IncompleteDocument):
        store.blobs.read_into_buffer("v1")


def test_right_checksum_in_capitals_is_accepted(store: Store) -> None:
    data = b"%PDF-1.7 fine"
    writer = store.blobs.writer("v1", expected_sha256=sha256(data).upper())
    writer.write(data)
    manifest = writer.finish()
    assert manifest.sha256 == sha256(data)
    assert store.blobs.read_into_buffer("v1") == data


# -- (8) resumable writes --------------------------------------------------------------------------


def test_an_interrupted_write_resumes_after_the_last_whole_chunk(
    store: Store, profile: Path, device_secrets: DeviceSecrets
) -> None:
    data = os.urandom(4 * CHUNK_SIZE + 777)
    cut = 2 * CHUNK_SIZE + CHUNK_SIZE // 2

    first = store.blobs.writer("v1", expected_sha256=sha256(data))
    first.write(data[:cut])
    assert first.offset == cut
    assert first.committed_offset == 2 * CHUNK_SIZE
    del first  # dropped without finish, as when the app is killed
    assert not store.blobs.is_complete("v1")
    with pytest.raises(IncompleteDocument):
        store.blobs.open("v1")

    resumed = store.blobs.writer("v1", expected_sha256=sha256(data))
    assert resumed.committed_offset == 2 * CHUNK_SIZE
    assert resumed.offset == 2 * CHUNK_SIZE  # the half chunk was never stored
    resumed.write(data[resumed.committed_offset :])
    manifest = resumed.finish()
    assert manifest.size == len(data)
    assert manifest.chunks == 5
    assert manifest.sha256 == sha256(data)

    assert store.blobs.read_into_buffer("v1") == data
    with store.blobs.open("v1") as reader:
        assert reader.read() == data


def test_resume_survives_closing_the_store(
    store: Store, profile: Path, device_secrets: DeviceSecrets
) -> None:
    data = os.urandom(2 * CHUNK_SIZE + 99)
    store.blobs.writer("v1").write(data[: CHUNK_SIZE + 5])
    store.close()
    with Store.open(profile, device_secrets=device_secrets) as again:
        again.unlock()
        resumed = again.blobs.writer("v1", expected_sha256=sha256(data))
        assert resumed.committed_offset == CHUNK_SIZE
        resumed.write(data[CHUNK_SIZE:])
        resumed.finish()
        assert again.blobs.read_into_buffer("v1") == data


def test_resuming_with_bytes_of_another_file_fails_the_checksum(store: Store) -> None:
    data = os.urandom(2 * CHUNK_SIZE)
    store.blobs.writer("v1").write(data[: CHUNK_SIZE + 1])
    resumed = store.blobs.writer("v1", expected_sha256=sha256(data))
    resumed.write(os.urandom(CHUNK_SIZE))  # not the rest of the same file
    with pytest.raises(ChecksumMismatch):
        resumed.finish()
    assert store.blobs.state("v1").bytes_stored == 0


def test_missing_record_is_not_found_not_tampered(store: Store) -> None:
    with pytest.raises(NotFound):
        store.repos.meetings.get(new_id())
