"""Background sync for the app: after unlock, every few minutes, and on F5.

``SyncController`` runs ``SyncEngine.sync`` on the network worker (through
``Ops.network``), never on the GUI thread or the database worker. A request
while a sync runs is refused (the engine would raise ``SyncBusy``; both are
ignored). Progress events arrive on the engine's threads and are posted to
the GUI thread, at most one per percent. Outcomes are signals the app and
the status bar react to; no widget here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from meetingroom.errors import MeetingRoomError
from sync.engine import ProgressEvent, SyncEngine, SyncReport, SyncStatus
from sync.errors import AuthRequired, SyncBusy, SyncError, WipeRequired
from ui.ops import Ops

log = logging.getLogger(__name__)

DEFAULT_SYNC_MINUTES = 5.0


class SyncController(QObject):
    """Schedules syncs of one engine and reports on the GUI thread."""

    progress = Signal(object)  # ProgressEvent
    status_changed = Signal(object)  # SyncStatus
    started = Signal()
    synced = Signal(object)  # SyncReport
    failed = Signal(object)  # the SyncError or store error, after the status is refreshed
    auth_required = Signal()
    wiped = Signal()

    def __init__(
        self,
        ops: Ops,
        engine: SyncEngine,
        minutes: float = DEFAULT_SYNC_MINUTES,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self.engine = engine
        self._busy = threading.Event()
        self._last_percent: tuple[str, int] | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        self.timer.timeout.connect(self.sync_now)
        engine.on_progress = self._on_progress  # called on the engine's threads
        self.last_report: SyncReport | None = None
        self.last_status: SyncStatus | None = None

    @property
    def running(self) -> bool:
        return self._busy.is_set()

    def start(self) -> None:
        """Sync now and then every interval."""
        self.timer.start()
        self.sync_now()

    def stop(self) -> None:
        """No more scheduled syncs (a running one finishes on its own)."""
        self.timer.stop()

    def sync_now(self) -> bool:
        """Start a sync on the network worker; return False when one is already running."""
        if self._busy.is_set():
            return False
        self._busy.set()
        self._last_percent = None
        engine, busy = self.engine, self._busy

        def work() -> SyncReport:
            try:
                return engine.sync()
            finally:
                busy.clear()  # even when the outcome is dropped (lock)

        self.started.emit()
        self._ops.network(self, work, self._done, self._failed)
        return True

    def refresh_status(self, then: Callable[[SyncStatus], None] | None = None) -> None:
        """Read the engine's status on the database worker and emit ``status_changed``."""
        engine = self.engine

        def shown(status: SyncStatus) -> None:
            self.last_status = status
            self.status_changed.emit(status)
            if then is not None:
                then(status)

        self._ops.query(self, lambda _store: engine.status(), shown, self._status_failed)

    def _status_failed(self, error: BaseException) -> None:
        log.info("sync status unavailable (%s)", type(error).__name__)

    def _on_progress(self, event: ProgressEvent) -> None:
        percent = 0
        if event.bytes_total:
            percent = int(100 * event.bytes_done / event.bytes_total)
        key = (event.stage, percent)
        if key == self._last_percent and event.items_done != event.items_total:
            return
        self._last_percent = key
        self._ops.post(lambda: self.progress.emit(event) if self._alive() else None)

    def _alive(self) -> bool:
        import shiboken6

        return bool(shiboken6.isValid(self))

    def _done(self, report: SyncReport) -> None:
        self.last_report = report
        self.refresh_status()
        self.synced.emit(report)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, SyncBusy):
            return
        if isinstance(error, WipeRequired):
            self.stop()
            self.wiped.emit()
            return
        if isinstance(error, AuthRequired):
            self.stop()
            self.auth_required.emit()
            return
        if isinstance(error, SyncError | MeetingRoomError):
            # Offline or refused: the status bar says so; the next run retries.
            log.info("sync failed: %s", type(error).__name__)
            self.refresh_status()
            self.failed.emit(error)
            return
        self._ops.reporter.report(error)
