"""Meeting page: nested agenda, document badges, notes autosave, seating chart."""

from __future__ import annotations

from PySide6.QtTest import QAbstractItemModelTester, QTest
from pytestqt.qtbot import QtBot

from meetingroom import services
from meetingroom.domain import (
    Annotation,
    AnnotationId,
    AnnotationKind,
    DocumentVersion,
    DocumentVersionId,
    MeetingId,
    UserId,
)
from meetingroom.store import Store
from ui.context import UiContext
from ui.screens.meeting_page import AgendaIdRole, MeetingPage


def _page(qtbot: QtBot, ctx: UiContext, meeting_id: MeetingId) -> MeetingPage:
    page = MeetingPage(ctx, meeting_id)
    qtbot.addWidget(page)
    page.load()
    page.show()
    return page


def test_header_and_nested_agenda(qtbot: QtBot, ctx: UiContext, sample: MeetingId) -> None:
    page = _page(qtbot, ctx, sample)
    tester = QAbstractItemModelTester(
        page.agenda_model, QAbstractItemModelTester.FailureReportingMode.Fatal
    )
    assert "Hội nghị Ban Chấp hành" in page.title.text()
    assert "Mật / Confidential" in page.details.text()
    assert "Đã phát hành" in page.details.text()
    model = page.agenda_model
    assert model.rowCount() == 6
    report = model.index(1, 0)
    assert report.data() == "2. Báo cáo tình hình kinh tế – xã hội năm 2026"
    assert model.rowCount(report) == 2
    child = model.index(0, 0, report)
    assert child.data() == "2.1. Kết quả thực hiện các chỉ tiêu chủ yếu"
    assert model.index(0, 2, report).data() == "25 phút"
    assert model.parent(child) == report
    page.select_item(child.data(AgendaIdRole))
    shown = [page.documents.item(i).text() for i in range(page.documents.count())]
    assert len(shown) == 2
    assert shown[0].startswith("Báo cáo kinh tế")
    del tester


def test_document_badges(
    qtbot: QtBot, ctx: UiContext, pin_store: Store, sample: MeetingId, user_id: UserId
) -> None:
    docs = {d.title: d for d in services.documents(pin_store, sample).items}
    budget = docs["Dự toán ngân sách năm 2027"]
    report = docs["Báo cáo kinh tế – xã hội năm 2026"]
    assert report.current_version_id is not None
    # The user annotated version 1 of the report; version 2 is now current.
    old = report.current_version_id
    services.save(
        pin_store,
        Annotation(AnnotationId("a-1"), old, 0, AnnotationKind.HIGHLIGHT, ((1, 2, 3, 4),), user_id),
    )
    new = DocumentVersion(DocumentVersionId("v-2"), report.id, 2, "ab" * 32, 10, 1)
    services.save(pin_store, new, report.touched(current_version_id=new.id))
    services.store_document_bytes(pin_store, new.id, __import__("io").BytesIO(b"%PDF"))
    page = _page(qtbot, ctx, sample)
    marks = page.document_badges()
    assert marks[budget.title][0] == "chưa tải về"
    assert "bảo mật: Mật / Confidential" in marks[budget.title]
    assert marks[report.title] == ["✓ ngoại tuyến", "phiên bản mới"]
    assert marks["Chương trình hội nghị"] == ["chưa tải về"]


def test_notes_autosave_reaches_the_store_and_outbox(
    qtbot: QtBot, ctx: UiContext, pin_store: Store, sample: MeetingId, user_id: UserId
) -> None:
    page = _page(qtbot, ctx, sample)
    before = pin_store.outbox.count()
    page.notes.editor.insertPlainText("Đề xuất bổ sung chỉ tiêu")  # as if typed
    assert services.notes(pin_store, sample, user_id).items == []  # debounced
    qtbot.waitUntil(lambda: bool(services.notes(pin_store, sample, user_id).items), timeout=3000)
    [note] = services.notes(pin_store, sample, user_id).items
    assert note.text == "Đề xuất bổ sung chỉ tiêu"
    assert pin_store.outbox.count() == before + 1
    page.notes.editor.appendPlainText("thêm")
    page.flush()
    [note] = services.notes(pin_store, sample, user_id).items
    assert note.text.endswith("thêm")


def test_seating_highlights_own_seat_and_finds_a_person(
    qtbot: QtBot, ctx: UiContext, sample: MeetingId
) -> None:
    page = _page(qtbot, ctx, sample)
    chart = page.seating
    assert len(chart.seat_items) == 13
    own = chart.seat_items[chart.own_seat_id] if chart.own_seat_id else None
    assert own is not None
    assert own.participant is not None
    assert own.participant.display_name == "Phạm Thu Dung"
    assert chart.info.text() == "Chỗ ngồi của bạn: 04"
    assert "Phạm Thu Dung" in own.toolTip()
    QTest.keyClicks(chart.find_box, "hoang minh duc")
    found = chart.found_seat_id
    assert found is not None
    assert chart.seat_items[found].participant.display_name == "Hoàng Minh Đức"  # type: ignore[union-attr]
    assert chart.seat_items[found].pen().widthF() > own.pen().widthF()
    chart.find_box.setText("không có ai")
    assert chart.found_seat_id is None
