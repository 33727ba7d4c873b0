"""What the reader reads from the store for one document version (on the DB worker)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from meetingroom import services
from meetingroom.domain import (
    Annotation,
    Classification,
    Document,
    DocumentVersion,
    DocumentVersionId,
    UserId,
)
from meetingroom.store import Store


@dataclass(frozen=True)
class ReaderData:
    """The version, its document, the annotations to show and the watermark's parts.

    ``older_annotated`` lists (version id, number) of older versions of the
    same document that carry the user's annotations; ``current`` is the
    document's current version (None if unknown).
    """

    version: DocumentVersion
    document: Document | None
    classification: Classification
    annotations: list[Annotation]
    user_name: str
    seat_label: str | None
    older_annotated: list[tuple[DocumentVersionId, int]]
    current: DocumentVersion | None

    @property
    def confidential(self) -> bool:
        return self.classification.rank > Classification.NORMAL.rank

    @property
    def title(self) -> str:
        if self.document is not None and self.document.title:
            return self.document.title
        return self.version.filename or self.version.id


def visible_annotations(annotations: list[Annotation], user_id: UserId) -> list[Annotation]:
    """Return the live annotations the user sees: their own, and others' shared ones."""
    return [
        a
        for a in annotations
        if not a.deleted and (a.author_id == user_id or a.visibility == "shared")
    ]


def load_reader_data(store: Store, version_id: DocumentVersionId, user_id: UserId) -> ReaderData:
    """Return what the reader shows besides the pages.

    Raises:
        NotFound: no such version. StoreLocked: the store is locked.
    """
    version = store.repos.versions.get(version_id)
    document = store.repos.documents.find(version.document_id)
    levels = [version.classification] + ([document.classification] if document else [])
    classification = max(levels, key=lambda c: c.rank)
    annotations = visible_annotations(services.annotations(store, version_id).items, user_id)
    user_name, seat_label = "", None
    older: list[tuple[DocumentVersionId, int]] = []
    current = None
    if document is not None:
        people = services.participants(store, document.meeting_id).items
        me = next((p for p in people if p.user_id == user_id), None)
        if me is not None:
            user_name = me.display_name
            room = services.room(store, document.meeting_id)
            if room is not None:
                seat = next(
                    (s for s in services.seats(store, room.id).items if s.participant_id == me.id),
                    None,
                )
                seat_label = seat.label if seat else None
        versions = services.versions(store, document.id).items
        current = next((v for v in versions if v.id == document.current_version_id), None)
        for other in sorted(versions, key=lambda v: -v.number):
            if other.id == version.id or other.number >= version.number:
                continue
            mine = services.annotations(store, other.id).items
            if any(a.author_id == user_id and not a.deleted for a in mine):
                older.append((other.id, other.number))
    return ReaderData(
        version, document, classification, annotations, user_name, seat_label, older, current
    )


def watermark_text(
    template: tuple[str, str], name: str, seat: str | None, day: date, user_id: str
) -> str:
    """Return the watermark line from (with-seat, without-seat) templates.

    Falls back to the user id when the user is not a participant (a secretary
    previewing), so a photographed screen still names who was looking.
    """
    with_seat, without_seat = template
    when = day.strftime("%d/%m/%Y")
    who = name or user_id
    if seat:
        return with_seat.format(name=who, seat=seat, date=when)
    return without_seat.format(name=who, date=when)
