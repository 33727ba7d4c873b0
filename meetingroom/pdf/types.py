"""What the PDF engine returns: plain, picklable, immutable values.

Coordinates are PDF user space in points (1/72 inch), origin top-left as
PyMuPDF reports them, so annotations and selections map straight onto them.
"""

from __future__ import annotations

from dataclasses import dataclass

Rect = tuple[float, float, float, float]
"""(x0, y0, x1, y1) in points."""

Quad = tuple[float, float, float, float, float, float, float, float]
"""(ul.x, ul.y, ur.x, ur.y, ll.x, ll.y, lr.x, lr.y) in points: rotated text stays exact."""


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    """One entry of a document's outline (bookmarks). ``page`` is 0-based, -1 if none."""

    level: int
    title: str
    page: int


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What the reader needs to lay a document out before any page is rendered.

    ``page_sizes`` are (width, height) in points, rotation applied.
    ``repaired`` is True when MuPDF had to repair a damaged file to open it
    (pages may be missing or wrong; the reader can say so).
    """

    version_id: str
    page_count: int
    page_sizes: tuple[tuple[float, float], ...]
    outline: tuple[OutlineEntry, ...]
    title: str
    repaired: bool


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """The pixels of one rendered page.

    ``samples`` holds ``height`` rows of ``stride`` bytes, ``channels`` bytes
    per pixel (3: RGB, 4: RGBA), ready for a QImage of format RGB888/RGBA8888.
    ``scale`` is pixels per point actually used (zoom × device pixel ratio,
    rounded to the cache's bucket).
    """

    version_id: str
    page: int
    scale: float
    width: int
    height: int
    stride: int
    channels: int
    samples: bytes

    @property
    def nbytes(self) -> int:
        """Return the size of the pixel data in bytes (what the cache budgets)."""
        return len(self.samples)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One match of a text search: its page (0-based) and one quad per line it spans."""

    page: int
    quads: tuple[Quad, ...]


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a page's text with its box, in reading order."""

    rect: Rect
    text: str
    block: int
    line: int
    word: int


@dataclass(frozen=True, slots=True)
class PageText:
    """A page's plain text and its words with boxes (for selection and copy)."""

    page: int
    text: str
    words: tuple[Word, ...]
