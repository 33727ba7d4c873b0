"""Prepare mode flows (pytest-qt) on a real encrypted profile with the sample meetings."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pymupdf as _pymupdf
import pytest
from PySide6.QtCore import QByteArray, QEvent, QMimeData, QModelIndex, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QTreeWidgetItem

from meetingroom import services
from meetingroom.directory import DirectoryEntry, save_directory
from meetingroom.domain import Classification, MeetingId, MeetingStatus, Role, UserId
from meetingroom.prepare import agenda
from meetingroom.store import Store
from ui.context import UiContext
from ui.i18n import Translator
from ui.ops import ErrorReporter, Ops, WorkerExecutor
from ui.prepare import PrepareScreen
from ui.prepare.agenda_editor import ItemIdRole
from ui.prepare.documents_panel import DocumentsPanel
from ui.prepare.seating_editor import MIME, SeatingEditor

pymupdf: Any = _pymupdf


def make_pdf(path: Path, text: str = "Nghị quyết", **save: Any) -> Path:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), text)
    doc.save(str(path), **save)
    doc.close()
    return path


def doc_row(panel: DocumentsPanel, title: str) -> QTreeWidgetItem:
    for r in range(panel.list.topLevelItemCount()):
        item = panel.list.topLevelItem(r)
        if item is not None and item.text(0) == title:
            return item
    raise AssertionError(f"no row {title!r}")


def child_texts(item: QTreeWidgetItem) -> list[str]:
    children = [item.child(i) for i in range(item.childCount())]
    return [c.text(0) for c in children if c is not None]


def top_titles(store: Store, mid: MeetingId) -> list[str]:
    return [i.title for i in agenda.children(services.agenda(store, mid).items, None)]


@pytest.fixture
def screen(qtbot: Any, ctx: UiContext, sample: MeetingId) -> PrepareScreen:
    widget = PrepareScreen(ctx, sample)
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    return widget


# -- meeting ---------------------------------------------------------------------------


def test_new_meeting_is_created_on_save_and_opens_the_other_tabs(
    qtbot: Any, ctx: UiContext, pin_store: Store
) -> None:
    widget = PrepareScreen(ctx, None)
    qtbot.addWidget(widget)
    assert not widget.tabs.isTabEnabled(1)
    editor = widget.meeting_tab
    editor.save()  # no title yet
    assert "tên" in editor.message.text().lower()
    assert services.list_meetings(pin_store).items == []
    editor.title.setText("Họp giao ban tuần")
    editor.location.setText("Phòng họp số 2")
    editor.save()
    [meeting] = services.list_meetings(pin_store).items
    assert (meeting.title, meeting.location, meeting.status) == (
        "Họp giao ban tuần",
        "Phòng họp số 2",
        MeetingStatus.DRAFT,
    )
    assert widget.meeting_id == meeting.id
    assert widget.tabs.isTabEnabled(1)
    assert widget.heading.text() == "Họp giao ban tuần"


def test_participants_are_picked_from_the_directory(
    screen: PrepareScreen, pin_store: Store, sample: MeetingId
) -> None:
    save_directory(
        pin_store,
        [
            DirectoryEntry(
                UserId("d1"), "ntmai", "Ngô Thị Mai", Role.DELEGATE, Classification.SECRET
            ),
            DirectoryEntry(UserId("d2"), "dvan", "Đỗ Văn An", Role.OBSERVER, Classification.NORMAL),
        ],
    )
    editor = screen.meeting_tab
    editor.load(sample)
    before = len(services.participants(pin_store, sample).items)
    editor.filter.setText("ngo thi")  # accent-insensitive
    visible = [
        editor.directory.item(r)
        for r in range(editor.directory.count())
        if not editor.directory.item(r).isHidden()
    ]
    assert [i.text().split(" — ")[0] for i in visible] == ["Ngô Thị Mai"]
    visible[0].setSelected(True)
    editor.add_selected()
    people = services.participants(pin_store, sample).items
    assert len(people) == before + 1
    mai = next(p for p in people if p.user_id == "d1")
    assert mai.clearance is Classification.SECRET
    names = [editor.people.item(r, 0) for r in range(editor.people.rowCount())]
    row = [n.text() if n else "" for n in names].index("Ngô Thị Mai")
    role_box = editor.people.cellWidget(row, 1)
    assert isinstance(role_box, QComboBox)
    role_box.setCurrentIndex(list(Role).index(Role.OBSERVER))
    assert pin_store.repos.participants.get(mai.id).role is Role.OBSERVER
    editor.people.setCurrentCell(row, 0)
    editor.remove_selected()
    assert len(services.participants(pin_store, sample).items) == before


def test_publish_unpublish_and_close(
    qtbot: Any, screen: PrepareScreen, pin_store: Store, sample: MeetingId
) -> None:
    assert pin_store.repos.meetings.get(sample).status is MeetingStatus.PUBLISHED
    assert screen.unpublish_button.isVisible()
    qtbot.mouseClick(screen.unpublish_button, Qt.MouseButton.LeftButton)
    assert pin_store.repos.meetings.get(sample).status is MeetingStatus.DRAFT
    assert screen.publish_button.isVisible()
    assert not screen.close_button.isVisible()
    qtbot.mouseClick(screen.publish_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.close_button, Qt.MouseButton.LeftButton)
    assert pin_store.repos.meetings.get(sample).status is MeetingStatus.CLOSED
    assert "Đã kết thúc" in screen.status.text()


# -- agenda ----------------------------------------------------------------------------


def test_agenda_model_passes_the_model_tester(screen: PrepareScreen, sample: MeetingId) -> None:
    editor = screen.agenda_tab
    tester = QAbstractItemModelTester(
        editor.model, QAbstractItemModelTester.FailureReportingMode.Fatal
    )
    editor.load(sample)
    editor.act("add")
    assert editor.model.rowCount() > 0
    del tester


def test_agenda_keys_move_nest_rename_and_remove(
    qtbot: Any, screen: PrepareScreen, pin_store: Store, sample: MeetingId
) -> None:
    screen.tabs.setCurrentWidget(screen.agenda_tab)
    editor = screen.agenda_tab
    view = editor.view
    first, second = top_titles(pin_store, sample)[:2]
    view.setFocus()
    view.setCurrentIndex(editor.model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert top_titles(pin_store, sample)[:2] == [second, first]
    moved = editor.selected_id()
    assert moved is not None
    assert pin_store.repos.agenda_items.get(moved).title == first

    qtbot.keyClick(view, Qt.Key.Key_Tab)  # under the item now before it
    assert pin_store.repos.agenda_items.get(moved).parent_id is not None
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert pin_store.repos.agenda_items.get(moved).parent_id is None

    index = editor.model.index_of(moved)
    assert editor.model.setData(index, "Khai mạc (sửa)", Qt.ItemDataRole.EditRole)
    minutes = editor.model.index_of(moved).siblingAtColumn(2)
    editor.model.setData(minutes, 25, Qt.ItemDataRole.EditRole)
    item = pin_store.repos.agenda_items.get(moved)
    assert (item.title, item.planned_minutes) == ("Khai mạc (sửa)", 25)
    total = agenda.planned_minutes(services.agenda(pin_store, sample).items)
    assert f"{total} phút" in editor.total.text()

    editor.confirm = lambda _text: False
    view.setCurrentIndex(editor.model.index_of(moved))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert pin_store.repos.agenda_items.find(moved) is not None
    editor.confirm = lambda _text: True
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert pin_store.repos.agenda_items.find(moved) is None


def test_agenda_drop_moves_an_item_under_another(
    screen: PrepareScreen, pin_store: Store, sample: MeetingId
) -> None:
    editor = screen.agenda_tab
    editor.load(sample)
    model = editor.model
    last = model.index(model.rowCount() - 1, 0)
    target = model.index(0, 0)
    last_id = last.data(ItemIdRole)
    data = model.mimeData([last])
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, target)
    model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, target)  # onto the first item
    assert pin_store.repos.agenda_items.get(last_id).parent_id == target.data(ItemIdRole)
    moved = model.index_of(last_id)
    model.dropMimeData(model.mimeData([moved]), Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert top_titles(pin_store, sample)[0] == pin_store.repos.agenda_items.get(last_id).title


def test_agenda_add_item_and_sub_item(
    screen: PrepareScreen, pin_store: Store, sample: MeetingId
) -> None:
    editor = screen.agenda_tab
    editor.load(sample)
    count = len(services.agenda(pin_store, sample).items)
    editor.view.setCurrentIndex(editor.model.index(0, 0))
    parent_id = editor.selected_id()
    editor.act("add_sub")
    items = services.agenda(pin_store, sample).items
    assert len(items) == count + 1
    new = next(i for i in items if i.title == "Nội dung mới")
    assert new.parent_id == parent_id


# -- documents -------------------------------------------------------------------------


def test_documents_attach_check_duplicate_version_classify_remove(
    screen: PrepareScreen, pin_store: Store, sample: MeetingId, tmp_path: Path
) -> None:
    panel = screen.documents_tab
    panel.load(sample)
    before = {d.id for d in services.documents(pin_store, sample).items}
    good = make_pdf(tmp_path / "Báo cáo quý IV.pdf")
    text = tmp_path / "Ghi nhớ.pdf"
    text.write_text("không phải PDF", encoding="utf-8")
    locked = make_pdf(
        tmp_path / "Tờ trình mật.pdf",
        encryption=pymupdf.PDF_ENCRYPT_AES_256,
        user_pw="a",
        owner_pw="b",
    )
    copy = tmp_path / "Bản sao.pdf"
    copy.write_bytes(good.read_bytes())
    panel.choose_files = lambda: [good, text, locked, copy]
    panel.add_dialog()
    messages = [panel.messages.item(r).text() for r in range(panel.messages.count())]
    assert any("Ghi nhớ.pdf" in m and "không phải tệp PDF" in m for m in messages)
    assert any("Tờ trình mật.pdf" in m and "mật khẩu" in m for m in messages)
    assert any("Bản sao.pdf" in m and "Báo cáo quý IV" in m for m in messages)
    added = [d for d in services.documents(pin_store, sample).items if d.id not in before]
    assert [d.title for d in added] == ["Báo cáo quý IV"]
    doc = added[0]
    row = doc_row(panel, "Báo cáo quý IV")
    assert row.text(5) == "chờ tải lên"
    panel.list.setCurrentItem(row)

    panel.replace_with(doc.id, make_pdf(tmp_path / "Báo cáo quý IV (sửa).pdf", "Bản sửa"))
    versions = services.versions(pin_store, doc.id).items
    assert [v.number for v in versions] == [1, 2]
    assert pin_store.repos.documents.get(doc.id).current_version_id == versions[1].id

    panel.list.setCurrentItem(doc_row(panel, "Báo cáo quý IV"))
    panel.level.setCurrentIndex(list(Classification).index(Classification.SECRET))
    panel.level.activated.emit(panel.level.currentIndex())
    assert pin_store.repos.documents.get(doc.id).classification is Classification.SECRET

    panel.confirm = lambda _text: True
    panel.remove_selected()
    assert pin_store.repos.documents.find(doc.id) is None


def test_documents_oversize_is_reported(
    qtbot: Any, ctx: UiContext, sample: MeetingId, pin_store: Store, tmp_path: Path
) -> None:
    panel = DocumentsPanel(ctx, max_bytes=100)
    qtbot.addWidget(panel)
    panel.load(sample)
    panel.attach_files([make_pdf(tmp_path / "Phụ lục lớn.pdf")])
    assert "Phụ lục lớn.pdf" in panel.messages.item(0).text()
    assert "quá lớn" in panel.messages.item(0).text()


# -- seating ---------------------------------------------------------------------------


def test_seating_template_assign_move_relabel_export(
    screen: PrepareScreen, pin_store: Store, sample: MeetingId, tmp_path: Path
) -> None:
    editor = screen.seating_tab
    editor.load(sample)
    editor.template.setCurrentIndex(editor.template.findData("grid"))
    editor.rows.setValue(3)
    editor.cols.setValue(5)
    editor.confirm = lambda _text: True
    editor.apply_template()
    room = services.room(pin_store, sample)
    assert room is not None
    seats = services.seats(pin_store, room.id).items
    assert len(seats) == 15
    assert len(editor.items) == 15
    people = services.participants(pin_store, sample).items
    assert editor.unseated.count() == len(people)

    editor.select_seat(seats[0].id)
    editor.unseated.setCurrentRow(0)
    person_id = editor.unseated.currentItem().data(Qt.ItemDataRole.UserRole + 41)
    editor.act("seat_here")
    assert pin_store.repos.seats.get(seats[0].id).participant_id == person_id
    assert editor.unseated.count() == len(people) - 1

    editor.move_seat(seats[1].id, 40.0, 30.0)
    moved = pin_store.repos.seats.get(seats[1].id)
    assert (moved.x, moved.y) == (40.0, 30.0)
    editor.select_seat(seats[1].id)
    editor.ask_label = lambda _current: "CT"
    editor.act("relabel")
    assert pin_store.repos.seats.get(seats[1].id).label == "CT"

    out = tmp_path / "chart.pdf"
    editor.choose_path = lambda _suggested: out
    editor.export_pdf()
    person = pin_store.repos.participants.get(person_id)
    with pymupdf.open(str(out)) as doc:
        text = " ".join(doc[0].get_text().split())
    assert all(word in text for word in person.display_name.split())
    assert "CT" in text


def _seated_editor(screen: PrepareScreen, sample: MeetingId) -> SeatingEditor:
    editor = screen.seating_tab
    screen.tabs.setCurrentWidget(editor)
    editor.template.setCurrentIndex(editor.template.findData("boardroom"))
    editor.count.setValue(8)
    editor.confirm = lambda _text: True
    editor.apply_template()
    return editor


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Qt's QPoint drag-event constructors
def test_seating_drop_a_participant_on_a_seat(
    qtbot: Any, screen: PrepareScreen, pin_store: Store, sample: MeetingId
) -> None:
    editor = _seated_editor(screen, sample)
    seat = next(iter(editor.items.values())).seat
    person = services.participants(pin_store, sample).items[0]
    data = QMimeData()
    data.setData(MIME, QByteArray(person.id.encode()))
    view = editor.view
    at = QPointF(view.mapFromScene(QPointF(seat.x, seat.y)))
    for event in (
        QDragEnterEvent(
            at.toPoint(),
            Qt.DropAction.CopyAction,
            data,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        ),
        QDragMoveEvent(
            at.toPoint(),
            Qt.DropAction.CopyAction,
            data,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        ),
        QDropEvent(
            at,
            Qt.DropAction.CopyAction,
            data,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    ):
        QApplication.sendEvent(view.viewport(), event)
    assert pin_store.repos.seats.get(seat.id).participant_id == person.id
    rows = [editor.unseated.item(r) for r in range(editor.unseated.count())]
    names = [row.text() for row in rows if row is not None]
    assert not any(n.startswith(person.display_name + " —") for n in names)


def test_seating_drag_a_seat_to_move_it(
    qtbot: Any, screen: PrepareScreen, pin_store: Store, sample: MeetingId
) -> None:
    editor = _seated_editor(screen, sample)
    seat = next(iter(editor.items.values())).seat
    view = editor.view
    start = view.mapFromScene(QPointF(seat.x, seat.y))
    end = start + QPoint(40, 25)
    viewport = view.viewport()
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind, pos, button, buttons in (
        (QEvent.Type.MouseButtonPress, start, left, left),
        (QEvent.Type.MouseMove, start + QPoint(5, 5), none, left),
        (QEvent.Type.MouseMove, end, none, left),
        (QEvent.Type.MouseButtonRelease, end, left, none),
    ):
        event = QMouseEvent(
            kind,
            QPointF(pos),
            QPointF(viewport.mapToGlobal(pos)),
            button,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, event)
    moved = pin_store.repos.seats.get(seat.id)
    target = view.mapToScene(end)
    room = services.room(pin_store, sample)
    assert room is not None
    assert (moved.x, moved.y) != (seat.x, seat.y)
    # Where the mouse let go, kept inside the room.
    assert abs(moved.x - min(max(target.x(), 0), room.width)) < 2
    assert abs(moved.y - min(max(target.y(), 0), room.height)) < 2


def test_conflicting_edits_are_shown_not_dropped(
    qtbot: Any, screen: PrepareScreen, pin_store: Store, sample: MeetingId
) -> None:
    assert not screen.conflicts_label.isVisible()
    meeting = pin_store.repos.meetings.get(sample)
    with pin_store.atomic():
        pin_store.conflicts.add(
            "meetings",
            meeting.id,
            {"id": meeting.id, "title": "Tên do thư ký khác sửa"},
            server_rev=3,
            fields=("title",),
        )
    screen.meeting_tab.save()  # any edit re-checks
    assert screen.conflicts_label.isVisible()
    assert "1" in screen.conflicts_label.text()
    dialog = screen.show_conflicts()
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() >= 1
    dialog.keep_selected()
    assert pin_store.conflicts.count() == 0
    assert not screen.conflicts_label.isVisible()


def test_documents_dropped_files_are_attached(
    screen: PrepareScreen, pin_store: Store, sample: MeetingId, tmp_path: Path
) -> None:
    panel = screen.documents_tab
    panel.load(sample)
    pdf = make_pdf(tmp_path / "Kế hoạch tổ chức hội nghị.pdf", "Kế hoạch")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(pdf))])
    drop = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    panel.list.dropEvent(drop)
    titles = [d.title for d in services.documents(pin_store, sample).items]
    assert "Kế hoạch tổ chức hội nghị" in titles
    assert "Kế hoạch tổ chức hội nghị.pdf" in panel.messages.item(0).text()


def test_preview_as_delegate_applies_classification(
    qtbot: Any, screen: PrepareScreen, pin_store: Store, sample: MeetingId
) -> None:
    entry = DirectoryEntry(
        UserId("v1"), "vthoa", "Vũ Thị Hoa", Role.DELEGATE, Classification.NORMAL
    )
    save_directory(pin_store, [entry])
    from meetingroom.prepare import meeting as prep

    [hoa] = prep.add_participants(pin_store, sample, [entry])
    docs = services.documents(pin_store, sample).items
    secret = [d.title for d in docs if d.classification is not Classification.NORMAL]
    assert secret  # the sample has classified documents
    panel = screen.preview_tab
    screen.tabs.setCurrentWidget(panel)
    panel.who.setCurrentIndex(panel.who.findData(hoa.id))
    panel.preview()
    assert panel.pack is not None
    assert panel.pack.participant.id == hoa.id
    assert "Vũ Thị Hoa" in panel.summary.text()
    shown, hidden = panel.tree.topLevelItem(1), panel.tree.topLevelItem(2)
    assert shown is not None
    assert hidden is not None
    shown_titles = child_texts(shown)
    hidden_titles = child_texts(hidden)
    assert all(not any(t.startswith(s) for t in shown_titles) for s in secret)
    assert all(any(t.startswith(s) for t in hidden_titles) for s in secret)
    assert len(shown_titles) == len(docs) - len(secret)


def test_editors_work_with_the_real_background_worker(
    qtbot: Any, pin_store: Store, sample: MeetingId, user_id: UserId, tmp_path: Path
) -> None:
    """The same flows with ops on a worker thread: results arrive later, on the GUI thread."""
    tr = Translator()
    ops = Ops(WorkerExecutor(), ErrorReporter(tr, dialogs=False), lambda: pin_store)
    ctx = UiContext(tr, ops, user_id, date.today)
    widget = PrepareScreen(ctx, sample)
    qtbot.addWidget(widget)
    try:
        widget.tabs.setCurrentWidget(widget.agenda_tab)
        editor = widget.agenda_tab
        qtbot.waitUntil(lambda: editor.model.rowCount() > 0)
        first, second = top_titles(pin_store, sample)[:2]
        editor.view.setCurrentIndex(editor.model.index(0, 0))
        editor.act("down")
        qtbot.waitUntil(lambda: top_titles(pin_store, sample)[:2] == [second, first])
        qtbot.waitUntil(
            lambda: (
                str(editor.model.index(0, 0).data()).endswith(second)
                and editor.selected_id() is not None
            )
        )

        widget.tabs.setCurrentWidget(widget.documents_tab)
        panel = widget.documents_tab
        qtbot.waitUntil(lambda: panel.list.topLevelItemCount() > 0)
        before = panel.list.topLevelItemCount()
        panel.attach_files([make_pdf(tmp_path / "Biên bản họp.pdf", "Biên bản")])
        qtbot.waitUntil(lambda: panel.messages.count() == 1, timeout=30_000)
        qtbot.waitUntil(lambda: panel.list.topLevelItemCount() == before + 1)
        assert not panel.progress.isVisible()
        assert ops.reporter.messages == []
    finally:
        ops.shutdown()


def test_keyboard_f2_edits_and_arrows_nudge_a_seat(
    qtbot: Any, screen: PrepareScreen, pin_store: Store, sample: MeetingId
) -> None:
    screen.tabs.setCurrentWidget(screen.agenda_tab)
    view = screen.agenda_tab.view
    view.setFocus()
    view.setCurrentIndex(screen.agenda_tab.model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    assert view.state() == QAbstractItemView.State.EditingState
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert view.state() != QAbstractItemView.State.EditingState
    view.setFocus()
    assert QApplication.focusWidget() is view
    qtbot.keyClick(view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is not view  # Ctrl+Tab leaves the tree

    editor = _seated_editor(screen, sample)
    seat = next(iter(editor.items.values())).seat
    editor.select_seat(seat.id)
    editor.view.setFocus()
    qtbot.keyClick(editor.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(editor.view, Qt.Key.Key_Down)
    moved = pin_store.repos.seats.get(seat.id)
    assert (moved.x, moved.y) == (seat.x + 5.0, seat.y + 1.0)
    assert editor.selected_seat() is not None  # the selection survives the reload


def test_documents_title_is_renamed_in_place(
    screen: PrepareScreen, pin_store: Store, sample: MeetingId
) -> None:
    panel = screen.documents_tab
    panel.load(sample)
    item = panel.list.topLevelItem(0)
    assert item is not None
    did = item.data(0, Qt.ItemDataRole.UserRole + 31)
    item.setText(0, "Chương trình hội nghị (bản cuối)")
    assert pin_store.repos.documents.get(did).title == "Chương trình hội nghị (bản cuối)"
    again = panel.list.topLevelItem(0)
    assert again is not None
    again.setText(0, "   ")  # empty: refused, the old title comes back
    assert pin_store.repos.documents.get(did).title == "Chương trình hội nghị (bản cuối)"
    shown = panel.list.topLevelItem(0)
    assert shown is not None
    assert shown.text(0) == "Chương trình hội nghị (bản cuối)"


def test_leaving_saves_unsaved_details_or_stays(
    qtbot: Any, screen: PrepareScreen, pin_store: Store, sample: MeetingId
) -> None:
    editor = screen.meeting_tab
    assert not editor.is_dirty()
    with qtbot.waitSignal(screen.back, timeout=1000):
        screen.back_button.click()  # nothing to save: leaves at once

    editor.location.setText("Phòng họp tầng 3")
    editor.ends.setDateTime(editor.starts.dateTime().addSecs(-3600))
    left: list[bool] = []
    screen.back.connect(lambda: left.append(True))
    screen.back_button.click()
    assert left == []  # the end is before the start: not saved, not left
    assert "kết thúc" in editor.message.text().lower()
    assert pin_store.repos.meetings.get(sample).location != "Phòng họp tầng 3"

    editor.ends.setDateTime(editor.starts.dateTime().addSecs(2 * 3600))
    screen.back_button.click()
    assert left == [True]
    assert pin_store.repos.meetings.get(sample).location == "Phòng họp tầng 3"
    assert not editor.is_dirty()


def test_messages_name_the_file_and_reason_in_both_languages() -> None:
    from meetingroom.errors import DuplicateDocument, FileTooLarge, InvalidStatusChange, NotAPdf
    from ui.i18n import EN, VI
    from ui.prepare.texts import message_for

    vi, en = Translator(VI), Translator(EN)
    assert message_for(vi, NotAPdf("Tờ trình.docx")) == "Tờ trình.docx: không phải tệp PDF."
    assert message_for(en, NotAPdf("Tờ trình.docx")) == "Tờ trình.docx: this is not a PDF file."
    big = FileTooLarge("Phụ lục.pdf", 300 * 1024 * 1024, 200 * 1024 * 1024)
    assert message_for(vi, big) == "Phụ lục.pdf: tệp quá lớn (300.0 MB, tối đa 200 MB)."
    dup = DuplicateDocument("bản sao.pdf", "Báo cáo", "d1")
    assert "Báo cáo" in message_for(en, dup)
    status = InvalidStatusChange("closed", "draft")
    assert message_for(vi, status) == (
        "Không thể chuyển cuộc họp từ “Đã kết thúc / Closed” sang “Bản nháp / Draft”."
    )
