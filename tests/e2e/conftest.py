"""End-to-end fixtures: a demo-seeded server per backend on 127.0.0.1, and client devices.

Each backend gets a database of its own (a temp SQLite file, or a fresh
schema in the PostgreSQL named by MEETINGROOM_TEST_PG, dropped afterwards),
so the demo accounts never clash with other suites' data. Devices come from
``tests/sync/conftest.py``'s ``make_device``, which signs in against ``live``.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import uvicorn
from sqlalchemy import text

from server.app import create_app
from server.config import Settings
from server.db.engine import create_db_engine, normalize_url
from server.db.migrate import upgrade
from server.demo.seed import seed_demo
from tests.server.conftest import Backend, LiveServer
from tests.sync.conftest import TODAY, Seeded
from tests.sync.conftest import make_device as make_device  # the fixture, reused

__all__ = ["live", "make_device", "seeded"]


def _sqlite_backend(data_dir: Path) -> Iterator[Backend]:
    url = f"sqlite:///{data_dir / 'e2e.db'}"
    engine = create_db_engine(url)
    upgrade(engine)
    yield Backend("sqlite", url, data_dir, engine)
    engine.dispose()


def _postgres_backend(data_dir: Path) -> Iterator[Backend]:
    dsn = os.environ.get("MEETINGROOM_TEST_PG")
    if not dsn:
        pytest.skip(
            "MEETINGROOM_TEST_PG is not set (e.g. postgresql://postgres@127.0.0.1:5432/test)"
        )
    schema = f"mr_e2e_{secrets.token_hex(6)}"
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
def e2e_seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seeded]:
    """Yield a demo-seeded server over each backend, on a free loopback port."""
    data_dir = tmp_path_factory.mktemp(f"e2e-{request.param}")
    make = _sqlite_backend if request.param == "sqlite" else _postgres_backend
    backends = make(data_dir)
    backend = next(backends)
    result = seed_demo(backend.engine, data_dir, TODAY, seed=11)
    config = uvicorn.Config(
        create_app(Settings(data_dir=data_dir, database_url=backend.url)),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="on",
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, name=f"uvicorn-e2e-{backend.name}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    port = uv.servers[0].sockets[0].getsockname()[1]
    try:
        yield Seeded(LiveServer(f"http://127.0.0.1:{port}", backend), result)
    finally:
        uv.should_exit = True
        thread.join(15)
        for _ in backends:  # runs the backend's clean-up
            pass


@pytest.fixture
def seeded(e2e_seeded: Seeded) -> Seeded:
    return e2e_seeded


@pytest.fixture
def live(e2e_seeded: Seeded) -> LiveServer:
    return e2e_seeded.server
