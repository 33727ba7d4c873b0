"""``python -m ui.prepare.showcase TAB``: prepare mode on a throwaway profile with sample data.

For screenshots and a quick look: a temporary profile (device secret in
memory, nothing in the OS keyring) with the local sample meetings, a user
directory, a few real PDFs attached and a seating chart. TAB is one of
meeting, agenda, documents, seating, preview. The profile is deleted on exit.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pymupdf as _pymupdf
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from meetingroom import services
from meetingroom.crypto import Protection
from meetingroom.directory import DirectoryEntry, save_directory
from meetingroom.domain import Classification, MeetingId, Role, UserId, new_id
from meetingroom.prepare import checks, documents, meeting, seating
from meetingroom.store import Store
from resources import REGULAR, font_path
from ui.context import UiContext
from ui.demo import MemoryDeviceSecrets, fill_sample
from ui.i18n import Translator
from ui.ops import ErrorReporter, ImmediateExecutor, Ops
from ui.prepare.screen import PrepareScreen

pymupdf: Any = _pymupdf

PEOPLE = [
    ("Nguyễn Văn Thắng", Role.CHAIR, Classification.TOP_SECRET),
    ("Trần Thị Hồng Nhung", Role.SECRETARY, Classification.SECRET),
    ("Lê Quang Vinh", Role.DELEGATE, Classification.CONFIDENTIAL),
    ("Phạm Thị Thu Hà", Role.DELEGATE, Classification.NORMAL),
    ("Hoàng Minh Đức", Role.DELEGATE, Classification.SECRET),
    ("Võ Thị Ánh Tuyết", Role.OBSERVER, Classification.NORMAL),
    ("Đặng Quốc Bảo", Role.DELEGATE, Classification.CONFIDENTIAL),
    ("Bùi Thanh Sơn", Role.DELEGATE, Classification.NORMAL),
]
FILES = [
    ("Báo cáo tình hình kinh tế - xã hội 9 tháng.pdf", Classification.NORMAL, 6),
    ("Dự thảo Nghị quyết về kế hoạch đầu tư công.pdf", Classification.CONFIDENTIAL, 4),
    ("Tờ trình phân bổ ngân sách năm 2027.pdf", Classification.SECRET, 3),
]


def _pdf(path: Path, title: str, pages: int) -> Path:
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page()
        page.insert_font(fontname="NS", fontfile=str(font_path(REGULAR)))
        page.insert_text((72, 90), title, fontname="NS", fontsize=14)
        page.insert_text((72, 120), f"Trang {n + 1}/{pages}", fontname="NS", fontsize=11)
    doc.save(str(path))
    doc.close()
    return path


def build(store: Store, user_id: UserId, work: Path) -> MeetingId:
    """Fill ``store`` with the sample, a directory, documents and a seating chart."""
    mid = fill_sample(store, user_id)
    entries = [
        DirectoryEntry(UserId(new_id()), f"user{n}", name, role, level)
        for n, (name, role, level) in enumerate(PEOPLE)
    ]
    save_directory(store, entries)
    meeting.add_participants(store, mid, entries[2:6])
    items = services.agenda(store, mid).items
    for n, (name, level, pages) in enumerate(FILES):
        checked = checks.check_pdf(_pdf(work / name, name[:-4], pages))
        target = items[n % len(items)].id if items else None
        documents.attach(store, mid, checked, agenda_item_id=target, classification=level)
    people = services.participants(store, mid).items
    _room, seats = seating.apply_template(store, mid, seating.Template.U_SHAPE, seats=14)
    for seat, person in zip(seats, people[: len(people) - 2], strict=False):
        seating.assign(store, seat.id, person.id)
    return mid


def main(argv: list[str]) -> int:
    tab = argv[1] if len(argv) > 1 else "meeting"
    app = QApplication(argv)
    with tempfile.TemporaryDirectory(prefix="meetingroom-showcase-") as tmp:
        work = Path(tmp)
        store = Store.create(
            work / "profile", Protection.DEVICE, device_secrets=MemoryDeviceSecrets()
        )
        user_id = UserId(new_id())
        mid = build(store, user_id, work)
        tr = Translator()
        ops = Ops(ImmediateExecutor(), ErrorReporter(tr, dialogs=False), lambda: store)
        screen = PrepareScreen(UiContext(tr, ops, user_id, date.today), mid)
        names = ["meeting", "agenda", "documents", "seating", "preview"]
        screen.tabs.setCurrentIndex(names.index(tab) if tab in names else 0)
        screen.setWindowTitle(tr("app_title"))
        screen.resize(1366, 768)
        screen.show()
        if tab == "preview":
            # Preview as a delegate with normal clearance: classified papers are hidden.
            panel = screen.preview_tab
            panel.who.setCurrentIndex(
                max(panel.who.findText(PEOPLE[3][0], Qt.MatchFlag.MatchStartsWith), 0)
            )
            panel.preview()
        if tab == "documents":
            # Show the check messages: a file that is not a PDF and a duplicate.
            note = work / "Ghi chú cuộc họp.pdf"
            note.write_text("Không phải PDF", encoding="utf-8")
            screen.documents_tab.attach_files([note, work / FILES[0][0]])
        code = app.exec()
        store.close()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
