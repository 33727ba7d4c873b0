"""Pixels from the render workers become QImages with the right colours, any row padding."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QScrollBar

from meetingroom.pdf import RenderedPage
from ui.reader.bridge import to_image


def _page(width: int, height: int, channels: int) -> RenderedPage:
    rows = []
    for y in range(height):
        for x in range(width):
            pixel = [x * 40 % 256, y * 90 % 256, 200]
            rows.extend(pixel + ([255] if channels == 4 else []))
    return RenderedPage("v", 0, 1.0, width, height, width * channels, channels, bytes(rows))


def test_rows_are_copied_across_qt_row_padding() -> None:
    page = _page(5, 3, 3)  # 15 bytes a row; Qt pads to 16
    image = to_image(page)
    assert image.bytesPerLine() != page.stride
    for y in range(3):
        for x in range(5):
            assert image.pixelColor(x, y) == QColor(x * 40 % 256, y * 90 % 256, 200)


def test_rgba_pages_keep_their_channels() -> None:
    page = _page(4, 2, 4)
    image = to_image(page)
    assert image.pixelColor(3, 1) == QColor(120, 90, 200, 255)
    del page  # the image owns its pixels
    assert image.pixelColor(0, 0) == QColor(0, 0, 200, 255)


class _Emitter(QObject):
    fired = Signal()


def _leaks(count: int) -> tuple[int, int]:
    """Return how the refs of True and None change over ``count`` emits from Python
    and ``count`` calls of a Python slot by a signal Qt emits."""
    emitter = _Emitter()
    true0 = sys.getrefcount(True)
    for _ in range(count):
        emitter.fired.emit()
    true_delta = sys.getrefcount(True) - true0
    bar = QScrollBar()
    bar.setRange(0, count + 1)
    bar.valueChanged.connect(lambda _value: None)
    none0 = sys.getrefcount(None)
    for value in range(1, count + 1):
        bar.setValue(value)
    return true_delta, sys.getrefcount(None) - none0


def test_signals_do_not_leak_references_to_none_or_true(qtbot: object) -> None:
    """PySide6 6.12.0 on CPython 3.11 lost a reference to True per emit() and to
    None per Python slot call, and the app aborted ("deallocating None") after
    some thousands of signals; pyproject pins a PySide6 without the bug."""
    true_delta, none_delta = _leaks(2000)
    # Other threads may take or drop a few references meanwhile; the bug lost 2000.
    assert abs(true_delta) < 200, true_delta
    assert abs(none_delta) < 200, none_delta
