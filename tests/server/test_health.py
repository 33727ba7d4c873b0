"""GET /api/v1/health and the OpenAPI document."""

from __future__ import annotations

import requests

from tests.server.conftest import LiveServer


def test_health_answers_ok_with_the_version(server: LiveServer) -> None:
    r = requests.get(server.url("/api/v1/health"), timeout=10)
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "version": "0.1.0"}


def test_openapi_lists_the_endpoints(server: LiveServer) -> None:
    paths = requests.get(server.url("/openapi.json"), timeout=10).json()["paths"]
    assert {"/api/v1/health", "/api/v1/login", "/api/v1/logout", "/api/v1/me"} <= set(paths)


def test_unknown_path_and_wrong_method_answer_json_errors(server: LiveServer) -> None:
    r = requests.get(server.url("/api/v1/nothing-here"), timeout=10)
    assert r.status_code == 404
    assert r.json()["error"] == "not_found"
    r = requests.get(server.url("/api/v1/login"), timeout=10)
    assert r.status_code == 405
    assert r.json()["error"] == "method_not_allowed"
