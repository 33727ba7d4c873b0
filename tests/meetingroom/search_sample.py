"""A small searchable profile: a meeting with agenda, notes and real Vietnamese PDFs.

Shared by the search tests (core and panel) and the search panel's screenshot.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any

import pymupdf as _pymupdf

from meetingroom import services
from meetingroom.domain import (
    AgendaItem,
    AgendaItemId,
    Document,
    DocumentId,
    DocumentVersion,
    DocumentVersionId,
    Meeting,
    MeetingId,
    MeetingStatus,
    Note,
    NoteId,
    UserId,
    new_id,
)
from meetingroom.store import Store

pymupdf: Any = _pymupdf

FONT = str(resources.files("resources") / "fonts" / "NotoSerif-Regular.ttf")

RESOLUTION_PAGES = [
    "NGHỊ QUYẾT\nHội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12",
    "Điều 1. Thông qua dự toán ngân sách địa phương năm 2027.\nTổng thu ngân sách đạt 12.500 tỷ đồng.",
    "Điều 2. Giao Ủy ban nhân dân tỉnh tổ chức thực hiện nghị quyết này.",
]
REPORT_PAGES = [
    "BÁO CÁO\nTình hình kinh tế – xã hội năm 2026",
    "Tốc độ tăng trưởng kinh tế đạt 8,2%. Thu hút đầu tư tăng mạnh.",
]


def make_pdf(pages: list[str]) -> bytes:
    """Return a PDF with one page per text, set in a font with Vietnamese glyphs."""
    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page()
        page.insert_textbox(
            pymupdf.Rect(72, 72, 520, 700), text, fontsize=13, fontname="noto", fontfile=FONT
        )
    data: bytes = doc.tobytes()
    doc.close()
    return data


@dataclass
class Sample:
    meeting: Meeting
    agenda: list[AgendaItem]
    note: Note
    other_note: Note
    resolution: Document
    resolution_version: DocumentVersion
    report: Document
    report_version: DocumentVersion


def add_document(
    store: Store, meeting_id: MeetingId, title: str, pages: list[str], position: int
) -> tuple[Document, DocumentVersion]:
    """Store a document with one version holding real PDF bytes; return both."""
    data = make_pdf(pages)
    version = DocumentVersion(
        id=DocumentVersionId(new_id()),
        document_id=DocumentId(new_id()),
        number=1,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        page_count=len(pages),
        filename="tai-lieu.pdf",
    )
    document = Document(
        id=version.document_id,
        meeting_id=meeting_id,
        title=title,
        current_version_id=version.id,
        position=position,
    )
    services.save(store, document, version)
    services.store_document_bytes(store, version.id, io.BytesIO(data))
    return document, version


def fill(store: Store, user: UserId) -> Sample:
    """Write the sample meeting into ``store`` for ``user``; return what was written."""
    start = datetime.now(UTC).replace(microsecond=0)
    meeting = Meeting(
        MeetingId(new_id()),
        "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12",
        start,
        start + timedelta(hours=3),
        status=MeetingStatus.PUBLISHED,
    )
    agenda = [
        AgendaItem(AgendaItemId(new_id()), meeting.id, 1, "Khai mạc hội nghị"),
        AgendaItem(AgendaItemId(new_id()), meeting.id, 2, "Thông qua nghị quyết hội nghị"),
        AgendaItem(AgendaItemId(new_id()), meeting.id, 3, "Dự toán ngân sách năm 2027"),
    ]
    note = Note(NoteId(new_id()), meeting.id, user, "Cần hỏi thêm về nguồn thu ngân sách tỉnh.")
    other_note = Note(
        NoteId(new_id()), meeting.id, UserId("someone-else"), "Ghi chú riêng ngân sách khác"
    )
    services.save(store, meeting, *agenda, note, other_note)
    resolution, resolution_version = add_document(
        store, meeting.id, "Dự thảo Nghị quyết hội nghị", RESOLUTION_PAGES, 1
    )
    report, report_version = add_document(
        store, meeting.id, "Báo cáo kinh tế – xã hội", REPORT_PAGES, 2
    )
    return Sample(
        meeting, agenda, note, other_note, resolution, resolution_version, report, report_version
    )
