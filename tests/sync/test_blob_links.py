"""The engine's blob stage over signed links: bytes through the links, and the fallback to
``GET /blobs/{sha256}`` when the server has no links endpoint or refuses a link."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from sqlalchemy import select

from meetingroom.store import Store
from server.db import schema
from sync.blob_links import BlobLinks
from sync.errors import NetworkError
from sync.transport import Transport
from tests.server.conftest import LiveServer
from tests.sync.conftest import build_meeting, new_user
from tests.sync.test_engine import MakeDevice


class _Recording(requests.Session):
    """Records every request's path and Authorization header; can hide the links
    endpoint (as an older server would) or tamper with the links' signatures."""

    def __init__(self, *, hide_endpoint: bool = False, tamper: bool = False) -> None:
        super().__init__()
        self.hide_endpoint = hide_endpoint
        self.tamper = tamper
        self.calls: list[tuple[str, str, bool]] = []  # (method, path, sent a token)

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if self.hide_endpoint and url.endswith("/api/v1/blob-links"):
            url = url.replace("/api/v1/blob-links", "/api/v1/no-such-endpoint")
        params = kwargs.get("params")
        if self.tamper and params and "s" in params:
            kwargs["params"] = {**params, "s": "A" * 22}
        headers = kwargs.get("headers") or {}
        self.calls.append((method, urlsplit(url).path, "Authorization" in headers))
        return super().request(method, url, *args, **kwargs)

    def paths(self, part: str) -> list[tuple[str, str, bool]]:
        return [c for c in self.calls if part in c[1]]


def _bytes_of(store: Store, version_id: str) -> bytes:
    return bytes(store.blobs.read_into_buffer(version_id))


def _issued(live: LiveServer, user_id: str) -> int:
    t = schema.blob_link_issues
    with live.backend.engine.connect() as conn:
        return len(conn.execute(select(t.c.link_id).where(t.c.user_id == user_id)).all())


def test_documents_download_through_signed_links(live: LiveServer, make_device: MakeDevice) -> None:
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    ids = build_meeting(secretary, [delegate], doc_size=1_500_000)
    session = _Recording()
    device = make_device(delegate.username, session=session)
    report = device.engine.sync()
    assert report.complete, report.errors
    assert _bytes_of(device.store, ids["version"]) == ids["data"]
    links = session.paths("/blob-links/d/")
    assert links
    assert all(not token for _, _, token in links)  # the link is the credential
    assert not session.paths("/api/v1/blobs/")
    assert [c for c in session.calls if c[1] == "/api/v1/blob-links"] == [
        ("POST", "/api/v1/blob-links", True)
    ]
    assert _issued(live, delegate.id) >= 1


def test_a_server_without_links_is_served_through_blobs(
    live: LiveServer, make_device: MakeDevice
) -> None:
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    ids = build_meeting(secretary, [delegate])
    session = _Recording(hide_endpoint=True)
    device = make_device(delegate.username, session=session)
    report = device.engine.sync()
    assert report.complete, report.errors
    assert _bytes_of(device.store, ids["version"]) == ids["data"]
    assert not session.paths("/blob-links/d/")
    assert session.paths("/api/v1/blobs/")


def test_a_refused_link_falls_back_to_blobs(live: LiveServer, make_device: MakeDevice) -> None:
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    ids = build_meeting(secretary, [delegate])
    session = _Recording(tamper=True)
    device = make_device(delegate.username, session=session)
    report = device.engine.sync()
    assert report.complete, report.errors
    assert _bytes_of(device.store, ids["version"]) == ids["data"]
    assert session.paths("/blob-links/d/")  # tried, refused with 403
    assert session.paths("/api/v1/blobs/")


class _FakeResponse(requests.Response):
    def __init__(self, body: Any) -> None:
        super().__init__()
        self._body = body

    def json(self, **_kwargs: Any) -> Any:
        return self._body


def _answer(hashes: list[str], expires_at: str, url: str | None = None) -> _FakeResponse:
    return _FakeResponse(
        {
            "links": [
                {
                    "sha256": h,
                    "url": url or f"/api/v1/blob-links/d/{h}?e=1&id={'0' * 32}&s=x",
                    "expires_at": expires_at,
                }
                for h in hashes
            ],
            "missing": [],
        }
    )


def test_links_to_another_host_or_blob_are_ignored() -> None:
    sha, other = "ab" * 32, "cd" * 32
    for url in (
        f"https://elsewhere.example/api/v1/blob-links/d/{sha}?e=1",
        f"//elsewhere.example/api/v1/blob-links/d/{sha}?e=1",
        f"/api/v1/blob-links/d/{other}?e=1",
        f"/api/v1/blobs/{sha}",
    ):
        links = BlobLinks(
            Transport("http://127.0.0.1:1"),
            lambda *a, url=url, **k: _answer([sha], "2999-01-01T00:00:00Z", url),
        )
        links.prefetch([sha])
        assert links.open(sha, {}) is None  # no usable link: the caller uses /blobs


def test_stale_links_are_asked_for_again_in_one_batch() -> None:
    hashes = ["ab" * 32, "cd" * 32, "ef" * 32]
    asked: list[list[str]] = []
    now = [1000.0]

    def call(method: str, path: str, json: dict[str, list[str]]) -> _FakeResponse:
        asked.append(json["sha256"])
        # Each answer's links expire 60 s after "now".
        stamp = datetime.fromtimestamp(now[0] + 60, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return _answer(json["sha256"], stamp)

    links = BlobLinks(Transport("http://127.0.0.1:1"), call, clock=lambda: now[0])
    links.prefetch(hashes)
    assert asked == [hashes]
    assert links._link(hashes[0]) is not None
    now[0] += 45  # within REFRESH_MARGIN of expiry
    assert links._link(hashes[1]) is not None
    assert asked[1][0] == hashes[1]
    assert sorted(asked[1]) == sorted(hashes)


def test_an_unreachable_server_means_no_links_not_a_failure() -> None:
    def call(*_a: Any, **_k: Any) -> Any:
        raise NetworkError("cannot reach the server")

    links = BlobLinks(Transport("http://127.0.0.1:1"), call)
    links.prefetch(["ab" * 32])
    assert links.open("ab" * 32, {}) is None
