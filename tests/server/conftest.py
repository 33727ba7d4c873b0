"""A real server on 127.0.0.1 over each backend: SQLite (a temp file) and PostgreSQL.

The PostgreSQL case uses the server named by MEETINGROOM_TEST_PG and a
schema of its own (created here, dropped afterwards), so parallel runs
against the same database never see each other's rows.
"""

from __future__ import annotations

import io
import logging
import os
import secrets
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
import uvicorn
from sqlalchemy import Engine, text

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


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backend]:
    """Yield a freshly migrated database of the parametrised kind."""
    data_dir = tmp_path_factory.mktemp(f"server-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{data_dir / 'test.db'}"
        engine = create_db_engine(url)
        upgrade(engine)
        yield Backend("sqlite", url, data_dir, engine)
        engine.dispose()
        return
    dsn = os.environ.get("MEETINGROOM_TEST_PG")
    if not dsn:
        pytest.skip(
            "MEETINGROOM_TEST_PG is not set (e.g. postgresql://postgres@127.0.0.1:5432/test)"
        )
    schema = f"mr_test_{secrets.token_hex(6)}"
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


@pytest.fixture(scope="session")
def server(backend: Backend) -> Iterator[LiveServer]:
    """Yield a uvicorn server on 127.0.0.1 (a free port) over ``backend``; stop it afterwards."""
    settings = Settings(data_dir=backend.data_dir, database_url=backend.url)
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=0, log_level="warning", lifespan="on"
    )
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
