"""The background-work helper: results and errors on the GUI thread, one error place."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from meetingroom.errors import StoreLocked, WrongPin
from meetingroom.store import Store
from ui.i18n import Translator
from ui.ops import ErrorReporter, ImmediateExecutor, Ops, WorkerExecutor


def test_meetingroom_errors_reach_the_reporter_as_words(qtbot: QtBot, store: Store) -> None:
    reporter = ErrorReporter(Translator(), dialogs=False)
    ops = Ops(ImmediateExecutor(), reporter, lambda: store)

    def fail(_store: Store) -> None:
        raise WrongPin(1, 2)

    ops.query(None, fail, lambda _r: None)
    assert reporter.messages
    assert "Sai mã PIN. Còn 2 lần thử." in reporter.messages[0]
    assert "Traceback" not in reporter.messages[0]


def test_unexpected_errors_are_reported_without_traceback(qtbot: QtBot, store: Store) -> None:
    reporter = ErrorReporter(Translator(), dialogs=False)
    ops = Ops(ImmediateExecutor(), reporter, lambda: store)
    ops.query(None, lambda _s: 1 / 0)
    assert reporter.messages == [Translator()("unexpected_error")]


def test_missing_store_is_reported_as_locked(qtbot: QtBot) -> None:
    reporter = ErrorReporter(Translator(), dialogs=False)
    ops = Ops(ImmediateExecutor(), reporter, lambda: None)
    ops.query(None, lambda s: s.outbox.count())
    assert StoreLocked().args[0] in reporter.messages[0]


def test_worker_runs_off_the_gui_thread_and_delivers_on_it(qtbot: QtBot, store: Store) -> None:
    reporter = ErrorReporter(Translator(), dialogs=False)
    executor = WorkerExecutor()
    ops = Ops(executor, reporter, lambda: store)
    seen: dict[str, object] = {}

    def work(s: Store) -> int:
        seen["worker"] = threading.current_thread()
        return s.outbox.count()

    def done(result: int) -> None:
        seen["gui"] = threading.current_thread()
        seen["result"] = result

    ops.query(None, work, done)
    qtbot.waitUntil(lambda: "gui" in seen, timeout=5000)
    assert seen["worker"] is not threading.main_thread()
    assert seen["gui"] is threading.main_thread()
    assert seen["result"] == 0
    ops.shutdown()


def test_invalidate_drops_results_in_flight(qtbot: QtBot, store: Store) -> None:
    reporter = ErrorReporter(Translator(), dialogs=False)
    gate = threading.Event()
    executor = WorkerExecutor()
    ops = Ops(executor, reporter, lambda: store)
    got: list[object] = []
    ops.query(None, lambda _s: gate.wait(5), got.append)
    ops.invalidate()
    gate.set()
    ops.shutdown()
    qtbot.wait(50)
    assert got == []


def test_network_ops_run_on_their_own_thread(qtbot: QtBot, store: Store) -> None:
    from ui.ops import NetworkExecutor

    reporter = ErrorReporter(Translator(), dialogs=False)
    ops = Ops(WorkerExecutor(), reporter, lambda: store, NetworkExecutor())
    names: dict[str, str] = {}
    ops.run(None, lambda: threading.current_thread().name, lambda n: names.update(db=n))
    ops.network(None, lambda: threading.current_thread().name, lambda n: names.update(net=n))
    qtbot.waitUntil(lambda: len(names) == 2, timeout=2000)
    assert names["db"].startswith("meetingroom-db")
    assert names["net"].startswith("meetingroom-net")
    ops.shutdown()


def test_sync_errors_reach_the_reporter_as_words(qtbot: QtBot, store: Store) -> None:
    from sync.errors import AuthRequired, NetworkError, TlsError

    reporter = ErrorReporter(Translator(), dialogs=False)
    ops = Ops(ImmediateExecutor(), reporter, lambda: store)
    for error in (AuthRequired("invalid_credentials"), NetworkError("x"), TlsError("y")):

        def fail(_store: Store, error: Exception = error) -> None:
            raise error

        ops.query(None, fail)
    assert "Sai tên đăng nhập hoặc mật khẩu." in reporter.messages[0]
    assert "Không kết nối được máy chủ" in reporter.messages[1]
    assert "TLS" in reporter.messages[2]
