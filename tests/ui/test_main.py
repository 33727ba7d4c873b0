"""The ``meetingroom`` command: real app on a profile, the local demo, no-display check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from meetingroom.crypto import DeviceSecrets
from ui.app import AppServices, MeetingApp
from ui.demo import DEMO_PIN, MemoryDeviceSecrets, create_demo_profile
from ui.main import parse_args
from ui.ops import ImmediateExecutor
from ui.screens.meetings import MeetingListScreen


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui.main", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )


def test_demo_local_command_runs_and_exits() -> None:
    result = _run("--demo-local", "--open-first-meeting", "--quit-after", "1.2")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "no server" in result.stderr


def test_profile_command_opens_setup_on_a_new_profile(tmp_path: Path) -> None:
    result = _run("--profile", str(tmp_path / "p"), "--quit-after", "0.3")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_without_a_display_the_command_says_so_instead_of_aborting() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    result = _run(env=env)
    assert result.returncode == 2
    assert "no graphical display" in result.stderr


def test_arguments() -> None:
    args = parse_args(["--profile", "/x", "--lang", "en"])
    assert args.profile == "/x"
    assert args.lang == "en"
    assert not args.demo_local


def test_demo_profile_opens_in_the_app(qtbot: QtBot, tmp_path: Path) -> None:
    secrets = MemoryDeviceSecrets()
    store, _user = create_demo_profile(tmp_path / "demo", secrets)
    store.lock()
    services = AppServices(
        tmp_path / "demo",
        device_secrets=secrets,
        executor=ImmediateExecutor(),
        dialogs=False,
        language="en",
        offline=True,
    )
    app = MeetingApp(services, store)
    app.start()
    qtbot.addWidget(app.window)
    store.unlock(DEMO_PIN)
    app.start()
    assert isinstance(app.meetings, MeetingListScreen)
    assert len(app.meetings.model.meeting_rows()) == 4
    assert isinstance(services.device_secrets, DeviceSecrets)
    app.shutdown()


def test_the_app_ends_with_its_main_window_and_leaves_qt_usable(qtbot: QtBot) -> None:
    """Another open window does not keep the app running, and no quit is left queued."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QWidget

    from ui.main import main

    other = QWidget()  # e.g. a reader or dialog left open
    qtbot.addWidget(other)
    other.show()
    assert main(["--demo-local", "--quit-after", "0.5"]) == 0
    assert other.isVisible()
    fired: list[int] = []
    QTimer.singleShot(20, lambda: fired.append(1))
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)
