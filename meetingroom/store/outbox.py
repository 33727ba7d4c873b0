"""The outbox: local changes waiting to be pushed to the server.

One entry per changed entity (Joplin-style dirty flags): the payload is the
entity's current row, read when pushing, so ten edits to one annotation make
one push. Entries are written in the same transaction as the change itself
(see ``meetingroom.services``), so the outbox never disagrees with the data.

``base_rev`` is the server revision the local edits started from; it stays
while the entity is edited again. Each new local edit gets a fresh ``op_id``:
an op_id names one exact payload, so a replay of a lost response returns
the first result, and a later edit is never mistaken for that replay.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from meetingroom.domain import utcnow

if TYPE_CHECKING:
    from meetingroom.store.gateway import Store


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    seq: int
    entity_table: str
    entity_id: str
    op_id: str
    base_rev: int | None


class Outbox:
    """Queue of pending local changes, in the order they were first made."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def enqueue(self, entity_table: str, entity_id: str, base_rev: int | None) -> None:
        """Record that ``entity_id`` changed locally. Joins the caller's transaction."""
        self.enqueue_many(entity_table, [(entity_id, base_rev)])

    def enqueue_many(self, entity_table: str, changed: list[tuple[str, int | None]]) -> None:
        """Record local changes of (entity id, base revision) pairs in one statement."""
        queued_at = utcnow().isoformat()
        with self._store.atomic() as db:
            db.conn.executemany(
                'INSERT INTO "outbox" ("entity_table", "entity_id", "op_id", "base_rev", "queued_at") '
                "VALUES (?, ?, ?, ?, ?) "
                'ON CONFLICT ("entity_table", "entity_id") DO UPDATE SET "op_id" = excluded."op_id"',
                [
                    (entity_table, entity_id, str(uuid.uuid4()), base_rev, queued_at)
                    for entity_id, base_rev in changed
                ],
            )

    def pending(self, limit: int | None = None) -> list[OutboxEntry]:
        """Return pending entries, oldest first (at most ``limit``)."""
        sql = 'SELECT "seq", "entity_table", "entity_id", "op_id", "base_rev" FROM "outbox" ORDER BY "seq"'
        args: list[object] = []
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        with self._store.reading() as db:
            rows = db.execute(sql, args).fetchall()
        return [OutboxEntry(*row) for row in rows]

    def count(self) -> int:
        """Return the number of pending changes. Needs no key."""
        with self._store.reading() as db:
            return int(db.execute('SELECT count(*) FROM "outbox"').fetchone()[0])

    def acknowledge(self, entry: OutboxEntry) -> bool:
        """Remove ``entry`` if it was not superseded by a newer local edit.

        Returns True when removed; False when the entity changed again after
        this entry was read (it stays queued with its new op_id).
        Joins the caller's transaction.
        """
        with self._store.atomic() as db:
            cursor = db.execute(
                'DELETE FROM "outbox" WHERE "seq" = ? AND "op_id" = ?', [entry.seq, entry.op_id]
            )
            return cursor.rowcount > 0

    def drop(self, entity_table: str, entity_ids: list[str]) -> None:
        """Forget pending changes of entities that are being purged."""
        with self._store.atomic() as db:
            for entity_id in entity_ids:
                db.execute(
                    'DELETE FROM "outbox" WHERE "entity_table" = ? AND "entity_id" = ?',
                    [entity_table, entity_id],
                )
