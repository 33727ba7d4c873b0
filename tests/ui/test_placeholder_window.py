"""The placeholder window opens under real Qt (offscreen) and says what it is."""

from __future__ import annotations

import os
import subprocess
import sys

from ui.main import PLACEHOLDER_TEXT, build_placeholder_window


def test_placeholder_window_says_it_is_a_placeholder_in_both_languages() -> None:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication([])
    window = build_placeholder_window()
    window.show()
    app.processEvents()
    label = window.findChild(QLabel, "placeholderText")
    assert label is not None
    assert "placeholder window" in label.text()
    assert "cửa sổ tạm thời" in label.text()
    assert window.isVisible()
    window.close()


def test_meetingroom_command_runs_and_exits() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ui.main", "--quit-after", "0.2"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_placeholder_text_names_the_version() -> None:
    from meetingroom import __version__

    assert "{version}" in PLACEHOLDER_TEXT
    assert __version__ in PLACEHOLDER_TEXT.format(version=__version__)


def test_without_a_display_the_command_says_so_instead_of_aborting() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    result = subprocess.run(
        [sys.executable, "-m", "ui.main"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert result.returncode == 2
    assert "no graphical display" in result.stderr
