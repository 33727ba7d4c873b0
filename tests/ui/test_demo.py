"""``meetingroom --demo``: seeds and starts the reference server, signs in, syncs, exits."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.app import MainWindow
from ui.demo_server import parse_accounts
from ui.main import main, parse_args
from ui.screens.meetings import MeetingListScreen

TITLE = "Hội nghị Ban Chấp hành"


def test_parse_accounts_reads_seed_demo_lines() -> None:
    accounts = parse_accounts("chair chutri p1\nsecretary thuky p2\nprogress noise\n")
    assert [(a.role, a.username, a.password) for a in accounts] == [
        ("chair", "chutri", "p1"),
        ("secretary", "thuky", "p2"),
    ]


def test_demo_arguments() -> None:
    args = parse_args(["--demo", "--demo-as", "secretary"])
    assert args.demo
    assert args.demo_as == "secretary"
    assert parse_args([]).demo_as == "delegate"


def test_demo_starts_signs_in_syncs_and_exits(qtbot: QtBot) -> None:
    seen: list[str] = []
    started = time.monotonic()
    # Windows of earlier tests may still exist (some show the same demo
    # meeting): only the window that main() opens counts.
    earlier = {id(w) for w in QApplication.topLevelWidgets()}

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if not isinstance(widget, MainWindow) or id(widget) in earlier:
                continue
            screen = widget.stack.currentWidget()
            if isinstance(screen, MeetingListScreen):
                titles = [m.title for m in screen.model.meeting_rows()]
                if any(TITLE in t for t in titles):
                    seen.extend(titles)
                    widget.close()
                    return
        if time.monotonic() - started < 60:
            QTimer.singleShot(200, look)

    QTimer.singleShot(200, look)
    code = main(["--demo", "--quit-after", "60"])
    assert code == 0
    assert any(TITLE in t for t in seen), seen
