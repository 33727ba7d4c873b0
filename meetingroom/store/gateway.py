"""``Store``: the one gateway to a profile's encrypted SQLite database.

A profile directory holds one database file (plus SQLite's -wal/-shm). The
store opens locked; ``unlock`` derives the wrapping key, unwraps the data key
and keeps it in memory until ``lock``. Reads and writes of meeting content
need the store unlocked; bookkeeping (counts, outbox size) does not.

SQLite errors are translated into the typed errors of ``meetingroom.errors``
at this boundary, so callers never see a raw ``sqlite3`` exception.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from meetingroom.crypto.aead import Cipher, DecryptionFailed, field_context
from meetingroom.crypto.device_secret import DeviceSecrets
from meetingroom.crypto.keys import (
    KeySlot,
    Protection,
    check_secret,
    new_data_key,
    new_device_secret,
    unwrap_data_key,
    wrap_data_key,
)
from meetingroom.errors import (
    DeviceSecretMissing,
    DiskFull,
    PinRequired,
    ReadOnlyStore,
    StoreCorrupt,
    StoreError,
    StoreExists,
    StoreLocked,
    StoreNotFound,
    StoreTooNew,
    Tampered,
    TooManyAttempts,
    WeakSecret,
    WrongPin,
)
from meetingroom.store import chunkfiles, schema
from meetingroom.store.checkpointer import Checkpointer

if TYPE_CHECKING:
    from meetingroom.store.blobs import BlobStore
    from meetingroom.store.outbox import Outbox
    from meetingroom.store.repository import Repositories
    from meetingroom.store.syncstate import Conflicts, SyncState

log = logging.getLogger(__name__)

DB_FILENAME = "meetingroom.db"
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
# Files other layers keep beside the database; they hold no meeting content
# (the sync process lock, the app's record of the local user id), and wipe
# removes them so the profile directory goes too.
AUXILIARY_FILES = ("sync.lock", "user.json")

# Primary SQLite result codes (the low byte of sqlite_errorcode).
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_NOTADB = 26


@dataclass(frozen=True, slots=True)
class UnlockPolicy:
    """The deployment's rules for unlocking.

    ``max_attempts``: after this many wrong PINs in a row the profile refuses
    further attempts (``TooManyAttempts``) until it is reset by signing in
    again; None means no limit.
    """

    max_attempts: int | None = None


def translate_sqlite_error(exc: sqlite3.Error, path: Path) -> StoreError:
    """Return the typed store error for a raw SQLite error."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    if primary == _SQLITE_FULL or "full" in text:
        return DiskFull()
    if primary == _SQLITE_READONLY or "readonly" in text:
        return ReadOnlyStore()
    if (
        primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
        or "malformed" in text
        or "not a database" in text
    ):
        return StoreCorrupt(str(path), str(exc))
    if primary == _SQLITE_IOERR:
        return StoreCorrupt(str(path), f"disk I/O error: {exc}")
    return StoreError(f"The local meeting database failed: {exc}")


_SQLITE_MAGIC = b"SQLite format 3\x00"

# How much WAL (bytes) may pile up before it is checkpointed into the main
# file. SQLite's default (1000 pages) makes a first pull of a large meeting
# pay a checkpoint (page writes and an fsync of the database) every few
# megabytes; 64 MiB keeps that rare while still bounding the WAL file. Small
# writes (annotations) rarely reach it. Document bytes are not in the
# database at all (``chunkfiles``).
WAL_CHECKPOINT_BYTES = 64 * 1024 * 1024
# The connection's page cache (KiB); SQLite's default is 2000.
PAGE_CACHE_KIB = 16 * 1024


def _check_sqlite_header(path: Path) -> None:
    """Raise StoreCorrupt unless ``path`` starts like an SQLite database."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise StoreCorrupt(str(path), exc.strerror or type(exc).__name__) from exc
    if head != _SQLITE_MAGIC:
        detail = "the file is empty" if not head else "the file is not an SQLite database"
        raise StoreCorrupt(str(path), detail)


class Store:
    """The encrypted offline store of one profile.

    Create a new one with ``Store.create`` (returned unlocked) or open an
    existing one with ``Store.open`` (returned locked). The connection may be
    used from several threads; access is serialised by an internal lock.
    """

    def __init__(
        self,
        directory: Path,
        conn: sqlite3.Connection,
        device_secrets: DeviceSecrets,
        policy: UnlockPolicy,
    ) -> None:
        self.directory = directory
        self.path = directory / DB_FILENAME
        self._conn = conn
        self.db = Database(conn, execute_plugins=False)
        self._device_secrets = device_secrets
        self.policy = policy
        self._mutex = threading.RLock()
        self._cipher: Cipher | None = None
        # The raw data key, kept only so it can be handed to a PDF worker
        # process (``data_key_for_worker``); a bytearray so ``lock`` can zero it.
        self._data_key: bytearray | None = None
        self._closed = False
        self.profile_id = ""
        self._slot: KeySlot | None = None
        self._repos: Repositories | None = None
        self._blobs: BlobStore | None = None
        self._outbox: Outbox | None = None
        self._checkpointer = Checkpointer(self.path)

    # -- opening and creating ----------------------------------------------

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        """Return a connection to ``path``; nothing is written to the file yet."""
        return sqlite3.connect(str(path), check_same_thread=False, timeout=10.0)

    @staticmethod
    def _configure(conn: sqlite3.Connection) -> None:
        """Set the pragmas every store connection runs with (may write the header)."""
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()
        if mode is None or str(mode[0]).lower() != "wal":
            log.warning("store: WAL journal mode unavailable, using %s", mode)
        # FULL: a committed annotation survives a power cut, not only a crash.
        conn.execute("PRAGMA synchronous=FULL")
        # Keep SQLite's own temporary tables and sort spills off the disk.
        conn.execute("PRAGMA temp_store=MEMORY")
        # Zero freed pages: purged meetings, discarded downloads and replaced
        # key slots leave no ciphertext behind for a later key compromise.
        conn.execute("PRAGMA secure_delete=ON")
        # Room for a large meeting's pages during a first pull without
        # spilling mid-transaction. Pages hold only ciphertext.
        conn.execute(f"PRAGMA cache_size={-PAGE_CACHE_KIB}")
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        conn.execute(f"PRAGMA wal_autocheckpoint={max(1000, WAL_CHECKPOINT_BYTES // page_size)}")
        # After a checkpoint rewinds the log, cut the file back to this size.
        conn.execute(f"PRAGMA journal_size_limit={WAL_CHECKPOINT_BYTES}")

    @classmethod
    def create(
        cls,
        directory: Path | str,
        protection: Protection = Protection.DEVICE,
        secret: str | None = None,
        *,
        device_secrets: DeviceSecrets | None = None,
        policy: UnlockPolicy | None = None,
    ) -> Store:
        """Create a new profile store in ``directory`` and return it unlocked.

        Raises:
            StoreExists: a store is already there (it is never replaced).
            WeakSecret: the PIN or passphrase is too short for ``protection``.
            KeyringUnavailable: ``protection`` needs the OS keyring and there
                is none usable; nothing has been written.
            DiskFull, ReadOnlyStore: the directory cannot be written.
        """
        directory = Path(directory)
        path = directory / DB_FILENAME
        if path.exists():
            raise StoreExists(str(directory))
        try:
            secret = check_secret(protection, secret)
        except ValueError as exc:
            raise WeakSecret(str(exc)) from exc
        secrets = device_secrets or DeviceSecrets()
        if protection.uses_device_secret:
            secrets.check_available()  # before anything is written
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        profile_id = os.urandom(16).hex()
        device_secret = None
        if protection.uses_device_secret:
            device_secret = new_device_secret()
            secrets.store(profile_id, device_secret)
        data_key = new_data_key()
        slot = wrap_data_key(data_key, protection, profile_id, device_secret, secret)
        try:
            conn = cls._connect(path)
            cls._configure(conn)
        except sqlite3.Error as exc:
            raise translate_sqlite_error(exc, path) from exc
        store = cls(directory, conn, secrets, policy or UnlockPolicy())
        with store.atomic() as db:
            schema.migrations.apply(db)
            db.table("meta").insert_all(
                [
                    {"key": "profile_id", "value": profile_id},
                    {"key": "failed_unlocks", "value": "0"},
                ]
            )
            db.table("keyslot").insert({"id": 1, "slot": slot.to_json()})
        store.profile_id = profile_id
        store._slot = slot
        store._set_key(data_key)
        return store

    @classmethod
    def open(
        cls,
        directory: Path | str,
        *,
        device_secrets: DeviceSecrets | None = None,
        policy: UnlockPolicy | None = None,
    ) -> Store:
        """Open the existing store in ``directory``, locked.

        Raises:
            StoreNotFound: there is no store in ``directory``.
            StoreCorrupt: the file is not a readable database or lacks its key.
            StoreTooNew: a newer MeetingRoom wrote it.
        """
        directory = Path(directory)
        path = directory / DB_FILENAME
        if not path.is_file():
            raise StoreNotFound(str(directory))
        _check_sqlite_header(path)
        try:
            conn = cls._connect(path)
        except sqlite3.Error as exc:
            raise translate_sqlite_error(exc, path) from exc
        store = cls(directory, conn, device_secrets or DeviceSecrets(), policy or UnlockPolicy())
        try:
            store._load_header()
        except BaseException:
            conn.close()
            raise
        return store

    def _load_header(self) -> None:
        with self._guard():
            # Check what the file is before changing anything in it: a foreign
            # or damaged file must be left byte for byte as it was.
            if not self.db.table("meta").exists() or not self.db.table("keyslot").exists():
                raise StoreCorrupt(str(self.path), "it is not a MeetingRoom profile")
            applied = {m.name for m in schema.migrations.applied(self.db)}
            unknown = sorted(applied - set(schema.known_migrations()))
            if unknown:
                raise StoreTooNew(str(self.path), unknown)
            self._configure(self._conn)
            pending = {m.name for m in schema.migrations.pending(self.db)}
            if pending:
                with self.atomic() as db:
                    schema.migrations.apply(db)
            if "m006_chunk_files" in pending:
                # The document chunks left for files: give their pages back
                # to the disk (they were zeroed by secure_delete already).
                self._conn.execute("VACUUM")
            profile = self._meta("profile_id")
            row = self._conn.execute('SELECT "slot" FROM "keyslot" WHERE "id" = 1').fetchone()
        if profile is None or row is None:
            raise StoreCorrupt(str(self.path), "its key slot is missing")
        try:
            self._slot = KeySlot.from_json(row[0])
        except ValueError as exc:
            raise StoreCorrupt(str(self.path), "its key slot is damaged") from exc
        self.profile_id = profile

    # -- transactions and errors ---------------------------------------------

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """Serialise access and turn SQLite errors into typed store errors."""
        if self._closed:
            raise StoreError("The meeting database is closed.")
        with self._mutex:
            try:
                yield
            except sqlite3.Error as exc:
                raise translate_sqlite_error(exc, self.path) from exc

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        """Run the block in one transaction (a savepoint when nested).

        Everything written inside commits together or not at all.

        Raises:
            DiskFull, ReadOnlyStore, StoreCorrupt: the write failed; the
                transaction was rolled back and earlier data is intact.
        """
        with self._guard(), self.db.atomic():
            yield self.db

    @contextlib.contextmanager
    def atomic_not_durable(self) -> Iterator[Database]:
        """Run the block in one transaction committed with ``synchronous=NORMAL``.

        For bookkeeping that a power cut may lose because it is redone (a
        document download's progress row and manifest: a lost one means the
        document is fetched again): the commit skips the WAL fsync, which
        costs a download a few milliseconds each time. A killed process loses
        nothing committed; the next durable commit (``atomic``, e.g. any
        annotation save) syncs the WAL and with it every earlier frame. The
        pragma belongs to the shared connection, so it is switched only while
        the guard is held and FULL is restored before the guard is released.
        Nested in another transaction it is a savepoint of that one.

        Raises: as ``atomic``.
        """
        with self._guard():
            if self._conn.in_transaction:
                # SQLite refuses to change the safety level mid-transaction;
                # the outer transaction decides the durability anyway.
                with self.db.atomic():
                    yield self.db
                return
            self._conn.execute("PRAGMA synchronous=NORMAL")
            try:
                with self.db.atomic():
                    yield self.db
            finally:
                self._conn.execute("PRAGMA synchronous=FULL")

    def checkpoint(self, *, wait: bool = True) -> None:
        """Copy the WAL into the database file (after a burst of writes, e.g. a first pull).

        With ``wait`` the log is copied and truncated now, holding the store;
        without, a background checkpoint is requested and this returns at
        once. Best effort: a failure (e.g. a reader holding an old snapshot)
        is logged and leaves the WAL for the next checkpoint.
        """
        if not wait:
            self._checkpointer.request()
            return
        with self._mutex, self._checkpointer.hold():
            if self._closed:
                return
            try:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:
                log.warning("store: checkpoint failed: %s", type(exc).__name__)

    @contextlib.contextmanager
    def reading(self) -> Iterator[Database]:
        """Hold the store for a sequence of reads; errors come out typed."""
        with self._guard():
            yield self.db

    def _meta(self, key: str) -> str | None:
        row = self._conn.execute('SELECT "value" FROM "meta" WHERE "key" = ?', (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        with self.atomic() as db:
            db.table("meta").upsert({"key": key, "value": value}, pk="key")

    # -- keys -------------------------------------------------------------------

    @property
    def protection(self) -> Protection:
        """Return how this profile's data key is protected."""
        assert self._slot is not None
        return self._slot.protection

    @property
    def is_locked(self) -> bool:
        """Return True while the data key is not in memory."""
        return self._cipher is None

    @property
    def failed_unlocks(self) -> int:
        """Return the number of wrong PINs entered since the last unlock."""
        with self._guard():
            return int(self._meta("failed_unlocks") or 0)

    def cipher(self) -> Cipher:
        """Return the cipher of the data key.

        Raises:
            StoreLocked: the store is locked (also mid-read, if locked meanwhile).
        """
        cipher = self._cipher
        if cipher is None:
            raise StoreLocked()
        return cipher

    def _unwrap(self, secret: str | None) -> bytes:
        """Return the data key, counting a wrong PIN against the policy."""
        slot = self._slot
        assert slot is not None
        limit = self.policy.max_attempts
        failed = self.failed_unlocks
        if limit is not None and failed >= limit:
            raise TooManyAttempts(limit)
        if slot.protection.uses_secret and not secret:
            raise PinRequired()
        device_secret = None
        if slot.protection.uses_device_secret:
            device_secret = self._device_secrets.load(self.profile_id)
            if device_secret is None:
                raise DeviceSecretMissing()
        try:
            return unwrap_data_key(slot, self.profile_id, device_secret, secret)
        except DecryptionFailed:
            if not slot.protection.uses_secret:
                # No PIN involved: the keyring holds a secret that does not fit.
                raise Tampered("keyslot", self.profile_id, "wrapped_key") from None
            failed += 1
            self._set_meta("failed_unlocks", str(failed))
            log.info("store: wrong PIN (%d failed)", failed)
            if limit is not None and failed >= limit:
                raise TooManyAttempts(limit) from None
            raise WrongPin(failed, None if limit is None else limit - failed) from None

    def unlock(self, secret: str | None = None) -> None:
        """Unlock with the PIN or passphrase (None for device-only protection).

        Raises:
            PinRequired: a PIN is needed and none was given.
            WrongPin: the PIN is wrong; the failure was counted.
            TooManyAttempts: the policy's limit has been reached.
            DeviceSecretMissing: the keyring no longer has this profile's secret.
            KeyringUnavailable: the keyring cannot be reached.
            Tampered: the key slot does not fit the keyring's secret.
        """
        data_key = self._unwrap(secret)
        if self.failed_unlocks:
            self._set_meta("failed_unlocks", "0")
        self._set_key(data_key)

    def _set_key(self, data_key: bytes) -> None:
        """Hold ``data_key``: as a cipher, and raw for handing to workers."""
        self._zero_raw_key()
        self._data_key = bytearray(data_key)
        self._cipher = Cipher(data_key)

    def _zero_raw_key(self) -> None:
        key = self._data_key
        self._data_key = None
        if key is not None:
            key[:] = bytes(len(key))

    def data_key_for_worker(self) -> bytearray:
        """Return a copy of the raw data key, to send to a PDF worker process.

        The one way the key leaves the store: the PDF engine sends it through
        a worker's pipe (never a file, argv or the environment) so the worker
        decrypts document chunks itself. The caller must zero the returned
        bytearray as soon as it has been sent.

        Raises:
            StoreLocked: the store is locked.
        """
        key = self._data_key
        if key is None or self._cipher is None:
            raise StoreLocked()
        return bytearray(key)

    def lock(self) -> None:
        """Drop the data key from memory. Reads under way fail with StoreLocked."""
        # The AESGCM object owns its copy of the key; OpenSSL clears its key
        # schedule when the object is freed. The raw copy is zeroed here.
        self._cipher = None
        self._zero_raw_key()

    def change_secret(
        self,
        current: str | None,
        protection: Protection,
        new_secret: str | None,
    ) -> None:
        """Re-wrap the data key for ``protection`` with ``new_secret``.

        Used to set, change or remove the PIN, or to switch to passphrase-only
        protection. The data itself is not re-encrypted.

        Raises:
            WrongPin, PinRequired, TooManyAttempts: ``current`` is not right.
            WeakSecret: ``new_secret`` is too short for ``protection``.
            KeyringUnavailable: the new protection needs a keyring there is not.
        """
        try:
            new_secret = check_secret(protection, new_secret)
        except ValueError as exc:
            raise WeakSecret(str(exc)) from exc
        data_key = self._unwrap(current)
        old = self.protection
        device_secret = None
        if protection.uses_device_secret:
            if old.uses_device_secret:
                device_secret = self._device_secrets.load(self.profile_id)
            if device_secret is None:
                device_secret = new_device_secret()
                self._device_secrets.store(self.profile_id, device_secret)
        slot = wrap_data_key(data_key, protection, self.profile_id, device_secret, new_secret)
        with self._guard():
            # secure_delete (set at connect) zeroes the old slot in its freed page.
            with self.atomic() as db:
                db.table("keyslot").upsert({"id": 1, "slot": slot.to_json()}, pk="id")
                db.table("meta").upsert({"key": "failed_unlocks", "value": "0"}, pk="key")
            with self._checkpointer.hold():  # not refused as busy: the old slot must go
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if old.uses_device_secret and not protection.uses_device_secret:
            self._device_secrets.delete(self.profile_id)
        self._slot = slot
        self._set_key(data_key)

    def change_pin(self, current: str | None, new_pin: str | None) -> None:
        """Set, change (``new_pin``) or remove (``new_pin`` None) the PIN.

        Raises: as ``change_secret``.
        """
        protection = Protection.DEVICE_AND_PIN if new_pin else Protection.DEVICE
        self.change_secret(current, protection, new_pin)

    # -- sealing helpers for repositories --------------------------------------

    def seal(
        self, table: str, row_id: str, field: str, plaintext: bytes, bound: bytes = b""
    ) -> bytes:
        """Return ``plaintext`` sealed for (table, row id, field) and ``bound``.

        ``bound`` is further associated data (e.g. the row's plaintext
        columns) that must be presented unchanged to unseal. Raises StoreLocked.
        """
        return self.cipher().seal(plaintext, field_context(table, row_id, field) + bound)

    def unseal(
        self, table: str, row_id: str, field: str, sealed: bytes, bound: bytes = b""
    ) -> bytes:
        """Return the plaintext of a sealed value.

        Raises:
            StoreLocked: the store is locked.
            Tampered: the value, or what it is bound to, was altered, moved or damaged.
        """
        try:
            return self.cipher().open(sealed, field_context(table, row_id, field) + bound)
        except DecryptionFailed:
            raise Tampered(table, row_id, field) from None

    # -- the parts -------------------------------------------------------------

    @property
    def repos(self) -> Repositories:
        """Return the per-table repositories."""
        if self._repos is None:
            from meetingroom.store.repository import Repositories

            self._repos = Repositories(self)
        return self._repos

    @property
    def blobs(self) -> BlobStore:
        """Return the chunked, encrypted document byte store."""
        if self._blobs is None:
            from meetingroom.store.blobs import BlobStore

            self._blobs = BlobStore(self)
        return self._blobs

    @property
    def outbox(self) -> Outbox:
        """Return the queue of local changes waiting to be pushed."""
        if self._outbox is None:
            from meetingroom.store.outbox import Outbox

            self._outbox = Outbox(self)
        return self._outbox

    @property
    def sync_state(self) -> SyncState:
        """Return the sync bookkeeping (cursor, last sync, device id)."""
        from meetingroom.store.syncstate import SyncState

        return SyncState(self)

    @property
    def conflicts(self) -> Conflicts:
        """Return the kept conflict copies."""
        from meetingroom.store.syncstate import Conflicts

        return Conflicts(self)

    def stats(self) -> dict[str, Any]:
        """Return plaintext bookkeeping counts (rows per table, pending changes, chunk files)."""
        with self._guard():
            counts = {
                t: self._conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # noqa: S608
                for t in (*schema_tables(), "outbox")
            }
        counts["chunk_files"] = self.blobs.chunk_files()
        return counts

    # -- closing and wiping ------------------------------------------------------

    def close(self) -> None:
        """Lock and close the database. Safe to call twice."""
        self.lock()
        if self._closed:
            return
        self._checkpointer.stop()
        with self._mutex:
            try:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:
                log.warning("store: checkpoint at close failed: %s", type(exc).__name__)
            self._conn.close()
            self._closed = True

    def wipe(self) -> None:
        """Destroy this profile: crypto-shred first, then delete its files.

        The key slot is overwritten with random bytes and checkpointed (with
        secure_delete on), and the keyring's device secret is deleted, before
        any file is removed: if deleting files fails, what remains is
        ciphertext under a key that no longer exists anywhere.
        """
        with self._guard():
            self._conn.execute("PRAGMA secure_delete=ON")  # whatever a caller set since
            noise = json.dumps({"shredded": os.urandom(256).hex()})
            with self.db.atomic():
                self._conn.execute('UPDATE "keyslot" SET "slot" = ?', (noise,))
                self._conn.execute('DELETE FROM "keyslot"')
            self._checkpointer.stop()  # no background checkpoint may make this one busy
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if self._slot is not None and self._slot.protection.uses_device_secret:
            self._device_secrets.delete(self.profile_id)
        self.close()
        chunkfiles.remove_all(self.directory)  # ciphertext under the shredded key
        for suffix in ("", *SQLITE_SIDE_FILES):
            with contextlib.suppress(FileNotFoundError):
                Path(str(self.path) + suffix).unlink()
        for name in AUXILIARY_FILES:
            with contextlib.suppress(FileNotFoundError):
                (self.directory / name).unlink()
        with contextlib.suppress(OSError):
            self.directory.rmdir()  # only if nothing else of the user's is there

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def schema_tables() -> tuple[str, ...]:
    """Return the entity and blob tables, for counts and scans."""
    from meetingroom.store.codec import ALL_SPECS

    return (*(s.table for s in ALL_SPECS), "blobs")
