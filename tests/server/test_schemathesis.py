"""Property-based API testing: schemathesis against the live server's ``/openapi.json``.

Every operation is called with generated (valid and invalid) input and a
valid bearer token; a 5xx or a response that does not match the documented
schema fails the test. SQLite only, and bounded, to keep it quick; the
server fixture also fails the session if the server logged an error.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from server.app import create_app
from server.config import Settings
from tests.server.conftest import LiveServer, bearer, make_user

CHECKS = [not_a_server_error, response_schema_conformance]
MAX_EXAMPLES = 50
# Logging out would revoke the token every later case signs in with.
TOKEN_KILLERS = "^/api/v1/logout$"


@pytest.fixture(scope="module")
def sqlite_server(server: LiveServer) -> LiveServer:
    """The shared live server, on SQLite only (the fuzzing does not depend on the backend)."""
    if server.backend.name != "sqlite":
        pytest.skip("schemathesis runs on SQLite only")
    return server


def _openapi() -> dict[str, Any]:
    # The operations must be known when tests are collected, before the live
    # server runs; test_served_schema_is_the_one_tested checks it serves this.
    with tempfile.TemporaryDirectory() as data:
        document: dict[str, Any] = create_app(Settings(data_dir=Path(data))).openapi()
    return document


OPENAPI = _openapi()
schema = schemathesis.openapi.from_dict(OPENAPI)


@pytest.fixture(scope="module")
def delegate_headers(sqlite_server: LiveServer) -> dict[str, str]:
    return bearer(make_user(sqlite_server, "delegate").token)


@pytest.fixture(scope="module")
def secretary_headers(sqlite_server: LiveServer) -> dict[str, str]:
    return bearer(make_user(sqlite_server, "secretary", "top_secret").token)


# Known server defects (server/ code this suite does not own), by operation.
KNOWN: dict[str, str] = {}


def _known_defect(request: pytest.FixtureRequest, case: schemathesis.Case[Any]) -> None:
    reason = KNOWN.get(case.operation.label)
    if reason is not None:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


def test_served_schema_is_the_one_tested(sqlite_server: LiveServer) -> None:
    r = requests.get(sqlite_server.url("/openapi.json"), timeout=10)
    assert r.status_code == 200
    assert r.json() == OPENAPI


_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,  # the same cases every run, so the xfails below stay strict
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@schema.exclude(path_regex=TOKEN_KILLERS).parametrize()
@_SETTINGS
def test_api_as_delegate(
    case: schemathesis.Case[Any],
    request: pytest.FixtureRequest,
    sqlite_server: LiveServer,
    delegate_headers: dict[str, str],
) -> None:
    _known_defect(request, case)
    case.call_and_validate(base_url=sqlite_server.base_url, headers=delegate_headers, checks=CHECKS)


@schema.include(path_regex="^/api/v1/(mutations|changes|directory)$").parametrize()
@_SETTINGS
def test_sync_endpoints_as_secretary(
    case: schemathesis.Case[Any],
    request: pytest.FixtureRequest,
    sqlite_server: LiveServer,
    secretary_headers: dict[str, str],
) -> None:
    _known_defect(request, case)
    case.call_and_validate(
        base_url=sqlite_server.base_url, headers=secretary_headers, checks=CHECKS
    )


@schema.include(path_regex=TOKEN_KILLERS).parametrize()
@_SETTINGS
def test_logout(case: schemathesis.Case[Any], sqlite_server: LiveServer) -> None:
    # A fresh token per case, since a successful logout revokes it.
    headers = bearer(make_user(sqlite_server, "delegate").token)
    case.call_and_validate(base_url=sqlite_server.base_url, headers=headers, checks=CHECKS)
