"""The server's user directory, cached offline for secretaries and chairs.

Secretaries choose a meeting's participants from the accounts the server
knows (``GET /api/v1/directory``). The sync engine fetches that list during
pull and keeps it here, each entry sealed like any meeting content (names
are personal data), so participants can be picked on a laptop without a
network.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from meetingroom.domain import Classification, Role, UserId
from meetingroom.errors import Tampered

if TYPE_CHECKING:
    from meetingroom.store.gateway import Store

TABLE = "directory"
_FIELD = "content"
# The statements spelled out: the table name is a constant, never input.
_DELETE_ALL = 'DELETE FROM "directory"'
_INSERT = 'INSERT OR REPLACE INTO "directory" ("user_id", "content") VALUES (?, ?)'
_SELECT_ALL = 'SELECT "user_id", "content" FROM "directory"'

# The Vietnamese alphabet, in its own order: ă and â follow a, đ follows d,
# ê follows e, ô and ơ follow o, ư follows u. Letters outside it (f, j, w, z
# in foreign names) sort where Latin puts them.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Tone marks decide only between words that are otherwise equal, in the
# customary order: ngang (none), huyền, sắc, hỏi, ngã, nặng.
_TONES = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
# Marks that make a different letter of the alphabet rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn


@dataclass(frozen=True)
class DirectoryEntry:
    """One active account of the server's user directory."""

    user_id: UserId
    username: str
    display_name: str
    role: Role
    clearance: Classification


def _letters(text: str) -> list[tuple[str, int]]:
    """Return each letter of ``text`` as (base letter with its letter marks, tone)."""
    out: list[tuple[str, int]] = []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in _TONES:
            if out:
                out[-1] = (out[-1][0], _TONES[char])
        elif char in _LETTER_MARKS and out:
            out[-1] = (unicodedata.normalize("NFC", out[-1][0] + char), out[-1][1])
        elif not unicodedata.combining(char):
            out.append((char, 0))
    return out


def vietnamese_key(text: str) -> tuple[tuple[tuple[int, str], ...], tuple[int, ...]]:
    """Return a sort key for ``text`` in Vietnamese alphabetical order.

    Letters compare first (with ă, â, đ, ê, ô, ơ, ư as letters of their own),
    then tone marks, so "An" < "Ân" < "Bình" and "Ma" < "Mà" < "Má".
    """
    letters = _letters(text)
    primary = tuple(
        (_RANK[base], "") if base in _RANK else (len(_RANK), base) for base, _tone in letters
    )
    return primary, tuple(tone for _base, tone in letters)


def _entry_json(entry: DirectoryEntry) -> bytes:
    return json.dumps(
        {
            "username": entry.username,
            "display_name": entry.display_name,
            "role": entry.role.value,
            "clearance": entry.clearance.value,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def _entry_from(user_id: str, raw: dict[str, Any]) -> DirectoryEntry:
    return DirectoryEntry(
        user_id=UserId(user_id),
        username=str(raw["username"]),
        display_name=str(raw["display_name"]),
        role=Role(raw["role"]),
        clearance=Classification(raw["clearance"]),
    )


def entry_from_protocol(item: dict[str, Any]) -> DirectoryEntry:
    """Return the entry for one item of ``GET /api/v1/directory``'s ``users``.

    Raises:
        ValueError: the item is not a directory entry (missing field, unknown
            role or clearance).
    """
    try:
        return _entry_from(str(item["user_id"]), item)
    except (KeyError, TypeError) as exc:
        raise ValueError(f"not a directory entry: missing {exc}") from None


def save_directory(store: Store, entries: Iterable[DirectoryEntry]) -> None:
    """Replace the cached directory with ``entries``, in one transaction.

    Raises:
        StoreLocked: the store is locked.
        DiskFull, ReadOnlyStore: the write failed; the old directory is intact.
    """
    rows = [
        (entry.user_id, store.seal(TABLE, entry.user_id, _FIELD, _entry_json(entry)))
        for entry in entries
    ]
    with store.atomic() as db:
        db.execute(_DELETE_ALL)
        for user_id, sealed in rows:
            db.execute(_INSERT, [user_id, sealed])


def list_directory(store: Store) -> list[DirectoryEntry]:
    """Return the cached directory, sorted by display name in Vietnamese order.

    Empty until a secretary's or chair's sync has fetched it.

    Raises:
        StoreLocked: the store is locked.
        Tampered: an entry was altered on disk.
    """
    with store.reading() as db:
        rows = db.execute(_SELECT_ALL).fetchall()
    entries: list[DirectoryEntry] = []
    for user_id, sealed in rows:
        raw = json.loads(store.unseal(TABLE, user_id, _FIELD, sealed))
        try:
            entries.append(_entry_from(user_id, raw))
        except (KeyError, TypeError, ValueError):
            raise Tampered(TABLE, user_id, _FIELD) from None
    entries.sort(key=lambda e: (vietnamese_key(e.display_name), e.username))
    return entries


def clear_directory(store: Store) -> None:
    """Forget the cached directory (the account lost the right to see it)."""
    with store.atomic() as db:
        db.execute(_DELETE_ALL)
