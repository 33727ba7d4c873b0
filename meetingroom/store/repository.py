"""Per-table repositories: put, get and list entities through the store's cipher.

Repositories do not open transactions of their own for multi-row work:
callers (the services) wrap related writes in ``store.atomic()``.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from meetingroom import domain
from meetingroom.errors import NotFound, Tampered
from meetingroom.store import codec
from meetingroom.store.codec import CONTENT, EntitySpec

if TYPE_CHECKING:
    from meetingroom.store.gateway import Store

E = TypeVar("E")

_BOUND_ENCODER = json.JSONEncoder(separators=(",", ":"))


@dataclass(frozen=True)
class Readout(Generic[E]):
    """The records of a listing that read back, and those that failed their check.

    A damaged record never hides the intact ones: it is reported in
    ``damaged`` (each a ``Tampered`` naming the record) and left out of ``items``.
    """

    items: list[E]
    damaged: list[Tampered] = field(default_factory=list)

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class Repository(Generic[E]):
    """Stores one entity type in its table, content sealed."""

    def __init__(self, store: Store, spec: EntitySpec[E]) -> None:
        self._store = store
        self.spec = spec
        self._columns = ", ".join(f'"{c}"' for c in (*spec.plain_columns, CONTENT))

    def _bound(self, columns: dict[str, Any]) -> bytes:
        # The plaintext columns are authenticated with the content: flipping
        # "deleted", moving a row to another meeting or editing its revision
        # on disk makes the record fail its check instead of misleading.
        values = [columns[name] for name in self.spec.plain_columns[1:]]
        return b"\x00" + _BOUND_ENCODER.encode(values).encode()

    def _row(self, entity: E) -> dict[str, object]:
        columns, content = self.spec.split(entity)
        columns[CONTENT] = self._store.seal(
            self.spec.table, str(columns["id"]), CONTENT, content, self._bound(columns)
        )
        return columns

    def _entity(self, row: Sequence[Any]) -> E:
        names = self.spec.plain_columns
        columns = dict(zip(names, row, strict=False))
        row_id = str(columns["id"])
        plaintext = self._store.unseal(
            self.spec.table, row_id, CONTENT, row[len(names)], self._bound(columns)
        )
        try:
            return self.spec.join(columns, plaintext)
        except (ValueError, KeyError, TypeError):
            # Authenticated but not what we wrote: treat as damaged, never crash.
            raise Tampered(self.spec.table, row_id, CONTENT) from None

    def put(self, entity: E) -> None:
        """Insert or replace ``entity``. Raises StoreLocked, DiskFull, ReadOnlyStore."""
        self.put_many([entity])

    def put_many(self, entities: Iterable[E]) -> None:
        """Insert or replace every entity in one transaction."""
        rows = [self._row(e) for e in entities]
        if not rows:
            return
        with self._store.atomic() as db:
            db.table(self.spec.table).upsert_all(rows, pk="id")

    def get(self, entity_id: str, *, include_deleted: bool = False) -> E:
        """Return the entity with ``entity_id``.

        Raises:
            NotFound: no such record (or it is a tombstone and not asked for).
            Tampered: the record failed its integrity check.
            StoreLocked: the store is locked.
        """
        found = self.find(entity_id, include_deleted=include_deleted)
        if found is None:
            raise NotFound(self.spec.table, entity_id)
        return found

    def find(self, entity_id: str, *, include_deleted: bool = False) -> E | None:
        """Return the entity with ``entity_id`` or None. Raises Tampered, StoreLocked."""
        with self._store.reading() as db:
            row = db.execute(
                f'SELECT {self._columns} FROM "{self.spec.table}" WHERE "id" = ?',  # noqa: S608
                [entity_id],
            ).fetchone()
        if row is None:
            return None
        entity = self._entity(row)
        if getattr(entity, "deleted", False) and not include_deleted:
            return None
        return entity

    def list(
        self,
        where: str | None = None,
        args: Sequence[object] = (),
        *,
        include_deleted: bool = False,
    ) -> Readout[E]:
        """Return the entities matching ``where`` (SQL over plaintext columns).

        Raises:
            StoreLocked: the store is locked (damaged records do not raise:
                they are reported in ``Readout.damaged``).
        """
        clauses = [] if include_deleted else ['"deleted" = 0']
        if where:
            clauses.append(f"({where})")
        sql = f'SELECT {self._columns} FROM "{self.spec.table}"'  # noqa: S608
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += f' ORDER BY "{self.spec.order_by}"' if self.spec.order_by != "rowid" else ""
        with self._store.reading() as db:
            rows = db.execute(sql, list(args)).fetchall()
        items: builtins.list[E] = []
        damaged: builtins.list[Tampered] = []
        for row in rows:
            try:
                items.append(self._entity(row))
            except Tampered as exc:
                damaged.append(exc)
        return Readout(items, damaged)

    def ids(self, where: str, args: Sequence[object] = ()) -> builtins.list[str]:
        """Return the ids of rows matching ``where``, tombstones included. Needs no key."""
        with self._store.reading() as db:
            rows = db.execute(
                f'SELECT "id" FROM "{self.spec.table}" WHERE {where}',  # noqa: S608
                list(args),
            ).fetchall()
        return [str(r[0]) for r in rows]

    def purge(self, ids: Iterable[str]) -> int:
        """Delete rows outright (no tombstone); return how many were removed."""
        ids = list(ids)
        if not ids:
            return 0
        removed = 0
        with self._store.atomic() as db:
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                marks = ", ".join("?" * len(part))
                cursor = db.execute(
                    f'DELETE FROM "{self.spec.table}" WHERE "id" IN ({marks})',  # noqa: S608
                    part,
                )
                removed += cursor.rowcount
        return removed


class Repositories:
    """One repository per entity table, typed."""

    def __init__(self, store: Store) -> None:
        self.meetings = Repository[domain.Meeting](store, codec.MEETINGS)
        self.agenda_items = Repository[domain.AgendaItem](store, codec.AGENDA_ITEMS)
        self.documents = Repository[domain.Document](store, codec.DOCUMENTS)
        self.versions = Repository[domain.DocumentVersion](store, codec.DOCUMENT_VERSIONS)
        self.participants = Repository[domain.Participant](store, codec.PARTICIPANTS)
        self.rooms = Repository[domain.Room](store, codec.ROOMS)
        self.seats = Repository[domain.Seat](store, codec.SEATS)
        self.annotations = Repository[domain.Annotation](store, codec.ANNOTATIONS)
        self.notes = Repository[domain.Note](store, codec.NOTES)
        self._by_table: dict[str, Repository[Any]] = {
            r.spec.table: r
            for r in (
                self.meetings,
                self.agenda_items,
                self.documents,
                self.versions,
                self.participants,
                self.rooms,
                self.seats,
                self.annotations,
                self.notes,
            )
        }

    def for_table(self, table: str) -> Repository[Any]:
        """Return the repository of ``table``. Raises KeyError for an unknown table."""
        return self._by_table[table]

    def for_entity(self, entity: object) -> Repository[Any]:
        """Return the repository storing entities of ``entity``'s type."""
        return self._by_table[codec.SPEC_BY_CLASS[type(entity)].table]
