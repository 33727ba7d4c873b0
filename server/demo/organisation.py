"""The demo organisation: a provincial Party Executive Committee and its meetings.

Everything here is plain data (frozen dataclasses) built by :func:`build_demo`
relative to a given day, so ``seed-demo`` can load it into any database and the
tests can check it without one. The province "Sông Lam" and all people in it
are fictional.

Ids are not assigned here: the loader gives every entity a fresh id. Things
refer to each other by stable keys (usernames, agenda-item keys, seat labels).
The only non-deterministic part is the passwords, made with :mod:`secrets`.
"""

from __future__ import annotations

import enum
import random
import secrets
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone

from meetingroom.domain import Classification, MeetingStatus, Role

#: Local time of the demo province (Indochina Time, no daylight saving).
VN_TZ = timezone(timedelta(hours=7), "ICT")

PROVINCE = "Sông Lam"
ORGANISATION_NAME = f"Tỉnh ủy {PROVINCE}"

#: Size of one seat in room units (seats are squares of this side, centred on x/y).
SEAT_SIZE = 4.0


class DocumentKind(enum.StrEnum):
    """What a document is; decides how :mod:`server.demo.pdfs` lays it out."""

    AGENDA = "agenda"  # Chương trình hội nghị
    REGULATION = "regulation"  # Quy chế làm việc
    REPORT = "report"  # Báo cáo
    PROPOSAL = "proposal"  # Tờ trình
    DRAFT_RESOLUTION = "draft_resolution"  # Dự thảo Nghị quyết
    RESOLUTION = "resolution"  # Nghị quyết (signed)
    VOTER_DIGEST = "voter_digest"  # Báo cáo tổng hợp ý kiến cử tri (hundreds of pages)
    BALLOT = "ballot"  # Phiếu biểu quyết
    BRIEFING_EN = "briefing_en"  # English briefing for development partners
    MINUTES_EN = "minutes_en"  # English summary record


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """A user of the demo organisation; ``password`` is fresh for every build."""

    username: str
    full_name: str
    position: str
    role: Role
    clearance: Classification
    password: str = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class DemoAgendaItem:
    """An agenda item; ``number`` is its printed number ("2.1"), ``key`` its stable name."""

    key: str
    number: str
    position: int  # among its siblings, from 1
    title: str
    presenter: str = ""
    planned_minutes: int | None = None
    parent_key: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentSpec:
    """Everything needed to render one demo PDF deterministically."""

    key: str
    title: str
    filename: str
    kind: DocumentKind
    language: str  # "vi" or "en"
    pages: int
    issuer: str
    number: str  # e.g. "Số: 412/BC-UBND"; "" when the document has none
    issued_on: date
    seed: int
    classification: Classification = Classification.NORMAL
    agenda_item_key: str | None = None
    subtitle: str = ""
    author: str = ""  # who signs it (Vietnamese documents) or prepared it (English ones)
    position: int = 0  # order among the meeting's documents
    #: For agenda documents: (time, content, presenter) lines to print.
    items: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class DemoSeat:
    """A seat at (x, y) in room units; ``side`` is "left", "head" or "right"."""

    label: str
    x: float
    y: float
    side: str


@dataclass(frozen=True, slots=True)
class DemoRoom:
    """A U-shaped room: the head table at the top, two arms down the sides, open at the bottom."""

    name: str
    width: float
    height: float
    seats: tuple[DemoSeat, ...]


@dataclass(frozen=True, slots=True)
class DemoParticipant:
    username: str
    role: Role


@dataclass(frozen=True, slots=True)
class DemoMeeting:
    key: str
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    status: MeetingStatus
    description: str
    agenda: tuple[DemoAgendaItem, ...]
    documents: tuple[DocumentSpec, ...]
    participants: tuple[DemoParticipant, ...]
    room: DemoRoom
    seating: tuple[tuple[str, str], ...]  # (username, seat label)
    classification: Classification = Classification.NORMAL


@dataclass(frozen=True, slots=True)
class DemoOrganisation:
    name: str
    accounts: tuple[DemoAccount, ...]
    meetings: tuple[DemoMeeting, ...]
    today_key: str

    def account(self, username: str) -> DemoAccount:
        for account in self.accounts:
            if account.username == username:
                return account
        raise KeyError(username)

    def meeting(self, key: str) -> DemoMeeting:
        for meeting in self.meetings:
            if meeting.key == key:
                return meeting
        raise KeyError(key)

    @property
    def today_meeting(self) -> DemoMeeting:
        return self.meeting(self.today_key)

    def accounts_with_role(self, role: Role) -> tuple[DemoAccount, ...]:
        return tuple(a for a in self.accounts if a.role is role)


def generate_password() -> str:
    """Return a fresh random password (about 96 bits), easy to type from a printout."""
    return secrets.token_urlsafe(12)


# --- people -----------------------------------------------------------------

_N = Classification.NORMAL
_C = Classification.CONFIDENTIAL

# (username, full name, position, role, clearance)
_PEOPLE: tuple[tuple[str, str, str, Role, Classification], ...] = (
    ("chutri", "Nguyễn Văn An", "Bí thư Tỉnh ủy", Role.CHAIR, Classification.TOP_SECRET),
    ("thuky", "Trần Thị Thu Hà", "Chánh Văn phòng Tỉnh ủy", Role.SECRETARY, Classification.SECRET),
    ("daibieu01", "Lê Minh Tuấn", "Phó Bí thư Thường trực Tỉnh ủy", Role.DELEGATE, _C),
    (
        "daibieu02",
        "Phạm Thị Hồng Nhung",
        "Phó Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh",
        Role.DELEGATE,
        _C,
    ),
    ("daibieu03", "Hoàng Đức Thắng", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh", Role.DELEGATE, _C),
    ("daibieu04", "Võ Thị Lan Anh", "Trưởng Ban Tổ chức Tỉnh ủy", Role.DELEGATE, _C),
    ("daibieu05", "Đặng Quốc Huy", "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy", Role.DELEGATE, _C),
    ("daibieu06", "Bùi Thanh Sơn", "Trưởng Ban Tuyên giáo Tỉnh ủy", Role.DELEGATE, _N),
    ("daibieu07", "Đỗ Thị Mai", "Trưởng Ban Dân vận Tỉnh ủy", Role.DELEGATE, _N),
    ("daibieu08", "Ngô Văn Khải", "Phó Chủ tịch UBND tỉnh", Role.DELEGATE, _N),
    ("daibieu09", "Dương Thị Thu Trang", "Giám đốc Sở Tài chính", Role.DELEGATE, _N),
    ("daibieu10", "Vũ Hoàng Long", "Giám đốc Sở Kế hoạch và Đầu tư", Role.DELEGATE, _N),
    (
        "daibieu11",
        "Huỳnh Ngọc Ánh",
        "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
        Role.DELEGATE,
        _N,
    ),
    ("daibieu12", "Trịnh Xuân Trường", "Bí thư Thành ủy Sông Lam", Role.DELEGATE, _N),
    ("daibieu13", "Phan Thị Kim Oanh", "Bí thư Huyện ủy Thanh Lương", Role.DELEGATE, _N),
    (
        "daibieu14",
        "Lý Văn Hải",
        "Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh",
        Role.DELEGATE,
        _N,
    ),
    ("daibieu15", "Tạ Quang Vinh", "Giám đốc Công an tỉnh", Role.DELEGATE, _C),
    ("daibieu16", "Mai Thị Ngọc Bích", "Giám đốc Sở Giáo dục và Đào tạo", Role.DELEGATE, _N),
    (
        "khachmoi",
        "Nguyễn Thị Phương Thảo",
        "Phó Vụ trưởng Vụ Địa phương II, Ban Tổ chức Trung ương",
        Role.OBSERVER,
        _N,
    ),
)

# The Standing Committee (Ban Thường vụ), who meet again next week.
_STANDING: tuple[str, ...] = (
    "chutri",
    "thuky",
    "daibieu01",
    "daibieu02",
    "daibieu03",
    "daibieu04",
    "daibieu05",
)
_STANDING += ("daibieu06", "daibieu07", "daibieu12", "daibieu14", "daibieu15")


# --- room -------------------------------------------------------------------


def u_shaped_room(name: str) -> DemoRoom:
    """Return the 30-seat U: 8 seats at the head table, 11 down each arm.

    The room is 120 x 80 units. The head table runs along y = 10; the arms
    run along x = 12 and x = 108 from y = 20 to y = 70; the bottom is open
    towards the screen and the rostrum. Seats are numbered round the U:
    01-11 up the left arm, 12-19 along the head table (left to right),
    20-30 down the right arm.
    """
    seats: list[DemoSeat] = []
    left_x, right_x, head_y = 12.0, 108.0, 10.0
    arm_ys = [70.0 - 5.0 * i for i in range(11)]  # 70 .. 20, bottom to top
    for y in arm_ys:
        seats.append(DemoSeat(f"{len(seats) + 1:02d}", left_x, y, "left"))
    for i in range(8):
        seats.append(DemoSeat(f"{len(seats) + 1:02d}", 32.0 + 8.0 * i, head_y, "head"))
    for y in reversed(arm_ys):
        seats.append(DemoSeat(f"{len(seats) + 1:02d}", right_x, y, "right"))
    return DemoRoom(name=name, width=120.0, height=80.0, seats=tuple(seats))


#: Seat order of precedence: the chair in the middle of the head table (seat 15),
#: the deputies beside him, then down the arms alternating left and right.
#: The secretary sits at the top of the right arm, beside the head table (seat 20).
_CHAIR_SEAT = "15"
_SECRETARY_SEAT = "20"
_PRECEDENCE: tuple[str, ...] = (
    "16",
    "14",
    "17",
    "13",
    "18",
    "12",
    "19",
    "11",
    "21",
    "10",
    "22",
    "09",
    "23",
)
_PRECEDENCE += ("08", "24", "07", "25", "06", "26", "05", "27", "04", "28", "03", "29")
_OBSERVER_SEAT = "30"  # the guest sits at the end of the right arm, near the rostrum


def _seat_participants(participants: tuple[DemoParticipant, ...]) -> tuple[tuple[str, str], ...]:
    seating: list[tuple[str, str]] = []
    free = iter(_PRECEDENCE)
    for p in participants:
        if p.role is Role.CHAIR:
            seating.append((p.username, _CHAIR_SEAT))
        elif p.role is Role.SECRETARY:
            seating.append((p.username, _SECRETARY_SEAT))
        elif p.role is Role.OBSERVER:
            seating.append((p.username, _OBSERVER_SEAT))
        else:
            seating.append((p.username, next(free)))
    return tuple(seating)


# --- meetings ---------------------------------------------------------------


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VN_TZ)


def _schedule(
    agenda: tuple[DemoAgendaItem, ...], start: datetime
) -> tuple[tuple[str, str, str], ...]:
    """The printed programme: (time, item, presenter) with times from the planned minutes."""
    lines: list[tuple[str, str, str]] = []
    at = start
    for item in agenda:
        content = f"{item.number}. {item.title}"
        if any(child.parent_key == item.key for child in agenda):
            lines.append(("", content, ""))
            continue
        end = at + timedelta(minutes=item.planned_minutes or 0)
        lines.append((f"{at:%H:%M} - {end:%H:%M}", content, item.presenter))
        at = end
    return tuple(lines)


def _period(today: date) -> str:
    """The reporting period of an end-of-year report made ``today``."""
    if today.month <= 2:
        return f"năm {today.year - 1}"
    return f"{today.month - 1} tháng đầu năm {today.year}"


def _today_meeting(today: date, rng: random.Random, people: dict[str, DemoAccount]) -> DemoMeeting:
    def name(username: str) -> str:
        a = people[username]
        return f"Đồng chí {a.full_name}, {a.position}"

    budget_year = today.year + 1
    period = _period(today)
    agenda = (
        DemoAgendaItem(
            "opening",
            "1",
            1,
            "Khai mạc hội nghị; thông qua chương trình và quy chế làm việc",
            name("chutri"),
            15,
        ),
        DemoAgendaItem(
            "discussion",
            "2",
            2,
            "Thảo luận các báo cáo, tờ trình trình Hội nghị",
            name("daibieu01"),
            195,
        ),
        DemoAgendaItem(
            "economy",
            "2.1",
            1,
            f"Tình hình kinh tế - xã hội {period}; nhiệm vụ trọng tâm những tháng cuối năm",
            name("daibieu03"),
            90,
            "discussion",
        ),
        DemoAgendaItem(
            "budget",
            "2.2",
            2,
            f"Dự toán ngân sách nhà nước năm {budget_year} và kế hoạch đầu tư công trung hạn",
            name("daibieu09"),
            60,
            "discussion",
        ),
        DemoAgendaItem(
            "inspection",
            "2.3",
            3,
            "Kết quả công tác kiểm tra, giám sát và phòng, chống tham nhũng, tiêu cực",
            name("daibieu05"),
            45,
            "discussion",
        ),
        DemoAgendaItem(
            "closing",
            "3",
            3,
            "Biểu quyết thông qua Nghị quyết Hội nghị; bế mạc",
            name("chutri"),
            30,
        ),
    )
    ubnd = f"ỦY BAN NHÂN DÂN TỈNH {PROVINCE.upper()}"
    tu = f"TỈNH ỦY {PROVINCE.upper()}"
    seeds = iter(rng.sample(range(1, 1_000_000), 16))
    d = today
    documents: tuple[DocumentSpec, ...] = (
        DocumentSpec(
            "agenda",
            "Chương trình Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12",
            "01-chuong-trinh-hoi-nghi.pdf",
            DocumentKind.AGENDA,
            "vi",
            1,
            tu,
            "",
            d - timedelta(days=6),
            next(seeds),
            agenda_item_key="opening",
            subtitle="Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12 (mở rộng)",
            author=people["thuky"].full_name,
            items=_schedule(agenda, _at(today, 7, 30)),
        ),
        DocumentSpec(
            "regulation",
            "Quy chế làm việc của Ban Chấp hành Đảng bộ tỉnh nhiệm kỳ 2025 - 2030",
            "02-quy-che-lam-viec.pdf",
            DocumentKind.REGULATION,
            "vi",
            6,
            tu,
            "Số: 03-QC/TU",
            d - timedelta(days=180),
            next(seeds),
            agenda_item_key="opening",
            subtitle="Quy chế làm việc của Ban Chấp hành Đảng bộ tỉnh nhiệm kỳ 2025 - 2030",
            author=people["chutri"].full_name,
        ),
        DocumentSpec(
            "economy-report",
            f"Báo cáo tình hình kinh tế - xã hội {period}",
            "03-bao-cao-kinh-te-xa-hoi.pdf",
            DocumentKind.REPORT,
            "vi",
            14,
            ubnd,
            f"Số: {rng.randint(380, 460)}/BC-UBND",
            d - timedelta(days=9),
            next(seeds),
            agenda_item_key="economy",
            subtitle=f"Tình hình kinh tế - xã hội {period}; "
            "nhiệm vụ, giải pháp trọng tâm những tháng cuối năm",
            author=people["daibieu03"].full_name,
        ),
        DocumentSpec(
            "voter-digest",
            "Báo cáo tổng hợp ý kiến, kiến nghị của cử tri trước kỳ họp",
            "04-tong-hop-y-kien-cu-tri.pdf",
            DocumentKind.VOTER_DIGEST,
            "vi",
            320,
            f"BAN DÂN VẬN TỈNH ỦY {PROVINCE.upper()}",
            f"Số: {rng.randint(150, 220)}-BC/BDVTU",
            d - timedelta(days=12),
            next(seeds),
            agenda_item_key="economy",
            subtitle="Tổng hợp ý kiến, kiến nghị của cử tri và Nhân dân trong tỉnh",
            author=people["daibieu07"].full_name,
        ),
        DocumentSpec(
            "economy-en",
            f"Socio-economic situation of {PROVINCE} province: briefing for development partners",
            "05-socio-economic-briefing-en.pdf",
            DocumentKind.BRIEFING_EN,
            "en",
            6,
            f"PEOPLE'S COMMITTEE OF {PROVINCE.upper()} PROVINCE",
            "",
            d - timedelta(days=8),
            next(seeds),
            agenda_item_key="economy",
            subtitle="Socio-economic situation and outlook",
            author="Department of Planning and Investment",
        ),
        DocumentSpec(
            "budget-proposal",
            f"Tờ trình về dự toán ngân sách nhà nước năm {budget_year}",
            "06-to-trinh-du-toan-ngan-sach.pdf",
            DocumentKind.PROPOSAL,
            "vi",
            8,
            ubnd,
            f"Số: {rng.randint(200, 260)}/TTr-UBND",
            d - timedelta(days=10),
            next(seeds),
            agenda_item_key="budget",
            subtitle=f"Về dự toán thu, chi ngân sách nhà nước năm {budget_year}",
            author=people["daibieu03"].full_name,
        ),
        DocumentSpec(
            "budget-resolution-draft",
            f"Dự thảo Nghị quyết về dự toán ngân sách năm {budget_year}",
            "07-du-thao-nghi-quyet-ngan-sach.pdf",
            DocumentKind.DRAFT_RESOLUTION,
            "vi",
            4,
            f"HỘI ĐỒNG NHÂN DÂN TỈNH {PROVINCE.upper()}",
            f"Số:      /NQ-HĐND ({budget_year})",
            d - timedelta(days=10),
            next(seeds),
            agenda_item_key="budget",
            subtitle=f"Về dự toán thu ngân sách nhà nước trên địa bàn, thu, chi ngân sách "
            f"địa phương và phân bổ ngân sách cấp tỉnh năm {budget_year}",
            author=people["daibieu02"].full_name,
        ),
        DocumentSpec(
            "donor-briefing",
            "Project briefing: climate-resilient irrigation in the Sông Lam river basin",
            "08-donor-project-briefing-en.pdf",
            DocumentKind.BRIEFING_EN,
            "en",
            10,
            f"PEOPLE'S COMMITTEE OF {PROVINCE.upper()} PROVINCE",
            "",
            d - timedelta(days=15),
            next(seeds),
            agenda_item_key="budget",
            subtitle="Loan project proposal for the medium-term public investment plan",
            author="Project Management Unit for Agriculture and Rural Development",
        ),
        DocumentSpec(
            "inspection-report",
            "Báo cáo kết quả công tác kiểm tra, giám sát và phòng, chống tham nhũng",
            "09-bao-cao-kiem-tra-giam-sat-MAT.pdf",
            DocumentKind.REPORT,
            "vi",
            7,
            f"ỦY BAN KIỂM TRA TỈNH ỦY {PROVINCE.upper()}",
            f"Số: {rng.randint(60, 99)}-BC/UBKTTU",
            d - timedelta(days=7),
            next(seeds),
            classification=Classification.CONFIDENTIAL,
            agenda_item_key="inspection",
            subtitle="Kết quả công tác kiểm tra, giám sát, thi hành kỷ luật đảng và "
            "phòng, chống tham nhũng, tiêu cực",
            author=people["daibieu05"].full_name,
        ),
        DocumentSpec(
            "resolution-draft",
            "Dự thảo Nghị quyết Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12",
            "10-du-thao-nghi-quyet-hoi-nghi.pdf",
            DocumentKind.DRAFT_RESOLUTION,
            "vi",
            5,
            tu,
            "Số:      -NQ/TU",
            d,
            next(seeds),
            agenda_item_key="closing",
            subtitle=f"Về nhiệm vụ phát triển kinh tế - xã hội, quốc phòng, an ninh "
            f"và xây dựng Đảng năm {budget_year}",
            author=people["chutri"].full_name,
        ),
        DocumentSpec(
            "ballot",
            "Phiếu biểu quyết thông qua Nghị quyết Hội nghị",
            "11-phieu-bieu-quyet.pdf",
            DocumentKind.BALLOT,
            "vi",
            1,
            tu,
            "",
            d,
            next(seeds),
            agenda_item_key="closing",
            subtitle="Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12",
            author=people["thuky"].full_name,
        ),
    )
    documents = tuple(replace(doc, position=i) for i, doc in enumerate(documents, 1))
    participants = tuple(DemoParticipant(u, people[u].role) for u, *_ in _PEOPLE)
    return DemoMeeting(
        key="bch-12",
        title="Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12 (mở rộng)",
        starts_at=_at(today, 7, 30),
        ends_at=_at(today, 11, 30),
        location="Hội trường A, Trụ sở Tỉnh ủy Sông Lam",
        status=MeetingStatus.PUBLISHED,
        description=(
            "Hội nghị Ban Chấp hành Đảng bộ tỉnh thảo luận tình hình kinh tế - xã hội, "
            f"dự toán ngân sách năm {budget_year}, kết quả công tác kiểm tra, giám sát "
            "và biểu quyết thông qua Nghị quyết Hội nghị."
        ),
        agenda=agenda,
        documents=documents,
        participants=participants,
        room=u_shaped_room("Hội trường A"),
        seating=_seat_participants(participants),
    )


def _upcoming_meeting(
    today: date, rng: random.Random, people: dict[str, DemoAccount]
) -> DemoMeeting:
    day = today + timedelta(days=7)
    tu = f"TỈNH ỦY {PROVINCE.upper()}"
    agenda = (
        DemoAgendaItem("opening", "1", 1, "Khai mạc; thông qua chương trình", "", 10),
        DemoAgendaItem(
            "personnel",
            "2",
            2,
            "Cho ý kiến về công tác cán bộ",
            people["daibieu04"].full_name,
            60,
        ),
        DemoAgendaItem(
            "plan",
            "3",
            3,
            f"Chương trình công tác năm {day.year + 1} của Ban Thường vụ",
            people["daibieu01"].full_name,
            45,
        ),
    )
    seeds = iter(rng.sample(range(1, 1_000_000), 4))
    documents: tuple[DocumentSpec, ...] = (
        DocumentSpec(
            "standing-agenda",
            "Chương trình Hội nghị Ban Thường vụ Tỉnh ủy",
            "01-chuong-trinh.pdf",
            DocumentKind.AGENDA,
            "vi",
            1,
            tu,
            "",
            today,
            next(seeds),
            agenda_item_key="opening",
            subtitle="Hội nghị Ban Thường vụ Tỉnh ủy",
            position=1,
            items=_schedule(agenda, _at(day, 8, 0)),
        ),
        DocumentSpec(
            "work-plan",
            f"Dự thảo Chương trình công tác năm {day.year + 1}",
            "02-du-thao-chuong-trinh-cong-tac.pdf",
            DocumentKind.REPORT,
            "vi",
            5,
            tu,
            "Số:      -CTr/TU",
            today,
            next(seeds),
            agenda_item_key="plan",
            subtitle=f"Chương trình công tác năm {day.year + 1} của Ban Thường vụ Tỉnh ủy",
            position=2,
        ),
    )
    participants = tuple(DemoParticipant(u, people[u].role) for u in _STANDING)
    return DemoMeeting(
        key="btv-upcoming",
        title="Hội nghị Ban Thường vụ Tỉnh ủy",
        starts_at=_at(day, 8, 0),
        ends_at=_at(day, 11, 30),
        location="Phòng họp Ban Thường vụ, tầng 3",
        status=MeetingStatus.PUBLISHED,
        description="Hội nghị thường kỳ của Ban Thường vụ Tỉnh ủy.",
        agenda=agenda,
        documents=documents,
        participants=participants,
        room=u_shaped_room("Phòng họp Ban Thường vụ"),
        seating=_seat_participants(participants),
    )


def _past_meeting(today: date, rng: random.Random, people: dict[str, DemoAccount]) -> DemoMeeting:
    day = today - timedelta(days=35)
    tu = f"TỈNH ỦY {PROVINCE.upper()}"
    agenda = (
        DemoAgendaItem("opening", "1", 1, "Khai mạc hội nghị", people["chutri"].full_name, 10),
        DemoAgendaItem(
            "mid-term",
            "2",
            2,
            "Sơ kết giữa nhiệm kỳ thực hiện Nghị quyết Đại hội Đảng bộ tỉnh",
            people["daibieu01"].full_name,
            120,
        ),
        DemoAgendaItem(
            "closing", "3", 3, "Thông qua Nghị quyết; bế mạc", people["chutri"].full_name, 20
        ),
    )
    seeds = iter(rng.sample(range(1, 1_000_000), 4))
    documents: tuple[DocumentSpec, ...] = (
        DocumentSpec(
            "resolution-11",
            "Nghị quyết Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 11",
            "nghi-quyet-11-NQ-TU.pdf",
            DocumentKind.RESOLUTION,
            "vi",
            4,
            tu,
            "Số: 11-NQ/TU",
            day,
            next(seeds),
            agenda_item_key="closing",
            subtitle="Về kết quả sơ kết giữa nhiệm kỳ và nhiệm vụ, giải pháp những năm còn lại",
            author=people["chutri"].full_name,
            position=1,
        ),
        DocumentSpec(
            "summary-record-en",
            "Summary record of the 11th Executive Committee conference",
            "summary-record-11-en.pdf",
            DocumentKind.MINUTES_EN,
            "en",
            3,
            f"PARTY COMMITTEE OF {PROVINCE.upper()} PROVINCE",
            "",
            day,
            next(seeds),
            agenda_item_key="mid-term",
            subtitle="Summary record (unofficial translation)",
            author=people["thuky"].full_name,
            position=2,
        ),
    )
    participants = tuple(DemoParticipant(u, people[u].role) for u, *_ in _PEOPLE)
    return DemoMeeting(
        key="bch-11",
        title="Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 11",
        starts_at=_at(day, 7, 30),
        ends_at=_at(day, 16, 30),
        location="Hội trường A, Trụ sở Tỉnh ủy Sông Lam",
        status=MeetingStatus.CLOSED,
        description="Hội nghị sơ kết giữa nhiệm kỳ thực hiện Nghị quyết Đại hội Đảng bộ tỉnh.",
        agenda=agenda,
        documents=documents,
        participants=participants,
        room=u_shaped_room("Hội trường A"),
        seating=_seat_participants(participants),
    )


def build_demo(today: date, rng: random.Random) -> DemoOrganisation:
    """Return the demo organisation with its meetings placed around ``today``.

    The result depends only on ``today`` and the state of ``rng``, except the
    passwords, which are fresh random ones every time.
    """
    accounts = tuple(
        DemoAccount(username, full_name, position, role, clearance, generate_password())
        for username, full_name, position, role, clearance in _PEOPLE
    )
    people = {a.username: a for a in accounts}
    meetings = (
        _today_meeting(today, rng, people),
        _upcoming_meeting(today, rng, people),
        _past_meeting(today, rng, people),
    )
    return DemoOrganisation(ORGANISATION_NAME, accounts, meetings, today_key="bch-12")
