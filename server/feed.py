"""The per-user change feed (``GET /api/v1/changes``).

The feed is one ordered stream per user. Each item has a key
``(rev, phase, meeting, type order, id)``:

- phase 0: access events at ``rev`` (a user gained or lost access to a
  meeting): the meeting's whole visible state, or a purge of the meeting;
- phase 1: entity rows written at ``rev``: the row if the user may see it,
  or (rows of a meeting the user sees, notes excepted) a purge entry.

The cursor is the key of the last item the client has (base64url JSON). Every
writer stamps its rows with a revision taken from ``revision_counter`` under a
row lock it holds until commit, so revisions commit in order; the feed reads
the counter first and returns only rows with ``rev`` at most that value
(all of them committed), so a cursor never passes a write that commits later.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, and_, or_, select

from server.accounts import User
from server.db import schema
from server.entities import (
    DOCUMENT,
    DOCUMENT_VERSION,
    MEETING,
    NOTE,
    TYPES,
    EntityType,
    row_json,
    valid_id,
)
from server.errors import ApiError
from server.visibility import Viewer, load_viewer

Key = tuple[int, int, str, int, str]
DEFAULT_LIMIT = 500
MAX_LIMIT = 2000


def resync_required(message: str) -> ApiError:
    """Return the 410 that tells the client to drop its cursor and pull from scratch."""
    return ApiError(410, "resync_required", message)


def encode_cursor(key: Key, chain: tuple[int, int] | None = None) -> str:
    """Return the opaque cursor of ``key`` (``chain``: base and start of a paged pull)."""
    rev, phase, group, order, ident = key
    data: dict[str, Any] = {"v": 1, "rev": rev}
    if phase != 2:
        data["at"] = [phase, group, order, ident]
    if chain is not None:
        data["chain"] = list(chain)
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Key, tuple[int, int] | None]:
    """Return the key and chain of ``cursor``; raise 410 resync_required if it is not ours."""
    bad = resync_required("The cursor is not valid; drop it and pull from scratch.")
    if len(cursor) > 1000:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError) as e:
        raise bad from e
    if not isinstance(data, dict) or data.get("v") != 1:
        raise bad
    rev = data.get("rev")
    if isinstance(rev, bool) or not isinstance(rev, int) or not 0 <= rev < 2**62:
        raise bad
    at = data.get("at", [2, "", 0, ""])
    if (
        not isinstance(at, list)
        or len(at) != 4
        or at[0] not in (0, 1, 2)
        or not (at[1] == "" or valid_id(at[1]))
        or isinstance(at[2], bool)
        or not isinstance(at[2], int)
        or not -1 <= at[2] < 100
        or not (at[3] == "" or valid_id(at[3]))
    ):
        raise bad
    chain = data.get("chain")
    if chain is not None:
        if (
            not isinstance(chain, list)
            or len(chain) != 2
            or not all(isinstance(c, int) and not isinstance(c, bool) for c in chain)
            or not 0 <= chain[1] < 2**62
            or not 0 <= chain[0] <= rev
        ):
            raise bad
        return (rev, int(at[0]), at[1], at[2], at[3]), (chain[0], chain[1])
    return (rev, int(at[0]), at[1], at[2], at[3]), None


@dataclass(frozen=True, slots=True)
class _Item:
    key: Key
    type: str
    entity: dict[str, Any] | None  # None: a purge of (type, id)
    ident: str


def current_revision(conn: Connection) -> int:
    """Return the revision of the last committed write."""
    value = conn.execute(
        select(schema.revision_counter.c.value).where(schema.revision_counter.c.id == 1)
    ).scalar_one()
    return int(value)


def _meeting_column(etype: EntityType) -> Any:
    return etype.table.c.id if etype is MEETING else etype.table.c.meeting_id


def _existed_before(m: Any, since: int) -> bool:
    """Return True when the row was created at or before revision ``since``."""
    field_revs: dict[str, int] = json.loads(m["field_revs"])
    return bool(field_revs) and min(field_revs.values()) <= since


def _row_item(viewer: Viewer, etype: EntityType, row: Any, key: Key, since: int) -> _Item | None:
    m = row._mapping
    if viewer.can_see(etype, m):
        return _Item(key, etype.name, row_json(etype, row), m["id"])
    if etype is NOTE or (etype is not DOCUMENT and etype is not DOCUMENT_VERSION and m["deleted"]):
        return None
    if not _existed_before(m, since):
        # Created after the client's cursor and never visible to it: a purge
        # would only tell the client the id of something it may not see.
        return None
    meeting_id = m["id"] if etype is MEETING else m["meeting_id"]
    if viewer.meeting_visible(meeting_id):
        # Visible once perhaps (classification raised, annotation unshared): purge it.
        return _Item(key, etype.name, None, m["id"])
    return None


def _grants(
    conn: Connection, viewer: Viewer, cursor: Key, chain: tuple[int, int], high: int
) -> list[_Item]:
    """Return the items of access events after ``cursor``.

    A grant re-sends the meeting's rows the client may have skipped: those
    with ``rev`` at most the cursor's. When the grant is older than the start
    of this paged pull (``chain``), access has not changed since, so every
    row newer than the chain's base arrives as an ordinary change and only
    rows up to the base are re-sent (no duplicates on a first full pull).
    """
    base, start = chain
    ev = schema.access_events
    rows = conn.execute(
        select(ev.c.meeting_id, ev.c.rev)
        .where(ev.c.user_id == viewer.user.id, ev.c.rev >= cursor[0], ev.c.rev <= high)
        .order_by(ev.c.rev)
    ).all()
    latest: dict[str, int] = {}
    for r in rows:
        latest[str(r.meeting_id)] = int(r.rev)
    items: list[_Item] = []
    for meeting_id, rev in latest.items():
        if (rev, 0, meeting_id) < cursor[:3]:
            continue
        if not viewer.meeting_visible(meeting_id):
            key: Key = (rev, 0, meeting_id, MEETING.order, meeting_id)
            items.append(_Item(key, MEETING.name, None, meeting_id))
            continue
        upto = base if rev <= start else cursor[0]
        if upto < 1:
            # Every write takes a revision of at least 1 (the counter starts
            # at 0): nothing to re-send, so skip a query per entity type. This
            # is every grant of a first full pull.
            continue
        for etype in TYPES:
            t = etype.table
            query = select(t).where(_meeting_column(etype) == meeting_id, t.c.rev <= upto)
            query = query.where(t.c.deleted.is_(False))
            for row in conn.execute(query):
                key = (rev, 0, meeting_id, etype.order, row.id)
                item = _row_item(viewer, etype, row, key, cursor[0])
                if item is not None:
                    items.append(item)
    return [i for i in items if i.key > cursor]


def _after(etype: EntityType, cursor: Key) -> ColumnElement[bool]:
    t = etype.table
    rev, phase, _group, order, ident = cursor
    if phase == 0:
        return t.c.rev >= rev
    if phase == 1:
        if etype.order > order:
            return t.c.rev >= rev
        if etype.order == order:
            return or_(t.c.rev > rev, and_(t.c.rev == rev, t.c.id > ident))
    return t.c.rev > rev


def pull(engine: Engine, user: User, since: str | None, limit: int) -> dict[str, Any]:
    """Return one page of ``user``'s feed after cursor ``since`` (None: from scratch)."""
    cursor, chain = decode_cursor(since) if since is not None else ((0, 2, "", 0, ""), None)
    options: dict[str, Any] = {}
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"
    with engine.connect().execution_options(**options) as conn:
        high = current_revision(conn)
        if cursor[0] > high:
            raise resync_required("The cursor is from the future; drop it and pull from scratch.")
        if chain is None:
            chain = (cursor[0], high)
        viewer = load_viewer(conn, user)
        items: list[_Item] = [] if viewer.manager else _grants(conn, viewer, cursor, chain, high)
        boundary: Key | None = None
        for etype in TYPES:
            t = etype.table
            query = select(t).where(t.c.rev <= high, _after(etype, cursor))
            if etype is NOTE:
                query = query.where(t.c.author_id == user.id)
            if not viewer.manager:
                if not viewer.meetings:
                    continue
                query = query.where(_meeting_column(etype).in_(list(viewer.meetings)))
            rows = conn.execute(query.order_by(t.c.rev, t.c.id).limit(limit + 1)).all()
            if len(rows) > limit:
                last: Key = (int(rows[-1].rev), 1, "", etype.order, rows[-1].id)
                boundary = last if boundary is None or last < boundary else boundary
            for row in rows:
                item = _row_item(
                    viewer, etype, row, (int(row.rev), 1, "", etype.order, row.id), cursor[0]
                )
                if item is not None:
                    items.append(item)
        conn.rollback()
    items.sort(key=lambda i: i.key)
    if boundary is not None:
        items = [i for i in items if i.key <= boundary]
    if len(items) > limit:
        page = items[:limit]
        next_key = page[-1].key
        has_more = True
    elif boundary is not None:
        page, next_key, has_more = items, boundary, True
    else:
        page, next_key, has_more = items, (high, 2, "", 0, ""), False
    return {
        "changes": [{"type": i.type, "entity": i.entity} for i in page if i.entity is not None],
        "purge": [{"type": i.type, "id": i.ident} for i in page if i.entity is None],
        "cursor": encode_cursor(next_key, chain if has_more else None),
        "has_more": has_more,
    }


def pull_json(engine: Engine, user: User, since: str | None, limit: int) -> bytes:
    """Return :func:`pull`'s page as the UTF-8 JSON body of the response."""
    page = pull(engine, user, since, limit)
    return json.dumps(page, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
