"""The application, built from the services passed in (no globals).

``MeetingApp`` is a small controller: it owns the store handle and decides
which screen is shown (setup, unlock, meeting list, meeting page). Screens
are separate modules that know nothing of each other; the main window is a
frame with a stack and the status bar. ``LockGuard`` locks on Ctrl+L and
after the policy's idle minutes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QStackedWidget, QWidget

from meetingroom.crypto import DeviceSecrets
from meetingroom.domain import MeetingId
from meetingroom.errors import MeetingRoomError
from meetingroom.store import DB_FILENAME, Store, UnlockPolicy
from ui.context import UiContext, ensure_user_id
from ui.i18n import VI, Translator
from ui.ops import ErrorReporter, Executor, Ops, WorkerExecutor
from ui.screens.meeting_page import MeetingPage
from ui.screens.meetings import MeetingListScreen
from ui.screens.setup import SetupScreen
from ui.screens.unlock import UnlockScreen

log = logging.getLogger(__name__)

DEFAULT_IDLE_MINUTES = 10.0


@dataclass
class AppServices:
    """What the app is built from; tests pass their own."""

    profile_dir: Path
    device_secrets: DeviceSecrets = field(default_factory=DeviceSecrets)
    policy: UnlockPolicy = field(default_factory=UnlockPolicy)
    idle_minutes: float = DEFAULT_IDLE_MINUTES
    language: str = VI
    executor: Executor | None = None  # default: one worker thread
    today: Callable[[], date] = date.today
    dialogs: bool = True  # error message boxes (tests turn them off)


class StatusBar(QObject):
    """The always-visible status: offline, pending changes, last sync."""

    def __init__(self, window: QMainWindow, tr: Translator) -> None:
        super().__init__(window)
        self._tr = tr
        bar = window.statusBar()
        self.connection = QLabel(tr("offline"))
        self.connection.setObjectName("statusConnection")
        self.connection.setToolTip(tr.other("offline"))
        self.pending = QLabel(tr("pending", count=0))
        self.pending.setObjectName("statusPending")
        self.pending.setToolTip(tr.other("pending", count=0))
        self.last_sync = QLabel(tr("last_sync_never"))
        self.last_sync.setObjectName("statusLastSync")
        self.last_sync.setToolTip(tr.other("last_sync_never"))
        for label in (self.connection, self.pending, self.last_sync):
            bar.addPermanentWidget(label)
        self.bar = bar

    def set_pending(self, count: int) -> None:
        self.pending.setText(self._tr("pending", count=count))
        self.pending.setToolTip(self._tr.other("pending", count=count))


class LockGuard(QObject):
    """Emits ``lock_requested`` on Ctrl+L and after ``idle_minutes`` without input.

    Activity is seen by an application-wide event filter (keys, mouse, wheel,
    touch), so any widget counts, dialogs included.
    """

    lock_requested = Signal()

    _ACTIVITY = frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
            QEvent.Type.TouchBegin,
        }
    )

    def __init__(self, window: QWidget, idle_minutes: float) -> None:
        super().__init__(window)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, int(idle_minutes * 60_000)))
        self.timer.timeout.connect(self.lock_requested)
        self.shortcut = QShortcut(QKeySequence("Ctrl+L"), window)
        self.shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        self.shortcut.activated.connect(self.lock_requested)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.armed = False

    def arm(self, armed: bool) -> None:
        """Run the idle timer only while unlocked."""
        self.armed = armed
        if armed:
            self.timer.start()
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.armed and event.type() in self._ACTIVITY:
            self.timer.start()  # restart the countdown
        return False

    def detach(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class MainWindow(QMainWindow):
    """A frame: the current screen in a stack, and the status bar."""

    def __init__(self, tr: Translator) -> None:
        super().__init__()
        self.setWindowTitle(f"MeetingRoom — {tr('app_title')}")
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.resize(1280, 720)

    def show_screen(self, screen: QWidget) -> None:
        """Replace the current screen by ``screen``; the old one is destroyed."""
        old = self.stack.currentWidget()
        self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)
        if old is not None and old is not screen:
            _destroy(old, self.stack)


def _destroy(widget: QWidget, stack: QStackedWidget) -> None:
    clear = getattr(widget, "clear", None)
    if callable(clear):
        clear()  # empty the models now; deletion waits for the event loop
    stack.removeWidget(widget)
    widget.hide()
    widget.setParent(None)
    widget.deleteLater()


class MeetingApp(QObject):
    """Wires services, screens and the lock together."""

    def __init__(self, services: AppServices, store: Store | None = None) -> None:
        super().__init__()
        self.services = services
        self.translator = Translator(services.language)
        self.window = MainWindow(self.translator)
        self.reporter = ErrorReporter(self.translator, self, dialogs=services.dialogs)
        self.reporter.window = self.window
        self.store: Store | None = store
        self.ops = Ops(services.executor or WorkerExecutor(), self.reporter, lambda: self.store)
        self.status = StatusBar(self.window, self.translator)
        self.reporter.status_bar = self.status.bar
        self.guard = LockGuard(self.window, services.idle_minutes)
        self.guard.lock_requested.connect(self.lock)
        self.ctx: UiContext | None = None
        self.page: MeetingPage | None = None
        self.meetings: MeetingListScreen | None = None

    # -- start ------------------------------------------------------------------

    def start(self) -> None:
        """Show the right first screen: setup, unlock, or (already unlocked) the list."""
        profile = self.services.profile_dir
        if self.store is None and (profile / DB_FILENAME).exists():
            try:
                self.store = Store.open(
                    profile,
                    device_secrets=self.services.device_secrets,
                    policy=self.services.policy,
                )
            except MeetingRoomError as exc:
                self.reporter.report(exc)
                self.window.show_screen(QLabel(self.translator.error(exc)))
                return
        if self.store is None:
            self.show_setup()
        elif self.store.is_locked:
            self.show_unlock()
        else:
            self._unlocked()

    def show_setup(self) -> None:
        s = self.services
        screen = SetupScreen(self.translator, self.ops, s.profile_dir, s.device_secrets, s.policy)
        screen.created.connect(self._created)
        self.window.show_screen(screen)

    def _created(self, store: Store) -> None:
        self.store = store
        self._unlocked()

    def show_unlock(self) -> None:
        assert self.store is not None
        screen = UnlockScreen(self.translator, self.ops, self.store.protection)
        screen.unlocked.connect(self._unlocked)
        self.window.show_screen(screen)
        self.guard.arm(False)

    def _unlocked(self) -> None:
        user_id = ensure_user_id(self.services.profile_dir)
        self.ctx = UiContext(self.translator, self.ops, user_id, self.services.today)
        self.guard.arm(True)
        self.show_meetings()

    # -- screens ------------------------------------------------------------------

    def show_meetings(self) -> None:
        assert self.ctx is not None
        self.page = None
        screen = MeetingListScreen(self.ctx)
        screen.open_meeting.connect(self.open_meeting)
        self.meetings = screen
        self.window.show_screen(screen)
        screen.refresh()
        self.refresh_status()

    def open_meeting(self, meeting_id: MeetingId) -> MeetingPage:
        assert self.ctx is not None
        page = MeetingPage(self.ctx, meeting_id)
        page.back.connect(self.show_meetings)
        page.changed.connect(self.refresh_status)
        self.meetings = None
        self.page = page
        self.window.show_screen(page)
        page.load()
        return page

    def refresh_status(self) -> None:
        self.ops.query(self.window, lambda store: store.outbox.count(), self.status.set_pending)

    # -- lock -----------------------------------------------------------------------

    def lock(self) -> None:
        """Lock now: save pending notes, drop the key, clear every meeting widget."""
        if self.store is None or self.ctx is None:
            return
        if self.page is not None:
            self.page.flush()  # queued before the lock on the one worker
        store = self.store
        self.ops.query(None, lambda _store: store.lock())
        self.ops.invalidate()  # results still in flight never reach the screen
        self.ctx = None
        self.page = None
        self.meetings = None
        self.show_unlock()

    def shutdown(self) -> None:
        """Finish queued saves, close the store."""
        if self.page is not None:
            self.page.flush()
        self.guard.detach()
        self.ops.shutdown()
        if self.store is not None:
            self.store.close()
