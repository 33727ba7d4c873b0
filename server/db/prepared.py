"""SELECTs compiled once and run on the driver's own cursor.

Every link request at the 8 a.m. rush looks up its session and the caller's
participant rows. Run through ``Connection.execute``, each lookup cost about
100 µs, of which the database's own work (the same SQL on the driver's
cursor) was under 30 µs: the rest is SQLAlchemy's compiled-cache lookup,
execution context and result wrapper. A :class:`PreparedSelect` keeps what
SQLAlchemy would compute each time (the SQL, the parameter order, the
columns' bind and result processors) and applies the same conversions
itself, so the rows it returns are the values ``Connection.execute`` gives.

The statement runs on the connection's DBAPI connection, in whatever
transaction that connection is in: on PostgreSQL the driver begins one as
SQLAlchemy would; either way the pool rolls the connection back when it is
returned.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect, Select


class PreparedSelect:
    """A SELECT compiled once per kind of database; rows come back as tuples of the
    converted values, in the order of the statement's columns."""

    def __init__(self, statement: Select[Any], caller_binds: set[str]) -> None:
        """Prepare ``statement``; ``caller_binds`` names the parameters each run gives
        (the others keep the values the statement holds)."""
        self.statement = statement
        self.caller_binds = frozenset(caller_binds)
        # The names of the row's values, in order (the statement's column keys).
        self.columns = tuple(str(column.key) for column in statement.selected_columns)
        self._compiled: dict[Hashable, _Compiled] = {}
        self._lock = threading.Lock()

    def rows(self, conn: Connection, parameters: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Return every row of the statement run on ``conn`` with ``parameters``.

        Raises ValueError (on first use with a dialect) for a statement whose
        parameters cannot be bound once for all (an expanding IN) or that lacks
        one of the caller's; a database error is the driver's own exception
        (``Connection.execute`` would wrap it in SQLAlchemy's ``DBAPIError``).
        """
        dialect = conn.dialect
        key = (dialect.name, dialect.driver, dialect.server_version_info)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key)
                if compiled is None:
                    compiled = _Compiled.of(self.statement, dialect, self.caller_binds)
                    self._compiled[key] = compiled
        return compiled.rows(conn, parameters)


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A SELECT compiled for one dialect, with its processors."""

    sql: str
    positional: bool
    # Bind parameters in the driver's order, the values of those the caller
    # does not give (held by the statement), and the parameters' bind processors.
    binds: tuple[str, ...]
    fixed: Mapping[str, Any]
    bind_processors: tuple[Callable[[Any], Any] | None, ...]
    result_processors: tuple[Callable[[Any], Any] | None, ...]

    @classmethod
    def of(
        cls, statement: Select[Any], dialect: Dialect, caller_binds: frozenset[str]
    ) -> _Compiled:
        """Return ``statement`` compiled for ``dialect``; raise ValueError as
        :meth:`PreparedSelect.rows` says."""
        compiled = statement.compile(dialect=dialect)
        names = tuple(compiled.positiontup or ()) if compiled.positional else tuple(compiled.binds)
        if any(compiled.binds[name].expanding for name in names):
            raise ValueError("an expanding parameter is rendered anew each time: not prepared")
        if not caller_binds <= set(names):
            raise ValueError(f"the statement has no parameters {caller_binds - set(names)}")
        fixed = {
            name: compiled.binds[name].effective_value for name in names if name not in caller_binds
        }
        bind_processors = tuple(
            compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in names
        )
        selected = list(statement.selected_columns)
        result_processors = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in selected
        )
        return cls(
            compiled.string,
            compiled.positional,
            names,
            fixed,
            bind_processors,
            result_processors,
        )

    def rows(self, conn: Connection, parameters: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Return every row of the statement run on ``conn`` with ``parameters``."""
        values = []
        for name, process in zip(self.binds, self.bind_processors, strict=True):
            value = self.fixed[name] if name in self.fixed else parameters[name]
            values.append(value if process is None else process(value))
        driver = conn.connection.driver_connection
        assert driver is not None  # a checked-out connection always has one
        cursor = driver.cursor()
        try:
            if self.positional:
                cursor.execute(self.sql, tuple(values))
            else:
                cursor.execute(self.sql, dict(zip(self.binds, values, strict=True)))
            raw = cursor.fetchall()
        finally:
            cursor.close()
        processors = self.result_processors
        if not any(processors):
            return [tuple(row) for row in raw]
        return [
            tuple(
                value if process is None else process(value)
                for value, process in zip(row, processors, strict=True)
            )
            for row in raw
        ]
