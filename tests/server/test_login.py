"""Login, /me, logout and throttling over real HTTP."""

from __future__ import annotations

from datetime import datetime

import requests

from tests.server.conftest import Account, LiveServer, bearer, login


def test_login_returns_a_token_the_user_and_expiry(server: LiveServer, account: Account) -> None:
    r = login(server, account)
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["token"]) >= 40
    assert body["user"]["username"] == account.username
    assert body["user"]["role"] == "delegate"
    assert body["user"]["clearance"] == "normal"
    assert set(body["user"]) == {"id", "username", "display_name", "role", "clearance"}
    assert datetime.fromisoformat(body["expires_at"]).tzinfo is not None


def test_wrong_password_and_unknown_user_get_the_same_401(
    server: LiveServer, account: Account
) -> None:
    wrong = login(server, account, password="not it")
    unknown = login(server, Account(account.username + "x", account.password))
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"] == "invalid_credentials"


def test_token_identifies_the_caller_and_logout_revokes_it(
    server: LiveServer, account: Account
) -> None:
    r = login(server, account, device_id="laptop-me-1")
    token = r.json()["token"]
    me = requests.get(server.url("/api/v1/me"), headers=bearer(token), timeout=10)
    assert me.status_code == 200
    assert me.json()["user"]["username"] == account.username
    assert me.json()["device_id"] == "laptop-me-1"
    assert me.json()["device_name"] == "Laptop phòng họp 3"

    out = requests.post(server.url("/api/v1/logout"), headers=bearer(token), timeout=10)
    assert out.status_code == 204
    after = requests.get(server.url("/api/v1/me"), headers=bearer(token), timeout=10)
    assert after.status_code == 401
    assert after.json()["error"] == "token_revoked"
    # Another session of the same user is unaffected.
    other = login(server, account).json()["token"]
    assert requests.get(server.url("/api/v1/me"), headers=bearer(other), timeout=10).ok


def test_me_without_or_with_a_bad_token_is_401_json(server: LiveServer) -> None:
    for headers in ({}, bearer("made-up"), {"Authorization": "Basic abc"}, bearer("x" * 5000)):
        r = requests.get(server.url("/api/v1/me"), headers=headers, timeout=10)
        assert r.status_code == 401, headers
        assert r.headers["WWW-Authenticate"] == "Bearer"
        assert r.json()["error"] in {"unauthorized", "invalid_token"}


def test_five_failures_throttle_the_username_with_retry_after(
    server: LiveServer, account: Account
) -> None:
    for _ in range(5):
        assert login(server, account, password="wrong").status_code == 401
    r = login(server, account)  # even the right password waits
    assert r.status_code == 429
    assert r.json()["error"] == "too_many_attempts"
    assert 1 <= int(r.headers["Retry-After"]) <= 300


def test_a_success_resets_the_failure_count(server: LiveServer, account: Account) -> None:
    for _ in range(4):
        assert login(server, account, password="wrong").status_code == 401
    assert login(server, account).status_code == 200
    for _ in range(4):
        assert login(server, account, password="wrong").status_code == 401
    assert login(server, account).status_code == 200
