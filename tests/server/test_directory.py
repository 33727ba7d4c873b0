"""``GET /api/v1/directory``: the user directory for secretaries and chairs."""

from __future__ import annotations

import requests

from tests.server.conftest import LiveServer, bearer, make_user


def _directory(server: LiveServer, token: str) -> requests.Response:
    return requests.get(server.url("/api/v1/directory"), headers=bearer(token), timeout=10)


def test_secretary_and_chair_list_every_account(server: LiveServer) -> None:
    secretary = make_user(server, "secretary", "secret")
    chair = make_user(server, "chair")
    delegate = make_user(server, "delegate", "confidential")
    for caller in (secretary, chair):
        r = _directory(server, caller.token)
        assert r.status_code == 200, r.text
        users = r.json()["users"]
        by_id = {u["user_id"]: u for u in users}
        assert {secretary.user_id, chair.user_id, delegate.user_id} <= set(by_id)
        entry = by_id[delegate.user_id]
        assert set(entry) == {"user_id", "username", "display_name", "role", "clearance"}
        assert entry["role"] == "delegate"
        assert entry["clearance"] == "confidential"
        assert by_id[secretary.user_id]["clearance"] == "secret"
        names = [u["username"] for u in users]
        assert names == sorted(names)


def test_delegates_and_observers_are_refused(server: LiveServer) -> None:
    for role in ("delegate", "observer"):
        r = _directory(server, make_user(server, role).token)
        assert r.status_code == 403, r.text
        assert r.json()["error"] == "forbidden"
        assert "users" not in r.json()


def test_directory_needs_a_token(server: LiveServer) -> None:
    r = requests.get(server.url("/api/v1/directory"), timeout=10)
    assert r.status_code == 401
    assert r.json()["error"] == "unauthorized"
    r = _directory(server, "not-a-token")
    assert r.status_code == 401
    assert r.json()["error"] == "invalid_token"


def test_directory_never_carries_password_hashes(server: LiveServer) -> None:
    r = _directory(server, make_user(server, "secretary").token)
    assert r.status_code == 200
    assert "scrypt$" not in r.text
    assert "password" not in r.text
