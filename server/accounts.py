"""Users and devices: the queries behind the admin CLI and the login endpoint."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from meetingroom.domain import Classification, Role, UserId, new_id, utcnow
from server.auth import hash_password
from server.db.schema import devices, tokens, users

USERNAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


class AccountError(Exception):
    """An admin request that cannot be done; the message says why, for a person."""


@dataclass(frozen=True, slots=True)
class User:
    """A server account (never carries the password hash)."""

    id: UserId
    username: str
    display_name: str
    role: Role
    clearance: Classification
    created_at: datetime


def user_from_row(m: Mapping[Any, Any]) -> User:
    """Return the User of a ``users`` row's mapping (column name -> value)."""
    return User(
        id=UserId(str(m["id"])),
        username=str(m["username"]),
        display_name=str(m["display_name"]),
        role=Role(m["role"]),
        clearance=Classification(m["clearance"]),
        created_at=m["created_at"],
    )


_USER_COLUMNS = (
    users.c.id,
    users.c.username,
    users.c.display_name,
    users.c.role,
    users.c.clearance,
    users.c.created_at,
)


def create_user(
    conn: Connection,
    username: str,
    password: str,
    role: Role,
    clearance: Classification = Classification.NORMAL,
    display_name: str | None = None,
) -> User:
    """Create an account and return it.

    Raises AccountError for an invalid username, an empty password, a display
    name that is too long, or a username that is taken.
    """
    if not USERNAME_RE.fullmatch(username):
        raise AccountError(
            f"invalid username {username!r}: use 1-64 letters, digits and . _ @ -, "
            "starting with a letter or digit"
        )
    if not password:
        raise AccountError("the password is empty")
    name = (display_name if display_name is not None else username).strip()
    if not name or len(name) > 200 or "\x00" in name:
        raise AccountError("the display name must be 1-200 characters")
    user = User(UserId(new_id()), username, name, role, clearance, utcnow())
    if conn.execute(select(users.c.id).where(users.c.username == username)).first():
        raise AccountError(f"a user named {username!r} already exists")
    try:
        with conn.begin_nested():
            conn.execute(
                insert(users).values(
                    id=user.id,
                    username=user.username,
                    display_name=user.display_name,
                    role=user.role.value,
                    clearance=user.clearance.value,
                    password_hash=hash_password(password),
                    created_at=user.created_at,
                )
            )
    except IntegrityError as e:
        # Another admin created the same name between our check and insert.
        raise AccountError(f"a user named {username!r} already exists") from e
    return user


def list_users(conn: Connection) -> list[User]:
    """Return every account, ordered by username."""
    rows = conn.execute(select(*_USER_COLUMNS).order_by(users.c.username))
    return [user_from_row(r._mapping) for r in rows]


def find_user(conn: Connection, username: str) -> tuple[User, str] | None:
    """Return the user called ``username`` with their password hash, or None."""
    row = conn.execute(
        select(*_USER_COLUMNS, users.c.password_hash).where(users.c.username == username)
    ).first()
    if row is None:
        return None
    return user_from_row(row._mapping), str(row.password_hash)


def _mark_device(conn: Connection, device_id: str, column: str) -> None:
    now = utcnow()
    result = conn.execute(
        update(devices)
        .where(devices.c.id == device_id, devices.c[column].is_(None))
        .values({column: now})
    )
    if (
        result.rowcount == 0
        and not conn.execute(select(devices.c.id).where(devices.c.id == device_id)).first()
    ):
        raise AccountError(f"no device with id {device_id!r}")
    conn.execute(
        update(tokens)
        .where(tokens.c.device_id == device_id, tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def revoke_device(conn: Connection, device_id: str) -> None:
    """Revoke a device: its tokens stop working and it may not sign in again.

    Raises AccountError when no such device has ever signed in.
    """
    _mark_device(conn, device_id, "revoked_at")


def wipe_device(conn: Connection, device_id: str) -> None:
    """Mark a device for remote wipe: its next request is told to wipe (410).

    Its tokens are revoked too. Raises AccountError for an unknown device.
    """
    _mark_device(conn, device_id, "wipe_requested_at")
