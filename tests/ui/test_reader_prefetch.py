"""The page view prefetches in the direction of scrolling; it and the thumbnails keep their
pixmaps within byte budgets. Real store, PDF and worker; the requests are recorded as they
are made (what was asked, in which order, at which priority), never timed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from meetingroom.domain import MeetingId
from meetingroom.pdf import RenderedPage, RenderFuture, RenderService
from meetingroom.store import Store
from ui.context import UiContext
from ui.reader.screen import ReaderScreen
from ui.reader.view import PREFETCH_AHEAD

from .reader_helpers import make_pdf, store_bytes

PAGES = 30


class RecordingService(RenderService):
    """The real service, remembering every page render asked: (page, prefetch)."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, workers=1, allow_test_requests=True)
        self.asked: list[tuple[int, bool]] = []

    def render(
        self, version_id: str, page: int, *, prefetch: bool = False, **kw: Any
    ) -> RenderFuture[RenderedPage]:
        self.asked.append((page, prefetch))
        return super().render(version_id, page, prefetch=prefetch, **kw)


@pytest.fixture
def service(pin_store: Store) -> Iterator[RecordingService]:
    s = RecordingService(pin_store)
    yield s
    s.close()


@pytest.fixture
def reader(
    qtbot: QtBot, ctx: UiContext, service: RecordingService, pin_store: Store, sample: MeetingId
) -> ReaderScreen:
    store_bytes(pin_store, "prefetch-doc", make_pdf(PAGES))
    screen = ReaderScreen(ctx, service, "prefetch-doc")
    qtbot.addWidget(screen)
    screen.resize(1100, 760)
    screen.show()
    screen.load()
    qtbot.waitUntil(lambda: screen.info is not None and screen.view.painted, timeout=20_000)
    settle(qtbot, screen)
    return screen


def settle(qtbot: QtBot, reader: ReaderScreen) -> None:
    """Wait until every render the view asked for (prefetches included) has arrived."""
    view = reader.view
    view.refresh()
    qtbot.waitUntil(lambda: view.pending_count() == 0, timeout=20_000)


def test_page_down_prefetches_ahead_at_low_priority(
    qtbot: QtBot, reader: ReaderScreen, service: RecordingService
) -> None:
    view = reader.view
    view.setFocus()
    for _ in range(3):  # a few Page Downs: each next page was prefetched by the one before
        service.asked.clear()
        QTest.keyClick(view.viewport(), Qt.Key.Key_PageDown)
        view.refresh()  # what the zero-delay timer runs after the scroll
        visible = view.visible_pages()
        ahead = [visible.stop + i for i in range(PREFETCH_AHEAD)]
        asked = service.asked
        in_view = [page for page, low in asked if not low]
        low = [page for page, low in asked if low]
        # Pages in view are asked at normal priority, prefetches after them, at low
        # priority, the nearest page ahead last (newest first: it is served first).
        assert set(in_view) <= set(visible)
        assert all(not asked[i][1] for i in range(len(in_view)))
        assert set(low) <= {*ahead, visible.start - 1}
        assert low[-1:] == [ahead[0]] or view.shown(range(ahead[0], ahead[0] + 1))
        settle(qtbot, reader)
        assert view.shown(visible)
        assert all(view.shown(range(p, p + 1)) for p in ahead)


def test_next_page_is_already_rendered_when_paging_down(
    qtbot: QtBot, reader: ReaderScreen, service: RecordingService
) -> None:
    view = reader.view
    view.setFocus()
    QTest.keyClick(view.viewport(), Qt.Key.Key_PageDown)
    settle(qtbot, reader)
    service.asked.clear()
    view.go_to_page(view.current_page() + 1)
    view.refresh()
    # What came into view was prefetched: nothing in view had to be asked for.
    assert view.shown(view.visible_pages())
    assert [page for page, low in service.asked if not low] == []


def test_scrolling_up_prefetches_the_pages_above(
    qtbot: QtBot, reader: ReaderScreen, service: RecordingService
) -> None:
    view = reader.view
    view.go_to_page(20)
    settle(qtbot, reader)
    service.asked.clear()
    view.setFocus()
    QTest.keyClick(view.viewport(), Qt.Key.Key_PageUp)
    view.refresh()
    visible = view.visible_pages()
    above = {visible.start - 1 - i for i in range(PREFETCH_AHEAD)}
    low = {page for page, low in service.asked if low}
    assert low
    assert low <= above | {visible.stop}
    assert low & above


def test_a_jump_drops_the_stale_requests(
    qtbot: QtBot, reader: ReaderScreen, service: RecordingService
) -> None:
    view = reader.view
    busy = service._test_sleep("prefetch-doc", 0.5, time_limit=10)
    qtbot.waitUntil(lambda: not service._slots[0].queued, timeout=20_000)  # in the worker
    view.go_to_page(10)
    view.refresh()
    stale = set(view.pending_pages())
    assert 10 in stale  # queued behind the sleeping worker
    view.go_to_page(25)
    view.refresh()
    visible = view.visible_pages()
    wanted = set(visible) | set(view.prefetch_pages(visible))
    assert set(view.pending_pages()) <= wanted  # those around page 10 were cancelled
    assert stale.isdisjoint(wanted)
    busy.result(timeout=20)
    settle(qtbot, reader)
    assert view.shown(visible)
    assert all(view.pages[p].pixmap is None for p in (9, 10, 11))  # never rendered


def test_kept_pixmaps_stay_within_the_byte_budget(
    qtbot: QtBot, reader: ReaderScreen, service: RecordingService
) -> None:
    view = reader.view
    page_bytes = max(view.kept._sizes.values())  # one page at this zoom
    view.kept.budget = 8 * page_bytes
    for page in range(0, PAGES, 2):
        view.go_to_page(page)
        settle(qtbot, reader)
        visible = view.visible_pages()
        pinned = set(visible) | set(view.prefetch_pages(visible))
        with_pixels = {i for i, item in enumerate(view.pages) if item.pixmap is not None}
        # The budget tracks exactly the pixmaps the pages hold ...
        assert with_pixels == set(view.kept)
        # ... and they stay within it (pages in use are never dropped, whatever it is).
        assert view.kept.bytes_used <= view.kept.budget  # the pages in use fit in it here
        assert pinned <= with_pixels
    # Paging back to a page still kept shows it without a render.
    back = next(p for p in view.kept if p not in pinned)
    service.asked.clear()
    view.go_to_page(back)
    view.refresh()
    assert (back, False) not in service.asked
    assert view.shown(range(back, back + 1))


def test_thumbnails_kept_within_their_budget(qtbot: QtBot, reader: ReaderScreen) -> None:
    thumbs = reader.thumbnails
    qtbot.waitUntil(lambda: len(thumbs.kept) > 0, timeout=20_000)
    one = max(thumbs.kept._sizes.values())
    thumbs.kept.budget = 4 * one
    bar = thumbs.verticalScrollBar()
    while True:
        thumbs._request_visible()  # what the scroll's timer runs
        in_view = thumbs._in_view

        def arrived(rows: range = in_view) -> bool:
            return all(p in thumbs.kept for p in rows)

        qtbot.waitUntil(arrived, timeout=20_000)
        # Rows in view keep their images; beyond them, at most the budget.
        assert thumbs.kept.bytes_used <= max(thumbs.kept.budget, len(in_view) * one)
        assert set(thumbs.kept) <= thumbs._asked
        if bar.value() >= bar.maximum():
            break
        bar.setValue(bar.value() + bar.pageStep())
    assert 0 not in thumbs.kept  # dropped on the way: asked again when scrolled back
    assert 0 not in thumbs._asked
