"""Engine creation for the two supported backends: SQLite and PostgreSQL (psycopg 3)."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

SQLITE_POOL_SIZE = 40


class UnsupportedDatabase(ValueError):
    """The database URL names a backend the server does not run on."""


def normalize_url(url: str) -> URL:
    """Return ``url`` parsed, with PostgreSQL URLs pointed at the psycopg 3 driver.

    Raises UnsupportedDatabase for anything but sqlite and postgresql URLs.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as e:
        raise UnsupportedDatabase(f"not a database URL: {url!r}") from e
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        # Plain postgresql:// would pick psycopg2, which we do not ship.
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if parsed.drivername not in ("sqlite", "sqlite+pysqlite"):
            raise UnsupportedDatabase(f"unsupported SQLite driver {parsed.drivername!r}")
        return parsed
    raise UnsupportedDatabase(
        f"unsupported database {backend!r}: use sqlite:///PATH or postgresql://..."
    )


def _configure_sqlite(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    """Turn on WAL (readers never block the writer) and foreign key enforcement."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # WAL makes NORMAL durable against application crashes; only a power
        # cut can lose the last transactions, never corrupt the file.
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def create_db_engine(url: str) -> Engine:
    """Return an Engine for ``url`` (sqlite or postgresql); raise UnsupportedDatabase otherwise."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        # Writers wait for each other instead of failing at once under load.
        # One pooled connection per worker thread (anyio's default limit is
        # 40), so busy requests never open (and configure) a fresh connection.
        engine = create_engine(
            parsed,
            connect_args={"timeout": 30},
            pool_size=SQLITE_POOL_SIZE,
            max_overflow=10,
        )
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    return create_engine(parsed, pool_pre_ping=True)


_WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_LOCKS_LOCK = threading.Lock()


@contextlib.contextmanager
def sqlite_write_turn(engine: Engine) -> Iterator[None]:
    """Hold this process's turn to write on a SQLite ``engine`` (nothing on PostgreSQL).

    SQLite has one writer at a time, and a connection that finds the file
    locked sleeps in steps of milliseconds before it tries again: a burst
    of small writes from many threads (one audit row batch per request)
    then spends more time asleep than writing. Taking turns on a lock in
    the process hands the file over at once; only the few processes still
    meet SQLite's own wait.
    """
    if engine.dialect.name != "sqlite":
        yield
        return
    with _LOCKS_LOCK:
        lock = _WRITE_LOCKS.setdefault(engine, threading.Lock())
    with lock:
        yield
