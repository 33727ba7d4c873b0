"""End-to-end fixtures: a demo-seeded server per backend on 127.0.0.1, and client devices.

Each backend gets a database of its own (a temp SQLite file, or a fresh
schema in the PostgreSQL named by MEETINGROOM_TEST_PG, dropped afterwards),
so the demo accounts never clash with other suites' data. Devices come from
``tests/sync/conftest.py``'s ``make_device``, which signs in against ``live``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from server.app import create_app
from server.config import Settings
from server.demo.seed import seed_demo
from tests.server.conftest import Backend, LiveServer, migrated_database
from tests.sync.conftest import TODAY, Seeded
from tests.sync.conftest import make_device as make_device  # the fixture, reused

__all__ = ["live", "make_device", "seeded"]


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def e2e_seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seeded]:
    """Yield a demo-seeded server over each backend, on a free loopback port."""
    data_dir = tmp_path_factory.mktemp(f"e2e-{request.param}")
    with migrated_database(request.param, data_dir, "mr_e2e") as backend:
        yield from _serve_seeded(backend, data_dir)


def _serve_seeded(backend: Backend, data_dir: Path) -> Iterator[Seeded]:
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


@pytest.fixture
def seeded(e2e_seeded: Seeded) -> Seeded:
    return e2e_seeded


@pytest.fixture
def live(e2e_seeded: Seeded) -> LiveServer:
    return e2e_seeded.server
