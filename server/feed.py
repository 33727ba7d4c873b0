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
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, and_, bindparam, exists, or_, select

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
# How long a request waits for another to make the shared first page it needs.
MAKE_WAIT = 10.0


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


_REVISION = select(schema.revision_counter.c.value).where(schema.revision_counter.c.id == 1)


def current_revision(conn: Connection) -> int:
    """Return the revision of the last committed write."""
    return int(conn.execute(_REVISION).scalar_one())


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


class FirstPageCache:
    """Encoded first pages (``since`` omitted) of the feed, shared by users who would get
    the very same bytes: at the 8 a.m. rush every delegate of a meeting pulls it from
    scratch at once, and building the page is most of the cost of ``changes``.

    A page is only ever stored or served under :func:`shared_page_key`, which
    names everything such a page depends on: the latest committed revision
    (so any write, by any server process, makes a new key: nothing to
    invalidate, and processes never disagree), the page size, and the
    caller's visible meetings with their clearance in each. Callers whose
    page would hold anything of their own (their annotations or notes, a
    purge of a meeting they lost) have no key and are never cached. Bounded:
    the least recently used pages go first.
    """

    def __init__(self, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[Hashable, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._making: dict[Hashable, threading.Event] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> bytes | None:
        """Return the page stored under ``key``, or None."""
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return page

    def get_or_make(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        """Return the page under ``key``, made by ``make()`` (and stored) if it is missing.

        When many requests want the same missing page at once (every delegate
        at the rush), one makes it and the others wait for it rather than all
        making it; a waiter that waits too long makes its own.
        """
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
                self.hits += 1
                return page
            self.misses += 1
            making = self._making.get(key)
            if making is None:
                self._making[key] = threading.Event()
        if making is not None:
            if making.wait(MAKE_WAIT):
                with self._lock:
                    page = self._pages.get(key)
                if page is not None:
                    return page
            return make()
        try:
            page = make()
            self.put(key, page)
            return page
        finally:
            with self._lock:
                self._making.pop(key).set()

    def put(self, key: Hashable, page: bytes) -> None:
        """Store ``page`` under ``key``, dropping the least recently used pages over the bound."""
        if len(page) > self.max_bytes // 4:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old)
            self._pages[key] = page
            self._bytes += len(page)
            while self._bytes > self.max_bytes:
                _, dropped = self._pages.popitem(last=False)
                self._bytes -= len(dropped)


# Built once (every first pull runs them; building costs more than running).
_OWN_CONTENT = select(
    exists().where(schema.annotation_rows.c.author_id == bindparam("me")).label("annotations"),
    exists().where(schema.notes.c.author_id == bindparam("me")).label("notes"),
)
_ACCESS_EVENTS_OF = (
    select(schema.access_events.c.meeting_id)
    .where(
        schema.access_events.c.user_id == bindparam("me"),
        schema.access_events.c.rev <= bindparam("high"),
    )
    .distinct()
)


def shared_page_key(conn: Connection, viewer: Viewer, high: int, limit: int) -> Hashable | None:
    """Return the key under which ``viewer``'s first page at revision ``high`` may be shared,
    or None when the page could hold something of the user's own.

    On a first pull the page is a function of the rows at revisions up to
    ``high`` in the visible meetings, filtered by the clearance in each, and
    of three things tied to the user, each of which makes the page personal:
    annotations they wrote (private ones are theirs alone), notes they wrote,
    and access events of meetings they no longer see (a purge of that
    meeting). Access events of meetings they still see re-send nothing on a
    first pull. With none of the three, two users with the same visible
    meetings and clearances get the same page, whatever their id or role.
    """
    me = viewer.user.id
    own = conn.execute(_OWN_CONTENT, {"me": me}).one()
    if own.annotations or own.notes:
        return None
    touched = conn.execute(_ACCESS_EVENTS_OF, {"me": me, "high": high}).scalars()
    if any(str(meeting_id) not in viewer.meetings for meeting_id in touched):
        return None
    meetings = tuple(sorted((mid, c.value) for mid, c in viewer.meetings.items()))
    return ("first-page", high, limit, meetings)


def pull(engine: Engine, user: User, since: str | None, limit: int) -> dict[str, Any]:
    """Return one page of ``user``'s feed after cursor ``since`` (None: from scratch)."""
    page = _pull(engine, user, since, limit, None)
    assert isinstance(page, dict)
    return page


def _pull(
    engine: Engine,
    user: User,
    since: str | None,
    limit: int,
    cache: FirstPageCache | None,
) -> dict[str, Any] | bytes:
    """Return :func:`pull`'s page; with ``cache``, a first page that
    :func:`shared_page_key` allows to share may come back already encoded."""
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
        key = None
        if cache is not None and since is None:
            key = shared_page_key(conn, viewer, high, limit)
        if key is not None and cache is not None:
            made = chain
            body = cache.get_or_make(
                key, lambda: encode_page(_page(conn, viewer, cursor, made, high, limit))
            )
            conn.rollback()
            return body
        page = _page(conn, viewer, cursor, chain, high, limit)
        conn.rollback()
    return page


def _page(
    conn: Connection,
    viewer: Viewer,
    cursor: Key,
    chain: tuple[int, int],
    high: int,
    limit: int,
) -> dict[str, Any]:
    user = viewer.user
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


def encode_page(page: dict[str, Any]) -> bytes:
    """Return ``page`` as the UTF-8 JSON body of the response."""
    return json.dumps(page, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def pull_json(
    engine: Engine,
    user: User,
    since: str | None,
    limit: int,
    cache: FirstPageCache | None = None,
) -> bytes:
    """Return :func:`pull`'s page as the UTF-8 JSON body of the response."""
    page = _pull(engine, user, since, limit, cache)
    return page if isinstance(page, bytes) else encode_page(page)
