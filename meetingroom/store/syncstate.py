"""Sync bookkeeping (``sync_state``) and kept conflict copies (``conflicts``).

``sync_state`` holds plaintext bookkeeping only: the feed cursor, the time of
the last successful sync, the device id, the server address. Conflict copies
are meeting content and are sealed like every other record.
"""

from __future__ import annotations

import builtins
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from meetingroom.domain import utcnow

if TYPE_CHECKING:
    from meetingroom.store.gateway import Store

CURSOR = "cursor"
LAST_SYNC = "last_sync"


class SyncState:
    """Key/value sync bookkeeping. Needs no key; writes join the caller's transaction."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, key: str) -> str | None:
        """Return the value of ``key``, or None."""
        with self._store.reading() as db:
            row = db.execute('SELECT "value" FROM "sync_state" WHERE "key" = ?', [key]).fetchone()
        return None if row is None else str(row[0])

    def set(self, key: str, value: str | None) -> None:
        """Set ``key`` to ``value`` (None removes it)."""
        with self._store.atomic() as db:
            if value is None:
                db.execute('DELETE FROM "sync_state" WHERE "key" = ?', [key])
            else:
                db.execute(
                    'INSERT INTO "sync_state" ("key", "value") VALUES (?, ?) '
                    'ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value"',
                    [key, value],
                )

    @property
    def cursor(self) -> str | None:
        """Return the feed cursor, or None to pull from scratch."""
        return self.get(CURSOR)

    @cursor.setter
    def cursor(self, value: str | None) -> None:
        self.set(CURSOR, value)

    @property
    def last_sync(self) -> datetime | None:
        """Return when the last sync completed, or None."""
        value = self.get(LAST_SYNC)
        return None if value is None else datetime.fromisoformat(value)

    def mark_synced(self, when: datetime | None = None) -> None:
        """Record a completed sync at ``when`` (now by default)."""
        self.set(LAST_SYNC, (when or utcnow()).isoformat())

    def device_id(self) -> str:
        """Return this profile's device id for the server, made on first use."""
        value = self.get("device_id")
        if value is None:
            value = str(uuid.uuid4())
            self.set("device_id", value)
        return value


@dataclass(frozen=True, slots=True)
class Conflict:
    """A local version that lost to the server's; ``local`` is its protocol JSON."""

    id: str
    entity_table: str
    entity_id: str
    server_rev: int | None
    created_at: datetime
    fields: tuple[str, ...]
    reason: str
    local: dict[str, Any]


class Conflicts:
    """Conflict copies kept beside the server's version until the user dismisses them."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def add(
        self,
        entity_table: str,
        entity_id: str,
        local: dict[str, Any],
        *,
        server_rev: int | None,
        fields: tuple[str, ...] = (),
        reason: str = "conflict",
    ) -> str:
        """Keep ``local`` (sealed); return the conflict's id. Joins the caller's transaction."""
        conflict_id = str(uuid.uuid4())
        plain = json.dumps(
            {"local": local, "fields": list(fields), "reason": reason},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        sealed = self._store.seal("conflicts", conflict_id, "content", plain)
        with self._store.atomic() as db:
            db.execute(
                'INSERT INTO "conflicts" ("id", "entity_table", "entity_id", "server_rev", '
                '"created_at", "content") VALUES (?, ?, ?, ?, ?, ?)',
                [conflict_id, entity_table, entity_id, server_rev, utcnow().isoformat(), sealed],
            )
        return conflict_id

    def count(self) -> int:
        """Return how many unresolved conflicts there are. Needs no key."""
        with self._store.reading() as db:
            return int(
                db.execute('SELECT count(*) FROM "conflicts" WHERE "resolved" = 0').fetchone()[0]
            )

    def list(self) -> list[Conflict]:
        """Return the unresolved conflicts, oldest first. Raises StoreLocked, Tampered."""
        with self._store.reading() as db:
            rows = db.execute(
                'SELECT "id", "entity_table", "entity_id", "server_rev", "created_at", "content" '
                'FROM "conflicts" WHERE "resolved" = 0 ORDER BY "created_at", "rowid"'
            ).fetchall()
        out: builtins.list[Conflict] = []
        for row in rows:
            raw = json.loads(self._store.unseal("conflicts", row[0], "content", row[5]))
            out.append(
                Conflict(
                    id=row[0],
                    entity_table=row[1],
                    entity_id=row[2],
                    server_rev=row[3],
                    created_at=datetime.fromisoformat(row[4]),
                    fields=tuple(raw["fields"]),
                    reason=str(raw["reason"]),
                    local=raw["local"],
                )
            )
        return out

    def resolve(self, conflict_id: str) -> None:
        """Forget a conflict copy the user has dealt with."""
        with self._store.atomic() as db:
            db.execute('DELETE FROM "conflicts" WHERE "id" = ?', [conflict_id])

    def drop_for(self, entity_table: str, entity_ids: builtins.list[str]) -> None:
        """Forget conflict copies of purged entities (the user lost access to them)."""
        with self._store.atomic() as db:
            for entity_id in entity_ids:
                db.execute(
                    'DELETE FROM "conflicts" WHERE "entity_table" = ? AND "entity_id" = ?',
                    [entity_table, entity_id],
                )
