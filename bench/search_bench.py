"""Benchmark: global search over the demo organisation's documents, against plain FTS5.

Run with ``.venv/bin/python bench/search_bench.py``. Everything happens in a
temporary directory with a passphrase-protected store (no keyring involved).

The demo organisation (``server/demo``: every meeting's generated Vietnamese
and English PDFs, one of 320 pages) is written into an encrypted store with
its meetings and agendas. Measured in the same run:

- index: ``index_pending`` — the PDF workers (warm) extract every page's
  text, which is sealed into ``page_text``; against the baseline, which
  extracts the same text in this process from the plaintext bytes with the
  same PyMuPDF call and inserts it into an in-memory SQLite FTS5 table
  (``unicode61 remove_diacritics 2``).
- first search: ``SearchIndex`` loading (decrypt + fold every page) and
  answering one query, as the first search after unlock does.
- warm search: the median of ``--reps`` runs of each query on the loaded
  index, against an FTS5 ``MATCH`` of the same words (AND) with snippets.

The baseline is plaintext and matches whole tokens only (FTS5 does not fold
"đ"); ours is encrypted at rest and matches inside words. Figures are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import sqlite3
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pymupdf as _pymupdf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _report import Row, ms, print_table, progress, temp_dir

from meetingroom import services
from meetingroom.crypto.keys import Protection
from meetingroom.domain import (
    AgendaItem,
    AgendaItemId,
    Document,
    DocumentId,
    DocumentVersion,
    DocumentVersionId,
    Meeting,
    MeetingId,
    new_id,
)
from meetingroom.pdf import RenderService
from meetingroom.search import SearchIndex, index_pending
from meetingroom.store import Store
from server.demo.organisation import build_demo
from server.demo.pdfs import iter_rendered

pymupdf: Any = _pymupdf  # partially annotated upstream

PASSPHRASE = "bench passphrase of the search"  # noqa: S105
QUERIES = (
    "nghi quyet",
    "ngan sach dia phuong",
    "ban chap hanh",
    "kinh te xa hoi",
    "budget",
)


def load_demo(store: Store) -> dict[str, bytes]:
    """Write the demo organisation's meetings, agendas and documents; return version → bytes."""
    organisation = build_demo(date.today(), random.Random(7))
    out: dict[str, bytes] = {}
    for demo in organisation.meetings:
        meeting = Meeting(
            MeetingId(new_id()),
            demo.title,
            demo.starts_at,
            demo.ends_at,
            location=demo.location,
            status=demo.status,
            description=demo.description,
        )
        items = [
            AgendaItem(AgendaItemId(new_id()), meeting.id, a.position, a.title) for a in demo.agenda
        ]
        services.save(store, meeting, *items)
        for spec, data in iter_rendered(demo.documents):
            version = DocumentVersion(
                id=DocumentVersionId(new_id()),
                document_id=DocumentId(new_id()),
                number=1,
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                page_count=spec.pages,
                filename=spec.filename,
            )
            document = Document(
                id=version.document_id,
                meeting_id=meeting.id,
                title=spec.title,
                current_version_id=version.id,
                position=spec.position,
            )
            services.save(store, document, version)
            services.store_document_bytes(store, version.id, io.BytesIO(data))
            out[version.id] = data
    return out


def baseline_index(documents: dict[str, bytes]) -> tuple[sqlite3.Connection, float, int]:
    """Extract text in-process and fill an FTS5 table; return it, the seconds and the pages."""
    started = time.perf_counter()
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE pages USING fts5(version_id UNINDEXED, page UNINDEXED, body, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    pages = 0
    for version_id, data in documents.items():
        doc = pymupdf.open(stream=data, filetype="pdf")
        rows = [
            (version_id, number, doc[number].get_text("text", sort=True))
            for number in range(doc.page_count)
        ]
        doc.close()
        db.executemany("INSERT INTO pages VALUES (?, ?, ?)", rows)
        pages += len(rows)
    db.commit()
    return db, time.perf_counter() - started, pages


def baseline_search(db: sqlite3.Connection, query: str) -> int:
    """Return the number of pages FTS5 finds for every word of ``query`` (with snippets made)."""
    match = " AND ".join(f'"{word}"' for word in query.split())
    rows = db.execute(
        "SELECT version_id, page, snippet(pages, 2, '[', ']', '…', 12) FROM pages "
        "WHERE pages MATCH ? LIMIT 200",
        [match],
    ).fetchall()
    count = db.execute("SELECT count(*) FROM pages WHERE pages MATCH ?", [match]).fetchone()[0]
    del rows
    return int(count)


def timed(fn: Any, reps: int) -> tuple[float, Any]:
    """Return the median seconds of ``reps`` calls of ``fn`` and its last result."""
    times: list[float] = []
    result: Any = None
    for _ in range(reps):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def ratio(ours: float, base: float) -> str:
    return f"{ours / base:.2f}×" if base > 0 else "–"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--reps", type=int, default=15, help="runs of each warm query")
    parser.add_argument("--workers", type=int, default=2, help="PDF worker processes")
    parser.add_argument("--dir", type=Path, default=None, help="parent of the temp directory")
    args = parser.parse_args(argv)

    with temp_dir(args.dir, "mr-search-bench-") as root:
        progress("creating the encrypted store (passphrase: one scrypt)")
        store = Store.create(root / "profile", Protection.PASSPHRASE, PASSPHRASE)
        progress("rendering and storing the demo organisation's documents")
        documents = load_demo(store)
        total_bytes = sum(len(d) for d in documents.values())

        progress(f"starting {args.workers} PDF workers")
        render = RenderService(store, workers=args.workers)
        try:
            # Warm the workers (as the app's are) before timing the indexing.
            first = next(iter(documents))
            render.open(first).result()
            render.close_document(first).result()
            progress("indexing: page text through the workers, sealed into the store")
            started = time.perf_counter()
            report = index_pending(store, render)
            index_seconds = time.perf_counter() - started
        finally:
            render.close()

        progress("baseline: in-process extraction into plaintext FTS5")
        fts, base_index_seconds, base_pages = baseline_index(documents)

        progress("first search: load (decrypt + fold) and answer")
        index = SearchIndex()
        started = time.perf_counter()
        index.search(store, QUERIES[0])
        first_search = time.perf_counter() - started

        rows = [
            Row("documents / pages", f"{len(documents)} / {report.pages}", f"{base_pages} pages"),
            Row("document bytes", f"{total_bytes / 1e6:,.1f} MB"),
            Row(
                "index all pages",
                ms(index_seconds),
                ms(base_index_seconds),
                ratio(index_seconds, base_index_seconds),
            ),
            Row("first search after unlock (load + query)", ms(first_search)),
        ]
        for query in QUERIES:
            ours, outcome = timed(lambda q=query: index.search(store, q), args.reps)
            base, count = timed(lambda q=query: baseline_search(fts, q), args.reps)
            rows.append(
                Row(
                    f"search “{query}” (hits {outcome.total} / fts {count})",
                    ms(ours),
                    ms(base),
                    ratio(ours, base),
                )
            )
        store.close()

    print("Global search: encrypted store + in-memory index vs plaintext SQLite FTS5")
    print_table(rows, indent="  ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
