"""The app's log: a rotated file in the platform's log directory.

Log lines never carry meeting content, document names, usernames, tokens or
keys: call sites log ids, counts and exception *types*, and this module adds
nothing of its own. A ``Redactor`` filter is a last line of defence for
bearer tokens and ``password=``-style pairs that a third-party library
might put in a message; it is not a licence to log content.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import re
import traceback
from pathlib import Path
from typing import Any

APP_NAME = "MeetingRoom"
LOG_FILENAME = "meetingroom.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"
LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}
# Libraries that log request URLs with query strings or headers at DEBUG:
# they stay at WARNING whatever the app's level.
QUIET = ("urllib3", "requests", "keyring", "asyncio", "PIL", "multipart", "httpx")

_MARK = "_meetingroom_handler"


class SafeFormatter(logging.Formatter):
    """Formats tracebacks with their frames and exception type, never the exception's message.

    An unexpected exception's message may quote data it choked on (a title,
    a file name); the frames and the type are what a developer needs.
    """

    def format(self, record: logging.LogRecord) -> str:
        # Another handler may have cached the full traceback text on the record.
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: Any) -> str:
        etype, _value, tb = ei
        # Frames without their source lines: a line may hold a literal the code was given.
        frames = "".join(
            f'  File "{f.filename}", line {f.lineno}, in {f.name}\n'
            for f in traceback.extract_tb(tb)
        )
        name = etype.__name__ if etype is not None else "Exception"
        return f"Traceback (most recent call last):\n{frames}{name} (message withheld)"


class Redactor(logging.Filter):
    """Masks bearer tokens and secret-looking ``key=value`` pairs in a record's message."""

    _PATTERNS = (
        (re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1[redacted]"),
        (
            re.compile(r"(?i)\b(password|passwd|token|secret|pin|key)(\s*[=:]\s*)\S+"),
            r"\1\2[redacted]",
        ),
    )

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = message
        for pattern, replacement in self._PATTERNS:
            cleaned = pattern.sub(replacement, cleaned)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def log_directory() -> Path:
    """Return the platform's log directory for MeetingRoom (not created)."""
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_NAME, appauthor=False))


def configure_logging(level: str = "info", directory: Path | None = None) -> Path:
    """Send the root logger to a rotated file (1 MiB x 5) and return the file's path.

    Calling it again replaces the handler it installed before (the level or
    directory changed); handlers others installed are left alone.

    Raises:
        ValueError: ``level`` is not debug, info, warning or error.
        OSError: the directory cannot be created.
    """
    try:
        numeric = LEVELS[level.lower()]
    except KeyError:
        raise ValueError(f"unknown log level {level!r}") from None
    directory = directory or log_directory()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / LOG_FILENAME
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=False
    )
    setattr(handler, _MARK, True)
    handler.setFormatter(SafeFormatter(FORMAT))
    handler.addFilter(Redactor())
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(numeric)
    for name in QUIET:
        logging.getLogger(name).setLevel(max(numeric, logging.WARNING))
    with contextlib.suppress(OSError):  # a file system without modes; the folder is private
        os.chmod(path, 0o600)
    return path


def close_logging() -> None:
    """Remove and close the handler ``configure_logging`` installed (tests, shutdown)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(old)
        old.close()
