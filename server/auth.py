"""Credentials: password hashing, opaque bearer tokens, and login throttling.

Passwords are hashed with scrypt (memory-hard: n=2**14, r=8, p=1, 16 MiB)
and a random salt; the parameters are stored with the hash so they can be
raised later without invalidating old hashes. Tokens are random and stored
only as their sha256, so a copy of the database grants nobody access.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import secrets
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Connection, delete, insert, select

from server.db.schema import login_attempts

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
# A stored hash with larger parameters than this is damaged or hostile; refuse
# it rather than let it pin a CPU or exhaust memory.
_MAX_N = 2**20


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        dklen=KEY_BYTES,
        maxmem=256 * n * r + 1024 * 1024,
    )


def hash_password(password: str) -> str:
    """Return the storable hash of ``password``: ``scrypt$n$r$p$salt$key`` (base64 parts)."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    """Return True when ``password`` matches ``stored``; False also for a malformed hash.

    The comparison takes the same time wherever the keys differ.
    """
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        expected = base64.b64decode(parts[5], validate=True)
    except ValueError:
        return False
    if not (2 <= n <= _MAX_N and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16):
        return False
    return hmac.compare_digest(_scrypt(password, salt, n, r, p), expected)


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def verify_password_or_waste(password: str, stored: str | None) -> bool:
    """Return True when ``stored`` is not None and ``password`` matches it.

    For an unknown user (``stored`` None) it still runs scrypt against a
    throwaway hash, so response time does not reveal which usernames exist.
    """
    if stored is None:
        verify_password(password, _dummy_hash())
        return False
    return verify_password(password, stored)


def new_token() -> str:
    """Return a fresh opaque bearer token (256 random bits, URL-safe text)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Return the sha256 hex digest under which ``token`` is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def throttle_retry_after(
    conn: Connection, username: str, now: datetime, max_failures: int, window: timedelta
) -> int | None:
    """Return the seconds to wait before ``username`` may try again, or None if allowed.

    A username is blocked while ``max_failures`` or more failed logins fall
    within ``window``; it frees up when enough of them age out.
    """
    times: list[datetime] = [
        row.at
        for row in conn.execute(
            select(login_attempts.c.at)
            .where(login_attempts.c.username == username, login_attempts.c.at > now - window)
            .order_by(login_attempts.c.at)
        )
    ]
    if len(times) < max_failures:
        return None
    # Attempts become possible again once all but max_failures - 1 have expired.
    frees_at = times[len(times) - max_failures] + window
    return max(1, math.ceil((frees_at - now).total_seconds()))


def record_failed_login(
    conn: Connection, username: str, ip: str, now: datetime, window: timedelta
) -> None:
    """Record one failed login, and forget failures too old to count any more."""
    conn.execute(delete(login_attempts).where(login_attempts.c.at <= now - window))
    conn.execute(insert(login_attempts).values(username=username, ip=ip[:64], at=now))


def clear_failed_logins(conn: Connection, username: str) -> None:
    """Forget the failures of ``username`` after a successful login."""
    conn.execute(delete(login_attempts).where(login_attempts.c.username == username))
