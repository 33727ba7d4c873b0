"""The child side of ``check_pdf``: opens one file with PyMuPDF and reports.

Runs in a spawned process of its own, so a MuPDF crash or hang on a hostile
file costs that process only. Imports nothing of the app but PyMuPDF.
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from typing import Any


def check(path: str, conn: Connection) -> None:
    """Send ("ok", page_count), ("password", 0), ("not_pdf", 0) or ("corrupt", detail)."""
    try:
        try:
            verdict = _inspect(path)
        except Exception as exc:  # any failure of MuPDF on the file means a damaged file
            verdict = ("corrupt", type(exc).__name__)
        conn.send(verdict)
    except OSError:
        pass  # the caller gave up (time limit) or exited: nobody to tell
    finally:
        conn.close()


def _inspect(path: str) -> tuple[str, Any]:
    import pymupdf as _pymupdf

    pymupdf: Any = _pymupdf  # PyMuPDF ships partial annotations
    pymupdf.TOOLS.mupdf_display_errors(False)
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:
        return ("corrupt", type(exc).__name__)
    with doc:
        if not doc.is_pdf:
            return ("not_pdf", 0)
        if doc.needs_pass or doc.is_encrypted:
            return ("password", 0)
        if doc.page_count < 1:
            return ("corrupt", "no pages")
        for page in doc:
            # Loading each page's content finds damage that opening the
            # file (which only reads the cross-reference table) does not.
            page.get_text("text")
        return ("ok", doc.page_count)
