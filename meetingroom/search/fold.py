"""Accent-insensitive folding for search: "Nghị quyết" -> "nghi quyet".

The same idea as the UI's ``ui.i18n.fold`` (which the meeting list uses),
kept here in the core so that search works without Qt. ``fold`` is the
whole-text form used on every indexed page (C-level normalisation and
regular expressions); ``term_pattern`` finds folded words in the original,
unfolded text, for cutting snippets and marking the matched words.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Combining marks: Vietnamese tones and vowel marks decompose into these under NFD.
_MARK_CLASS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_MARKS = re.compile(f"[{_MARK_CLASS}]+")
_SPACE = re.compile(r"\s+")
# Latin letters with diacritics live in these blocks (Vietnamese: Latin-1,
# Latin Extended-A/B and Latin Extended Additional).
_LATIN_BLOCKS = (range(0x20, 0x250), range(0x1E00, 0x1F00))


def fold(text: str) -> str:
    """Return ``text`` lower-cased, without diacritics, with whitespace runs as one space."""
    # đ/Đ have no decomposition: they are letters of their own, searched as d.
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return _SPACE.sub(" ", _MARKS.sub("", decomposed).casefold()).strip()


def query_terms(query: str) -> list[str]:
    """Return the distinct folded words of ``query`` (every one must match), longest first."""
    words = dict.fromkeys(fold(query).split())
    return sorted(words, key=len, reverse=True)


@functools.cache
def _variants() -> dict[str, str]:
    """Return, per folded letter, every Latin character that folds to it (as a regex class body)."""
    table: dict[str, set[str]] = {}
    for block in _LATIN_BLOCKS:
        for code in block:
            char = chr(code)
            folded = fold(char)
            if len(folded) == 1 and folded != char:
                table.setdefault(folded, {folded}).add(char)
    return {k: "".join(re.escape(c) for c in sorted(v)) for k, v in table.items()}


@functools.lru_cache(maxsize=256)
def term_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """Return a regex that finds any of the folded ``terms`` in original text.

    Each letter matches every accented or upper-case form of it, optionally
    followed by combining marks (text that arrives decomposed), so
    ``term_pattern(("nghi",))`` finds "Nghị" and "NGHỊ" where they stand.
    """
    variants = _variants()
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        letters = [f"[{variants[c]}]" if c in variants else re.escape(c) for c in term]
        parts.append(f"[{_MARK_CLASS}]*".join(letters) + f"[{_MARK_CLASS}]*")
    return re.compile("|".join(parts) if parts else "(?!)", re.IGNORECASE)
