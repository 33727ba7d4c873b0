"""The sealed cache of document page text (table ``page_text``, migration m004).

Page text is meeting content: each page's text is sealed with the store's
cipher and bound to (version id, page), so a row moved to another page or
version fails to decrypt. ``page_text_done`` records, per version, that
extraction finished (its page count, or that the PDF could not be read), so
the background indexer does each version once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from meetingroom.store.gateway import Store

TABLE = "page_text"
DONE_TABLE = "page_text_done"


def _field(page: int) -> str:
    return f"page:{page}"


def save_version(store: Store, version_id: str, pages: Sequence[str]) -> None:
    """Seal and store the text of every page of ``version_id``, marking it done, atomically.

    Replaces any text stored for it before.

    Raises:
        StoreLocked: the store is locked.
        DiskFull, ReadOnlyStore: nothing was written.
    """
    rows = [
        (version_id, page, store.seal(TABLE, version_id, _field(page), text.encode()))
        for page, text in enumerate(pages)
    ]
    with store.atomic() as db:
        db.execute(f'DELETE FROM "{TABLE}" WHERE "version_id" = ?', [version_id])  # noqa: S608
        db.conn.executemany(
            f'INSERT INTO "{TABLE}" ("version_id", "page", "content") VALUES (?, ?, ?)',  # noqa: S608
            rows,
        )
        db.execute(
            f'INSERT OR REPLACE INTO "{DONE_TABLE}" ("version_id", "pages", "failed") '  # noqa: S608
            "VALUES (?, ?, 0)",
            [version_id, len(rows)],
        )


def mark_failed(store: Store, version_id: str) -> None:
    """Record that ``version_id``'s text cannot be extracted (its PDF does not open)."""
    with store.atomic() as db:
        db.execute(f'DELETE FROM "{TABLE}" WHERE "version_id" = ?', [version_id])  # noqa: S608
        db.execute(
            f'INSERT OR REPLACE INTO "{DONE_TABLE}" ("version_id", "pages", "failed") '  # noqa: S608
            "VALUES (?, 0, 1)",
            [version_id],
        )


def done_versions(store: Store) -> set[str]:
    """Return the ids of versions whose extraction has finished or failed. Needs no key."""
    with store.reading() as db:
        rows = db.execute(f'SELECT "version_id" FROM "{DONE_TABLE}"').fetchall()  # noqa: S608
    return {str(r[0]) for r in rows}


def load_version(store: Store, version_id: str) -> dict[int, str]:
    """Return the stored text of ``version_id`` per page (0-based); empty if none.

    Raises:
        StoreLocked: the store is locked.
        Tampered: a page's text was altered, moved or damaged.
    """
    with store.reading() as db:
        rows = db.execute(
            f'SELECT "page", "content" FROM "{TABLE}" WHERE "version_id" = ? '  # noqa: S608
            'ORDER BY "page"',
            [version_id],
        ).fetchall()
    return {
        int(page): store.unseal(TABLE, version_id, _field(int(page)), bytes(sealed)).decode()
        for page, sealed in rows
    }


def discard(store: Store, version_ids: Iterable[str]) -> None:
    """Remove the stored text of ``version_ids`` (when their version is purged). Needs no key."""
    ids = list(version_ids)
    with store.atomic() as db:
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ", ".join("?" * len(part))
            for table in (TABLE, DONE_TABLE):
                db.execute(
                    f'DELETE FROM "{table}" WHERE "version_id" IN ({marks})',  # noqa: S608
                    part,
                )
