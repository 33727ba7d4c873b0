"""First-run setup with a PIN, and unlock with a wrong then the right PIN."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from meetingroom.crypto import DeviceSecrets, Protection
from meetingroom.errors import KeyringUnavailable
from meetingroom.store import Store, UnlockPolicy
from ui.app import AppServices, MeetingApp
from ui.screens.meetings import MeetingListScreen
from ui.screens.setup import SetupScreen
from ui.screens.unlock import UnlockScreen


def _app(qtbot: QtBot, services: AppServices) -> MeetingApp:
    app = MeetingApp(services)
    app.start()
    app.window.show()
    qtbot.addWidget(app.window)
    return app


def test_setup_creates_a_profile_with_a_pin(
    qtbot: QtBot, services: AppServices, profile: Path, device_secrets: DeviceSecrets
) -> None:
    app = _app(qtbot, services)
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, SetupScreen)
    QTest.keyClicks(screen.pin, "12")
    QTest.keyClicks(screen.pin_confirm, "12")
    QTest.mouseClick(screen.create_button, Qt.MouseButton.LeftButton)
    assert "ít nhất 4 chữ số" in screen.message.text()
    screen.pin.setText("4321")
    screen.pin_confirm.setText("4322")
    screen.submit()
    assert "không khớp" in screen.message.text()
    screen.pin_confirm.setText("4321")
    screen.submit()
    assert isinstance(app.window.stack.currentWidget(), MeetingListScreen)
    assert app.store is not None
    assert app.store.protection is Protection.DEVICE_AND_PIN
    app.shutdown()
    reopened = Store.open(profile, device_secrets=device_secrets)
    reopened.unlock("4321")
    reopened.close()


def test_setup_offers_passphrase_when_the_keyring_is_unavailable(
    qtbot: QtBot, services: AppServices, profile: Path
) -> None:
    class NoKeyring(DeviceSecrets):
        def check_available(self) -> None:
            raise KeyringUnavailable("no keyring backend is installed or running")

    services.device_secrets = NoKeyring()
    app = _app(qtbot, services)
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, SetupScreen)
    screen.pin.setText("1234")
    screen.pin_confirm.setText("1234")
    screen.submit()
    assert screen.use_passphrase.isChecked()
    assert "cụm mật khẩu" in screen.message.text()
    screen.passphrase.setText("một cụm mật khẩu dài")
    screen.passphrase_confirm.setText("một cụm mật khẩu dài")
    screen.submit()
    assert app.store is not None
    assert app.store.protection is Protection.PASSPHRASE
    app.shutdown()


def test_unlock_with_wrong_then_right_pin(
    qtbot: QtBot, services: AppServices, profile: Path, device_secrets: DeviceSecrets
) -> None:
    Store.create(profile, Protection.DEVICE_AND_PIN, "2468", device_secrets=device_secrets).close()
    services.policy = UnlockPolicy(max_attempts=3)
    app = _app(qtbot, services)
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, UnlockScreen)
    screen.submit()  # nothing typed
    assert "mã PIN" in screen.message.text()
    QTest.keyClicks(screen.secret, "1111")
    QTest.keyClick(screen.secret, Qt.Key.Key_Return)
    assert "Còn 2 lần thử" in screen.message.text()
    assert app.store is not None
    assert app.store.is_locked
    QTest.keyClicks(screen.secret, "2468")
    QTest.keyClick(screen.secret, Qt.Key.Key_Return)
    assert not app.store.is_locked
    assert isinstance(app.window.stack.currentWidget(), MeetingListScreen)
    app.shutdown()


def test_too_many_attempts_disables_unlock(
    qtbot: QtBot, services: AppServices, profile: Path, device_secrets: DeviceSecrets
) -> None:
    Store.create(profile, Protection.DEVICE_AND_PIN, "2468", device_secrets=device_secrets).close()
    services.policy = UnlockPolicy(max_attempts=1)
    app = _app(qtbot, services)
    screen = app.window.stack.currentWidget()
    assert isinstance(screen, UnlockScreen)
    screen.secret.setText("0000")
    screen.submit()
    assert "sai 1 lần" in screen.message.text()
    assert not screen.button.isEnabled()
    app.shutdown()
