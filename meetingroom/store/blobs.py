"""Document bytes in encrypted chunks.

A document version's bytes are cut into fixed-size chunks (1 MiB), each
sealed and bound to (version id, chunk index) and written, as it arrives,
at its place in the version's chunk file beside the database
(``chunkfiles``), so a 300 MB download is written while it streams and
survives an interruption: ``DocumentWriter`` resumes after the last chunk
that still authenticates. The bookkeeping row (table ``blobs``) and, once the
whole content matched its expected hash and the file was fsynced, a sealed
manifest (size, chunk count, SHA-256) live in the database; a reader trusts
only a version with a manifest, so a truncated, swapped or reordered chunk
file can never be read as a document.

Plaintext never touches the disk: no temp files, and reading goes chunk by
chunk (``DocumentReader`` is a seekable file object) or straight into one
preallocated buffer (``read_into_buffer``).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from meetingroom.crypto.aead import (
    OVERHEAD,
    Cipher,
    DecryptionFailed,
    chunk_context,
    field_context,
    plaintext_length,
)
from meetingroom.errors import ChecksumMismatch, IncompleteDocument, StoreError, Tampered
from meetingroom.store import chunkfiles
from meetingroom.store.chunkfiles import CHUNK_SIZE, SEALED_CHUNK, ChunkFileReader

if TYPE_CHECKING:
    from sqlite_utils import Database
    from typing_extensions import Buffer

    from meetingroom.store.gateway import Store

__all__ = [
    "CHUNK_SIZE",
    "BlobState",
    "BlobStore",
    "ChunkSource",
    "DocumentReader",
    "DocumentWriter",
    "Manifest",
    "PendingVersion",
]

# Where a damaged chunk is reported (``Tampered.table``).
CHUNK_LOCATION = "chunks"

_HASH_POOL: ThreadPoolExecutor | None = None


def _hash_pool() -> ThreadPoolExecutor:
    """Return the one thread that hashes chunks beside the writers."""
    global _HASH_POOL
    if _HASH_POOL is None:
        _HASH_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mr-sha256")
    return _HASH_POOL


@dataclass(frozen=True, slots=True)
class Manifest:
    size: int
    chunks: int
    sha256: str


@dataclass(frozen=True, slots=True)
class BlobState:
    """How much of a version's bytes the store holds (plaintext bookkeeping)."""

    version_id: str
    bytes_stored: int
    expected_size: int | None
    complete: bool


def _chunk_length(manifest: Manifest, index: int) -> int:
    """Return the sealed length chunk ``index`` of a complete version must have."""
    return min(CHUNK_SIZE, manifest.size - index * CHUNK_SIZE) + OVERHEAD


def _open_sealed(
    cipher: Cipher, version_id: str, index: int, sealed: memoryview, out: memoryview
) -> int:
    """Decrypt the sealed chunk ``index`` of ``version_id`` into ``out``; return its length.

    Raises:
        Tampered: the chunk is missing, short, altered or moved.
    """
    if len(sealed) < OVERHEAD or plaintext_length(sealed) > len(out):
        raise Tampered(CHUNK_LOCATION, f"{version_id}#{index}", "data")
    try:
        return cipher.open_into(sealed, chunk_context(version_id, index), out)
    except DecryptionFailed:
        raise Tampered(CHUNK_LOCATION, f"{version_id}#{index}", "data") from None


def _open_chunk_file(path: Path, version_id: str, index: int) -> ChunkFileReader:
    """Return a reader of ``version_id``'s chunk file at ``path``.

    Raises:
        Tampered: there is no file, so chunk ``index`` is missing.
        StoreError: the file cannot be read.
    """
    try:
        return ChunkFileReader(path)
    except FileNotFoundError:
        raise Tampered(CHUNK_LOCATION, f"{version_id}#{index}", "data") from None


def _read_all_into(
    cipher: Cipher, path: Path, version_id: str, manifest: Manifest, out: memoryview
) -> None:
    """Decrypt every chunk of a complete version from ``path`` into ``out``.

    Each chunk is read into one reused buffer and decrypted in place into
    its slice of ``out``: no second copy of the document is ever made.

    Raises:
        Tampered: the file is missing, a chunk is missing, altered or moved,
            or the sizes disagree.
        StoreError: the file cannot be read.
        ValueError: ``out`` is shorter than ``manifest.size``.
    """
    if len(out) < manifest.size:
        raise ValueError("output buffer too small")
    offset = 0
    with _open_chunk_file(path, version_id, 0) as reader:
        for index in range(manifest.chunks):
            length = _chunk_length(manifest, index)
            sealed = reader.read(index, length)
            if len(sealed) != length:
                raise Tampered(CHUNK_LOCATION, f"{version_id}#{index}", "data")
            offset += _open_sealed(cipher, version_id, index, sealed, out[offset:])
    if offset != manifest.size:
        raise Tampered("blobs", version_id, "manifest")


class BlobStore:
    """Writes, reads and removes the encrypted bytes of document versions."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def path(self, version_id: str) -> Path:
        """Return the chunk file of ``version_id`` (it may not exist)."""
        return chunkfiles.chunk_file(self._store.directory, version_id)

    def writer(
        self,
        version_id: str,
        *,
        expected_size: int | None = None,
        expected_sha256: str | None = None,
        refetchable: bool = False,
    ) -> DocumentWriter:
        """Return a writer for ``version_id``, resuming any partial download.

        A partial download is checked chunk by chunk; it is cut back at the
        first chunk that does not authenticate (a power cut, a damaged
        disk), and the download resumes from there. With ``refetchable``
        (bytes the server holds: a download), the bookkeeping commits skip
        the WAL fsync (``Store.atomic_not_durable``): a power cut may then
        lose the fact that the version is complete, never the bytes it names,
        and sync fetches it again. Bytes only this device has (a document a
        secretary just added) are committed durably.

        Raises:
            StoreLocked: the store is locked.
            DiskFull, ReadOnlyStore, StoreError: the chunk file cannot be
                prepared.
        """
        return DocumentWriter(
            self._store, version_id, expected_size, expected_sha256, refetchable=refetchable
        )

    def state(self, version_id: str) -> BlobState:
        """Return how much of ``version_id`` is stored. Needs no key."""
        with self._store.reading() as db:
            row = db.execute(
                'SELECT "expected_size", "complete" FROM "blobs" WHERE "version_id" = ?',
                [version_id],
            ).fetchone()
        if row is None:
            return BlobState(version_id, 0, None, False)
        plain = chunkfiles.plaintext_stored(chunkfiles.file_size(self.path(version_id)))
        return BlobState(version_id, plain, row[0], bool(row[1]))

    def is_complete(self, version_id: str) -> bool:
        """Return True when the version's bytes are fully stored and verified."""
        with self._store.reading() as db:
            row = db.execute(
                'SELECT "complete" FROM "blobs" WHERE "version_id" = ?', [version_id]
            ).fetchone()
        return row is not None and bool(row[0])

    def manifest(self, version_id: str) -> Manifest:
        """Return the verified manifest of a complete version.

        Raises:
            IncompleteDocument: the bytes are not all there yet.
            Tampered: the manifest failed its integrity check.
        """
        with self._store.reading() as db:
            row = db.execute(
                'SELECT "manifest", "complete" FROM "blobs" WHERE "version_id" = ?', [version_id]
            ).fetchone()
        if row is None or not row[1] or row[0] is None:
            raise IncompleteDocument(version_id)
        plain = self._store.unseal("blobs", version_id, "manifest", row[0])
        return _parse_manifest(version_id, plain)

    def read_chunk(self, version_id: str, index: int) -> bytes:
        """Return the plaintext of one chunk.

        Raises:
            StoreLocked: the store is locked.
            Tampered: the chunk is missing, altered or moved.
        """
        cipher = self._store.cipher()
        with _open_chunk_file(self.path(version_id), version_id, index) as reader:
            sealed = reader.read(index)
            try:
                return cipher.open(sealed, chunk_context(version_id, index))
            except DecryptionFailed:
                raise Tampered(CHUNK_LOCATION, f"{version_id}#{index}", "data") from None

    def read_chunk_into(self, version_id: str, index: int, out: memoryview) -> int:
        """Decrypt one chunk straight into ``out``; return its length.

        Raises:
            StoreLocked, Tampered: as ``read_chunk`` (also when the chunk
                would not fit in ``out``).
            StoreError: the chunk file cannot be read.
        """
        cipher = self._store.cipher()
        with _open_chunk_file(self.path(version_id), version_id, index) as reader:
            return _open_sealed(cipher, version_id, index, reader.read(index), out)

    def open(self, version_id: str) -> DocumentReader:
        """Return a seekable binary file object over the version's bytes.

        Raises:
            IncompleteDocument: the bytes are not complete.
            StoreLocked, Tampered: as ``manifest``.
        """
        return DocumentReader(self, version_id, self.manifest(version_id))

    def read_into_buffer(self, version_id: str) -> bytearray:
        """Return the whole document in one buffer, filled chunk by chunk.

        This is the form PyMuPDF opens from memory; it never holds the
        document twice.

        Raises: as ``open`` and ``read_chunk``.
        """
        manifest = self.manifest(version_id)
        buffer = bytearray(manifest.size)
        _read_all_into(
            self._store.cipher(), self.path(version_id), version_id, manifest, memoryview(buffer)
        )
        return buffer

    def discard(self, version_id: str) -> None:
        """Remove every stored byte of ``version_id`` (partial or complete).

        The row goes first: a crash between the two leaves a file no row
        names, which the next writer of that version removes.

        Raises: ReadOnlyStore, StoreError.
        """
        with self._store.atomic() as db:
            db.execute('DELETE FROM "blobs" WHERE "version_id" = ?', [version_id])
        chunkfiles.remove(self.path(version_id))

    def chunk_files(self) -> int:
        """Return how many chunk files the profile holds (plaintext bookkeeping)."""
        directory = chunkfiles.chunks_dir(self._store.directory)
        try:
            return sum(1 for entry in directory.iterdir() if entry.is_file())
        except FileNotFoundError:
            return 0


def _parse_manifest(version_id: str, plain: bytes) -> Manifest:
    """Return the manifest in the unsealed JSON ``plain``; raise Tampered if malformed."""
    try:
        raw = json.loads(plain)
        return Manifest(size=int(raw["size"]), chunks=int(raw["chunks"]), sha256=str(raw["sha256"]))
    except (ValueError, KeyError, TypeError):
        raise Tampered("blobs", version_id, "manifest") from None


class ChunkSource:
    """Read-only access to complete document versions from a path and a data key.

    For the PDF worker processes: they get the database path and the raw data
    key (through a pipe) but no keyring, no ``Store`` and no write access.
    The file is opened with SQLite's ``mode=ro``, so a bug or a hostile
    document in a worker can never change the store. The chunk and manifest
    formats are the ones ``DocumentWriter`` writes.
    """

    def __init__(self, db_path: Path | str, data_key: Buffer) -> None:
        """Open ``db_path`` read-only with ``data_key``.

        Raises:
            StoreCorrupt, StoreError: the file cannot be opened as a database.
            ValueError: ``data_key`` is not a 32-byte key.
        """
        from meetingroom.store.gateway import translate_sqlite_error

        self.path = Path(db_path)
        self._cipher = Cipher(bytes(data_key))
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        try:
            self._conn: sqlite3.Connection | None = sqlite3.connect(
                uri, uri=True, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise translate_sqlite_error(exc, self.path) from exc

    def _query(self, sql: str, params: tuple[object, ...]) -> tuple[object, ...] | None:
        from meetingroom.store.gateway import translate_sqlite_error

        if self._conn is None:
            raise StoreError("The meeting database is closed.")
        try:
            row: tuple[object, ...] | None = self._conn.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise translate_sqlite_error(exc, self.path) from exc
        return row

    def manifest(self, version_id: str) -> Manifest:
        """Return the verified manifest of a complete version.

        Raises:
            IncompleteDocument: the bytes are not all there yet.
            Tampered: the manifest failed its integrity check.
        """
        row = self._query(
            'SELECT "manifest", "complete" FROM "blobs" WHERE "version_id" = ?', (version_id,)
        )
        if row is None or not row[1] or not isinstance(row[0], bytes):
            raise IncompleteDocument(version_id)
        try:
            plain = self._cipher.open(row[0], field_context("blobs", version_id, "manifest"))
        except DecryptionFailed:
            raise Tampered("blobs", version_id, "manifest") from None
        return _parse_manifest(version_id, plain)

    def read_into(self, version_id: str, manifest: Manifest, out: memoryview) -> None:
        """Decrypt every chunk of ``version_id`` into ``out`` (``manifest.size`` bytes).

        The chunk file (beside the database) is opened read-only. Each chunk
        is decrypted in place into its slice of ``out``: no second copy of
        the document is ever made.

        Raises:
            Tampered: a chunk is missing, altered, moved, or the sizes disagree.
            StoreError: the chunk file cannot be read.
            ValueError: ``out`` is shorter than ``manifest.size``.
        """
        path = chunkfiles.chunk_file(self.path.parent, version_id)
        _read_all_into(self._cipher, path, version_id, manifest, out)

    def close(self) -> None:
        """Close the database connection. Safe to call twice."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class DocumentWriter:
    """Streams a version's bytes into sealed chunks; resumable after a crash.

    Use ``offset`` to know where to resume a download (e.g. an HTTP Range),
    ``write`` as bytes arrive and ``finish`` at the end. Memory use is one
    chunk whatever the document's size. Chunks go to the version's own file
    without holding the store, so parallel downloads write in parallel; only
    the bookkeeping row and the final manifest go through the database. One
    writer per version at a time.
    """

    def __init__(
        self,
        store: Store,
        version_id: str,
        expected_size: int | None,
        expected_sha256: str | None,
        *,
        refetchable: bool = False,
    ) -> None:
        cipher = store.cipher()  # fail now, not at the first chunk, when locked
        self._refetchable = refetchable
        self._store = store
        self.version_id = version_id
        self.expected_sha256 = expected_sha256.lower() if expected_sha256 else None
        self._buffer = bytearray()
        self._hash = hashlib.sha256()
        self._path = store.blobs.path(version_id)
        chunkfiles.ensure_dir(store.directory)
        with self._bookkeeping() as db:
            row = db.execute(
                'SELECT "chunk_size", "complete", "expected_size" FROM "blobs" '
                'WHERE "version_id" = ?',
                [version_id],
            ).fetchone()
            if row is not None and (row[0] != CHUNK_SIZE or row[1]):
                # A finished version is rewritten from scratch; so is one cut
                # with another chunk size.
                db.execute('DELETE FROM "blobs" WHERE "version_id" = ?', [version_id])
                row = None
            if row is not None and expected_size is None:
                expected_size = row[2]  # resuming: the size the download began with
            if row is None:
                db.table("blobs").insert(
                    {
                        "version_id": version_id,
                        "chunk_size": CHUNK_SIZE,
                        "expected_size": expected_size,
                        "complete": 0,
                        "manifest": None,
                    }
                )
        self.expected_size = expected_size
        if row is None:
            # No row names a file left here (an earlier discard cut short).
            chunkfiles.remove(self._path)
            self._chunks = 0
        else:
            self._chunks = self._resume(cipher)

    def _bookkeeping(self) -> contextlib.AbstractContextManager[Database]:
        """Return the transaction for this writer's row: durable unless refetchable."""
        if self._refetchable:
            return self._store.atomic_not_durable()
        return self._store.atomic()

    def _resume(self, cipher: Cipher) -> int:
        """Check and re-hash the whole chunks a previous run wrote; return their count.

        The file is cut back after the last chunk that authenticates: a power
        cut can leave unwritten holes or a torn tail, which are fetched again.
        """
        whole = chunkfiles.file_size(self._path) // SEALED_CHUNK
        good = 0
        if whole:
            plain = bytearray(CHUNK_SIZE)
            with ChunkFileReader(self._path) as reader:
                for index in range(whole):
                    try:
                        _open_sealed(
                            cipher, self.version_id, index, reader.read(index), memoryview(plain)
                        )
                    except Tampered:
                        break
                    self._hash.update(plain)
                    good += 1
        chunkfiles.truncate(self._path, chunkfiles.sealed_offset(good))
        return good

    @property
    def offset(self) -> int:
        """Return how many bytes are stored or buffered: where to resume from."""
        return self._chunks * CHUNK_SIZE + len(self._buffer)

    @property
    def committed_offset(self) -> int:
        """Return how many bytes are written (whole chunks only).

        A crash or a killed process keeps them all; a power cut may drop the
        latest chunks of an unfinished version, and a new writer then resumes
        from what the file really holds.
        """
        return self._chunks * CHUNK_SIZE

    def write(self, data: Buffer) -> int:
        """Append ``data``; full chunks are sealed and written at once.

        Returns the number of bytes taken (all of them). After an error,
        ``committed_offset`` tells where to resume with a new writer.

        Raises:
            ChecksumMismatch: more bytes than the expected size (discarded).
            StoreLocked: the store was locked meanwhile.
            DiskFull, ReadOnlyStore: a chunk could not be written; everything
                written before it stays.
        """
        view = memoryview(data).cast("B")
        taken = len(view)
        if self.expected_size is not None and self.offset + taken > self.expected_size:
            # More bytes than announced: a wrong or hostile source. Stop before
            # it fills the disk.
            self._store.blobs.discard(self.version_id)
            raise ChecksumMismatch(self.version_id)
        if self._buffer:
            room = CHUNK_SIZE - len(self._buffer)
            self._buffer += view[:room]
            view = view[room:]
            if len(self._buffer) < CHUNK_SIZE:
                return taken
            self._write_chunk(self._buffer)
            self._buffer = bytearray()
        # Whole chunks straight from the caller's memory, without copying.
        while len(view) >= CHUNK_SIZE:
            self._write_chunk(view[:CHUNK_SIZE])
            view = view[CHUNK_SIZE:]
        self._buffer += view
        return taken

    def _write_chunk(self, chunk: bytes | bytearray | memoryview) -> None:
        # SHA-256 runs on a second thread while this one seals and writes
        # (hashlib, AES-GCM and file writes release the GIL); it hashes into a
        # copy of the running digest that is kept only if the chunk is written.
        digest = self._hash.copy()
        hashing = _hash_pool().submit(digest.update, chunk)
        try:
            sealed = self._store.cipher().seal_large(
                chunk, chunk_context(self.version_id, self._chunks)
            )
            try:
                chunkfiles.write_chunk(self._path, self._chunks, sealed)
            except StoreError:
                # Leave only whole chunks (a full disk may have taken part of
                # this one); best effort, a resumed writer checks anyway.
                with contextlib.suppress(StoreError):
                    chunkfiles.truncate(self._path, chunkfiles.sealed_offset(self._chunks))
                raise
        finally:
            hashing.result()  # never leave the thread reading the caller's memory
        self._hash = digest
        self._chunks += 1

    def finish(self) -> Manifest:
        """Store the last chunk and mark the version complete; return its manifest.

        The same as ``seal().commit()``.

        Raises: as ``seal`` and ``PendingVersion.commit``.
        """
        return self.seal().commit()

    def seal(self) -> PendingVersion:
        """Check the bytes and store the last chunk; return what marks the version complete.

        The version is not complete (nor readable) until the returned
        ``PendingVersion`` is committed, which waits for the disk: a caller
        with more documents to fetch can do that on another thread and go on
        downloading.

        Raises:
            ChecksumMismatch: the bytes do not hash to the expected SHA-256 or
                differ from the expected size; everything stored for this
                version was discarded.
            StoreLocked, DiskFull, ReadOnlyStore: as ``write``.
        """
        tail = bytes(self._buffer)
        digest = self._hash.copy()
        digest.update(tail)
        sha256 = digest.hexdigest()
        size = self.offset
        wrong_size = self.expected_size is not None and size != self.expected_size
        if wrong_size or (self.expected_sha256 is not None and sha256 != self.expected_sha256):
            self._store.blobs.discard(self.version_id)
            raise ChecksumMismatch(self.version_id)
        chunks = self._chunks + (1 if tail or self._chunks == 0 else 0)
        manifest = Manifest(size=size, chunks=chunks, sha256=sha256)
        sealed_manifest = self._store.seal(
            "blobs",
            self.version_id,
            "manifest",
            json.dumps({"size": size, "chunks": chunks, "sha256": sha256}).encode(),
        )
        if chunks > self._chunks:
            self._write_chunk(tail)
        self._buffer.clear()
        return PendingVersion(
            self.version_id, self._path, manifest, sealed_manifest, self._bookkeeping
        )


class PendingVersion:
    """A version whose bytes are all written and verified, not yet marked complete."""

    def __init__(
        self,
        version_id: str,
        path: Path,
        manifest: Manifest,
        sealed_manifest: bytes,
        bookkeeping: Callable[[], contextlib.AbstractContextManager[Database]],
    ) -> None:
        self.version_id = version_id
        self.manifest = manifest
        self._path = path
        self._sealed_manifest = sealed_manifest
        self._bookkeeping = bookkeeping

    def commit(self) -> Manifest:
        """Sync the chunk file to the disk, then commit the manifest; return it.

        The file is on the disk before the manifest is even written, so the
        manifest never names bytes that are not there (for a ``refetchable``
        writer a power cut right after may lose the manifest: the version is
        then fetched again). Needs no key: safe after the store was locked.

        Raises:
            DiskFull, ReadOnlyStore, StoreError: the version stays incomplete;
                a new writer resumes it.
        """
        manifest = self.manifest
        # Nothing after the last chunk (a longer file from an earlier run).
        last = manifest.chunks - 1
        chunkfiles.truncate(
            self._path, chunkfiles.sealed_offset(last) + _chunk_length(manifest, last)
        )
        chunkfiles.sync_file(self._path)
        with self._bookkeeping() as db:
            db.execute(
                'UPDATE "blobs" SET "complete" = 1, "manifest" = ? WHERE "version_id" = ?',
                [self._sealed_manifest, self.version_id],
            )
        return manifest


class DocumentReader(io.RawIOBase):
    """A read-only, seekable file object over a complete version's chunks.

    Holds one decrypted chunk at a time. Locking the store mid-read makes the
    next chunk read raise ``StoreLocked``.
    """

    def __init__(self, blobs: BlobStore, version_id: str, manifest: Manifest) -> None:
        super().__init__()
        self._blobs = blobs
        self.version_id = version_id
        self.size = manifest.size
        self._chunk_count = manifest.chunks
        self._pos = 0
        self._cached_index = -1
        self._cached = bytearray(CHUNK_SIZE)  # one decrypted chunk, reused
        self._cached_length = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        target = base + offset
        if target < 0:
            raise ValueError("negative seek position")
        self._pos = target
        return self._pos

    def _chunk(self, index: int) -> memoryview:
        if index != self._cached_index:
            self._cached_index = -1  # invalid until the decrypt succeeds
            self._cached_length = self._blobs.read_chunk_into(
                self.version_id, index, memoryview(self._cached)
            )
            self._cached_index = index
        return memoryview(self._cached)[: self._cached_length]

    def readinto(self, buffer: Buffer) -> int:
        view = memoryview(buffer).cast("B")
        written = 0
        while written < len(view) and self._pos < self.size:
            index, within = divmod(self._pos, CHUNK_SIZE)
            if index >= self._chunk_count:
                raise Tampered("blobs", self.version_id, "manifest")
            chunk = self._chunk(index)
            take = min(len(view) - written, len(chunk) - within)
            if take <= 0:
                raise Tampered(CHUNK_LOCATION, f"{self.version_id}#{index}", "data")
            view[written : written + take] = chunk[within : within + take]
            written += take
            self._pos += take
        return written

    def close(self) -> None:
        self._cached[:] = bytes(len(self._cached))  # clear the plaintext it held
        self._cached_index = -1
        super().close()
