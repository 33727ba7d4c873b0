"""The byte budget of kept pixmaps: least recently shown dropped first, pinned ones never."""

from __future__ import annotations

from PySide6.QtGui import QImage, QPixmap
from pytestqt.qtbot import QtBot

from ui.reader.budget import PixmapBudget, pixmap_bytes


def test_least_recently_shown_go_first_within_the_budget() -> None:
    budget: PixmapBudget[int] = PixmapBudget(300)
    for page in range(3):
        budget.shown(page, 100)
    assert budget.trim(()) == []
    budget.shown(0, 100)  # shown again: now the most recent
    budget.shown(3, 100)
    assert budget.trim(()) == [1]
    assert list(budget) == [2, 0, 3]
    assert budget.bytes_used == 300


def test_pinned_keys_are_never_dropped_even_over_budget() -> None:
    budget: PixmapBudget[int] = PixmapBudget(150)
    for page in range(4):
        budget.shown(page, 100)
    assert budget.trim({0, 1, 2}) == [3]
    assert budget.bytes_used == 300  # the pinned ones alone exceed it
    assert budget.trim({0, 1}) == [2]
    assert budget.trim(()) == [0]
    assert list(budget) == [1]


def test_a_resized_pixmap_and_a_forgotten_one_count_right() -> None:
    budget: PixmapBudget[str] = PixmapBudget(1000)
    budget.shown("a", 400)
    budget.shown("a", 700)  # the same page at a new zoom replaces its old size
    assert budget.bytes_used == 700
    budget.forget("a")
    budget.forget("never")
    assert budget.bytes_used == 0
    assert len(budget) == 0


def test_pixmap_bytes_counts_the_pixels(qtbot: QtBot) -> None:
    image = QImage(40, 30, QImage.Format.Format_RGB888)
    image.fill(0)
    pixmap = QPixmap.fromImage(image)
    assert pixmap_bytes(pixmap) == 40 * 30 * pixmap.depth() // 8
