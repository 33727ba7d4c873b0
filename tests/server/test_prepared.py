"""Prepared SELECTs (server/db/prepared.py) give the rows Connection.execute gives,
on both backends, and refuse what they cannot prepare."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import bindparam, insert, select

from server.db import schema
from server.db.prepared import PreparedSelect
from tests.server.conftest import Backend


def test_rows_are_those_of_connection_execute(backend: Backend) -> None:
    t = schema.blob_downloads
    who = f"u-{secrets.token_hex(4)}"
    hanoi = timezone(timedelta(hours=7))
    rows = [
        {
            "user_id": who,
            "device_id": f"laptop-{i}",
            "version_id": "v1",
            "sha256": "ab" * 32,
            "range_start": start,
            "range_end": None if start is None else start + 9,
            "status": status,
            "at": at,
        }
        for i, (start, status, at) in enumerate(
            (
                (None, 200, datetime(2026, 12, 7, 8, 0, 1, 250_000, tzinfo=UTC)),
                (5, 206, datetime(2026, 12, 7, 15, 0, 2, tzinfo=hanoi)),
            )
        )
    ]
    with backend.engine.begin() as conn:
        conn.execute(insert(t), rows)
    # A caller's parameter, fixed ones the statement holds (206, a datetime), NULLs.
    statement = (
        select(t.c.device_id, t.c.range_start, t.c.range_end, t.c.status, t.c.at)
        .where(
            t.c.user_id == bindparam("who"),
            (t.c.status == 206) | (t.c.at < datetime(2026, 12, 8, tzinfo=UTC)),
        )
        .order_by(t.c.device_id)
    )
    prepared = PreparedSelect(statement, {"who"})
    assert prepared.columns == ("device_id", "range_start", "range_end", "status", "at")
    with backend.engine.connect() as conn:
        expected = [tuple(row) for row in conn.execute(statement, {"who": who})]
        got = prepared.rows(conn, {"who": who})
        assert got == expected
        assert [row[-1] for row in got] == [row["at"] for row in rows]
        assert all(row[-1].tzinfo is not None for row in got)
        assert prepared.rows(conn, {"who": "nobody"}) == []


def test_booleans_convert_as_sqlalchemy_converts_them(backend: Backend) -> None:
    m = schema.meetings
    tag = f"prepared-{secrets.token_hex(4)}"
    now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    with backend.engine.begin() as conn:
        conn.execute(
            insert(m),
            [
                {
                    "id": f"{tag}-{gone}",
                    "title": "Hội nghị",
                    "starts_at": now,
                    "ends_at": now,
                    "location": "",
                    "status": "draft",
                    "classification": "normal",
                    "description": tag,
                    "rev": 0,
                    "updated_at": now,
                    "deleted": gone,
                    "field_revs": "{}",
                    "created_by": "nobody",
                }
                for gone in (False, True)
            ],
        )
    statement = select(m.c.id, m.c.deleted, m.c.starts_at).where(
        m.c.deleted == bindparam("gone"), m.c.description == tag
    )
    prepared = PreparedSelect(statement, {"gone"})
    with backend.engine.connect() as conn:
        for gone in (False, True):
            got = prepared.rows(conn, {"gone": gone})
            assert got == [tuple(row) for row in conn.execute(statement, {"gone": gone})]
            assert got == [(f"{tag}-{gone}", gone, now)]
            assert got[0][1] is gone


def test_what_cannot_be_prepared_is_refused(backend: Backend) -> None:
    m = schema.meetings
    expanding = select(m.c.id).where(m.c.status.in_(["published", "closed"]))
    missing = select(m.c.id).where(m.c.id == bindparam("meeting_id"))
    with backend.engine.connect() as conn:
        with pytest.raises(ValueError, match="expanding"):
            PreparedSelect(expanding, set()).rows(conn, {})
        with pytest.raises(ValueError, match="no parameters"):
            PreparedSelect(missing, {"id"}).rows(conn, {"id": "x"})
