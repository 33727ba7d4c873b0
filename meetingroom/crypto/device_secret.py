"""The device secret in the OS keyring (Secret Service, Keychain, Credential Manager).

Only the keyring ever holds it; it is never written to the database, a file
or a log. ``keyring`` is imported on first use to keep it off the start-up path.
"""

from __future__ import annotations

import base64
import binascii

from meetingroom.crypto.aead import KEY_BYTES
from meetingroom.errors import KeyringUnavailable

SERVICE = "MeetingRoom"

# Backends that accept a secret but do not protect it: refusing them keeps the
# promise that the device secret is never stored in plaintext. Tests opt in
# explicitly through allow_insecure_backend.
_INSECURE_BACKENDS = {"keyring.backends.null.Keyring", "keyrings.alt.file.PlaintextKeyring"}


def _username(profile_id: str) -> str:
    return f"profile-{profile_id}"


def _backend_name() -> str:
    import keyring

    backend = keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


class DeviceSecrets:
    """Reads and writes a profile's device secret in the OS keyring."""

    def __init__(self, *, allow_insecure_backend: bool = False) -> None:
        self._allow_insecure = allow_insecure_backend

    def backend_name(self) -> str:
        """Return the dotted name of the keyring backend in use."""
        return _backend_name()

    def check_available(self) -> None:
        """Raise KeyringUnavailable unless a usable, protecting backend is configured."""
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring):
            raise KeyringUnavailable("no keyring backend is installed or running")
        name = _backend_name()
        if name in _INSECURE_BACKENDS and not self._allow_insecure:
            raise KeyringUnavailable(f"the configured backend {name} stores secrets unprotected")

    def store(self, profile_id: str, secret: bytes) -> None:
        """Save ``secret`` for ``profile_id``. Raises KeyringUnavailable on failure."""
        import keyring
        from keyring.errors import KeyringError

        self.check_available()
        try:
            keyring.set_password(SERVICE, _username(profile_id), base64.b64encode(secret).decode())
        except KeyringError as exc:
            raise KeyringUnavailable(type(exc).__name__) from exc

    def load(self, profile_id: str) -> bytes | None:
        """Return the secret for ``profile_id``, or None when the keyring has none.

        Raises:
            KeyringUnavailable: the keyring cannot be reached or is refused.
        """
        import keyring
        from keyring.errors import KeyringError

        self.check_available()
        try:
            encoded = keyring.get_password(SERVICE, _username(profile_id))
        except KeyringError as exc:
            raise KeyringUnavailable(type(exc).__name__) from exc
        if encoded is None:
            return None
        try:
            secret = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            return None
        return secret if len(secret) == KEY_BYTES else None

    def delete(self, profile_id: str) -> None:
        """Remove the secret for ``profile_id``; a missing entry is not an error."""
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            keyring.delete_password(SERVICE, _username(profile_id))
        except PasswordDeleteError:
            pass
        except KeyringError as exc:
            raise KeyringUnavailable(type(exc).__name__) from exc
