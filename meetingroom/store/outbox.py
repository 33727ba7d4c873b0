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

import json
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
    sent_op_id: str | None = None  # the op_id last sent, if its answer is not recorded


class Outbox:
    """Queue of pending local changes, in the order they were first made."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def enqueue(self, entity_table: str, entity_id: str, base_rev: int | None) -> None:
        """Record that ``entity_id`` changed locally. Joins the caller's transaction."""
        self.enqueue_many(entity_table, [(entity_id, base_rev)])

    def enqueue_many(
        self,
        entity_table: str,
        changed: list[tuple[str, int | None]],
        bases: dict[str, dict[str, object]] | None = None,
    ) -> None:
        """Record local changes of (entity id, base revision) pairs in one statement.

        ``bases`` maps an entity id to the server state (protocol JSON) its
        first pending edit started from; it is sealed and kept only when the
        entity was not pending already (later edits keep the first base).
        """
        queued_at = utcnow().isoformat()
        bases = bases or {}
        with self._store.atomic() as db:
            db.conn.executemany(
                'INSERT INTO "outbox" ("entity_table", "entity_id", "op_id", "base_rev", '
                '"queued_at", "base") VALUES (?, ?, ?, ?, ?, ?) '
                'ON CONFLICT ("entity_table", "entity_id") DO UPDATE SET "op_id" = excluded."op_id"',
                [
                    (
                        entity_table,
                        entity_id,
                        str(uuid.uuid4()),
                        base_rev,
                        queued_at,
                        self._seal_base(entity_table, entity_id, bases.get(entity_id)),
                    )
                    for entity_id, base_rev in changed
                ],
            )

    def _seal_base(
        self, entity_table: str, entity_id: str, base: dict[str, object] | None
    ) -> bytes | None:
        if base is None:
            return None
        plain = json.dumps(base, ensure_ascii=False, separators=(",", ":")).encode()
        return self._store.seal("outbox", f"{entity_table}/{entity_id}", "base", plain)

    def pending_ids(self, entity_table: str, entity_ids: list[str]) -> set[str]:
        """Return which of ``entity_ids`` have a pending change. Needs no key."""
        found: set[str] = set()
        with self._store.reading() as db:
            for start in range(0, len(entity_ids), 500):
                part = entity_ids[start : start + 500]
                marks = ", ".join("?" * len(part))
                rows = db.execute(
                    f'SELECT "entity_id" FROM "outbox" WHERE "entity_table" = ? '  # noqa: S608
                    f'AND "entity_id" IN ({marks})',
                    [entity_table, *part],
                ).fetchall()
                found.update(str(r[0]) for r in rows)
        return found

    def base(self, entry: OutboxEntry) -> dict[str, object] | None:
        """Return the server state ``entry``'s edits started from, or None if unknown.

        Raises StoreLocked, Tampered.
        """
        with self._store.reading() as db:
            row = db.execute('SELECT "base" FROM "outbox" WHERE "seq" = ?', [entry.seq]).fetchone()
        if row is None or row[0] is None:
            return None
        plain = self._store.unseal(
            "outbox", f"{entry.entity_table}/{entry.entity_id}", "base", row[0]
        )
        value: dict[str, object] = json.loads(plain)
        return value

    def rebase(
        self, entity_table: str, entity_id: str, base_rev: int | None, base: dict[str, object]
    ) -> None:
        """Move a pending change onto a newer server state (its edits stay pending)."""
        with self._store.atomic() as db:
            db.execute(
                'UPDATE "outbox" SET "base_rev" = ?, "base" = ? '
                'WHERE "entity_table" = ? AND "entity_id" = ?',
                [
                    base_rev,
                    self._seal_base(entity_table, entity_id, base),
                    entity_table,
                    entity_id,
                ],
            )

    def pending(self, limit: int | None = None) -> list[OutboxEntry]:
        """Return pending entries, oldest first (at most ``limit``)."""
        sql = (
            'SELECT "seq", "entity_table", "entity_id", "op_id", "base_rev", "sent_op_id" '
            'FROM "outbox" ORDER BY "seq"'
        )
        args: list[object] = []
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        with self._store.reading() as db:
            rows = db.execute(sql, args).fetchall()
        return [OutboxEntry(*row) for row in rows]

    def mark_sent(self, sent: list[tuple[OutboxEntry, str]]) -> None:
        """Record, before a push, which op_id each entry is about to be sent as."""
        with self._store.atomic() as db:
            db.conn.executemany(
                'UPDATE "outbox" SET "sent_op_id" = ? WHERE "seq" = ?',
                [(op_id, entry.seq) for entry, op_id in sent],
            )

    def clear_sent(self, entry: OutboxEntry) -> None:
        """Forget the sent op_id of ``entry`` once its answer is recorded."""
        with self._store.atomic() as db:
            db.execute('UPDATE "outbox" SET "sent_op_id" = NULL WHERE "seq" = ?', [entry.seq])

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
