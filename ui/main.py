"""The ``meetingroom`` command: the desktop app's entry point.

``meetingroom sync`` and ``meetingroom status`` are headless (see ``sync.cli``),
and so is ``meetingroom doctor`` (see ``sync.doctor``). The deployment policy
(``meetingroom.policy``) is read before any Qt work: a malformed one stops the
app with exit code 3 and a message naming the file, line and key; a valid one
sets the log level (``meetingroom.logs``) and what the app enforces.
``meetingroom --profile DIR`` opens the app on that profile (the setup screen
when there is none yet, the unlock screen otherwise); plain ``meetingroom``
uses the default profile directory; ``--server URL`` (or the environment
variable ``MEETINGROOM_SERVER``) prefills the sign-in form. ``--demo`` starts
the reference server with demo data on 127.0.0.1 (a subprocess), signs a
throwaway profile in as a demo delegate (``--demo-as secretary|chair|...``)
and syncs; ``--demo-local`` opens a throwaway profile with local sample data
(no server, for offline screenshots). PySide6 and the app modules
are imported inside ``main`` so that start-up stays light.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import signal
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from meetingroom import __version__

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer

    from meetingroom.policy import Policy


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Return the parsed command line. Exits with usage on bad arguments."""
    parser = argparse.ArgumentParser(prog="meetingroom", description="MeetingRoom desktop client")
    parser.add_argument("--version", action="version", version=f"MeetingRoom {__version__}")
    parser.add_argument("--profile", metavar="DIR", help="profile directory to open or create")
    parser.add_argument(
        "--server",
        metavar="URL",
        default=os.environ.get(SERVER_ENV) or None,
        help=f"server address to prefill at sign-in (default: ${SERVER_ENV})",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start a demo server on 127.0.0.1 and sign a throwaway profile in (PIN 1234)",
    )
    parser.add_argument(
        "--demo-as",
        choices=("delegate", "secretary", "chair", "observer"),
        default="delegate",
        help="with --demo: the demo account to sign in as (default delegate)",
    )
    parser.add_argument(
        "--demo-local",
        action="store_true",
        help="open a throwaway profile with local sample meetings (no server; PIN 1234)",
    )
    parser.add_argument(
        "--open-first-meeting",
        action="store_true",
        help="with --demo or --demo-local: open today's meeting at start (for screenshots)",
    )
    parser.add_argument(
        "--lang",
        choices=("vi", "en"),
        default=None,
        help="interface language (default: the profile's setting, else the system's)",
    )
    parser.add_argument(
        "--remember-lang",
        action="store_true",
        help="with --lang: save it as this profile's language (ui-settings.json)",
    )
    # -- installation checks (ui/selftest.py) --
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="check this installation (temporary store and keyring, PDF, fonts, "
        "translations) and exit 0, or 1 naming what failed",
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
DOCTOR_COMMAND = "doctor"
POLICY_EXIT = 3  # the deployment policy is malformed: the app does not start
SERVER_ENV = "MEETINGROOM_SERVER"
GC_INTERVAL_MS = 5_000


def load_deployment_policy(quit_after: float | None = None) -> Policy | None:
    """Return the deployment policy, with logging configured at its level.

    A malformed policy is shown (a message box when there is a display, and
    always on stderr) naming the file, line and key; then None is returned
    and the app must not start.
    """
    from meetingroom.errors import PolicyError
    from meetingroom.policy import load_policy

    try:
        policy = load_policy()
    except PolicyError as exc:
        print(f"meetingroom: {exc}", file=sys.stderr)
        if missing_display() is None:
            _show_policy_error(exc, quit_after)
        return None
    from meetingroom.logs import configure_logging

    try:
        configure_logging(policy.log_level)
    except OSError as exc:  # no log is no reason not to work
        print(f"meetingroom: cannot write the log ({exc.strerror or exc})", file=sys.stderr)
    logging.getLogger(__name__).info(
        "MeetingRoom %s starting; policy: %s",
        __version__,
        "file" if policy.source is not None else "defaults",
    )
    return policy


def _show_policy_error(error: Exception, quit_after: float | None) -> None:
    """Show the policy error in a message box (closed after ``quit_after`` s, for tests)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ui import policy_texts  # noqa: F401  registers the policy_* texts
    from ui.i18n import VI, Translator

    app = QApplication.instance() or QApplication(sys.argv[:1])
    # Before any profile is read the user's language is unknown: say it in both.
    tr = Translator(VI)
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        f"MeetingRoom — {tr('policy_error_title')}",
        f"{tr('policy_error_intro')}\n{tr.other('policy_error_intro')}\n\n{error}",
    )
    box.setObjectName("policyErrorBox")
    if quit_after is not None:
        QTimer.singleShot(int(quit_after * 1000), box.accept)
    box.exec()
    assert app is not None  # kept alive while the box is shown


def demo_policy(policy: Policy) -> Policy:
    """Return ``policy`` for the demo modes: their own server on 127.0.0.1, so without
    the deployment's server, CA bundle, pins and proxy."""
    return replace(policy, server_url=None, ca_bundle=None, spki_pins=(), proxy=None)


def start_collector() -> QTimer:
    """Move garbage collection to a GUI-thread timer; return the timer, started.

    Qt objects must be freed on the GUI thread: the collector would otherwise
    run whenever any thread allocates (sync, downloads). Collect every
    ``GC_INTERVAL_MS`` here instead (as Anki does). What exists now (the
    modules, classes and functions imported so far, about 50,000 objects) is
    frozen first: it lives as long as the app, and a full collection that
    walked it too took 20-34 ms with a 1,000-page document open, a stall of
    the GUI thread that added itself to a Page Down now and then; without
    it, about 1 ms. Call it before the first screen exists, so that no
    widget (which would never be collected) is frozen.
    """
    from PySide6.QtCore import QTimer

    gc.disable()
    gc.freeze()
    collector = QTimer()
    collector.setInterval(GC_INTERVAL_MS)
    collector.timeout.connect(gc.collect)
    collector.start()
    return collector


def stop_collector(collector: QTimer) -> None:
    """Stop ``collector`` and give collection back to Python (undoes ``start_collector``)."""
    collector.stop()
    gc.unfreeze()
    gc.enable()


def main(argv: list[str] | None = None) -> int:
    """Run the app; return the process exit code (2 when no display is available).

    ``meetingroom sync ...`` and ``meetingroom status ...`` are the headless
    commands of ``sync.cli``: routed there before anything of Qt is imported.
    """
    words = sys.argv[1:] if argv is None else argv
    if words and words[0] == DOCTOR_COMMAND:  # headless too: see sync/doctor.py
        from sync.doctor import main as doctor_main

        return doctor_main(words[1:])
    if words and words[0] in HEADLESS_COMMANDS:
        from sync.cli import main as headless_main

        return headless_main(words)
    args = parse_args(argv)
    if args.selftest:  # needs no display and no profile: see ui/selftest.py
        from ui.selftest import run as run_selftest

        return run_selftest()
    # -- deployment policy (meetingroom/policy.py): read before any Qt work --
    policy = load_deployment_policy(args.quit_after)
    if policy is None:
        return POLICY_EXIT
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
    # -- language (ui/i18n.py): --lang, else the profile's UI setting, else the system's --
    from ui.i18n import Translator, choose_language

    demo = args.demo or args.demo_local
    if args.remember_lang and args.lang and not demo:
        from ui.i18n import save_language_setting

        try:
            save_language_setting(profile_dir(override=args.profile), args.lang)
        except OSError as exc:  # the app still starts, in the language asked for
            print(f"meetingroom: could not save the language: {exc.strerror}", file=sys.stderr)
    language = choose_language(args.lang, None if demo else profile_dir(override=args.profile))
    Translator(language).install(app)  # Qt's own buttons and QLocale follow it too
    from PySide6.QtGui import QIcon

    import resources

    app.setWindowIcon(QIcon(str(Path(resources.__file__).parent / "icons" / "meetingroom-256.png")))
    tmp: tempfile.TemporaryDirectory[str] | None = None
    store = None
    demo_server = None
    if args.demo:
        from meetingroom.crypto import Protection
        from meetingroom.store import Store
        from ui.demo import DEMO_PIN, MemoryDeviceSecrets, MemoryTokenStore
        from ui.demo_server import DemoServer, DemoServerError

        print(
            "meetingroom: starting the demo server (seeding takes a few seconds)…", file=sys.stderr
        )
        try:
            demo_server = DemoServer().start()
            account = demo_server.account(args.demo_as)
        except DemoServerError as exc:
            if demo_server is not None:
                demo_server.stop()
            print(f"meetingroom: the demo server did not start: {exc}", file=sys.stderr)
            return 1
        tmp = tempfile.TemporaryDirectory(prefix="meetingroom-demo-")
        secrets = MemoryDeviceSecrets()
        directory = Path(tmp.name) / "profile"
        store = Store.create(directory, Protection.DEVICE_AND_PIN, DEMO_PIN, device_secrets=secrets)
        services = AppServices(
            directory,
            device_secrets=secrets,
            language=language,
            server=demo_server.url,
            tokens=MemoryTokenStore(),
            credentials=(account.username, account.password),
            deployment=demo_policy(policy),
        )
        print(
            f"meetingroom: demo server {demo_server.url}; signed in as {account.role} "
            f"{account.username} (password {account.password}); profile PIN {DEMO_PIN}. "
            "Server and profile are deleted on exit.",
            file=sys.stderr,
        )
    elif args.demo_local:
        from ui.demo import DEMO_PIN, MemoryDeviceSecrets, create_demo_profile

        tmp = tempfile.TemporaryDirectory(prefix="meetingroom-demo-")
        secrets = MemoryDeviceSecrets()
        directory = Path(tmp.name) / "profile"
        store, _user = create_demo_profile(directory, secrets)
        services = AppServices(
            directory,
            device_secrets=secrets,
            language=language,
            offline=True,
            deployment=demo_policy(policy),
        )
        print(
            f"meetingroom: demo profile with local sample data in {directory} "
            f"(no server; PIN {DEMO_PIN}); it is deleted on exit.",
            file=sys.stderr,
        )
    else:
        services = AppServices(
            profile_dir(override=args.profile),
            language=language,
            server=args.server,
            deployment=policy,
        )
    collector = start_collector()
    # SIGTERM (kill, a closing session) ends the event loop, so the demo server
    # stops and the throwaway profile is deleted; the collector timer gives
    # Python the chance to run the handler.
    previous_sigterm = signal.signal(signal.SIGTERM, lambda _sig, _frame: app.quit())
    wake = QTimer()  # Python handles signals only when it runs: let it, 4 times a second
    wake.timeout.connect(lambda: None)
    wake.start(250)
    meeting_app = MeetingApp(services, store)
    meeting_app.start()
    window = meeting_app.window

    def end_event_loop() -> None:
        app.exit(0)

    # The app ends with its main window, whatever other windows are open; Qt's
    # own "last window closed" quit is off so that it cannot queue a second
    # quit, which would end the next event loop at once (tests run several).
    quit_on_last = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    window.closed.connect(end_event_loop)
    screen = app.primaryScreen()
    if screen is not None:  # maximise even without a window manager (Xvfb, kiosks)
        window.setGeometry(screen.availableGeometry())
    window.showMaximized()
    window.activateWindow()
    if args.open_first_meeting:

        def open_first() -> None:
            meetings = meeting_app.meetings
            rows = meetings.model.meeting_rows() if meetings is not None else []
            if rows:
                meeting_app.open_meeting(rows[0].id)
            elif args.demo:
                QTimer.singleShot(500, open_first)  # the first sync is still pulling

        QTimer.singleShot(700, open_first)
    if args.quit_after is not None:
        QTimer.singleShot(int(args.quit_after * 1000), window.close)
    try:
        return int(app.exec())
    finally:
        window.closed.disconnect(end_event_loop)
        app.setQuitOnLastWindowClosed(quit_on_last)
        meeting_app.shutdown()
        if demo_server is not None:
            demo_server.stop()
        if tmp is not None:
            tmp.cleanup()
        stop_collector(collector)
        wake.stop()
        signal.signal(signal.SIGTERM, previous_sigterm)


if __name__ == "__main__":
    sys.exit(main())
