"""What the app and sync call: the store's services.

Local edits go through ``save``/``delete``, which write the entity and its
outbox entry in one transaction and return a ``Changes`` summary so views
refresh only what changed. Listings return a ``Readout`` (intact items plus
any damaged records, reported rather than hidden or fatal).
"""

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from meetingroom import domain
from meetingroom.domain import (
    AgendaItem,
    Annotation,
    Document,
    DocumentVersion,
    Meeting,
    MeetingId,
    Note,
    Participant,
    Room,
    Seat,
)
from meetingroom.errors import Tampered
from meetingroom.search import pagetext
from meetingroom.store import codec
from meetingroom.store.blobs import CHUNK_SIZE, Manifest
from meetingroom.store.gateway import Store
from meetingroom.store.outbox import OutboxEntry
from meetingroom.store.repository import Readout, Repository

_FIELD_BY_TABLE = {
    "meetings": "meetings",
    "agenda_items": "agenda_items",
    "documents": "documents",
    "document_versions": "versions",
    "participants": "participants",
    "rooms": "rooms",
    "seats": "seats",
    "annotations": "annotations",
    "notes": "notes",
}


@dataclass(frozen=True)
class Changes:
    """Ids of what a service call changed, per kind of entity."""

    meetings: frozenset[str] = frozenset()
    agenda_items: frozenset[str] = frozenset()
    documents: frozenset[str] = frozenset()
    versions: frozenset[str] = frozenset()
    participants: frozenset[str] = frozenset()
    rooms: frozenset[str] = frozenset()
    seats: frozenset[str] = frozenset()
    annotations: frozenset[str] = frozenset()
    notes: frozenset[str] = frozenset()

    @classmethod
    def of(cls, entities: Iterable[object]) -> "Changes":
        """Return the summary naming ``entities``."""
        ids: dict[str, set[str]] = {}
        for entity in entities:
            table = codec.SPEC_BY_CLASS[type(entity)].table
            ids.setdefault(_FIELD_BY_TABLE[table], set()).add(entity.id)  # type: ignore[attr-defined]
        return cls(**{name: frozenset(v) for name, v in ids.items()})

    @classmethod
    def of_table(cls, table: str, ids: Iterable[str]) -> "Changes":
        """Return the summary naming ``ids`` of ``table``."""
        return cls(**{_FIELD_BY_TABLE[table]: frozenset(ids)})

    def __or__(self, other: "Changes") -> "Changes":
        return Changes(
            **{
                f.name: getattr(self, f.name) | getattr(other, f.name)
                for f in dataclasses.fields(self)
            }
        )

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in dataclasses.fields(self))


# -- local edits -----------------------------------------------------------------


def save(store: Store, *entities: Any) -> "Changes":
    """Store local edits of ``entities`` and queue them for sync, atomically.

    Returns the change summary.

    Raises:
        StoreLocked: the store is locked.
        DiskFull, ReadOnlyStore: nothing was saved; earlier data is intact.
    """
    by_table: dict[str, list[Any]] = {}
    for entity in entities:
        by_table.setdefault(codec.SPEC_BY_CLASS[type(entity)].table, []).append(entity)
    with store.atomic():
        for table, group in by_table.items():
            repo = store.repos.for_table(table)
            # The first pending edit remembers the server state it started
            # from, so a push sends only the fields the user changed.
            pending = store.outbox.pending_ids(table, [e.id for e in group])
            bases: dict[str, dict[str, object]] = {}
            for e in group:
                if e.id in pending or e.rev is None:
                    continue
                old = _find(repo, e.id)
                if old is not None and old.rev is not None:
                    bases[e.id] = repo.spec.to_json(old)
            repo.put_many(group)
            store.outbox.enqueue_many(table, [(e.id, e.rev) for e in group], bases)
    return Changes.of(entities)


def _find(repo: Repository[Any], entity_id: str) -> Any:
    """Return the stored entity (tombstones included), or None if absent or damaged."""
    try:
        return repo.find(entity_id, include_deleted=True)
    except Tampered:
        return None


def delete(store: Store, *entities: Any) -> "Changes":
    """Mark ``entities`` deleted (tombstones that sync) and queue them. Raises: as ``save``."""
    return save(store, *(e.tombstoned() for e in entities))


# -- reads ----------------------------------------------------------------------------


def list_meetings(store: Store) -> Readout[Meeting]:
    """Return every meeting, earliest start first. Raises StoreLocked."""
    readout = store.repos.meetings.list()
    readout.items.sort(key=lambda m: m.starts_at)
    return readout


def agenda(store: Store, meeting_id: MeetingId) -> Readout[AgendaItem]:
    """Return the meeting's agenda items ordered by position (parents before children
    is the caller's business: ``parent_id`` gives the nesting). Raises StoreLocked."""
    return store.repos.agenda_items.list('"meeting_id" = ?', [meeting_id])


def documents(store: Store, meeting_id: MeetingId) -> Readout[Document]:
    """Return the meeting's documents ordered by position. Raises StoreLocked."""
    return store.repos.documents.list('"meeting_id" = ?', [meeting_id])


def versions(store: Store, document_id: domain.DocumentId) -> Readout[DocumentVersion]:
    """Return a document's versions, oldest first. Raises StoreLocked."""
    return store.repos.versions.list('"document_id" = ?', [document_id])


def participants(store: Store, meeting_id: MeetingId) -> Readout[Participant]:
    """Return the meeting's participants. Raises StoreLocked."""
    return store.repos.participants.list('"meeting_id" = ?', [meeting_id])


def room(store: Store, meeting_id: MeetingId) -> Room | None:
    """Return the meeting's room, or None. Raises StoreLocked, Tampered."""
    readout = store.repos.rooms.list('"meeting_id" = ?', [meeting_id])
    if readout.damaged and not readout.items:
        raise readout.damaged[0]
    return readout.items[0] if readout.items else None


def seats(store: Store, room_id: domain.RoomId) -> Readout[Seat]:
    """Return the seats of a room. Raises StoreLocked."""
    return store.repos.seats.list('"room_id" = ?', [room_id])


def annotations(store: Store, version_id: domain.DocumentVersionId) -> Readout[Annotation]:
    """Return the annotations on one document version. Raises StoreLocked."""
    return store.repos.annotations.list('"version_id" = ?', [version_id])


def notes(store: Store, meeting_id: MeetingId, author_id: domain.UserId) -> Readout[Note]:
    """Return the author's personal notes for a meeting. Raises StoreLocked."""
    return store.repos.notes.list('"meeting_id" = ? AND "author_id" = ?', [meeting_id, author_id])


# -- document bytes ---------------------------------------------------------------


def store_document_bytes(
    store: Store,
    version_id: domain.DocumentVersionId,
    source: IO[bytes],
    *,
    expected_sha256: str | None = None,
) -> Manifest:
    """Copy ``source`` into the version's encrypted chunks and return the manifest.

    Reads ``source`` one chunk at a time, so memory stays bounded.

    Raises:
        ChecksumMismatch: the bytes do not match ``expected_sha256`` (discarded).
        StoreLocked, DiskFull, ReadOnlyStore: as ``DocumentWriter``.
    """
    writer = store.blobs.writer(version_id, expected_sha256=expected_sha256)
    while block := source.read(CHUNK_SIZE):
        writer.write(block)
    return writer.finish()


# -- access loss -------------------------------------------------------------------------


def purge_meeting(store: Store, meeting_id: MeetingId) -> "Changes":
    """Remove a meeting and everything under it, document bytes included.

    Used when the user loses access. Pending local changes to the purged
    data are dropped with it: the server would refuse them. Needs no key.
    Returns the change summary.
    """
    repos = store.repos
    with store.atomic():
        document_ids = repos.documents.ids('"meeting_id" = ?', [meeting_id])
        version_ids = [
            v for d in document_ids for v in repos.versions.ids('"document_id" = ?', [d])
        ]
        room_ids = repos.rooms.ids('"meeting_id" = ?', [meeting_id])
        doomed: dict[str, list[str]] = {
            "meetings": [meeting_id],
            "agenda_items": repos.agenda_items.ids('"meeting_id" = ?', [meeting_id]),
            "documents": document_ids,
            "document_versions": version_ids,
            "participants": repos.participants.ids('"meeting_id" = ?', [meeting_id]),
            "rooms": room_ids,
            "seats": [s for r in room_ids for s in repos.seats.ids('"room_id" = ?', [r])],
            "annotations": [
                a for v in version_ids for a in repos.annotations.ids('"version_id" = ?', [v])
            ],
            "notes": repos.notes.ids('"meeting_id" = ?', [meeting_id]),
        }
        changes = Changes()
        for table, ids in doomed.items():
            repos.for_table(table).purge(ids)
            store.outbox.drop(table, ids)
            changes = changes | Changes.of_table(table, ids)
        for version_id in version_ids:
            store.blobs.discard(version_id)
        pagetext.discard(store, version_ids)
    return changes


# -- sync (called by sync/, never by views) ---------------------------------------

TABLE_BY_TYPE = {
    "meeting": "meetings",
    "agenda_item": "agenda_items",
    "document": "documents",
    "document_version": "document_versions",
    "participant": "participants",
    "room": "rooms",
    "seat": "seats",
    "annotation": "annotations",
    "note": "notes",
}
TYPE_BY_TABLE = {table: type_ for type_, table in TABLE_BY_TYPE.items()}


def apply_remote(
    store: Store,
    entities: Iterable[Any],
    purge: Iterable[tuple[str, str]] = (),
    cursor: str | None = None,
) -> "Changes":
    """Write server states and the feed's new ``cursor`` in one transaction; no outbox.

    An entity is written only when its ``rev`` is newer than the stored one
    and it has no pending local edit (that edit stays pending: it is pushed
    with its base revision and the server merges it or reports a conflict).
    ``purge`` holds (protocol type, id) pairs to remove, cached bytes included;
    unknown ids are ignored. Returns the change summary.

    Raises:
        StoreLocked: the store is locked.
        DiskFull, ReadOnlyStore: nothing was written; the cursor did not move.
    """
    by_table: dict[str, list[Any]] = {}
    for entity in entities:
        by_table.setdefault(codec.SPEC_BY_CLASS[type(entity)].table, []).append(entity)
    changes = Changes()
    with store.atomic():
        for type_, entity_id in purge:
            changes = changes | _purge_one(store, TABLE_BY_TYPE[type_], entity_id)
        for table, group in by_table.items():
            repo = store.repos.for_table(table)
            pending = store.outbox.pending_ids(table, [e.id for e in group])
            newer: list[Any] = []
            for e in group:
                if e.id in pending:
                    continue
                old = _find(repo, e.id)
                if old is not None and old.rev is not None and (e.rev or 0) <= old.rev:
                    continue
                if (
                    table == "document_versions"
                    and old is not None
                    and (e.deleted or old.sha256 != e.sha256)
                ):
                    store.blobs.discard(e.id)
                    pagetext.discard(store, [e.id])  # text of the old bytes
                newer.append(e)
            repo.put_many(newer)
            changes = changes | Changes.of(newer)
        if cursor is not None:
            store.sync_state.cursor = cursor
    return changes


def _purge_one(store: Store, table: str, entity_id: str) -> "Changes":
    """Remove one entity and what hangs under it (bytes included). Joins the transaction."""
    if table == "meetings":
        return purge_meeting(store, domain.MeetingId(entity_id))
    repos = store.repos
    doomed: dict[str, list[str]] = {table: [entity_id]}
    if table == "documents":
        doomed["document_versions"] = repos.versions.ids('"document_id" = ?', [entity_id])
    if table in ("documents", "document_versions"):
        versions_ = doomed.get("document_versions", [entity_id])
        doomed["annotations"] = [
            a for v in versions_ for a in repos.annotations.ids('"version_id" = ?', [v])
        ]
    if table == "rooms":
        doomed["seats"] = repos.seats.ids('"room_id" = ?', [entity_id])
    changes = Changes()
    for name, ids in doomed.items():
        repos.for_table(name).purge(ids)
        store.outbox.drop(name, ids)
        store.conflicts.drop_for(name, ids)
        changes = changes | Changes.of_table(name, ids)
    for version_id in doomed.get("document_versions", []):
        store.blobs.discard(version_id)
    pagetext.discard(store, doomed.get("document_versions", []))
    return changes


def reset_synced(store: Store) -> None:
    """Drop the cursor and every synced record without a pending local edit.

    For ``resync_required``: the next pull starts from scratch. Document
    bytes stay until no version names them (the blob stage's clean-up), so
    re-sent versions with the same id and hash are not downloaded again.
    """
    with store.atomic() as db:
        for spec in codec.ALL_SPECS:
            db.execute(
                f'DELETE FROM "{spec.table}" WHERE "id" NOT IN '  # noqa: S608
                '(SELECT "entity_id" FROM "outbox" WHERE "entity_table" = ?)',
                [spec.table],
            )
        store.sync_state.cursor = None


def settle_push(
    store: Store,
    entry: OutboxEntry,
    server: Any,
    *,
    merged: Any = None,
    conflict: tuple[Any, tuple[str, ...], str] | None = None,
) -> "Changes":
    """Record the server's answer to one pushed change, in one transaction.

    ``server`` is the entity as the server holds it now. ``merged``, when
    given and different from ``server``, is written locally and queued again
    on top of ``server`` (the local edits the server did not take yet).
    ``conflict`` = (local entity, conflicting fields, reason) keeps the local
    copy beside the server's. A change edited again meanwhile stays pending,
    moved onto the server's revision.
    """
    table = codec.SPEC_BY_CLASS[type(server)].table
    repo = store.repos.for_table(table)
    server_json = repo.spec.to_json(server)
    with store.atomic():
        if conflict is not None:
            local, fields, reason = conflict
            store.conflicts.add(
                table,
                server.id,
                repo.spec.to_json(local),
                server_rev=server.rev,
                fields=fields,
                reason=reason,
            )
        if merged is not None and merged != server:
            repo.put(merged)
            store.outbox.drop(table, [server.id])
            store.outbox.enqueue_many(table, [(server.id, server.rev)], {server.id: server_json})
        elif store.outbox.acknowledge(entry):
            repo.put(server)
        else:
            store.outbox.rebase(table, server.id, server.rev, server_json)
    return Changes.of([server])


def drop_rejected(
    store: Store,
    entry: OutboxEntry,
    local: Any,
    reason: str,
    base: dict[str, Any] | None = None,
) -> None:
    """Keep a change the server refused as a conflict copy and stop pushing it.

    The record goes back to the server's state: ``base`` (the server state the
    edits started from) when known, and a create the server never took is
    removed, so the profile does not keep data the server does not have.
    """
    spec = codec.SPEC_BY_TABLE[entry.entity_table]
    repo = store.repos.for_table(entry.entity_table)
    with store.atomic():
        if local is not None:
            store.conflicts.add(
                entry.entity_table,
                entry.entity_id,
                spec.to_json(local),
                server_rev=None,
                reason=reason,
            )
        if not store.outbox.acknowledge(entry):
            return  # edited again meanwhile: that newer edit stays pending
        if entry.base_rev is None and local is not None and local.rev is None:
            repo.purge([entry.entity_id])
        elif base is not None:
            repo.put(spec.from_json(base))
