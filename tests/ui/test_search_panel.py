"""The global search panel on a real store with real PDFs, indexed by real PDF workers."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester, QTest
from pytestqt.qtbot import QtBot

from meetingroom.domain import UserId
from meetingroom.pdf import RenderService
from meetingroom.search import ResultKind, SearchIndex, index_pending
from meetingroom.store import Store
from tests.meetingroom.search_sample import Sample, fill
from ui.context import UiContext
from ui.i18n import Translator
from ui.ops import ErrorReporter, Ops, WorkerExecutor
from ui.search import SearchPanel
from ui.search.model import MARK_STYLE, HtmlRole, SearchResultsModel


@pytest.fixture
def sample(pin_store: Store, user_id: UserId) -> Sample:
    filled = fill(pin_store, user_id)
    with RenderService(pin_store, workers=1) as render:
        report = index_pending(pin_store, render)
    assert len(report.indexed) == 2
    return filled


@pytest.fixture
def panel(qtbot: QtBot, ctx: UiContext, sample: Sample) -> SearchPanel:
    widget = SearchPanel(ctx)
    qtbot.addWidget(widget)
    widget.resize(700, 600)
    widget.show()
    return widget


def test_results_model_passes_the_model_tester(
    qtbot: QtBot, pin_store: Store, user_id: UserId, sample: Sample
) -> None:
    model = SearchResultsModel(Translator())
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    outcome = SearchIndex(user_id).search(pin_store, "nghi quyet")
    model.set_results(outcome.results)
    assert model.rowCount() == len(outcome.results) > 0
    html = model.index(0, 0).data(HtmlRole)
    assert MARK_STYLE in html
    model.set_results(outcome.results[:1])
    model.clear()
    assert model.rowCount() == 0
    del tester


def test_typing_without_accents_lists_vietnamese_hits(qtbot: QtBot, panel: SearchPanel) -> None:
    QTest.keyClicks(panel.query, "nghi quyet")
    QTest.keyClick(panel.query, Qt.Key.Key_Return)
    results = panel.model.results()
    assert {r.kind for r in results} >= {ResultKind.PAGE, ResultKind.AGENDA_ITEM}
    assert "kết quả" in panel.status.text()
    first = panel.model.index(0, 0).data(Qt.ItemDataRole.DisplayRole)
    assert "Nghị quyết" in first or "nghị quyết" in first


def test_debounced_typing_searches_by_itself(qtbot: QtBot, panel: SearchPanel) -> None:
    QTest.keyClicks(panel.query, "tang truong")
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=3000)
    assert [r.kind for r in panel.model.results()] == [ResultKind.PAGE]


def test_activating_a_page_hit_asks_to_open_the_document_at_that_page(
    qtbot: QtBot, panel: SearchPanel, sample: Sample
) -> None:
    panel.search("giao uy ban")
    row = next(i for i, r in enumerate(panel.model.results()) if r.kind is ResultKind.PAGE)
    with qtbot.waitSignal(panel.openRequested) as signal:
        panel.view.activated.emit(panel.model.index(row, 0))
    assert signal.args == [sample.resolution_version.id, 2, "giao uy ban"]


def test_enter_opens_the_selected_result_and_arrows_move(
    qtbot: QtBot, panel: SearchPanel, sample: Sample
) -> None:
    QTest.keyClicks(panel.query, "ngan sach")
    QTest.keyClick(panel.query, Qt.Key.Key_Return)  # searches
    kinds = [r.kind for r in panel.model.results()]
    assert kinds[0] is ResultKind.AGENDA_ITEM
    with qtbot.waitSignal(panel.meetingRequested) as signal:
        QTest.keyClick(panel.query, Qt.Key.Key_Return)  # opens the first
    assert signal.args == [sample.meeting.id]
    page_row = kinds.index(ResultKind.PAGE)
    for _ in range(page_row):
        QTest.keyClick(panel.query, Qt.Key.Key_Down)
    assert panel.view.currentIndex().row() == page_row
    with qtbot.waitSignal(panel.openRequested) as opened:
        QTest.keyClick(panel.query, Qt.Key.Key_Return)
    assert opened.args[:2] == [sample.resolution_version.id, 1]


def test_no_results_says_so(qtbot: QtBot, panel: SearchPanel) -> None:
    panel.search("khong co tu nay")
    assert panel.model.rowCount() == 0
    assert "Không tìm thấy" in panel.status.text()


def test_clear_forgets_query_results_and_index(qtbot: QtBot, panel: SearchPanel) -> None:
    panel.search("nghi quyet")
    assert panel.model.rowCount()
    panel.clear()
    assert panel.query.text() == ""
    assert panel.model.rowCount() == 0
    assert panel.index._entries == []


def test_controls_have_accessible_names_and_tab_order(panel: SearchPanel) -> None:
    assert panel.query.accessibleName() == "Ô tìm kiếm"
    assert panel.view.accessibleName() == "Kết quả tìm kiếm"
    assert panel.query.nextInFocusChain() is panel.view or panel.focusProxy() is panel.query


def test_search_runs_on_the_database_worker_not_the_gui_thread(
    qtbot: QtBot, pin_store: Store, user_id: UserId, sample: Sample
) -> None:
    tr = Translator()
    threads: list[str] = []

    class RecordingIndex(SearchIndex):
        def search(self, store: Store, query: str, *, limit: int = 200):  # type: ignore[no-untyped-def]
            threads.append(threading.current_thread().name)
            return super().search(store, query, limit=limit)

    ops = Ops(WorkerExecutor(), ErrorReporter(tr, dialogs=False), lambda: pin_store)
    try:
        widget = SearchPanel(UiContext(tr, ops, user_id, date.today), RecordingIndex(user_id))
        qtbot.addWidget(widget)
        widget.search("nghi quyet")
        qtbot.waitUntil(lambda: widget.model.rowCount() > 0, timeout=5000)
    finally:
        ops.shutdown()
    assert threads
    assert all(name.startswith("meetingroom-db") for name in threads)


def test_a_locked_store_is_reported_not_raised(
    qtbot: QtBot, ctx: UiContext, pin_store: Store, sample: Sample
) -> None:
    widget = SearchPanel(ctx)
    qtbot.addWidget(widget)
    widget.search("nghi quyet")
    pin_store.lock()
    widget.search("ngan sach")
    assert widget.model.rowCount() == 0
    assert ctx.ops.reporter.messages


def test_refresh_picks_up_text_indexed_later(
    qtbot: QtBot, ctx: UiContext, pin_store: Store, user_id: UserId
) -> None:
    from tests.meetingroom.search_sample import add_document

    filled = fill(pin_store, user_id)
    widget = SearchPanel(ctx)
    qtbot.addWidget(widget)
    widget.search("tang truong kinh te")
    assert widget.model.rowCount() == 0  # the report's pages are not indexed yet
    add_document(pin_store, filled.meeting.id, "Phụ lục", ["Tăng trưởng kinh tế 8,2%"], 9)
    with RenderService(pin_store, workers=1) as render:
        index_pending(pin_store, render)
    widget.refresh()
    pages = [r for r in widget.model.results() if r.kind is ResultKind.PAGE]
    assert len(pages) == 2  # the sample's report and the new appendix
    widget.focus_query()
    assert widget.query.selectedText() == "tang truong kinh te"


def test_results_of_an_older_query_are_dropped(
    qtbot: QtBot, panel: SearchPanel, pin_store: Store
) -> None:
    old = panel.index.search(pin_store, "ngan sach")
    panel.search("tang truong")
    shown = panel.model.results()
    panel._show(old)  # arrives late, after the newer query's results
    assert panel.model.results() == shown
