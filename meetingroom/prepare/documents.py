"""Meeting documents: attach a checked PDF, new versions, classification, removal.

The bytes are sealed into the store (``services.store_document_bytes``)
before the Document and DocumentVersion records are saved; the sync engine
uploads the bytes of such locally created versions before pushing them.
Older versions stay when a new one is attached, and so do the annotations
delegates made on them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from meetingroom import services
from meetingroom.domain import (
    AgendaItemId,
    Classification,
    Document,
    DocumentId,
    DocumentVersion,
    DocumentVersionId,
    MeetingId,
    new_id,
)
from meetingroom.errors import DuplicateDocument, FileUnreadable
from meetingroom.prepare.checks import CheckedPdf
from meetingroom.store import Store
from meetingroom.store.blobs import CHUNK_SIZE

Progress = Callable[[int, int], None]
"""Called with (bytes stored, total bytes) while a file is sealed into the store."""


@dataclass(frozen=True, slots=True)
class Attached:
    """What ``attach`` or ``new_version`` stored."""

    document: Document
    version: DocumentVersion


class UploadState(enum.StrEnum):
    """Where a document version's bytes stand with the server."""

    WAITING = "waiting"  # created here, not yet taken by the server
    UPLOADED = "uploaded"  # the server has it
    NO_FILE = "no_file"  # the document has no version


def find_duplicate(
    store: Store, meeting_id: MeetingId, sha256: str
) -> tuple[Document, DocumentVersion] | None:
    """Return the meeting's document (and version) holding these exact bytes, or None."""
    for doc in services.documents(store, meeting_id).items:
        for version in services.versions(store, doc.id).items:
            if version.sha256 == sha256:
                return doc, version
    return None


def _store_bytes(
    store: Store, version_id: DocumentVersionId, checked: CheckedPdf, progress: Progress | None
) -> None:
    """Seal the checked file into the store, verifying it still has the checked hash."""
    writer = store.blobs.writer(
        version_id, expected_size=checked.size, expected_sha256=checked.sha256
    )
    done = 0
    try:
        with checked.path.open("rb") as f:
            while block := f.read(CHUNK_SIZE):
                writer.write(block)
                done += len(block)
                if progress is not None:
                    progress(done, checked.size)
    except OSError as exc:
        store.blobs.discard(version_id)
        raise FileUnreadable(checked.filename, exc.strerror or type(exc).__name__) from None
    except BaseException:
        store.blobs.discard(version_id)
        raise
    writer.finish()


def _title_of(filename: str) -> str:
    stem = Path(filename).stem.replace("_", " ").strip()
    return stem or filename


def attach(
    store: Store,
    meeting_id: MeetingId,
    checked: CheckedPdf,
    *,
    agenda_item_id: AgendaItemId | None = None,
    classification: Classification = Classification.NORMAL,
    title: str | None = None,
    progress: Progress | None = None,
) -> Attached:
    """Attach a checked PDF to the meeting (optionally to an agenda item); return it.

    The title defaults to the file name without its extension.

    Raises:
        DuplicateDocument: the meeting already holds a file with the same SHA-256.
        NotFound: no such meeting.
        ChecksumMismatch: the file changed since it was checked (nothing stored).
        FileUnreadable: the file could not be read any more.
        StoreLocked, DiskFull, ReadOnlyStore: nothing was attached.
    """
    store.repos.meetings.get(meeting_id)
    duplicate = find_duplicate(store, meeting_id, checked.sha256)
    if duplicate is not None:
        raise DuplicateDocument(checked.filename, duplicate[0].title, duplicate[0].id)
    docs = services.documents(store, meeting_id).items
    document_id = DocumentId(new_id())
    version = DocumentVersion(
        DocumentVersionId(new_id()),
        document_id,
        1,
        checked.sha256,
        checked.size,
        checked.page_count,
        filename=checked.filename,
        classification=classification,
    )
    document = Document(
        document_id,
        meeting_id,
        (title or "").strip() or _title_of(checked.filename),
        agenda_item_id=agenda_item_id,
        classification=classification,
        current_version_id=version.id,
        position=max((d.position for d in docs), default=-1) + 1,
    )
    _store_bytes(store, version.id, checked, progress)
    try:
        services.save(store, document, version)
    except BaseException:
        store.blobs.discard(version.id)  # no record names these bytes
        raise
    return Attached(document, version)


def new_version(
    store: Store,
    document_id: DocumentId,
    checked: CheckedPdf,
    *,
    progress: Progress | None = None,
) -> Attached:
    """Make a checked PDF the document's new current version; return it.

    The version number is one more than the highest so far; older versions
    and the annotations on them stay.

    Raises:
        DuplicateDocument: this meeting already holds a file with the same SHA-256.
        NotFound: no such document.
        ChecksumMismatch, FileUnreadable, StoreLocked, DiskFull, ReadOnlyStore: as ``attach``.
    """
    document = store.repos.documents.get(document_id)
    duplicate = find_duplicate(store, document.meeting_id, checked.sha256)
    if duplicate is not None:
        raise DuplicateDocument(checked.filename, duplicate[0].title, duplicate[0].id)
    old = services.versions(store, document_id).items
    version = DocumentVersion(
        DocumentVersionId(new_id()),
        document_id,
        max((v.number for v in old), default=0) + 1,
        checked.sha256,
        checked.size,
        checked.page_count,
        filename=checked.filename,
        classification=document.classification,
    )
    _store_bytes(store, version.id, checked, progress)
    updated = document.touched(current_version_id=version.id)
    try:
        services.save(store, version, updated)
    except BaseException:
        store.blobs.discard(version.id)
        raise
    return Attached(updated, version)


def set_classification(store: Store, document_id: DocumentId, level: Classification) -> Document:
    """Classify a document (and its current version) at ``level``; return the document.

    The version is reclassified too because delegates' access takes the
    higher of the two: lowering only the document would change nothing.
    Raises NotFound, and as ``services.save``.
    """
    document = store.repos.documents.get(document_id)
    changed: list[object] = []
    if document.classification != level:
        document = document.touched(classification=level)
        changed.append(document)
    if document.current_version_id is not None:
        version = store.repos.versions.find(document.current_version_id)
        if version is not None and version.classification != level:
            changed.append(version.touched(classification=level))
    if changed:
        services.save(store, *changed)
    return document


def set_agenda_item(
    store: Store, document_id: DocumentId, agenda_item_id: AgendaItemId | None
) -> Document:
    """Attach a document to another agenda item (None: the meeting as a whole); return it."""
    document = store.repos.documents.get(document_id)
    if document.agenda_item_id == agenda_item_id:
        return document
    updated = document.touched(agenda_item_id=agenda_item_id)
    services.save(store, updated)
    return updated


def rename_document(store: Store, document_id: DocumentId, title: str) -> Document:
    """Retitle a document; return it. Raises NotFound, InvalidMeeting, as ``services.save``."""
    from meetingroom.errors import InvalidMeeting

    if not title.strip():
        raise InvalidMeeting("a document needs a title")
    document = store.repos.documents.get(document_id)
    if document.title == title.strip():
        return document
    updated = document.touched(title=title.strip())
    services.save(store, updated)
    return updated


def remove_document(store: Store, document_id: DocumentId) -> None:
    """Delete a document with all its versions (tombstones that sync).

    Raises NotFound, and as ``services.save``.
    """
    document = store.repos.documents.get(document_id)
    versions = services.versions(store, document_id).items
    services.delete(store, document, *versions)


def upload_state(store: Store, document: Document) -> UploadState:
    """Return whether the document's current version has reached the server yet.

    A version has a ``rev`` once the server took it, which the sync engine
    records only after its bytes were uploaded; a later metadata edit (a new
    classification) does not send the bytes again.
    """
    if document.current_version_id is None:
        return UploadState.NO_FILE
    version = store.repos.versions.find(document.current_version_id)
    if version is None:
        return UploadState.NO_FILE
    return UploadState.WAITING if version.rev is None else UploadState.UPLOADED
