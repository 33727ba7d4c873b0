"""Concurrent writers on PostgreSQL: a reader's cursor never skips a late commit."""

from __future__ import annotations

import random
import threading
import time

import pytest
from sqlalchemy import select

from meetingroom.domain import Role
from server.accounts import find_user
from server.db.schema import users
from server.mutations import apply_batch
from tests.server.conftest import LiveServer, build_meeting, make_user, new_id, op


def test_reader_never_skips_a_write_that_commits_late(server: LiveServer) -> None:
    if server.backend.name != "postgres":
        pytest.skip("concurrent writers are tested on PostgreSQL (SQLite has one writer)")
    sec = make_user(server, "secretary")
    alice = make_user(server, "delegate")
    ids = build_meeting(sec, [(alice, "normal")])
    with server.backend.engine.connect() as conn:
        username = conn.execute(select(users.c.username).where(users.c.id == alice.user_id))
        found = find_user(conn, username.scalar_one())
    assert found is not None
    user = found[0]
    assert user.role is Role.DELEGATE
    _, _, cursor = alice.pull_all()

    committed: set[str] = set()
    lock = threading.Lock()
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer(seed: int) -> None:
        rng = random.Random(seed)
        try:
            for _ in range(6):
                ann = new_id()
                fields = {
                    "version_id": ids["version"],
                    "page": 0,
                    "kind": "ink",
                    "geometry": [[1, 2]],
                    "author_id": alice.user_id,
                }
                results = apply_batch(
                    server.backend.engine,
                    user,
                    [op("annotation", "create", ann, fields)],
                    after_revision=lambda _rev: time.sleep(rng.uniform(0, 0.05)),
                )
                assert results[0]["status"] == "applied", results
                with lock:
                    committed.add(ann)
        except BaseException as e:
            errors.append(e)

    received: set[str] = set()
    reader_cursor = [cursor]

    def reader() -> None:
        try:
            while not stop.is_set():
                r = alice.pull(reader_cursor[0], limit=5)
                assert r.status_code == 200, r.text
                body = r.json()
                received.update(c["entity"]["id"] for c in body["changes"])
                reader_cursor[0] = body["cursor"]
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(6)]
    read = threading.Thread(target=reader)
    read.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    stop.set()
    read.join(60)
    assert not errors, errors
    # Catch up from the reader's last cursor: everything committed must be there.
    changes, _, _ = alice.pull_all(reader_cursor[0])
    received.update(c["entity"]["id"] for c in changes)
    assert len(committed) == 36
    assert committed <= received, committed - received
