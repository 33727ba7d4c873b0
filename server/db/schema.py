"""The server's tables, as SQLAlchemy Core metadata (the source for migrations).

Times are stored in UTC. Roles and clearances use the core's enums
(``meetingroom.domain``) so the server and the client agree on the words.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
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


# --- Synced entities (protocol v1 feed and mutations) -----------------------
#
# Every entity table mirrors its dataclass in meetingroom.domain, plus server
# columns: ``meeting_id`` (denormalised where the domain type only names its
# parent, so visibility is one indexed filter), ``rev`` (the global revision of
# the transaction that wrote the row last), ``field_revs`` (JSON: field name ->
# revision it last changed at, for field-wise merge) and ``created_by``.

revision_counter = Table(
    "revision_counter",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("value", BigInteger, nullable=False),
)


def _entity_table(name: str, *items: Column[Any] | Index) -> Table:
    return Table(
        name,
        metadata,
        Column("id", String(36), primary_key=True),
        *(c for c in items if isinstance(c, Column)),
        Column("rev", BigInteger, nullable=False),
        Column("updated_at", UTCDateTime(), nullable=False),
        Column("deleted", Boolean, nullable=False),
        Column("field_revs", Text, nullable=False),
        Column("created_by", String(36), nullable=False),
        Index(f"ix_{name}_rev", "rev"),
        *(i for i in items if isinstance(i, Index)),
    )


meetings = _entity_table(
    "meetings",
    Column("title", String(500), nullable=False),
    Column("starts_at", UTCDateTime(), nullable=False),
    Column("ends_at", UTCDateTime(), nullable=False),
    Column("location", String(500), nullable=False),
    Column("status", String(16), nullable=False),
    Column("classification", String(16), nullable=False),
    Column("description", Text, nullable=False),
)

agenda_items = _entity_table(
    "agenda_items",
    Column("meeting_id", String(36), nullable=False),
    Column("position", Integer, nullable=False),
    Column("title", String(500), nullable=False),
    Column("parent_id", String(36), nullable=True),
    Column("presenter", String(500), nullable=False),
    Column("planned_minutes", Integer, nullable=True),
    Index("ix_agenda_items_meeting_id_rev", "meeting_id", "rev"),
)

documents = _entity_table(
    "documents",
    Column("meeting_id", String(36), nullable=False),
    Column("title", String(500), nullable=False),
    Column("agenda_item_id", String(36), nullable=True),
    Column("classification", String(16), nullable=False),
    Column("current_version_id", String(36), nullable=True),
    Column("position", Integer, nullable=False),
    Index("ix_documents_meeting_id_rev", "meeting_id", "rev"),
)

document_versions = _entity_table(
    "document_versions",
    Column("meeting_id", String(36), nullable=False),
    Column("document_id", String(36), nullable=False),
    Column("number", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("page_count", Integer, nullable=False),
    Column("filename", String(500), nullable=False),
    Column("classification", String(16), nullable=False),
    Index("ix_document_versions_meeting_id_rev", "meeting_id", "rev"),
    Index("ix_document_versions_sha256", "sha256"),
)

participants = _entity_table(
    "participants",
    Column("meeting_id", String(36), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("clearance", String(16), nullable=False),
    Column("user_id", String(36), nullable=True),
    Column("title", String(500), nullable=False),
    Index("ix_participants_meeting_id_rev", "meeting_id", "rev"),
    Index("ix_participants_user_id", "user_id"),
    # A user's row in a meeting (blob authorization joins on both).
    Index("ix_participants_meeting_id_user_id", "meeting_id", "user_id"),
)

rooms = _entity_table(
    "rooms",
    Column("meeting_id", String(36), nullable=False),
    Column("name", String(500), nullable=False),
    Column("width", Float, nullable=False),
    Column("height", Float, nullable=False),
    Index("ix_rooms_meeting_id_rev", "meeting_id", "rev"),
)

seats = _entity_table(
    "seats",
    Column("meeting_id", String(36), nullable=False),
    Column("room_id", String(36), nullable=False),
    Column("label", String(200), nullable=False),
    Column("x", Float, nullable=False),
    Column("y", Float, nullable=False),
    Column("participant_id", String(36), nullable=True),
    Index("ix_seats_meeting_id_rev", "meeting_id", "rev"),
)

# Named so, not ``annotations``, which ``from __future__ import annotations`` takes.
annotation_rows = _entity_table(
    "annotations",
    Column("meeting_id", String(36), nullable=False),
    Column("version_id", String(36), nullable=False),
    Column("page", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("geometry", Text, nullable=False),
    Column("author_id", String(36), nullable=False),
    Column("colour", String(7), nullable=False),
    Column("text", Text, nullable=False),
    Column("visibility", String(16), nullable=False),
    Index("ix_annotations_meeting_id_rev", "meeting_id", "rev"),
    # The feed asks whether a user wrote any (server.feed.shared_page_key).
    Index("ix_annotations_author_id", "author_id"),
)

notes = _entity_table(
    "notes",
    Column("meeting_id", String(36), nullable=False),
    Column("author_id", String(36), nullable=False),
    Column("text", Text, nullable=False),
    Index("ix_notes_meeting_id_rev", "meeting_id", "rev"),
    Index("ix_notes_author_id", "author_id"),
)

# A change to who may see a meeting: the feed re-sends the meeting's visible
# state (or purges it) for ``user_id`` at ``rev``. ``kind`` is informational;
# the feed always acts on the current state.
access_events = Table(
    "access_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", String(36), nullable=False),
    Column("meeting_id", String(36), nullable=False),
    Column("rev", BigInteger, nullable=False),
    Column("kind", String(8), nullable=False),
    CheckConstraint("kind IN ('grant', 'loss')", name="kind"),
    Index("ix_access_events_user_id_rev", "user_id", "rev"),
)

# Idempotency: the first result of every applied operation, by its op_id.
applied_ops = Table(
    "applied_ops",
    metadata,
    Column("op_id", String(64), primary_key=True),
    Column("user_id", String(36), nullable=False),
    Column("rev", BigInteger, nullable=False),
    Column("result_json", Text, nullable=False),
)


# --- Blobs --------------------------------------------------------------------

# Audit: one row per blob download (200 or 206), written before the bytes go
# out. ``version_id`` is the document version that authorised the download;
# ``range_start``/``range_end`` are the bytes served (inclusive; both NULL
# for an empty blob).
blob_downloads = Table(
    "blob_downloads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", String(36), nullable=False),
    Column("device_id", String(128), nullable=False),
    Column("version_id", String(36), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("range_start", BigInteger, nullable=True),
    Column("range_end", BigInteger, nullable=True),
    Column("status", Integer, nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Index("ix_blob_downloads_user_id_at", "user_id", "at"),
    Index("ix_blob_downloads_version_id", "version_id"),
)

# Audit: one row per signed download link handed out (POST /api/v1/blob-links),
# written when the link is issued: whoever serves the link (nginx or this
# server) checks only its signature and expiry, so issuance is what the
# database records; nginx's access log records the transfers, each naming
# the row's ``link_id`` (the link's ``id`` parameter).
blob_link_issues = Table(
    "blob_link_issues",
    metadata,
    Column("link_id", String(32), primary_key=True),
    Column("user_id", String(36), nullable=False),
    Column("device_id", String(128), nullable=False),
    Column("version_id", String(36), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Index("ix_blob_link_issues_user_id_at", "user_id", "at"),
    Index("ix_blob_link_issues_version_id", "version_id"),
)

# Upload sessions and who began them; the bytes live in the blob store.
uploads = Table(
    "uploads",
    metadata,
    Column("upload_id", String(32), primary_key=True),
    Column("user_id", String(36), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)
