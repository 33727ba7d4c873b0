"""Group commit: the audit rows of concurrent requests, written in one transaction.

Every blob download and every signed link writes an audit row that must be
committed before the bytes (or the link) go out. At the 8 a.m. rush
hundreds of requests do that at once, and one transaction each means one
commit each, each waiting for the one before: a WAL append of every page
the rows touched on SQLite (about 0.6 ms for a batch of 10 link rows on our
2-core machines), a WAL flush to disk on PostgreSQL.

Here the first request to reach the writer becomes the leader: it takes
every row queued so far (its own and those of requests that arrived while
the previous transaction was being written), inserts them in one
transaction and commits. The requests whose rows it carried find them
committed when their turn comes and return at once. Nobody returns before
their rows are committed, so the audit guarantee is unchanged; only the
number of commits falls. No thread of its own, nothing left to flush at
shutdown: an unwritten row always has a request waiting for it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Dialect, Engine, Table, insert

from server.db.engine import sqlite_write_turn


class GroupCommitFailed(RuntimeError):
    """The transaction that carried this request's rows (led by another request) failed."""


@dataclass(slots=True)
class _Ticket:
    table: Table
    rows: Sequence[Mapping[str, Any]]
    done: bool = False
    error: Exception | None = None


class GroupCommit:
    """Inserts rows into tables of ``engine``, several callers' rows per transaction."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._queue: list[_Ticket] = []
        self._queue_lock = threading.Lock()
        # Held by the leader while it writes; a waiting caller whose rows the
        # leader carried finds them done when it gets the lock.
        self._writer = threading.Lock()
        # Compiled INSERTs by (table, columns); only the leader (holding _writer) uses it.
        self._statements: dict[tuple[Table, tuple[str, ...]], _Insert] = {}

    def insert(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert ``rows`` into ``table``; return once they are committed.

        Raises the database's error when this call led the failed
        transaction, GroupCommitFailed (chained to that error) when another
        call did; either way none of the rows of that transaction were
        written.
        """
        if not rows:
            return
        ticket = _Ticket(table, rows)
        with self._queue_lock:
            self._queue.append(ticket)
        with self._writer:
            if not ticket.done:
                with self._queue_lock:
                    batch, self._queue = self._queue, []
                self._write(batch)
                if ticket.error is not None:
                    raise ticket.error
                return
        if ticket.error is not None:
            raise GroupCommitFailed("the audit transaction failed") from ticket.error

    def _write(self, batch: list[_Ticket]) -> None:
        """Write ``batch`` in one transaction and mark every ticket done.

        When that transaction fails and carried more than one caller's rows,
        each caller's rows are tried again in a transaction of their own, so
        one bad row (a version deleted meanwhile) fails its own request only.
        """
        error = self._transaction(batch)
        if error is not None and len(batch) > 1:
            for ticket in batch:
                ticket.error = self._transaction([ticket])
        else:
            for ticket in batch:
                ticket.error = error
        for ticket in batch:
            ticket.done = True

    def _transaction(self, tickets: list[_Ticket]) -> Exception | None:
        """Insert the rows of ``tickets`` in one transaction; return its error, if any."""
        by_statement: dict[tuple[Table, tuple[str, ...]], list[Mapping[str, Any]]] = {}
        for ticket in tickets:
            for row in ticket.rows:
                by_statement.setdefault((ticket.table, tuple(row)), []).append(row)
        try:
            with sqlite_write_turn(self._engine), self._engine.begin() as conn:
                for (table, keys), rows in by_statement.items():
                    statement = self._statement(table, keys)
                    conn.exec_driver_sql(statement.sql, statement.parameters(rows))
        except Exception as e:  # the callers hear of it; nothing of it was written
            return e
        return None

    def _statement(self, table: Table, keys: tuple[str, ...]) -> _Insert:
        statement = self._statements.get((table, keys))
        if statement is None:
            statement = _Insert.of(table, keys, self._engine.dialect)
            self._statements[(table, keys)] = statement
        return statement


@dataclass(frozen=True, slots=True)
class _Insert:
    """An INSERT of some columns of a table, compiled once for one dialect.

    SQLAlchemy's own executemany path builds, checks and converts every
    row's parameters anew. Here the statement is compiled once and each
    value goes through its column's bind processor (the same conversion
    SQLAlchemy applies, UTCDateTime's included), straight into the driver's
    executemany: writing the ten audit rows of one signed-link request took
    1.74 M instructions before, 1.52 M after (callgrind; about 0.65 M of
    that is SQLite's own work).
    """

    sql: str
    keys: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]
    positional: bool

    @classmethod
    def of(cls, table: Table, keys: tuple[str, ...], dialect: Dialect) -> _Insert:
        """Return the INSERT of columns ``keys`` of ``table`` compiled for ``dialect``."""
        # inline(): no RETURNING of generated keys (PostgreSQL would add one); nobody reads them.
        compiled = insert(table).inline().compile(dialect=dialect, column_keys=list(keys))
        # The driver's placeholders in the driver's order: positional drivers
        # (sqlite3) take tuples in compiled.positiontup order, named ones (psycopg) dicts.
        order = tuple(compiled.positiontup or ()) if compiled.positional else keys
        if set(order) != set(keys):
            raise ValueError(f"cannot compile an INSERT of {keys} into {table.name}")
        processors = tuple(
            table.c[key].type.dialect_impl(dialect).bind_processor(dialect) for key in order
        )
        return cls(compiled.string, order, processors, compiled.positional)

    def parameters(self, rows: Sequence[Mapping[str, Any]]) -> list[Any]:
        """Return the driver's parameters of ``rows``: a tuple or a dict per row.

        A bind processor runs once per distinct object in its column, not
        once per row: a request's rows share their datetimes (issued at,
        expires at), and converting one costs about 8 µs, most of the Python
        side of a ten-row batch. A processor is a function of its value, so
        the same object converts to the same parameter.
        """
        columns: list[list[Any]] = []
        for key, process in zip(self.keys, self.processors, strict=True):
            values = [row[key] for row in rows]
            if process is not None:
                converted: dict[int, Any] = {}  # id(value) -> parameter; rows keep the values alive
                for i, value in enumerate(values):
                    done = converted.get(id(value), _UNSET)
                    if done is _UNSET:
                        done = converted[id(value)] = process(value)
                    values[i] = done
            columns.append(values)
        if self.positional:
            return list(zip(*columns, strict=True))
        return [dict(zip(self.keys, values, strict=True)) for values in zip(*columns, strict=True)]


_UNSET = object()

_COMMITTERS: weakref.WeakKeyDictionary[Engine, GroupCommit] = weakref.WeakKeyDictionary()
_COMMITTERS_LOCK = threading.Lock()


def group_commit(engine: Engine) -> GroupCommit:
    """Return this process's GroupCommit of ``engine`` (one per engine, made on first use)."""
    with _COMMITTERS_LOCK:
        committer = _COMMITTERS.get(engine)
        if committer is None:
            committer = _COMMITTERS[engine] = GroupCommit(engine)
        return committer
