"""Turns domain dataclasses into table rows and back.

A row holds the entity's plaintext columns (id, rev, updated_at, deleted and
foreign keys: what sync and joins need) and one ``content`` column: the
remaining fields as compact JSON, sealed with AES-256-GCM and bound to
(table, row id, "content"). What a meeting pack *says* lives only there.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from meetingroom import domain

E = TypeVar("E")

CONTENT = "content"
BOOKKEEPING = ("id", "rev", "updated_at", "deleted")

Decoder = Callable[[Any], Any]


def encode_value(value: object) -> object:
    """Return ``value`` as JSON-ready data (enums by value, datetimes in ISO 8601)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [encode_value(v) for v in value]
    return value


def _json_default(value: object) -> object:
    # json writes str-enums and tuples natively; only datetimes need help.
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__}")


_CONTENT_ENCODER = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), default=_json_default
)


def _decoder_for(hint: Any) -> Decoder:
    """Return a function turning JSON data back into a value of type ``hint``."""
    supertype = getattr(hint, "__supertype__", None)
    if supertype is not None:  # NewType ids
        return _decoder_for(supertype)
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        decode_inner = _decoder_for(inner[0])
        return lambda v: None if v is None else decode_inner(v)
    if origin is tuple:
        args = typing.get_args(hint)
        decode_item = _decoder_for(args[0])
        return lambda v: tuple(decode_item(x) for x in v)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint
    if hint is datetime:
        return datetime.fromisoformat
    if hint is bool:
        return bool
    if hint is float:
        return float
    return lambda v: v


@dataclass(frozen=True)
class EntitySpec(Generic[E]):
    """How one entity type is stored: its table and its plaintext columns."""

    table: str
    cls: type[E]
    plain: tuple[str, ...]  # foreign keys and sizes kept in the clear, besides BOOKKEEPING
    order_by: str = "rowid"
    _decoders: dict[str, Decoder] = dataclasses.field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        hints = typing.get_type_hints(self.cls, vars(domain))
        for f in dataclasses.fields(self.cls):  # type: ignore[arg-type]
            self._decoders[f.name] = _decoder_for(hints[f.name])

    @property
    def plain_columns(self) -> tuple[str, ...]:
        """Return every plaintext column: bookkeeping first, then the spec's own."""
        return BOOKKEEPING + self.plain

    @functools.cached_property
    def content_fields(self) -> tuple[str, ...]:
        """Return the fields that are stored encrypted."""
        plain = set(self.plain_columns)
        return tuple(f.name for f in dataclasses.fields(self.cls) if f.name not in plain)  # type: ignore[arg-type]

    def split(self, entity: E) -> tuple[dict[str, object], bytes]:
        """Return (plaintext columns, content JSON as UTF-8) for ``entity``."""
        values = {f.name: getattr(entity, f.name) for f in dataclasses.fields(self.cls)}  # type: ignore[arg-type]
        columns = {name: encode_value(values[name]) for name in self.plain_columns}
        columns["deleted"] = int(bool(values["deleted"]))
        content = {name: values[name] for name in self.content_fields}
        return columns, _CONTENT_ENCODER.encode(content).encode()

    def to_json(self, entity: E, fields: tuple[str, ...] | None = None) -> dict[str, object]:
        """Return ``entity`` as the protocol's JSON object (domain field names).

        ``fields`` limits the result to those names (all fields when None).
        """
        names = fields or tuple(f.name for f in dataclasses.fields(self.cls))  # type: ignore[arg-type]
        return {name: encode_value(getattr(entity, name)) for name in names}

    def from_json(self, raw: dict[str, Any]) -> E:
        """Return the entity described by the protocol's JSON object ``raw``.

        Unknown keys are ignored; missing ones take the domain defaults.

        Raises:
            ValueError, KeyError, TypeError: ``raw`` is not such an entity.
        """
        kwargs = {name: decode(raw[name]) for name, decode in self._decoders.items() if name in raw}
        return self.cls(**kwargs)

    def join(self, columns: dict[str, Any], content: bytes) -> E:
        """Return the entity stored as ``columns`` and decrypted ``content``.

        Raises:
            ValueError: the content is not the JSON this spec wrote.
        """
        raw: dict[str, Any] = json.loads(content)
        for name in self.plain_columns:
            raw[name] = columns[name]
        kwargs = {name: decode(raw[name]) for name, decode in self._decoders.items() if name in raw}
        return self.cls(**kwargs)


MEETINGS = EntitySpec("meetings", domain.Meeting, ())
AGENDA_ITEMS = EntitySpec(
    "agenda_items", domain.AgendaItem, ("meeting_id", "parent_id", "position"), "position"
)
DOCUMENTS = EntitySpec(
    "documents",
    domain.Document,
    ("meeting_id", "agenda_item_id", "current_version_id", "position"),
    "position",
)
DOCUMENT_VERSIONS = EntitySpec(
    "document_versions", domain.DocumentVersion, ("document_id", "number", "size"), "number"
)
PARTICIPANTS = EntitySpec("participants", domain.Participant, ("meeting_id", "user_id"))
ROOMS = EntitySpec("rooms", domain.Room, ("meeting_id",))
SEATS = EntitySpec("seats", domain.Seat, ("room_id", "participant_id"))
ANNOTATIONS = EntitySpec("annotations", domain.Annotation, ("version_id", "author_id"))
NOTES = EntitySpec("notes", domain.Note, ("meeting_id", "author_id"))

ALL_SPECS: tuple[EntitySpec[Any], ...] = (
    MEETINGS,
    AGENDA_ITEMS,
    DOCUMENTS,
    DOCUMENT_VERSIONS,
    PARTICIPANTS,
    ROOMS,
    SEATS,
    ANNOTATIONS,
    NOTES,
)
SPEC_BY_TABLE = {spec.table: spec for spec in ALL_SPECS}
SPEC_BY_CLASS: dict[type, EntitySpec[Any]] = {spec.cls: spec for spec in ALL_SPECS}
