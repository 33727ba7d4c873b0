"""The secretary's operations (meetingroom.prepare) on a real encrypted store."""

from __future__ import annotations

import dataclasses
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pymupdf as _pymupdf
import pytest

from meetingroom import services
from meetingroom.directory import DirectoryEntry
from meetingroom.domain import (
    Annotation,
    AnnotationId,
    AnnotationKind,
    Classification,
    MeetingStatus,
    Role,
    UserId,
    new_id,
)
from meetingroom.errors import (
    DuplicateDocument,
    FileTooLarge,
    InvalidAgendaMove,
    InvalidMeeting,
    InvalidStatusChange,
    NotAPdf,
    PdfCorrupt,
    PdfPasswordProtected,
)
from meetingroom.prepare import agenda, chart, checks, documents, meeting, seating
from meetingroom.store import Store

pymupdf: Any = _pymupdf

START = datetime(2027, 5, 4, 1, 0, tzinfo=UTC)
PEOPLE = [
    DirectoryEntry(UserId("u1"), "ntlan", "Nguyễn Thị Lan", Role.CHAIR, Classification.SECRET),
    DirectoryEntry(UserId("u2"), "tvminh", "Trần Văn Minh", Role.DELEGATE, Classification.NORMAL),
    DirectoryEntry(
        UserId("u3"), "lhduc", "Lê Hoàng Đức", Role.DELEGATE, Classification.CONFIDENTIAL
    ),
]


def make_pdf(path: Path, text: str = "Nghị quyết", pages: int = 2, **save: Any) -> Path:
    doc = pymupdf.open()
    for n in range(pages):
        doc.new_page().insert_text((72, 72), f"{text} {n}")
    doc.save(str(path), **save)
    doc.close()
    return path


@pytest.fixture
def mid(store: Store) -> Any:
    return meeting.create_meeting(
        store, "Họp Ban Thường vụ", START, START + timedelta(hours=2), location="Phòng 201"
    ).id


def acknowledge_all(store: Store) -> None:
    """Empty the outbox as if every change had reached the server."""
    for entry in store.outbox.pending():
        store.outbox.acknowledge(entry)


def pending(store: Store, table: str) -> set[str]:
    return {e.entity_id for e in store.outbox.pending() if e.entity_table == table}


# -- meeting and participants ----------------------------------------------------------


def test_create_and_update_touch_only_changed_fields(store: Store, mid: Any) -> None:
    before = store.repos.meetings.get(mid)
    assert before.status is MeetingStatus.DRAFT
    assert pending(store, "meetings") == {mid}
    acknowledge_all(store)
    same = meeting.update_meeting(store, mid, title="Họp Ban Thường vụ", location="Phòng 201")
    assert same == before
    assert not store.outbox.pending()
    after = meeting.update_meeting(store, mid, classification=Classification.CONFIDENTIAL)
    assert after.classification is Classification.CONFIDENTIAL
    assert after.title == before.title
    assert pending(store, "meetings") == {mid}


def test_invalid_meeting_details_are_refused(store: Store, mid: Any) -> None:
    with pytest.raises(InvalidMeeting):
        meeting.create_meeting(store, "  ", START, START + timedelta(hours=1))
    with pytest.raises(InvalidMeeting):
        meeting.update_meeting(store, mid, ends_at=START - timedelta(minutes=1))
    assert store.repos.meetings.get(mid).ends_at == START + timedelta(hours=2)


def test_status_transitions(store: Store, mid: Any) -> None:
    with pytest.raises(InvalidStatusChange):
        meeting.set_status(store, mid, MeetingStatus.CLOSED)
    assert meeting.set_status(store, mid, MeetingStatus.PUBLISHED).status == "published"
    assert meeting.set_status(store, mid, MeetingStatus.DRAFT).status == "draft"
    meeting.set_status(store, mid, MeetingStatus.PUBLISHED)
    meeting.set_status(store, mid, MeetingStatus.CLOSED)
    with pytest.raises(InvalidStatusChange):
        meeting.set_status(store, mid, MeetingStatus.DRAFT)
    assert store.repos.meetings.get(mid).status is MeetingStatus.CLOSED


def test_participants_from_directory_with_role_and_clearance(store: Store, mid: Any) -> None:
    added = meeting.add_participants(store, mid, PEOPLE)
    assert [p.display_name for p in added] == [e.display_name for e in PEOPLE]
    lan = added[0]
    assert (lan.role, lan.clearance, lan.user_id) == (Role.CHAIR, Classification.SECRET, "u1")
    assert meeting.add_participants(store, mid, PEOPLE[:2]) == []  # no one twice
    changed = meeting.update_participant(store, added[1].id, role=Role.OBSERVER)
    assert changed.role is Role.OBSERVER
    meeting.remove_participant(store, added[2].id)
    names = {p.display_name for p in services.participants(store, mid).items}
    assert names == {"Nguyễn Thị Lan", "Trần Văn Minh"}


# -- agenda ---------------------------------------------------------------------------


def titles(store: Store, mid: Any) -> list[tuple[int, str]]:
    return [(d, i.title) for d, i in agenda.ordered(services.agenda(store, mid).items)]


def test_agenda_add_nest_reorder_and_totals(store: Store, mid: Any) -> None:
    a = agenda.add_item(store, mid, "Khai mạc", presenter="Chủ trì", planned=10)
    b = agenda.add_item(store, mid, "Báo cáo kinh tế", planned=30)
    c = agenda.add_item(store, mid, "Thảo luận")
    d = agenda.add_item(store, mid, "Tổ 1", parent_id=c.id, planned=20)
    agenda.add_item(store, mid, "Tổ 2", parent_id=c.id, planned=25)
    items = services.agenda(store, mid).items
    assert agenda.planned_minutes(items) == 10 + 30 + 20 + 25
    assert agenda.planned_minutes(items, c.id) == 45
    assert agenda.numbering(items)[d.id] == "3.1"

    agenda.move_up(store, c.id)
    assert titles(store, mid) == [
        (0, "Khai mạc"),
        (0, "Thảo luận"),
        (1, "Tổ 1"),
        (1, "Tổ 2"),
        (0, "Báo cáo kinh tế"),
    ]
    agenda.indent(store, b.id)  # under "Thảo luận", after its sub-items
    assert titles(store, mid)[-1] == (1, "Báo cáo kinh tế")
    agenda.outdent(store, b.id)
    agenda.move_down(store, a.id)
    assert [t for _, t in titles(store, mid)] == [
        "Thảo luận",
        "Tổ 1",
        "Tổ 2",
        "Khai mạc",
        "Báo cáo kinh tế",
    ]
    agenda.rename_item(store, a.id, "Khai mạc hội nghị")
    agenda.update_item(store, a.id, presenter="Đồng chí Bí thư", planned=None)
    item = store.repos.agenda_items.get(a.id)
    assert (item.title, item.presenter, item.planned_minutes) == (
        "Khai mạc hội nghị",
        "Đồng chí Bí thư",
        None,
    )
    positions = [i.position for i in agenda.children(services.agenda(store, mid).items, None)]
    assert positions == [0, 1, 2]


def test_agenda_moves_save_only_the_rows_that_changed(store: Store, mid: Any) -> None:
    ids = [agenda.add_item(store, mid, f"Mục {n}").id for n in range(5)]
    acknowledge_all(store)
    agenda.move_down(store, ids[1])  # swaps items 1 and 2 only
    assert pending(store, "agenda_items") == {ids[1], ids[2]}
    acknowledge_all(store)
    agenda.update_item(store, ids[4], presenter="Sở Tài chính")
    assert pending(store, "agenda_items") == {ids[4]}


def test_agenda_refuses_a_cycle_and_removal_keeps_documents(
    store: Store, mid: Any, tmp_path: Path
) -> None:
    parent = agenda.add_item(store, mid, "Cha")
    child = agenda.add_item(store, mid, "Con", parent_id=parent.id)
    with pytest.raises(InvalidAgendaMove):
        agenda.move_item(store, parent.id, child.id, 0)
    other = agenda.add_item(store, mid, "Khác")
    checked = checks.check_pdf(make_pdf(tmp_path / "a.pdf"))
    doc = documents.attach(store, mid, checked, agenda_item_id=child.id).document
    agenda.remove_item(store, parent.id)
    assert titles(store, mid) == [(0, "Khác")]
    assert store.repos.agenda_items.get(other.id).position == 0
    assert store.repos.documents.get(doc.id).agenda_item_id is None


# -- document checks ---------------------------------------------------------------------


def test_check_accepts_a_good_pdf_with_a_vietnamese_name(tmp_path: Path) -> None:
    name = unicodedata.normalize("NFD", "Báo cáo tình hình kinh tế - xã hội.pdf")
    checked = checks.check_pdf(make_pdf(tmp_path / name, pages=3))
    assert checked.page_count == 3
    assert checked.filename == "Báo cáo tình hình kinh tế - xã hội.pdf"  # NFC
    assert len(checked.sha256) == 64


def test_check_rejects_bad_files_naming_them(tmp_path: Path) -> None:
    text = tmp_path / "Ghi chú.pdf"
    text.write_text("Đây không phải PDF", encoding="utf-8")
    with pytest.raises(NotAPdf, match=r"Ghi chú\.pdf"):
        checks.check_pdf(text)

    broken = tmp_path / "Tờ trình hỏng.pdf"
    good = make_pdf(tmp_path / "good.pdf").read_bytes()
    broken.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    with pytest.raises(PdfCorrupt) as caught:
        checks.check_pdf(broken)
    assert caught.value.filename == "Tờ trình hỏng.pdf"
    assert caught.value.reason == "corrupt"

    locked = make_pdf(
        tmp_path / "Mật.pdf",
        encryption=pymupdf.PDF_ENCRYPT_AES_256,
        user_pw="bimat",
        owner_pw="bimat2",
    )
    with pytest.raises(PdfPasswordProtected, match=r"Mật\.pdf"):
        checks.check_pdf(locked)

    big = tmp_path / "big.pdf"
    big.write_bytes(good)
    with pytest.raises(FileTooLarge) as too_big:
        checks.check_pdf(big, max_bytes=len(good) - 1)
    assert too_big.value.limit == len(good) - 1


# -- documents ---------------------------------------------------------------------------


def test_attach_stores_sealed_bytes_and_reports_duplicates(
    store: Store, mid: Any, tmp_path: Path
) -> None:
    path = make_pdf(tmp_path / "Dự thảo Nghị quyết.pdf", pages=4)
    checked = checks.check_pdf(path)
    seen: list[tuple[int, int]] = []
    result = documents.attach(
        store,
        mid,
        checked,
        classification=Classification.CONFIDENTIAL,
        progress=lambda *a: seen.append(a),
    )
    assert result.document.title == "Dự thảo Nghị quyết"
    assert result.version.filename == "Dự thảo Nghị quyết.pdf"
    assert (result.version.number, result.version.page_count) == (1, 4)
    assert seen[-1] == (checked.size, checked.size)
    assert store.blobs.manifest(result.version.id).sha256 == checked.sha256
    with store.blobs.open(result.version.id) as reader:
        assert reader.read() == path.read_bytes()
    assert documents.upload_state(store, result.document) is documents.UploadState.WAITING

    copy = tmp_path / "bản sao.pdf"
    copy.write_bytes(path.read_bytes())
    with pytest.raises(DuplicateDocument) as dup:
        documents.attach(store, mid, checks.check_pdf(copy))
    assert dup.value.existing_title == "Dự thảo Nghị quyết"
    assert "bản sao.pdf" in str(dup.value)
    assert len(services.documents(store, mid).items) == 1


def test_new_version_keeps_old_version_and_annotations(
    store: Store, mid: Any, tmp_path: Path
) -> None:
    first = documents.attach(store, mid, checks.check_pdf(make_pdf(tmp_path / "v1.pdf")))
    note = Annotation(
        AnnotationId(new_id()),
        first.version.id,
        0,
        AnnotationKind.HIGHLIGHT,
        ((10.0, 10.0, 50.0, 20.0),),
        UserId("u2"),
    )
    services.save(store, note)
    second = documents.new_version(
        store, first.document.id, checks.check_pdf(make_pdf(tmp_path / "v2.pdf", text="Sửa đổi"))
    )
    assert second.version.number == 2
    assert store.repos.documents.get(first.document.id).current_version_id == second.version.id
    assert [v.number for v in services.versions(store, first.document.id).items] == [1, 2]
    assert [a.id for a in services.annotations(store, first.version.id).items] == [note.id]
    with pytest.raises(DuplicateDocument):
        documents.new_version(store, first.document.id, checks.check_pdf(tmp_path / "v2.pdf"))


def test_classification_and_removal(store: Store, mid: Any, tmp_path: Path) -> None:
    attached = documents.attach(store, mid, checks.check_pdf(make_pdf(tmp_path / "a.pdf")))
    documents.set_classification(store, attached.document.id, Classification.SECRET)
    assert store.repos.documents.get(attached.document.id).classification == "secret"
    assert store.repos.versions.get(attached.version.id).classification == "secret"
    documents.remove_document(store, attached.document.id)
    assert services.documents(store, mid).items == []
    assert services.versions(store, attached.document.id).items == []
    assert pending(store, "documents") == {attached.document.id}


# -- seating -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "kwargs", "count"),
    [
        (seating.Template.ROWS, {"seats": 30}, 30),
        (seating.Template.U_SHAPE, {"seats": 14}, 14),
        (seating.Template.BOARDROOM, {"seats": 11}, 11),
        (seating.Template.GRID, {"rows": 3, "cols": 4}, 12),
    ],
)
def test_templates_make_distinct_seats_inside_the_room(
    store: Store, mid: Any, template: seating.Template, kwargs: dict[str, Any], count: int
) -> None:
    room, seats = seating.apply_template(store, mid, template, **kwargs)
    assert len(seats) == count
    assert len({(s.x, s.y) for s in seats}) == count
    assert all(0 <= s.x <= room.width and 0 <= s.y <= room.height for s in seats)
    assert len({s.label for s in seats}) == count
    assert room.name == "Phòng 201"


def test_template_replaces_old_seats(store: Store, mid: Any) -> None:
    room, _ = seating.apply_template(store, mid, seating.Template.GRID, rows=2, cols=2)
    again, seats = seating.apply_template(store, mid, seating.Template.BOARDROOM, seats=6)
    assert again.id == room.id
    assert {s.id for s in services.seats(store, room.id).items} == {s.id for s in seats}


def test_seat_edits_and_one_seat_per_participant(store: Store, mid: Any) -> None:
    people = meeting.add_participants(store, mid, PEOPLE)
    room, seats = seating.apply_template(store, mid, seating.Template.GRID, rows=1, cols=3)
    seating.assign(store, seats[0].id, people[0].id)
    seating.assign(store, seats[1].id, people[0].id)  # moves, not copies
    now = {s.id: s.participant_id for s in services.seats(store, room.id).items}
    assert now[seats[0].id] is None
    assert now[seats[1].id] == people[0].id
    left = seating.unseated(people, services.seats(store, room.id).items)
    assert [p.display_name for p in left] == ["Trần Văn Minh", "Lê Hoàng Đức"]

    extra = seating.add_seat(store, room.id, 500.0, -3.0)
    assert (extra.x, extra.y) == (room.width, 0.0)
    assert extra.label == "04"
    moved = seating.move_seat(store, extra.id, 20.0, 15.0)
    assert (moved.x, moved.y) == (20.0, 15.0)
    assert seating.relabel_seat(store, extra.id, "CT").label == "CT"
    with pytest.raises(InvalidMeeting):
        seating.relabel_seat(store, extra.id, " ")
    seating.remove_seat(store, seats[1].id)
    left = seating.unseated(people, services.seats(store, room.id).items)
    assert len(left) == 3
    meeting.remove_participant(store, people[2].id)


def test_chart_pdf_has_the_names_in_their_seats(store: Store, mid: Any, tmp_path: Path) -> None:
    people = meeting.add_participants(store, mid, PEOPLE)
    _room, seats = seating.apply_template(store, mid, seating.Template.U_SHAPE, seats=6)
    for seat, person in zip(seats, people, strict=False):
        seating.assign(store, seat.id, person.id)
    out = chart.export_chart(store, mid, tmp_path / "Sơ đồ chỗ ngồi.pdf", "Phòng 201")
    with pymupdf.open(str(out)) as doc:
        text = doc[0].get_text()
        fonts = {f[3] for f in doc[0].get_fonts()}  # embedded, not a base-14 font
    assert "Họp Ban Thường vụ" in text
    assert any("Noto Serif" in f for f in fonts)
    flat = " ".join(text.split())
    for person in people:
        for word in person.display_name.split():
            assert word in flat
    assert seats[0].label in text


def test_check_that_overruns_its_time_counts_as_damaged(tmp_path: Path) -> None:
    # A checker that takes longer than its limit is stopped; the file is refused.
    with pytest.raises(PdfCorrupt) as caught:
        checks.check_pdf(make_pdf(tmp_path / "chậm.pdf"), seconds=0.0)
    assert caught.value.detail == "checker timed out"


def test_upload_state_follows_the_outbox(store: Store, mid: Any, tmp_path: Path) -> None:
    attached = documents.attach(store, mid, checks.check_pdf(make_pdf(tmp_path / "a.pdf")))
    assert documents.upload_state(store, attached.document) is documents.UploadState.WAITING
    acknowledge_all(store)  # the server took the version...
    services.apply_remote(store, [dataclasses.replace(attached.version, rev=7)])
    assert documents.upload_state(store, attached.document) is documents.UploadState.UPLOADED
    documents.set_classification(store, attached.document.id, Classification.CONFIDENTIAL)
    reclassified = store.repos.documents.get(attached.document.id)
    assert documents.upload_state(store, reclassified) is documents.UploadState.UPLOADED
    empty = dataclasses.replace(attached.document, current_version_id=None)
    assert documents.upload_state(store, empty) is documents.UploadState.NO_FILE


def test_only_secretaries_prepare() -> None:
    from meetingroom.prepare import may_prepare

    assert may_prepare("secretary")
    assert not may_prepare("delegate")
    assert not may_prepare(None)
