"""The file blob store: content addressing, resumable verified uploads, atomic publication."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.blobstore import (
    BLOCK_SIZE,
    BlobNotFound,
    BlobStore,
    FileBlobStore,
    InvalidId,
    UploadHashMismatch,
    UploadIncomplete,
    UploadNotFound,
    UploadOffsetMismatch,
    UploadTooLarge,
    etag,
)

LIMIT = 500 * 1024 * 1024


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put(store: FileBlobStore, data: bytes) -> str:
    upload = store.begin_upload(sha(data), len(data), LIMIT)
    store.append(upload, 0, data)
    return store.complete(upload)


def visible_files(root: Path) -> list[Path]:
    return [p for p in (root / "blobs").rglob("*") if p.is_file()]


def test_file_store_satisfies_the_protocol(tmp_path: Path) -> None:
    store: BlobStore = FileBlobStore(tmp_path)
    assert not store.exists("0" * 64)


def test_put_and_read(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    data = os.urandom(3 * BLOCK_SIZE + 17)
    digest = put(store, data)
    assert digest == sha(data)
    path = tmp_path / "blobs" / digest[:2] / digest[2:4] / digest
    assert path.read_bytes() == data
    assert store.exists(digest)
    assert store.size(digest) == len(data)
    blocks = list(store.open_range(digest, 0, len(data) - 1))
    assert b"".join(blocks) == data
    assert all(len(b) <= BLOCK_SIZE for b in blocks)
    assert b"".join(store.open_range(digest, 10, 10)) == data[10:11]
    assert (
        b"".join(store.open_range(digest, BLOCK_SIZE - 1, 2 * BLOCK_SIZE))
        == (data[BLOCK_SIZE - 1 : 2 * BLOCK_SIZE + 1])
    )
    assert list((tmp_path / "uploads").iterdir()) == []  # the session is gone
    assert etag(digest) == f'"sha256-{digest}"'


def test_exists_sees_blobs_other_processes_store_and_remembers_them(tmp_path: Path) -> None:
    """A server process's store learns of a blob another process stored (a hash it was
    asked about before included), and, blobs never being deleted, keeps knowing it."""
    ours, theirs = FileBlobStore(tmp_path), FileBlobStore(tmp_path)
    data = os.urandom(100)
    assert not ours.exists(sha(data))
    digest = put(theirs, data)
    assert ours.exists(digest)
    (tmp_path / "blobs" / digest[:2] / digest[2:4] / digest).unlink()  # by hand, behind our back
    assert ours.exists(digest)  # remembered: no stat for it any more
    assert not FileBlobStore(tmp_path).exists(digest)
    with pytest.raises(InvalidId):
        ours.exists(digest.upper() + "/..")


def test_open_range_checks_bounds_and_existence(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    digest = put(store, b"0123456789")
    for start, end in [(-1, 3), (5, 4), (0, 10)]:
        with pytest.raises(ValueError, match="outside"):
            store.open_range(digest, start, end)
    with pytest.raises(BlobNotFound):
        store.open_range("1" * 64, 0, 0)
    with pytest.raises(BlobNotFound):
        store.size("1" * 64)
    reader = store.open_range(digest, 0, 9)
    reader.close()  # an unread response may be closed
    assert list(reader) == []


def test_empty_blob(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    digest = put(store, b"")
    assert store.size(digest) == 0


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.binary(min_size=0, max_size=200_000),
    cuts=st.lists(st.integers(min_value=0, max_value=200_000), max_size=12),
    known_size=st.booleans(),
)
def test_upload_in_random_chunks(
    tmp_path: Path, data: bytes, cuts: list[int], known_size: bool
) -> None:
    store = FileBlobStore(tmp_path / os.urandom(8).hex())
    upload = store.begin_upload(sha(data), len(data) if known_size else None, LIMIT)
    bounds = sorted({0, len(data), *(c for c in cuts if c < len(data))})
    for a, b in itertools.pairwise(bounds):
        assert store.append(upload, a, data[a:b]) == b
        assert store.upload_status(upload) == (b, len(data) if known_size else None)
    digest = store.complete(upload)
    assert digest == sha(data)
    if data:
        assert b"".join(store.open_range(digest, 0, len(data) - 1)) == data
    assert store.blob_path(digest).read_bytes() == data


def test_streamed_chunk(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    data = os.urandom(5 * BLOCK_SIZE)
    upload = store.begin_upload(sha(data), len(data), LIMIT)
    blocks = (data[i : i + BLOCK_SIZE] for i in range(0, len(data), BLOCK_SIZE))
    assert store.append(upload, 0, blocks) == len(data)
    assert store.complete(upload) == sha(data)


def test_resume_after_restart(tmp_path: Path) -> None:
    data = os.urandom(100_000)
    first = FileBlobStore(tmp_path)
    upload = first.begin_upload(sha(data), len(data), LIMIT)
    first.append(upload, 0, data[:40_000])
    del first
    second = FileBlobStore(tmp_path)  # a restarted process, or another one sharing DATA
    received, expected = second.upload_status(upload)
    assert (received, expected) == (40_000, len(data))
    second.append(upload, received, data[received:])
    assert second.complete(upload) == sha(data)
    assert second.blob_path(sha(data)).read_bytes() == data


def test_wrong_offset_reports_current_size(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    data = os.urandom(1000)
    upload = store.begin_upload(sha(data), len(data), LIMIT)
    store.append(upload, 0, data[:300])
    for offset in (0, 299, 301, 1000):
        with pytest.raises(UploadOffsetMismatch) as info:
            store.append(upload, offset, data[offset : offset + 10])
        assert info.value.current == 300
    assert store.upload_status(upload) == (300, 1000)
    # A client that lost our reply retries the same chunk, learns the offset, and resumes.
    store.append(upload, 300, data[300:])
    assert store.complete(upload) == sha(data)


def test_hash_mismatch_deletes_everything(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    data = os.urandom(1000)
    upload = store.begin_upload(sha(b"something else"), len(data), LIMIT)
    store.append(upload, 0, data)
    with pytest.raises(UploadHashMismatch) as info:
        store.complete(upload)
    assert info.value.actual == sha(data)
    assert visible_files(tmp_path) == []
    assert not store.exists(sha(data))
    assert not store.exists(sha(b"something else"))
    assert list((tmp_path / "uploads").iterdir()) == []
    with pytest.raises(UploadNotFound):
        store.upload_status(upload)


def test_too_large(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    with pytest.raises(UploadTooLarge):
        store.begin_upload("a" * 64, 101, 100)
    # Declared size bounds the upload...
    upload = store.begin_upload("a" * 64, 10, 100)
    store.append(upload, 0, b"12345")
    with pytest.raises(UploadTooLarge) as info:
        store.append(upload, 5, b"123456")
    assert info.value.limit == 10
    assert store.upload_status(upload) == (5, 10)  # nothing of the rejected chunk kept
    # ...and without one, the limit does, even for a streamed chunk.
    upload = store.begin_upload("a" * 64, None, 100)
    with pytest.raises(UploadTooLarge):
        store.append(upload, 0, iter([b"x" * 60, b"x" * 60]))
    assert store.upload_status(upload) == (0, None)
    store.append(upload, 0, b"x" * 100)


def test_incomplete_upload_cannot_complete(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    data = os.urandom(100)
    upload = store.begin_upload(sha(data), len(data), LIMIT)
    store.append(upload, 0, data[:50])
    with pytest.raises(UploadIncomplete):
        store.complete(upload)
    store.append(upload, 50, data[50:])
    assert store.complete(upload) == sha(data)


def test_complete_is_idempotent_when_blob_exists(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    data = os.urandom(1000)
    digest = put(store, data)
    assert put(store, data) == digest
    assert visible_files(tmp_path) == [store.blob_path(digest)]
    assert store.blob_path(digest).read_bytes() == data


def test_abort(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    upload = store.begin_upload("a" * 64, None, 100)
    store.abort(upload)
    with pytest.raises(UploadNotFound):
        store.append(upload, 0, b"x")
    with pytest.raises(UploadNotFound):
        store.complete(upload)
    with pytest.raises(UploadNotFound):
        store.abort(upload)


def test_concurrent_completes(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    data = os.urandom(2 * 1024 * 1024)
    digest = sha(data)
    # Two threads complete the same upload, and two more complete two
    # different uploads of the same bytes: one correct file in the end.
    same = store.begin_upload(digest, len(data), LIMIT)
    store.append(same, 0, data)
    others = []
    for _ in range(2):
        upload = store.begin_upload(digest, len(data), LIMIT)
        store.append(upload, 0, data)
        others.append(upload)
    results: list[object] = []
    barrier = threading.Barrier(4)

    def run(upload: str) -> None:
        barrier.wait()
        try:
            results.append(FileBlobStore(tmp_path).complete(upload))
        except UploadNotFound as exc:  # the loser of the same upload, if it came late
            results.append(exc)

    threads = [threading.Thread(target=run, args=(u,)) for u in [same, same, *others]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(digest) >= 3
    assert all(r == digest or isinstance(r, UploadNotFound) for r in results)
    assert visible_files(tmp_path) == [store.blob_path(digest)]
    assert store.blob_path(digest).read_bytes() == data
    assert list((tmp_path / "uploads").iterdir()) == []


def test_concurrent_appends_at_same_offset(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    data = os.urandom(4 * 1024 * 1024)
    upload = store.begin_upload(sha(data), len(data), LIMIT)
    outcomes: list[object] = []
    barrier = threading.Barrier(4)

    def run() -> None:
        barrier.wait()
        try:
            outcomes.append(store.append(upload, 0, data))
        except UploadOffsetMismatch as exc:
            outcomes.append(exc.current)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == [len(data)] * 4  # one wrote; the others learnt it is all there
    assert store.complete(upload) == sha(data)


def test_no_partial_blob_is_ever_visible(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    data = os.urandom(32 * 1024 * 1024)
    digest = sha(data)
    upload = store.begin_upload(digest, len(data), LIMIT)
    store.append(upload, 0, data)
    final = store.blob_path(digest)
    done = threading.Event()
    seen: list[int] = []

    def watch() -> None:
        while not done.is_set():
            with contextlib.suppress(FileNotFoundError):
                seen.append(final.stat().st_size)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        assert store.complete(upload) == digest
    finally:
        done.set()
        watcher.join()
    assert all(size == len(data) for size in seen)
    assert final.read_bytes() == data


@pytest.mark.parametrize(
    "bad",
    [
        "../" * 20 + "etc/passwd",
        "../../" + "a" * 58,
        "/" + "a" * 63,
        "A" * 64,  # canonical form is lowercase
        "a" * 63,
        "a" * 65,
        "a" * 64 + "\n",
        "g" * 64,
        "",
    ],
)
def test_bad_hashes_are_rejected(tmp_path: Path, bad: str) -> None:
    store = FileBlobStore(tmp_path)
    with pytest.raises(InvalidId):
        store.exists(bad)
    with pytest.raises(ValueError, match="hex"):  # InvalidId is a ValueError
        store.open_range(bad, 0, 0)
    with pytest.raises(InvalidId):
        store.begin_upload(bad, 1, 100)
    with pytest.raises(InvalidId):
        etag(bad)


@pytest.mark.parametrize(
    "bad",
    ["..", "../blobs", "../../etc", "." + "a" * 31, "a" * 31 + "/", "A" * 32, "a" * 33, ""],
)
def test_bad_upload_ids_are_rejected(tmp_path: Path, bad: str) -> None:
    store = FileBlobStore(tmp_path)
    for call in (
        lambda: store.append(bad, 0, b"x"),
        lambda: store.upload_status(bad),
        lambda: store.complete(bad),
        lambda: store.abort(bad),
    ):
        with pytest.raises(InvalidId):
            call()


def test_unknown_upload(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    with pytest.raises(UploadNotFound):
        store.upload_status("0" * 32)


def test_another_process_continues_the_upload(tmp_path: Path) -> None:
    # Stateless servers behind a load balancer: chunks of one upload may
    # reach different processes that share only DATA.
    data = os.urandom(200_000)
    store = FileBlobStore(tmp_path)
    upload = store.begin_upload(sha(data), len(data), LIMIT)
    store.append(upload, 0, data[:70_000])
    (tmp_path / "rest").write_bytes(data[70_000:])
    script = (
        "import sys; from pathlib import Path; from server.blobstore import FileBlobStore; "
        "root = Path(sys.argv[1]); s = FileBlobStore(root); "
        "print(s.append(sys.argv[2], 70000, (root / 'rest').read_bytes()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path), upload],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.stdout.strip() == str(len(data))
    assert store.upload_status(upload) == (len(data), len(data))
    assert store.complete(upload) == sha(data)
