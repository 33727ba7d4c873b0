"""The export process: opens the PDF from memory, adds annotations, returns the new PDF.

Started with the "spawn" method by ``meetingroom.export.job`` (a fresh
interpreter: MuPDF's crash and hang bugs on a hostile file take down only
this process). Everything arrives through the pipe and goes back through it:

1. a header ``{"mode", "annotations", "watermark", "version_id"}``;
2. the decrypted document as one raw message (``send_bytes``);
3. the answer: ``("ok",)`` then the new PDF as a raw message, or ``("err", reason)``.

It opens no file but the watermark font (a resource, no meeting content).
"""

from __future__ import annotations

import math
import signal
from importlib import resources
from multiprocessing.connection import Connection
from typing import Any

# PyMuPDF, imported in the export process only (``main``/``build``): the app
# process that starts the export never loads it. Partially annotated: Any.
pymupdf: Any = None


def _load_pymupdf() -> None:
    global pymupdf
    if pymupdf is None:
        import pymupdf as module

        pymupdf = module


WATERMARK_OPACITY = 0.22
WATERMARK_GREY = (0.45, 0.45, 0.45)


class BadInput(Exception):
    """The document or an annotation cannot be processed; the message says why (no content)."""


def _rgb(colour: str) -> tuple[float, float, float]:
    """Return ``#rrggbb`` as PyMuPDF's (r, g, b) in 0..1; yellow when malformed."""
    try:
        value = int(colour.lstrip("#"), 16)
        if len(colour.lstrip("#")) != 6:
            raise ValueError(colour)
    except ValueError:
        return (1.0, 0.83, 0.0)
    return ((value >> 16 & 255) / 255, (value >> 8 & 255) / 255, (value & 255) / 255)


def _rects(geometry: list[list[float]]) -> list[Any]:
    rects = [pymupdf.Rect(*g[:4]) for g in geometry if len(g) >= 4]
    if not rects:
        raise BadInput("an annotation has no area")
    return rects


def add_annotation(page: Any, spec: dict[str, Any]) -> Any:
    """Add one annotation (a dict from ``job._spec``) to ``page``; return the PyMuPDF annot."""
    kind = spec["kind"]
    geometry = spec["geometry"]
    colour = _rgb(spec["colour"])
    if kind in ("highlight", "underline", "strikeout"):
        quads = [r.quad for r in _rects(geometry)]
        add = {
            "highlight": page.add_highlight_annot,
            "underline": page.add_underline_annot,
            "strikeout": page.add_strikeout_annot,
        }[kind]
        annot = add(quads=quads)
        annot.set_colors(stroke=colour)
    elif kind == "ink":
        strokes = [
            [(float(s[i]), float(s[i + 1])) for i in range(0, len(s) - 1, 2)]
            for s in geometry
            if len(s) >= 4
        ]
        if not strokes:
            raise BadInput("an ink annotation has no stroke")
        annot = page.add_ink_annot(strokes)
        annot.set_colors(stroke=colour)
        annot.set_border(width=2)
    elif kind == "note":
        rect = _rects(geometry)[0]
        annot = page.add_text_annot(rect.tl, spec["text"], icon="Note")
        annot.set_colors(stroke=colour)
    elif kind == "freetext":
        rect = _rects(geometry)[0]
        annot = page.add_freetext_annot(rect, spec["text"], fontsize=12, text_color=colour)
    else:
        raise BadInput(f"unknown annotation kind {kind!r}")
    annot.set_info(title=spec["author"], content=spec["text"])
    annot.update()
    return annot


def _watermark_font() -> str:
    """Return the path of the bundled font with Vietnamese glyphs."""
    return str(resources.files("resources") / "fonts" / "NotoSerif-Regular.ttf")


def add_watermark(page: Any, text: str, fontfile: str) -> None:
    """Draw ``text`` diagonally across the middle of ``page``, in its content."""
    rect = page.rect
    font = pymupdf.Font(fontfile=fontfile)
    diagonal = math.hypot(rect.width, rect.height)
    # As large as fits along the diagonal, within reason.
    size = max(8.0, min(60.0, 0.7 * diagonal / max(font.text_length(text, fontsize=1), 1e-6)))
    width = font.text_length(text, fontsize=size)
    angle = math.degrees(math.atan2(rect.height, rect.width))
    centre = pymupdf.Point(rect.x0 + rect.width / 2, rect.y0 + rect.height / 2)
    start = pymupdf.Point(centre.x - width / 2, centre.y + size / 3)
    page.insert_text(
        start,
        text,
        fontsize=size,
        fontname="mrwatermark",
        fontfile=fontfile,
        color=WATERMARK_GREY,
        fill_opacity=WATERMARK_OPACITY,
        stroke_opacity=WATERMARK_OPACITY,
        morph=(centre, pymupdf.Matrix(angle)),
        overlay=True,
    )


def build(data: bytes | bytearray, header: dict[str, Any]) -> bytes:
    """Return the exported PDF for ``data`` as ``header`` asks.

    Raises:
        BadInput: not a PDF, password-protected, or an annotation outside the document.
    """
    _load_pymupdf()
    try:
        document = pymupdf.open(stream=data, filetype="pdf")
    except Exception:
        raise BadInput("it is not a readable PDF") from None
    try:
        if document.needs_pass:
            raise BadInput("it is protected by a password")
        for spec in header["annotations"]:
            number = int(spec["page"])
            if not 0 <= number < document.page_count:
                raise BadInput(f"an annotation is on page {number + 1}, which does not exist")
            add_annotation(document[number], spec)
        watermark = header.get("watermark")
        if watermark:
            fontfile = _watermark_font()
            for page in document:
                add_watermark(page, str(watermark), fontfile)
        if header["mode"] == "flattened":
            # Annotations (ours and any the file had) and form fields become page content.
            document.bake(annots=True, widgets=True)
        out: bytes = document.tobytes(garbage=3, deflate=True)
        return out
    finally:
        document.close()


def main(conn: Connection) -> None:
    """Serve one export: header and bytes in, PDF or error out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides
    _load_pymupdf()
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    try:
        header = conn.recv()
        data = bytearray(conn.recv_bytes())
    except (EOFError, OSError):
        return
    try:
        result = build(data, header)
    except BadInput as exc:
        conn.send(("err", str(exc)))
        return
    except Exception as exc:
        conn.send(("err", f"the PDF library failed ({type(exc).__name__})"))
        return
    finally:
        data[:] = bytes(len(data))  # the decrypted input, zeroed
    conn.send(("ok",))
    conn.send_bytes(result)
