"""Snapping a press–release span to the words of a page (Qt-free, pure functions).

Words come from ``RenderService.page_text`` in reading order; a span covers
every word from the one nearest the press to the one nearest the release,
and is drawn as one rectangle per line.
"""

from __future__ import annotations

from collections.abc import Sequence

from meetingroom.pdf import Word
from meetingroom.pdf.types import Rect


def nearest_word(words: Sequence[Word], x: float, y: float) -> int | None:
    """Return the index of the word containing (x, y), else the nearest one; None if no words."""
    best: tuple[float, int] | None = None
    for index, word in enumerate(words):
        x0, y0, x1, y1 = word.rect
        dx = max(x0 - x, 0.0, x - x1)
        dy = max(y0 - y, 0.0, y - y1)
        # Being on the line matters more than being near horizontally.
        distance = dx + 3 * dy
        if distance == 0:
            return index
        if best is None or distance < best[0]:
            best = (distance, index)
    return None if best is None else best[1]


def span(words: Sequence[Word], start: tuple[float, float], end: tuple[float, float]) -> list[Word]:
    """Return the words from the one nearest ``start`` to the one nearest ``end``, in order."""
    a = nearest_word(words, *start)
    b = nearest_word(words, *end)
    if a is None or b is None:
        return []
    lo, hi = min(a, b), max(a, b)
    return list(words[lo : hi + 1])


def line_rects(words: Sequence[Word]) -> list[Rect]:
    """Return one rectangle per line covering ``words`` (lines in first-seen order)."""
    lines: dict[tuple[int, int], Rect] = {}
    for word in words:
        key = (word.block, word.line)
        x0, y0, x1, y1 = word.rect
        if key in lines:
            a0, b0, a1, b1 = lines[key]
            lines[key] = (min(a0, x0), min(b0, y0), max(a1, x1), max(b1, y1))
        else:
            lines[key] = (x0, y0, x1, y1)
    return list(lines.values())


def text_of(words: Sequence[Word]) -> str:
    """Return the words as text: spaces within a line, a line break between lines."""
    out: list[str] = []
    previous: tuple[int, int] | None = None
    for word in words:
        key = (word.block, word.line)
        if previous is not None:
            out.append(" " if key == previous else "\n")
        out.append(word.text)
        previous = key
    return "".join(out)
