"""``python -m ui.reader.demo``: the reader on a throwaway sample profile (screenshots, trying it).

Builds the local sample meeting (``ui.demo.fill_sample``), stores a generated
PDF for every sample document in the encrypted store, then opens today's
meeting and a document in the reader. ``--annotate`` adds a few marks first.
The profile lives in a temporary directory removed at exit; the device
secret is kept in memory.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path
from typing import Any

import pymupdf as _pymupdf

from meetingroom import services
from meetingroom.domain import (
    Annotation,
    AnnotationId,
    AnnotationKind,
    Document,
    MeetingId,
    UserId,
    Visibility,
    new_id,
)
from meetingroom.store import Store

pymupdf: Any = _pymupdf  # partially annotated upstream

FONTS = Path(__file__).resolve().parents[2] / "resources" / "fonts"
PARAGRAPHS = (
    "Năm 2026, trong bối cảnh tình hình thế giới và trong nước còn nhiều khó khăn, "
    "thách thức, Ban Chấp hành Đảng bộ tỉnh đã lãnh đạo, chỉ đạo các cấp, các ngành "
    "thực hiện đồng bộ các giải pháp phát triển kinh tế – xã hội.",
    "Tổng sản phẩm trên địa bàn tỉnh (GRDP) ước tăng 8,2% so với năm 2025, vượt chỉ "
    "tiêu nghị quyết đề ra. Cơ cấu kinh tế chuyển dịch đúng hướng; thu ngân sách nhà "
    "nước trên địa bàn đạt 112% dự toán.",
    "Công tác cải cách hành chính, chuyển đổi số được đẩy mạnh; 100% hồ sơ công việc "
    "tại cấp tỉnh được xử lý trên môi trường mạng, trừ hồ sơ công việc thuộc phạm vi "
    "bí mật nhà nước.",
    "Văn hóa, xã hội có nhiều tiến bộ; an sinh xã hội được bảo đảm; quốc phòng, an "
    "ninh được giữ vững; công tác xây dựng Đảng và hệ thống chính trị được chú trọng.",
    "Bên cạnh kết quả đạt được, vẫn còn một số hạn chế: tiến độ giải ngân vốn đầu tư "
    "công chưa đạt yêu cầu; một số dự án trọng điểm còn chậm; chất lượng nguồn nhân "
    "lực chưa đáp ứng yêu cầu phát triển.",
)


def sample_pdf(title: str, pages: int) -> bytes:
    """Return an A4 PDF titled ``title`` with Vietnamese text on ``pages`` pages and an outline."""
    doc = pymupdf.open()
    regular = str(FONTS / "NotoSerif-Regular.ttf")
    bold = str(FONTS / "NotoSerif-Bold.ttf")
    toc = []
    for number in range(pages):
        page = doc.new_page(width=595, height=842)
        page.insert_font(fontname="R", fontfile=regular)
        page.insert_font(fontname="B", fontfile=bold)
        y = 72.0
        if number == 0:
            page.insert_textbox(
                pymupdf.Rect(72, y, 523, y + 60), title.upper(), fontname="B", fontsize=15, align=1
            )
            y += 70
        heading = f"{number + 1}. " + ("Tình hình chung" if number % 2 == 0 else "Kết quả cụ thể")
        page.insert_text((72, y), heading, fontname="B", fontsize=13)
        toc.append([1, heading, number + 1])
        y += 14
        for paragraph in PARAGRAPHS:
            rect = pymupdf.Rect(72, y, 523, y + 120)
            left = page.insert_textbox(
                rect, paragraph, fontname="R", fontsize=11.5, align=3, lineheight=1.4
            )
            y += 120 - max(0.0, left) + 10
        page.draw_rect(pymupdf.Rect(72, y + 4, 523, y + 110), color=(0.3, 0.4, 0.6), width=0.6)
        for i, share in enumerate((0.82, 0.64, 0.91, 0.47, 0.73)):
            x = 100 + i * 82
            page.draw_rect(
                pymupdf.Rect(x, y + 100 - 90 * share, x + 40, y + 100),
                color=None,
                fill=(0.25, 0.45, 0.75),
            )
        page.insert_text((72, 800), f"Trang {number + 1}/{pages}", fontname="R", fontsize=9)
    doc.set_toc(toc)
    data: bytes = doc.tobytes(garbage=1, deflate=True)
    doc.close()
    return data


def store_sample_pdfs(
    store: Store, meeting_id: MeetingId, full: str = "", other_pages: int = 6
) -> dict[str, Document]:
    """Store a generated PDF for each sample document's current version; return them by title.

    The document titled ``full`` gets all its pages, the others at most
    ``other_pages`` (generating the text takes a while).
    """
    docs = {d.title: d for d in services.documents(store, meeting_id).items}
    for doc in docs.values():
        if doc.current_version_id is None:
            continue
        version = store.repos.versions.get(doc.current_version_id)
        pages = version.page_count if doc.title == full else min(version.page_count, other_pages)
        data = sample_pdf(doc.title, pages)
        services.store_document_bytes(store, version.id, io.BytesIO(data))
    return docs


def sample_annotations(store: Store, version_id: str, user_id: UserId, data: bytes) -> None:
    """Add a highlight, an underline, a strikeout, ink, a note and free text to page 1.

    The text marks cover real words of ``data`` (found with PyMuPDF here, in
    the demo's setup, before any window exists).
    """
    from meetingroom.domain import DocumentVersionId

    vid = DocumentVersionId(version_id)
    doc = pymupdf.open(stream=data, filetype="pdf")
    page = doc[0]

    def rects(phrase: str) -> tuple[tuple[float, ...], ...]:
        found = page.search_for(phrase)
        return tuple((r.x0, r.y0, r.x1, r.y1) for r in found)

    def mark(kind: AnnotationKind, geometry: tuple[tuple[float, ...], ...], **kw: Any) -> None:
        annotation = Annotation(AnnotationId(new_id()), vid, 0, kind, geometry, user_id, **kw)
        services.save(store, annotation)

    grdp = "ước tăng 8,2% so với năm 2025, vượt chỉ"
    mark(AnnotationKind.HIGHLIGHT, rects(grdp), text=grdp)
    budget = "thu ngân sách nhà"
    mark(AnnotationKind.HIGHLIGHT, rects(budget), text=budget, colour="#7ed957")
    digital = "100% hồ sơ công việc"
    mark(AnnotationKind.UNDERLINE, rects(digital), text=digital, colour="#e53935")
    slow = "một số dự án trọng điểm còn chậm"
    mark(AnnotationKind.STRIKEOUT, rects(slow), text=slow, colour="#e53935")
    found = page.search_for("chất lượng nguồn")
    if found:
        r = found[0]
        cx, cy = (r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2
        ring = []
        for i in range(25):
            import math

            angle = 2 * math.pi * i / 24
            ring += [cx + (r.width / 2 + 8) * math.cos(angle), cy + 12 * math.sin(angle)]
        mark(AnnotationKind.INK, (tuple(ring),), colour="#e53935")
    mark(
        AnnotationKind.NOTE,
        ((530, 230, 550, 250),),
        text="Đề nghị làm rõ nguồn số liệu GRDP",
        visibility=Visibility.SHARED,
    )
    mark(
        AnnotationKind.FREETEXT,
        ((330, 690, 520, 730),),
        text="Cần so sánh với cùng kỳ năm 2025",
        colour="#1565c0",
    )
    doc.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--document", default="Báo cáo kinh tế – xã hội năm 2026")
    parser.add_argument("--annotate", action="store_true")
    parser.add_argument("--search", default=None)
    parser.add_argument("--fit", choices=("width", "page"), default="width")
    parser.add_argument("--broken", action="store_true", help="store damaged bytes instead")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from ui.app import AppServices, MeetingApp
    from ui.demo import MemoryDeviceSecrets, create_demo_profile

    qt = QApplication(sys.argv)
    with tempfile.TemporaryDirectory(prefix="mr-reader-demo-") as tmp:
        secrets = MemoryDeviceSecrets()
        store, user_id = create_demo_profile(Path(tmp) / "profile", secrets)
        meeting_id = services.list_meetings(store).items
        today = next(m for m in meeting_id if m.title.startswith("Hội nghị Ban Chấp hành"))
        docs = store_sample_pdfs(store, today.id, args.document)
        doc = docs[args.document]
        assert doc.current_version_id is not None
        if args.broken:  # what a damaged download looks like in the reader
            store.blobs.discard(doc.current_version_id)
            damaged = b"%PDF-1.7\n" + b"\x00damaged" * 4096
            services.store_document_bytes(store, doc.current_version_id, io.BytesIO(damaged))
        elif args.annotate:
            data = store.blobs.read_into_buffer(doc.current_version_id)
            sample_annotations(store, doc.current_version_id, user_id, bytes(data))
        app = MeetingApp(
            AppServices(Path(tmp) / "profile", device_secrets=secrets, offline=True), store
        )
        app.start()
        app.window.setGeometry(qt.primaryScreen().availableGeometry())
        app.window.show()
        app.open_meeting(today.id)
        reader = app.open_document(doc.current_version_id, query=args.search)
        if reader is not None:
            reader.view.fit = args.fit  # applied when the layout arrives
        code = qt.exec()
        app.shutdown()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
