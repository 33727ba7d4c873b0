"""Server entity JSON ↔ domain dataclasses, and outbox entries → mutation operations.

Field names are the domain's (docs/protocol.md), so the store codec's
decoders do the work.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from meetingroom.services import TABLE_BY_TYPE, TYPE_BY_TABLE
from meetingroom.store import codec
from meetingroom.store.outbox import OutboxEntry

__all__ = [
    "REFERENCES",
    "TABLE_BY_TYPE",
    "TYPE_BY_TABLE",
    "changed_fields",
    "decode",
    "encode",
    "merge",
    "operation",
    "restore_references",
]

# Fields that point at another entity of the same meeting and may be set
# after that entity was made (table -> field -> table pointed at). The server
# refuses a reference to an entity it does not have yet, so a push holds such
# a field back until its target is on the server (see ``SyncEngine._push``).
REFERENCES: dict[str, dict[str, str]] = {
    "documents": {"agenda_item_id": "agenda_items", "current_version_id": "document_versions"},
    "agenda_items": {"parent_id": "agenda_items"},
    "seats": {"participant_id": "participants"},
}

# Never sent in ``fields``: the server sets or refuses them.
_SERVER_FIELDS = ("id", "rev", "updated_at", "deleted")


def decode(type_: str, raw: dict[str, Any]) -> Any:
    """Return the domain entity of protocol ``type_`` described by ``raw``.

    Raises:
        KeyError: unknown type. ValueError, TypeError: malformed entity.
    """
    return codec.SPEC_BY_TABLE[TABLE_BY_TYPE[type_]].from_json(raw)


def encode(entity: Any) -> dict[str, object]:
    """Return ``entity`` as protocol JSON."""
    return codec.SPEC_BY_CLASS[type(entity)].to_json(entity)


def changed_fields(entity: Any, base: dict[str, Any] | None) -> dict[str, object]:
    """Return the fields of ``entity`` that differ from ``base`` (all when no base)."""
    current = encode(entity)
    fields = {k: v for k, v in current.items() if k not in _SERVER_FIELDS}
    if base is None:
        return fields
    return {k: v for k, v in fields.items() if base.get(k) != v}


def operation(entry: OutboxEntry, entity: Any, base: dict[str, Any] | None) -> dict[str, object]:
    """Return the mutation operation that pushes ``entry`` (the entity's current state)."""
    type_ = TYPE_BY_TABLE[entry.entity_table]
    if entity.deleted:
        action, fields = "delete", {}
    elif entry.base_rev is None:
        action, fields = "create", changed_fields(entity, None)
    else:
        action, fields = "update", changed_fields(entity, base)
    return {
        "op_id": entry.op_id,
        "type": type_,
        "action": action,
        "id": entity.id,
        "base_rev": entry.base_rev,
        "fields": fields,
    }


def merge(local: Any, server: Any, base: dict[str, Any] | None, conflicting: list[str]) -> Any:
    """Return ``server`` with the local edits that do not conflict applied on top.

    Fields the user changed (``local`` differs from ``base``) and that are not
    in ``conflicting`` are taken from ``local``; everything else is the server's.
    """
    changed = changed_fields(local, base)
    keep = {k for k in changed if k not in conflicting}
    if not keep:
        return server
    return dataclasses.replace(server, **{k: getattr(local, k) for k in keep})


def restore_references(local: Any, server: Any, base: dict[str, Any] | None) -> Any | None:
    """Return ``server`` with the user's held-back references put back, or None if none were.

    A reference the user set (``local`` differs from ``base``) that the
    server's state lacks after an applied push was held back because its
    target was not on the server yet; the returned entity goes out again as
    an update once the target is there.
    """
    if local.deleted or server.deleted:
        return None
    refs = REFERENCES.get(codec.SPEC_BY_CLASS[type(local)].table, {})
    changed = changed_fields(local, base)
    keep = {
        name: getattr(local, name)
        for name in refs
        if name in changed and getattr(local, name) != getattr(server, name)
    }
    return dataclasses.replace(server, **keep) if keep else None
