"""The synced entity types: their tables, field rules, and JSON <-> row.

Entity JSON uses exactly the field names of the dataclasses in
``meetingroom.domain`` (enums by value, datetimes ISO 8601 UTC with ``Z``,
annotation geometry as a list of lists of floats) plus ``rev``,
``updated_at`` and ``deleted``, so the client can rebuild the dataclasses.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, Table

from meetingroom.domain import (
    AnnotationKind,
    Classification,
    MeetingStatus,
    Role,
    Visibility,
)
from server.db import schema

JsonValue = Any


class FieldError(ValueError):
    """A field value that does not fit its rule; the message says why, for a person."""


@dataclass(frozen=True, slots=True)
class FieldRule:
    """How one field is checked, stored and shown."""

    name: str
    kind: str  # str, int, float, enum, datetime, ref, geometry, colour
    required: bool = False  # must be given on create (no default in the domain)
    default: JsonValue = None
    nullable: bool = False
    max_length: int = 500
    enum: tuple[str, ...] = ()
    immutable: bool = False  # may not change after create
    minimum: float | None = None
    maximum: int = 2**31 - 1  # int fields: PostgreSQL INTEGER (size is BIGINT)


def _enum(
    name: str, values: type[Any], default: JsonValue = None, required: bool = False
) -> FieldRule:
    return FieldRule(
        name, "enum", required=required, default=default, enum=tuple(v.value for v in values)
    )


@dataclass(frozen=True, slots=True)
class EntityType:
    """One synced type: its protocol name, table and fields (domain order)."""

    name: str
    table: Table
    fields: tuple[FieldRule, ...]
    order: int  # position in the feed's ordering of types

    def rule(self, name: str) -> FieldRule | None:
        """Return the rule of field ``name``, or None when the type has no such field."""
        for f in self.fields:
            if f.name == name:
                return f
        return None


_TEXT = 100_000

MEETING = EntityType(
    "meeting",
    schema.meetings,
    (
        FieldRule("title", "str", required=True),
        FieldRule("starts_at", "datetime", required=True),
        FieldRule("ends_at", "datetime", required=True),
        FieldRule("location", "str", default=""),
        _enum("status", MeetingStatus, MeetingStatus.DRAFT.value),
        _enum("classification", Classification, Classification.NORMAL.value),
        FieldRule("description", "str", default="", max_length=_TEXT),
    ),
    0,
)
AGENDA_ITEM = EntityType(
    "agenda_item",
    schema.agenda_items,
    (
        FieldRule("meeting_id", "ref", required=True, immutable=True),
        FieldRule("position", "int", required=True),
        FieldRule("title", "str", required=True),
        FieldRule("parent_id", "ref", nullable=True),
        FieldRule("presenter", "str", default=""),
        FieldRule("planned_minutes", "int", nullable=True, minimum=0),
    ),
    1,
)
DOCUMENT = EntityType(
    "document",
    schema.documents,
    (
        FieldRule("meeting_id", "ref", required=True, immutable=True),
        FieldRule("title", "str", required=True),
        FieldRule("agenda_item_id", "ref", nullable=True),
        _enum("classification", Classification, Classification.NORMAL.value),
        FieldRule("current_version_id", "ref", nullable=True),
        FieldRule("position", "int", default=0),
    ),
    2,
)
DOCUMENT_VERSION = EntityType(
    "document_version",
    schema.document_versions,
    (
        FieldRule("document_id", "ref", required=True, immutable=True),
        FieldRule("number", "int", required=True, minimum=1),
        FieldRule("sha256", "sha256", required=True),
        FieldRule("size", "int", required=True, minimum=0, maximum=2**53),
        FieldRule("page_count", "int", required=True, minimum=0),
        FieldRule("filename", "str", default=""),
        _enum("classification", Classification, Classification.NORMAL.value),
    ),
    3,
)
PARTICIPANT = EntityType(
    "participant",
    schema.participants,
    (
        FieldRule("meeting_id", "ref", required=True, immutable=True),
        FieldRule("display_name", "str", required=True, max_length=200),
        _enum("role", Role, Role.DELEGATE.value),
        _enum("clearance", Classification, Classification.NORMAL.value),
        FieldRule("user_id", "ref", nullable=True),
        FieldRule("title", "str", default=""),
    ),
    4,
)
ROOM = EntityType(
    "room",
    schema.rooms,
    (
        FieldRule("meeting_id", "ref", required=True, immutable=True),
        FieldRule("name", "str", required=True),
        FieldRule("width", "float", default=100.0, minimum=0),
        FieldRule("height", "float", default=60.0, minimum=0),
    ),
    5,
)
SEAT = EntityType(
    "seat",
    schema.seats,
    (
        FieldRule("room_id", "ref", required=True, immutable=True),
        FieldRule("label", "str", required=True, max_length=200),
        FieldRule("x", "float", required=True),
        FieldRule("y", "float", required=True),
        FieldRule("participant_id", "ref", nullable=True),
    ),
    6,
)
ANNOTATION = EntityType(
    "annotation",
    schema.annotation_rows,
    (
        FieldRule("version_id", "ref", required=True, immutable=True),
        FieldRule("page", "int", required=True, minimum=0),
        _enum("kind", AnnotationKind, required=True),
        FieldRule("geometry", "geometry", required=True),
        FieldRule("author_id", "ref", required=True, immutable=True),
        FieldRule("colour", "colour", default="#ffd400"),
        FieldRule("text", "str", default="", max_length=_TEXT),
        _enum("visibility", Visibility, Visibility.PRIVATE.value),
    ),
    7,
)
NOTE = EntityType(
    "note",
    schema.notes,
    (
        FieldRule("meeting_id", "ref", required=True, immutable=True),
        FieldRule("author_id", "ref", required=True, immutable=True),
        FieldRule("text", "str", required=True, max_length=_TEXT),
    ),
    8,
)

TYPES: tuple[EntityType, ...] = (
    MEETING,
    AGENDA_ITEM,
    DOCUMENT,
    DOCUMENT_VERSION,
    PARTICIPANT,
    ROOM,
    SEAT,
    ANNOTATION,
    NOTE,
)
BY_NAME = {t.name: t for t in TYPES}

_ID_RE = re.compile(r"[A-Za-z0-9._:-]{1,36}")
_SHA_RE = re.compile(r"[0-9a-f]{64}")
_COLOUR_RE = re.compile(r"#[0-9a-fA-F]{6}")


def valid_id(value: object) -> bool:
    """Return True for an acceptable entity id (a UUID, or any 1-36 safe characters)."""
    return isinstance(value, str) and _ID_RE.fullmatch(value) is not None


def format_datetime(value: datetime) -> str:
    """Return ``value`` as ISO 8601 UTC with a ``Z``."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def check_field(rule: FieldRule, value: object) -> JsonValue:
    """Return ``value`` in canonical JSON form, or raise FieldError."""
    if value is None:
        if rule.nullable:
            return None
        raise FieldError(f"{rule.name}: must not be null")
    kind = rule.kind
    if kind == "str":
        if not isinstance(value, str):
            raise FieldError(f"{rule.name}: must be a string")
        if len(value) > rule.max_length or "\x00" in value:
            raise FieldError(f"{rule.name}: at most {rule.max_length} characters, no NUL")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as e:
            raise FieldError(f"{rule.name}: must be valid Unicode text") from e
        if rule.required and not value.strip():
            raise FieldError(f"{rule.name}: must not be empty")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError(f"{rule.name}: must be an integer")
        if abs(value) > rule.maximum or (rule.minimum is not None and value < rule.minimum):
            raise FieldError(f"{rule.name}: out of range")
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FieldError(f"{rule.name}: must be a number")
        number = float(value)
        if not math.isfinite(number) or abs(number) > 1e12:
            raise FieldError(f"{rule.name}: must be a finite number")
        if rule.minimum is not None and number < rule.minimum:
            raise FieldError(f"{rule.name}: out of range")
        return number
    if kind == "enum":
        if not isinstance(value, str) or value not in rule.enum:
            raise FieldError(f"{rule.name}: must be one of {', '.join(rule.enum)}")
        return value
    if kind == "datetime":
        if not isinstance(value, str) or len(value) > 64:
            raise FieldError(f"{rule.name}: must be an ISO 8601 date-time string")
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError as e:
            raise FieldError(f"{rule.name}: must be an ISO 8601 date-time string") from e
        if parsed.tzinfo is None:
            raise FieldError(f"{rule.name}: must carry a timezone (use Z for UTC)")
        try:
            return format_datetime(parsed)
        except (OverflowError, ValueError) as e:
            raise FieldError(f"{rule.name}: out of range") from e
    if kind == "ref":
        if not valid_id(value):
            raise FieldError(f"{rule.name}: must be an id (1-36 characters)")
        return value
    if kind == "sha256":
        if not isinstance(value, str) or not _SHA_RE.fullmatch(value):
            raise FieldError(f"{rule.name}: must be 64 lowercase hex digits")
        return value
    if kind == "colour":
        if not isinstance(value, str) or not _COLOUR_RE.fullmatch(value):
            raise FieldError(f"{rule.name}: must be #rrggbb")
        return value.lower()
    if kind == "geometry":
        return _check_geometry(rule.name, value)
    raise AssertionError(kind)


def _check_geometry(name: str, value: object) -> list[list[float]]:
    if not isinstance(value, list) or len(value) > 10_000:
        raise FieldError(f"{name}: must be a list of lists of numbers")
    out: list[list[float]] = []
    total = 0
    for part in value:
        if not isinstance(part, list):
            raise FieldError(f"{name}: must be a list of lists of numbers")
        total += len(part)
        if total > 100_000:
            raise FieldError(f"{name}: too many points")
        numbers: list[float] = []
        for n in part:
            if isinstance(n, bool) or not isinstance(n, int | float) or not math.isfinite(n):
                raise FieldError(f"{name}: must be a list of lists of finite numbers")
            numbers.append(float(n))
        out.append(numbers)
    return out


def to_column(rule: FieldRule, value: JsonValue) -> object:
    """Return the database value of a canonical JSON field value."""
    if value is None:
        return None
    if rule.kind == "datetime":
        return datetime.fromisoformat(value)
    if rule.kind == "geometry":
        return json.dumps(value)
    return value


def from_column(rule: FieldRule, value: object) -> JsonValue:
    """Return the canonical JSON value of a database value."""
    if value is None:
        return None
    if rule.kind == "datetime":
        assert isinstance(value, datetime)
        return format_datetime(value)
    if rule.kind == "geometry":
        assert isinstance(value, str)
        return json.loads(value)
    if rule.kind == "float":
        assert isinstance(value, int | float)
        return float(value)
    return value


# Per entity type: (field name, its rule when the column value needs converting).
_ROW_PLANS: dict[str, tuple[tuple[str, FieldRule | None], ...]] = {}
_CONVERTED_KINDS = frozenset(("datetime", "geometry", "float"))


def _row_plan(etype: EntityType) -> tuple[tuple[str, FieldRule | None], ...]:
    plan = _ROW_PLANS.get(etype.name)
    if plan is None:
        plan = tuple(
            (rule.name, rule if rule.kind in _CONVERTED_KINDS else None) for rule in etype.fields
        )
        _ROW_PLANS[etype.name] = plan
    return plan


def row_json(etype: EntityType, row: Row[Any]) -> dict[str, JsonValue]:
    """Return the protocol JSON of an entity row."""
    m = row._mapping
    out: dict[str, JsonValue] = {"id": m["id"]}
    # The feed calls this for every row it sends: only the fields whose
    # kind needs it go through from_column (the others are stored as sent).
    for name, rule in _row_plan(etype):
        value = m[name]
        out[name] = value if rule is None or value is None else from_column(rule, value)
    out["rev"] = int(m["rev"])
    out["updated_at"] = format_datetime(m["updated_at"])
    out["deleted"] = bool(m["deleted"])
    return out
