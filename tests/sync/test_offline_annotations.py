"""Annotations made while the server is down or unreachable reach it after reconnect.

The server here is a real uvicorn on 127.0.0.1 over its own SQLite file, which
the test stops and starts again on the same port (the session server of
tests/sync stays up for everyone else). While it is away the port either
refuses connections (down) or accepts them and never answers (unreachable).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
import uvicorn

from meetingroom import services
from meetingroom.crypto import DeviceSecrets
from meetingroom.domain import (
    Annotation,
    AnnotationId,
    AnnotationKind,
    DocumentVersionId,
    UserId,
    Visibility,
    new_id,
)
from meetingroom.store import Store
from server.app import create_app
from server.config import Settings
from server.db.engine import create_db_engine
from server.db.migrate import upgrade
from sync.auth import TokenStore
from sync.engine import SyncEngine
from sync.errors import NetworkError
from sync.transport import RetryPolicy, Transport
from tests.server.conftest import PASSWORD, Backend, LiveServer
from tests.sync.conftest import Device, build_meeting, new_user


class RestartableServer:
    """A uvicorn server over one SQLite file that can be stopped and started on one port."""

    def __init__(self, data_dir: Path) -> None:
        url = f"sqlite:///{data_dir / 'offline.db'}"
        engine = create_db_engine(url)
        upgrade(engine)
        self.backend = Backend("sqlite", url, data_dir, engine)
        self.port = 0
        self._uv: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._silent: socket.socket | None = None

    @property
    def live(self) -> LiveServer:
        return LiveServer(f"http://127.0.0.1:{self.port}", self.backend)

    def start(self) -> None:
        settings = Settings(data_dir=self.backend.data_dir, database_url=self.backend.url)
        config = uvicorn.Config(
            create_app(settings),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
        )
        uv = uvicorn.Server(config)
        thread = threading.Thread(target=uv.run, name="uvicorn-offline", daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not uv.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        self.port = uv.servers[0].sockets[0].getsockname()[1]
        self._uv, self._thread = uv, thread

    def stop(self) -> None:
        if self._uv is not None and self._thread is not None:
            self._uv.should_exit = True
            self._thread.join(15)
        self._uv = self._thread = None

    def go_silent(self) -> None:
        """Hold the port with a socket that accepts connections and never answers."""
        silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        silent.bind(("127.0.0.1", self.port))
        silent.listen(16)
        self._silent = silent

    def end_silence(self) -> None:
        if self._silent is not None:
            self._silent.close()
            self._silent = None

    def close(self) -> None:
        self.end_silence()
        self.stop()
        self.backend.engine.dispose()


@pytest.fixture
def restartable(tmp_path: Path) -> Iterator[RestartableServer]:
    data = tmp_path / "server"
    data.mkdir()
    server = RestartableServer(data)
    server.start()
    yield server
    server.close()


def make_device(
    server: RestartableServer, path: Path, username: str, secrets: DeviceSecrets
) -> Device:
    """A signed-in device whose transport gives up quickly (short timeouts, few retries)."""
    store = Store.create(path, device_secrets=secrets)
    transport = Transport(
        server.live.base_url,
        connect_timeout=2.0,
        read_timeout=1.0,
        retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02),
    )
    tokens = TokenStore(allow_insecure_backend=True)
    engine = SyncEngine(store, transport, tokens)
    engine.sign_in(username, PASSWORD)
    return Device(store, engine, tokens, path)


def annotation(version_id: str, author: str, kind: AnnotationKind, text: str) -> Annotation:
    return Annotation(
        id=AnnotationId(new_id()),
        version_id=DocumentVersionId(version_id),
        page=0,
        kind=kind,
        geometry=((72.0, 86.0, 300.0, 104.0),)
        if kind is not AnnotationKind.INK
        else ((100.0, 300.0, 150.0, 350.0, 200.0, 300.0),),
        author_id=UserId(author),
        colour="#ff0000",
        text=text,
    )


@pytest.mark.parametrize("outage", ["down", "unreachable"])
def test_offline_annotations_reach_the_server_and_the_second_device(
    restartable: RestartableServer,
    tmp_path: Path,
    device_secrets: DeviceSecrets,
    outage: str,
) -> None:
    live = restartable.live
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    ids = build_meeting(secretary, [delegate])
    laptop = make_device(restartable, tmp_path / "laptop", delegate.username, device_secrets)
    tablet = make_device(restartable, tmp_path / "tablet", delegate.username, device_secrets)
    try:
        assert laptop.engine.sync().complete
        assert tablet.engine.sync().complete

        restartable.stop()
        if outage == "unreachable":
            restartable.go_silent()

        # Annotating needs no server: each mark is saved (with its outbox entry) at once.
        highlight = annotation(ids["version"], delegate.id, AnnotationKind.HIGHLIGHT, "Quan trọng")
        ink = annotation(ids["version"], delegate.id, AnnotationKind.INK, "")
        services.save(laptop.store, highlight, ink)
        edited = highlight.touched(text="Quan trọng — hỏi lại", visibility=Visibility.SHARED)
        services.save(laptop.store, edited)
        with pytest.raises(NetworkError):
            laptop.engine.sync()
        status = laptop.engine.status()
        assert status.online is False
        assert status.pending_changes == 2
        assert {a.id for a in services.annotations(laptop.store, ids["version"]).items} == {
            highlight.id,
            ink.id,
        }

        restartable.end_silence()
        restartable.start()  # the same port and database

        report = laptop.engine.sync()
        assert report.complete, report.errors
        assert laptop.store.outbox.count() == 0
        assert laptop.engine.status().online is True
        # The server has them: the delegate's own feed returns them.
        changes, _, _ = delegate.api.pull_all()
        on_server = {c["entity"]["id"]: c["entity"] for c in changes if c["type"] == "annotation"}
        assert set(on_server) == {highlight.id, ink.id}
        assert on_server[highlight.id]["text"] == "Quan trọng — hỏi lại"

        # The delegate's second device receives them as they were made.
        assert tablet.engine.sync().complete
        got = {a.id: a for a in services.annotations(tablet.store, ids["version"]).items}
        assert set(got) == {highlight.id, ink.id}
        assert got[highlight.id].text == "Quan trọng — hỏi lại"
        assert got[highlight.id].visibility is Visibility.SHARED
        assert got[highlight.id].geometry == highlight.geometry
        assert got[ink.id].kind is AnnotationKind.INK
        assert got[ink.id].geometry == ink.geometry
        assert all(a.rev is not None for a in got.values())
    finally:
        laptop.store.close()
        tablet.store.close()


def test_nothing_is_lost_when_the_app_restarts_while_offline(
    restartable: RestartableServer, tmp_path: Path, device_secrets: DeviceSecrets
) -> None:
    live = restartable.live
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    ids = build_meeting(secretary, [delegate])
    laptop = make_device(restartable, tmp_path / "laptop", delegate.username, device_secrets)
    assert laptop.engine.sync().complete
    restartable.stop()
    note = annotation(ids["version"], delegate.id, AnnotationKind.NOTE, "Đề nghị làm rõ")
    services.save(laptop.store, note)
    laptop.store.close()  # the app is closed while offline

    restartable.start()
    store = Store.open(tmp_path / "laptop", device_secrets=device_secrets)
    store.unlock()
    try:
        transport = Transport(
            live.base_url, retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02)
        )
        engine = SyncEngine(store, transport, TokenStore(allow_insecure_backend=True))
        assert engine.sync().complete  # the token from the keyring still works
        assert store.outbox.count() == 0
        changes, _, _ = delegate.api.pull_all()
        texts = [c["entity"]["text"] for c in changes if c["type"] == "annotation"]
        assert texts == ["Đề nghị làm rõ"]
    finally:
        store.close()


def _free(port: int) -> bool:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_the_restartable_server_really_goes_away(restartable: RestartableServer) -> None:
    # Guard for the tests above: a stopped server refuses connections.
    restartable.stop()
    assert _free(restartable.port)
    restartable.start()
    assert not _free(restartable.port)
