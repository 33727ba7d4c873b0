"""The reader widget on the sample profile: navigation, zoom, search, thumbnails, outline,
selection and copy (and the policy forbidding it), the other annotation tools, watermark,
older versions, and a renderer that overruns its time limit. Real store, PDFs, workers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog
from pytestqt.qtbot import QtBot

from meetingroom import services
from meetingroom.domain import (
    Annotation,
    AnnotationId,
    AnnotationKind,
    Document,
    DocumentVersion,
    DocumentVersionId,
    MeetingId,
    UserId,
    Visibility,
    new_id,
)
from meetingroom.pdf import RenderService, TimeLimits
from meetingroom.store import Store
from ui.context import UiContext
from ui.reader import ReaderPermissions
from ui.reader.layer import Tool
from ui.reader.marks import AnnotationItem, WatermarkItem
from ui.reader.screen import ReaderScreen

from .reader_helpers import (
    FONT_SIZE,
    SENTENCE,
    SENTENCE_AT,
    drag,
    make_pdf,
    store_bytes,
    view_point,
)
from .reader_helpers import store_pdfs as _store_pdfs

REPORT = "Báo cáo kinh tế – xã hội năm 2026"
BUDGET = "Dự toán ngân sách năm 2027"  # confidential

Open = Callable[..., ReaderScreen]


@pytest.fixture
def docs(pin_store: Store, sample: MeetingId) -> dict[str, Document]:
    return _store_pdfs(pin_store, sample)


@pytest.fixture
def service(pin_store: Store) -> Iterator[RenderService]:
    s = RenderService(pin_store, workers=1)
    yield s
    s.close()


@pytest.fixture
def open_reader(
    qtbot: QtBot, ctx: UiContext, service: RenderService, docs: dict[str, Document]
) -> Open:
    def opener(
        title: str = REPORT,
        permissions: ReaderPermissions | None = None,
        *,
        version_id: str | None = None,
        wait: bool = True,
        **kw: object,
    ) -> ReaderScreen:
        vid = version_id or docs[title].current_version_id
        assert vid is not None
        reader = ReaderScreen(ctx, service, vid, permissions, **kw)  # type: ignore[arg-type]
        qtbot.addWidget(reader)
        reader.resize(1100, 760)
        reader.show()
        reader.load()
        if wait:
            qtbot.waitUntil(
                lambda: reader.view.painted and reader.data is not None and bool(reader.info),
                timeout=20_000,
            )
        return reader

    return opener


def live(store: Store, version_id: str) -> list[Annotation]:
    items = services.annotations(store, DocumentVersionId(version_id)).items
    return [a for a in items if not a.deleted]


def test_navigation_zoom_thumbnails_outline(qtbot: QtBot, open_reader: Open) -> None:
    reader = open_reader()
    view = reader.view
    assert view.fit == "width"
    assert view.zoom == pytest.approx(view.fit_width_zoom(), rel=1e-3)
    # Only the pages in view and those prefetched around them are rendered.
    qtbot.waitUntil(lambda: view.pending_count() == 0, timeout=10_000)
    shown = [i for i, p in enumerate(view.pages) if p.pixmap is not None]
    assert shown
    assert max(shown) <= view.visible_pages().stop + 1
    # Zoom in with the keyboard, back to fit width with Ctrl+0.
    before = view.zoom
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom > before
    assert view.fit is None
    QTest.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom == pytest.approx(before, rel=1e-3)
    # Ctrl+wheel zooms too.
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent

    wheel = QWheelEvent(
        QPointF(200, 200), QPointF(view.mapToGlobal(QPoint(200, 200))), QPoint(), QPoint(0, 120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase,
        False,
    )  # fmt: skip
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.zoom == pytest.approx(before * 1.1, rel=1e-3)
    view.fit_width()
    # Go to page 20 with the page box; the page shown follows, and it gets rendered.
    reader.page_box.setValue(20)
    assert view.current_page() == 19
    qtbot.waitUntil(lambda: view.pages[19].pixmap is not None, timeout=10_000)
    # Far pages keep their pixmaps only within the view's byte budget (for paging back).
    assert {i for i, p in enumerate(view.pages) if p.pixmap is not None} == set(view.kept)
    assert view.kept.bytes_used <= view.kept.budget
    QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert view.current_page() == 47
    assert reader.page_box.value() == 48
    QTest.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert view.current_page() == 0
    # Fit page: a whole page fits the viewport's height.
    view.fit_page()
    page_h = view.pages[0].size[1] * view.zoom
    assert page_h <= view.viewport().height()
    # Thumbnails come for the rows in view; clicking one goes to its page.
    thumbs = reader.thumbnails
    assert thumbs.count() == 48
    qtbot.waitUntil(lambda: thumbs.thumbnails_shown() > 0, timeout=10_000)
    assert thumbs.thumbnails_shown() < 48
    thumbs.page_chosen.emit(5)
    assert view.current_page() == 5
    # The outline lists the bookmarks; "Kết luận" is on the last page.
    outline = reader.outline
    titles = [outline.topLevelItem(i).text(0) for i in range(outline.topLevelItemCount())]
    assert titles == ["Mở đầu", "Kết luận"]
    assert outline.topLevelItem(0).child(0).text(0) == "Chi tiết"
    outline.itemActivated.emit(outline.topLevelItem(1), 0)
    assert view.current_page() == 47


def test_search_highlights_hits_and_steps(qtbot: QtBot, open_reader: Open) -> None:
    reader = open_reader()
    search = reader.search
    QTest.keyClick(reader.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert search.field.hasFocus()
    QTest.keyClicks(search.field, "trang 3")
    QTest.keyClick(search.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(search.hits), timeout=10_000)
    # "trang 3" matches pages 3 and 30–39 (headings and second lines).
    pages = sorted({h.page for h in search.hits})
    assert pages[0] == 2
    assert 29 in pages
    assert search.count.text() == f"1/{len(search.hits)}"
    assert reader.view.current_page() == 2
    search.next()
    assert search.count.text() == f"2/{len(search.hits)}"
    search.previous()
    search.previous()
    assert search.count.text() == f"{len(search.hits)}/{len(search.hits)}"
    assert reader.view.current_page() == max(pages)
    search.field.clear()
    assert search.hits == []
    search.search("không có từ này")
    qtbot.waitUntil(lambda: search.count.text() == "Không tìm thấy", timeout=10_000)


def test_open_at_page_with_query(qtbot: QtBot, open_reader: Open) -> None:
    reader = open_reader(page=9, query="kinh tế")
    qtbot.waitUntil(lambda: bool(reader.search.hits), timeout=10_000)
    assert reader.view.current_page() == 9
    assert reader.search.field.text() == "kinh tế"
    assert reader.search.hits[reader.search.current].page == 9


def _select_sentence(qtbot: QtBot, reader: ReaderScreen) -> None:
    reader.set_tool(Tool.SELECT)
    x, y = SENTENCE_AT
    mid = y - FONT_SIZE * 0.35
    drag(reader, 0, [(x + 1, mid), (x + 200, mid), (x + 280, mid)])
    qtbot.waitUntil(lambda: reader.layer.selected_text() == SENTENCE, timeout=10_000)


def test_select_and_copy(qtbot: QtBot, open_reader: Open) -> None:
    reader = open_reader()
    QGuiApplication.clipboard().clear()
    _select_sentence(qtbot, reader)
    QTest.keyClick(reader.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == SENTENCE
    assert reader.status.text() == "Đã sao chép đoạn văn bản."
    # The selection can become a highlight.
    reader.layer.mark_selection(AnnotationKind.HIGHLIGHT)
    assert [a.text for a in reader.layer.annotations.values()] == [SENTENCE]


def test_policy_forbids_copy_and_export(qtbot: QtBot, open_reader: Open) -> None:
    reader = open_reader(permissions=ReaderPermissions(copy=False, export=False))
    QGuiApplication.clipboard().setText("trước")
    _select_sentence(qtbot, reader)  # selection still works
    QTest.keyClick(reader.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "trước"
    assert "không cho phép sao chép" in reader.status.text()
    if reader.export_button is not None:
        assert not reader.export_button.isEnabled()


def _answer_dialog(qtbot: QtBot, text: str) -> None:
    dialog = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, QInputDialog) and w.isVisible()
    )
    dialog.setTextValue(text)
    dialog.accept()
    qtbot.wait(10)


def test_note_freetext_move_colour_share_delete(
    qtbot: QtBot, open_reader: Open, pin_store: Store, user_id: UserId
) -> None:
    reader = open_reader()
    vid = reader.version_id
    layer = reader.layer
    # A sticky note: click, type its text.
    QTest.keyClick(reader.view, Qt.Key.Key_N)
    assert layer.tool == Tool.NOTE
    drag(reader, 0, [(400, 500)])
    _answer_dialog(qtbot, "Cần bổ sung số liệu quý IV")
    [note] = live(pin_store, vid)
    assert note.kind == AnnotationKind.NOTE
    assert note.text == "Cần bổ sung số liệu quý IV"
    assert note.geometry[0][:2] == pytest.approx((400, 500), abs=1)
    # Free text in a dragged box.
    reader.set_tool(Tool.FREETEXT)
    drag(reader, 0, [(100, 600), (300, 660)])
    _answer_dialog(qtbot, "Ý kiến: đồng ý")
    free = next(a for a in live(pin_store, vid) if a.kind == AnnotationKind.FREETEXT)
    assert free.text == "Ý kiến: đồng ý"
    assert free.geometry[0] == pytest.approx((100, 600, 300, 660), abs=1)
    # Select the note, move it by dragging.
    reader.set_tool(Tool.SELECT)
    drag(reader, 0, [(410, 510), (430, 520), (460, 540)])
    moved = next(a for a in live(pin_store, vid) if a.id == note.id)
    assert moved.geometry[0][0] == pytest.approx(450, abs=2)
    assert moved.geometry[0][1] == pytest.approx(530, abs=2)
    assert layer.selected()
    assert layer.selected()[0].id == note.id
    # Colour and sharing of the selected note; each change is saved.
    blue = next(
        i for i in range(reader.colour_box.count()) if reader.colour_box.itemData(i) == "#5ab4ff"
    )
    reader.colour_box.activated.emit(blue)
    reader.share_action.trigger()
    saved = next(a for a in live(pin_store, vid) if a.id == note.id)
    assert saved.colour == "#5ab4ff"
    assert saved.visibility == Visibility.SHARED
    assert "đã chia sẻ" in reader.panel.item(reader.panel.ids().index(note.id)).text()
    # Delete it with the keyboard; undo brings it back where it was.
    reader.activateWindow()  # the dialogs took the focus
    qtbot.waitUntil(lambda: QApplication.activeWindow() is reader, timeout=3000)
    reader.view.setFocus()
    QTest.keyClick(reader.view, Qt.Key.Key_Delete)
    assert [a.id for a in live(pin_store, vid)] == [free.id]
    reader.undo_action.trigger()
    back = next(a for a in live(pin_store, vid) if a.id == note.id)
    assert back.geometry == saved.geometry
    assert back.visibility == Visibility.SHARED
    # The panel jumps to an annotation and selects it.
    reader.view.go_to_page(30)
    reader.panel.annotation_chosen.emit(free.id)
    assert reader.view.current_page() == 0
    assert [a.id for a in layer.selected()] == [free.id]
    # Double-click the free text to edit it.
    QTest.mouseDClick(
        reader.view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        view_point(reader, 0, 200, 630),
    )
    _answer_dialog(qtbot, "Ý kiến: đồng ý, có bổ sung")
    edited = next(a for a in live(pin_store, vid) if a.id == free.id)
    assert edited.text == "Ý kiến: đồng ý, có bổ sung"


def test_others_shared_annotations_are_shown_read_only(
    qtbot: QtBot,
    open_reader: Open,
    pin_store: Store,
    docs: dict[str, Document],
) -> None:
    vid = docs[REPORT].current_version_id
    assert vid is not None
    other = UserId(new_id())
    shared = Annotation(
        AnnotationId(new_id()), vid, 0, AnnotationKind.HIGHLIGHT, ((72, 100, 300, 120),),
        other, visibility=Visibility.SHARED, text="chung",
    )  # fmt: skip
    private = Annotation(
        AnnotationId(new_id()), vid, 0, AnnotationKind.HIGHLIGHT, ((72, 140, 300, 160),), other
    )
    services.save(pin_store, shared, private)
    reader = open_reader()
    assert reader.panel.ids() == [shared.id]
    assert "của người khác" in reader.panel.item(0).text()
    item = reader.layer.items[shared.id]
    assert isinstance(item, AnnotationItem)
    assert not item.editable
    reader.layer.select(shared.id)
    QTest.keyClick(reader.view, Qt.Key.Key_Delete)
    assert shared.id in {a.id for a in live(pin_store, vid)}


def test_confidential_document_shows_the_watermark(
    qtbot: QtBot, open_reader: Open, ctx: UiContext
) -> None:
    reader = open_reader(BUDGET)
    marks = [c for c in reader.view.pages[0].childItems() if isinstance(c, WatermarkItem)]
    assert len(marks) == 1
    today = date.today().strftime("%d/%m/%Y")
    assert marks[0].text == f"Phạm Thu Dung · Ghế 04 · {today}"
    assert all(
        any(isinstance(c, WatermarkItem) for c in page.childItems()) for page in reader.view.pages
    )
    plain = open_reader(REPORT)
    assert not any(isinstance(c, WatermarkItem) for c in plain.view.pages[0].childItems())


def test_older_version_with_annotations_is_offered(
    qtbot: QtBot, open_reader: Open, pin_store: Store, docs: dict[str, Document], user_id: UserId
) -> None:
    report = docs[REPORT]
    old = report.current_version_id
    assert old is not None
    mine = Annotation(
        AnnotationId(new_id()), old, 1, AnnotationKind.HIGHLIGHT, ((72, 100, 300, 120),), user_id
    )
    new = DocumentVersion(DocumentVersionId(new_id()), report.id, 2, "cd" * 32, 10, 3)
    services.save(pin_store, mine, new, report.touched(current_version_id=new.id))
    store_bytes(pin_store, new.id, make_pdf(3, "v2"))
    reader = open_reader(version_id=new.id)
    assert reader.banner_row.isVisible()
    assert "phiên bản 1" in reader.banner.text()
    with qtbot.waitSignal(reader.open_version) as signal:
        reader.banner_button.click()
    assert signal.args == [old]
    older = open_reader(version_id=old)
    assert "đang xem phiên bản 1" in older.banner.text()
    assert older.panel.ids() == [mine.id]


def test_renderer_overrunning_its_limit_names_the_document(
    qtbot: QtBot, ctx: UiContext, pin_store: Store, docs: dict[str, Document]
) -> None:
    slow = RenderService(pin_store, workers=1, limits=TimeLimits(render=0.001))
    try:
        vid = docs[REPORT].current_version_id
        assert vid is not None
        reader = ReaderScreen(ctx, slow, vid)
        qtbot.addWidget(reader)
        reader.resize(900, 700)
        reader.show()
        reader.load()
        qtbot.waitUntil(lambda: "khởi động lại" in reader.status.text(), timeout=30_000)
        assert REPORT in reader.status.text()  # which document failed
        assert slow.restarts >= 1
    finally:
        slow.close()


def test_export_writes_a_copy_with_the_annotations(
    qtbot: QtBot, open_reader: Open, pin_store: Store, tmp_path: object
) -> None:
    from .reader_helpers import pymupdf

    reader = open_reader()
    if reader.export_button is None:
        pytest.skip("meetingroom.export is not installed")
    _select_sentence(qtbot, reader)
    reader.layer.mark_selection(AnnotationKind.HIGHLIGHT)
    dest = tmp_path / "xuat.pdf"  # type: ignore[operator]
    reader.export("annotated", dest)
    qtbot.waitUntil(lambda: "Đã xuất" in reader.status.text(), timeout=30_000)
    doc = pymupdf.open(dest)
    try:
        kinds = [a.type[1] for a in doc[0].annots()]
    finally:
        doc.close()
    assert kinds == ["Highlight"]
