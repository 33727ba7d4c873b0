"""The demo organisation's content: the numbers the seed-demo issue promises, and its PDFs."""

from __future__ import annotations

import random
import time
import tomllib
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pymupdf as _pymupdf
import pytest

import resources
from meetingroom.domain import Classification, MeetingStatus, Role
from server.demo import DemoMeeting, DemoOrganisation, DocumentKind, build_demo, render_document
from server.demo.organisation import SEAT_SIZE, DocumentSpec

# PyMuPDF ships partial annotations (untyped functions); used as Any here.
pymupdf: Any = _pymupdf

TODAY = date(2026, 11, 23)
ROOT = Path(__file__).resolve().parents[2]


def _has_diacritics(text: str) -> bool:
    decomposed = unicodedata.normalize("NFD", text)
    return any(unicodedata.combining(ch) for ch in decomposed) or "đ" in text.lower()


@pytest.fixture(scope="module")
def org() -> DemoOrganisation:
    return build_demo(TODAY, random.Random(42))


@pytest.fixture(scope="module")
def today(org: DemoOrganisation) -> DemoMeeting:
    return org.today_meeting


@pytest.fixture(scope="module")
def rendered(today: DemoMeeting) -> dict[str, tuple[bytes, float]]:
    """Every PDF of today's meeting, rendered once for the module, with its time."""
    out: dict[str, tuple[bytes, float]] = {}
    for spec in today.documents:
        start = time.perf_counter()
        data = render_document(spec)
        out[spec.key] = (data, time.perf_counter() - start)
    return out


# --- accounts ----------------------------------------------------------------


def test_accounts_by_role(org: DemoOrganisation) -> None:
    roles = Counter(a.role for a in org.accounts)
    assert roles[Role.SECRETARY] == 1
    assert roles[Role.CHAIR] == 1
    assert roles[Role.DELEGATE] >= 14
    assert roles[Role.OBSERVER] == 1
    usernames = [a.username for a in org.accounts]
    assert len(set(usernames)) == len(usernames)
    assert all(u.isascii() and u.isalnum() and u.islower() for u in usernames)
    assert {"thuky", "chutri", "daibieu01"} <= set(usernames)


def test_clearances(org: DemoOrganisation) -> None:
    (chair,) = org.accounts_with_role(Role.CHAIR)
    assert chair.clearance is Classification.TOP_SECRET
    delegates = org.accounts_with_role(Role.DELEGATE)
    levels = Counter(d.clearance for d in delegates)
    assert levels[Classification.NORMAL] > len(delegates) / 2
    assert levels[Classification.CONFIDENTIAL] >= 2


def test_delegates_have_vietnamese_names_and_positions(org: DemoOrganisation) -> None:
    delegates = org.accounts_with_role(Role.DELEGATE)
    with_diacritics = [d for d in delegates if _has_diacritics(d.full_name)]
    assert len(with_diacritics) >= 12
    assert all(len(a.full_name.split()) >= 3 for a in org.accounts)
    assert all(a.position for a in org.accounts)
    assert unicodedata.is_normalized("NFC", "".join(a.full_name for a in org.accounts))
    assert org.account("chutri").full_name == "Nguyễn Văn An"


def test_passwords_are_fresh_and_not_part_of_equality(org: DemoOrganisation) -> None:
    again = build_demo(TODAY, random.Random(42))
    assert again == org  # deterministic for a seed, passwords aside
    passwords = [a.password for a in org.accounts]
    assert len(set(passwords)) == len(passwords)
    assert all(len(p) >= 16 for p in passwords)
    assert not {a.password for a in again.accounts} & set(passwords)
    assert "password" not in repr(org.accounts[0])


# --- meetings and agenda ------------------------------------------------------


def test_three_meetings_around_today(org: DemoOrganisation, today: DemoMeeting) -> None:
    assert len(org.meetings) == 3
    assert "Hội nghị Ban Chấp hành" in today.title
    assert today.status is MeetingStatus.PUBLISHED
    assert today.starts_at.date() == TODAY
    assert today.ends_at > today.starts_at
    others = [m for m in org.meetings if m is not today]
    upcoming = [m for m in others if m.starts_at.date() > TODAY]
    past = [m for m in others if m.ends_at.date() < TODAY]
    assert len(upcoming) == 1
    assert len(past) == 1
    assert past[0].status is MeetingStatus.CLOSED
    for meeting in org.meetings:
        assert meeting.starts_at.tzinfo is not None
        assert meeting.agenda
        assert meeting.documents


def test_today_agenda(today: DemoMeeting) -> None:
    agenda = today.agenda
    assert len(agenda) == 6
    keys = {item.key for item in agenda}
    assert len(keys) == 6
    nested = [item for item in agenda if item.parent_key is not None]
    assert nested
    assert all(item.parent_key in keys for item in nested)
    assert all(_has_diacritics(item.title) for item in agenda)
    assert all(item.presenter and item.planned_minutes for item in agenda)
    # sibling positions are 1..n under every parent
    for parent in {item.parent_key for item in agenda}:
        positions = sorted(i.position for i in agenda if i.parent_key == parent)
        assert positions == list(range(1, len(positions) + 1))


def test_today_documents(today: DemoMeeting) -> None:
    docs = today.documents
    assert len(docs) >= 10
    assert {d.language for d in docs} == {"vi", "en"}
    assert any(d.pages >= 300 for d in docs)
    assert [d.classification for d in docs].count(Classification.CONFIDENTIAL) == 1
    agenda_keys = {item.key for item in today.agenda}
    assert all(d.agenda_item_key in agenda_keys for d in docs)
    assert len({d.filename for d in docs}) == len(docs)
    assert len({d.key for d in docs}) == len(docs)
    assert [d.position for d in docs] == list(range(1, len(docs) + 1))


def test_everyone_takes_part_today(org: DemoOrganisation, today: DemoMeeting) -> None:
    assert {p.username for p in today.participants} == {a.username for a in org.accounts}
    for meeting in org.meetings:
        for p in meeting.participants:
            assert org.account(p.username).role is p.role


# --- the room -----------------------------------------------------------------


def test_room_is_a_u_of_30_seats(today: DemoMeeting) -> None:
    room = today.room
    seats = room.seats
    assert len(seats) == 30
    assert len({s.label for s in seats}) == 30
    x0, x1 = min(s.x for s in seats), max(s.x for s in seats)
    y0, y1 = min(s.y for s in seats), max(s.y for s in seats)
    sides: Counter[str] = Counter()
    for s in seats:
        assert SEAT_SIZE / 2 < s.x < room.width - SEAT_SIZE / 2
        assert SEAT_SIZE / 2 < s.y < room.height - SEAT_SIZE / 2
        on_left, on_right, on_head = s.x == x0, s.x == x1, s.y == y0
        assert on_left or on_right or on_head, f"seat {s.label} is not on the U"
        sides[s.side] += 1
        assert (s.side == "left") == on_left
        assert (s.side == "right") == on_right
        assert (s.side == "head") == (on_head and not on_left and not on_right)
    assert set(sides) == {"left", "head", "right"}
    assert sides["left"] == sides["right"]
    # the fourth side (y1, the bottom) is open: only the ends of the arms reach it
    assert {s.side for s in seats if s.y == y1} <= {"left", "right"}
    assert not [s for s in seats if s.y == y1 and x0 < s.x < x1]


def test_no_two_seats_overlap(today: DemoMeeting) -> None:
    seats = today.room.seats
    for i, a in enumerate(seats):
        for b in seats[i + 1 :]:
            assert max(abs(a.x - b.x), abs(a.y - b.y)) >= SEAT_SIZE, (a.label, b.label)


def test_every_participant_has_a_unique_seat(org: DemoOrganisation) -> None:
    for meeting in org.meetings:
        labels = {s.label for s in meeting.room.seats}
        seated = [u for u, _ in meeting.seating]
        chosen = [label for _, label in meeting.seating]
        assert sorted(seated) == sorted(p.username for p in meeting.participants)
        assert len(set(chosen)) == len(chosen)
        assert set(chosen) <= labels


def test_chair_at_the_head_secretary_to_the_side(org: DemoOrganisation, today: DemoMeeting) -> None:
    by_label = {s.label: s for s in today.room.seats}
    seat_of = {u: by_label[label] for u, label in today.seating}
    chair = seat_of[org.accounts_with_role(Role.CHAIR)[0].username]
    secretary = seat_of[org.accounts_with_role(Role.SECRETARY)[0].username]
    centre = today.room.width / 2
    head = [s for s in today.room.seats if s.side == "head"]
    assert chair.side == "head"
    assert abs(chair.x - centre) == min(abs(s.x - centre) for s in head)
    assert secretary.side in {"left", "right"}


# --- the PDFs -----------------------------------------------------------------


def _spec(today: DemoMeeting, key: str) -> DocumentSpec:
    return next(d for d in today.documents if d.key == key)


def test_pdfs_open_with_promised_pages_outline_and_metadata(
    today: DemoMeeting, rendered: dict[str, tuple[bytes, float]]
) -> None:
    for spec in today.documents:
        data, _ = rendered[spec.key]
        assert data.startswith(b"%PDF-")
        with pymupdf.open("pdf", data) as doc:
            assert doc.page_count == spec.pages, spec.key
            toc = doc.get_toc()
            assert toc
            assert toc[0][1:3] == [spec.title, 1]
            assert all(1 <= entry[2] <= spec.pages for entry in toc)
            assert doc.metadata["title"] == spec.title
            assert doc.metadata["creator"] == "MeetingRoom seed-demo"


def test_pdfs_embed_the_noto_font(
    today: DemoMeeting, rendered: dict[str, tuple[bytes, float]]
) -> None:
    for spec in today.documents:
        with pymupdf.open("pdf", rendered[spec.key][0]) as doc:
            fonts = doc.get_page_fonts(0)
            assert fonts
            for _xref, ext, _type, basefont, _name, _enc in fonts:
                assert "Noto" in basefont
                assert ext == "ttf"  # embedded (not a base-14 reference)
                assert "+" in basefont  # subset, so documents stay small


def test_vietnamese_text_is_extractable_with_diacritics(
    today: DemoMeeting, rendered: dict[str, tuple[bytes, float]]
) -> None:
    for spec in today.documents:
        with pymupdf.open("pdf", rendered[spec.key][0]) as doc:
            first = doc[0].get_text()
            everything = "".join(page.get_text() for page in doc.pages(0, min(3, spec.pages)))
        if spec.language == "vi":
            assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first, spec.key
            assert "Độc lập - Tự do - Hạnh phúc" in first, spec.key
            assert unicodedata.is_normalized("NFC", first)
            assert _has_diacritics(first)
        else:
            assert "Independence - Freedom - Happiness" in first
        if spec.kind in (DocumentKind.DRAFT_RESOLUTION, DocumentKind.RESOLUTION):
            assert "NGHỊ QUYẾT" in first
            assert "Nghị quyết" in everything


def test_subtitle_words_are_searchable(
    today: DemoMeeting, rendered: dict[str, tuple[bytes, float]]
) -> None:
    spec = _spec(today, "budget-proposal")
    with pymupdf.open("pdf", rendered[spec.key][0]) as doc:
        assert doc[0].search_for("ngân sách nhà nước")
        assert "TỜ TRÌNH" in doc[0].get_text()


def test_the_confidential_document_is_stamped_on_every_page(
    today: DemoMeeting, rendered: dict[str, tuple[bytes, float]]
) -> None:
    (spec,) = [d for d in today.documents if d.classification is Classification.CONFIDENTIAL]
    with pymupdf.open("pdf", rendered[spec.key][0]) as doc:
        for page in doc:
            words = page.get_text("words")
            assert any(w[4] == "MẬT" and w[1] < 60 for w in words), page.number
    for other in today.documents:
        if other is not spec and other.pages < 50:
            with pymupdf.open("pdf", rendered[other.key][0]) as doc:
                assert "MẬT" not in doc[0].get_text()


def test_the_long_document_is_modest(
    today: DemoMeeting, rendered: dict[str, tuple[bytes, float]]
) -> None:
    # Its generation time is reported by bench/, not asserted: tests never
    # assert on wall time (a loaded CI machine made this flaky).
    (spec,) = [d for d in today.documents if d.pages >= 300]
    data, _seconds = rendered[spec.key]
    assert len(data) < 3 * 1024 * 1024
    with pymupdf.open("pdf", data) as doc:
        assert doc.page_count >= 300
        middle = doc[doc.page_count // 2].get_text()
        assert "kiến nghị" in middle.lower() or "cử tri" in middle.lower()
        assert len(doc.get_toc()) >= 10
        assert doc[-1].get_text().strip()  # the last page is not blank


def test_other_meetings_documents_render(org: DemoOrganisation) -> None:
    for meeting in org.meetings:
        if meeting is org.today_meeting:
            continue
        for spec in meeting.documents:
            with pymupdf.open("pdf", render_document(spec)) as doc:
                assert doc.page_count == spec.pages
                assert doc.get_toc()


def test_rendering_is_deterministic(today: DemoMeeting) -> None:
    spec = _spec(today, "resolution-draft")
    assert render_document(spec) == render_document(spec)


# --- the bundled font ---------------------------------------------------------


def test_font_path_finds_bundled_fonts_only() -> None:
    for name in (resources.REGULAR, resources.BOLD, resources.ITALIC):
        path = resources.font_path(name)
        assert path.is_file()
        assert pymupdf.Font(fontfile=str(path)).has_glyph(ord("ệ"))
    with pytest.raises(FileNotFoundError):
        resources.font_path("../__init__.py")
    with pytest.raises(FileNotFoundError):
        resources.font_path("Missing.ttf")


def test_fonts_ship_with_their_licence() -> None:
    fonts = resources.FONTS_DIR
    ttf = sorted(fonts.glob("*.ttf"))
    assert 1 <= len(ttf) <= 3
    assert sum(p.stat().st_size for p in ttf) < 2.2 * 1024 * 1024
    licence = (fonts / "OFL.txt").read_text()
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "PERMISSION & CONDITIONS" in licence
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    setuptools = config["tool"]["setuptools"]
    assert "resources*" in setuptools["packages"]["find"]["include"]
    assert "fonts/*.ttf" in setuptools["package-data"]["resources"]
