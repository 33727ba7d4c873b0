"""The one background-work helper of the app (after Anki's QueryOp, Picard's thread helper).

Database work runs on one worker thread that owns all Store access, so the GUI
thread never blocks on SQLite, scrypt or decryption, and store calls are
naturally serialised (a save queued before a lock lands before it). Results
and errors come back on the GUI thread through a queued Qt signal.

    ops.query(parent=self, op=lambda store: services.list_meetings(store),
              success=self._show)

``success`` and ``failure`` run on the GUI thread, and only while ``parent``
is alive and the op's generation is current: ``invalidate()`` (called on
lock) drops every result still in flight, so nothing of a meeting reaches the
screen after the lock. Errors that are ``MeetingRoomError`` go to the one
``ErrorReporter`` unless the caller handles them; anything else is logged
with its traceback and reported as an unexpected error (never shown raw).

Network work (sign-in, sync) runs on a second worker through ``ops.network``
with the same contract, so a long download never delays a database op.

Tests pass ``ImmediateExecutor`` to run ops synchronously (Picard style).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QStatusBar, QWidget

from meetingroom.errors import MeetingRoomError, StoreLocked
from meetingroom.store import Store
from sync.errors import SyncError
from ui.i18n import Translator

log = logging.getLogger(__name__)

T = TypeVar("T")


class Executor(Protocol):
    """Runs submitted callables; the worker side of ``Ops``."""

    def submit(self, fn: Callable[[], None]) -> None: ...

    def shutdown(self) -> None: ...


class WorkerExecutor:
    """One background thread; every store access of the app goes through it."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="meetingroom-db")

    def submit(self, fn: Callable[[], None]) -> None:
        self._pool.submit(fn)

    def shutdown(self) -> None:
        """Finish queued work (pending saves land), then stop the thread."""
        self._pool.shutdown(wait=True)


class NetworkExecutor(WorkerExecutor):
    """One background thread for network work (sign-in, sync), apart from the database worker.

    A long sync never delays a note being saved or a page being listed.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="meetingroom-net")


class ImmediateExecutor:
    """Runs each op at once on the calling thread (tests, deterministic)."""

    def submit(self, fn: Callable[[], None]) -> None:
        fn()

    def shutdown(self) -> None:
        pass


class ErrorReporter(QObject):
    """The one place errors reach the user: a message box and the status bar.

    Shows ``Translator.error(error)`` (a user-facing message, never a
    traceback). ``messages`` keeps what was shown, for tests and diagnostics.
    """

    reported = Signal(str)

    def __init__(
        self, tr: Translator, parent: QObject | None = None, *, dialogs: bool = True
    ) -> None:
        super().__init__(parent)
        self._tr = tr
        self._dialogs = dialogs
        self.messages: list[str] = []
        self.window: QWidget | None = None
        self.status_bar: QStatusBar | None = None

    def report(self, error: BaseException) -> None:
        """Show ``error`` to the user."""
        message = self._tr.error(error)
        self.messages.append(message)
        if self.status_bar is not None:
            self.status_bar.showMessage(message.split("\n", 1)[0], 10_000)
        if self._dialogs:
            box = QMessageBox(
                QMessageBox.Icon.Warning, self._tr("error_title"), message, parent=self.window
            )
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()  # window-modal, does not block the caller
        self.reported.emit(message)


class _Relay(QObject):
    """Lives on the GUI thread; a signal emitted from the worker is queued to it."""

    deliver = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        # AutoConnection: queued when emitted from the worker, direct when the
        # executor ran the op on the GUI thread itself.
        self.deliver.connect(self._run)

    @Slot(object)
    def _run(self, callback: Callable[[], None]) -> None:
        callback()


def _alive(obj: QObject | None) -> bool:
    if obj is None:
        return True
    import shiboken6

    return bool(shiboken6.isValid(obj))


class Ops:
    """Runs ``op(store)`` off the GUI thread and delivers the outcome on it."""

    def __init__(
        self,
        executor: Executor,
        reporter: ErrorReporter,
        store: Callable[[], Store | None],
        network: Executor | None = None,
    ) -> None:
        self._executor = executor
        self._network = network or executor
        self.reporter = reporter
        self._store = store
        self._relay = _Relay()
        self._generation = 0
        self._lock = threading.Lock()
        self.busy = 0

    def invalidate(self) -> None:
        """Drop the results of every op already started (called on lock)."""
        with self._lock:
            self._generation += 1

    def query(
        self,
        parent: QObject | None,
        op: Callable[[Store], T],
        success: Callable[[T], Any] | None = None,
        failure: Callable[[BaseException], Any] | None = None,
    ) -> None:
        """Run ``op(store)`` on the worker; ``success(result)`` on the GUI thread.

        ``failure(error)`` handles errors instead of the reporter when given.
        A missing store is reported as ``StoreLocked``.
        """

        def with_store() -> T:
            store = self._store()
            if store is None:
                raise StoreLocked()
            return op(store)

        self.run(parent, with_store, success, failure)

    def run(
        self,
        parent: QObject | None,
        fn: Callable[[], T],
        success: Callable[[T], Any] | None = None,
        failure: Callable[[BaseException], Any] | None = None,
    ) -> None:
        """Run ``fn()`` on the worker (for work before a store exists, e.g. creating one)."""
        self._submit(self._executor, parent, fn, success, failure)

    def network(
        self,
        parent: QObject | None,
        fn: Callable[[], T],
        success: Callable[[T], Any] | None = None,
        failure: Callable[[BaseException], Any] | None = None,
    ) -> None:
        """Like ``run``, on the network worker (sign-in, sync): never the DB worker or GUI."""
        self._submit(self._network, parent, fn, success, failure)

    def post(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` on the GUI thread (from any thread; queued from workers)."""
        self._relay.deliver.emit(callback)

    def _submit(
        self,
        executor: Executor,
        parent: QObject | None,
        fn: Callable[[], T],
        success: Callable[[T], Any] | None,
        failure: Callable[[BaseException], Any] | None,
    ) -> None:
        generation = self._generation
        self.busy += 1

        def work() -> None:
            try:
                result = fn()
            except Exception as exc:
                error = exc
                self._relay.deliver.emit(lambda: self._finish(parent, generation, failure, error))
            else:
                self._relay.deliver.emit(lambda: self._finish(parent, generation, success, result))

        executor.submit(work)

    def _finish(
        self,
        parent: QObject | None,
        generation: int,
        handler: Callable[[Any], Any] | None,
        outcome: object,
    ) -> None:
        self.busy -= 1
        if generation != self._generation or not _alive(parent):
            return  # locked meanwhile, or the view that asked is gone
        if isinstance(outcome, BaseException):
            if not isinstance(outcome, MeetingRoomError | SyncError):
                log.error("unexpected error in a background op", exc_info=outcome)
            if handler is not None:
                handler(outcome)
            else:
                self.reporter.report(outcome)
        elif handler is not None:
            handler(outcome)

    def shutdown(self) -> None:
        """Let queued work finish and stop the workers."""
        if self._network is not self._executor:
            self._network.shutdown()
        self._executor.shutdown()
