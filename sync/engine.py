"""The sync engine: upload new documents, push the outbox, pull the feed, fetch bytes.

Four named stages, each resumable from what the store already holds:

- ``push-uploads``: the bytes of document versions made on this device
  (queued in the outbox) go to the server with its resumable upload
  protocol before their versions are pushed (``sync.upload``), streamed
  from the encrypted store chunk by chunk, with ``upload`` progress events.
- ``push``: pending local edits (the outbox) go to ``POST /mutations``;
  applied ones take the server's state, conflicts are merged field by field
  or the local copy is kept beside the server's (``store.conflicts``).
- ``pull``: ``GET /changes`` page by page; each page's entities, purges and
  new cursor are committed in one transaction (``services.apply_remote``).
  Secretaries' and chairs' syncs then refresh the cached user directory
  (``meetingroom.directory``) for choosing participants offline.
- ``blobs``: document bytes of the next meeting first, then upcoming, then
  the rest; streamed into encrypted chunks, resumed with ``Range`` and
  verified against the version's sha256 before it counts as available.

A second ``sync`` while one runs is refused (``SyncBusy``). ``410
wipe_required`` crypto-shreds the profile; any 401 drops the token and asks
for sign-in (``AuthRequired``). Qt-free: the UI runs ``sync`` on a worker and
listens to progress events.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import requests

from meetingroom import directory, services
from meetingroom.domain import DocumentVersion, utcnow
from meetingroom.errors import ChecksumMismatch, Tampered
from meetingroom.store import Store
from meetingroom.store.blobs import PendingVersion
from sync import remote
from sync.auth import Account, TokenStore, sign_in, signed_in_account
from sync.blob_links import BlobLinks
from sync.errors import (
    AuthRequired,
    NetworkError,
    ServerError,
    SyncBusy,
    SyncError,
    WipeRequired,
)
from sync.transport import Transport
from sync.upload import Uploader, UploadFailed, pending_uploads

log = logging.getLogger(__name__)

STAGES = ("push-uploads", "push", "pull", "blobs")
# Accounts that may read the server's user directory (docs/protocol.md).
DIRECTORY_ROLES = frozenset({"secretary", "chair"})
PUSH_BATCH = 500
# Download reads of one store chunk (1 MiB): each block goes to the writer
# whole, without a copy into its buffer, and with a quarter of the per-read
# overhead of 256 KiB reads (measured: ~15% less CPU for the blob stage).
READ_BLOCK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """Where a sync stands: for a progress bar or the status bar."""

    stage: str
    items_done: int = 0
    items_total: int | None = None
    bytes_done: int = 0
    bytes_total: int | None = None
    document: str | None = None  # the version id being uploaded or downloaded


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the UI shows: online/offline, last sync, pending changes, errors."""

    online: bool | None
    last_sync: datetime | None
    pending_changes: int
    conflicts: int
    documents_missing: int
    needs_sign_in: bool
    running: bool
    stage: str | None
    errors: tuple[str, ...] = ()


@dataclass
class SyncReport:
    """What one sync did.

    ``complete`` is True when every visible document is stored here and
    every document made here has reached the server.
    """

    pushed: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    purged: int = 0
    resyncs: int = 0
    downloaded: int = 0
    bytes_downloaded: int = 0
    uploaded: int = 0
    bytes_uploaded: int = 0
    not_uploaded: list[str] = field(default_factory=list)  # version ids whose upload failed
    directory: int | None = None  # entries of the user directory fetched, if fetched
    missing: list[str] = field(default_factory=list)  # version ids not downloaded
    errors: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.not_uploaded


class _Wipe(Exception):
    """Internal: the server ordered a wipe; unwind, then wipe once."""


class ProfileLock:
    """An exclusive lock on a profile for one sync, across processes.

    The headless ``meetingroom sync`` and the app may run on the same profile;
    ``flock`` on ``sync.lock`` in the profile directory keeps their syncs from
    interleaving. The lock goes with the process if it dies. Windows has no
    ``flock``: there the refusal stays per process.
    """

    FILENAME = "sync.lock"

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    @classmethod
    def acquire(cls, store: Store) -> ProfileLock | None:
        """Return the held lock (None where flock does not exist).

        Raises:
            SyncBusy: another process is syncing this profile.
        """
        if sys.platform == "win32":
            return None
        import fcntl

        handle = (store.directory / cls.FILENAME).open("a+b")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise SyncBusy("another MeetingRoom process is syncing this profile") from None
        return cls(handle)

    def release(self) -> None:
        """Release the lock (closing the file releases the flock)."""
        self._handle.close()


class SyncEngine:
    """Synchronises one profile's store with one server."""

    def __init__(
        self,
        store: Store,
        transport: Transport,
        tokens: TokenStore,
        *,
        on_progress: Callable[[ProgressEvent], None] | None = None,
        page_limit: int = 500,
        parallel_downloads: int = 3,
        blob_attempts: int = 5,
    ) -> None:
        self.store = store
        self.transport = transport
        self.tokens = tokens
        self.on_progress = on_progress
        self.page_limit = page_limit
        self.parallel_downloads = max(1, parallel_downloads)
        self.blob_attempts = blob_attempts
        self._running = threading.Lock()
        self._events = threading.Lock()
        self._online: bool | None = None
        self._needs_sign_in = False
        self._stage: str | None = None
        self._errors: tuple[str, ...] = ()
        self._progress = ProgressEvent("blobs")
        self._links: BlobLinks | None = None  # the blob stage's signed download links

    # -- sign-in and state --------------------------------------------------

    def sign_in(self, username: str, password: str, device_name: str | None = None) -> Account:
        """Sign in (token into the keyring). Raises: as ``sync.auth.sign_in``; wipes on 410."""
        try:
            account = sign_in(
                self.transport, self.store, self.tokens, username, password, device_name
            )
        except WipeRequired:
            self._wipe()
            raise
        except NetworkError:
            self._online = False
            raise
        self._online = True
        self._needs_sign_in = False
        return account

    def signed_in(self) -> bool:
        """Return True when the keyring holds a token for this profile."""
        return self.tokens.load(self.store.profile_id) is not None

    def sign_out(self) -> None:
        """Revoke the token on the server (best effort) and forget it."""
        if self._load_token():
            try:
                self.transport.request("POST", "/logout", expect=(204, 200))
            except SyncError as exc:
                log.info("sync: logout failed (%s)", type(exc).__name__)
        self.tokens.delete(self.store.profile_id)
        self.transport.token = None

    def status(self) -> SyncStatus:
        """Return the state the UI shows. Needs no key."""
        with self.store.reading() as db:
            missing = db.execute(
                'SELECT count(*) FROM "document_versions" v WHERE v."deleted" = 0 AND NOT EXISTS '
                '(SELECT 1 FROM "blobs" b WHERE b."version_id" = v."id" AND b."complete" = 1)'
            ).fetchone()[0]
        return SyncStatus(
            online=self._online,
            last_sync=self.store.sync_state.last_sync,
            pending_changes=self.store.outbox.count(),
            conflicts=self.store.conflicts.count(),
            documents_missing=int(missing),
            needs_sign_in=self._needs_sign_in,
            running=self._running.locked(),
            stage=self._stage,
            errors=self._errors,
        )

    # -- the sync -------------------------------------------------------------

    def sync(self, stages: tuple[str, ...] = STAGES) -> SyncReport:
        """Run ``stages`` in order and return the report.

        Raises:
            SyncBusy: a sync is already running.
            AuthRequired: no token, or the server refused it (it was dropped).
            WipeRequired: the server ordered a wipe; the profile is destroyed.
            NetworkError: the server cannot be reached.
            ServerError: the server refused a request.
            StoreLocked: the store is locked.
        """
        if not self._running.acquire(blocking=False):
            raise SyncBusy("a sync is already running")
        report = SyncReport()
        profile_lock: ProfileLock | None = None
        try:
            profile_lock = ProfileLock.acquire(self.store)
            if not self._load_token():
                self._needs_sign_in = True
                raise AuthRequired("not_signed_in")
            for stage in stages:
                self._stage = stage
                self.store.sync_state.set("stage", stage)
                {
                    "push-uploads": self._push_uploads,
                    "push": self._push,
                    "pull": self._pull,
                    "blobs": self._blobs,
                }[stage](report)
            self._stage = None
            with self.store.atomic():
                self.store.sync_state.set("stage", None)
                if report.complete:
                    self.store.sync_state.mark_synced()
            self._errors = tuple(report.errors)
            return report
        except _Wipe:
            self._wipe()
            raise WipeRequired("this device was wiped on the server's order") from None
        except SyncError as exc:
            self._errors = (str(exc),)
            raise
        finally:
            self._stage = None
            if profile_lock is not None:
                profile_lock.release()
            self._running.release()

    def _load_token(self) -> bool:
        if self.transport.token is None:
            self.transport.token = self.tokens.load(self.store.profile_id)
        return self.transport.token is not None

    def _wipe(self) -> None:
        profile_id = self.store.profile_id
        self.store.wipe()
        self.tokens.delete(profile_id)
        self.transport.token = None
        self._needs_sign_in = True

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send a request; turn wipe and auth answers into the engine's reactions."""
        try:
            response = self.transport.request(method, path, **kwargs)
        except NetworkError:
            self._online = False
            raise
        except ServerError as exc:
            self._online = True
            if exc.code == "wipe_required":
                raise _Wipe() from exc
            if exc.status == 401:
                self.tokens.delete(self.store.profile_id)
                self.transport.token = None
                self._needs_sign_in = True
                raise AuthRequired(exc.code) from exc
            raise
        self._online = True
        return response

    def _emit(self, event: ProgressEvent) -> None:
        if self.on_progress is not None:
            with self._events:
                self.on_progress(event)

    # -- push-uploads ---------------------------------------------------------------

    def _push_uploads(self, report: SyncReport) -> None:
        """Upload the bytes of queued document versions, before their push.

        A version the server refuses (size limit, hash) is reported and its
        metadata still pushed: the protocol accepts a version whose blob is
        not there yet, so the rest of the meeting is not held back.
        """
        versions, problems = pending_uploads(self.store)
        report.errors.extend(problems)
        progress = ProgressEvent(
            "upload",
            0,
            len(versions),
            0,
            sum(v.size for v in versions),
            versions[0].id if versions else None,
        )
        self._progress = progress
        if not versions:
            return
        self._emit(progress)
        uploader = Uploader(self.store, self._call, self._advance, attempts=self.blob_attempts)
        for version in versions:
            try:
                if uploader.upload(version):
                    report.uploaded += 1
                    report.bytes_uploaded += version.size
            except (UploadFailed, Tampered) as exc:
                report.not_uploaded.append(version.id)
                report.errors.append(f"document {version.id} not uploaded: {exc}")

    # -- push -------------------------------------------------------------------

    def _push(self, report: SyncReport) -> None:
        outbox = self.store.outbox
        total = outbox.count()
        self._emit(ProgressEvent("push", 0, total))
        done = 0
        for _ in range(1 + 4 * (total // PUSH_BATCH + 1)):  # bounded: merges requeue once
            entries = outbox.pending(PUSH_BATCH)
            if not entries:
                break
            ops: list[dict[str, object]] = []
            probes: set[str] = set()
            by_op: dict[str, tuple[Any, Any, dict[str, Any] | None]] = {}
            # Creates the server has not seen yet: a reference to one of them
            # is held back until it has been sent (restore_references below).
            unsent = {(e.entity_table, e.entity_id) for e in outbox.pending() if e.base_rev is None}
            for entry in entries:
                repo = self.store.repos.for_table(entry.entity_table)
                try:
                    local = repo.find(entry.entity_id, include_deleted=True)
                    base = outbox.base(entry)
                except Tampered:
                    services.drop_rejected(self.store, entry, None, "damaged")
                    report.errors.append(f"a damaged local change was dropped ({entry.entity_id})")
                    continue
                if local is None or (local.deleted and local.rev is None):
                    # Purged meanwhile, or created and deleted before the server
                    # ever saw it: nothing to send.
                    outbox.acknowledge(entry)
                    continue
                op = remote.operation(entry, local, base)
                fields = op["fields"]
                assert isinstance(fields, dict)
                for name, target in remote.REFERENCES.get(entry.entity_table, {}).items():
                    if (target, fields.get(name)) in unsent:
                        del fields[name]
                unsent.discard((entry.entity_table, entry.entity_id))
                if entry.sent_op_id is not None and entry.sent_op_id != entry.op_id:
                    # An earlier send's answer was never recorded (the process
                    # died) and the user edited again: replay that op_id first.
                    # The server answers with its first result if it applied
                    # it, so the newer edit is then sent on top of it.
                    op["op_id"] = entry.sent_op_id
                    probes.add(entry.sent_op_id)
                ops.append(op)
                by_op[str(op["op_id"])] = (entry, local, base)
            if not ops:
                continue
            outbox.mark_sent([(by_op[str(o["op_id"])][0], str(o["op_id"])) for o in ops])
            results = self._call("POST", "/mutations", json={"operations": ops}).json()["results"]
            for result in results:
                entry, local, base = by_op[result["op_id"]]
                status = result["status"]
                if result["op_id"] in probes:
                    self._settle_probe(entry, local, result)
                    continue
                if status == "applied":
                    server = remote.decode(
                        remote.TYPE_BY_TABLE[entry.entity_table], result["entity"]
                    )
                    held_back = remote.restore_references(local, server, base)
                    if held_back is not None and not self._unchanged_since_read(entry):
                        # Edited again meanwhile: that edit (references included)
                        # stays pending on top of the server's state.
                        held_back = None
                    services.settle_push(self.store, entry, server, merged=held_back)
                    report.pushed += 1
                elif status == "conflict":
                    server = remote.decode(
                        remote.TYPE_BY_TABLE[entry.entity_table], result["entity"]
                    )
                    fields = [str(f) for f in result.get("fields", [])]
                    lost = tuple(
                        f
                        for f in fields
                        if remote.encode(local).get(f) != remote.encode(server).get(f)
                    )
                    merged = remote.merge(local, server, base, fields)
                    conflict = (local, lost, "conflict") if lost else None
                    services.settle_push(
                        self.store, entry, server, merged=merged, conflict=conflict
                    )
                    report.conflicts += bool(lost)
                else:
                    services.drop_rejected(self.store, entry, local, str(result.get("error")), base)
                    report.rejected += 1
                    report.errors.append(f"a local change was refused: {result.get('error')}")
                done += 1
                self._emit(ProgressEvent("push", done, total))

    def _unchanged_since_read(self, entry: Any) -> bool:
        """Return True when ``entry`` is still the entity's pending change (no newer edit)."""
        with self.store.reading() as db:
            row = db.execute('SELECT "op_id" FROM "outbox" WHERE "seq" = ?', [entry.seq]).fetchone()
        return row is not None and row[0] == entry.op_id

    def _settle_probe(self, entry: Any, local: Any, result: dict[str, Any]) -> None:
        """Record the answer to a replayed op_id; the newer edit stays pending.

        Applied: the pending change moves onto the server's state (or is done,
        when the local entity already equals it). Conflict or rejected: the
        earlier send was never applied; the newer edit goes out as usual next.
        """
        outbox = self.store.outbox
        if result["status"] == "applied":
            server = remote.decode(remote.TYPE_BY_TABLE[entry.entity_table], result["entity"])
            server_json = remote.encode(server)
            if not local.deleted and not remote.changed_fields(local, server_json):
                services.settle_push(self.store, entry, server)
                return
            outbox.rebase(entry.entity_table, entry.entity_id, server.rev, server_json)
        outbox.clear_sent(entry)

    # -- pull ---------------------------------------------------------------------

    def _pull(self, report: SyncReport) -> None:
        state = self.store.sync_state
        cursor = state.cursor
        while True:
            params: dict[str, str | int] = {"limit": self.page_limit}
            if cursor is not None:
                params["since"] = cursor
            try:
                body = self._call("GET", "/changes", params=params).json()
            except ServerError as exc:
                if exc.code == "resync_required" and report.resyncs < 2:
                    services.reset_synced(self.store)
                    report.resyncs += 1
                    cursor = None
                    continue
                raise
            entities = []
            for change in body["changes"]:
                try:
                    entities.append(remote.decode(change["type"], change["entity"]))
                except (KeyError, ValueError, TypeError):
                    report.errors.append(f"the server sent a malformed {change.get('type')}")
            purge = [
                (p["type"], p["id"]) for p in body["purge"] if p.get("type") in remote.TABLE_BY_TYPE
            ]
            services.apply_remote(self.store, entities, purge, body["cursor"])
            cursor = body["cursor"]
            report.pulled += len(entities)
            report.purged += len(purge)
            self._emit(ProgressEvent("pull", report.pulled, None))
            if not body["has_more"]:
                break
        if report.pulled or report.purged:
            # Fold the pull's WAL into the database file soon (on the store's
            # background thread) rather than in the middle of the user's next
            # annotation save. (Document bytes never pass through the WAL.)
            self.store.checkpoint(wait=False)
        self._pull_directory(report)

    def _pull_directory(self, report: SyncReport) -> None:
        """Refresh the cached user directory (secretaries and chairs only)."""
        account = signed_in_account(self.store)
        if account is None or account.role not in DIRECTORY_ROLES:
            return
        try:
            body = self._call("GET", "/directory").json()
        except ServerError as exc:
            if exc.status in (403, 404):
                # The role changed on the server, or an older server: no directory.
                directory.clear_directory(self.store)
                return
            raise
        entries = []
        for item in body.get("users", []):
            try:
                entries.append(directory.entry_from_protocol(item))
            except ValueError:
                report.errors.append("the server sent a malformed directory entry")
        directory.save_directory(self.store, entries)
        report.directory = len(entries)

    # -- blobs --------------------------------------------------------------------------

    def wanted_versions(self) -> list[DocumentVersion]:
        """Return the live versions whose bytes this profile keeps, most urgent first.

        The next meeting's documents first, then upcoming meetings by start,
        then past meetings, most recent first.
        """
        repos = self.store.repos
        now = utcnow()
        meetings = [m for m in repos.meetings.list() if not m.deleted]
        upcoming = sorted((m for m in meetings if m.ends_at >= now), key=lambda m: m.starts_at)
        past = sorted(
            (m for m in meetings if m.ends_at < now), key=lambda m: m.starts_at, reverse=True
        )
        out: list[DocumentVersion] = []
        for meeting in (*upcoming, *past):
            for document in repos.documents.list('"meeting_id" = ?', [meeting.id]):
                out.extend(repos.versions.list('"document_id" = ?', [document.id]))
        return out

    def _blobs(self, report: SyncReport) -> None:
        wanted = self.wanted_versions()
        blobs = self.store.blobs
        keep = {v.id for v in wanted}
        with self.store.reading() as db:
            stored = [str(r[0]) for r in db.execute('SELECT "version_id" FROM "blobs"')]
        for version_id in stored:
            if version_id not in keep:
                blobs.discard(version_id)  # purged, deleted or never visible now
        todo: list[DocumentVersion] = []
        for version in wanted:
            if blobs.is_complete(version.id):
                try:
                    if blobs.manifest(version.id).sha256 == version.sha256:
                        continue
                except Tampered:
                    pass
                blobs.discard(version.id)
            todo.append(version)
        progress = ProgressEvent(
            "blobs", 0, len(todo), 0, sum(v.size for v in todo), todo[0].id if todo else None
        )
        self._progress = progress
        self._emit(progress)
        if not todo:
            return
        # Signed links let the deployment's nginx send the bytes; without one a
        # download goes through GET /blobs/{sha256} (sync.blob_links).
        self._links = BlobLinks(self.transport, self._call)
        self._links.prefetch(v.sha256 for v in todo)
        # A downloaded, verified version is marked complete on a second pool:
        # that waits for the disk (fsync), and the download thread meanwhile
        # fetches the next document.
        with (
            ThreadPoolExecutor(self.parallel_downloads, thread_name_prefix="blob") as pool,
            ThreadPoolExecutor(
                self.parallel_downloads, thread_name_prefix="blob-commit"
            ) as commits,
        ):
            started = list(pool.map(lambda v: self._download_guarded(v, commits), todo))
        outcomes = [o if isinstance(o, BaseException) else o.exception() for o in started]
        for outcome in outcomes:
            if outcome is not None and not isinstance(outcome, _DOWNLOAD_FAILURES):
                # A full or read-only disk while committing: the sync stops and
                # says so, as it does when a chunk cannot be written.
                raise outcome
        wipe = auth = None
        for version, outcome in zip(todo, outcomes, strict=True):
            if outcome is None:
                report.downloaded += 1
                report.bytes_downloaded += version.size
            elif isinstance(outcome, _Wipe):
                wipe = outcome
            elif isinstance(outcome, AuthRequired):
                auth = outcome
            else:
                report.missing.append(version.id)
                report.errors.append(f"document {version.id} not downloaded: {outcome}")
        if wipe is not None:
            raise wipe
        if auth is not None:
            raise auth

    def _download_guarded(
        self, version: DocumentVersion, commits: ThreadPoolExecutor
    ) -> BaseException | Future[None]:
        """Download ``version`` and queue its commit; return the commit's future or the error."""
        try:
            pending = self._download(version)
        except _DOWNLOAD_FAILURES as exc:
            return exc
        return commits.submit(self._commit, pending)

    def _commit(self, pending: PendingVersion) -> None:
        """Mark a downloaded version complete (waits for the disk); count it as done."""
        pending.commit()
        self._advance(pending.version_id, 0, finished=True)

    def _advance(self, document: str, nbytes: int, finished: bool = False) -> None:
        with self._events:
            p = self._progress
            p = replace(
                p,
                bytes_done=p.bytes_done + nbytes,
                items_done=p.items_done + int(finished),
                document=document,
            )
            self._progress = p
            if self.on_progress is not None:
                self.on_progress(p)

    def _download(self, version: DocumentVersion) -> PendingVersion:
        """Fetch one version's bytes into the store, resuming and verifying.

        Returns the verified version, to be committed (``PendingVersion.commit``).

        Raises ChecksumMismatch after ``blob_attempts`` corrupted downloads,
        NetworkError when the server stays unreachable, ServerError (e.g.
        ``blob_missing``), and the engine's auth and wipe reactions.
        """
        blobs = self.store.blobs
        etag = f'"sha256-{version.sha256}"'
        last: BaseException | None = None
        for attempt in range(1, self.blob_attempts + 1):
            writer = blobs.writer(
                version.id,
                expected_size=version.size,
                expected_sha256=version.sha256,
                refetchable=True,
            )
            offset = writer.offset
            if offset:
                self._advance(version.id, 0)
            try:
                if offset < version.size:
                    headers = {"Range": f"bytes={offset}-", "If-Range": etag} if offset else {}
                    links = self._links
                    response = links.open(version.sha256, headers) if links else None
                    if response is None:
                        response = self._call(
                            "GET",
                            f"/blobs/{version.sha256}",
                            headers=headers,
                            stream=True,
                            expect=(200, 206),
                        )
                    with response:
                        if offset and not _resumes_at(response, offset):
                            blobs.discard(version.id)  # the server sent it whole: restart
                            writer = blobs.writer(
                                version.id,
                                expected_size=version.size,
                                expected_sha256=version.sha256,
                                refetchable=True,
                            )
                        for block in response.iter_content(READ_BLOCK):
                            writer.write(block)
                            self._advance(version.id, len(block))
                return writer.seal()
            except ChecksumMismatch as exc:
                log.warning("sync: document bytes failed their check; fetching again")
                last = exc
            except ServerError as exc:
                if exc.status == 416:
                    blobs.discard(version.id)
                    last = exc
                    continue
                raise
            except (requests.RequestException, OSError) as exc:
                # The connection broke mid-body: whole chunks are stored; resume.
                log.info("sync: download interrupted (%s); resuming", type(exc).__name__)
                last = NetworkError(f"download interrupted ({type(exc).__name__})")
                self._online = None
            time.sleep(self.transport.retry.delay(attempt))
        assert last is not None
        raise last


# What ends one document's download without stopping the others (reported).
_DOWNLOAD_FAILURES = (_Wipe, SyncError, Tampered, ChecksumMismatch)


def _resumes_at(response: requests.Response, offset: int) -> bool:
    """Return True when ``response`` is a 206 starting at ``offset``."""
    if response.status_code != 206:
        return False
    content_range = response.headers.get("Content-Range", "")
    return content_range.startswith(f"bytes {offset}-")
