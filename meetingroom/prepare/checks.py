"""Checking a file before it becomes a meeting document.

``check_pdf`` rejects, with a typed error naming the file, what delegates
could not read: a file over the size limit, not a PDF, protected by a
password, or damaged. MuPDF has had crash and hang bugs on hostile files, so
the PDF is opened in a spawned process of its own with a time limit; the
calling process never parses it.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from meetingroom.errors import (
    FileTooLarge,
    FileUnreadable,
    NotAPdf,
    PdfCorrupt,
    PdfPasswordProtected,
)
from meetingroom.prepare import _checkworker

#: The default size limit for one document (a scanned 300-page PDF fits).
MAX_BYTES = 200 * 1024 * 1024
#: Seconds the checking process may take before the file is called damaged.
CHECK_SECONDS = 60.0
_READ = 1024 * 1024


@dataclass(frozen=True, slots=True)
class CheckedPdf:
    """A file that passed ``check_pdf``."""

    path: Path
    filename: str
    size: int
    sha256: str
    page_count: int


def display_name(path: Path) -> str:
    """Return the file's name as people read it (NFC: macOS hands out NFD names)."""
    import unicodedata

    return unicodedata.normalize("NFC", path.name)


def file_sha256(path: Path) -> str:
    """Return the hex SHA-256 of the file at ``path``. Raises FileUnreadable."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while block := f.read(_READ):
                digest.update(block)
    except OSError as exc:
        raise FileUnreadable(display_name(path), exc.strerror or type(exc).__name__) from None
    return digest.hexdigest()


def check_pdf(
    path: Path | str, max_bytes: int = MAX_BYTES, *, seconds: float = CHECK_SECONDS
) -> CheckedPdf:
    """Check that ``path`` is a readable, unprotected PDF within ``max_bytes``.

    Returns the file's size, SHA-256 and page count.

    Raises:
        FileUnreadable: the file cannot be read.
        FileTooLarge: the file is over ``max_bytes``.
        NotAPdf: the file is not a PDF.
        PdfPasswordProtected: the PDF needs a password.
        PdfCorrupt: the PDF is damaged (or made the checker crash or overrun
            ``seconds``).
    """
    path = Path(path)
    name = display_name(path)
    try:
        size = os.stat(path).st_size
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError as exc:
        raise FileUnreadable(name, exc.strerror or type(exc).__name__) from None
    if size > max_bytes:
        raise FileTooLarge(name, size, max_bytes)
    # The PDF standard lets the header start anywhere in the first 1024 bytes.
    if b"%PDF-" not in head:
        raise NotAPdf(name)
    verdict, value = _run_checker(path, seconds)
    if verdict == "password":
        raise PdfPasswordProtected(name)
    if verdict == "not_pdf":
        raise NotAPdf(name)
    if verdict != "ok":
        raise PdfCorrupt(name, str(value))
    return CheckedPdf(path, name, size, file_sha256(path), int(value))


def _run_checker(path: Path, seconds: float) -> tuple[str, Any]:
    """Run the check in a spawned process; a crash or overrun counts as damage."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_checkworker.check, args=(str(path), sender), name="meetingroom-pdfcheck"
    )
    process.daemon = True
    process.start()
    sender.close()  # so a crashed child shows as EOF here
    try:
        if receiver.poll(seconds):
            try:
                verdict, value = receiver.recv()
            except EOFError:
                return ("corrupt", "checker crashed")
            return (str(verdict), value)
        return ("corrupt", "checker timed out")
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
