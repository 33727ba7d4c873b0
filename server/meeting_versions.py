"""The live document versions of each meeting, shared by every request at one revision.

Every delegate's link request at the 8 a.m. rush asks which versions of the
same meeting they may download. The one join that answered it (versions,
documents, meetings, the caller's participant rows) was about a quarter of
the request's instructions, and its answer differs between delegates only
by their clearance. Here the versions of a meeting are read once per
database revision and kept; each request reads only its own participant
rows and filters the kept list by its clearance.

Every write to versions, documents, meetings or participants takes a new
revision from ``revision_counter`` in its own transaction (server.mutations),
so a meeting's versions are a function of (meeting, revision): nothing to
invalidate, and server processes never disagree. Both statements read the
revision in the same statement as the rows, so each answer is known to be
that of one revision; when the participant rows and a meeting's versions
come from different revisions (a write committed in between), the caller
falls back to the single join.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, and_, bindparam, select

from meetingroom.domain import Classification
from server.accounts import User
from server.db import schema
from server.db.prepared import PreparedSelect
from server.visibility import (
    CLASSIFICATION_RANK,
    TAKING_PART,
    TAKING_PART_WHERE,
    effective_clearances,
)


@dataclass(frozen=True, slots=True)
class VersionEntry:
    """One live document version of a meeting, with the rank a reader's clearance must reach."""

    sha256: str
    version_id: str
    rank: int  # the highest of the version's and its document's classification ranks


def _at_revision(columns: list[Any], rows: Any, *conditions: Any) -> Select[Any]:
    """Return the SELECT of the revision and ``columns`` of the ``rows`` meeting ``conditions``.

    The counter LEFT JOIN the rows: one row (with NULLs) even when there are
    none, so the revision always comes back, read in the same statement as
    the rows.
    """
    rc = schema.revision_counter
    return (
        select(rc.c.value, *columns)
        .select_from(rc.outerjoin(rows, and_(*conditions)))
        .where(rc.c.id == 1)
    )


def _statements() -> tuple[Select[Any], Select[Any]]:
    """Return the participations and meeting-versions statements, built once (every
    link request runs them; building a statement costs more than running it)."""
    p = schema.participants
    v, d = schema.document_versions, schema.documents
    participations = _at_revision([p.c.meeting_id, p.c.clearance], TAKING_PART, *TAKING_PART_WHERE)
    versions = _at_revision(
        [
            v.c.sha256,
            v.c.id,
            v.c.classification,
            d.c.classification.label("document_classification"),
        ],
        v.join(d, d.c.id == v.c.document_id),
        d.c.meeting_id == bindparam("meeting_id"),
        v.c.deleted.is_(False),
        d.c.deleted.is_(False),
    )
    return participations, versions


_PARTICIPATIONS_STATEMENT, _VERSIONS = _statements()
# Every link request runs it: on the driver's cursor (server/db/prepared.py).
_PARTICIPATIONS = PreparedSelect(_PARTICIPATIONS_STATEMENT, {"user_id"})


def participations(conn: Connection, user: User) -> tuple[int, dict[str, Classification]]:
    """Return the database's revision and the meetings ``user`` takes part in and sees
    (:data:`server.visibility.TAKING_PART`), with the user's clearance in each
    (:func:`server.visibility.effective_clearances`), both as of that revision."""
    revision = 0
    rows: list[tuple[str, str]] = []
    for value, meeting_id, clearance in _PARTICIPATIONS.rows(conn, {"user_id": user.id}):
        revision = int(value)
        if meeting_id is not None:
            rows.append((str(meeting_id), str(clearance)))
    return revision, effective_clearances(rows, user)


def read_meeting_versions(
    conn: Connection, meeting_id: str
) -> tuple[int, tuple[VersionEntry, ...]]:
    """Return the database's revision and the live versions (of live documents) of
    ``meeting_id`` as of that revision, in order of version id (as Python orders strings,
    whatever the database's collation)."""
    revision = 0
    entries: list[VersionEntry] = []
    for value, sha, version_id, classification, document_classification in conn.execute(
        _VERSIONS, {"meeting_id": meeting_id}
    ):
        revision = int(value)
        if version_id is not None:
            rank = max(
                CLASSIFICATION_RANK[classification], CLASSIFICATION_RANK[document_classification]
            )
            entries.append(VersionEntry(str(sha), str(version_id), rank))
    entries.sort(key=lambda entry: entry.version_id)
    return revision, tuple(entries)


class MeetingVersionCache:
    """The live versions of recently asked-for meetings, each at the revision it was read.

    Holds one list per meeting (the newest revision seen), at most
    ``max_meetings`` of them: the least recently used go first. Thread-safe.
    """

    def __init__(self, max_meetings: int = 512) -> None:
        self.max_meetings = max_meetings
        self._lists: OrderedDict[str, tuple[int, tuple[VersionEntry, ...]]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, meeting_id: str, revision: int) -> tuple[VersionEntry, ...] | None:
        """Return the versions of ``meeting_id`` at ``revision``, or None if not kept."""
        with self._lock:
            kept = self._lists.get(meeting_id)
            if kept is None or kept[0] != revision:
                self.misses += 1
                return None
            self._lists.move_to_end(meeting_id)
            self.hits += 1
            return kept[1]

    def put(self, meeting_id: str, revision: int, entries: tuple[VersionEntry, ...]) -> None:
        """Keep ``entries`` as the versions of ``meeting_id`` at ``revision`` (unless a
        newer revision's are kept already)."""
        with self._lock:
            kept = self._lists.get(meeting_id)
            if kept is not None and kept[0] > revision:
                return
            self._lists[meeting_id] = (revision, entries)
            self._lists.move_to_end(meeting_id)
            while len(self._lists) > self.max_meetings:
                self._lists.popitem(last=False)

    def versions(
        self, conn: Connection, meeting_id: str, revision: int
    ) -> tuple[VersionEntry, ...] | None:
        """Return the versions of ``meeting_id`` at ``revision``, read and kept if missing;
        None when the database has moved past ``revision`` (a write committed meanwhile)."""
        entries = self.get(meeting_id, revision)
        if entries is not None:
            return entries
        read_at, entries = read_meeting_versions(conn, meeting_id)
        self.put(meeting_id, read_at, entries)
        return entries if read_at == revision else None


def visible_in_taken_part(
    conn: Connection, user: User, shas: Collection[str], cache: MeetingVersionCache
) -> dict[str, str] | None:
    """Return, for each hash of ``shas`` with a live version the user may see in a meeting
    they take part in, the id of the first such version (by id), all as of one revision;
    None when no single revision could be read (the caller asks the database directly).

    The rules are those of :mod:`server.visibility`: the clearance in a meeting
    is the lower of the account's and the participant row's, and it must reach
    both the version's and its document's classification.
    """
    revision, clearances = participations(conn, user)
    wanted = set(shas)
    found: dict[str, str] = {}
    for meeting_id, level in clearances.items():
        entries = cache.versions(conn, meeting_id, revision)
        if entries is None:
            return None
        clearance = CLASSIFICATION_RANK[level.value]
        for entry in entries:
            if entry.sha256 not in wanted or entry.rank > clearance:
                continue
            known = found.get(entry.sha256)
            if known is None or entry.version_id < known:
                found[entry.sha256] = entry.version_id
    return found
