"""Batched create/update/delete operations (``POST /api/v1/mutations``).

A batch is one transaction. It first takes the next global revision
(``UPDATE revision_counter ... RETURNING value``), which row-locks the
counter until commit: writers therefore commit in revision order, which is
what lets the feed's cursor never skip a late commit (see server.feed).
Every row the batch writes is stamped with that revision.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, RowMapping, insert, select, update

from meetingroom.domain import Role, utcnow
from server.accounts import User
from server.db import schema
from server.entities import (
    AGENDA_ITEM,
    ANNOTATION,
    BY_NAME,
    DOCUMENT,
    DOCUMENT_VERSION,
    MEETING,
    NOTE,
    PARTICIPANT,
    SEAT,
    EntityType,
    FieldError,
    check_field,
    from_column,
    row_json,
    to_column,
    valid_id,
)
from server.visibility import Viewer, load_viewer, meeting_user_ids, record_access_change

MAX_OPS = 500
ACTIONS = ("create", "update", "delete")
_IGNORED = ("id", "rev", "updated_at")


class Rejected(Exception):
    """An operation the server refuses; ``code`` is stable, the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Operation:
    """One validated operation envelope."""

    op_id: str
    etype: EntityType
    action: str
    id: str
    base_rev: int | None
    fields: dict[str, Any]


def take_revision(conn: Connection) -> int:
    """Return the next global revision; holds the counter's row lock until commit."""
    rc = schema.revision_counter
    value = conn.execute(
        update(rc).where(rc.c.id == 1).values(value=rc.c.value + 1).returning(rc.c.value)
    ).scalar_one()
    return int(value)


def parse_operation(raw: object) -> Operation:
    """Return the operation in ``raw`` (a JSON object) or raise Rejected."""
    if not isinstance(raw, dict):
        raise Rejected("invalid_operation", "each operation must be a JSON object")
    op_id = raw.get("op_id")
    if not isinstance(op_id, str) or not 1 <= len(op_id) <= 64 or "\x00" in op_id:
        raise Rejected("invalid_operation", "op_id must be a string of 1-64 characters")
    unknown = set(raw) - {"op_id", "type", "action", "id", "base_rev", "fields"}
    if unknown:
        raise Rejected("invalid_operation", f"unknown keys: {', '.join(sorted(unknown))}")
    type_name = raw.get("type")
    etype = BY_NAME.get(type_name) if isinstance(type_name, str) else None
    if etype is None:
        raise Rejected("unknown_type", f"type must be one of {', '.join(BY_NAME)}")
    action = raw.get("action")
    if action not in ACTIONS:
        raise Rejected("invalid_operation", "action must be create, update or delete")
    ident = raw.get("id")
    if not valid_id(ident):
        raise Rejected("invalid_operation", "id must be an id of 1-36 characters")
    base_rev = raw.get("base_rev")
    if base_rev is not None and (
        isinstance(base_rev, bool) or not isinstance(base_rev, int) or not 0 <= base_rev < 2**62
    ):
        raise Rejected("invalid_operation", "base_rev must be null or a non-negative integer")
    fields = raw.get("fields", {})
    if not isinstance(fields, dict):
        raise Rejected("invalid_operation", "fields must be a JSON object")
    assert isinstance(ident, str)
    assert isinstance(action, str)
    return Operation(op_id, etype, action, ident, base_rev, fields)


def _check_fields(op: Operation) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in op.fields.items():
        if name in _IGNORED:
            if name == "id" and value != op.id:
                raise Rejected("invalid_field", "fields.id differs from the operation's id")
            continue
        rule = op.etype.rule(name)
        if rule is None:
            raise Rejected("unknown_field", f"{op.etype.name} has no field {name!r}")
        try:
            out[name] = check_field(rule, value)
        except FieldError as e:
            raise Rejected("invalid_field", str(e)) from e
    return out


class _Batch:
    def __init__(self, conn: Connection, user: User, rev: int) -> None:
        self.conn = conn
        self.user = user
        self.rev = rev
        self.now = utcnow()
        self.viewer: Viewer = load_viewer(conn, user)

    def refresh(self) -> None:
        self.viewer = load_viewer(self.conn, self.user)

    def get(self, etype: EntityType, ident: str) -> RowMapping | None:
        row = self.conn.execute(select(etype.table).where(etype.table.c.id == ident)).first()
        return None if row is None else row._mapping

    def live(self, etype: EntityType, ident: str, what: str) -> RowMapping:
        m = self.get(etype, ident)
        if m is None or m["deleted"]:
            raise Rejected("not_found", f"no {etype.name} {ident!r} ({what})")
        return m

    # --- authorization and references ------------------------------------

    def is_chair(self, meeting_id: str) -> bool:
        if not self.viewer.meeting_visible(meeting_id):
            return False
        if self.user.role is Role.CHAIR:
            return True
        p = schema.participants
        row = self.conn.execute(
            select(p.c.id).where(
                p.c.meeting_id == meeting_id,
                p.c.user_id == self.user.id,
                p.c.role == Role.CHAIR.value,
                p.c.deleted.is_(False),
            )
        ).first()
        return row is not None

    def meeting_of(self, etype: EntityType, ident: str, values: dict[str, Any]) -> str:
        """Return the meeting the entity belongs to, checking its parent exists."""
        if etype is MEETING:
            return ident
        if etype is DOCUMENT_VERSION:
            return str(self.live(DOCUMENT, values["document_id"], "document_id")["meeting_id"])
        if etype is SEAT:
            return str(self.live(BY_NAME["room"], values["room_id"], "room_id")["meeting_id"])
        if etype is ANNOTATION:
            version = self.live(DOCUMENT_VERSION, values["version_id"], "version_id")
            if not self.viewer.can_see(DOCUMENT_VERSION, version):
                raise Rejected("not_found", f"no document_version {values['version_id']!r}")
            return str(version["meeting_id"])
        meeting_id = str(values["meeting_id"])
        self.live(MEETING, meeting_id, "meeting_id")
        return meeting_id

    def authorize(
        self, etype: EntityType, meeting_id: str, values: dict[str, Any], changed: set[str]
    ) -> None:
        if etype in (ANNOTATION, NOTE):
            if values["author_id"] != self.user.id:
                raise Rejected("forbidden", "you may only write your own annotations and notes")
            if not self.viewer.meeting_visible(meeting_id):
                raise Rejected("not_found", f"no meeting {meeting_id!r}")
            return
        if self.user.role is Role.SECRETARY and (
            meeting_id in self.viewer.managed
            or (etype is MEETING and self.get(MEETING, meeting_id) is None)
        ):
            return  # a meeting they manage, or a new one (they become its creator)
        if self.user.role is Role.SECRETARY and not self.viewer.meeting_visible(meeting_id):
            raise Rejected("not_found", f"no meeting {meeting_id!r}")
        if etype is MEETING and changed <= {"status"} and self.is_chair(meeting_id):
            return
        raise Rejected("forbidden", f"your role may not write {etype.name} entities")

    def check_refs(self, etype: EntityType, meeting_id: str, ident: str, v: dict[str, Any]) -> None:
        def same_meeting(target: EntityType, key: str) -> None:
            if v.get(key) is not None:
                row = self.live(target, v[key], key)
                if row["meeting_id"] != meeting_id:
                    raise Rejected("invalid_field", f"{key}: belongs to another meeting")

        if etype is AGENDA_ITEM:
            same_meeting(AGENDA_ITEM, "parent_id")
            if v.get("parent_id") == ident:
                raise Rejected("invalid_field", "parent_id: an item cannot be its own parent")
        elif etype is DOCUMENT:
            same_meeting(AGENDA_ITEM, "agenda_item_id")
            if v.get("current_version_id") is not None:
                version = self.live(DOCUMENT_VERSION, v["current_version_id"], "current_version_id")
                if version["document_id"] != ident:
                    raise Rejected("invalid_field", "current_version_id: not a version of this")
        elif etype is SEAT:
            same_meeting(PARTICIPANT, "participant_id")
        elif etype is PARTICIPANT and v.get("user_id") is not None:
            u = schema.users
            if self.conn.execute(select(u.c.id).where(u.c.id == v["user_id"])).first() is None:
                raise Rejected("invalid_field", "user_id: no such user")

    # --- side effects ---------------------------------------------------------

    def access_effects(
        self,
        etype: EntityType,
        meeting_id: str,
        old: dict[str, Any] | None,
        new: dict[str, Any],
        changed: set[str],
    ) -> None:
        users: set[str] = set()
        if etype is PARTICIPANT:
            users = {x for x in (new.get("user_id"), (old or {}).get("user_id")) if x}
        elif (etype is MEETING and ("status" in changed or "deleted" in changed)) or (
            etype in (DOCUMENT, DOCUMENT_VERSION) and "classification" in changed and old
        ):
            users = meeting_user_ids(self.conn, meeting_id)
        if users:
            record_access_change(self.conn, self.rev, meeting_id, users)
            self.refresh()

    # --- the three actions ----------------------------------------------------

    def current(self, etype: EntityType, m: RowMapping) -> dict[str, Any]:
        return {r.name: from_column(r, m[r.name]) for r in etype.fields}

    def create(self, op: Operation, given: dict[str, Any]) -> dict[str, Any]:
        etype = op.etype
        if "deleted" in op.fields:
            raise Rejected("invalid_field", "use the delete action to delete")
        values: dict[str, Any] = {}
        for rule in etype.fields:
            if rule.name in given:
                values[rule.name] = given[rule.name]
            elif rule.required:
                raise Rejected("missing_field", f"{etype.name} needs field {rule.name!r}")
            else:
                values[rule.name] = rule.default
        meeting_id = self.meeting_of(etype, op.id, values)
        self.authorize(etype, meeting_id, values, set(values))
        self.check_refs(etype, meeting_id, op.id, values)
        row = {r.name: to_column(r, values[r.name]) for r in etype.fields}
        if etype is not MEETING:
            row["meeting_id"] = meeting_id
        self.conn.execute(
            insert(etype.table).values(
                id=op.id,
                **row,
                rev=self.rev,
                updated_at=self.now,
                deleted=False,
                field_revs=json.dumps({r.name: self.rev for r in etype.fields}),
                created_by=self.user.id,
            )
        )
        self.access_effects(etype, meeting_id, None, values, set(values) | {"deleted"})
        if etype is MEETING:
            self.refresh()  # its creator manages it from the next operation on
        return self.applied(op)

    def update(self, op: Operation, given: dict[str, Any], existing: RowMapping) -> dict[str, Any]:
        etype = op.etype
        if "deleted" in op.fields:
            raise Rejected("invalid_field", "use the delete action to delete")
        if existing["deleted"]:
            raise Rejected("deleted", f"{etype.name} {op.id!r} has been deleted")
        current = self.current(etype, existing)
        diffs = {k: v for k, v in given.items() if current[k] != v}
        for name in diffs:
            rule = etype.rule(name)
            if rule is not None and rule.immutable:
                raise Rejected("immutable_field", f"{name} cannot change after create")
        merged = {**current, **given}
        meeting_id = str(existing["id"] if etype is MEETING else existing["meeting_id"])
        self.authorize(etype, meeting_id, merged, set(diffs))
        field_revs: dict[str, int] = json.loads(existing["field_revs"])
        base = op.base_rev or 0
        conflicts = sorted(k for k in diffs if field_revs.get(k, 0) > base)
        if conflicts:
            row = self.conn.execute(select(etype.table).where(etype.table.c.id == op.id)).one()
            return {
                "op_id": op.op_id,
                "status": "conflict",
                "entity": row_json(etype, row),
                "fields": conflicts,
            }
        if not diffs:
            return self.applied(op)
        self.check_refs(etype, meeting_id, op.id, merged)
        for name in diffs:
            field_revs[name] = self.rev
        self.conn.execute(
            update(etype.table)
            .where(etype.table.c.id == op.id)
            .values(
                **{n: to_column(etype.rule(n), v) for n, v in diffs.items()},  # type: ignore[arg-type]
                rev=self.rev,
                updated_at=self.now,
                field_revs=json.dumps(field_revs),
            )
        )
        self.access_effects(etype, meeting_id, current, merged, set(diffs))
        return self.applied(op)

    def delete(self, op: Operation, existing: RowMapping) -> dict[str, Any]:
        etype = op.etype
        current = self.current(etype, existing)
        meeting_id = str(existing["id"] if etype is MEETING else existing["meeting_id"])
        self.authorize(etype, meeting_id, current, {"deleted"})
        if not existing["deleted"]:
            field_revs: dict[str, int] = json.loads(existing["field_revs"])
            field_revs["deleted"] = self.rev
            self.conn.execute(
                update(etype.table)
                .where(etype.table.c.id == op.id)
                .values(
                    deleted=True,
                    rev=self.rev,
                    updated_at=self.now,
                    field_revs=json.dumps(field_revs),
                )
            )
            self.access_effects(etype, meeting_id, current, current, {"deleted"})
        return self.applied(op)

    def applied(self, op: Operation) -> dict[str, Any]:
        row = self.conn.execute(select(op.etype.table).where(op.etype.table.c.id == op.id)).one()
        entity = row_json(op.etype, row)
        return {"op_id": op.op_id, "status": "applied", "rev": entity["rev"], "entity": entity}

    def run(self, raw: object) -> dict[str, Any]:
        op_id = raw.get("op_id") if isinstance(raw, dict) else None
        try:
            op = parse_operation(raw)
        except Rejected as e:
            return _rejected(op_id if isinstance(op_id, str) else None, e)
        ao = schema.applied_ops
        stored = self.conn.execute(select(ao).where(ao.c.op_id == op.op_id)).first()
        if stored is not None:
            if stored.user_id != self.user.id:
                return _rejected(
                    op.op_id, Rejected("op_id_taken", "op_id was used by another user")
                )
            result: dict[str, Any] = json.loads(stored.result_json)
            return result
        try:
            result = self.dispatch(op)
        except Rejected as e:
            return _rejected(op.op_id, e)
        if result["status"] == "applied":
            self.conn.execute(
                insert(ao).values(
                    op_id=op.op_id,
                    user_id=self.user.id,
                    rev=result["rev"],
                    result_json=json.dumps(result),
                )
            )
        return result

    def dispatch(self, op: Operation) -> dict[str, Any]:
        given = _check_fields(op)
        existing = self.get(op.etype, op.id)
        if existing is not None and not self.viewer.can_see(op.etype, existing):
            if op.action == "create":
                raise Rejected("id_taken", f"{op.etype.name} id {op.id!r} is taken")
            raise Rejected("not_found", f"no {op.etype.name} {op.id!r}")
        if op.action == "create":
            if existing is None:
                return self.create(op, given)
            if existing["created_by"] != self.user.id:
                raise Rejected("id_taken", f"{op.etype.name} id {op.id!r} is taken")
            return self.update(op, given, existing)
        if existing is None:
            raise Rejected("not_found", f"no {op.etype.name} {op.id!r}")
        if op.action == "update":
            return self.update(op, given, existing)
        return self.delete(op, existing)


def _rejected(op_id: str | None, e: Rejected) -> dict[str, Any]:
    return {"op_id": op_id, "status": "rejected", "error": e.code, "message": e.message}


def apply_batch(
    engine: Engine,
    user: User,
    operations: list[Any],
    after_revision: Callable[[int], None] | None = None,
) -> list[dict[str, Any]]:
    """Apply ``operations`` for ``user`` in one transaction; return one result per operation.

    ``after_revision`` (tests only) runs right after the revision is taken,
    inside the transaction, to widen the window between taking it and commit.
    """
    with engine.begin() as conn:
        rev = take_revision(conn)
        if after_revision is not None:
            after_revision(rev)
        batch = _Batch(conn, user, rev)
        return [batch.run(raw) for raw in operations]
