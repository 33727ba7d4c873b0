"""``meetingroom-server seed-demo``: the demo organisation, seen over real HTTP.

Each backend is seeded once (rendering the PDFs takes a few seconds) into a
database of its own, since seeding needs an empty server; a uvicorn server
on 127.0.0.1 then serves it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import uvicorn
from sqlalchemy import func, select, text

from server.app import create_app
from server.blobstore import FileBlobStore
from server.cli import main as cli_main
from server.config import Settings
from server.db import schema
from server.db.engine import create_db_engine, normalize_url
from tests.server.conftest import Account, Backend, LiveServer, SyncClient, login

TODAY = date(2026, 11, 23)


@dataclass(frozen=True)
class Seeded:
    """A seeded database behind a live server, and the printed sign-ins."""

    server: LiveServer
    lines: list[str]
    stderr: str
    accounts: dict[str, tuple[str, str]]  # username -> (role, password)

    @property
    def backend(self) -> Backend:
        return self.server.backend

    def seed(self, *extra: str) -> tuple[int, str, str]:
        return run_seed(self.backend, *extra)

    def client(self, username: str) -> SyncClient:
        _, password = self.accounts[username]
        r = login(self.server, Account(username, password))
        assert r.status_code == 200, r.text
        return SyncClient(self.server, "", r.json()["token"])


def run_seed(backend: Backend, *extra: str) -> tuple[int, str, str]:
    """Run ``seed-demo`` in-process on ``backend``; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(
            [
                "seed-demo",
                "--data",
                str(backend.data_dir),
                "--database",
                backend.url,
                "--today",
                TODAY.isoformat(),
                "--seed",
                "7",
                *extra,
            ]
        )
    return code, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def _empty_database(kind: str, data_dir: Path) -> Iterator[Backend]:
    if kind == "sqlite":
        url = f"sqlite:///{data_dir / 'demo.db'}"
        engine = create_db_engine(url)
        yield Backend("sqlite", url, data_dir, engine)
        engine.dispose()
        return
    dsn = os.environ.get("MEETINGROOM_TEST_PG")
    if not dsn:
        pytest.skip("MEETINGROOM_TEST_PG is not set")
    name = f"mr_seed_{secrets.token_hex(6)}"
    admin = create_db_engine(dsn)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {name}"))
    base = normalize_url(dsn).render_as_string(hide_password=False)
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options={quote(f'-csearch_path={name}')}"
    engine = create_db_engine(url)
    try:
        yield Backend("postgres", url, data_dir, engine)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {name} CASCADE"))
        admin.dispose()


class _Errors(logging.Handler):
    """Keeps the ERROR records the server logs (unexpected exceptions)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def _serve(backend: Backend) -> Iterator[LiveServer]:
    settings = Settings(data_dir=backend.data_dir, database_url=backend.url)
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=0, log_level="warning", lifespan="on"
    )
    uv = uvicorn.Server(config)
    handler = _Errors()
    errors = handler.records
    watched = [logging.getLogger(n) for n in ("meetingroom.server", "uvicorn.error")]
    for logger in watched:
        logger.addHandler(handler)
    thread = threading.Thread(target=uv.run, name="uvicorn-seed", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    try:
        while not uv.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        port = uv.servers[0].sockets[0].getsockname()[1]
        yield LiveServer(f"http://127.0.0.1:{port}", backend)
    finally:
        uv.should_exit = True
        thread.join(15)
        for logger in watched:
            logger.removeHandler(handler)
    assert not errors, [r.getMessage() for r in errors]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seeded]:
    """Seed an empty database of the parametrised kind once; serve it."""
    data_dir = tmp_path_factory.mktemp(f"seed-{request.param}")
    with _empty_database(request.param, data_dir) as backend:
        code, out, err = run_seed(backend)
        assert code == 0, err
        lines = out.splitlines()
        accounts: dict[str, tuple[str, str]] = {}
        for line in lines:
            role, username, password = line.split(" ")
            accounts[username] = (role, password)
        with _serve(backend) as server:
            yield Seeded(server, lines, err, accounts)


def _by_type(changes: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for c in changes:
        out.setdefault(c["type"], []).append(c["entity"])
    return out


def _today_meeting(entities: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    found = [
        m
        for m in entities["meeting"]
        if m["title"].startswith("Hội nghị Ban Chấp hành") and m["status"] == "published"
    ]
    assert len(found) == 1, [m["title"] for m in entities["meeting"]]
    return found[0]


def _of(entities: list[dict[str, Any]], key: str, value: str) -> list[dict[str, Any]]:
    return [e for e in entities if e[key] == value]


def test_prints_one_line_per_account(seeded: Seeded) -> None:
    assert len(seeded.lines) == len(seeded.accounts)  # usernames are unique
    roles = [role for role, _ in seeded.accounts.values()]
    assert roles.count("secretary") == 1
    assert roles.count("chair") == 1
    assert roles.count("delegate") >= 12
    assert all(len(password) >= 12 for _, password in seeded.accounts.values())
    assert "meeting" in seeded.stderr  # progress went to stderr, not stdout
    with seeded.backend.engine.connect() as conn:
        users = conn.execute(select(func.count()).select_from(schema.users)).scalar_one()
    assert users == len(seeded.accounts)


def test_normal_delegate_sees_todays_meeting_without_the_confidential_document(
    seeded: Seeded,
) -> None:
    assert seeded.accounts["daibieu08"][0] == "delegate"  # normal clearance
    changes, purge, _ = seeded.client("daibieu08").pull_all()
    # A first pull has nothing to purge, and must not name what it may not see.
    assert purge == []
    e = _by_type(changes)
    meeting = _today_meeting(e)
    mid = meeting["id"]
    assert meeting["starts_at"].startswith(TODAY.isoformat())  # 07:30 in Vietnam is 00:30Z
    assert len(_of(e["agenda_item"], "meeting_id", mid)) == 6
    docs = _of(e["document"], "meeting_id", mid)
    assert len(docs) >= 10
    assert {d["classification"] for d in docs} == {"normal"}
    versions = {v["id"]: v for v in e["document_version"]}
    store = FileBlobStore(seeded.backend.data_dir)
    for d in docs:
        v = versions[d["current_version_id"]]
        blob = store.blob_path(v["sha256"]).read_bytes()
        assert len(blob) == v["size"]
        assert hashlib.sha256(blob).hexdigest() == v["sha256"]
        assert blob.startswith(b"%PDF")
    assert max(v["page_count"] for v in versions.values()) >= 300
    participants = _of(e["participant"], "meeting_id", mid)
    assert len(participants) >= 14
    assert all(p["user_id"] for p in participants)
    (room,) = _of(e["room"], "meeting_id", mid)
    seats = [s for s in e["seat"] if s["room_id"] == room["id"]]
    assert len(seats) == 30
    seated = {s["participant_id"] for s in seats if s["participant_id"]}
    assert seated == {p["id"] for p in participants}


def test_cleared_delegate_sees_the_confidential_document(seeded: Seeded) -> None:
    changes, _, _ = seeded.client("daibieu01").pull_all()
    assert seeded.accounts["daibieu01"][0] == "delegate"
    e = _by_type(changes)
    mid = _today_meeting(e)["id"]
    docs = _of(e["document"], "meeting_id", mid)
    assert sum(d["classification"] == "confidential" for d in docs) == 1
    confidential = next(d for d in docs if d["classification"] == "confidential")
    assert any(v["id"] == confidential["current_version_id"] for v in e["document_version"])


def test_secretary_sees_all_three_meetings(seeded: Seeded) -> None:
    changes, _, _ = seeded.client("thuky").pull_all()
    meetings = _by_type(changes)["meeting"]
    assert len(meetings) == 3
    assert sorted(m["status"] for m in meetings) == ["closed", "published", "published"]


def test_seeding_again_without_force_refuses_and_changes_nothing(seeded: Seeded) -> None:
    def counts() -> tuple[int, ...]:
        with seeded.backend.engine.connect() as conn:
            return tuple(
                conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (schema.users, schema.meetings, schema.documents, schema.seats)
            )

    before = counts()
    code, out, err = seeded.seed()
    assert code == 1
    assert out == ""
    assert "already has" in err
    assert "--force" in err
    assert "Traceback" not in err
    assert counts() == before


def test_bad_today_is_a_usage_error(tmp_path: Path) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli_main(["seed-demo", "--data", str(tmp_path), "--today", "23/11/2026"])
    assert code == 2
    assert "YYYY-MM-DD" in err.getvalue()
