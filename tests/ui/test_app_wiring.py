"""How the app joins its parts: the deployment policy gates the reader (offline
lease, copy/export per classification), Ctrl+Shift+F opens the global search
whose hits open the reader at their page, and Prepare mode is reachable for
secretaries only. Real encrypted store, real PDFs, real render workers."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from meetingroom import services as core
from meetingroom.domain import Classification, Document, MeetingId, UserId
from meetingroom.policy import Policy
from meetingroom.search import ResultKind
from meetingroom.store import Store
from ui.app import AppServices, MeetingApp
from ui.prepare import PrepareScreen
from ui.reader.screen import ReaderScreen
from ui.screens.meeting_page import MeetingPage
from ui.screens.meetings import MeetingListScreen
from ui.search.screen import SearchScreen

from .reader_helpers import SENTENCE, store_pdfs

REPORT = "Báo cáo kinh tế – xã hội năm 2026"


@pytest.fixture
def docs(pin_store: Store, sample: MeetingId) -> dict[str, Document]:
    return store_pdfs(pin_store, sample)


def _app(services: AppServices, store: Store, policy: Policy | None) -> MeetingApp:
    app = MeetingApp(dataclasses.replace(services, deployment=policy), store)
    app.start()
    app.window.show()
    return app


@pytest.fixture
def make_app(services: AppServices, pin_store: Store) -> Iterator[list[MeetingApp]]:
    made: list[MeetingApp] = []
    yield made
    for app in made:
        app._close_reader()
        app.guard.detach()
        app.window.close()


def _classify(store: Store, doc: Document, level: Classification) -> None:
    core.save(store, doc.touched(classification=level))


def _open(qtbot: QtBot, app: MeetingApp, doc: Document) -> ReaderScreen:
    assert doc.current_version_id is not None
    reader = app.open_document(doc.current_version_id)
    assert isinstance(reader, ReaderScreen)
    qtbot.waitUntil(lambda: reader.error is not None or reader.view.painted, timeout=20_000)
    return reader


def test_an_expired_lease_keeps_a_classified_document_closed(
    qtbot: QtBot,
    services: AppServices,
    pin_store: Store,
    docs: dict[str, Document],
    make_app: list[MeetingApp],
) -> None:
    doc = docs[REPORT]
    _classify(pin_store, doc, Classification.CONFIDENTIAL)
    pin_store.sync_state.set("server", "https://meeting.example")
    pin_store.sync_state.mark_synced(datetime.now(UTC) - timedelta(hours=30))
    app = _app(services, pin_store, Policy(lease_hours=24))
    make_app.append(app)
    reader = _open(qtbot, app, doc)
    assert isinstance(reader.error, Exception)
    assert reader.pages_stack.currentWidget() is reader.error_label
    assert "24 giờ" in reader.error_label.text()  # says why, in the user's language
    assert reader.view.page_count() == 0  # nothing of the document is shown

    # Nor does the global search show its text (its title still matches).
    app.index_documents()
    qtbot.waitUntil(lambda: not app._indexing, timeout=60_000)
    search = app.show_search()
    assert search is not None
    search.panel.search("phat trien kinh te")
    qtbot.waitUntil(lambda: search.panel.model.rowCount() > 0, timeout=20_000)
    pages = {r.version_id for r in search.panel.model.results() if r.kind == ResultKind.PAGE}
    assert pages  # the other documents' pages are found
    assert doc.current_version_id not in pages


def test_within_the_lease_the_policy_sets_copy_and_export(
    qtbot: QtBot,
    services: AppServices,
    pin_store: Store,
    docs: dict[str, Document],
    make_app: list[MeetingApp],
) -> None:
    secret, plain = docs[REPORT], docs["Chương trình hội nghị"]
    _classify(pin_store, secret, Classification.CONFIDENTIAL)
    pin_store.sync_state.set("server", "https://meeting.example")
    pin_store.sync_state.mark_synced(datetime.now(UTC) - timedelta(hours=2))
    app = _app(services, pin_store, Policy(lease_hours=24))  # defaults: classified = none
    make_app.append(app)

    reader = _open(qtbot, app, secret)
    assert reader.error is None
    assert not reader.permissions.copy
    assert not reader.permissions.export
    assert not reader.layer.can_copy
    assert reader.export_button is not None
    assert not reader.export_button.isEnabled()

    reader = _open(qtbot, app, plain)
    assert reader.error is None
    assert reader.permissions.copy
    assert reader.permissions.export
    assert reader.export_button is not None
    assert reader.export_button.isEnabled()


def test_ctrl_shift_f_finds_page_text_and_opens_the_reader_there(
    qtbot: QtBot,
    services: AppServices,
    pin_store: Store,
    docs: dict[str, Document],
    make_app: list[MeetingApp],
) -> None:
    app = _app(services, pin_store, None)
    make_app.append(app)
    app.index_documents()  # the docs were stored after the app started
    qtbot.waitUntil(lambda: not app._indexing, timeout=60_000)

    app.window.activateWindow()  # an application shortcut needs an active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.window, timeout=5000)
    QTest.keyClick(
        app.window,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, SearchScreen)
    panel = screen.panel
    panel.search("phat trien kinh te")  # without diacritics: still found
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=20_000)
    hits = [r for r in panel.model.results() if r.kind == ResultKind.PAGE]
    report = docs[REPORT]
    hit = next(r for r in hits if r.version_id == report.current_version_id and r.page > 0)
    assert SENTENCE.split()[-1] in hit.snippet
    panel.openRequested.emit(hit.version_id, hit.page, "phat trien")
    reader = app.reader
    assert isinstance(reader, ReaderScreen)
    assert app.window.stack.currentWidget() is reader
    qtbot.waitUntil(lambda: reader.view.painted, timeout=20_000)
    qtbot.waitUntil(lambda: reader.view.current_page() == hit.page, timeout=10_000)


def test_prepare_mode_is_offered_to_secretaries_only(
    qtbot: QtBot,
    services: AppServices,
    pin_store: Store,
    sample: MeetingId,
    make_app: list[MeetingApp],
) -> None:
    app = _app(services, pin_store, None)
    make_app.append(app)
    assert app.ctx is not None
    user = UserId(app.ctx.user_id)
    meetings = app.window.stack.currentWidget()
    assert isinstance(meetings, MeetingListScreen)
    assert meetings.findChild(QPushButton, "newMeeting") is None
    page = app.open_meeting(sample)
    assert page.findChild(QPushButton, "prepareMeeting") is None

    app._enter(user, None, can_prepare=True)  # as a secretary's account would
    page = app.open_meeting(sample)
    button = page.findChild(QPushButton, "prepareMeeting")
    assert button is not None
    button.click()
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, PrepareScreen)
    screen.back.emit()
    qtbot.waitUntil(lambda: isinstance(app.window.stack.currentWidget(), MeetingPage))

    app.show_meetings()
    listed = app.window.stack.currentWidget()
    assert isinstance(listed, MeetingListScreen)
    new = listed.findChild(QPushButton, "newMeeting")
    assert new is not None
    new.click()
    assert isinstance(app.window.stack.currentWidget(), PrepareScreen)
