"""A real server on 127.0.0.1 (SQLite) seeded with the demo, and client devices.

One server per session: seeding renders the demo PDFs once. Tests create
their own accounts and meetings on it (unique names), as tests/server does.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
import uvicorn

from meetingroom.crypto import DeviceSecrets
from meetingroom.domain import Classification, Role
from meetingroom.store import Store
from server.accounts import create_user
from server.app import create_app
from server.config import Settings
from server.db.engine import create_db_engine
from server.db.migrate import upgrade
from server.demo.seed import SeedResult, seed_demo
from sync.auth import TokenStore
from sync.engine import SyncEngine
from sync.transport import RetryPolicy, Transport
from tests.server.conftest import PASSWORD, Backend, LiveServer, SyncClient, bearer, new_id, op

TODAY = date.today()


@dataclass(frozen=True)
class Seeded:
    server: LiveServer
    result: SeedResult

    def password(self, username: str) -> str:
        return next(a.password for a in self.result.accounts if a.username == username)


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """Yield a demo-seeded SQLite server on a free loopback port."""
    data_dir = tmp_path_factory.mktemp("sync-server")
    url = f"sqlite:///{data_dir / 'sync.db'}"
    engine = create_db_engine(url)
    upgrade(engine)
    result = seed_demo(engine, data_dir, TODAY, seed=7)
    backend = Backend("sqlite", url, data_dir, engine)
    config = uvicorn.Config(
        create_app(Settings(data_dir=data_dir, database_url=url)),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="on",
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, name="uvicorn-sync", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    port = uv.servers[0].sockets[0].getsockname()[1]
    yield Seeded(LiveServer(f"http://127.0.0.1:{port}", backend), result)
    uv.should_exit = True
    thread.join(15)
    engine.dispose()


@pytest.fixture
def live(seeded: Seeded) -> LiveServer:
    return seeded.server


@dataclass
class User:
    """An account on the live server, and an API client signed in as it."""

    username: str
    id: str
    api: SyncClient


def new_user(server: LiveServer, role: str = "delegate", clearance: str = "normal") -> User:
    """Create an account in-process and sign it in over HTTP (for scripting the server side)."""
    username = f"y{secrets.token_hex(5)}"
    with server.backend.engine.begin() as conn:
        user = create_user(conn, username, PASSWORD, Role(role), Classification(clearance))
    r = requests.post(
        server.url("/api/v1/login"),
        json={
            "username": username,
            "password": PASSWORD,
            "device_id": new_id(),
            "device_name": "script",
        },
        timeout=10,
    )
    assert r.status_code == 200, r.text
    return User(username, user.id, SyncClient(server, user.id, r.json()["token"]))


def upload_blob(secretary: SyncClient, data: bytes) -> str:
    """Upload ``data`` as a blob (as the secretary); return its sha256."""
    sha = hashlib.sha256(data).hexdigest()
    h = bearer(secretary.token)
    r = requests.post(
        secretary.server.url("/api/v1/uploads"),
        json={"sha256": sha, "size": len(data)},
        headers=h,
        timeout=30,
    )
    assert r.status_code in (200, 201), r.text
    if r.status_code == 200:
        return sha
    upload = r.json()["upload_id"]
    if data:
        r = requests.put(
            secretary.server.url(f"/api/v1/uploads/{upload}"),
            data=data,
            headers={**h, "Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"},
            timeout=30,
        )
        assert r.status_code == 200, r.text
    r = requests.post(
        secretary.server.url(f"/api/v1/uploads/{upload}/complete"), headers=h, timeout=30
    )
    assert r.status_code == 200, r.text
    return sha


def make_pdf_bytes(size: int) -> bytes:
    """Return ``size`` random bytes that start like a PDF (content does not matter here)."""
    return b"%PDF-1.7\n" + secrets.token_bytes(max(0, size - 9))


def build_meeting(secretary: User, members: list[User], doc_size: int = 300_000) -> dict[str, Any]:
    """Create a published meeting with one document (one real version) and participants."""
    data = make_pdf_bytes(doc_size)
    sha = upload_blob(secretary.api, data)
    ids: dict[str, Any] = {
        "meeting": new_id(),
        "doc": new_id(),
        "version": new_id(),
        "data": data,
        "sha": sha,
        "participants": {},
    }
    m = ids["meeting"]
    ops = [
        op(
            "meeting",
            "create",
            m,
            {
                "title": "Họp giao ban",
                "starts_at": "2030-01-02T01:00:00Z",
                "ends_at": "2030-01-02T03:00:00Z",
                "status": "published",
            },
        ),
        op("document", "create", ids["doc"], {"meeting_id": m, "title": "Báo cáo"}),
        op(
            "document_version",
            "create",
            ids["version"],
            {
                "document_id": ids["doc"],
                "number": 1,
                "sha256": sha,
                "size": len(data),
                "page_count": 1,
            },
        ),
    ]
    for member in members:
        pid = new_id()
        ids["participants"][member.id] = pid
        ops.append(
            op(
                "participant",
                "create",
                pid,
                {"meeting_id": m, "display_name": "Đại biểu", "user_id": member.id},
            )
        )
    results = secretary.api.mutate(*ops)
    assert all(r["status"] == "applied" for r in results), results
    doc_rev = next(r["rev"] for r in results if r["entity"]["id"] == ids["doc"])
    r2 = secretary.api.mutate(
        op(
            "document",
            "update",
            ids["doc"],
            {"current_version_id": ids["version"]},
            base_rev=doc_rev,
        )
    )
    assert r2[0]["status"] == "applied", r2
    return ids


@dataclass
class Device:
    """One laptop: a store, a token store and an engine against the live server."""

    store: Store
    engine: SyncEngine
    tokens: TokenStore
    path: Path


@pytest.fixture
def make_device(
    tmp_path: Path, live: LiveServer, device_secrets: DeviceSecrets
) -> Iterator[Callable[..., Device]]:
    """Return a factory of signed-in devices; their stores are closed afterwards."""
    made: list[Device] = []

    def factory(
        username: str,
        password: str = PASSWORD,
        session: requests.Session | None = None,
        **engine_kwargs: Any,
    ) -> Device:
        path = tmp_path / f"device{len(made)}"
        store = Store.create(path, device_secrets=device_secrets)
        tokens = TokenStore(allow_insecure_backend=True)
        transport = Transport(
            live.base_url, session, retry=RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)
        )
        engine = SyncEngine(store, transport, tokens, **engine_kwargs)
        engine.sign_in(username, password)
        device = Device(store, engine, tokens, path)
        made.append(device)
        return device

    yield factory
    for device in made:
        device.store.close()
