"""A real server on 127.0.0.1 over each backend: SQLite (a temp file) and PostgreSQL.

The PostgreSQL case uses the server named by MEETINGROOM_TEST_PG and a
schema of its own (created here, dropped afterwards), so parallel runs
against the same database never see each other's rows.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import secrets
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
import uvicorn
from sqlalchemy import Engine, text

from meetingroom.domain import Classification, Role
from server.accounts import create_user
from server.app import create_app
from server.cli import main as cli_main
from server.config import Settings
from server.db.engine import create_db_engine, normalize_url
from server.db.migrate import upgrade

PASSWORD = "đúng-mật-khẩu 1"


@dataclass(frozen=True)
class Backend:
    """A migrated database: its URL, a data dir, and an engine for checking rows."""

    name: str
    url: str
    data_dir: Path
    engine: Engine

    def cli(self, *args: str, stdin: str = "") -> int:
        """Run ``meetingroom-server ARGS --data ... --database ...`` in-process; return its code."""
        saved = sys.stdin
        sys.stdin = io.StringIO(stdin)
        try:
            return cli_main([*args, "--data", str(self.data_dir), "--database", self.url])
        finally:
            sys.stdin = saved


@contextlib.contextmanager
def migrated_database(
    kind: str, data_dir: Path, schema_prefix: str = "mr_test"
) -> Iterator[Backend]:
    """Yield a freshly migrated database: "sqlite" (a file in ``data_dir``) or
    "postgres" (a schema of its own in MEETINGROOM_TEST_PG, dropped afterwards).

    Skips the test when "postgres" is asked for and MEETINGROOM_TEST_PG is not set.
    """
    if kind == "sqlite":
        url = f"sqlite:///{data_dir / 'test.db'}"
        engine = create_db_engine(url)
        try:
            upgrade(engine)
            yield Backend("sqlite", url, data_dir, engine)
        finally:
            engine.dispose()
        return
    dsn = os.environ.get("MEETINGROOM_TEST_PG")
    if not dsn:
        pytest.skip(
            "MEETINGROOM_TEST_PG is not set (e.g. postgresql://postgres@127.0.0.1:5432/test)"
        )
    schema = f"{schema_prefix}_{secrets.token_hex(6)}"
    admin = create_db_engine(dsn)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    base = normalize_url(dsn).render_as_string(hide_password=False)
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    engine = create_db_engine(url)
    try:
        upgrade(engine)
        yield Backend("postgres", url, data_dir, engine)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backend]:
    """Yield a freshly migrated database of the parametrised kind."""
    data_dir = tmp_path_factory.mktemp(f"server-{request.param}")
    with migrated_database(request.param, data_dir) as migrated:
        yield migrated


@dataclass(frozen=True)
class LiveServer:
    """A running server: where to reach it and the database behind it."""

    base_url: str
    backend: Backend

    def url(self, path: str) -> str:
        """Return the absolute URL of ``path`` (e.g. ``/api/v1/me``)."""
        return self.base_url + path


class _ErrorRecorder(logging.Handler):
    """Keeps the ERROR records the server logs (unexpected exceptions)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def serving(app: Any, backend: Backend) -> Iterator[LiveServer]:
    """Run the ASGI ``app`` with uvicorn on 127.0.0.1 (a free port); stop it afterwards.

    Fails the test when the server logged an error (an unexpected exception).
    """
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    uv = uvicorn.Server(config)
    errors = _ErrorRecorder()
    watched = [logging.getLogger(n) for n in ("meetingroom.server", "uvicorn.error")]
    for logger in watched:
        logger.addHandler(errors)
    thread = threading.Thread(target=uv.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    port = uv.servers[0].sockets[0].getsockname()[1]
    yield LiveServer(f"http://127.0.0.1:{port}", backend)
    uv.should_exit = True
    thread.join(15)
    for logger in watched:
        logger.removeHandler(errors)
    # Every 4xx path is tested; a logged error means some request got a 500.
    assert not errors.records, [r.getMessage() for r in errors.records]


@pytest.fixture(scope="session")
def server(backend: Backend) -> Iterator[LiveServer]:
    """Yield a uvicorn server on 127.0.0.1 (a free port) over ``backend``; stop it afterwards."""
    settings = Settings(data_dir=backend.data_dir, database_url=backend.url)
    with serving(create_app(settings), backend) as live:
        yield live


@dataclass(frozen=True)
class Account:
    """A user created through the CLI for one test."""

    username: str
    password: str


@pytest.fixture
def account(backend: Backend) -> Account:
    """Create a delegate with a unique username (tests share one database per backend)."""
    username = f"u{secrets.token_hex(5)}"
    assert (
        backend.cli(
            "create-user", username, "--role", "delegate", "--password-stdin", stdin=PASSWORD + "\n"
        )
        == 0
    )
    return Account(username, PASSWORD)


def login(
    server: LiveServer, account: Account, device_id: str | None = None, password: str | None = None
) -> requests.Response:
    """POST /api/v1/login for ``account`` and return the response."""
    return requests.post(
        server.url("/api/v1/login"),
        json={
            "username": account.username,
            "password": account.password if password is None else password,
            "device_id": device_id or f"dev-{secrets.token_hex(8)}",
            "device_name": "Laptop phòng họp 3",
        },
        timeout=10,
    )


def bearer(token: str) -> dict[str, str]:
    """Return the Authorization header for ``token``."""
    return {"Authorization": f"Bearer {token}"}


# --- Sync helpers (feed and mutations) ---------------------------------------


@dataclass(frozen=True)
class SyncClient:
    """A signed-in user of a live server, with helpers for the sync endpoints."""

    server: LiveServer
    user_id: str
    token: str

    def mutate_raw(self, body: object) -> requests.Response:
        """POST ``body`` to /api/v1/mutations and return the response."""
        return requests.post(
            self.server.url("/api/v1/mutations"), json=body, headers=bearer(self.token), timeout=30
        )

    def mutate(self, *ops: object) -> list[dict[str, Any]]:
        """Apply ``ops`` in one batch; return the results (the request must succeed)."""
        r = self.mutate_raw({"operations": list(ops)})
        assert r.status_code == 200, r.text
        results: list[dict[str, Any]] = r.json()["results"]
        return results

    def pull(self, since: str | None = None, limit: int | None = None) -> requests.Response:
        """GET one page of /api/v1/changes."""
        params: dict[str, str | int] = {}
        if since is not None:
            params["since"] = since
        if limit is not None:
            params["limit"] = limit
        return requests.get(
            self.server.url("/api/v1/changes"),
            params=params,
            headers=bearer(self.token),
            timeout=30,
        )

    def pull_all(
        self, since: str | None = None, limit: int | None = None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
        """Pull pages until has_more is false; return (changes, purge, cursor)."""
        changes: list[dict[str, Any]] = []
        purge: list[dict[str, Any]] = []
        cursor = since
        while True:
            r = self.pull(cursor, limit)
            assert r.status_code == 200, r.text
            body = r.json()
            changes += body["changes"]
            purge += body["purge"]
            cursor = body["cursor"]
            if not body["has_more"]:
                assert cursor is not None
                return changes, purge, cursor


def make_user(server: LiveServer, role: str = "delegate", clearance: str = "normal") -> SyncClient:
    """Create an account of ``role``/``clearance`` in-process, sign it in over HTTP."""
    username = f"s{secrets.token_hex(5)}"
    with server.backend.engine.begin() as conn:
        user = create_user(conn, username, PASSWORD, Role(role), Classification(clearance))
    r = login(server, Account(username, PASSWORD))
    assert r.status_code == 200, r.text
    return SyncClient(server, user.id, r.json()["token"])


def op(
    type_: str,
    action: str,
    id_: str,
    fields: Mapping[str, object] | None = None,
    base_rev: int | None = None,
    op_id: str | None = None,
) -> dict[str, object]:
    """Return one mutation operation with a fresh op_id."""
    return {
        "op_id": op_id or str(uuid.uuid4()),
        "type": type_,
        "action": action,
        "id": id_,
        "base_rev": base_rev,
        "fields": dict(fields or {}),
    }


def ids_of(changes: list[dict[str, Any]], type_: str | None = None) -> set[str]:
    """Return the entity ids in ``changes`` (of ``type_`` when given)."""
    return {c["entity"]["id"] for c in changes if type_ is None or c["type"] == type_}


def new_id() -> str:
    """Return a fresh UUID string."""
    return str(uuid.uuid4())


SHA = "ab" * 32


def build_meeting(
    secretary: SyncClient,
    members: list[tuple[SyncClient, str]],
    status: str = "published",
    agenda_items: int = 2,
) -> dict[str, Any]:
    """Create a meeting with agenda, a normal and a confidential document (one version each),
    a room with a seat, and a participant per (client, clearance) in ``members``.

    Returns the ids: meeting, agenda (list), doc, version, secret_doc, secret_version,
    room, seat, participants (user id -> participant id).
    """
    ids: dict[str, Any] = {
        "meeting": new_id(),
        "agenda": [new_id() for _ in range(agenda_items)],
        "doc": new_id(),
        "version": new_id(),
        "secret_doc": new_id(),
        "secret_version": new_id(),
        "room": new_id(),
        "seat": new_id(),
        "participants": {},
    }
    m = ids["meeting"]
    ops = [
        op(
            "meeting",
            "create",
            m,
            {
                "title": "Hội nghị Ban Chấp hành",
                "starts_at": "2026-11-24T01:00:00Z",
                "ends_at": "2026-11-24T04:00:00Z",
                "status": status,
            },
        )
    ]
    ops += [
        op("agenda_item", "create", a, {"meeting_id": m, "position": i, "title": f"Mục {i + 1}"})
        for i, a in enumerate(ids["agenda"])
    ]
    for doc, version, level in (
        (ids["doc"], ids["version"], "normal"),
        (ids["secret_doc"], ids["secret_version"], "confidential"),
    ):
        ops.append(
            op(
                "document",
                "create",
                doc,
                {"meeting_id": m, "title": f"Tài liệu {level}", "classification": level},
            )
        )
        ops.append(
            op(
                "document_version",
                "create",
                version,
                {
                    "document_id": doc,
                    "number": 1,
                    "sha256": SHA,
                    "size": 1000,
                    "page_count": 3,
                    "classification": level,
                },
            )
        )
    ops.append(op("room", "create", ids["room"], {"meeting_id": m, "name": "Phòng họp A"}))
    for client, clearance in members:
        pid = new_id()
        ids["participants"][client.user_id] = pid
        ops.append(
            op(
                "participant",
                "create",
                pid,
                {
                    "meeting_id": m,
                    "display_name": "Đại biểu",
                    "user_id": client.user_id,
                    "clearance": clearance,
                },
            )
        )
    ops.append(
        op("seat", "create", ids["seat"], {"room_id": ids["room"], "label": "A1", "x": 1, "y": 2})
    )
    results = secretary.mutate(*ops)
    assert all(r["status"] == "applied" for r in results), results
    return ids
