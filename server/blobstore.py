"""Document blobs: content-addressed, verified before they become visible.

:class:`BlobStore` is the interface the HTTP layer uses; :class:`FileBlobStore`
implements it with plain files under the server's data directory, so an object
store can take its place later::

    DATA/blobs/ab/cd/abcd...        one file per blob, named by its SHA-256
    DATA/uploads/<id>/state.json    what the upload promised (written once)
    DATA/uploads/<id>/data          the bytes received so far
    DATA/uploads/<id>/lock          serialises appends and the completion

An upload's progress is the size of its ``data`` file, not a counter, so there
is nothing to keep in step: a server restart, or another server process
sharing DATA, sees exactly what was received. Cross-process exclusion uses
``flock`` (POSIX only; the server runs on Linux).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Protocol

BLOCK_SIZE = 64 * 1024
# FileBlobStore.exists remembers this many stored hashes (about 100 bytes each).
MAX_REMEMBERED_BLOBS = 100_000

_SHA256 = re.compile(r"[0-9a-f]{64}")
_UPLOAD_ID = re.compile(r"[0-9a-f]{32}")


class BlobStoreError(Exception):
    """Base of every error this module raises on purpose."""


class InvalidId(BlobStoreError, ValueError):
    """A blob hash or upload id that is not in canonical form (lowercase hex)."""


class BlobNotFound(BlobStoreError):
    """No blob with that hash."""


class UploadNotFound(BlobStoreError):
    """No upload with that id (never begun, aborted, failed or completed)."""


class UploadOffsetMismatch(BlobStoreError):
    """A chunk does not start where the upload ends; ``current`` is where to resume."""

    def __init__(self, current: int) -> None:
        super().__init__(f"the upload has {current} bytes; send the chunk at that offset")
        self.current = current


class UploadTooLarge(BlobStoreError):
    """The upload would exceed its declared size or the size limit (``limit`` bytes)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the upload may not exceed {limit} bytes")
        self.limit = limit


class UploadIncomplete(BlobStoreError):
    """Completion was asked for before all declared bytes arrived."""

    def __init__(self, received: int, expected: int) -> None:
        super().__init__(f"received {received} of {expected} bytes")
        self.received = received
        self.expected = expected


class UploadHashMismatch(BlobStoreError):
    """The received bytes do not hash to the promised SHA-256; the upload is deleted."""

    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(f"expected SHA-256 {expected}, received bytes hash to {actual}")
        self.expected = expected
        self.actual = actual


def validate_sha256(sha: str) -> str:
    """Return ``sha`` if it is 64 lowercase hex digits; raise :class:`InvalidId` otherwise.

    Uppercase is rejected rather than folded so a blob has one name only
    (one URL, one cache entry, one ETag).
    """
    if not isinstance(sha, str) or _SHA256.fullmatch(sha) is None:
        raise InvalidId("a blob hash is 64 lowercase hex digits")
    return sha


def validate_upload_id(upload_id: str) -> str:
    """Return ``upload_id`` if well formed; raise :class:`InvalidId` otherwise.

    Ids are generated here, so anything else (``..``, slashes) is an attack
    or a bug and never reaches the file system.
    """
    if not isinstance(upload_id, str) or _UPLOAD_ID.fullmatch(upload_id) is None:
        raise InvalidId("an upload id is 32 lowercase hex digits")
    return upload_id


def etag(sha: str) -> str:
    """Return the strong ETag of a blob: ``"sha256-<hex>"`` (quotes included).

    Raises :class:`InvalidId` for a malformed hash. Strong because the content
    is the name: equal tags mean equal bytes.
    """
    return f'"sha256-{validate_sha256(sha)}"'


class BlobStore(Protocol):
    """What the HTTP layer needs from blob storage; errors are this module's types."""

    def exists(self, sha: str) -> bool:
        """Return whether a complete, verified blob with this hash is stored."""
        ...

    def size(self, sha: str) -> int:
        """Return the blob's size in bytes; raise :class:`BlobNotFound` if absent."""
        ...

    def open_range(self, sha: str, start: int, end: int) -> Iterator[bytes]:
        """Return an iterator of blocks of bytes ``start..end`` (inclusive).

        Implementations should give the iterator a ``close()`` so a response
        abandoned midway releases its file or connection.
        """
        ...

    def begin_upload(self, expected_sha256: str, expected_size: int | None, max_size: int) -> str:
        """Start an upload; return its id."""
        ...

    def append(self, upload_id: str, offset: int, data: bytes | Iterable[bytes]) -> int:
        """Append a chunk at ``offset``; return the bytes received so far."""
        ...

    def upload_status(self, upload_id: str) -> tuple[int, int | None]:
        """Return ``(received, expected_size)``."""
        ...

    def complete(self, upload_id: str) -> str:
        """Verify and publish the upload; return the blob's hash."""
        ...

    def abort(self, upload_id: str) -> None:
        """Delete an upload and what it received."""
        ...


class RangeReader:
    """Iterator over a byte range of an open file; closes it when done or closed.

    A class rather than a generator so that a response that is never iterated
    (client gone before the first byte) can still close the file.
    """

    def __init__(self, file: IO[bytes], start: int, end: int, block_size: int = BLOCK_SIZE) -> None:
        self._file = file
        self._file.seek(start)
        self._remaining = end - start + 1
        self.block_size = block_size

    def __iter__(self) -> RangeReader:
        return self

    def __next__(self) -> bytes:
        if self._remaining <= 0:
            self.close()
            raise StopIteration
        block = self._file.read(min(self.block_size, self._remaining))
        if not block:  # cannot happen for a published blob; end rather than spin
            self.close()
            raise StopIteration
        self._remaining -= len(block)
        return block

    def close(self) -> None:
        """Close the file; further iteration yields nothing."""
        self._remaining = 0
        self._file.close()


def _fsync_dir(path: Path) -> None:
    """Make a directory's entries (a rename, a new file) durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive flock on ``lock_path``; raise :class:`UploadNotFound` if it is gone."""
    try:
        fd = os.open(lock_path, os.O_RDWR)
    except FileNotFoundError:
        raise UploadNotFound("no such upload") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class FileBlobStore:
    """:class:`BlobStore` on a local (or shared POSIX) file system under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.blobs_dir = self.root / "blobs"
        self._blobs_text = str(self.blobs_dir)
        self.uploads_dir = self.root / "uploads"
        # Hashes seen stored. Blobs are content-addressed and never deleted
        # (there is no delete here), so once seen, a blob stays; a hash not
        # seen yet (uploaded by another process, say) is looked up on disk.
        self._present: set[str] = set()
        self.blobs_dir.mkdir(parents=True, exist_ok=True)
        self.uploads_dir.mkdir(parents=True, exist_ok=True)

    # -- reading -------------------------------------------------------------

    def blob_path(self, sha: str) -> Path:
        """Return where the blob lives (``blobs/ab/cd/<sha>``); raise :class:`InvalidId`."""
        sha = validate_sha256(sha)
        return self.blobs_dir / sha[:2] / sha[2:4] / sha

    def exists(self, sha: str) -> bool:
        """Return whether the blob is stored; raise :class:`InvalidId` for a bad hash."""
        if sha in self._present:  # only valid hashes get in
            return True
        sha = validate_sha256(sha)
        # os.path on a string: this runs once per hash of every link request.
        if not os.path.isfile(os.path.join(self._blobs_text, sha[:2], sha[2:4], sha)):
            return False
        if len(self._present) >= MAX_REMEMBERED_BLOBS:
            self._present.clear()
        self._present.add(sha)
        return True

    def size(self, sha: str) -> int:
        """Return the blob's size; raise :class:`BlobNotFound` or :class:`InvalidId`."""
        try:
            return self.blob_path(sha).stat().st_size
        except FileNotFoundError:
            raise BlobNotFound(sha) from None

    def open_range(self, sha: str, start: int, end: int) -> RangeReader:
        """Return an iterator of blocks (at most 64 KiB) of bytes ``start..end``, inclusive.

        The file is opened now, so a missing blob raises :class:`BlobNotFound`
        here rather than mid-response. Raises ValueError unless
        ``0 <= start <= end < size``. The iterator has ``close()``.
        """
        try:
            file = self.blob_path(sha).open("rb")
        except FileNotFoundError:
            raise BlobNotFound(sha) from None
        size = os.fstat(file.fileno()).st_size
        if not 0 <= start <= end < size:
            file.close()
            raise ValueError(f"range {start}-{end} is outside a blob of {size} bytes")
        return RangeReader(file, start, end)

    # -- uploading -----------------------------------------------------------

    def _upload_dir(self, upload_id: str) -> Path:
        return self.uploads_dir / validate_upload_id(upload_id)

    def _state(self, upload_id: str) -> dict[str, Any]:
        try:
            text = (self._upload_dir(upload_id) / "state.json").read_text("utf-8")
        except FileNotFoundError:
            raise UploadNotFound(upload_id) from None
        state: dict[str, Any] = json.loads(text)
        return state

    def begin_upload(self, expected_sha256: str, expected_size: int | None, max_size: int) -> str:
        """Start an upload of a blob that must hash to ``expected_sha256``; return its id.

        ``expected_size`` None means "not known yet" (only ``max_size`` then
        bounds it). Raises :class:`InvalidId` for a bad hash,
        :class:`UploadTooLarge` if ``expected_size > max_size``, ValueError for
        negative sizes.
        """
        validate_sha256(expected_sha256)
        if max_size < 0 or (expected_size is not None and expected_size < 0):
            raise ValueError("sizes must not be negative")
        if expected_size is not None and expected_size > max_size:
            raise UploadTooLarge(max_size)
        upload_id = secrets.token_hex(16)
        # Build the session under a temporary name and rename it into place,
        # so no process ever sees a session without its state.
        staging = self.uploads_dir / f".new-{upload_id}"
        staging.mkdir()
        state = {"sha256": expected_sha256, "size": expected_size, "max_size": max_size}
        for name, content in (
            ("state.json", json.dumps(state).encode()),
            ("data", b""),
            ("lock", b""),
        ):
            with (staging / name).open("wb") as f:
                f.write(content)
                f.flush()
                os.fsync(f.fileno())
        _fsync_dir(staging)
        os.replace(staging, self._upload_dir(upload_id))
        _fsync_dir(self.uploads_dir)
        return upload_id

    def upload_status(self, upload_id: str) -> tuple[int, int | None]:
        """Return ``(received, expected_size)``; raise :class:`UploadNotFound` or :class:`InvalidId`."""
        state = self._state(upload_id)
        folder = self._upload_dir(upload_id)
        # Under the upload's lock: a chunk still arriving (or being rolled back
        # after its client dropped) must not be counted, or a client would
        # resume from an offset that is about to vanish.
        with _locked(folder / "lock"):
            try:
                received = (folder / "data").stat().st_size
            except FileNotFoundError:
                raise UploadNotFound(upload_id) from None
        size: int | None = state["size"]
        return received, size

    def append(self, upload_id: str, offset: int, data: bytes | Iterable[bytes]) -> int:
        """Append ``data`` (bytes, or an iterable of blocks to stream) at ``offset``.

        Returns the number of bytes received so far. Raises
        :class:`UploadOffsetMismatch` (with the current size) unless ``offset``
        is exactly where the upload ends, :class:`UploadTooLarge` if it would
        pass the declared size or the limit (nothing of the chunk is kept),
        :class:`UploadNotFound` or :class:`InvalidId`. The chunk is fsynced
        before returning, so an acknowledged byte survives a crash.
        """
        state = self._state(upload_id)
        limit: int = state["max_size"] if state["size"] is None else state["size"]
        folder = self._upload_dir(upload_id)
        blocks = [data] if isinstance(data, bytes | bytearray | memoryview) else data
        with _locked(folder / "lock"):
            try:
                f = (folder / "data").open("r+b")
            except FileNotFoundError:  # completed or aborted while we waited
                raise UploadNotFound(upload_id) from None
            with f:
                current = os.fstat(f.fileno()).st_size
                if offset != current:
                    raise UploadOffsetMismatch(current)
                f.seek(current)
                written = current
                try:
                    for block in blocks:
                        written += len(block)
                        if written > limit:
                            raise UploadTooLarge(limit)
                        f.write(block)
                    f.flush()
                    os.fsync(f.fileno())
                except BaseException:
                    # Roll back to the last acknowledged size so the offset a
                    # client resumes from is always one we confirmed.
                    f.seek(current)
                    f.truncate(current)
                    raise
                return written

    def complete(self, upload_id: str) -> str:
        """Verify the upload against its SHA-256 and publish it as a blob; return the hash.

        The bytes are hashed in 64 KiB blocks. On success the (already
        fsynced) data file is renamed to its final name, so a blob appears
        whole or not at all, and the session is deleted. Completing an upload
        whose blob already exists, or one a concurrent call just completed,
        returns the hash. Raises :class:`UploadIncomplete` if bytes are
        missing (the session stays), :class:`UploadHashMismatch` (the session
        and its data are deleted), :class:`UploadNotFound` or :class:`InvalidId`.
        """
        state = self._state(upload_id)
        sha: str = state["sha256"]
        folder = self._upload_dir(upload_id)
        try:
            with _locked(folder / "lock"):
                data_path = folder / "data"
                if not data_path.exists():
                    raise UploadNotFound(upload_id)
                with data_path.open("rb") as f:
                    received = os.fstat(f.fileno()).st_size
                    if state["size"] is not None and received != state["size"]:
                        raise UploadIncomplete(received, state["size"])
                    digest = hashlib.sha256()
                    while block := f.read(BLOCK_SIZE):
                        digest.update(block)
                    os.fsync(f.fileno())
                actual = digest.hexdigest()
                if actual != sha:
                    shutil.rmtree(folder, ignore_errors=True)
                    raise UploadHashMismatch(sha, actual)
                final = self.blob_path(sha)
                if not final.is_file():
                    self._publish(data_path, final)
                shutil.rmtree(folder, ignore_errors=True)
                return sha
        except UploadNotFound:
            # A concurrent complete() of the same upload won the lock and
            # published it: the caller's upload succeeded all the same.
            if self.exists(sha):
                return sha
            raise

    def _publish(self, data_path: Path, final: Path) -> None:
        """Rename a verified, fsynced file to its final name, durably."""
        if not final.parent.is_dir():
            final.parent.mkdir(parents=True, exist_ok=True)
            _fsync_dir(final.parent.parent)
            _fsync_dir(self.blobs_dir)
        # Blobs never change; read-only guards them against a stray writer.
        os.chmod(data_path, 0o444)
        # Atomic: readers see no file or the whole file. A concurrent upload
        # of the same content may replace it with identical bytes; harmless.
        os.replace(data_path, final)
        _fsync_dir(final.parent)

    def abort(self, upload_id: str) -> None:
        """Delete an upload and its data; raise :class:`UploadNotFound` or :class:`InvalidId`."""
        folder = self._upload_dir(upload_id)
        with _locked(folder / "lock"):
            if not folder.exists():
                raise UploadNotFound(upload_id)
            shutil.rmtree(folder, ignore_errors=True)
