"""The plain-ASGI path of POST /api/v1/blob-links, over real HTTP: what it answers itself
(the same answers as the route), and what it hands on, body intact, to the app's route."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select, update
from starlette.types import ASGIApp, Receive, Scope, Send

from server.app import create_app
from server.blob_links_asgi import PATH, BlobLinksFastPath
from server.config import Settings
from server.db import schema
from tests.server.conftest import Backend, LiveServer, SyncClient, bearer, make_user, serving
from tests.server.test_blobs import assert_json_error, device_of, meeting_with_blobs, put_blob

# The default limit (the fixture's server runs with default settings).
MAX_BODY = Settings(data_dir=Path("unused")).max_json_body


@dataclass
class RouteCalls:
    """The real app, counting the link requests that reach it (past the fast path)."""

    app: ASGIApp
    calls: list[str] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == PATH:
            self.calls.append(scope["method"])
        await self.app(scope, receive, send)


@dataclass(frozen=True)
class Observed:
    server: LiveServer
    route: RouteCalls


@pytest.fixture(scope="module")
def observed(backend: Backend) -> Iterator[Observed]:
    """A server whose app runs behind the fast path with its route observed."""
    settings = Settings(data_dir=backend.data_dir, database_url=backend.url)
    app = create_app(settings)
    # The same layers as create_app's, with the observer between them.
    fast_path: object = BlobLinksFastPath
    app.user_middleware = [m for m in app.user_middleware if m.cls is not fast_path]
    route = RouteCalls(app)
    with serving(BlobLinksFastPath(route, app.state), backend) as live:
        yield Observed(live, route)


@pytest.fixture(scope="module")
def meeting(observed: Observed) -> tuple[SyncClient, str, str]:
    """A confidential delegate of a published meeting; its normal and secret blobs."""
    server = observed.server
    secretary = make_user(server, "secretary")
    delegate = make_user(server, "delegate", "confidential")
    normal, secret = put_blob(server, os.urandom(400)), put_blob(server, os.urandom(401))
    meeting_with_blobs(secretary, [(delegate, "confidential")], normal, secret)
    return delegate, normal, secret


def post(
    observed: Observed, data: bytes, headers: dict[str, str], method: str = "POST"
) -> requests.Response:
    return requests.request(
        method, observed.server.url(PATH), data=data, headers=headers, timeout=30
    )


def json_headers(client: SyncClient, content_type: str = "application/json") -> dict[str, str]:
    return {**bearer(client.token), "Content-Type": content_type}


def link_rows(observed: Observed, client: SyncClient) -> int:
    t = schema.blob_link_issues
    with observed.server.backend.engine.connect() as conn:
        query = select(func.count()).select_from(t).where(t.c.user_id == client.user_id)
        return int(conn.execute(query).scalar_one())


def test_well_formed_requests_are_answered_without_the_route(
    observed: Observed, meeting: tuple[SyncClient, str, str]
) -> None:
    delegate, normal, secret = meeting
    unknown = "ef" * 32
    before, rows = len(observed.route.calls), link_rows(observed, delegate)
    for content_type in ("application/json", "application/json; charset=utf-8"):
        body = f'{{"sha256": ["{normal}", "{secret}", "{unknown}", "{normal}"]}}'.encode()
        r = post(observed, body, json_headers(delegate, content_type))
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/json"
        answer = r.json()
        assert sorted(link["sha256"] for link in answer["links"]) == sorted([normal, secret])
        assert answer["missing"] == [unknown]
        for link in answer["links"]:
            assert link["url"].startswith(f"/api/v1/blob-links/d/{link['sha256']}?e=")
            assert link["expires_at"].endswith("Z")
            got = requests.get(observed.server.url(link["url"]), timeout=30)
            assert got.status_code == 200
    assert len(observed.route.calls) == before
    assert link_rows(observed, delegate) == rows + 4  # two links, twice: each one audited


def test_the_fast_path_answers_tokens_it_refuses_as_the_route_does(
    observed: Observed, meeting: tuple[SyncClient, str, str]
) -> None:
    _, normal, _ = meeting
    body = f'{{"sha256": ["{normal}"]}}'.encode()
    before = len(observed.route.calls)
    r = post(observed, body, {"Authorization": "Bearer not-a-token"})
    assert_json_error(r, 401, "invalid_token")
    wiped = make_user(observed.server, "delegate")
    with observed.server.backend.engine.begin() as conn:
        conn.execute(
            update(schema.devices)
            .where(schema.devices.c.id == device_of(observed.server, wiped))
            .values(wipe_requested_at=func.now())
        )
    assert_json_error(post(observed, body, json_headers(wiped)), 410, "wipe_required")
    assert len(observed.route.calls) == before


@pytest.mark.parametrize(
    ("body", "headers", "status", "code"),
    [
        (b'{"sha256": [', {}, 400, "malformed_json"),
        (b'{"sha256": "ab"}', {}, 422, "invalid_request"),
        (b'{"sha256": ["not-a-hash"]}', {}, 422, "invalid_request"),
        (b"[]", {}, 422, "invalid_request"),
        (b'{"sha256": []}', {"Content-Type": "text/plain"}, 422, None),
        (b'{"sha256": []}', {"Authorization": ""}, 401, "unauthorized"),
        (b'{"sha256": []}', {"Authorization": "Basic dTpw"}, 401, "unauthorized"),
        (b" " * (MAX_BODY + 1), {}, 413, "body_too_large"),
    ],
    ids=[
        "malformed-json",
        "wrong-type",
        "not-a-hash",
        "not-an-object",
        "text-plain",
        "no-token",
        "basic-auth",
        "oversized",
    ],
)
def test_anything_else_reaches_the_route_with_its_body(
    observed: Observed,
    meeting: tuple[SyncClient, str, str],
    body: bytes,
    headers: dict[str, str],
    status: int,
    code: str | None,
) -> None:
    delegate, _, _ = meeting
    before = len(observed.route.calls)
    r = post(observed, body, {**json_headers(delegate), **headers})
    assert_json_error(r, status, code)
    assert observed.route.calls[before:] == ["POST"]


def test_a_chunked_body_past_the_limit_gets_the_apps_413(
    observed: Observed, meeting: tuple[SyncClient, str, str]
) -> None:
    delegate, _, _ = meeting
    before, rows = len(observed.route.calls), link_rows(observed, delegate)
    # A generator body is sent chunked: no Content-Length to refuse it by.
    chunks = (b" " * 65536 for _ in range(MAX_BODY // 65536 + 1))
    r = requests.post(
        observed.server.url(PATH), data=chunks, headers=json_headers(delegate), timeout=30
    )
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert_json_error(r, 413, "body_too_large")
    assert len(observed.route.calls) == before
    assert link_rows(observed, delegate) == rows


def test_other_methods_reach_the_app(
    observed: Observed, meeting: tuple[SyncClient, str, str]
) -> None:
    delegate, _, _ = meeting
    before = len(observed.route.calls)
    assert_json_error(post(observed, b"", bearer(delegate.token), "GET"), 405)
    assert observed.route.calls[before:] == ["GET"]
