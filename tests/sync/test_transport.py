"""The transport against small real HTTP(S) servers on 127.0.0.1 that script faults."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sync.errors import NetworkError, ServerError, TlsError
from sync.transport import RetryPolicy, Transport
from tests.sync.selfsigned import self_signed_127

Script = list[tuple[int, dict[str, str]]]


class _Handler(BaseHTTPRequestHandler):
    script: Script
    seen: list[str]

    def do_GET(self) -> None:
        self.seen.append(self.headers.get("Authorization", ""))
        status, headers = self.script.pop(0) if self.script else (200, {})
        body = json.dumps({"error": "x", "message": "scripted"} if status >= 400 else {"ok": 1})
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


def _serve(
    script: Script, context: ssl.SSLContext | None = None
) -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("H", (_Handler,), {"script": script, "seen": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if context is not None:
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    scheme = "https" if context else "http"
    yield f"{scheme}://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    httpd.server_close()


def test_5xx_and_429_are_retried_honouring_retry_after() -> None:
    sleeps: list[float] = []
    for base, seen in _serve([(503, {"Retry-After": "7"}), (429, {}), (200, {})]):
        t = Transport(base, retry=RetryPolicy(attempts=4, base_delay=0.01), sleep=sleeps.append)
        t.token = "tkn"
        assert t.request("GET", "/x").json() == {"ok": 1}
        assert len(seen) == 3
        assert seen[0] == "Bearer tkn"
    assert sleeps[0] == 7.0
    assert 0 <= sleeps[1] <= 0.02


def test_retries_are_bounded_and_other_errors_are_not_retried() -> None:
    sleeps: list[float] = []
    none: dict[str, str] = {}
    script: Script = [(500, none), (500, none), (500, none), (404, none)]
    for base, seen in _serve(script):
        t = Transport(base, retry=RetryPolicy(attempts=3, base_delay=0.01), sleep=sleeps.append)
        with pytest.raises(ServerError) as info:
            t.request("GET", "/x")
        assert info.value.status == 500
        assert len(seen) == 3
        with pytest.raises(ServerError) as info:
            t.request("GET", "/x")
        assert info.value.status == 404
        assert len(seen) == 4  # a 404 is an answer, not a fault
    assert len(sleeps) == 2


def test_an_unreachable_server_is_a_network_error_after_the_retries() -> None:
    sleeps: list[float] = []
    t = Transport("http://127.0.0.1:9", retry=RetryPolicy(attempts=3), sleep=sleeps.append)
    with pytest.raises(NetworkError):
        t.request("GET", "/x")
    assert len(sleeps) == 2
    assert all(0 <= s <= 1.0 for s in sleeps)


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[ssl.SSLContext, Path, str]:
    """A self-signed certificate for 127.0.0.1: (server context, CA file, SPKI pin hex)."""
    cert_file, key_file, pin = self_signed_127(tmp_path_factory.mktemp("tls"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context, cert_file, pin


def test_tls_is_verified_and_the_spki_pin_is_enforced(
    tls: tuple[ssl.SSLContext, Path, str],
) -> None:
    context, ca, pin = tls
    for base, _ in _serve([], context):
        fast = RetryPolicy(attempts=1)
        with pytest.raises(TlsError):
            Transport(base, retry=fast).request("GET", "/x")  # unknown CA: refused
        assert Transport(base, retry=fast, ca_bundle=str(ca)).request("GET", "/x").ok
        pinned = Transport(base, retry=fast, ca_bundle=str(ca), spki_pins=[pin])
        assert pinned.request("GET", "/x").ok
        wrong = Transport(base, retry=fast, ca_bundle=str(ca), spki_pins=["00" * 32])
        with pytest.raises(TlsError):
            wrong.request("GET", "/x")
