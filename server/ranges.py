"""HTTP byte ranges (RFC 9110, section 14): ``Range``, ``If-Range`` and ``Content-Range``.

Only a single byte range is served. Choices, all allowed by RFC 9110 14.2
("a server MAY ignore the Range header field"):

- A malformed header, an unknown unit, or a list of several ranges is
  ignored: the caller serves the whole representation with 200. Multipart
  byte-range responses buy a client nothing here (it downloads documents
  front to back and resumes from one offset) and are a known amplification
  vector.
- A well-formed single range that selects no byte raises
  :class:`RangeNotSatisfiable`, which the caller answers with 416 and
  ``Content-Range: bytes */SIZE``.
"""

from __future__ import annotations

import re

# [0-9], not \d: \d also matches other scripts' digits, which HTTP does not allow.
_RANGE_SPEC = re.compile(r"([0-9]*)-([0-9]*)")
_CONTENT_RANGE = re.compile(r"bytes ([0-9]+)-([0-9]+)/([0-9]+|\*)", re.IGNORECASE)
# Optional whitespace as HTTP defines it: spaces and horizontal tabs only.
_OWS = " \t"


class RangeNotSatisfiable(Exception):
    """A syntactically valid range that selects no byte of a representation of ``size`` bytes."""

    def __init__(self, size: int) -> None:
        super().__init__(f"range not satisfiable for a representation of {size} bytes")
        self.size = size

    @property
    def content_range(self) -> str:
        """Return the ``Content-Range`` value a 416 response carries: ``bytes */SIZE``."""
        return f"bytes */{self.size}"


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """Return the byte range of a ``Range`` header for a representation of ``size`` bytes.

    Returns ``(start, end)`` with ``end`` inclusive and ``0 <= start <= end < size``,
    or None when the whole representation should be served with 200 (no header,
    a malformed header, another unit, several ranges, or an empty representation
    asked for a suffix). Raises :class:`RangeNotSatisfiable` for a single valid
    range that starts at or after ``size``, or a zero-length suffix.
    """
    if size < 0:
        raise ValueError("size must not be negative")
    if header is None:
        return None
    unit, sep, range_set = header.strip(_OWS).partition("=")
    if not sep or unit.strip(_OWS).lower() != "bytes":
        return None
    # The list rule (RFC 9110 5.6.1) lets a recipient skip empty elements.
    specs = [s.strip(_OWS) for s in range_set.split(",")]
    specs = [s for s in specs if s]
    if len(specs) != 1:
        return None
    match = _RANGE_SPEC.fullmatch(specs[0])
    if match is None:
        return None
    first_text, last_text = match.groups()
    try:
        first = int(first_text) if first_text else None
        last = int(last_text) if last_text else None
    except ValueError:
        # Python refuses to parse integers of thousands of digits; such a
        # header is nonsense, so it is treated like any other malformed one.
        return None
    if first is None:
        if last is None:
            return None  # "bytes=-" is not a range-spec
        # Suffix range: the last ``last`` bytes, or all of them if fewer.
        if last == 0:
            raise RangeNotSatisfiable(size)
        if size == 0:
            # RFC 9110 calls this satisfiable, yet there is no byte to send:
            # the whole (empty) representation with 200 is the honest answer.
            return None
        return max(0, size - last), size - 1
    if last is not None and last < first:
        return None  # invalid range-spec: ignored, like any malformed header
    if first >= size:
        raise RangeNotSatisfiable(size)
    end = size - 1 if last is None else min(last, size - 1)
    return first, end


def range_applies(if_range: str | None, etag: str) -> bool:
    """Return whether a ``Range`` header should be honoured given ``If-Range``.

    True when there is no ``If-Range`` or it is exactly the current strong
    ``etag``; False otherwise (a weak or different tag, or an HTTP date, which
    this server never validates against since it sends no Last-Modified), in
    which case the caller serves the whole representation with 200.
    Never raises.
    """
    if if_range is None:
        return True
    value = if_range.strip(_OWS)
    # RFC 9110 13.1.5: If-Range needs a strong comparison; weak tags never match.
    if value.startswith("W/") or etag.startswith("W/"):
        return False
    return value == etag


def content_range(start: int, end: int, size: int) -> str:
    """Return the ``Content-Range`` value of a 206 response: ``bytes START-END/SIZE``."""
    return f"bytes {start}-{end}/{size}"


def parse_content_range(header: str) -> tuple[int, int, int | None]:
    """Parse an upload's ``Content-Range`` header: ``bytes A-B/TOTAL`` or ``bytes A-B/*``.

    Returns ``(start, end, total)`` with ``end`` inclusive and ``total`` None
    for ``*`` (size not yet known). Raises ValueError when the header is
    malformed, ``end < start``, or ``end >= total``. The ``bytes */TOTAL``
    form is a response-only form and is rejected too.
    """
    match = _CONTENT_RANGE.fullmatch(header.strip(_OWS))
    if match is None:
        raise ValueError(f"malformed Content-Range: {header[:100]!r}")
    start, end = int(match.group(1)), int(match.group(2))
    total = None if match.group(3) == "*" else int(match.group(3))
    if end < start:
        raise ValueError("Content-Range ends before it starts")
    if total is not None and end >= total:
        raise ValueError("Content-Range ends at or after the total size")
    return start, end, total
