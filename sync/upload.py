"""The upload stage: bytes of document versions made on this device go to the server.

A secretary attaches a PDF offline: ``services.store_document_bytes`` seals
it into the store and ``services.save`` queues its ``document_version`` in
the outbox. Before that version is pushed, its blob is uploaded with the
server's resumable protocol (docs/protocol.md, "Uploading"):

- ``POST /uploads`` with the hash and size; ``200 exists`` means the server
  already has those bytes (another version, another secretary): done.
- ``PUT /uploads/{id}`` chunk by chunk with ``Content-Range``, each chunk
  decrypted from the store only when it is sent (no plaintext file, memory
  bounded by one chunk); ``409 offset_mismatch`` resumes at the server's
  ``received``.
- ``POST /uploads/{id}/complete``: the server checks the hash.

The upload id is kept in the profile's sync bookkeeping under the version's
(random) id, so a sync cut off mid-upload resumes from what the server holds
(``GET /uploads/{id}``) instead of starting again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import requests

from meetingroom.domain import DocumentVersion
from meetingroom.errors import IncompleteDocument, Tampered
from meetingroom.store import Store
from meetingroom.store.blobs import CHUNK_SIZE
from sync.errors import ServerError

log = logging.getLogger(__name__)

STATE_PREFIX = "upload:"  # + version id -> upload id (random ids only: no content)
# A request for one PUT is this long at most: one store chunk, so at most one
# decrypted chunk is in memory at a time.
PUT_SIZE = CHUNK_SIZE

Call = Callable[..., requests.Response]
# (version id, bytes just sent or found on the server, whether the version is done)
Advance = Callable[[str, int, bool], None]


class UploadFailed(Exception):
    """One version's bytes could not be uploaded for a reason a retry will not fix."""


class _Restart(Exception):
    """The server forgot the upload (or refused its bytes): begin a new one."""


def pending_uploads(store: Store) -> tuple[list[DocumentVersion], list[str]]:
    """Return the queued versions whose bytes go up first, and problems to report.

    Versions come in outbox order, one per distinct hash. A queued version
    whose bytes are not complete here, or do not match its sha256, is not
    uploaded (its metadata is still pushed; the server answers
    ``blob_missing`` for it until someone uploads the bytes): it is named in
    the returned problems.

    Raises:
        StoreLocked: the store is locked.
    """
    out: list[DocumentVersion] = []
    problems: list[str] = []
    seen: set[str] = set()
    for entry in store.outbox.pending():
        if entry.entity_table != "document_versions":
            continue
        try:
            version = store.repos.versions.find(entry.entity_id, include_deleted=True)
        except Tampered:
            continue  # the push stage reports and drops it
        if version is None or version.deleted or version.sha256 in seen:
            continue
        try:
            manifest = store.blobs.manifest(version.id)
        except IncompleteDocument:
            if version.rev is None:
                problems.append(f"document {version.id} has no stored bytes to upload")
            continue
        except Tampered:
            problems.append(f"the stored bytes of document {version.id} are damaged")
            continue
        if manifest.sha256 != version.sha256 or manifest.size != version.size:
            problems.append(f"the stored bytes of document {version.id} do not match it")
            continue
        seen.add(version.sha256)
        out.append(version)
    return out, problems


class Uploader:
    """Uploads one version's bytes from the store, resuming where the server stands."""

    def __init__(self, store: Store, call: Call, advance: Advance, *, attempts: int = 3) -> None:
        self.store = store
        self._call = call
        self._advance = advance
        self.attempts = max(1, attempts)

    def upload(self, version: DocumentVersion) -> bool:
        """Upload ``version``'s bytes; return True when they were sent, False if already there.

        Raises:
            UploadFailed: the server refused the bytes (size limit, hash) or
                kept forgetting the upload.
            NetworkError: the server stayed unreachable; the upload resumes
                from the server's offset on the next sync.
            ServerError, AuthRequired, and the engine's wipe reaction.
            StoreLocked, Tampered: the local bytes cannot be read.
        """
        key = STATE_PREFIX + version.id
        reported = 0  # bytes of this version already counted in the progress
        for attempt in range(1, self.attempts + 1):
            begun = self._begin(version, key)
            if begun is None:
                self._advance(version.id, version.size - reported, True)
                return False
            upload_id, received = begun
            self._advance(version.id, received - reported, False)
            reported = received
            try:
                reported = self._send(version, upload_id, received, reported)
                self._complete(version, upload_id)
            except _Restart as why:
                log.info("sync: upload restarted (%s, attempt %d)", why, attempt)
                self.store.sync_state.set(key, None)
                self._advance(version.id, -reported, False)
                reported = 0
                continue
            self.store.sync_state.set(key, None)
            self._advance(version.id, 0, True)
            return True
        raise UploadFailed(f"the server did not keep the upload of document {version.id}")

    def _begin(self, version: DocumentVersion, key: str) -> tuple[str, int] | None:
        """Return (upload id, bytes the server holds), or None when the blob exists."""
        upload_id = self.store.sync_state.get(key)
        if upload_id is not None:
            try:
                status = self._call("GET", f"/uploads/{upload_id}").json()
                return upload_id, int(status["received"])
            except ServerError as exc:
                if exc.status != 404:
                    raise
                # Completed (answer lost) or abandoned: the POST below tells which.
                self.store.sync_state.set(key, None)
        try:
            response = self._call(
                "POST",
                "/uploads",
                json={"sha256": version.sha256, "size": version.size},
                expect=(200, 201),
            )
        except ServerError as exc:
            if exc.code in ("upload_too_large", "forbidden", "invalid_request"):
                raise UploadFailed(f"the server refused document {version.id}: {exc}") from exc
            raise
        if response.status_code == 200:
            return None
        body: dict[str, Any] = response.json()
        upload_id = str(body["upload_id"])
        self.store.sync_state.set(key, upload_id)
        return upload_id, int(body.get("received", 0))

    def _send(self, version: DocumentVersion, upload_id: str, offset: int, reported: int) -> int:
        """Send the bytes from ``offset`` to the end; return the bytes counted so far."""
        size = version.size
        if offset >= size:
            return reported
        reader = self.store.blobs.open(version.id)
        buffer = bytearray(PUT_SIZE)
        view = memoryview(buffer)
        try:
            while offset < size:
                reader.seek(offset)
                length = 0
                want = min(PUT_SIZE, size - offset)
                while length < want:
                    got = reader.readinto(view[length:want])
                    if not got:
                        raise Tampered("blobs", version.id, "manifest")
                    length += got
                end = offset + length - 1
                try:
                    response = self._call(
                        "PUT",
                        f"/uploads/{upload_id}",
                        data=bytes(view[:length]),
                        headers={
                            "Content-Range": f"bytes {offset}-{end}/{size}",
                            "Content-Type": "application/octet-stream",
                        },
                        expect=(200, 409),
                    )
                except ServerError as exc:
                    if exc.status == 404:
                        raise _Restart("the server forgot the upload") from exc
                    raise
                # 200: the chunk is stored. 409 offset_mismatch: the server holds
                # a different amount (an earlier send arrived after all, or was
                # dropped): continue from what it says it has.
                offset = int(response.json()["received"])
                self._advance(version.id, offset - reported, False)
                reported = offset
        finally:
            reader.close()
            buffer[:] = bytes(len(buffer))  # plaintext does not outlive the upload
        return reported

    def _complete(self, version: DocumentVersion, upload_id: str) -> None:
        for _ in range(3):
            try:
                response = self._call("POST", f"/uploads/{upload_id}/complete", expect=(200, 409))
            except ServerError as exc:
                if exc.status == 404:
                    raise _Restart("the server forgot the upload") from exc
                if exc.code == "hash_mismatch":
                    raise _Restart("the server refused the bytes' hash") from exc
                raise
            if response.status_code == 200:
                return
            # 409 upload_incomplete: a chunk was lost after all; send the rest.
            received = int(response.json()["received"])
            self._send(version, upload_id, received, received)
        raise _Restart("the upload stayed incomplete")
