"""Real PDFs for the reader's tests, stored in the sample profile's encrypted store."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pymupdf as _pymupdf
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from meetingroom import services
from meetingroom.domain import Document, DocumentVersionId, MeetingId
from meetingroom.store import Store
from ui.reader.screen import ReaderScreen

pymupdf: Any = _pymupdf  # partially annotated upstream

SENTENCE = "Thông qua nghị quyết về phát triển kinh tế"
SENTENCE_AT = (72.0, 120.0)  # baseline origin of the sentence on every page
FONT_SIZE = 14
FONTS = Path(__file__).resolve().parents[2] / "resources" / "fonts"


def make_pdf(pages: int, title: str = "Tài liệu") -> bytes:
    """Return a PDF with a heading, a known sentence and numbered text on each page."""
    doc = pymupdf.open()
    for number in range(pages):
        page = doc.new_page()
        bold = {"fontname": "NotoB", "fontfile": str(FONTS / "NotoSerif-Bold.ttf")}
        regular = {"fontname": "Noto", "fontfile": str(FONTS / "NotoSerif-Regular.ttf")}
        page.insert_text((72, 80), f"{title} — trang {number + 1}", fontsize=18, **bold)
        page.insert_text(SENTENCE_AT, SENTENCE, fontsize=FONT_SIZE, **regular)
        page.insert_text((72, 160), f"Dòng thứ hai của trang {number + 1}", fontsize=12, **regular)
        page.draw_rect(pymupdf.Rect(72, 200, 320, 300), color=(0.2, 0.3, 0.7), fill=(0.85, 0.9, 1))
    if pages >= 3:
        doc.set_toc([[1, "Mở đầu", 1], [2, "Chi tiết", 2], [1, "Kết luận", pages]])
    data: bytes = doc.tobytes()
    doc.close()
    return data


def store_pdfs(store: Store, meeting_id: MeetingId) -> dict[str, Document]:
    """Store a real PDF for every sample document's current version; return them by title."""
    docs = {d.title: d for d in services.documents(store, meeting_id).items}
    for doc in docs.values():
        assert doc.current_version_id is not None
        version = store.repos.versions.get(doc.current_version_id)
        data = make_pdf(min(version.page_count, 60), doc.title)
        services.store_document_bytes(store, version.id, io.BytesIO(data))
    return docs


def store_bytes(store: Store, version_id: str, data: bytes) -> None:
    services.store_document_bytes(store, DocumentVersionId(version_id), io.BytesIO(data))


def view_point(reader: ReaderScreen, page: int, x: float, y: float) -> QPoint:
    """Return the viewport position of point (x, y) of ``page``."""
    view = reader.view
    scene = view.pages[page].mapToScene(QPointF(x, y))
    return view.mapFromScene(scene)


def drag(reader: ReaderScreen, page: int, points: list[tuple[float, float]]) -> None:
    """Press at the first point (page points), move through the others, release at the last."""
    viewport = reader.view.viewport()
    first = view_point(reader, page, *points[0])
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, first)
    for x, y in points[1:]:
        QTest.mouseMove(viewport, view_point(reader, page, x, y))
    last = view_point(reader, page, *points[-1])
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, last)
