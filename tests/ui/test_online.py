"""The app against a real server: sign-in, background sync, F5, status bar, offline notes, conflicts.

The server is tests/sync's (uvicorn on 127.0.0.1 in this process); ops run
synchronously (``ImmediateExecutor`` for both the DB and the network worker),
so each step's outcome is on screen when the call returns.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from meetingroom.crypto import DeviceSecrets
from meetingroom.domain import MeetingId
from sync.auth import TokenStore
from sync.transport import RetryPolicy
from tests.server.conftest import PASSWORD, LiveServer
from tests.sync.conftest import User, build_meeting, new_user
from ui.app import AppServices, MeetingApp
from ui.ops import ImmediateExecutor
from ui.screens.conflicts import ConflictsDialog
from ui.screens.meetings import MeetingListScreen
from ui.screens.setup import SetupScreen
from ui.screens.signin import SignInScreen

PIN = "2468"


@pytest.fixture
def online_services(profile: Path, device_secrets: DeviceSecrets, live: LiveServer) -> AppServices:
    return AppServices(
        profile,
        device_secrets=device_secrets,
        executor=ImmediateExecutor(),
        dialogs=False,
        server=live.base_url,
        tokens=TokenStore(allow_insecure_backend=True),
        retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02),
    )


@pytest.fixture
def make_app(qtbot: QtBot, online_services: AppServices) -> Iterator[Any]:
    made: list[MeetingApp] = []

    def factory() -> MeetingApp:
        app = MeetingApp(online_services)
        app.start()
        app.window.show()
        qtbot.addWidget(app.window)
        made.append(app)
        return app

    yield factory
    for app in made:
        app.shutdown()


def first_run(app: MeetingApp, username: str, password: str) -> None:
    """Fill the sign-in form, then the PIN setup."""
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, SignInScreen)
    screen.username.setText(username)
    screen.password.setText(password)
    QTest.mouseClick(screen.button, Qt.MouseButton.LeftButton)
    setup = app.window.stack.currentWidget()
    assert isinstance(setup, SetupScreen)
    setup.pin.setText(PIN)
    setup.pin_confirm.setText(PIN)
    setup.submit()


def press_f5(qtbot: QtBot, app: MeetingApp) -> None:
    """Press F5 in the app's window (made active first: shortcuts need it)."""
    app.window.raise_()
    app.window.activateWindow()
    handle = app.window.windowHandle()
    assert handle is not None
    handle.requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.window, timeout=2000)
    QTest.keyClick(app.window, Qt.Key.Key_F5)


def cell(dialog: ConflictsDialog, row: int, column: int) -> str:
    item = dialog.table.item(row, column)
    assert item is not None
    return item.text()


def titles(app: MeetingApp) -> list[str]:
    assert isinstance(app.meetings, MeetingListScreen)
    return [m.title for m in app.meetings.model.meeting_rows()]


@pytest.fixture
def secretary(live: LiveServer) -> User:
    return new_user(live, "secretary")


@pytest.fixture
def delegate(live: LiveServer) -> User:
    return new_user(live)


def test_first_run_signs_in_syncs_and_shows_the_meeting(
    make_app: Any, secretary: User, delegate: User, live: LiveServer
) -> None:
    build_meeting(secretary, [delegate])
    app = make_app()
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, SignInScreen)
    assert screen.server.text() == live.base_url  # prefilled
    first_run(app, delegate.username, PASSWORD)
    assert isinstance(app.window.stack.currentWidget(), MeetingListScreen)
    assert app.ctx is not None
    assert app.ctx.user_id == delegate.id
    assert titles(app) == ["Họp giao ban"]
    status = app.status
    assert status.connection.text() == "Trực tuyến"
    assert status.last_sync.text().startswith("Đồng bộ lần cuối: ")
    assert "chưa bao giờ" not in status.last_sync.text()
    assert status.pending.text() == "Thay đổi chờ đồng bộ: 0"


def test_wrong_password_says_so_and_keeps_the_form(make_app: Any, delegate: User) -> None:
    app = make_app()
    first_run(app, delegate.username, "not-the-password")
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, SignInScreen)
    assert "Sai tên đăng nhập hoặc mật khẩu" in screen.message.text()
    assert screen.username.text() == delegate.username
    assert screen.button.isEnabled()
    # The profile was kept: the right password signs in without a second PIN setup.
    screen.password.setText(PASSWORD)
    screen.submit()
    assert isinstance(app.window.stack.currentWidget(), MeetingListScreen)


def test_unreachable_server_says_so(make_app: Any, delegate: User) -> None:
    app = make_app()
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, SignInScreen)
    screen.server.setText("http://127.0.0.1:9")
    first_run(app, delegate.username, PASSWORD)
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, SignInScreen)
    assert "Không kết nối được máy chủ" in screen.message.text()


def test_f5_syncs_a_new_meeting_into_the_list(
    qtbot: QtBot, make_app: Any, secretary: User, delegate: User
) -> None:
    app = make_app()
    first_run(app, delegate.username, PASSWORD)
    assert titles(app) == []
    build_meeting(secretary, [delegate])
    press_f5(qtbot, app)
    assert titles(app) == ["Họp giao ban"]
    assert app.syncer is not None
    assert not app.syncer.running


def test_a_note_written_offline_reaches_the_server_after_reconnect(
    qtbot: QtBot, make_app: Any, secretary: User, delegate: User
) -> None:
    ids = build_meeting(secretary, [delegate])
    app = make_app()
    first_run(app, delegate.username, PASSWORD)
    assert app.engine is not None
    good = app.engine.transport.base_url
    app.engine.transport.base_url = "http://127.0.0.1:9"  # the network is gone
    page = app.open_meeting(MeetingId(ids["meeting"]))
    page.notes.editor.setPlainText("Ghi chú khi mất mạng")
    page.flush()
    assert app.sync_now()
    assert app.status.connection.text() == "Ngoại tuyến"
    assert app.status.pending.text() == "Thay đổi chờ đồng bộ: 1"
    app.engine.transport.base_url = good  # back online
    press_f5(qtbot, app)
    assert app.status.connection.text() == "Trực tuyến"
    assert app.status.pending.text() == "Thay đổi chờ đồng bộ: 0"
    changes, _purge, _cursor = delegate.api.pull_all()
    notes = [c["entity"] for c in changes if c["type"] == "note"]
    assert [n["text"] for n in notes] == ["Ghi chú khi mất mạng"]


def test_conflicts_are_counted_and_listed(
    qtbot: QtBot, make_app: Any, secretary: User, delegate: User
) -> None:
    ids = build_meeting(secretary, [delegate])
    app = make_app()
    first_run(app, delegate.username, PASSWORD)
    assert app.store is not None
    app.store.conflicts.add(
        "meetings",
        ids["meeting"],
        {"id": ids["meeting"], "title": "Họp giao ban (bản của tôi)"},
        server_rev=1,
        fields=("title",),
    )
    app.refresh_status()
    assert app.status.conflicts.isVisible()
    assert app.status.conflicts.text() == "Xung đột: 1"
    dialog = app.show_conflicts()
    assert isinstance(dialog, ConflictsDialog)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert cell(dialog, 0, 1) == "title"
    assert cell(dialog, 0, 2) == "Họp giao ban (bản của tôi)"
    assert cell(dialog, 0, 3) == "Họp giao ban"
    QTest.mouseClick(dialog.keep_server, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 0
    assert app.store.conflicts.count() == 0
    assert not app.status.conflicts.isVisible()


def test_a_dropped_token_goes_back_to_sign_in_keeping_the_profile(
    qtbot: QtBot, make_app: Any, delegate: User, online_services: AppServices
) -> None:
    app = make_app()
    first_run(app, delegate.username, PASSWORD)
    assert app.store is not None
    online_services.tokens.save(app.store.profile_id, "revoked-or-expired")
    assert app.engine is not None
    app.engine.transport.token = None
    press_f5(qtbot, app)
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, SignInScreen)
    assert "đăng nhập lại" in screen.message.text()
    assert screen.username.text() == delegate.username
    screen.password.setText(PASSWORD)
    screen.submit()
    assert isinstance(app.window.stack.currentWidget(), MeetingListScreen)


def test_a_remote_wipe_destroys_the_profile_and_returns_to_first_run(
    qtbot: QtBot, make_app: Any, delegate: User, live: LiveServer, profile: Path
) -> None:
    from server.accounts import wipe_device

    app = make_app()
    first_run(app, delegate.username, PASSWORD)
    assert app.store is not None
    device_id = app.store.sync_state.device_id()
    with live.backend.engine.begin() as conn:
        wipe_device(conn, device_id)
    press_f5(qtbot, app)
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, SignInScreen)
    assert "hồ sơ đã bị xóa" in screen.message.text()
    assert app.store is None
    assert app.ctx is None
    # First run again: sign-in, then a new PIN setup.
    first_run(app, delegate.username, PASSWORD)
    assert isinstance(app.window.stack.currentWidget(), MeetingListScreen)
