"""The reader end to end, in the real app: open today's meeting, open a document,
highlight a sentence, draw ink, undo and redo, lock and unlock, restart and find
the annotations. Real encrypted store, real PDFs, real render worker processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from meetingroom import services
from meetingroom.crypto import DeviceSecrets
from meetingroom.domain import Annotation, AnnotationKind, Document, DocumentVersionId, MeetingId
from meetingroom.store import Store
from ui.app import AppServices, MeetingApp
from ui.reader.layer import Tool
from ui.reader.screen import ReaderScreen
from ui.screens.meeting_page import MeetingPage
from ui.screens.unlock import UnlockScreen

from .conftest import PIN
from .reader_helpers import FONT_SIZE, SENTENCE, SENTENCE_AT, drag, store_pdfs

REPORT = "Báo cáo kinh tế – xã hội năm 2026"


@pytest.fixture
def docs(pin_store: Store, sample: MeetingId) -> dict[str, Document]:
    return store_pdfs(pin_store, sample)


@pytest.fixture
def reader_app(app: MeetingApp, docs: dict[str, Document]) -> Iterator[MeetingApp]:
    yield app
    app._close_reader()  # stop the render workers this test started


def open_from_meeting_page(qtbot: QtBot, app: MeetingApp, title: str) -> ReaderScreen:
    """Open today's meeting from the list, then the document ``title`` with Enter."""
    page = app.page
    if page is None:
        assert app.meetings is not None
        today = app.meetings.model.meeting_rows()[0]
        page = app.open_meeting(today.id)
    assert isinstance(page, MeetingPage)
    rows = [page.documents.item(i).text().split("\n")[0] for i in range(page.documents.count())]
    page.documents.setFocus()
    page.documents.setCurrentRow(rows.index(title))
    QTest.keyClick(page.documents, Qt.Key.Key_Return)
    reader = app.reader
    assert isinstance(reader, ReaderScreen)
    assert app.window.stack.currentWidget() is reader
    qtbot.waitUntil(
        lambda: reader.view.painted and reader.data is not None and reader.info is not None,
        timeout=20_000,
    )
    return reader


def live(store: Store, version_id: DocumentVersionId) -> list[Annotation]:
    return [a for a in services.annotations(store, version_id).items if not a.deleted]


def test_open_document_highlight_ink_undo_redo_lock_restart(
    qtbot: QtBot,
    reader_app: MeetingApp,
    pin_store: Store,
    docs: dict[str, Document],
    profile: Path,
    device_secrets: DeviceSecrets,
    services: AppServices,
) -> None:
    app = reader_app
    version_id = docs[REPORT].current_version_id
    assert version_id is not None
    reader = open_from_meeting_page(qtbot, app, REPORT)
    assert reader.view.page_count() == 48
    assert reader.page_total.text().endswith("48")
    assert reader.view.pages[0].pixmap is not None  # page 1 was painted
    assert reader.panel.ids() == []

    # Highlight the sentence: drag across it with the highlight tool.
    reader.set_tool(Tool.HIGHLIGHT)
    x, y = SENTENCE_AT
    mid = y - FONT_SIZE * 0.35
    drag(reader, 0, [(x + 1, mid), (x + 150, mid), (x + 280, mid)])
    qtbot.waitUntil(lambda: len(live(pin_store, version_id)) == 1, timeout=10_000)
    [highlight] = live(pin_store, version_id)
    assert highlight.kind == AnnotationKind.HIGHLIGHT
    assert highlight.text == SENTENCE
    assert highlight.page == 0
    ((x0, y0, x1, y1),) = highlight.geometry  # one line, snapped to the words' boxes
    assert x0 == pytest.approx(72, abs=2)
    assert y1 > y0
    assert x1 > x0 + 200
    assert highlight.visibility == "private"

    # Draw ink on page 1.
    reader.set_tool(Tool.INK)
    drag(reader, 0, [(100, 400), (140, 430), (180, 410), (220, 450)])
    qtbot.waitUntil(lambda: len(live(pin_store, version_id)) == 2, timeout=5000)
    ink = next(a for a in live(pin_store, version_id) if a.kind == AnnotationKind.INK)
    assert len(ink.geometry) == 1
    assert len(ink.geometry[0]) >= 8
    assert len(reader.panel.ids()) == 2
    outbox_before = pin_store.outbox.count()

    # Undo removes the ink (a tombstone that syncs); redo brings it back.
    reader.view.setFocus()
    QTest.keyClick(reader.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(live(pin_store, version_id)) == 1, timeout=5000)
    assert live(pin_store, version_id)[0].kind == AnnotationKind.HIGHLIGHT
    assert reader.panel.ids() == [highlight.id]
    QTest.keyClick(
        reader.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: len(live(pin_store, version_id)) == 2, timeout=5000)
    assert pin_store.outbox.count() >= outbox_before  # both changes are queued for sync
    assert set(reader.panel.ids()) == {highlight.id, ink.id}

    # Lock: nothing of the document stays on screen or in the workers.
    service = app.render_service
    assert service is not None
    pids = service.worker_pids()
    assert pids
    QTest.keyClick(app.window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert pin_store.is_locked
    assert app.reader is None
    assert app.render_service is None
    assert isinstance(app.window.stack.currentWidget(), UnlockScreen)
    assert reader.view.page_count() == 0
    assert reader.panel.count() == 0
    assert service.worker_pids() == []  # the workers (key, decrypted bytes) are gone
    unlock = app.window.stack.currentWidget()
    assert isinstance(unlock, UnlockScreen)
    unlock.secret.setText(PIN)
    unlock.submit()
    assert not pin_store.is_locked
    reader = open_from_meeting_page(qtbot, app, REPORT)
    qtbot.waitUntil(lambda: len(reader.layer.items) == 2, timeout=5000)
    app._close_reader()

    # Restart the app on the same profile: the annotations are there.
    app.window.close()
    pin_store.close()
    store = Store.open(profile, device_secrets=device_secrets)
    store.unlock(PIN)
    second = MeetingApp(services, store)
    try:
        second.start()
        second.window.show()
        reader = open_from_meeting_page(qtbot, second, REPORT)
        qtbot.waitUntil(lambda: len(reader.panel.ids()) == 2, timeout=5000)
        assert set(reader.panel.ids()) == {highlight.id, ink.id}
        assert set(reader.layer.items) == {highlight.id, ink.id}
        item = reader.layer.items[highlight.id]
        assert item.parentItem() is reader.view.pages[0]
    finally:
        second._close_reader()
        second.guard.detach()
        second.window.close()
        store.close()


def test_broken_pdf_shows_a_message_and_the_app_carries_on(
    qtbot: QtBot, reader_app: MeetingApp, pin_store: Store, docs: dict[str, Document]
) -> None:
    from .reader_helpers import store_bytes

    agenda = docs["Chương trình hội nghị"]
    assert agenda.current_version_id is not None
    pin_store.blobs.discard(agenda.current_version_id)
    store_bytes(pin_store, agenda.current_version_id, b"%PDF-1.7\n" + b"\x00garbage" * 500)
    app = reader_app
    assert app.meetings is not None
    app.open_meeting(app.meetings.model.meeting_rows()[0].id)
    reader = app.open_document(agenda.current_version_id)
    assert reader is not None
    qtbot.waitUntil(
        lambda: reader.pages_stack.currentWidget() is reader.error_label, timeout=20_000
    )
    qtbot.waitUntil(lambda: "Chương trình hội nghị" in reader.error_label.text(), timeout=5000)
    text = reader.error_label.text()
    assert "Không mở được tài liệu" in text
    assert "bị hỏng" in text
    # The app carries on: back to the meeting, and another document opens fine.
    QTest.keyClick(reader, Qt.Key.Key_Escape)
    assert isinstance(app.window.stack.currentWidget(), MeetingPage)
    good = open_from_meeting_page(qtbot, app, REPORT)
    assert good.error is None


def test_password_protected_pdf_says_so(
    qtbot: QtBot, reader_app: MeetingApp, pin_store: Store, docs: dict[str, Document]
) -> None:
    from .reader_helpers import make_pdf, pymupdf, store_bytes

    doc = docs["Dự thảo Nghị quyết hội nghị"]
    assert doc.current_version_id is not None
    opened = pymupdf.open(stream=make_pdf(2), filetype="pdf")
    locked = opened.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o")
    opened.close()
    pin_store.blobs.discard(doc.current_version_id)
    store_bytes(pin_store, doc.current_version_id, locked)
    reader = reader_app.open_document(doc.current_version_id)
    assert reader is not None
    qtbot.waitUntil(lambda: reader.error is not None, timeout=20_000)
    assert "mật khẩu" in reader.error_label.text()
