"""Document chunks in files beside the database (``meetingroom/store/chunkfiles.py``).

The promises: a document is written once, outside the database and its
log; only ciphertext reaches the files; a resumed download keeps exactly
the chunks that still authenticate; a version is complete only after its
file is synced; parallel writers write their own files; discarding, wiping
and a stale file from a cut-short discard leave nothing behind; and a
store from before the change keeps its documents through the migration.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from meetingroom.crypto import DeviceSecrets
from meetingroom.crypto.aead import OVERHEAD, chunk_context
from meetingroom.errors import DiskFull, IncompleteDocument, StoreError, Tampered
from meetingroom.store import CHUNK_SIZE, DB_FILENAME, Store, chunkfiles, schema

SEALED = CHUNK_SIZE + OVERHEAD


def write_document(store: Store, version_id: str, data: bytes, block: int = 256 * 1024) -> None:
    writer = store.blobs.writer(
        version_id, expected_size=len(data), expected_sha256=hashlib.sha256(data).hexdigest()
    )
    view = memoryview(data)
    for offset in range(0, len(data), block):
        writer.write(view[offset : offset + block])
    writer.finish()


def db_bytes(profile: Path) -> int:
    return sum(p.stat().st_size for p in profile.iterdir() if p.name.startswith(DB_FILENAME))


def test_a_document_is_written_once_into_its_own_file_not_the_database(
    store: Store, profile: Path
) -> None:
    before = db_bytes(profile)
    data = os.urandom(8 * CHUNK_SIZE + 123)
    write_document(store, "v1", data)
    path = store.blobs.path("v1")
    assert path.parent == profile / "chunks"
    assert path.stat().st_size == 9 * OVERHEAD + len(data)
    # The database and its log grew by bookkeeping only, not by the document.
    assert db_bytes(profile) - before < CHUNK_SIZE
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    assert "v1" not in path.name  # file names do not carry version ids
    assert store.blobs.read_into_buffer("v1") == data
    assert store.stats()["chunk_files"] == 1


def test_resume_keeps_the_chunks_that_authenticate_and_cuts_the_rest(store: Store) -> None:
    data = os.urandom(5 * CHUNK_SIZE + 10)
    writer = store.blobs.writer("v1", expected_sha256=hashlib.sha256(data).hexdigest())
    writer.write(data[: 4 * CHUNK_SIZE + 99])
    assert writer.committed_offset == 4 * CHUNK_SIZE
    path = store.blobs.path("v1")
    # A power cut: chunk 2 never reached the disk (zeros), chunk 3 did.
    with open(path, "r+b") as f:
        f.seek(2 * SEALED)
        f.write(bytes(SEALED))
        f.seek(4 * SEALED)
        f.write(b"torn tail")
    resumed = store.blobs.writer("v1", expected_sha256=hashlib.sha256(data).hexdigest())
    assert resumed.offset == 2 * CHUNK_SIZE
    assert path.stat().st_size == 2 * SEALED
    resumed.write(data[2 * CHUNK_SIZE :])
    resumed.finish()
    assert store.blobs.read_into_buffer("v1") == data


def test_a_complete_version_cannot_be_read_from_a_truncated_or_swapped_file(
    store: Store,
) -> None:
    one, two = os.urandom(2 * CHUNK_SIZE + 5), os.urandom(2 * CHUNK_SIZE + 5)
    write_document(store, "v1", one)
    write_document(store, "v2", two)
    p1, p2 = store.blobs.path("v1"), store.blobs.path("v2")
    b1, b2 = p1.read_bytes(), p2.read_bytes()
    p1.write_bytes(b2)  # another version's chunks under this version's name
    with pytest.raises(Tampered) as caught:
        store.blobs.read_into_buffer("v1")
    assert caught.value.row_id == "v1#0"
    p1.write_bytes(b1[: 2 * SEALED])  # the last chunk cut off
    with pytest.raises(Tampered):
        store.blobs.read_into_buffer("v1")
    p1.unlink()
    with pytest.raises(Tampered):
        store.blobs.read_into_buffer("v1")
    with pytest.raises(Tampered):
        store.blobs.open("v1").read()
    assert store.blobs.read_into_buffer("v2") == two


def test_the_manifest_commits_only_after_the_file_is_synced(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A disk that fails at the final flush is a fault we cannot cause here.
    def no_space(path: Path) -> None:
        raise chunkfiles.translate_os_error(OSError(errno.ENOSPC, "No space left on device"))

    monkeypatch.setattr(chunkfiles, "sync_file", no_space)
    data = os.urandom(CHUNK_SIZE + 1)
    with pytest.raises(DiskFull):
        write_document(store, "v1", data)
    assert not store.blobs.is_complete("v1")
    with pytest.raises(IncompleteDocument):
        store.blobs.read_into_buffer("v1")
    monkeypatch.undo()
    # The download resumes from what is on disk and completes.
    writer = store.blobs.writer("v1", expected_sha256=hashlib.sha256(data).hexdigest())
    writer.write(data[writer.offset :])
    writer.finish()
    assert store.blobs.read_into_buffer("v1") == data


def test_parallel_writers_each_fill_their_own_file(store: Store) -> None:
    docs = {f"v{i}": os.urandom(3 * CHUNK_SIZE + i * 1000) for i in range(4)}
    errors: list[BaseException] = []

    def download(version_id: str) -> None:
        try:
            write_document(store, version_id, docs[version_id], block=64 * 1024)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=download, args=(v,)) for v in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for version_id, data in docs.items():
        assert store.blobs.read_into_buffer(version_id) == data


def test_discard_and_a_stale_file_without_a_row(store: Store) -> None:
    write_document(store, "v1", os.urandom(CHUNK_SIZE + 7))
    path = store.blobs.path("v1")
    store.blobs.discard("v1")
    assert not path.exists()
    assert store.blobs.state("v1").bytes_stored == 0
    # A discard cut short between its two steps leaves a file no row names.
    path.write_bytes(os.urandom(3 * SEALED))
    writer = store.blobs.writer("v1")
    assert writer.offset == 0
    assert not path.exists()


def test_wipe_removes_the_chunk_files(profile: Path, device_secrets: DeviceSecrets) -> None:
    store = Store.create(profile, device_secrets=device_secrets)
    write_document(store, "v1", os.urandom(2 * CHUNK_SIZE))
    assert (profile / "chunks").is_dir()
    store.wipe()
    assert not profile.exists()
    with pytest.raises(StoreError):
        store.blobs.state("v1")


def old_store_with_chunks_in_a_table(
    profile: Path, device_secrets: DeviceSecrets, docs: dict[str, bytes], holes: set[str]
) -> None:
    """Build a store as the code before ``m006_chunk_files`` left it."""
    store = Store.create(profile, device_secrets=device_secrets)
    cipher = store.cipher()
    with store.atomic() as db:
        db.execute('DELETE FROM "_sqlite_migrations" WHERE "name" = ?', ["m006_chunk_files"])
        db.execute(
            'CREATE TABLE "blob_chunks" ("version_id" TEXT NOT NULL, "idx" INTEGER NOT NULL, '
            '"data" BLOB NOT NULL, PRIMARY KEY ("version_id", "idx"))'
        )
        for version_id, data in docs.items():
            chunks = max(1, -(-len(data) // CHUNK_SIZE))
            for index in range(chunks):
                if version_id in holes and index == 1:
                    continue
                part = data[index * CHUNK_SIZE : (index + 1) * CHUNK_SIZE]
                db.execute(
                    'INSERT INTO "blob_chunks" VALUES (?, ?, ?)',
                    [
                        version_id,
                        index,
                        bytes(cipher.seal_large(part, chunk_context(version_id, index))),
                    ],
                )
            manifest = json.dumps(
                {"size": len(data), "chunks": chunks, "sha256": hashlib.sha256(data).hexdigest()}
            ).encode()
            db.table("blobs").insert(
                {
                    "version_id": version_id,
                    "chunk_size": CHUNK_SIZE,
                    "expected_size": len(data),
                    "complete": 1,
                    "manifest": store.seal("blobs", version_id, "manifest", manifest),
                }
            )
    store.close()
    chunkfiles.remove_all(profile)


def test_the_migration_moves_chunks_out_of_the_database(
    profile: Path, device_secrets: DeviceSecrets
) -> None:
    docs = {
        "v1": os.urandom(3 * CHUNK_SIZE + 11),
        "v2": b"",
        "v3": os.urandom(CHUNK_SIZE),
        "v4": os.urandom(3 * CHUNK_SIZE),  # chunk 1 missing: fetched again
    }
    old_store_with_chunks_in_a_table(profile, device_secrets, docs, holes={"v4"})
    with Store.open(profile, device_secrets=device_secrets) as store:
        store.unlock()
        assert not store.db.table("blob_chunks").exists()
        assert "m006_chunk_files" in schema.known_migrations()
        for version_id in ("v1", "v2", "v3"):
            assert store.blobs.read_into_buffer(version_id) == docs[version_id]
        assert not store.blobs.is_complete("v4")
        writer = store.blobs.writer("v4", expected_sha256=hashlib.sha256(docs["v4"]).hexdigest())
        assert writer.offset == CHUNK_SIZE  # the run before the hole was kept
        writer.write(docs["v4"][writer.offset :])
        writer.finish()
        assert store.blobs.read_into_buffer("v4") == docs["v4"]
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


FULL = 2


def synchronous(store: Store) -> int:
    return int(store.db.execute("PRAGMA synchronous").fetchone()[0])


def statements_of(store: Store, action: Callable[[], object]) -> list[str]:
    """Return the SQL statements the store's connection ran during ``action()``."""
    ran: list[str] = []
    store.db.conn.set_trace_callback(ran.append)
    try:
        action()
    finally:
        store.db.conn.set_trace_callback(None)
    return ran


def test_a_download_s_bookkeeping_skips_the_log_sync_and_leaves_the_connection_at_full(
    store: Store,
) -> None:
    data = os.urandom(2 * CHUNK_SIZE + 77)

    def download() -> None:
        writer = store.blobs.writer(
            "v1", expected_sha256=hashlib.sha256(data).hexdigest(), refetchable=True
        )
        writer.write(data)
        writer.finish()

    ran = statements_of(store, download)
    # NORMAL for the progress row and for the manifest, FULL again after each.
    assert ran.count("PRAGMA synchronous=NORMAL") == 2
    assert ran.count("PRAGMA synchronous=FULL") == 2
    assert synchronous(store) == FULL
    assert store.blobs.read_into_buffer("v1") == data
    # A document only this device has (not refetchable) commits durably.
    ran = statements_of(store, lambda: write_document(store, "v2", data))
    assert "PRAGMA synchronous=NORMAL" not in ran
    assert store.blobs.read_into_buffer("v2") == data


def insert_then_fail(store: Store) -> None:
    with store.atomic_not_durable() as db:
        db.execute("INSERT INTO meta (key, value) VALUES ('probe', '1')")
        raise RuntimeError("the bookkeeping could not be finished")


def nested_then_fail(store: Store) -> None:
    with store.atomic():
        with store.atomic_not_durable() as db:  # no "safety level" error inside a transaction
            db.execute("INSERT INTO meta (key, value) VALUES ('probe', '1')")
        raise RuntimeError("the outer transaction fails")


@pytest.mark.parametrize("fail", [insert_then_fail, nested_then_fail])
def test_a_failed_not_durable_transaction_rolls_back_and_restores_full(
    store: Store, fail: Callable[[Store], None]
) -> None:
    with pytest.raises(RuntimeError):
        fail(store)
    assert synchronous(store) == FULL
    assert store.db.execute("SELECT count(*) FROM meta WHERE key = 'probe'").fetchone()[0] == 0
