"""Every interactive control of the main screens has an accessible name and takes Tab focus.

Walks the real widgets of the setup, unlock, sign-in, meeting list and
meeting page screens, the conflicts dialog and the main window around them;
a button, line edit, list, tree, table, combo box or spin box without an
accessible name (or one that Tab can never reach) fails, naming its class,
object name and the screen it is on.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from meetingroom.crypto import DeviceSecrets, Protection
from meetingroom.domain import MeetingId
from meetingroom.store import Store
from ui.app import AppServices, MeetingApp
from ui.context import UiContext
from ui.i18n import EN, VI
from ui.ops import ImmediateExecutor
from ui.screens.conflicts import ConflictsDialog
from ui.screens.meeting_page import MeetingPage
from ui.screens.meetings import MeetingListScreen
from ui.screens.setup import SetupScreen
from ui.screens.signin import SignInScreen
from ui.screens.unlock import UnlockScreen

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QAbstractItemView,
    QComboBox,
    QAbstractSpinBox,
    QTextEdit,
    QPlainTextEdit,
)


def _internal(widget: QWidget) -> bool:
    """Return True for Qt's own parts of a compound control (named through their owner)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QTabBar, QLineEdit)):
            return True
        if isinstance(parent, QAbstractItemView) and widget is not parent:
            return True  # editors and header sections of a view
        parent = parent.parentWidget()
    return False


def controls(root: QWidget) -> list[QWidget]:
    """Return the interactive controls under ``root`` (itself included), Qt's internals left out."""
    found: list[QWidget] = [root] if isinstance(root, INTERACTIVE) else []
    found += [
        w
        for w in root.findChildren(QWidget)
        if isinstance(w, INTERACTIVE)
        and not _internal(w)
        and w.objectName() != "qt_scrollarea_viewport"
    ]
    return found


def describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QAbstractButton, QLineEdit)) else ""
    return f"{type(widget).__name__}(objectName={widget.objectName()!r}, text={text!r})"


def unnamed(root: QWidget) -> list[str]:
    """Return the controls under ``root`` without an accessible name."""
    return [describe(w) for w in controls(root) if not w.accessibleName().strip()]


def unreachable(root: QWidget) -> list[str]:
    """Return the visible, enabled controls that Tab never focuses."""
    return [
        describe(w)
        for w in controls(root)
        if w.isVisibleTo(root) and w.isEnabled() and not (w.focusPolicy() & Qt.FocusPolicy.TabFocus)
    ]


def audit(name: str, root: QWidget) -> None:
    missing = unnamed(root)
    assert not missing, f"{name}: controls without setAccessibleName: {missing}"
    blocked = unreachable(root)
    assert not blocked, f"{name}: controls Tab cannot reach: {blocked}"
    assert controls(root), f"{name}: no controls found (the walk is broken)"


def _start(qtbot: QtBot, services: AppServices, store: Store | None = None) -> MeetingApp:
    app = MeetingApp(services, store)
    app.start()
    app.window.show()
    qtbot.addWidget(app.window)
    return app


@pytest.fixture(params=[VI, EN])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_setup_screen(qtbot: QtBot, services: AppServices, language: str) -> None:
    services.language = language
    app = _start(qtbot, services)
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, SetupScreen)
    audit("setup", app.window)
    app.shutdown()


def test_unlock_screen(
    qtbot: QtBot, services: AppServices, profile: Path, device_secrets: DeviceSecrets
) -> None:
    Store.create(profile, Protection.DEVICE_AND_PIN, "2468", device_secrets=device_secrets).close()
    app = _start(qtbot, services)
    assert isinstance(app.window.stack.currentWidget(), UnlockScreen)
    audit("unlock", app.window)
    app.shutdown()


@pytest.fixture
def signin_app(qtbot: QtBot, profile: Path, device_secrets: DeviceSecrets) -> Iterator[MeetingApp]:
    services = AppServices(
        profile,
        device_secrets=device_secrets,
        executor=ImmediateExecutor(),
        dialogs=False,
        server="https://127.0.0.1:9",
    )
    app = _start(qtbot, services)
    yield app
    app.shutdown()


def test_signin_screen(signin_app: MeetingApp) -> None:
    assert isinstance(signin_app.window.stack.currentWidget(), SignInScreen)
    audit("sign-in", signin_app.window)


def test_meeting_list_and_main_window(app: MeetingApp) -> None:
    assert isinstance(app.window.stack.currentWidget(), MeetingListScreen)
    audit("meeting list", app.window)


def test_meeting_page(qtbot: QtBot, ctx: UiContext, sample: MeetingId) -> None:
    page = MeetingPage(ctx, sample)
    qtbot.addWidget(page)
    page.load()
    page.show()
    audit("meeting page", page)


def test_conflicts_dialog(qtbot: QtBot, ctx: UiContext) -> None:
    dialog = ConflictsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    audit("conflicts", dialog)


def test_the_audit_catches_an_unnamed_control(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    named = QPushButton("OK")
    named.setAccessibleName("OK")
    layout.addWidget(named)
    nameless = QLineEdit()
    nameless.setObjectName("nameless")
    layout.addWidget(nameless)
    assert unnamed(root) == ["QLineEdit(objectName='nameless', text='')"]


def test_keyboard_only_search_open_and_tab_through_a_meeting(qtbot: QtBot, app: MeetingApp) -> None:
    from PySide6.QtTest import QTest

    screen = app.window.stack.currentWidget()
    assert isinstance(screen, MeetingListScreen)
    # Type into the search box, Tab to the list, arrow to the first meeting, Enter.
    screen.search.setFocus()
    QTest.keyClicks(screen.search, "hoi nghi")  # accent-insensitive
    QTest.keyClick(screen.search, Qt.Key.Key_Tab)
    assert screen.view.hasFocus() or app.window.focusWidget() is screen.view
    for _ in range(screen.model.rowCount()):  # past the section headers
        QTest.keyClick(screen.view, Qt.Key.Key_Down)
        QTest.keyClick(screen.view, Qt.Key.Key_Return)
        if app.page is not None:
            break
    assert isinstance(app.page, MeetingPage)
    # Every control of the page is on the Tab chain, in one cycle.
    page = app.page
    seen: list[QWidget] = []
    widget = page.nextInFocusChain()
    for _ in range(500):
        if widget is None or widget is page:
            break
        seen.append(widget)
        widget = widget.nextInFocusChain()
    reachable = {w for w in seen if w.focusPolicy() & Qt.FocusPolicy.TabFocus}
    for control in controls(page):
        if control.isVisibleTo(page) and control.isEnabled():
            assert control in reachable, describe(control)
