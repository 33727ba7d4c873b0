"""The engine through a fault-injecting HTTP proxy on 127.0.0.1.

By a seeded schedule (one decision per method, path and how often that path
was asked for), the proxy drops connections mid-body, delays answers,
answers 500/503 (sometimes with ``Retry-After``), answers 503 *after* the
server applied a mutation batch (a lost response: the replay must not
duplicate), and corrupts blob bytes. The engine retries, rejects the bad
bytes by their hash, and ends where a direct sync ends.
"""

from __future__ import annotations

import http.client
import random
import socketserver
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

import pytest
import requests

from meetingroom import services
from meetingroom.domain import Annotation, AnnotationId, AnnotationKind, DocumentVersionId, UserId
from sync.errors import NetworkError
from sync.transport import RetryPolicy, Transport
from tests.server.conftest import LiveServer, new_id
from tests.sync._support import add_documents, assert_bytes_complete, server_view, snapshot
from tests.sync.conftest import Device, build_meeting, new_user

FAULTS = ("ok", "drop", "delay", "500", "503", "503_retry_after", "lost_response", "corrupt")
WEIGHTS = (45, 12, 10, 7, 6, 5, 5, 10)


class FaultProxy(socketserver.ThreadingTCPServer):
    """Forwards each request to ``upstream`` (one connection per request) with faults."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, upstream: str, seed: int) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.seed = seed
        self.seen: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def decide(self, method: str, path: str) -> str:
        with self.lock:
            route = path.split("?")[0]
            # Blob bytes come through /blobs or a signed link (/blob-links/d/).
            blob = "/blobs/" in route or "/blob-links/d/" in route
            key = f"{method} {'/api/v1/blobs/*' if blob else route}"
            n = self.seen[key]
            self.seen[key] += 1
        fault = random.Random(f"{self.seed}:{key}:{n}").choices(FAULTS, WEIGHTS)[0]
        if n == 0 and key == "GET /api/v1/blobs/*":
            fault = "corrupt"  # whatever the seed: at least one of each kind
        elif n == 0 and key == "POST /api/v1/mutations":
            fault = "lost_response"
        if fault == "corrupt" and not blob:
            fault = "ok"
        if fault == "lost_response" and method != "POST":
            fault = "503"
        with self.lock:
            self.injected[fault] += 1
        return fault


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FaultProxy

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _relay(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        fault = self.server.decide(self.command, self.path)
        if fault in ("500", "503", "503_retry_after"):
            extra = {"Retry-After": "0"} if fault == "503_retry_after" else {}
            self._answer(
                int(fault[:3]),
                {"Content-Type": "application/json", **extra},
                b'{"error":"unavailable"}',
            )
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        upstream = http.client.HTTPConnection(*self.server.upstream, timeout=30)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            payload = response.read()
            status = response.status
            reply = {
                k: v
                for k, v in response.getheaders()
                if k.lower() not in ("transfer-encoding", "connection", "content-length")
            }
        finally:
            upstream.close()
        if fault == "lost_response":  # the server applied it; the client never hears
            self._answer(503, {"Content-Type": "application/json"}, b'{"error":"lost"}')
            return
        if fault == "delay":
            time.sleep(random.Random(self.path).uniform(0.02, 0.2))
        if fault == "corrupt" and len(payload) > 64:
            at = len(payload) // 2
            payload = (
                payload[:at] + bytes(b ^ 0x5A for b in payload[at : at + 32]) + payload[at + 32 :]
            )
        if fault == "drop" and len(payload) > 1:
            self.send_response(status)
            for k, v in reply.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self._answer(status, reply, payload)

    def _answer(self, status: int, headers: dict[str, str], payload: bytes) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)
        self.close_connection = True

    do_GET = do_POST = do_PUT = _relay


@pytest.fixture
def proxy(live: LiveServer) -> Iterator[FaultProxy]:
    server = FaultProxy(live.base_url, seed=4242)
    thread = threading.Thread(target=server.serve_forever, name="fault-proxy", daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _annotation(version_id: str, author: str, text: str) -> Annotation:
    return Annotation(
        id=AnnotationId(new_id()),
        version_id=DocumentVersionId(version_id),
        page=0,
        kind=AnnotationKind.HIGHLIGHT,
        geometry=((72.0, 700.0, 300.0, 714.0),),
        author_id=UserId(author),
        text=text,
    )


def test_through_faults_the_engine_retries_rejects_bad_bytes_and_converges(
    live: LiveServer, proxy: FaultProxy, make_device: Callable[..., Device]
) -> None:
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    ids = build_meeting(secretary, [delegate], doc_size=900_000)
    data = {ids["version"]: ids["data"]}
    data.update(add_documents(secretary, ids["meeting"], [2_300_000, 400_000, 1_200_000, 60_000]))
    faulty = make_device(delegate.username, blob_attempts=12, page_limit=3)
    faulty.engine.transport = Transport(
        proxy.url,
        requests.Session(),
        retry=RetryPolicy(attempts=8, base_delay=0.005, max_delay=0.02),
    )
    faulty.engine.transport.token = faulty.tokens.load(faulty.store.profile_id)
    expected: set[str] = set()
    for round_ in range(5):  # each round: offline edits, then sync until it converges
        notes = [_annotation(v, delegate.id, f"r{round_} n{i}") for i, v in enumerate(data)]
        services.save(faulty.store, *notes)
        services.delete(faulty.store, faulty.store.repos.annotations.get(notes[0].id))
        edited = faulty.store.repos.annotations.get(notes[1].id).touched(text=f"r{round_} sửa")
        services.save(faulty.store, edited)
        expected |= {edited.text, *(n.text for n in notes[2:])}
        for _ in range(6):  # a run may still give up on a bad streak
            try:
                if faulty.engine.sync().complete:
                    break
            except NetworkError:
                continue
        else:
            pytest.fail(f"no convergence through the proxy: {proxy.injected}")

    direct = make_device(delegate.username)
    assert direct.engine.sync().complete
    assert faulty.store.outbox.count() == 0
    assert faulty.store.conflicts.count() == 0
    got = snapshot(faulty.store)
    assert got == snapshot(direct.store)
    assert got == server_view(delegate.api)
    assert_bytes_complete(faulty.store)
    for version_id, raw in data.items():
        assert bytes(faulty.store.blobs.read_into_buffer(version_id)) == raw
    texts = sorted(a["text"] for a in got["annotations"].values())
    assert texts == sorted(expected)  # each once: no replay duplicated, no edit lost
    for fault in ("drop", "delay", "500", "503", "corrupt", "lost_response"):
        assert proxy.injected[fault], f"the schedule never injected {fault}: {proxy.injected}"
