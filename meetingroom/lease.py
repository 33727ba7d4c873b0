"""The offline lease: classified documents stop opening after too long without a sync.

The policy's ``lease_hours`` counts from the last successful sync the sync
engine recorded (``sync_state.last_sync``). Past it, reading a classified
document raises ``LeaseExpired`` until the next successful sync. Normal
documents have no lease. A profile that never had a server (a local-only
profile: nothing in it came from one) has no lease either.

The reader calls ``check_document_readable`` (on the DB worker) before
asking the render service to open a version; code that reads the bytes
itself calls ``open_document_bytes_checked``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from meetingroom.domain import Classification
from meetingroom.errors import LeaseExpired

if TYPE_CHECKING:
    from meetingroom.policy import Policy
    from meetingroom.store import Store


def version_level(store: Store, version_id: str) -> Classification:
    """Return the classification of a version: the higher of its own and its document's.

    Raises:
        NotFound: no such version. StoreLocked, Tampered: as the repositories.
    """
    version = store.repos.versions.get(version_id)
    document = store.repos.documents.find(version.document_id)
    levels = [version.classification] + ([document.classification] if document else [])
    return max(levels, key=lambda level: level.rank)


def lease_expired(
    store: Store, policy: Policy, level: Classification, now: datetime | None = None
) -> bool:
    """Return True when documents at ``level`` may not be read now under ``policy``'s lease.

    Needs no key (sync bookkeeping is plaintext).
    """
    if level is Classification.NORMAL or policy.lease_hours is None:
        return False
    state = store.sync_state
    last = state.last_sync
    if last is None:
        # Never synced to the end: expired if a server is involved at all,
        # since the classified bytes came from it and no lease was ever granted.
        return state.get("server") is not None
    now = now or datetime.now(UTC)
    if last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    return now - last > timedelta(hours=policy.lease_hours)


def check_document_readable(
    store: Store, policy: Policy, version_id: str, now: datetime | None = None
) -> Classification:
    """Return the version's classification when it may be read now; raise otherwise.

    Raises:
        LeaseExpired: the version is classified and the offline lease ran out.
        NotFound, StoreLocked, Tampered: as ``version_level``.
    """
    level = version_level(store, version_id)
    if lease_expired(store, policy, level, now):
        assert policy.lease_hours is not None
        raise LeaseExpired(version_id, level.value, policy.lease_hours)
    return level


def open_document_bytes_checked(
    store: Store, policy: Policy, version_id: str, now: datetime | None = None
) -> bytearray:
    """Return the version's decrypted bytes (in memory) after the lease check.

    Raises:
        LeaseExpired: as ``check_document_readable``.
        IncompleteDocument, StoreLocked, Tampered: as ``BlobStore.read_into_buffer``.
    """
    check_document_readable(store, policy, version_id, now)
    return store.blobs.read_into_buffer(version_id)
