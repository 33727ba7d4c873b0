"""Files shipped with MeetingRoom: the OFL fonts used for Vietnamese text.

``font_path("NotoSerif-Regular.ttf")`` returns the path of a bundled font;
it works from a source checkout and from an installed wheel alike.
"""

from __future__ import annotations

from pathlib import Path

FONTS_DIR = Path(__file__).resolve().parent / "fonts"

#: The bundled family (Noto Serif, SIL Open Font License 1.1, see fonts/OFL.txt).
REGULAR = "NotoSerif-Regular.ttf"
BOLD = "NotoSerif-Bold.ttf"
ITALIC = "NotoSerif-Italic.ttf"


def font_path(name: str) -> Path:
    """Return the path of the bundled font file ``name``.

    Raises FileNotFoundError for a name that is not bundled (or a path that
    tries to leave the fonts directory).
    """
    path = (FONTS_DIR / name).resolve()
    if path.parent != FONTS_DIR or not path.is_file():
        raise FileNotFoundError(f"no bundled font named {name!r} in {FONTS_DIR}")
    return path
