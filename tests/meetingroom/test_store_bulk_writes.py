"""Fast document downloads without weakening the store.

Document chunks commit with ``synchronous=NORMAL`` (``Store.bulk_atomic``),
new stores use 64 KiB pages, and the write-ahead log is checkpointed on a
background thread. These tests hold the promises around that: every other
write still commits with FULL, a failed chunk leaves nothing behind, an
existing store keeps its page size, the background checkpoint really copies
the log into the database file, and closing, wiping and changing the PIN
still truncate the log (so no old key slot or chunk is left in it) while a
background checkpoint may be running.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from meetingroom.crypto import DeviceSecrets
from meetingroom.errors import StoreError
from meetingroom.store import CHUNK_SIZE, DB_FILENAME, Store, gateway

FULL = 2


def synchronous(store: Store) -> int:
    return int(store.db.execute("PRAGMA synchronous").fetchone()[0])


def write_document(store: Store, version_id: str, data: bytes) -> None:
    writer = store.blobs.writer(
        version_id, expected_size=len(data), expected_sha256=hashlib.sha256(data).hexdigest()
    )
    view = memoryview(data)
    for offset in range(0, len(data), 256 * 1024):
        writer.write(view[offset : offset + 256 * 1024])
    writer.finish()


def wal_size(profile: Path) -> int:
    wal = profile / (DB_FILENAME + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_chunk_commits_leave_the_connection_at_synchronous_full(store: Store) -> None:
    data = os.urandom(3 * CHUNK_SIZE + 77)
    writer = store.blobs.writer("v1", expected_sha256=hashlib.sha256(data).hexdigest())
    writer.write(data[: 2 * CHUNK_SIZE + 5])
    assert writer.committed_offset == 2 * CHUNK_SIZE
    assert synchronous(store) == FULL  # restored after each chunk transaction
    writer.write(data[2 * CHUNK_SIZE + 5 :])
    writer.finish()
    assert synchronous(store) == FULL
    assert store.blobs.read_into_buffer("v1") == data


def insert_chunk_then_fail(store: Store) -> None:
    with store.bulk_atomic() as db:
        db.execute(
            'INSERT INTO "blob_chunks" ("version_id", "idx", "data") VALUES (?, ?, ?)',
            ["v1", 0, b"sealed"],
        )
        raise RuntimeError("the chunk could not be finished")


def nested_bulk_then_fail(store: Store) -> None:
    with store.atomic():
        with store.bulk_atomic() as db:  # no "safety level" error inside a transaction
            db.execute(
                'INSERT INTO "blob_chunks" ("version_id", "idx", "data") VALUES (?, ?, ?)',
                ["v1", 0, b"sealed"],
            )
        raise RuntimeError("the outer transaction fails")


def test_a_failed_bulk_transaction_rolls_back_and_restores_full(store: Store) -> None:
    with pytest.raises(RuntimeError, match="could not be finished"):
        insert_chunk_then_fail(store)
    assert synchronous(store) == FULL
    assert store.db.execute('SELECT count(*) FROM "blob_chunks"').fetchone()[0] == 0


def test_bulk_transaction_nested_in_a_transaction_belongs_to_it(store: Store) -> None:
    with pytest.raises(RuntimeError, match="outer transaction"):
        nested_bulk_then_fail(store)
    assert synchronous(store) == FULL
    assert store.db.execute('SELECT count(*) FROM "blob_chunks"').fetchone()[0] == 0


def test_new_stores_use_large_pages_and_existing_stores_keep_theirs(
    tmp_path: Path, device_secrets: DeviceSecrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.create(tmp_path / "new", device_secrets=device_secrets) as new:
        assert new.db.execute("PRAGMA page_size").fetchone()[0] == gateway.NEW_STORE_PAGE_SIZE

    # A store made before the change (SQLite's 4 KiB pages) is opened as it is.
    monkeypatch.setattr(gateway, "NEW_STORE_PAGE_SIZE", 4096)
    old = Store.create(tmp_path / "old", device_secrets=device_secrets)
    old.close()
    monkeypatch.undo()
    data = os.urandom(2 * CHUNK_SIZE + 3)
    with Store.open(tmp_path / "old", device_secrets=device_secrets) as reopened:
        reopened.unlock()
        assert reopened.db.execute("PRAGMA page_size").fetchone()[0] == 4096
        write_document(reopened, "v1", data)
        assert reopened.blobs.read_into_buffer("v1") == data
        assert reopened.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_background_checkpoint_copies_a_download_into_the_database_file(
    store: Store, profile: Path
) -> None:
    # More than BACKGROUND_CHECKPOINT_BYTES, less than the autocheckpoint
    # bound: only the background checkpoint can move these pages.
    size = gateway.BACKGROUND_CHECKPOINT_BYTES + 4 * CHUNK_SIZE
    assert size < gateway.WAL_CHECKPOINT_BYTES
    data = os.urandom(size)
    before = (profile / DB_FILENAME).stat().st_size
    write_document(store, "v1", data)
    deadline = time.monotonic() + 60
    while (profile / DB_FILENAME).stat().st_size - before < gateway.BACKGROUND_CHECKPOINT_BYTES:
        assert time.monotonic() < deadline, "no background checkpoint copied the chunks"
        time.sleep(0.05)
    assert synchronous(store) == FULL
    assert store.blobs.read_into_buffer("v1") == data


def test_changing_the_pin_right_after_a_download_still_truncates_the_log(
    store: Store, profile: Path
) -> None:
    write_document(store, "v1", os.urandom(gateway.BACKGROUND_CHECKPOINT_BYTES + CHUNK_SIZE))
    store.checkpoint(wait=False)  # a background checkpoint may be under way now
    store.change_pin(None, "2468")
    # The old key slot went through the log: the log must be emptied, not
    # skipped as "busy" because of the background checkpoint.
    assert wal_size(profile) == 0


def test_close_and_wipe_right_after_a_download(
    profile: Path, tmp_path: Path, device_secrets: DeviceSecrets
) -> None:
    data = os.urandom(gateway.BACKGROUND_CHECKPOINT_BYTES + CHUNK_SIZE)
    store = Store.create(profile, device_secrets=device_secrets)
    write_document(store, "v1", data)
    store.checkpoint(wait=False)
    store.close()
    assert wal_size(profile) == 0
    with Store.open(profile, device_secrets=device_secrets) as again:
        again.unlock()
        assert again.blobs.read_into_buffer("v1") == data
        write_document(again, "v2", data)
        again.checkpoint(wait=False)
        again.wipe()
    assert not profile.exists()
    with pytest.raises(StoreError):
        again.blobs.state("v1")
