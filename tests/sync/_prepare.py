"""Helpers for tests that prepare meetings on a secretary's device, offline.

Everything goes through ``meetingroom.services`` (save, store_document_bytes),
as the secretary's app does; PDFs are real, made with PyMuPDF.
"""

from __future__ import annotations

import hashlib
import io
import os
from datetime import UTC, datetime, timedelta

import pymupdf

from meetingroom import services
from meetingroom.domain import (
    AgendaItem,
    AgendaItemId,
    Classification,
    Document,
    DocumentId,
    DocumentVersion,
    DocumentVersionId,
    Meeting,
    MeetingId,
    MeetingStatus,
    new_id,
)
from meetingroom.store import Store


def real_pdf(text: str, pages: int = 2, padding: int = 0) -> bytes:
    """Return a real PDF with ``text`` on each page; ``padding`` random bytes make it larger.

    The padding is an embedded file of random (incompressible) bytes, so the
    PDF stays valid and opens in any viewer.
    """
    doc = pymupdf.open()  # type: ignore[no-untyped-call]
    for page_no in range(pages):
        page = doc.new_page()
        page.insert_text((72, 72), f"{text} — trang {page_no + 1}", fontname="helv")
    if padding:
        doc.embfile_add("phu-luc.bin", os.urandom(padding))
    data: bytes = doc.tobytes()  # type: ignore[no-untyped-call]
    doc.close()  # type: ignore[no-untyped-call]
    return data


def page_count(data: bytes) -> int:
    """Return the number of pages of the PDF ``data``."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:  # type: ignore[no-untyped-call]
        return int(doc.page_count)


def new_meeting(
    store: Store,
    title: str = "Hội nghị Ban Chấp hành",
    status: MeetingStatus = MeetingStatus.DRAFT,
    days_ahead: int = 3,
) -> Meeting:
    """Create and save a meeting a few days ahead; return it."""
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days_ahead)
    meeting = Meeting(
        id=MeetingId(new_id()),
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        location="Phòng họp số 1",
        status=status,
    )
    services.save(store, meeting)
    return meeting


def add_agenda(store: Store, meeting: Meeting, titles: list[str]) -> list[AgendaItem]:
    """Save one agenda item per title, in order; return them."""
    items = [
        AgendaItem(id=AgendaItemId(new_id()), meeting_id=meeting.id, position=i, title=title)
        for i, title in enumerate(titles)
    ]
    services.save(store, *items)
    return items


def attach_pdf(
    store: Store,
    meeting: Meeting,
    title: str,
    data: bytes,
    *,
    agenda_item: AgendaItem | None = None,
    classification: Classification = Classification.NORMAL,
    position: int = 0,
) -> tuple[Document, DocumentVersion]:
    """Attach ``data`` as a new document (version 1), as the prepare screen does; return both."""
    document = Document(
        id=DocumentId(new_id()),
        meeting_id=meeting.id,
        title=title,
        agenda_item_id=agenda_item.id if agenda_item else None,
        classification=classification,
        position=position,
    )
    services.save(store, document)
    version = add_version(store, document, data, number=1)
    return store.repos.documents.get(document.id), version


def add_version(store: Store, document: Document, data: bytes, *, number: int) -> DocumentVersion:
    """Store ``data`` as a new version of ``document`` and make it current; return it."""
    version = DocumentVersion(
        id=DocumentVersionId(new_id()),
        document_id=document.id,
        number=number,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        page_count=page_count(data),
        filename=f"tai-lieu-{number}.pdf",
        classification=document.classification,
    )
    services.store_document_bytes(
        store, version.id, io.BytesIO(data), expected_sha256=version.sha256
    )
    services.save(store, version)
    current = store.repos.documents.get(document.id)
    services.save(store, current.touched(current_version_id=version.id))
    return version
