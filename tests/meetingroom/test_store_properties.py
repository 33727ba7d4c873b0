"""Property tests of the store: exact round trips, and damage always detected.

- Random records of every entity type (Vietnamese and arbitrary Unicode text,
  any finite float geometry, every enum value, optional fields set or not)
  come back from the store exactly as saved, also after reopening it.
- One flipped bit anywhere in a record's sealed ``content``, a document
  chunk or the key slot is reported as a typed error naming what is damaged,
  and every other record still reads.
- Document bytes of any length from 0 to just over 3 MiB (chunk-size
  multiples included) read back through ``DocumentReader`` (random seeks and
  reads, checked against ``io.BytesIO``) and ``read_into_buffer``.

Each test creates its store once and runs its examples against it: the
examples accumulate, so a bug that shows only once other records exist is
not hidden by a fresh store per example.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from meetingroom import services
from meetingroom.crypto import DeviceSecrets, Protection
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
)
from meetingroom.errors import MeetingRoomError, Tampered, WrongPin
from meetingroom.store import CHUNK_SIZE, DB_FILENAME, Store
from meetingroom.store.chunkfiles import SEALED_CHUNK
from meetingroom.store.codec import SPEC_BY_CLASS

PIN = "8642"

# -- strategies ---------------------------------------------------------------------

VIETNAMESE = [
    "Nghị quyết về kế hoạch phát triển kinh tế - xã hội năm 2025",
    "Phó Chủ tịch Ủy ban nhân dân tỉnh",
    "Báo cáo tình hình thực hiện nhiệm vụ quý I",
    "Đồng chí Nguyễn Thị Hoà",
    "Tờ trình số 12/TTr-UBND (tuyệt mật)",
    "Phòng họp tầng 3 – Trụ sở Tỉnh ủy",
    "Ý kiến: đề nghị bổ sung số liệu ở mục 2.3",
    # Decomposed (NFD) accents must come back exactly as given, not normalised.
    "Nghi\u0323 quye\u0302\u0301t",
]
VIETNAMESE_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậđèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ ĂÂĐÊÔƠƯ"

texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(VIETNAMESE),
    st.text(alphabet=VIETNAMESE_LETTERS, max_size=200),
    st.text(st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=5),  # controls, NUL
)
ids = st.uuids().map(str)
user_ids = st.one_of(ids, st.text(min_size=1, max_size=30))
finite = st.floats(allow_nan=False, allow_infinity=False)
revs = st.none() | st.integers(min_value=0, max_value=2**62)
small_ints = st.integers(min_value=-(2**31), max_value=2**31)
zones = st.sampled_from(
    [UTC, timezone(timedelta(hours=7)), timezone(timedelta(hours=-3, minutes=-30))]
)
# ``fold`` means nothing for a fixed UTC offset and ISO 8601 does not carry it.
moments = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=zones
).map(lambda moment: moment.replace(fold=0))
geometry = st.lists(st.lists(finite, max_size=12).map(tuple), max_size=6).map(tuple)
colours = st.integers(0, 0xFFFFFF).map(lambda c: f"#{c:06x}")

BOOKKEEPING: dict[str, Any] = {"rev": revs, "updated_at": moments, "deleted": st.booleans()}

meetings = st.builds(
    Meeting,
    id=ids.map(MeetingId),
    title=texts,
    starts_at=moments,
    ends_at=moments,
    location=texts,
    status=st.sampled_from(MeetingStatus),
    classification=st.sampled_from(Classification),
    description=texts,
    **BOOKKEEPING,
)
agenda_items = st.builds(
    AgendaItem,
    id=ids.map(AgendaItemId),
    meeting_id=ids.map(MeetingId),
    position=small_ints,
    title=texts,
    parent_id=st.none() | ids.map(AgendaItemId),
    presenter=texts,
    planned_minutes=st.none() | small_ints,
    **BOOKKEEPING,
)
documents = st.builds(
    Document,
    id=ids.map(DocumentId),
    meeting_id=ids.map(MeetingId),
    title=texts,
    agenda_item_id=st.none() | ids.map(AgendaItemId),
    classification=st.sampled_from(Classification),
    current_version_id=st.none() | ids.map(DocumentVersionId),
    position=small_ints,
    **BOOKKEEPING,
)
versions = st.builds(
    DocumentVersion,
    id=ids.map(DocumentVersionId),
    document_id=ids.map(DocumentId),
    number=small_ints,
    sha256=st.binary(min_size=32, max_size=32).map(bytes.hex),
    size=st.integers(0, 2**50),
    page_count=st.integers(0, 100_000),
    filename=texts,
    classification=st.sampled_from(Classification),
    **BOOKKEEPING,
)
participants = st.builds(
    Participant,
    id=ids.map(ParticipantId),
    meeting_id=ids.map(MeetingId),
    display_name=texts,
    role=st.sampled_from(Role),
    clearance=st.sampled_from(Classification),
    user_id=st.none() | user_ids.map(UserId),
    title=texts,
    **BOOKKEEPING,
)
rooms = st.builds(
    Room,
    id=ids.map(RoomId),
    meeting_id=ids.map(MeetingId),
    name=texts,
    width=finite,
    height=finite,
    **BOOKKEEPING,
)
seats = st.builds(
    Seat,
    id=ids.map(SeatId),
    room_id=ids.map(RoomId),
    label=texts,
    x=finite,
    y=finite,
    participant_id=st.none() | ids.map(ParticipantId),
    **BOOKKEEPING,
)
annotation_records = st.builds(
    Annotation,
    id=ids.map(AnnotationId),
    version_id=ids.map(DocumentVersionId),
    page=st.integers(0, 10_000),
    kind=st.sampled_from(AnnotationKind),
    geometry=geometry,
    author_id=user_ids.map(UserId),
    colour=colours,
    text=texts,
    visibility=st.sampled_from(Visibility),
    **BOOKKEEPING,
)
notes = st.builds(
    Note,
    id=ids.map(NoteId),
    meeting_id=ids.map(MeetingId),
    author_id=user_ids.map(UserId),
    text=st.one_of(texts, st.text(alphabet=VIETNAMESE_LETTERS, min_size=1000, max_size=5000)),
    **BOOKKEEPING,
)
entities = st.one_of(
    meetings,
    annotation_records,
    notes,
    participants,
    seats,
    agenda_items,
    documents,
    versions,
    rooms,
)


def table_of(entity: object) -> str:
    return SPEC_BY_CLASS[type(entity)].table


def get(store: Store, entity: Any) -> Any:
    return store.repos.for_entity(entity).get(entity.id, include_deleted=True)


def assert_same(got: object, want: object) -> None:
    """Equal, and equal in representation (same offsets, -0.0 stays -0.0...)."""
    assert got == want
    assert repr(got) == repr(want)


# -- fixtures -------------------------------------------------------------------------


@pytest.fixture
def make_store(tmp_path: Path, device_secrets: DeviceSecrets) -> Iterator[Callable[..., Store]]:
    """Return a factory of stores in fresh profile directories; closes them afterwards."""
    made: list[Store] = []

    def make(protection: Protection = Protection.DEVICE, secret: str | None = None) -> Store:
        store = Store.create(
            tmp_path / f"profile{len(made)}",
            protection,
            secret,
            device_secrets=device_secrets,
        )
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()


# -- (a) round trips --------------------------------------------------------------------


def test_any_record_round_trips_exactly(
    make_store: Callable[..., Store], device_secrets: DeviceSecrets
) -> None:
    store = make_store()
    saved: dict[tuple[str, str], Any] = {}

    @settings(max_examples=400, deadline=None)
    @given(batch=st.lists(entities, min_size=1, max_size=4))
    def check(batch: list[Any]) -> None:
        services.save(store, *batch)
        for entity in batch:
            saved[(table_of(entity), entity.id)] = entity
        for entity in batch:
            # The last saved version of an id wins (a batch may repeat an id).
            assert_same(get(store, entity), saved[(table_of(entity), entity.id)])

    check()

    # Everything still reads back exactly from a fresh connection.
    store.close()
    reopened = Store.open(store.directory, device_secrets=device_secrets)
    try:
        reopened.unlock()
        assert len(saved) >= 100
        for entity in saved.values():
            assert_same(get(reopened, entity), entity)
        live = [e for e in saved.values() if isinstance(e, Meeting) and not e.deleted]
        listed = services.list_meetings(reopened)
        assert not listed.damaged
        assert {m.id for m in listed} == {m.id for m in live}
    finally:
        reopened.close()


# -- (b) damage is detected ------------------------------------------------------------


def flip(data: bytes, bit: int) -> bytes:
    """Return ``data`` with bit number ``bit`` (0 = lowest bit of the first byte) inverted."""
    damaged = bytearray(data)
    damaged[bit // 8] ^= 1 << (bit % 8)
    return bytes(damaged)


def test_a_flipped_bit_in_any_record_is_tampered_and_only_that_record(
    make_store: Callable[..., Store],
) -> None:
    store = make_store()
    everything: dict[tuple[str, str], Any] = {}

    @settings(max_examples=200, deadline=None)
    @given(batch=st.lists(entities, min_size=1, max_size=5), data=st.data())
    def check(batch: list[Any], data: st.DataObject) -> None:
        services.save(store, *batch)
        for entity in batch:
            everything[(table_of(entity), entity.id)] = entity
        # Draws must not depend on what earlier examples stored (hypothesis
        # replays examples): pick by index modulo the current count.
        victims = sorted(everything)
        table, row_id = victims[data.draw(st.integers(0, 2**20), label="victim") % len(victims)]
        with store.reading() as db:
            (content,) = db.execute(
                f'SELECT "content" FROM "{table}" WHERE "id" = ?',
                [row_id],
            ).fetchone()
        bit = data.draw(st.integers(0, 2**24), label="bit") % (len(content) * 8)
        with store.atomic() as db:
            db.execute(
                f'UPDATE "{table}" SET "content" = ? WHERE "id" = ?',
                [flip(content, bit), row_id],
            )
        try:
            with pytest.raises(Tampered) as caught:
                store.repos.for_table(table).get(row_id, include_deleted=True)
            assert (caught.value.table, caught.value.row_id) == (table, row_id)
            assert caught.value.field == "content"
            assert table in str(caught.value)
            assert row_id in str(caught.value)

            listing = store.repos.for_table(table).list(include_deleted=True)
            assert [(d.table, d.row_id) for d in listing.damaged] == [(table, row_id)]
            assert row_id not in {e.id for e in listing}
            for (other_table, other_id), entity in everything.items():
                if (other_table, other_id) != (table, row_id):
                    assert get(store, entity) == entity
        finally:
            with store.atomic() as db:
                db.execute(
                    f'UPDATE "{table}" SET "content" = ? WHERE "id" = ?',
                    [content, row_id],
                )
        assert get(store, everything[(table, row_id)]) == everything[(table, row_id)]

    check()


def document(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


BOUNDARY_SIZES = [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE, 3 * CHUNK_SIZE]
MAX_SIZE = 3 * CHUNK_SIZE + 7


def sizes(low: int, high: int) -> st.SearchStrategy[int]:
    """Sizes in [low, high]: chunk boundaries, near them, and uniform over the range.

    (``st.integers`` alone mostly draws small values, missing multi-chunk documents.)
    """
    near = st.tuples(st.integers(0, 3), st.integers(-3, 3)).map(
        lambda kd: kd[0] * CHUNK_SIZE + kd[1]
    )
    uniform = st.randoms(use_true_random=False).map(lambda r: r.randint(low, high))
    return st.one_of(st.sampled_from(BOUNDARY_SIZES), near, uniform, st.integers(low, high)).filter(
        lambda n: low <= n <= high
    )


def test_a_flipped_bit_in_a_document_chunk_is_tampered(
    make_store: Callable[..., Store],
) -> None:
    store = make_store()
    docs: dict[str, bytes] = {}

    @settings(max_examples=30, deadline=None)
    @given(
        size=sizes(1, 2 * CHUNK_SIZE + 1000),
        seed=st.integers(0, 2**32),
        chunk_pick=st.integers(0, 2**16),
        bit_pick=st.integers(0, 2**24),
    )
    # Flips in the first, a middle and the last (short) chunk, first and last bits.
    @example(size=2 * CHUNK_SIZE + 1000, seed=1, chunk_pick=0, bit_pick=0)
    @example(size=2 * CHUNK_SIZE + 1000, seed=2, chunk_pick=1, bit_pick=8 * 13 + 3)
    @example(size=2 * CHUNK_SIZE + 1000, seed=3, chunk_pick=2, bit_pick=8 * (1000 + 29) - 1)
    @example(size=CHUNK_SIZE + 1, seed=4, chunk_pick=1, bit_pick=77)
    def check(size: int, seed: int, chunk_pick: int, bit_pick: int) -> None:
        content = document(seed, size)
        version_id = DocumentVersionId(f"v{len(docs)}-{seed}")
        services.store_document_bytes(store, version_id, io.BytesIO(content))
        docs[version_id] = content
        chunks = -(-size // CHUNK_SIZE)
        index = chunk_pick % chunks
        path = store.blobs.path(version_id)
        original = path.read_bytes()
        start = index * SEALED_CHUNK
        sealed = original[start : start + SEALED_CHUNK]
        bit = bit_pick % (len(sealed) * 8)
        path.write_bytes(original[:start] + flip(sealed, bit) + original[start + len(sealed) :])
        try:
            with pytest.raises(Tampered) as caught:
                store.blobs.read_into_buffer(version_id)
            assert (caught.value.table, caught.value.row_id) == (
                "chunks",
                f"{version_id}#{index}",
            )
            with store.blobs.open(version_id) as reader:
                reader.seek(index * CHUNK_SIZE)
                with pytest.raises(Tampered):
                    reader.read(1)
                # The other chunks of the same document still read.
                for other in range(chunks):
                    if other != index:
                        reader.seek(other * CHUNK_SIZE)
                        want = content[other * CHUNK_SIZE : (other + 1) * CHUNK_SIZE]
                        assert reader.read(CHUNK_SIZE) == want
            for other_id, other_content in docs.items():
                if other_id != version_id:
                    assert bytes(store.blobs.read_into_buffer(other_id)) == other_content
        finally:
            path.write_bytes(original)
        assert bytes(store.blobs.read_into_buffer(version_id)) == content

    check()
    assert sum(len(content) > CHUNK_SIZE for content in docs.values()) >= 4


def read_slot(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute('SELECT "slot" FROM "keyslot" WHERE "id" = 1').fetchone()[0])


def write_slot(path: Path, slot: str | bytes) -> None:
    """Store ``slot`` as the key slot's TEXT (bytes may be invalid UTF-8, like disk damage)."""
    conn = sqlite3.connect(path)
    try:
        if isinstance(slot, bytes):
            conn.execute('UPDATE "keyslot" SET "slot" = CAST(? AS TEXT) WHERE "id" = 1', [slot])
        else:
            conn.execute('UPDATE "keyslot" SET "slot" = ? WHERE "id" = 1', [slot])
        conn.commit()
    finally:
        conn.close()


def with_wrapped_key(slot: str, wrapped: bytes) -> str:
    raw = json.loads(slot)
    raw["wrapped_key"] = wrapped.hex()
    return json.dumps(raw)


@pytest.mark.parametrize(
    ("protection", "secret", "expected"),
    [(Protection.DEVICE, None, Tampered), (Protection.DEVICE_AND_PIN, PIN, WrongPin)],
)
def test_a_flipped_bit_in_the_wrapped_key_fails_unlock_with_a_typed_error(
    make_store: Callable[..., Store],
    device_secrets: DeviceSecrets,
    protection: Protection,
    secret: str | None,
    expected: type[MeetingRoomError],
) -> None:
    store = make_store(protection, secret)
    meeting = Meeting(
        id=MeetingId("m1"),
        title="Kỳ họp thứ 9",
        starts_at=datetime(2025, 5, 1, tzinfo=UTC),
        ends_at=datetime(2025, 5, 1, 4, tzinfo=UTC),
    )
    services.save(store, meeting)
    store.close()
    path = store.directory / DB_FILENAME
    original = read_slot(path)
    wrapped = bytes.fromhex(json.loads(original)["wrapped_key"])

    # A PIN slot costs a full scrypt per unlock attempt: fewer examples.
    @settings(max_examples=40 if secret is None else 8, deadline=None)
    @given(bit=st.integers(0, len(wrapped) * 8 - 1))
    def check(bit: int) -> None:
        write_slot(path, with_wrapped_key(original, flip(wrapped, bit)))
        damaged = Store.open(store.directory, device_secrets=device_secrets)
        try:
            with pytest.raises(expected) as caught:
                damaged.unlock(secret)
            assert damaged.is_locked
            if isinstance(caught.value, Tampered):
                assert caught.value.table == "keyslot"
        finally:
            damaged.close()
        write_slot(path, original)
        intact = Store.open(store.directory, device_secrets=device_secrets)
        try:
            intact.unlock(secret)
            assert intact.repos.meetings.get(meeting.id) == meeting
        finally:
            intact.close()

    check()


def test_a_flipped_bit_anywhere_in_a_device_key_slot_is_a_typed_error_or_harmless(
    make_store: Callable[..., Store], device_secrets: DeviceSecrets
) -> None:
    """Any damage to the slot's text: a typed error at open or unlock, never a crash.

    A few flips are harmless (an upper-case hex digit is the same byte); then
    the store must unlock with the right key.
    """
    store = make_store()
    meeting = Meeting(
        id=MeetingId("m1"),
        title="Hội nghị",
        starts_at=datetime(2025, 5, 1, tzinfo=UTC),
        ends_at=datetime(2025, 5, 1, 4, tzinfo=UTC),
    )
    services.save(store, meeting)
    store.close()
    path = store.directory / DB_FILENAME
    original = read_slot(path).encode()
    outcomes: dict[str, int] = {}

    @settings(max_examples=300, deadline=None)
    @given(bit=st.integers(0, len(original) * 8 - 1))
    def check(bit: int) -> None:
        write_slot(path, flip(original, bit))
        try:
            damaged = Store.open(store.directory, device_secrets=device_secrets)
        except MeetingRoomError as exc:
            outcomes[type(exc).__name__] = outcomes.get(type(exc).__name__, 0) + 1
            return
        try:
            damaged.unlock()
        except MeetingRoomError as exc:
            outcomes[type(exc).__name__] = outcomes.get(type(exc).__name__, 0) + 1
            assert damaged.is_locked
        else:
            outcomes["harmless"] = outcomes.get("harmless", 0) + 1
            assert damaged.repos.meetings.get(meeting.id) == meeting
        finally:
            damaged.close()

    try:
        check()
    finally:
        write_slot(path, original)
    assert outcomes, "no example ran"
    intact = Store.open(store.directory, device_secrets=device_secrets)
    try:
        intact.unlock()
        assert intact.repos.meetings.get(meeting.id) == meeting
    finally:
        intact.close()


@pytest.mark.parametrize(
    ("field", "before", "after"),
    [("p", b'"p": 1', b'"p": 0'), ("n", b'"n": 65536', b'"n": 65537')],
)
def test_a_flipped_bit_in_the_scrypt_parameters_is_a_typed_error(
    make_store: Callable[..., Store],
    device_secrets: DeviceSecrets,
    field: str,
    before: bytes,
    after: bytes,
) -> None:
    store = make_store(Protection.DEVICE_AND_PIN, PIN)
    store.close()
    path = store.directory / DB_FILENAME
    original = read_slot(path).encode()
    assert original.count(before) == 1
    damaged = original.replace(before, after)
    # One single bit differs: this is what a flipped bit on disk looks like.
    assert sum(bin(a ^ b).count("1") for a, b in zip(original, damaged, strict=True)) == 1
    write_slot(path, damaged)
    # Refused as a damaged profile when opened (StoreCorrupt), never a raw error.
    with pytest.raises(MeetingRoomError, match="damaged"):
        Store.open(store.directory, device_secrets=device_secrets)


# -- (c) document bytes round trip ---------------------------------------------------------


reads = st.lists(
    st.tuples(
        st.sampled_from(["set", "cur", "end"]),
        st.floats(0.0, 1.02),  # where to go, as a fraction of the size (a bit past the end too)
        st.one_of(
            st.integers(0, 300),
            st.integers(0, 2 * CHUNK_SIZE + 10),
            st.just(-1),
            st.just(CHUNK_SIZE),
        ),
        st.booleans(),  # read() or readinto()
    ),
    max_size=8,
)


def test_document_bytes_of_any_length_round_trip(make_store: Callable[..., Store]) -> None:
    store = make_store()
    stored: list[int] = []

    @settings(max_examples=30, deadline=None)
    @given(
        size=sizes(0, MAX_SIZE),
        seed=st.integers(0, 2**32),
        operations=reads,
    )
    @example(size=0, seed=1, operations=[("set", 0.0, 10, False), ("end", 1.0, -1, True)])
    @example(size=1, seed=6, operations=[("set", 0.0, 1, True), ("cur", 1.0, 5, False)])
    @example(size=CHUNK_SIZE - 1, seed=7, operations=[("end", 0.999, 10, False)])
    @example(size=CHUNK_SIZE, seed=2, operations=[("set", 0.5, CHUNK_SIZE, False)])
    @example(size=CHUNK_SIZE + 1, seed=8, operations=[("set", 0.99, CHUNK_SIZE, True)])
    @example(size=2 * CHUNK_SIZE, seed=3, operations=[("set", 0.49, 2 * CHUNK_SIZE, True)])
    @example(size=3 * CHUNK_SIZE, seed=4, operations=[("end", 1.0, -1, False)])
    @example(size=MAX_SIZE, seed=5, operations=[("cur", 0.9999, 100, False)])
    @example(
        size=2 * CHUNK_SIZE + 12345,
        seed=9,
        operations=[
            ("set", 0.4, 300, True),
            ("cur", 0.6, CHUNK_SIZE, False),
            ("end", 0.5, -1, True),
        ],
    )
    def check(size: int, seed: int, operations: list[tuple[str, float, int, bool]]) -> None:
        content = document(seed, size)
        sha256 = hashlib.sha256(content).hexdigest()
        version_id = DocumentVersionId(f"doc{len(stored)}")
        manifest = services.store_document_bytes(
            store, version_id, io.BytesIO(content), expected_sha256=sha256
        )
        stored.append(size)
        assert (manifest.size, manifest.sha256) == (size, sha256)
        assert manifest.chunks == max(1, -(-size // CHUNK_SIZE))
        state = store.blobs.state(version_id)
        assert state.complete
        assert state.bytes_stored == size

        buffer = store.blobs.read_into_buffer(version_id)
        assert len(buffer) == size
        assert hashlib.sha256(buffer).hexdigest() == sha256

        model = io.BytesIO(content)
        with store.blobs.open(version_id) as reader:
            assert reader.seekable()
            assert reader.readable()
            for whence_name, fraction, count, into in operations:
                target = int(size * fraction)
                whence, offset = {
                    "set": (io.SEEK_SET, target),
                    "cur": (io.SEEK_CUR, target - model.tell()),
                    "end": (io.SEEK_END, target - size),
                }[whence_name]
                assert reader.seek(offset, whence) == model.seek(offset, whence) == target
                if into and count >= 0:
                    got_buffer = bytearray(count)
                    n = reader.readinto(got_buffer)
                    assert bytes(got_buffer[:n]) == model.read(count)
                else:
                    assert reader.read(count) == model.read(count)
                assert reader.tell() == model.tell()
            reader.seek(0)
            assert reader.read() == content

    check()
    assert set(BOUNDARY_SIZES) <= set(stored)
    assert sum(size > 2 * CHUNK_SIZE for size in stored) >= 3
