"""Group commit on a real SQLite file: concurrent callers share transactions, every row is
committed before its caller returns, and one caller's bad row fails that caller only; on
both backends, the rows it writes are stored exactly as SQLAlchemy's own INSERT stores them."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    cast,
    event,
    func,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

from server.db import schema
from server.db.engine import create_db_engine
from server.db.group_commit import GroupCommit, GroupCommitFailed, group_commit
from tests.server.conftest import Backend

metadata = MetaData()
rows_table = Table(
    "audit_rows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("who", String(20), nullable=False),
)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    metadata.create_all(engine)
    yield engine
    engine.dispose()


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(rows_table)).scalar_one())


def _held_first_transaction(engine: Engine, committer: GroupCommit, callers: int) -> None:
    """Make the first transaction wait until ``callers - 1`` more callers have queued."""
    first = [True]

    @event.listens_for(engine, "before_cursor_execute")
    def hold(*_args: Any) -> None:
        if first[0] and threading.current_thread() is not threading.main_thread():
            first[0] = False
            deadline = time.monotonic() + 10
            while len(committer._queue) < callers - 1 and time.monotonic() < deadline:
                time.sleep(0.005)


def test_concurrent_callers_share_transactions_and_all_rows_are_committed(
    engine: Engine,
) -> None:
    committer = GroupCommit(engine)
    commits = [0]
    event.listen(engine, "commit", lambda _conn: commits.__setitem__(0, commits[0] + 1))
    callers = 12
    _held_first_transaction(engine, committer, callers)
    seen_after_return: list[int] = []

    def call(i: int) -> None:
        committer.insert(rows_table, [{"id": i, "who": f"user{i}"}])
        # Returned: the row is committed, visible to any other connection.
        with engine.connect() as conn:
            seen_after_return.append(
                len(conn.execute(select(rows_table.c.id).where(rows_table.c.id == i)).all())
            )

    threads = [threading.Thread(target=call, args=(i,)) for i in range(callers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert _count(engine) == callers
    assert seen_after_return == [1] * callers
    assert commits[0] < callers  # the queued callers rode one transaction
    assert commits[0] >= 1


def test_a_bad_row_fails_only_its_own_caller(engine: Engine) -> None:
    committer = GroupCommit(engine)
    committer.insert(rows_table, [{"id": 1, "who": "first"}])
    callers = 6
    _held_first_transaction(engine, committer, callers)
    outcomes: dict[int, BaseException | None] = {}

    def call(i: int) -> None:
        ident = 1 if i == 3 else 100 + i  # caller 3 repeats a primary key
        try:
            committer.insert(rows_table, [{"id": ident, "who": f"user{i}"}])
            outcomes[i] = None
        except Exception as e:
            outcomes[i] = e

    threads = [threading.Thread(target=call, args=(i,)) for i in range(callers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    error = outcomes[3]
    if isinstance(error, GroupCommitFailed):  # another caller led the transaction
        error = error.__cause__
    assert isinstance(error, IntegrityError)  # its own row's error, retried alone
    assert all(outcomes[i] is None for i in range(callers) if i != 3)
    assert _count(engine) == 1 + callers - 1


def test_nothing_to_insert_writes_nothing(engine: Engine) -> None:
    commits = [0]
    event.listen(engine, "commit", lambda _conn: commits.__setitem__(0, commits[0] + 1))
    group_commit(engine).insert(rows_table, [])
    assert commits[0] == 0
    assert group_commit(engine) is group_commit(engine)  # one per engine


def test_rows_are_stored_exactly_as_sqlalchemy_stores_them(backend: Backend) -> None:
    """The compiled INSERT converts values with the columns' own processors: a row written
    through it reads back, as the database holds it, the same as one SQLAlchemy wrote."""
    at = datetime(2026, 12, 7, 8, 0, 1, 250_000, tzinfo=UTC)
    # Rows may share a value object (a request's rows share their time): the
    # processor runs once per object, and a different object is converted on
    # its own, here one in Hanoi time.
    hanoi = datetime(2026, 12, 7, 15, 0, 2, tzinfo=timezone(timedelta(hours=7)))
    user = f"u-{secrets.token_hex(4)}"
    rows: list[dict[str, Any]] = [
        {
            "user_id": f"{user}-{i}",
            "device_id": "laptop",
            "version_id": "v1",
            "sha256": "ab" * 32,
            "range_start": start,
            "range_end": end,
            "status": status,
            "at": when,
        }
        for i, (start, end, status, when) in enumerate(
            ((None, None, 200, at), (5, 2**40, 206, hanoi), (0, 9, 206, at))
        )
    ]
    ours = [dict(row, user_id=f"{row['user_id']}-ours") for row in rows]
    group_commit(backend.engine).insert(schema.blob_downloads, ours)
    with backend.engine.begin() as conn:
        conn.execute(insert(schema.blob_downloads), rows)
    t = schema.blob_downloads
    stored = select(
        t.c.device_id,
        t.c.version_id,
        t.c.sha256,
        t.c.range_start,
        t.c.range_end,
        t.c.status,
        cast(t.c.at, String).label(
            "stored_at"
        ),  # the stored text (SQLite) or timestamp as PostgreSQL prints it
        t.c.at,
    )
    with backend.engine.connect() as conn:
        for row, mine in zip(rows, ours, strict=True):
            theirs = conn.execute(stored.where(t.c.user_id == row["user_id"])).one()
            written = conn.execute(stored.where(t.c.user_id == mine["user_id"])).one()
            assert written == theirs
            assert written.at == row["at"]
            assert written.at.tzinfo is not None
