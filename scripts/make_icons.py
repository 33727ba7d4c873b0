#!/usr/bin/env python3
"""Draw the MeetingRoom icon: resources/icons/meetingroom.svg its PNG sizes, .ico and .icns.

A meeting table seen from above (a white oval with a sheet of paper on it)
with eight seats around it, on a rounded blue square. The SVG is the
source; the PNGs (16…512 px, for the .deb's hicolor theme, the window icon
and the Windows/macOS icon files) are rendered from it with QtSvg.
Run: ``.venv/bin/python scripts/make_icons.py``.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def svg() -> str:
    """Return the icon as SVG text (a 256×256 canvas)."""
    seats = []
    for i in range(8):
        angle = 2 * math.pi * i / 8 + math.pi / 8
        x = 128 + 92 * math.cos(angle)
        y = 128 + 70 * math.sin(angle)
        seats.append(f'  <circle cx="{x:.1f}" cy="{y:.1f}" r="13" fill="#ffca28"/>')
    return "\n".join(
        [
            '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">',
            "  <title>MeetingRoom</title>",
            '  <rect x="8" y="8" width="240" height="240" rx="48" fill="#1f4e8a"/>',
            *seats,
            '  <ellipse cx="128" cy="128" rx="68" ry="46" fill="#ffffff"/>',
            '  <rect x="108" y="100" width="40" height="54" rx="4" fill="#e3ecf7" stroke="#1f4e8a" stroke-width="4"/>',
            '  <path d="M116 114h24M116 126h24M116 138h16" stroke="#1f4e8a" stroke-width="4" stroke-linecap="round"/>',
            "</svg>",
            "",
        ]
    )


def main() -> int:
    """Write the SVG and render every PNG size; return the exit code."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICONS.mkdir(parents=True, exist_ok=True)
    text = svg()
    (ICONS / "meetingroom.svg").write_text(text, "utf-8")
    renderer = QSvgRenderer(QByteArray(text.encode()))
    if not renderer.isValid():
        print("the SVG does not parse", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        if not image.save(str(ICONS / f"meetingroom-{size}.png")):
            print(f"cannot write the {size} px PNG", file=sys.stderr)
            return 1
    # Windows and macOS icon files for build.spec, written by Qt's ico/icns plugins.
    big = QImage(str(ICONS / "meetingroom-256.png"))
    for name in ("meetingroom.ico", "meetingroom.icns"):  # format from the suffix
        if not big.save(str(ICONS / name)):
            print(f"cannot write {name}", file=sys.stderr)
            return 1
    print(f"wrote meetingroom.svg, .ico, .icns and {len(SIZES)} PNG sizes in {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
