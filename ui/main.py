"""The ``meetingroom`` command: the desktop app's entry point.

``meetingroom sync`` and ``meetingroom status`` are headless (see ``sync.cli``).
``meetingroom --profile DIR`` opens the app on that profile (the setup screen
when there is none yet, the unlock screen otherwise); plain ``meetingroom``
uses the default profile directory. ``--demo-local`` opens a throwaway
profile with local sample data (no server yet). PySide6 and the app modules
are imported inside ``main`` so that start-up stays light.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from meetingroom import __version__


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Return the parsed command line. Exits with usage on bad arguments."""
    parser = argparse.ArgumentParser(prog="meetingroom", description="MeetingRoom desktop client")
    parser.add_argument("--version", action="version", version=f"MeetingRoom {__version__}")
    parser.add_argument("--profile", metavar="DIR", help="profile directory to open or create")
    parser.add_argument(
        "--demo-local",
        action="store_true",
        help="open a throwaway profile with local sample meetings (no server; PIN 1234)",
    )
    parser.add_argument(
        "--open-first-meeting",
        action="store_true",
        help="with --demo-local: open today's meeting at start (for screenshots)",
    )
    parser.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="interface language (default vi)"
    )
    parser.add_argument(
        "--quit-after",
        type=float,
        metavar="SECONDS",
        help="close the window after SECONDS (for screenshots and smoke tests)",
    )
    return parser.parse_args(argv)


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


HEADLESS_COMMANDS = ("sync", "status")


def main(argv: list[str] | None = None) -> int:
    """Run the app; return the process exit code (2 when no display is available).

    ``meetingroom sync ...`` and ``meetingroom status ...`` are the headless
    commands of ``sync.cli``: routed there before anything of Qt is imported.
    """
    words = sys.argv[1:] if argv is None else argv
    if words and words[0] in HEADLESS_COMMANDS:
        from sync.cli import main as headless_main

        return headless_main(words)
    args = parse_args(argv)
    problem = missing_display()
    if problem:
        # Qt would abort with a core dump and a wall of plugin errors instead.
        print(problem, file=sys.stderr)
        return 2
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from meetingroom.profile import profile_dir
    from ui.app import AppServices, MeetingApp

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("MeetingRoom")
    tmp: tempfile.TemporaryDirectory[str] | None = None
    store = None
    if args.demo_local:
        from ui.demo import DEMO_PIN, MemoryDeviceSecrets, create_demo_profile

        tmp = tempfile.TemporaryDirectory(prefix="meetingroom-demo-")
        secrets = MemoryDeviceSecrets()
        directory = Path(tmp.name) / "profile"
        store, _user = create_demo_profile(directory, secrets)
        services = AppServices(directory, device_secrets=secrets, language=args.lang)
        print(
            f"meetingroom: demo profile with local sample data in {directory} "
            f"(no server; PIN {DEMO_PIN}); it is deleted on exit.",
            file=sys.stderr,
        )
    else:
        services = AppServices(profile_dir(override=args.profile), language=args.lang)
    meeting_app = MeetingApp(services, store)
    meeting_app.start()
    window = meeting_app.window
    screen = app.primaryScreen()
    if screen is not None:  # maximise even without a window manager (Xvfb, kiosks)
        window.setGeometry(screen.availableGeometry())
    window.showMaximized()
    window.activateWindow()
    if args.open_first_meeting and meeting_app.meetings is not None:
        meetings = meeting_app.meetings

        def open_first() -> None:
            rows = meetings.model.meeting_rows()
            if rows:
                meeting_app.open_meeting(rows[0].id)

        QTimer.singleShot(700, open_first)
    if args.quit_after is not None:
        QTimer.singleShot(int(args.quit_after * 1000), window.close)
    try:
        return int(app.exec())
    finally:
        meeting_app.shutdown()
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
