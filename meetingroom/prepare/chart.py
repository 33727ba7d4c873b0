"""The seating chart as a printable PDF: the room to scale, each name in its seat.

Text is set in the bundled Noto Serif (SIL OFL, ``resources/fonts``),
embedded as a subset, so Vietnamese names print correctly everywhere and
can be found again in the PDF's text.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pymupdf as _pymupdf

from meetingroom import services
from meetingroom.domain import MeetingId, Participant, Room, Seat
from meetingroom.store import Store
from resources import BOLD, REGULAR, font_path

pymupdf: Any = _pymupdf  # PyMuPDF ships partial annotations

PAGE_W, PAGE_H = 842.0, 595.0  # A4 landscape, in points
MARGIN = 36.0
TITLE_H = 48.0
FONT, FONT_BOLD = "NotoSerif", "NotoSerifB"
SEAT_FILL = (0.91, 0.93, 0.97)
SEAT_LINE = (0.36, 0.42, 0.5)
ROOM_FILL = (0.98, 0.98, 0.97)


@functools.cache
def _font(bold: bool) -> Any:
    return pymupdf.Font(fontfile=str(font_path(BOLD if bold else REGULAR)))


def _fit_lines(text: str, width: float, size: float) -> tuple[list[str], float]:
    """Split ``text`` into at most two lines that fit ``width``; shrink the size if needed."""
    font = _font(False)
    words = text.split()
    while True:
        if font.text_length(text, fontsize=size) <= width or len(words) < 2:
            lines = [text]
        else:
            # Break where the two lines are most even (Vietnamese names: family + given).
            best = min(
                range(1, len(words)),
                key=lambda k: abs(
                    font.text_length(" ".join(words[:k]), fontsize=size)
                    - font.text_length(" ".join(words[k:]), fontsize=size)
                ),
            )
            lines = [" ".join(words[:best]), " ".join(words[best:])]
        if size <= 4.0 or all(font.text_length(ln, fontsize=size) <= width for ln in lines):
            return lines, size
        size -= 0.5


def chart_pdf(
    title: str,
    subtitle: str,
    room: Room,
    seats: Sequence[Seat],
    participants: Sequence[Participant],
) -> bytes:
    """Return the seating chart of ``room`` as PDF bytes (one A4 landscape page)."""
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    page.insert_font(fontname=FONT, fontfile=str(font_path(REGULAR)))
    page.insert_font(fontname=FONT_BOLD, fontfile=str(font_path(BOLD)))
    size = 16.0
    while size > 8 and _font(True).text_length(title, fontsize=size) > PAGE_W - 2 * MARGIN:
        size -= 1
    page.insert_text((MARGIN, MARGIN + size), title, fontname=FONT_BOLD, fontsize=size)
    page.insert_text((MARGIN, MARGIN + size + 16), subtitle, fontname=FONT, fontsize=10)

    area_w, area_h = PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN - TITLE_H
    scale = min(area_w / max(room.width, 1.0), area_h / max(room.height, 1.0))
    left = MARGIN + (area_w - room.width * scale) / 2
    top = MARGIN + TITLE_H + (area_h - room.height * scale) / 2
    page.draw_rect(
        pymupdf.Rect(left, top, left + room.width * scale, top + room.height * scale),
        color=SEAT_LINE,
        fill=ROOM_FILL,
        width=0.8,
    )
    by_id = {p.id: p for p in participants}
    spacing = _min_spacing(seats) * scale
    radius = max(4.0, min(14.0, spacing * 0.22))
    name_w = max(30.0, spacing * 0.95)
    for seat in seats:
        cx, cy = left + seat.x * scale, top + seat.y * scale
        page.draw_circle((cx, cy), radius, color=SEAT_LINE, fill=SEAT_FILL, width=0.8)
        label_size = max(4.0, radius * 0.8)
        label_w = _font(True).text_length(seat.label, fontsize=label_size)
        page.insert_text(
            (cx - label_w / 2, cy + label_size * 0.35),
            seat.label,
            fontname=FONT_BOLD,
            fontsize=label_size,
        )
        person = by_id.get(seat.participant_id) if seat.participant_id else None
        if person is None:
            continue
        lines, name_size = _fit_lines(person.display_name, name_w, 7.0)
        y = cy + radius + name_size + 1
        for line in lines:
            line_w = _font(False).text_length(line, fontsize=name_size)
            page.insert_text((cx - line_w / 2, y), line, fontname=FONT, fontsize=name_size)
            y += name_size + 1
    page.clean_contents()
    doc.subset_fonts()
    data: bytes = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return data


def _min_spacing(seats: Sequence[Seat]) -> float:
    """Return the distance between the two closest seats (how much room a name has)."""
    best = 10.0
    points = [(s.x, s.y) for s in seats]
    if len(points) > 1:
        best = (
            min(
                ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5
                for n, (ax, ay) in enumerate(points)
                for bx, by in points[n + 1 :]
            )
            or best
        )
    return best


def export_chart(store: Store, meeting_id: MeetingId, path: Path | str, subtitle: str) -> Path:
    """Write the meeting's seating chart to ``path`` as a PDF the user asked for; return it.

    ``subtitle`` is the caption under the title (time and place, in the
    user's language). Raises NotFound when the meeting has no room, and
    OSError when ``path`` cannot be written.
    """
    from meetingroom.errors import NotFound

    meeting = store.repos.meetings.get(meeting_id)
    room = services.room(store, meeting_id)
    if room is None:
        raise NotFound("rooms", meeting_id)
    seats = services.seats(store, room.id).items
    people = services.participants(store, meeting_id).items
    data = chart_pdf(meeting.title, subtitle, room, seats, people)
    target = Path(path)
    target.write_bytes(data)
    return target
