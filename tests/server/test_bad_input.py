"""Malformed, mistyped, incomplete and oversized requests get a 4xx JSON error, never a 5xx."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.server.conftest import LiveServer

GOOD = {"username": "someone", "password": "pw", "device_id": "d1", "device_name": "Laptop"}


def _post(
    server: LiveServer, data: bytes, content_type: str = "application/json"
) -> requests.Response:
    return requests.post(
        server.url("/api/v1/login"),
        data=data,
        headers={"Content-Type": content_type},
        timeout=10,
    )


def _assert_json_error(r: requests.Response, status: int) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert isinstance(body["error"], str)
    assert isinstance(body["message"], str)
    assert "Traceback" not in r.text


@pytest.mark.parametrize(
    "raw",
    [b"{", b"not json", b'{"username": "a",}', b"\xff\xfe\x00", b"{" * 10_000],
)
def test_malformed_json_is_400(server: LiveServer, raw: bytes) -> None:
    r = _post(server, raw)
    _assert_json_error(r, 400)


@pytest.mark.parametrize(
    "body",
    [
        {**GOOD, "username": 123},
        {**GOOD, "password": None},
        {**GOOD, "device_id": ["d1"]},
        {**GOOD, "device_name": {"a": 1}},
        {**GOOD, "username": ""},
        {**GOOD, "username": "a" * 65},
        {**GOOD, "username": "nul\x00byte"},
        {**GOOD, "device_id": "x" * 129},
        [],
        "a string",
        42,
        None,
    ],
)
def test_wrong_types_and_values_are_422(server: LiveServer, body: object) -> None:
    r = _post(server, json.dumps(body).encode())
    _assert_json_error(r, 422)
    assert r.json()["error"] == "invalid_request"
    assert "details" in r.json()


@pytest.mark.parametrize("missing", sorted(GOOD))
def test_missing_fields_are_422_and_named(server: LiveServer, missing: str) -> None:
    body = {k: v for k, v in GOOD.items() if k != missing}
    r = _post(server, json.dumps(body).encode())
    _assert_json_error(r, 422)
    assert missing in r.json()["message"]


def test_validation_errors_never_echo_the_password(server: LiveServer) -> None:
    r = _post(server, json.dumps({**GOOD, "username": 5, "password": "s3cr3t-value"}).encode())
    assert "s3cr3t-value" not in r.text


def test_huge_body_is_413_whether_declared_or_streamed(server: LiveServer) -> None:
    huge = b'{"username": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    _assert_json_error(_post(server, huge), 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit must count what arrives
        for _ in range(40):
            yield b"a" * 65536

    r = requests.post(
        server.url("/api/v1/login"),
        data=chunks(),
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    _assert_json_error(r, 413)


def test_unparseable_content_length_is_refused_with_4xx(server: LiveServer) -> None:
    # requests would correct the header; a raw socket sends it as written. The
    # HTTP layer answers this one itself, before the app sees the request.
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(server.base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as s:
        s.sendall(
            b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: abc\r\nConnection: close\r\n\r\n{}"
        )
        s.shutdown(socket.SHUT_WR)
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    status = int(reply.split(b" ", 2)[1])
    assert 400 <= status < 500


def test_wrong_content_type_is_4xx_json(server: LiveServer) -> None:
    r = _post(server, json.dumps(GOOD).encode(), content_type="text/plain")
    assert 400 <= r.status_code < 500
    assert "error" in r.json()


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=80),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=12,
)
_login_like = st.fixed_dictionaries(
    {},
    optional={k: _json | st.text(max_size=300) for k in GOOD},
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(body=_json | _login_like)
def test_any_json_body_gets_an_answer_below_500(server: LiveServer, body: object) -> None:
    r = _post(server, json.dumps(body).encode())
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        assert "error" in r.json()
