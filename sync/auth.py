"""Sign-in: the bearer token lives in the OS keyring only.

The token is stored under service ``MeetingRoom`` with a per-profile key
(``token-<profile id>``): never in the database, a config file or a log.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass

from meetingroom.errors import KeyringUnavailable
from meetingroom.store import Store
from sync.errors import AuthRequired, ServerError, WipeRequired
from sync.transport import Transport

SERVICE = "MeetingRoom"
_INSECURE_BACKENDS = {"keyring.backends.null.Keyring", "keyrings.alt.file.PlaintextKeyring"}


def _key(profile_id: str) -> str:
    return f"token-{profile_id}"


class TokenStore:
    """Reads and writes a profile's bearer token in the OS keyring."""

    def __init__(self, *, allow_insecure_backend: bool = False) -> None:
        self._allow_insecure = allow_insecure_backend

    def _keyring(self) -> object:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring):
            raise KeyringUnavailable("no keyring backend is installed or running")
        name = f"{type(backend).__module__}.{type(backend).__qualname__}"
        if name in _INSECURE_BACKENDS and not self._allow_insecure:
            raise KeyringUnavailable(f"the configured backend {name} stores secrets unprotected")
        return backend

    def load(self, profile_id: str) -> str | None:
        """Return the token of ``profile_id``, or None. Raises KeyringUnavailable."""
        import keyring
        from keyring.errors import KeyringError

        self._keyring()
        try:
            return keyring.get_password(SERVICE, _key(profile_id))
        except KeyringError as exc:
            raise KeyringUnavailable(type(exc).__name__) from exc

    def save(self, profile_id: str, token: str) -> None:
        """Keep ``token`` for ``profile_id``. Raises KeyringUnavailable."""
        import keyring
        from keyring.errors import KeyringError

        self._keyring()
        try:
            keyring.set_password(SERVICE, _key(profile_id), token)
        except KeyringError as exc:
            raise KeyringUnavailable(type(exc).__name__) from exc

    def delete(self, profile_id: str) -> None:
        """Forget the token of ``profile_id``; a missing entry is not an error."""
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            keyring.delete_password(SERVICE, _key(profile_id))
        except PasswordDeleteError:
            pass
        except KeyringError as exc:
            raise KeyringUnavailable(type(exc).__name__) from exc


@dataclass(frozen=True, slots=True)
class Account:
    """Who a profile is signed in as (plaintext bookkeeping in ``sync_state``)."""

    user_id: str
    username: str
    role: str


def signed_in_account(store: Store) -> Account | None:
    """Return the account the profile last signed in as, or None."""
    state = store.sync_state
    user_id, username, role = state.get("user_id"), state.get("username"), state.get("role")
    if not user_id or not username or not role:
        return None
    return Account(user_id, username, role)


def sign_in(
    transport: Transport,
    store: Store,
    tokens: TokenStore,
    username: str,
    password: str,
    device_name: str | None = None,
) -> Account:
    """Exchange credentials for a token kept in the keyring; return the account.

    Signing in as another user than the profile's is refused (one profile,
    one user: its data would otherwise mix).

    Raises:
        AuthRequired: wrong credentials (``reason`` is the server's code), or
            a revoked device, throttling or another user.
        WipeRequired: the device is marked for wipe (the caller wipes).
        NetworkError, ServerError: as ``Transport.request``.
    """
    previous = signed_in_account(store)
    if previous is not None and previous.username != username:
        raise AuthRequired("profile_of_another_user")
    state = store.sync_state
    body = {
        "username": username,
        "password": password,
        "device_id": state.device_id(),
        "device_name": device_name or f"MeetingRoom on {platform.node() or 'this computer'}",
    }
    transport.token = None
    try:
        response = transport.request("POST", "/login", json=body)
    except ServerError as exc:
        if exc.code == "wipe_required":
            raise WipeRequired(str(exc)) from exc
        if exc.status in (401, 403, 429):
            raise AuthRequired(exc.code) from exc
        raise
    data = response.json()
    token, user = str(data["token"]), data["user"]
    tokens.save(store.profile_id, token)
    with store.atomic():
        state.set("user_id", str(user["id"]))
        state.set("username", str(user["username"]))
        state.set("role", str(user["role"]))
        state.set("server", transport.base_url)
    transport.token = token
    return Account(str(user["id"]), str(user["username"]), str(user["role"]))
