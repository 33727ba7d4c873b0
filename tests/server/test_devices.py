"""Revoking and wiping a device with the admin CLI, seen by its client over HTTP."""

from __future__ import annotations

import pytest
import requests

from tests.server.conftest import Account, LiveServer, bearer, login


def _me(server: LiveServer, token: str) -> requests.Response:
    return requests.get(server.url("/api/v1/me"), headers=bearer(token), timeout=10)


def test_revoked_device_loses_its_token_and_cannot_sign_in(
    server: LiveServer, account: Account
) -> None:
    device = f"revoke-{account.username}"
    token = login(server, account, device_id=device).json()["token"]
    assert _me(server, token).status_code == 200

    assert server.backend.cli("revoke-device", device) == 0

    r = _me(server, token)
    assert r.status_code == 401
    assert r.json()["error"] == "token_revoked"
    again = login(server, account, device_id=device)
    assert again.status_code == 403
    assert again.json()["error"] == "device_revoked"
    # The same user on another device is fine.
    assert login(server, account).status_code == 200


def test_wiped_device_is_told_to_wipe_on_every_request(
    server: LiveServer, account: Account
) -> None:
    device = f"wipe-{account.username}"
    token = login(server, account, device_id=device).json()["token"]

    assert server.backend.cli("wipe-device", device) == 0

    for _ in range(2):  # a client that missed the first answer hears it again
        r = _me(server, token)
        assert r.status_code == 410
        assert r.json()["error"] == "wipe_required"
    out = requests.post(server.url("/api/v1/logout"), headers=bearer(token), timeout=10)
    assert out.status_code == 410
    relogin = login(server, account, device_id=device)
    assert relogin.status_code == 410
    assert relogin.json()["error"] == "wipe_required"


def test_unknown_device_is_an_error_not_a_traceback(
    server: LiveServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert server.backend.cli("revoke-device", "no-such-device") == 1
    assert server.backend.cli("wipe-device", "no-such-device") == 1
    err = capsys.readouterr().err
    assert err.count("no device with id 'no-such-device'") == 2
    assert "Traceback" not in err
