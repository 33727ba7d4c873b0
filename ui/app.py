"""The application, built from the services passed in (no globals).

``MeetingApp`` is a small controller: it owns the store handle and decides
which screen is shown (setup, unlock, meeting list, meeting page). Screens
are separate modules that know nothing of each other; the main window is a
frame with a stack and the status bar. ``LockGuard`` locks on Ctrl+L and
after the policy's idle minutes.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from meetingroom.crypto import DeviceSecrets
from meetingroom.domain import MeetingId, UserId
from meetingroom.errors import MeetingRoomError
from meetingroom.lease import check_document_readable, lease_expired, version_level
from meetingroom.policy import Policy
from meetingroom.prepare import may_prepare
from meetingroom.store import DB_FILENAME, Store, UnlockPolicy
from sync.auth import Account, TokenStore, signed_in_account
from sync.deploy import transport_options
from sync.engine import ProgressEvent, SyncEngine, SyncReport, SyncStatus
from sync.errors import WipeRequired
from sync.transport import RetryPolicy, Transport
from ui.context import UiContext, ensure_user_id
from ui.i18n import VI, Translator
from ui.ops import ErrorReporter, Executor, NetworkExecutor, Ops, WorkerExecutor
from ui.screens.conflicts import ConflictsDialog
from ui.screens.meeting_page import MeetingPage
from ui.screens.meetings import MeetingListScreen
from ui.screens.setup import SetupScreen
from ui.screens.signin import SignInScreen
from ui.screens.unlock import UnlockScreen
from ui.syncing import DEFAULT_SYNC_MINUTES, SyncController

if TYPE_CHECKING:
    # Loaded on first use, not at start: the meeting list must come up fast.
    from meetingroom.pdf import RenderService
    from meetingroom.search import SearchIndex
    from ui.prepare import PrepareScreen
    from ui.reader import ReaderPermissions, ReaderScreen
    from ui.search.screen import SearchScreen

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
    server: str | None = None  # prefilled server address (--server, MEETINGROOM_SERVER)
    offline: bool = False  # a local-only profile: no sign-in, no sync (--demo-local)
    tokens: TokenStore = field(default_factory=TokenStore)
    network_executor: Executor | None = None  # default: one network thread
    retry: RetryPolicy | None = None
    sync_minutes: float = DEFAULT_SYNC_MINUTES
    credentials: tuple[str, str] | None = None  # sign in without asking (--demo)
    # The deployment policy (meetingroom.policy). When given it decides the
    # unlock limit, idle lock and server, overriding the plain fields above.
    deployment: Policy | None = None

    def __post_init__(self) -> None:
        d = self.deployment
        if d is not None:
            self.policy = UnlockPolicy(max_attempts=d.failed_pin_limit)
            self.idle_minutes = d.idle_lock_minutes
            self.server = d.server_url or self.server

    @property
    def policy_server(self) -> str | None:
        """Return the server the deployment policy fixes, or None."""
        return self.deployment.server_url if self.deployment is not None else None


class StatusBar(QObject):
    """The always-visible status: online/offline, last sync, pending changes,
    download progress, and a button to the conflicts when there are some."""

    conflicts_clicked = Signal()

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
        self.download = QLabel()
        self.download.setObjectName("statusDownload")
        self.download.setVisible(False)
        self.conflicts = QPushButton()
        self.conflicts.setObjectName("statusConflicts")
        self.conflicts.setAccessibleName(tr("conflicts_title"))
        self.conflicts.setFlat(True)
        self.conflicts.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.conflicts.setVisible(False)
        self.conflicts.clicked.connect(self.conflicts_clicked)
        for widget in (self.connection, self.download, self.pending, self.last_sync):
            bar.addPermanentWidget(widget)
        bar.addPermanentWidget(self.conflicts)
        self.bar = bar

    def _set(self, label: QLabel | QPushButton, key: str, **values: object) -> None:
        label.setText(self._tr(key, **values))
        label.setToolTip(self._tr.other(key, **values))

    def set_pending(self, count: int) -> None:
        self._set(self.pending, "pending", count=count)

    def set_online(self, online: bool | None) -> None:
        self._set(self.connection, "online" if online else "offline_short")
        colour = "#1b5e20" if online else "#616161"
        self.connection.setStyleSheet(f"color: {colour}; font-weight: bold;")

    def set_syncing(self) -> None:
        self._set(self.last_sync, "syncing")

    def show_status(self, status: SyncStatus) -> None:
        """Show what the sync engine reports."""
        self.set_online(status.online)
        self.set_pending(status.pending_changes)
        if status.last_sync is None:
            self._set(self.last_sync, "last_sync_never")
        else:
            when = self._tr.datetime_text(status.last_sync)  # in the UI's locale
            self._set(self.last_sync, "last_sync", when=when)
        if status.running:
            self._set(self.last_sync, "syncing")
        self.conflicts.setVisible(status.conflicts > 0)
        self._set(self.conflicts, "conflicts", count=status.conflicts)
        if not status.running:
            self.download.setVisible(False)

    def show_progress(self, event: ProgressEvent) -> None:
        """Show the upload or download progress of a running sync (n%)."""
        key = {"blobs": "download_progress", "upload": "upload_progress"}.get(event.stage)
        if key is None or not event.bytes_total:
            self.download.setVisible(False)
            return
        percent = int(100 * event.bytes_done / event.bytes_total)
        self._set(self.download, key, percent=percent)
        self.download.setVisible(percent < 100)


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

    # Emitted once the window has accepted a close: the app ends with its main
    # window even when other top-level windows (a reader, a dialog) are open.
    closed = Signal()

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

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit()


def _destroy(widget: QWidget, stack: QStackedWidget) -> None:
    clear = getattr(widget, "clear", None)
    if callable(clear):
        clear()  # empty the models now; deletion waits for the event loop
    stack.removeWidget(widget)
    widget.hide()
    widget.setParent(None)
    widget.deleteLater()


def reader_permissions(store: Store, policy: Policy, version_id: str) -> ReaderPermissions:
    """Return what ``policy`` lets the user do with ``version_id`` (run on the DB worker).

    Raises:
        LeaseExpired: a classified document after the offline lease ran out.
        NotFound, StoreLocked, Tampered: the version cannot be read.
    """
    from ui.reader import ReaderPermissions

    level = check_document_readable(store, policy, version_id)
    return ReaderPermissions(
        copy=policy.allows("copy", level),
        export=policy.allows("export", level),
        print=policy.allows("print", level),
        watermark_exports=policy.watermark,
    )


class MeetingApp(QObject):
    """Wires services, screens, the lock and background sync together.

    First run: sign-in form → PIN setup (creates the profile) → sign-in on the
    network worker → meeting list and a first sync. A profile without an
    account, or whose token the server dropped, goes back to the sign-in
    form (the profile is kept); a wiped one goes back to the first run.
    """

    def __init__(self, services: AppServices, store: Store | None = None) -> None:
        super().__init__()
        self.services = services
        self.translator = Translator(services.language)
        self.window = MainWindow(self.translator)
        self.reporter = ErrorReporter(self.translator, self, dialogs=services.dialogs)
        self.reporter.window = self.window
        self.store: Store | None = store
        self.ops = Ops(
            services.executor or WorkerExecutor(),
            self.reporter,
            lambda: self.store,
            services.network_executor
            or (services.executor if services.executor is not None else NetworkExecutor()),
        )
        self.status = StatusBar(self.window, self.translator)
        self.status.conflicts_clicked.connect(self.show_conflicts)
        self.reporter.status_bar = self.status.bar
        self.guard = LockGuard(self.window, services.idle_minutes)
        self.guard.lock_requested.connect(self.lock)
        self.refresh_shortcut = QShortcut(QKeySequence("F5"), self.window)
        self.refresh_shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        self.refresh_shortcut.activated.connect(self.sync_now)
        self.search_shortcut = QShortcut(QKeySequence("Ctrl+Shift+F"), self.window)
        self.search_shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        self.search_shortcut.activated.connect(self.show_search)
        # Global search: one in-memory index of decrypted text while unlocked.
        self.search_index: SearchIndex | None = None
        self.search: SearchScreen | None = None
        self._indexing = False
        self._index_again = False
        self.ctx: UiContext | None = None
        self.page: MeetingPage | None = None
        self.meetings: MeetingListScreen | None = None
        self.signin: SignInScreen | None = None
        self.engine: SyncEngine | None = None
        self.syncer: SyncController | None = None
        # The reader: one RenderService for the app's life, started on first use.
        self.reader: ReaderScreen | None = None
        self.render_service: RenderService | None = None
        self._reader_meeting: MeetingId | None = None
        self._pending_sign_in: tuple[str, str, str] | None = None
        self._last_attempt: tuple[str, str] = ("", "")

    # -- start ------------------------------------------------------------------

    def start(self) -> None:
        """Show the right first screen: sign-in/setup, unlock, or (already unlocked) the list."""
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
            if self.services.offline:
                self.show_setup()
            else:
                self.show_sign_in()
        elif self.store.is_locked:
            self.show_unlock()
        else:
            self._unlocked()

    def show_setup(self, message: str = "") -> None:
        self.signin = None
        s = self.services
        d = s.deployment or Policy()
        screen = SetupScreen(
            self.translator,
            self.ops,
            s.profile_dir,
            s.device_secrets,
            s.policy,
            pin_required=d.pin_required,
            pin_min_length=d.pin_min_length,
            message=message,
        )
        screen.created.connect(self._created)
        self.window.show_screen(screen)

    def _created(self, store: Store) -> None:
        self.store = store
        pending, self._pending_sign_in = self._pending_sign_in, None
        if pending is not None:
            self.sign_in(*pending)
        else:
            self._unlocked()

    def show_unlock(self) -> None:
        assert self.store is not None
        deployment = self.services.deployment
        screen = UnlockScreen(
            self.translator,
            self.ops,
            self.store.protection,
            wipe_after=deployment.failed_pin_limit if deployment else None,
        )
        screen.unlocked.connect(self._unlocked)
        if deployment is not None:  # the policy's limit wipes; without one it only refuses
            screen.too_many_attempts.connect(self._pin_limit_reached)
        self.window.show_screen(screen)
        self.guard.arm(False)

    def _unlocked(self) -> None:
        if self.services.offline:
            self._enter(ensure_user_id(self.services.profile_dir), None)
            return
        self.ops.query(
            self.window,
            lambda store: (signed_in_account(store), store.sync_state.get("server")),
            self._account_read,
        )

    def _account_read(self, found: tuple[Account | None, str | None]) -> None:
        account, server = found
        server = self.services.policy_server or server or self.services.server
        if account is None or server is None:
            creds = self.services.credentials
            if creds is not None and server is not None:
                self.sign_in(server, *creds)
            else:
                self.show_sign_in()
            return
        self._enter(UserId(account.user_id), server, may_prepare(account.role))

    def _enter(self, user_id: UserId, server: str | None, can_prepare: bool = False) -> None:
        """Show the meeting list as ``user_id``; start background sync when online."""
        self.signin = None
        self.ctx = UiContext(
            self.translator, self.ops, user_id, self.services.today, can_prepare=can_prepare
        )
        from meetingroom.search import SearchIndex

        self.search_index = SearchIndex(user_id)
        self.guard.arm(True)
        self.show_meetings()
        self.index_documents()
        if server is not None and self.store is not None:
            self._start_sync(self._engine(server))

    # -- sign-in ------------------------------------------------------------------

    def show_sign_in(self, message: str = "") -> None:
        """Show the sign-in form (prefilled from the profile when there is one)."""
        self.guard.arm(False)
        if self.store is not None and not self.store.is_locked:
            self.ops.query(
                self.window,
                lambda store: (store.sync_state.get("server"), store.sync_state.get("username")),
                lambda found: self._show_sign_in(found[0], found[1], message),
            )
        else:
            self._show_sign_in(None, None, message)

    def _show_sign_in(self, server: str | None, username: str | None, message: str) -> None:
        fixed = self.services.policy_server
        screen = SignInScreen(
            self.translator,
            fixed or server or self.services.server or self._last_attempt[0],
            username or self._last_attempt[1],
            message,
            server_editable=server is None,
            server_from_policy=fixed is not None,
        )
        screen.submitted.connect(self.sign_in)
        self.signin = screen
        self.meetings = None
        self.page = None
        self.window.show_screen(screen)

    def sign_in(self, server: str, username: str, password: str) -> None:
        """Sign in on the network worker; first run creates the profile (PIN setup) first."""
        self._last_attempt = (server, username)
        if self.store is None:
            self._pending_sign_in = (server, username, password)
            self.show_setup()
            return
        try:
            engine = self._engine(server)
        except ValueError as exc:
            self._sign_in_failed(exc)
            return
        self.ops.network(
            self.window,
            lambda: engine.sign_in(username, password),
            self._signed_in,
            self._sign_in_failed,
        )

    def _signed_in(self, account: Account) -> None:
        log.info("signed in (role %s)", account.role)
        self._unlocked()

    def _sign_in_failed(self, error: BaseException) -> None:
        if isinstance(error, WipeRequired):
            self._forget_profile()
            self.show_sign_in(self.translator("wiped"))
            return
        message = self.translator.error(error)
        if self.signin is not None:
            self.signin.failed(message)
        else:
            self.show_sign_in(message)

    def _engine(self, server: str) -> SyncEngine:
        assert self.store is not None
        engine = self.engine
        if (
            engine is not None
            and engine.store is self.store
            and engine.transport.base_url.rstrip("/") == server.rstrip("/")
        ):
            return engine
        self._stop_sync()
        transport = Transport(
            server,
            retry=self.services.retry,
            **transport_options(self.services.deployment or Policy()),
        )
        self.engine = SyncEngine(self.store, transport, self.services.tokens)
        return self.engine

    # -- sync -----------------------------------------------------------------------

    def _start_sync(self, engine: SyncEngine) -> None:
        syncer = self.syncer
        if syncer is None or syncer.engine is not engine:
            self._stop_sync()
            syncer = SyncController(self.ops, engine, self.services.sync_minutes, self)
            syncer.started.connect(self.status.set_syncing)
            syncer.progress.connect(self.status.show_progress)
            syncer.status_changed.connect(self.status.show_status)
            syncer.synced.connect(self._synced)
            syncer.auth_required.connect(self._auth_required)
            syncer.wiped.connect(self._wiped)
            self.syncer = syncer
        syncer.start()

    def _stop_sync(self) -> None:
        if self.syncer is not None:
            self.syncer.stop()
            self.syncer.deleteLater()
            self.syncer = None

    def sync_now(self) -> bool:
        """F5: sync now unless one is running or there is nothing to sync with."""
        if self.syncer is None or self.ctx is None:
            return False
        return self.syncer.sync_now()

    def _synced(self, report: SyncReport) -> None:
        """Refresh what the sync changed."""
        if not (report.pulled or report.purged or report.downloaded or report.pushed):
            return
        if report.downloaded or report.purged:
            self.index_documents()
        if self.meetings is not None:
            self.meetings.refresh()
        if self.page is not None:
            self.page.flush()  # queued before the reload on the one DB worker
            self.page.load()

    def _auth_required(self) -> None:
        self._leave()
        self.show_sign_in(self.translator("signin_again"))

    def _wiped(self) -> None:
        self._forget_profile()
        self.show_sign_in(self.translator("wiped"))

    def _leave(self) -> None:
        """Drop the meeting screens (sign-in needed); the profile stays."""
        self._stop_sync()
        self._close_reader()
        self.ops.invalidate()
        self.ctx = None
        self.page = None
        self.meetings = None

    def _forget_profile(self) -> None:
        """The profile was destroyed (remote wipe): back to the first run."""
        self._leave()
        self.engine = None
        store, self.store = self.store, None
        if store is not None:
            with contextlib.suppress(MeetingRoomError):
                store.close()
        self.status.show_status(
            SyncStatus(None, None, 0, 0, 0, needs_sign_in=True, running=False, stage=None)
        )

    def _pin_limit_reached(self) -> None:
        """The policy's failed-PIN limit was reached: wipe the profile (off the GUI thread)."""
        store = self.store
        if store is None:
            return
        log.warning("unlock: failed-PIN limit reached; wiping the profile")
        self.guard.arm(False)
        self.ops.run(self.window, store.wipe, lambda _none: self._pin_wiped(), self.reporter.report)

    def _pin_wiped(self) -> None:
        """Back to the first run, saying why the profile is gone."""
        deployment = self.services.deployment
        limit = deployment.failed_pin_limit if deployment is not None else 0
        self._forget_profile()
        message = self.translator("policy_pins_wiped", limit=limit)
        if self.services.offline:
            self.show_setup(message)
        else:
            self.show_sign_in(message)

    def show_conflicts(self) -> ConflictsDialog | None:
        """Open the list of sync conflicts (from the status bar)."""
        if self.ctx is None:
            return None
        dialog = ConflictsDialog(self.ctx, self.window)
        dialog.resolved.connect(self.refresh_status)
        dialog.open()
        dialog.load()
        return dialog

    # -- screens ------------------------------------------------------------------

    def show_meetings(self) -> None:
        assert self.ctx is not None
        self.page = None
        screen = MeetingListScreen(self.ctx)
        screen.open_meeting.connect(self.open_meeting)
        screen.new_meeting.connect(lambda: self.open_prepare(None))
        self.meetings = screen
        self.window.show_screen(screen)
        screen.refresh()
        self.refresh_status()

    def open_meeting(self, meeting_id: MeetingId) -> MeetingPage:
        assert self.ctx is not None
        page = MeetingPage(self.ctx, meeting_id)
        page.back.connect(self.show_meetings)
        page.open_document.connect(self.open_document)
        page.prepare.connect(lambda: self.open_prepare(meeting_id))
        page.changed.connect(self.refresh_status)
        self.meetings = None
        self.page = page
        self.window.show_screen(page)
        page.load()
        return page

    def open_prepare(self, meeting_id: MeetingId | None) -> PrepareScreen | None:
        """Show Prepare mode on ``meeting_id`` (None: a new meeting); back returns to
        that meeting's page, or to the list. Returns the screen, or None when locked."""
        if self.ctx is None:
            return None
        from ui.prepare import PrepareScreen  # only secretaries need it: load it then

        screen = PrepareScreen(self.ctx, meeting_id)

        def back() -> None:
            current = screen.meeting_id or meeting_id
            if current is not None:
                self.open_meeting(current)
            else:
                self.show_meetings()

        screen.back.connect(back)
        screen.changed.connect(self.refresh_status)
        self.page = None
        self.meetings = None
        self.window.show_screen(screen)
        return screen

    # -- global search ----------------------------------------------------------------

    def show_search(self) -> SearchScreen | None:
        """Show the global search (Ctrl+Shift+F); back returns to the meeting list."""
        if self.ctx is None or self.search_index is None:
            return None
        if self.search is not None and self.window.stack.currentWidget() is self.search:
            self.search.panel.focus_query()
            return self.search
        if self.page is not None:
            self.page.flush()
        from ui.search.screen import SearchScreen

        policy = self.services.deployment or Policy()
        screen = SearchScreen(
            self.ctx,
            self.search_index,
            # Text of a classified document stays hidden once its lease ran out.
            readable=lambda store, version: (
                not lease_expired(store, policy, version_level(store, version))
            ),
        )
        screen.back.connect(self.show_meetings)
        screen.panel.openRequested.connect(
            lambda version, page, query: self.open_document(version, page, query or None)
        )
        screen.panel.meetingRequested.connect(lambda m: self.open_meeting(MeetingId(m)))
        self.page = None
        self.meetings = None
        self.search = screen
        self.window.show_screen(screen)
        screen.panel.focus_query()
        index = self.search_index
        self.ops.query(None, index.load)  # warm the index so the first search is quick
        return screen

    def index_documents(self) -> None:
        """Extract and seal the text of offline documents not indexed yet (background).

        Runs on the network worker (it waits on the PDF workers, not the DB
        worker); one run at a time, another queued when asked meanwhile.
        """
        if self.store is None or self.ctx is None:
            return
        if self._indexing:
            self._index_again = True
            return
        from meetingroom.search.indexer import pending_versions

        self._indexing = True
        # Ask the store first: the PDF workers start only when there is work.
        self.ops.query(None, pending_versions, self._index_pending, self._index_failed)

    def _index_pending(self, pending: list[str]) -> None:
        if not pending or self.store is None or self.ctx is None:
            self._indexed(None)
            return
        from meetingroom.search import index_pending

        store, render = self.store, self._render()
        self.ops.network(
            None, lambda: index_pending(store, render), self._indexed, self._index_failed
        )

    def _index_failed(self, error: BaseException) -> None:
        # Not the user's concern (search simply finds less); the type only, no content.
        log.warning("indexing document text stopped: %s", type(error).__name__)
        self._indexed(None)

    def _indexed(self, _result: object) -> None:
        self._indexing = False
        if self.search is not None:
            self.search.panel.refresh()
        if self._index_again:
            self._index_again = False
            self.index_documents()

    def _render(self) -> RenderService:
        """Return the app's RenderService, starting it on first use."""
        if self.render_service is None:
            assert self.store is not None
            # 128 MiB of rendered pages: about 20 pages at fit width, enough to page back.
            from meetingroom.pdf import RenderService

            self.render_service = RenderService(self.store, page_cache_bytes=128 << 20)
        return self.render_service

    # -- reader (issue 5) ------------------------------------------------------------

    def open_document(
        self, version_id: str, page: int = 0, query: str | None = None
    ) -> ReaderScreen | None:
        """Show the reader on ``version_id`` at ``page`` (0-based), ``query`` highlighted.

        Back returns to the meeting page the document was opened from. Returns
        the reader, or None when locked.
        """
        if self.ctx is None or self.store is None:
            return None
        if self.page is not None:
            self._reader_meeting = self.page.meeting_id
        from ui.reader import ReaderScreen

        policy = self.services.deployment or Policy()
        reader = ReaderScreen(
            self.ctx,
            self._render(),
            version_id,
            page=page,
            query=query,
            gate=lambda store: reader_permissions(store, policy, version_id),
        )
        reader.back.connect(self._reader_back)
        reader.open_version.connect(self.open_document)
        self.page = None
        self.meetings = None
        self.reader = reader
        self.window.show_screen(reader)  # the old reader, if any, is cleared and closed
        reader.load()
        return reader

    def _reader_back(self) -> None:
        meeting, self._reader_meeting = self._reader_meeting, None
        self.reader = None
        if meeting is not None:
            self.open_meeting(meeting)
        else:
            self.show_meetings()

    def _close_reader(self) -> None:
        """Drop the reader, the render workers and the search index (they hold the key,
        decrypted pages and text)."""
        reader, self.reader = self.reader, None
        if reader is not None:
            reader.clear()
        service, self.render_service = self.render_service, None
        if service is not None:
            service.close()  # also clears the page and thumbnail caches (and stops indexing)
        self._indexing = self._index_again = False
        # The global search holds decrypted text in memory: drop it too.
        search, self.search = self.search, None
        if search is not None and shiboken6.isValid(search):  # not replaced (and deleted) yet
            search.clear()
        index, self.search_index = self.search_index, None
        if index is not None:
            self.ops.run(None, index.clear)

    def refresh_status(self) -> None:
        if self.syncer is not None:
            self.syncer.refresh_status()
        else:
            self.ops.query(self.window, lambda store: store.outbox.count(), self.status.set_pending)

    # -- lock -----------------------------------------------------------------------

    def lock(self) -> None:
        """Lock now: save pending notes, drop the key, clear every meeting widget."""
        if self.store is None or self.ctx is None:
            return
        if self.page is not None:
            self.page.flush()  # queued before the lock on the one worker
        if self.syncer is not None:
            self.syncer.stop()
        self._close_reader()
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
        self._stop_sync()
        self._close_reader()
        self.guard.detach()
        self.ops.shutdown()
        if self.store is not None:
            self.store.close()
