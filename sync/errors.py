"""Typed errors of the sync client. Messages never contain tokens or meeting content."""

from __future__ import annotations


class SyncError(Exception):
    """Sync failed; ``kind`` is what a program branches on."""

    kind = "error"


class NetworkError(SyncError):
    """The server could not be reached (after the bounded retries)."""

    kind = "network"


class TlsError(NetworkError):
    """The server's certificate failed verification or its pin."""

    kind = "tls"


class ServerError(SyncError):
    """The server answered with an error: ``status``, ``code`` (the protocol's ``error``)."""

    kind = "server"

    def __init__(self, status: int, code: str, message: str = "") -> None:
        super().__init__(f"server refused ({status} {code}): {message}".strip())
        self.status = status
        self.code = code


class AuthRequired(SyncError):
    """Signing in is needed: no token, or it was revoked or expired."""

    kind = "auth"

    def __init__(self, reason: str = "not_signed_in") -> None:
        super().__init__(f"sign-in required ({reason})")
        self.reason = reason


class WipeRequired(SyncError):
    """The server ordered this device wiped; the profile has been destroyed."""

    kind = "wiped"


class SyncBusy(SyncError):
    """A sync is already running; a second one is refused, not interleaved."""

    kind = "busy"
