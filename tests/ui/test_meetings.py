"""Meeting list: sections by local date, accent-insensitive search, offline state."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from PySide6.QtTest import QAbstractItemModelTester, QTest
from pytestqt.qtbot import QtBot

from meetingroom import services
from meetingroom.domain import Meeting, MeetingId
from meetingroom.store import Store
from ui.context import UiContext
from ui.i18n import fold
from ui.screens.meetings import PAST, TODAY, UPCOMING, MeetingListScreen, load_summaries


def test_fold_strips_vietnamese_accents() -> None:
    assert fold("Hội nghị Ban Chấp hành Đảng bộ") == "hoi nghi ban chap hanh dang bo"


def test_sections_and_search(qtbot: QtBot, ctx: UiContext, sample: MeetingId) -> None:
    screen = MeetingListScreen(ctx)
    qtbot.addWidget(screen)
    tester = QAbstractItemModelTester(
        screen.model, QAbstractItemModelTester.FailureReportingMode.Fatal
    )
    screen.refresh()
    model = screen.model
    assert [m.id for m in model.meeting_rows(TODAY)] == [sample]
    assert len(model.meeting_rows(UPCOMING)) == 2
    assert [m.title for m in model.meeting_rows(PAST)] == ["Họp giao ban Văn phòng tháng 11"]
    QTest.keyClicks(screen.search, "hoi nghi ban chap")
    assert [m.id for m in model.meeting_rows()] == [sample]
    screen.search.setText("HỘI ĐỒNG")
    assert [m.title for m in model.meeting_rows()] == [
        "Kỳ họp thứ 9 Hội đồng nhân dân tỉnh khóa XVII"
    ]
    screen.search.setText("không có cuộc họp này")
    assert model.rowCount() == 0
    screen.search.clear()
    assert model.rowCount() == 4 + 3  # meetings and three section headers
    del tester


def test_row_shows_time_place_and_offline_state(
    qtbot: QtBot, ctx: UiContext, pin_store: Store
) -> None:
    start = datetime.now(UTC) + timedelta(days=1)
    meeting = Meeting(MeetingId("m-1"), "Họp thử", start, start + timedelta(hours=1), "Phòng 5")
    services.save(pin_store, meeting)
    [summary] = load_summaries(pin_store)
    assert summary.documents == 0
    screen = MeetingListScreen(ctx)
    qtbot.addWidget(screen)
    screen.refresh()
    text = screen.model.index(1, 0).data()
    assert "Họp thử" in text
    assert "Phòng 5" in text
    assert f"{start.astimezone():%H:%M}" in text
    assert "chưa có tài liệu" in text


def test_pack_is_offline_when_every_current_version_is_complete(
    pin_store: Store, sample: MeetingId
) -> None:
    [today] = [s for s in load_summaries(pin_store) if s.meeting.id == sample]
    assert today.documents == 7
    assert today.missing == 7
    assert not today.offline
    for doc in services.documents(pin_store, sample).items:
        assert doc.current_version_id is not None
        data = b"%PDF-1.4 sample"
        services.store_document_bytes(pin_store, doc.current_version_id, io.BytesIO(data))
    [today] = [s for s in load_summaries(pin_store) if s.meeting.id == sample]
    assert today.offline
