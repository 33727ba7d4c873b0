"""The server's tables, as SQLAlchemy Core metadata (the source for migrations).

Times are stored in UTC. Roles and clearances use the core's enums
(``meetingroom.domain``) so the server and the client agree on the words.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)
from sqlalchemy.types import TypeDecorator

from meetingroom.domain import Classification, Role

# Explicit constraint names so migrations can refer to them on every backend.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ROLES = tuple(r.value for r in Role)
CLEARANCES = tuple(c.value for c in Classification)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    SQLite has no timezone type: values are stored as naive UTC text (which
    compares correctly as text) and come back marked UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return ``value`` in UTC (naive for SQLite); raise ValueError for naive input."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return the stored value as an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


users = Table(
    "users",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("clearance", String(16), nullable=False),
    # "scrypt$n$r$p$salt$hash"; see server.auth.
    Column("password_hash", String(255), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    CheckConstraint(_one_of("role", ROLES), name="role"),
    CheckConstraint(_one_of("clearance", CLEARANCES), name="clearance"),
)

devices = Table(
    "devices",
    metadata,
    # Chosen by the client (one per installation), so it names the machine.
    Column("id", String(128), primary_key=True),
    # The user who signed in on it last.
    Column("user_id", String(36), ForeignKey("users.id"), nullable=False),
    Column("device_name", String(200), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
    Column("wipe_requested_at", UTCDateTime(), nullable=True),
)

tokens = Table(
    "tokens",
    metadata,
    # sha256 hex of the bearer token: a copied database yields no usable token.
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id"), nullable=False),
    Column("device_id", String(128), ForeignKey("devices.id"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
    Index("ix_tokens_device_id", "device_id"),
    Index("ix_tokens_user_id", "user_id"),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False),
    Column("ip", String(64), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Index("ix_login_attempts_username_at", "username", "at"),
)
