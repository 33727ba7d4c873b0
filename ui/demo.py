"""``meetingroom --demo-local``: a throwaway profile filled with a sample meeting.

Local sample data only, built with ``meetingroom.services`` — no server is
involved (the server-backed ``--demo`` comes with the sync engine). Document
metadata is there without bytes, so the documents show as not downloaded.
The demo's device secret is kept in memory (``MemoryDeviceSecrets``), so it
needs no OS keyring and leaves nothing behind in it.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from meetingroom import services
from meetingroom.crypto import DeviceSecrets, Protection
from meetingroom.domain import (
    AgendaItem,
    AgendaItemId,
    Classification,
    Document,
    DocumentId,
    DocumentVersion,
    DocumentVersionId,
    Meeting,
    MeetingId,
    MeetingStatus,
    Participant,
    ParticipantId,
    Role,
    Room,
    RoomId,
    Seat,
    SeatId,
    UserId,
    new_id,
)
from meetingroom.store import Store
from sync.auth import TokenStore

DEMO_PIN = "1234"


class MemoryDeviceSecrets(DeviceSecrets):
    """Device secrets held in this process only (for the throwaway demo profile)."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: dict[str, bytes] = {}

    def backend_name(self) -> str:
        return "memory (demo)"

    def check_available(self) -> None:
        return None

    def store(self, profile_id: str, secret: bytes) -> None:
        self._secrets[profile_id] = secret

    def load(self, profile_id: str) -> bytes | None:
        return self._secrets.get(profile_id)

    def delete(self, profile_id: str) -> None:
        self._secrets.pop(profile_id, None)


def _at(day: datetime, hour: int, minute: int = 0) -> datetime:
    local = datetime.combine(day.date(), time(hour, minute)).astimezone()
    return local.astimezone(UTC)


def fill_sample(store: Store, user_id: UserId, now: datetime | None = None) -> MeetingId:
    """Write the sample meetings for ``user_id``; return the id of today's meeting."""
    now = (now or datetime.now()).astimezone()
    mid = MeetingId(new_id())
    main = Meeting(
        mid,
        "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 15",
        _at(now, 8),
        _at(now, 11, 30),
        location="Hội trường A, Trụ sở Tỉnh ủy",
        status=MeetingStatus.PUBLISHED,
        classification=Classification.CONFIDENTIAL,
        description="Kỳ họp thường lệ quý IV",
    )
    others = [
        Meeting(
            MeetingId(new_id()),
            "Phiên họp thường kỳ Ủy ban nhân dân tỉnh tháng 12",
            _at(now + timedelta(days=3), 14),
            _at(now + timedelta(days=3), 17),
            location="Phòng họp số 2, UBND tỉnh",
            status=MeetingStatus.PUBLISHED,
        ),
        Meeting(
            MeetingId(new_id()),
            "Kỳ họp thứ 9 Hội đồng nhân dân tỉnh khóa XVII",
            _at(now + timedelta(days=10), 7, 30),
            _at(now + timedelta(days=10), 11, 30),
            location="Hội trường Hội đồng nhân dân tỉnh",
            status=MeetingStatus.PUBLISHED,
        ),
        Meeting(
            MeetingId(new_id()),
            "Họp giao ban Văn phòng tháng 11",
            _at(now - timedelta(days=6), 8),
            _at(now - timedelta(days=6), 9, 30),
            location="Phòng họp tầng 3",
            status=MeetingStatus.CLOSED,
        ),
    ]

    def item(
        position: int,
        title: str,
        presenter: str = "",
        minutes: int | None = None,
        parent: AgendaItem | None = None,
    ) -> AgendaItem:
        return AgendaItem(
            AgendaItemId(new_id()),
            mid,
            position,
            title,
            parent_id=parent.id if parent else None,
            presenter=presenter,
            planned_minutes=minutes,
        )

    opening = item(1, "Khai mạc hội nghị", "Đồng chí Bí thư Tỉnh ủy", 15)
    report = item(2, "Báo cáo tình hình kinh tế – xã hội năm 2026", "Chủ tịch UBND tỉnh", 60)
    report_a = item(
        1, "Kết quả thực hiện các chỉ tiêu chủ yếu", "Giám đốc Sở Tài chính", 25, report
    )
    report_b = item(2, "Phương hướng, nhiệm vụ năm 2027", "Phó Chủ tịch UBND tỉnh", 20, report)
    budget = item(3, "Dự toán ngân sách địa phương năm 2027", "Giám đốc Sở Tài chính", 40)
    personnel = item(4, "Công tác cán bộ", "Trưởng Ban Tổ chức Tỉnh ủy", 30)
    resolution = item(5, "Thông qua nghị quyết hội nghị", "Đồng chí Bí thư Tỉnh ủy", 20)
    closing = item(6, "Bế mạc", "", 5)
    agenda = [opening, report, report_a, report_b, budget, personnel, resolution, closing]

    documents: list[Document] = []
    versions: list[DocumentVersion] = []

    def doc(
        title: str,
        at: AgendaItem,
        position: int,
        level: Classification = Classification.NORMAL,
        pages: int = 12,
    ) -> None:
        did = DocumentId(new_id())
        vid = DocumentVersionId(new_id())
        versions.append(
            DocumentVersion(
                vid, did, 1, new_id().replace("-", "") * 2, pages * 41_000, pages,
                filename=f"tai-lieu-{position}.pdf", classification=level,
            )
        )  # fmt: skip
        documents.append(
            Document(did, mid, title, at.id, level, current_version_id=vid, position=position)
        )

    doc("Chương trình hội nghị", opening, 1, pages=2)
    doc("Báo cáo kinh tế – xã hội năm 2026", report_a, 2, pages=48)
    doc("Phụ lục số liệu chỉ tiêu", report_a, 3, pages=20)
    doc("Dự thảo phương hướng năm 2027", report_b, 4, pages=16)
    doc("Dự toán ngân sách năm 2027", budget, 5, Classification.CONFIDENTIAL, pages=35)
    doc("Tờ trình về công tác cán bộ", personnel, 6, Classification.SECRET, pages=6)
    doc("Dự thảo Nghị quyết hội nghị", resolution, 7, pages=9)

    names = [
        ("Nguyễn Văn An", "Bí thư Tỉnh ủy", Role.CHAIR),
        ("Trần Thị Bình", "Phó Bí thư Thường trực", Role.DELEGATE),
        ("Lê Hoàng Cường", "Chủ tịch UBND tỉnh", Role.DELEGATE),
        ("Phạm Thu Dung", "Chủ tịch HĐND tỉnh", Role.DELEGATE),
        ("Hoàng Minh Đức", "Giám đốc Sở Tài chính", Role.DELEGATE),
        ("Vũ Thị Hà", "Trưởng Ban Tổ chức", Role.DELEGATE),
        ("Đặng Quốc Hùng", "Giám đốc Sở Kế hoạch và Đầu tư", Role.DELEGATE),
        ("Bùi Thanh Hương", "Chánh Văn phòng Tỉnh ủy", Role.SECRETARY),
        ("Đỗ Văn Khánh", "Giám đốc Công an tỉnh", Role.DELEGATE),
        ("Ngô Thị Lan", "Trưởng Ban Tuyên giáo", Role.DELEGATE),
        ("Dương Văn Minh", "Bí thư Thành ủy", Role.DELEGATE),
        ("Lý Thị Ngọc", "Phó Chủ tịch UBND tỉnh", Role.DELEGATE),
        ("Mai Xuân Phúc", "Chuyên gia kinh tế", Role.OBSERVER),
    ]
    people = [
        Participant(
            ParticipantId(new_id()),
            mid,
            name,
            role,
            Classification.SECRET,
            user_id=user_id if name == "Phạm Thu Dung" else UserId(new_id()),
            title=title,
        )
        for name, title, role in names
    ]

    room = Room(RoomId(new_id()), mid, "Hội trường A", width=100.0, height=60.0)
    # A U-shaped table: the chair's row at the top, two arms down the sides.
    # The chair (first participant) sits in the middle of the top row.
    spots = [(50.0, 10.0), (38.0, 10.0), (62.0, 10.0), (26.0, 10.0), (74.0, 10.0)]
    spots += [(8.0, 20.0 + 10.0 * i) for i in range(4)]
    spots += [(92.0, 20.0 + 10.0 * i) for i in range(4)]
    seats = []
    for n, (x, y) in enumerate(spots, 1):
        occupant = people[n - 1].id if n - 1 < len(people) else None
        seats.append(Seat(SeatId(new_id()), room.id, f"{n:02d}", x, y, occupant))
    services.save(store, main, *others, *agenda, *documents, *versions, *people, room, *seats)
    return mid


def create_demo_profile(directory: Path, secrets: DeviceSecrets) -> tuple[Store, UserId]:
    """Create a PIN-protected sample profile in ``directory``; return it unlocked."""
    from ui.context import ensure_user_id

    store = Store.create(directory, Protection.DEVICE_AND_PIN, DEMO_PIN, device_secrets=secrets)
    user_id = ensure_user_id(directory)
    fill_sample(store, user_id)
    return store, user_id


class MemoryTokenStore(TokenStore):
    """Bearer tokens held in this process only (for the throwaway demo profile)."""

    def __init__(self) -> None:
        super().__init__()
        self._tokens: dict[str, str] = {}

    def load(self, profile_id: str) -> str | None:
        return self._tokens.get(profile_id)

    def save(self, profile_id: str, token: str) -> None:
        self._tokens[profile_id] = token

    def delete(self, profile_id: str) -> None:
        self._tokens.pop(profile_id, None)
