"""Who may see what: the authorization rules of the feed and of mutations.

- A secretary (account role) manages the meetings they created and those in
  which they have a live participant row with the role ``secretary``: they
  see those meetings in any status and everything in them, whatever its
  classification. Other meetings they see as anyone else does (below).
- Everyone (chair, delegate, observer, and secretaries outside the meetings
  they manage) sees the meetings that are
  ``published`` or ``closed``, not deleted, and in which they have a
  non-deleted participant row (``participants.user_id``). Inside such a
  meeting their clearance is the lower of their account's clearance and the
  participant row's; they see documents and versions classified at or below
  it, and everything else of the meeting (agenda, participants, room, seats).
- Annotations: their author's own (on versions they may see), and the ones
  shared to the meeting (``visibility`` ``shared``) on versions they may see.
- Notes: only their author, always (secretaries included).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, RowMapping, and_, bindparam, insert, or_, select

from meetingroom.domain import Classification, MeetingStatus, Role
from server.accounts import User
from server.db import schema
from server.entities import ANNOTATION, DOCUMENT, DOCUMENT_VERSION, MEETING, NOTE, EntityType

VISIBLE_STATUSES = (MeetingStatus.PUBLISHED.value, MeetingStatus.CLOSED.value)


def is_visible_status(status: ColumnElement[str]) -> ColumnElement[bool]:
    """Return the SQL test that ``status`` is one in which participants see their meeting.

    Spelled ``status = 'published' OR status = 'closed'``, not ``IN``: SQLAlchemy
    renders an IN of a list anew at every execution (an "expanding" parameter),
    which cost 45 µs of the 160 µs of the participant lookup that every link
    request makes; these statements are compiled once and cached.
    """
    return or_(*(status == value for value in VISIBLE_STATUSES))


# Classification value (a plain str, as rows hold it) -> rank; the feed checks
# every row, and Classification(...).rank builds a list of the enum each time.
CLASSIFICATION_RANK: dict[str, int] = {c.value: i for i, c in enumerate(Classification)}


@dataclass
class Viewer:
    """What one user may see, loaded once per request."""

    user: User
    # True only for a viewer that sees everything (no account has that today;
    # kept for tools that read the whole database).
    manager: bool
    # Visible meeting id -> the user's effective clearance in it; a meeting
    # the user manages has TOP_SECRET.
    meetings: dict[str, Classification]
    _docs: dict[str, tuple[str, str]] | None = field(default=None)  # id -> (meeting, class)
    _versions: dict[str, tuple[str, str]] | None = field(default=None)  # id -> (doc, class)
    _conn: Connection | None = None
    # The meetings the user manages (secretaries): they may write in them.
    managed: frozenset[str] = frozenset()
    # Visible meeting id -> rank of the clearance in it (for per-row checks).
    _ranks: dict[str, int] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._ranks = {mid: CLASSIFICATION_RANK[c.value] for mid, c in self.meetings.items()}

    def _allows(self, meeting_id: str, level: str) -> bool:
        return self._ranks[meeting_id] >= CLASSIFICATION_RANK[level]

    def _load(self) -> None:
        if self._docs is not None or self._conn is None:
            return
        docs: dict[str, tuple[str, str]] = {}
        versions: dict[str, tuple[str, str]] = {}
        ids = list(self.meetings)
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            d, v = schema.documents, schema.document_versions
            for r in self._conn.execute(
                select(d.c.id, d.c.meeting_id, d.c.classification).where(d.c.meeting_id.in_(chunk))
            ):
                docs[r.id] = (r.meeting_id, r.classification)
            for r in self._conn.execute(
                select(v.c.id, v.c.document_id, v.c.classification).where(v.c.meeting_id.in_(chunk))
            ):
                versions[r.id] = (r.document_id, r.classification)
        self._docs, self._versions = docs, versions

    def document_visible(self, document_id: str) -> bool:
        """Return True when the user may see document ``document_id``."""
        if self.manager:
            return True
        self._load()
        assert self._docs is not None
        found = self._docs.get(document_id)
        if found is None:
            return False
        return found[0] in self._ranks and self._allows(found[0], found[1])

    def version_visible(self, version_id: str) -> bool:
        """Return True when the user may see document version ``version_id``."""
        if self.manager:
            return True
        self._load()
        assert self._versions is not None
        found = self._versions.get(version_id)
        if found is None or not self.document_visible(found[0]):
            return False
        assert self._docs is not None
        return self._allows(self._docs[found[0]][0], found[1])

    def meeting_visible(self, meeting_id: str) -> bool:
        """Return True when the user may see meeting ``meeting_id`` at all."""
        return self.manager or meeting_id in self.meetings

    def can_see(self, etype: EntityType, m: RowMapping) -> bool:
        """Return True when the user may see the entity row ``m`` of type ``etype``."""
        me = self.user.id
        if etype is NOTE:
            return bool(m["author_id"] == me)
        if etype is ANNOTATION:
            if m["author_id"] != me and m["visibility"] != "shared":
                return False
            return self.meeting_visible(m["meeting_id"]) and self.version_visible(m["version_id"])
        meeting_id = m["id"] if etype is MEETING else m["meeting_id"]
        if not self.meeting_visible(meeting_id):
            return False
        if self.manager:
            return True
        if etype is DOCUMENT:
            return self._allows(meeting_id, m["classification"])
        if etype is DOCUMENT_VERSION:
            return self._allows(meeting_id, m["classification"]) and (
                self.document_visible(m["document_id"])
            )
        return True


# The participant rows through which their user (bind parameter ``user_id``)
# sees a meeting, joined to their meetings: live rows of live published or
# closed meetings.
TAKING_PART = schema.participants.join(
    schema.meetings, schema.meetings.c.id == schema.participants.c.meeting_id
)
TAKING_PART_WHERE = (
    schema.participants.c.user_id == bindparam("user_id"),
    schema.participants.c.deleted.is_(False),
    schema.meetings.c.deleted.is_(False),
    is_visible_status(schema.meetings.c.status),
)
# Built once: every pull runs it, and building a statement costs more than running it.
_PARTICIPATIONS = (
    select(schema.participants.c.meeting_id, schema.participants.c.clearance)
    .select_from(TAKING_PART)
    .where(*TAKING_PART_WHERE)
)


def visible_meetings(conn: Connection, user: User) -> dict[str, Classification]:
    """Return the meetings a non-secretary ``user`` may see, with their clearance in each."""
    rows = conn.execute(_PARTICIPATIONS, {"user_id": user.id})
    return effective_clearances(((r.meeting_id, r.clearance) for r in rows), user)


def effective_clearances(
    participations: Iterable[tuple[str, str]], user: User
) -> dict[str, Classification]:
    """Return, for each meeting of ``participations`` (meeting id, the row's clearance),
    ``user``'s clearance in it: the lower of the account's and the row's, the highest
    of those should the user have several rows in one meeting."""
    out: dict[str, Classification] = {}
    for meeting_id, clearance in participations:
        level = Classification(clearance)
        effective = level if level.rank <= user.clearance.rank else user.clearance
        best = out.get(meeting_id)
        if best is None or effective.rank > best.rank:
            out[meeting_id] = effective
    return out


def managed_meetings(conn: Connection, user_id: str) -> set[str]:
    """Return the meetings a secretary manages: created by them, or with a live
    participant row of theirs with the role ``secretary`` (deleted meetings
    included, so their tombstones reach the secretary)."""
    p, mt = schema.participants, schema.meetings
    created = conn.execute(select(mt.c.id).where(mt.c.created_by == user_id))
    named = conn.execute(
        select(p.c.meeting_id).where(
            p.c.user_id == user_id,
            p.c.role == Role.SECRETARY.value,
            p.c.deleted.is_(False),
        )
    )
    return {str(r[0]) for r in created} | {str(r[0]) for r in named}


def load_viewer(conn: Connection, user: User) -> Viewer:
    """Return the Viewer of ``user`` on ``conn``."""
    meetings = visible_meetings(conn, user)
    managed: set[str] = set()
    if user.role is Role.SECRETARY:
        managed = managed_meetings(conn, user.id)
        meetings.update(dict.fromkeys(managed, Classification.TOP_SECRET))
    return Viewer(user, False, meetings, _conn=conn, managed=frozenset(managed))


def meeting_user_ids(conn: Connection, meeting_id: str) -> set[str]:
    """Return the accounts linked to ``meeting_id`` by a participant row (deleted or not)."""
    p = schema.participants
    rows = conn.execute(
        select(p.c.user_id).where(p.c.meeting_id == meeting_id, p.c.user_id.is_not(None))
    )
    return {str(r.user_id) for r in rows}


def has_access(conn: Connection, user_id: str, meeting_id: str) -> bool:
    """Return True when ``user_id`` currently sees ``meeting_id``: a live participant
    row in a visible meeting, or (secretaries) a meeting they manage."""
    p, mt, u = schema.participants, schema.meetings, schema.users
    role = conn.execute(select(u.c.role).where(u.c.id == user_id)).scalar()
    if role == Role.SECRETARY.value and meeting_id in managed_meetings(conn, user_id):
        return True
    row = conn.execute(
        select(p.c.id)
        .select_from(p.join(mt, mt.c.id == p.c.meeting_id))
        .where(
            and_(
                p.c.user_id == user_id,
                p.c.meeting_id == meeting_id,
                p.c.deleted.is_(False),
                mt.c.deleted.is_(False),
                is_visible_status(mt.c.status),
            )
        )
        .limit(1)
    ).first()
    return row is not None


def record_access_change(
    conn: Connection, rev: int, meeting_id: str, user_ids: set[str] | list[str]
) -> None:
    """Record that the access of ``user_ids`` to ``meeting_id`` may have changed at ``rev``.

    The feed re-sends the meeting's visible state to each of them (grant) or
    tells them to purge it (loss), according to the state when they pull.
    """
    rows: list[dict[str, Any]] = [
        {
            "user_id": uid,
            "meeting_id": meeting_id,
            "rev": rev,
            "kind": "grant" if has_access(conn, uid, meeting_id) else "loss",
        }
        for uid in sorted(set(user_ids))
    ]
    if rows:
        conn.execute(insert(schema.access_events), rows)
