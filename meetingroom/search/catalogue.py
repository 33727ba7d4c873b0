"""What the global search covers: the live meetings, their items, notes and current versions."""

from __future__ import annotations

from dataclasses import dataclass

from meetingroom.domain import (
    AgendaItem,
    Document,
    DocumentVersion,
    Meeting,
    Note,
    UserId,
)
from meetingroom.store.gateway import Store


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The searchable entities of a store, decrypted (damaged records left out)."""

    meetings: dict[str, Meeting]
    agenda_items: list[AgendaItem]
    notes: list[Note]
    documents: list[Document]
    # document id -> its current version (the one the reader opens).
    current: dict[str, DocumentVersion]


def load_catalogue(store: Store, author_id: UserId | None = None) -> Catalogue:
    """Return the live searchable entities of ``store``.

    Only entities of live meetings are included; notes only of ``author_id``
    when given (notes are private to their author). A document's current
    version is ``current_version_id`` when the store has it, else its
    highest-numbered live version. Damaged records are skipped, not fatal.

    Raises:
        StoreLocked: the store is locked.
    """
    repos = store.repos
    meetings: dict[str, Meeting] = {m.id: m for m in repos.meetings.list().items}
    agenda = [a for a in repos.agenda_items.list().items if a.meeting_id in meetings]
    notes = [
        n
        for n in repos.notes.list().items
        if n.meeting_id in meetings and (author_id is None or n.author_id == author_id)
    ]
    documents = [d for d in repos.documents.list().items if d.meeting_id in meetings]
    by_document: dict[str, list[DocumentVersion]] = {}
    for version in repos.versions.list().items:
        by_document.setdefault(version.document_id, []).append(version)
    current: dict[str, DocumentVersion] = {}
    for document in documents:
        candidates = by_document.get(document.id, [])
        chosen = next((v for v in candidates if v.id == document.current_version_id), None)
        if chosen is None and candidates:
            chosen = max(candidates, key=lambda v: v.number)
        if chosen is not None:
            current[document.id] = chosen
    return Catalogue(meetings, agenda, notes, documents, current)
