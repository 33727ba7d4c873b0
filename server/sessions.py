"""Signing in and out, and resolving a bearer token to who is calling."""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import anyio.to_thread
from sqlalchemy import Connection, Engine, bindparam, insert, select, update

from meetingroom.domain import utcnow
from server.accounts import User, find_user, user_from_row
from server.auth import (
    clear_failed_logins,
    hash_token,
    new_token,
    record_failed_login,
    throttle_retry_after,
    verify_password_or_waste,
)
from server.config import Settings
from server.db.prepared import PreparedSelect
from server.db.schema import devices, tokens, users
from server.errors import ApiError

INVALID_CREDENTIALS = "Wrong username or password."


def wipe_required() -> ApiError:
    """Return the error a device marked for remote wipe gets on every request."""
    return ApiError(
        410,
        "wipe_required",
        "This device has been marked for remote wipe: delete its meeting data now.",
    )


def unauthorized(message: str, code: str = "unauthorized") -> ApiError:
    """Return a 401 asking for a bearer token."""
    return ApiError(401, code, message, {"WWW-Authenticate": "Bearer"})


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in (user, device) pair and its token's hash and expiry."""

    user: User
    device_id: str
    device_name: str
    token_hash: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class LoginResult:
    """A new token (shown once, never stored) and its session."""

    token: str
    session: Session


# scrypt is CPU-bound (about 36 ms, 16 MiB): a burst of sign-ins runs it on
# a few threads of its own, so it cannot take every worker thread from the
# feed and blob requests. How many per process: Settings.scrypt_threads
# (``serve --workers N`` shares the cores among its N processes).
_SCRYPT_POOLS: dict[int, ThreadPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()


def _scrypt_pool(threads: int | None) -> ThreadPoolExecutor:
    size = max(1, threads or os.cpu_count() or 1)
    with _POOLS_LOCK:
        pool = _SCRYPT_POOLS.get(size)
        if pool is None:
            pool = _SCRYPT_POOLS[size] = ThreadPoolExecutor(size, thread_name_prefix="scrypt")
        return pool


def _login_check(engine: Engine, settings: Settings, username: str, now: datetime) -> Any:
    with engine.begin() as conn:
        wait = throttle_retry_after(
            conn, username, now, settings.login_max_failures, settings.login_window
        )
        if wait is not None:
            raise ApiError(
                429,
                "too_many_attempts",
                f"Too many failed sign-ins for this account. Try again in {wait} seconds.",
                {"Retry-After": str(wait)},
            )
        return find_user(conn, username)


def _login_failed(
    engine: Engine, settings: Settings, username: str, ip: str, now: datetime
) -> None:
    with engine.begin() as conn:
        record_failed_login(conn, username, ip, now, settings.login_window)


def _login_finish(
    engine: Engine,
    settings: Settings,
    user: User,
    username: str,
    device_id: str,
    device_name: str,
    now: datetime,
) -> LoginResult:
    token = new_token()
    expires_at = now + settings.token_lifetime
    with engine.begin() as conn:
        device = conn.execute(select(devices).where(devices.c.id == device_id)).first()
        if device is not None and device.wipe_requested_at is not None:
            raise wipe_required()
        if device is not None and device.revoked_at is not None:
            raise ApiError(
                403, "device_revoked", "This device has been revoked; ask IT to re-enable it."
            )
        if device is None:
            conn.execute(
                insert(devices).values(
                    id=device_id, user_id=user.id, device_name=device_name, created_at=now
                )
            )
        else:
            # One laptop may be shared; the device row follows its latest user.
            conn.execute(
                update(devices)
                .where(devices.c.id == device_id)
                .values(user_id=user.id, device_name=device_name)
            )
        clear_failed_logins(conn, username)
        conn.execute(
            insert(tokens).values(
                token_hash=hash_token(token),
                user_id=user.id,
                device_id=device_id,
                created_at=now,
                expires_at=expires_at,
            )
        )
    return LoginResult(token, Session(user, device_id, device_name, hash_token(token), expires_at))


async def login(
    engine: Engine,
    settings: Settings,
    username: str,
    password: str,
    device_id: str,
    device_name: str,
    ip: str,
) -> LoginResult:
    """Check the credentials and return a new token for (user, device).

    Raises ApiError: 429 while the username is throttled, 401 for a wrong
    username or password (the same message for both), 410 for a device
    marked for wipe, 403 for a revoked device.
    """
    now = utcnow()
    found = await anyio.to_thread.run_sync(_login_check, engine, settings, username, now)
    # scrypt runs outside any transaction: it is slow and holds no rows.
    ok = await asyncio.get_running_loop().run_in_executor(
        _scrypt_pool(settings.scrypt_threads),
        verify_password_or_waste,
        password,
        found[1] if found else None,
    )
    if not ok or found is None:
        await anyio.to_thread.run_sync(_login_failed, engine, settings, username, ip, now)
        raise unauthorized(INVALID_CREDENTIALS, "invalid_credentials")
    return await anyio.to_thread.run_sync(
        _login_finish, engine, settings, found[0], username, device_id, device_name, now
    )


# Built once: every authenticated request runs it, and building a statement
# costs more than running it.
_SESSION_OF_TOKEN = (
    select(
        users,
        tokens.c.token_hash,
        tokens.c.device_id,
        tokens.c.expires_at,
        tokens.c.revoked_at.label("token_revoked_at"),
        devices.c.device_name,
        devices.c.revoked_at.label("device_revoked_at"),
        devices.c.wipe_requested_at,
    )
    .select_from(tokens.join(users).join(devices, tokens.c.device_id == devices.c.id))
    .where(tokens.c.token_hash == bindparam("token_hash"))
)
# Run on the driver's cursor: ~100 µs through Connection.execute (server/db/prepared.py).
_SESSION_LOOKUP = PreparedSelect(_SESSION_OF_TOKEN, {"token_hash"})


def authenticate(engine: Engine, token: str) -> Session:
    """Return the live session of bearer ``token`` (:func:`authenticate_on`, own connection)."""
    with engine.connect() as conn:
        return authenticate_on(conn, token)


def authenticate_on(conn: Connection, token: str) -> Session:
    """Return the live session of bearer ``token``, read on ``conn``.

    Raises ApiError 410 ``wipe_required`` when its device is marked for wipe
    (on every request, so a client that missed the first answer still hears
    it), else 401 when the token is unknown, expired, revoked or its device
    revoked.
    """
    now = utcnow()
    found = _SESSION_LOOKUP.rows(conn, {"token_hash": hash_token(token)})
    if not found:
        raise unauthorized("The token is not valid; sign in again.", "invalid_token")
    row = dict(zip(_SESSION_LOOKUP.columns, found[0], strict=True))
    if row["wipe_requested_at"] is not None:
        raise wipe_required()
    if row["token_revoked_at"] is not None or row["device_revoked_at"] is not None:
        raise unauthorized("The token has been revoked; sign in again.", "token_revoked")
    if row["expires_at"] <= now:
        raise unauthorized("The token has expired; sign in again.", "token_expired")
    return Session(
        user_from_row(row),
        str(row["device_id"]),
        str(row["device_name"]),
        str(row["token_hash"]),
        row["expires_at"],
    )


def logout(engine: Engine, session: Session) -> None:
    """Revoke the token of ``session``; later requests with it get 401."""
    with engine.begin() as conn:
        conn.execute(
            update(tokens)
            .where(tokens.c.token_hash == session.token_hash, tokens.c.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
