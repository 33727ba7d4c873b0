"""The files that hold document versions' sealed chunks, beside the database.

One file per version under ``<profile>/chunks/``; chunk *i* starts at
``i * SEALED_CHUNK`` (every chunk but the last is exactly ``CHUNK_SIZE``
plaintext bytes, sealed). The file name is a hash of the version id, so no
id can reach outside the directory and the directory listing says nothing
about which documents are there beyond their number.

Why files and not a table: a chunk written into SQLite is written twice
(WAL, then the database) and the writers of parallel downloads queue on one
connection; a chunk file is written once, by its own download thread. What
the database gave, this module keeps: every chunk is sealed and bound to
(version id, index) by the caller, so a changed, swapped or moved chunk
fails authentication, and a version is trusted only once its sealed
manifest is committed in the database, after its file was fsynced.

Only ciphertext ever reaches these files. Errors come out typed:
``DiskFull``, ``ReadOnlyStore`` or ``StoreError``.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from meetingroom.crypto.aead import OVERHEAD
from meetingroom.errors import DiskFull, ReadOnlyStore, StoreError

if TYPE_CHECKING:
    from typing_extensions import Buffer

CHUNK_SIZE = 1024 * 1024
SEALED_CHUNK = CHUNK_SIZE + OVERHEAD
CHUNKS_DIRNAME = "chunks"

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def translate_os_error(exc: OSError) -> StoreError:
    """Return the store error a failed chunk-file operation means to the user."""
    if exc.errno in _FULL:
        return DiskFull()
    if exc.errno in _READ_ONLY:
        return ReadOnlyStore()
    return StoreError(f"Document bytes could not be stored ({exc.strerror or type(exc).__name__}).")


def chunks_dir(profile_dir: Path) -> Path:
    """Return the directory of chunk files of the profile at ``profile_dir``."""
    return profile_dir / CHUNKS_DIRNAME


def chunk_file(profile_dir: Path, version_id: str) -> Path:
    """Return the path of ``version_id``'s chunk file (it may not exist)."""
    name = hashlib.sha256(f"mr1-chunks\x00{version_id}".encode()).hexdigest()[:40]
    return chunks_dir(profile_dir) / name


def sealed_offset(index: int) -> int:
    """Return where chunk ``index`` starts in its file."""
    return index * SEALED_CHUNK


def file_size(path: Path) -> int:
    """Return the size of ``path`` in bytes, 0 when it does not exist."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def plaintext_stored(size: int) -> int:
    """Return how many plaintext bytes a chunk file of ``size`` bytes holds."""
    whole, rest = divmod(size, SEALED_CHUNK)
    return whole * CHUNK_SIZE + max(0, rest - OVERHEAD)


def _fsync_dir(path: Path) -> None:
    """Make the directory entries in ``path`` durable (best effort where unsupported)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def ensure_dir(profile_dir: Path) -> Path:
    """Create the chunk directory (mode 0700) if needed; return it.

    Raises: DiskFull, ReadOnlyStore, StoreError.
    """
    directory = chunks_dir(profile_dir)
    if not directory.is_dir():
        try:
            directory.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise translate_os_error(exc) from exc
        _fsync_dir(profile_dir)
    return directory


def write_chunk(path: Path, index: int, sealed: Buffer) -> None:
    """Write the sealed chunk ``index`` at its place in ``path`` (created 0600).

    Not synced: ``sync_file`` makes a whole version durable before its
    manifest commits.

    Raises: DiskFull, ReadOnlyStore, StoreError (nothing before ``index``
    is affected).
    """
    view = memoryview(sealed).cast("B")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            offset = sealed_offset(index)
            while view:
                written = os.pwrite(fd, view, offset)
                view = view[written:]
                offset += written
        finally:
            os.close(fd)
    except OSError as exc:
        raise translate_os_error(exc) from exc


def sync_file(path: Path) -> None:
    """Flush ``path`` and its directory entry to the disk.

    Raises: DiskFull, ReadOnlyStore, StoreError.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise translate_os_error(exc) from exc
    _fsync_dir(path.parent)


def truncate(path: Path, size: int) -> None:
    """Cut ``path`` to ``size`` bytes (a damaged or unfinished tail).

    Raises: DiskFull, ReadOnlyStore, StoreError.
    """
    try:
        os.truncate(path, size)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise translate_os_error(exc) from exc


def remove(path: Path) -> None:
    """Delete ``path`` if it exists.

    Raises: ReadOnlyStore, StoreError.
    """
    try:
        path.unlink()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise translate_os_error(exc) from exc


def remove_all(profile_dir: Path) -> None:
    """Delete the chunk directory of ``profile_dir`` with everything in it (best effort)."""
    shutil.rmtree(chunks_dir(profile_dir), ignore_errors=True)


class ChunkFileReader:
    """Reads sealed chunks of one version's file into a reused buffer.

    ``read(index, length)`` returns a view of the sealed bytes of chunk
    ``index``, valid until the next call. Use as a context manager.
    """

    def __init__(self, path: Path) -> None:
        """Open ``path`` for reading.

        Raises:
            FileNotFoundError: there is no chunk file.
            StoreError: it cannot be read.
        """
        try:
            self._file = open(path, "rb", buffering=0)  # noqa: SIM115  closed by close()
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise translate_os_error(exc) from exc
        self._buffer = bytearray(SEALED_CHUNK)

    def read(self, index: int, length: int = SEALED_CHUNK) -> memoryview:
        """Return up to ``length`` sealed bytes of chunk ``index`` (fewer at the end).

        Raises: StoreError when the file cannot be read.
        """
        view = memoryview(self._buffer)[: min(length, SEALED_CHUNK)]
        got = 0
        try:
            self._file.seek(sealed_offset(index))
            while got < len(view):
                n = self._file.readinto(view[got:])
                if not n:
                    break
                got += n
        except OSError as exc:
            raise translate_os_error(exc) from exc
        return view[:got]

    def close(self) -> None:
        """Close the file and clear the buffer (ciphertext only, but no reason to keep it)."""
        self._file.close()
        self._buffer[:] = bytes(len(self._buffer))

    def __enter__(self) -> ChunkFileReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
