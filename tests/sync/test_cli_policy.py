"""The headless ``meetingroom sync`` honours the deployment policy (server, PIN rules,
failed-PIN wipe, proxy), and the transport goes through the policy's proxy (a real
forwarding HTTP proxy on 127.0.0.1 that records what passed through it)."""

from __future__ import annotations

import io
import select
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from meetingroom.crypto import DeviceSecrets, Protection
from meetingroom.policy import ENV_POLICY, Policy
from meetingroom.store import DB_FILENAME, Store
from sync.auth import TokenStore
from sync.cli import NETWORK, OK, POLICY, USAGE, WIPED, Io, main
from sync.deploy import policy_transport
from sync.errors import TlsError
from sync.transport import RetryPolicy
from tests.server.conftest import PASSWORD, LiveServer
from tests.sync.conftest import build_meeting, new_user
from tests.sync.test_doctor import TLS, https_url, tls_files  # noqa: F401


def _run(argv: list[str], device_secrets: DeviceSecrets, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        argv,
        io=Io(io.StringIO(stdin), out, err),
        device_secrets=device_secrets,
        tokens=TokenStore(allow_insecure_backend=True),
    )
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def write_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Path]:
    def write(text: str) -> Path:
        path = tmp_path / "policy.toml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv(ENV_POLICY, str(path))
        return path

    write("")
    return write


class _Forwarder(BaseHTTPRequestHandler):
    """A forwarding HTTP proxy: requests arrive with absolute URLs and are fetched for real."""

    seen: list[str]

    def _forward(self) -> None:
        self.seen.append(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        hop = {"host", "connection", "proxy-connection", "keep-alive", "content-length"}
        upstream = urllib.request.Request(  # noqa: S310  the test's own loopback server
            self.path,
            data=body,
            method=self.command,
            headers={k: v for k, v in self.headers.items() if k.lower() not in hop},
        )
        try:
            with urllib.request.urlopen(upstream, timeout=30) as answer:  # noqa: S310
                data, status, headers = answer.read(), answer.status, answer.headers
        except urllib.error.HTTPError as exc:
            data, status, headers = exc.read(), exc.code, exc.headers
        self.send_response(status)
        for key, value in headers.items():
            if key.lower() not in {
                "transfer-encoding",
                "connection",
                "content-length",
                "date",
                "server",
            }:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = _forward

    def do_CONNECT(self) -> None:
        """Tunnel TLS to the target (the proxy sees only ciphertext)."""
        self.seen.append(f"CONNECT {self.path}")
        host, port = self.path.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)), timeout=10)
        self.send_response(200, "Connection established")
        self.end_headers()
        sockets = [self.connection, upstream]
        try:
            while True:
                ready, _, broken = select.select(sockets, [], sockets, 10)
                if broken or not ready:
                    return
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (upstream if sock is self.connection else self.connection).sendall(data)
        finally:
            upstream.close()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Handler", (_Forwarder,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def test_the_transport_goes_through_the_policys_proxy(
    live: LiveServer, proxy: tuple[str, list[str]]
) -> None:
    url, seen = proxy
    policy = Policy(proxy=url)
    transport = policy_transport(live.base_url, policy, retry=RetryPolicy(attempts=1))
    response = transport.request("GET", "/health")
    assert response.json()["status"] == "ok"
    assert seen == [f"{live.base_url}/api/v1/health"]
    dead = policy_transport(
        live.base_url, Policy(proxy="http://127.0.0.1:9"), retry=RetryPolicy(attempts=1)
    )
    from sync.errors import NetworkError

    with pytest.raises(NetworkError):
        dead.request("GET", "/health")


def test_a_malformed_policy_stops_sync_with_its_own_exit_code(
    write_policy: Callable[[str], Path], tmp_path: Path, device_secrets: DeviceSecrets
) -> None:
    path = write_policy("[server]\nurl = 'http://hop.example.vn'\n")
    code, _out, err = _run(["sync", "--profile", str(tmp_path / "p")], device_secrets)
    assert code == POLICY
    assert str(path) in err
    assert "line 2" in err
    assert "server.url" in err
    assert not (tmp_path / "p").exists()


def test_sync_uses_the_policy_server_and_refuses_another(
    write_policy: Callable[[str], Path],
    live: LiveServer,
    tmp_path: Path,
    device_secrets: DeviceSecrets,
    proxy: tuple[str, list[str]],
) -> None:
    url, seen = proxy
    write_policy(f'[server]\nurl = "{live.base_url}"\nproxy = "{url}"\n')
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    build_meeting(secretary, [delegate])
    profile = str(tmp_path / "p")
    other = ["sync", "--server", "http://127.0.0.1:9", "--profile", profile]
    code, _out, err = _run(other, device_secrets)
    assert code == USAGE
    assert "--server is set by the deployment policy" in err
    argv = ["sync", "--user", delegate.username, "--password-stdin", "--profile", profile]
    code, out, err = _run(argv, device_secrets, f"{PASSWORD}\n")
    assert code == OK, err
    assert "downloaded 1 documents" in out
    assert any(path.endswith("/api/v1/login") for path in seen)  # through the proxy


def test_sync_follows_the_pin_rules_for_a_new_profile(
    write_policy: Callable[[str], Path],
    live: LiveServer,
    tmp_path: Path,
    device_secrets: DeviceSecrets,
) -> None:
    write_policy(
        f'[server]\nurl = "{live.base_url}"\n[unlock]\npin_required = true\npin_min_length = 6\n'
    )
    profile = tmp_path / "p"
    base = ["sync", "--user", "x", "--password-stdin", "--profile", str(profile)]
    code, _out, err = _run(base, device_secrets, "pw\n")
    assert code == USAGE
    assert "requires a PIN" in err
    assert not (profile / DB_FILENAME).exists()
    code, _out, err = _run([*base, "--pin-stdin"], device_secrets, "pw\n1234\n")
    assert code == USAGE
    assert "at least 6 digits" in err
    assert not (profile / DB_FILENAME).exists()


def test_the_failed_pin_limit_wipes_a_profile_headlessly(
    write_policy: Callable[[str], Path],
    live: LiveServer,
    tmp_path: Path,
    device_secrets: DeviceSecrets,
) -> None:
    write_policy(f'[server]\nurl = "{live.base_url}"\n[unlock]\nfailed_pin_limit = 2\n')
    profile = tmp_path / "p"
    Store.create(
        profile, Protection.DEVICE_AND_PIN, "482913", device_secrets=device_secrets
    ).close()
    argv = ["sync", "--pin-stdin", "--profile", str(profile)]
    code, _out, err = _run(argv, device_secrets, "000000\n")
    assert code != OK
    assert (profile / DB_FILENAME).exists()
    code, _out, err = _run(argv, device_secrets, "000000\n")
    assert code == WIPED
    assert "wiped" in err
    assert not (profile / DB_FILENAME).exists()


def test_an_unreachable_proxy_is_a_network_failure(
    write_policy: Callable[[str], Path],
    live: LiveServer,
    tmp_path: Path,
    device_secrets: DeviceSecrets,
) -> None:
    write_policy(f'[server]\nurl = "{live.base_url}"\nproxy = "http://127.0.0.1:9"\n')
    argv = ["sync", "--user", "x", "--password-stdin", "--profile", str(tmp_path / "p")]
    code, _out, _err = _run(argv, device_secrets, "pw\n")
    assert code == NETWORK


def test_the_key_pin_holds_through_the_proxys_tunnel(
    https_url: str,  # noqa: F811
    tls_files: TLS,  # noqa: F811
    proxy: tuple[str, list[str]],
) -> None:
    url, seen = proxy
    cert, _key, pin = tls_files
    fast = RetryPolicy(attempts=1)
    good = Policy(proxy=url, ca_bundle=cert, spki_pins=(pin,))
    assert policy_transport(https_url, good, retry=fast).request("GET", "/health").ok
    assert seen == [f"CONNECT {https_url.removeprefix('https://')}"]
    wrong = replace(good, spki_pins=("00" * 32,))
    with pytest.raises(TlsError):
        policy_transport(https_url, wrong, retry=fast).request("GET", "/health")
    assert len(seen) == 2  # it did go through the proxy, and the pin still refused the key
