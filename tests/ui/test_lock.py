"""Ctrl+L and the idle timer lock the store and leave nothing of the meeting on screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from meetingroom.store import Store
from ui.app import MeetingApp
from ui.screens.meeting_page import MeetingPage
from ui.screens.meetings import MeetingListScreen
from ui.screens.unlock import UnlockScreen

from .conftest import PIN

TITLE = "Ban Chấp hành"


def _visible_texts() -> list[str]:
    texts = []
    for widget in QApplication.allWidgets():
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QLineEdit):
            texts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            texts += [str(model.index(r, 0).data()) for r in range(model.rowCount())]
        texts.append(widget.windowTitle())
        texts.append(widget.toolTip())
    return texts


def test_ctrl_l_locks_and_unlock_restores(qtbot: QtBot, app: MeetingApp, pin_store: Store) -> None:
    assert isinstance(app.meetings, MeetingListScreen)
    first = app.meetings.model.meeting_rows()[0]
    page = app.open_meeting(first.id)
    assert isinstance(page, MeetingPage)
    page.notes.editor.setPlainText("ghi chú chưa lưu")
    assert any(TITLE in t for t in _visible_texts())
    QTest.keyClick(app.window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(20)
    assert pin_store.is_locked
    assert isinstance(app.window.stack.currentWidget(), UnlockScreen)
    assert not any(TITLE in t for t in _visible_texts())
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, UnlockScreen)
    screen.secret.setText(PIN)
    screen.submit()
    assert not pin_store.is_locked
    assert isinstance(app.meetings, MeetingListScreen)
    assert app.meetings.model.meeting_rows()[0].title == first.title
    assert any(TITLE in t for t in _visible_texts())
    # the note typed before the lock was saved before the key was dropped
    assert pin_store.outbox.count() > 0


def test_idle_timer_locks(qtbot: QtBot, app: MeetingApp, pin_store: Store) -> None:
    app.guard.timer.setInterval(50)
    app.guard.arm(True)
    qtbot.waitUntil(lambda: pin_store.is_locked, timeout=3000)
    assert isinstance(app.window.stack.currentWidget(), UnlockScreen)


def test_status_bar_says_offline_and_counts_pending(app: MeetingApp, pin_store: Store) -> None:
    status = app.status
    assert "Ngoại tuyến / Offline" in status.connection.text()
    assert status.pending.text().endswith(str(pin_store.outbox.count()))
    assert "chưa bao giờ" in status.last_sync.text()


def test_lock_with_the_real_worker_thread_saves_notes_first(
    qtbot: QtBot, app: MeetingApp, pin_store: Store
) -> None:
    from meetingroom import services
    from ui.ops import Ops, WorkerExecutor

    app.ops = Ops(WorkerExecutor(), app.reporter, lambda: app.store)
    assert app.ctx is not None
    app.ctx.ops = app.ops
    assert app.meetings is not None
    first = app.meetings.model.meeting_rows()[0]
    page = app.open_meeting(first.id)
    qtbot.waitUntil(lambda: page.pack is not None, timeout=5000)
    page.notes.editor.setPlainText("ghi chú trước khi khóa")
    app.lock()
    qtbot.waitUntil(lambda: pin_store.is_locked, timeout=5000)
    assert not any(TITLE in t for t in _visible_texts())
    app.ops.shutdown()
    pin_store.unlock(PIN)
    assert app.ctx is None
    notes = [n.text for n in pin_store.repos.notes.list().items]
    assert notes == ["ghi chú trước khi khóa"]
    assert services.list_meetings(pin_store).items
