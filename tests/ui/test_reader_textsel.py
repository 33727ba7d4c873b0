"""Snapping a press–release span to words: pure functions over PageText words."""

from __future__ import annotations

from meetingroom.pdf import Word
from ui.reader import textsel

WORDS = (
    Word((72, 100, 110, 114), "Thông", 0, 0, 0),
    Word((114, 100, 140, 114), "qua", 0, 0, 1),
    Word((144, 100, 200, 114), "nghị", 0, 0, 2),
    Word((72, 120, 120, 134), "quyết", 0, 1, 0),
    Word((124, 120, 180, 134), "mới", 0, 1, 1),
    Word((72, 300, 130, 314), "Phụ", 1, 0, 0),
)


def test_nearest_word_prefers_the_line_under_the_pointer() -> None:
    assert textsel.nearest_word(WORDS, 120, 107) == 1  # inside "qua"
    assert textsel.nearest_word(WORDS, 112, 107) in (0, 1)  # in the gap between two words
    assert textsel.nearest_word(WORDS, 400, 127) == 4  # right of the second line's end
    assert textsel.nearest_word((), 1, 1) is None


def test_span_covers_words_between_press_and_release_in_either_direction() -> None:
    forward = textsel.span(WORDS, (115, 105), (130, 125))
    backward = textsel.span(WORDS, (130, 125), (115, 105))
    assert [w.text for w in forward] == ["qua", "nghị", "quyết", "mới"]
    assert forward == backward


def test_line_rects_and_text() -> None:
    words = textsel.span(WORDS, (75, 105), (130, 125))
    assert textsel.line_rects(words) == [(72, 100, 200, 114), (72, 120, 180, 134)]
    assert textsel.text_of(words) == "Thông qua nghị\nquyết mới"
    assert textsel.line_rects([]) == []
