"""The ``meetingroom`` command: the desktop app's entry point.

Until the delegate's app lands this opens a placeholder window that says so;
subcommands (``sync``, ``status``) arrive with the sync engine.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from meetingroom import __version__

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

PLACEHOLDER_TEXT = (
    "<h2>MeetingRoom {version}</h2>"
    "<p><b>This is a placeholder window.</b> The delegate's app (meetings, documents, "
    "seating chart, annotations) is not built yet. This build contains the foundation: "
    "the encrypted offline store for meeting packs.</p>"
    "<h2>Phòng họp không giấy {version}</h2>"
    "<p><b>Đây là cửa sổ tạm thời.</b> Ứng dụng cho đại biểu (cuộc họp, tài liệu họp, "
    "sơ đồ chỗ ngồi, chú thích) chưa được xây dựng. Bản này chứa phần nền tảng: "
    "kho dữ liệu ngoại tuyến được mã hóa cho tài liệu họp.</p>"
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Return the parsed command line. Exits with usage on bad arguments."""
    parser = argparse.ArgumentParser(prog="meetingroom", description="MeetingRoom desktop client")
    parser.add_argument("--version", action="version", version=f"MeetingRoom {__version__}")
    parser.add_argument(
        "--quit-after",
        type=float,
        metavar="SECONDS",
        help="close the window after SECONDS (for screenshots and smoke tests)",
    )
    return parser.parse_args(argv)


def build_placeholder_window() -> QMainWindow:
    """Return the placeholder main window (PySide6 imported here, not at start-up)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel, QMainWindow

    window = QMainWindow()
    window.setWindowTitle("MeetingRoom — placeholder")
    label = QLabel(PLACEHOLDER_TEXT.format(version=__version__))
    label.setObjectName("placeholderText")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setContentsMargins(24, 24, 24, 24)
    window.setCentralWidget(label)
    window.resize(640, 360)
    return window


def missing_display() -> str | None:
    """Return why no window can be shown here, or None when one can."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "meetingroom: no graphical display (DISPLAY and WAYLAND_DISPLAY are unset). "
        "Run it in a desktop session, or under Xvfb (xvfb-run make demo)."
    )


def main(argv: list[str] | None = None) -> int:
    """Run the app; return the process exit code (2 when no display is available)."""
    args = parse_args(argv)
    problem = missing_display()
    if problem:
        # Qt would abort with a core dump and a wall of plugin errors instead.
        print(problem, file=sys.stderr)
        return 2
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = build_placeholder_window()
    window.show()
    if args.quit_after is not None:
        QTimer.singleShot(int(args.quit_after * 1000), window.close)
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
