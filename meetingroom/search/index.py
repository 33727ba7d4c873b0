"""The global search: an in-memory index of decrypted, folded text.

``SearchIndex`` holds, in memory only, the folded text of what the store
holds (meeting titles, agenda items, notes, document titles and the sealed
page text of current document versions). It is loaded on the first search
after unlock and brought up to date when the store's contents change (a
cheap plaintext signature is compared before each search; only new
versions' pages are decrypted again). Nothing of it reaches the disk.
``clear`` drops it (call it on lock; a locked store also clears it).
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from meetingroom.domain import UserId
from meetingroom.errors import StoreLocked, Tampered
from meetingroom.search import pagetext
from meetingroom.search.catalogue import Catalogue, load_catalogue
from meetingroom.search.fold import fold, query_terms, term_pattern
from meetingroom.store.gateway import Store

SNIPPET_BEFORE = 50
SNIPPET_LENGTH = 160


class ResultKind(enum.StrEnum):
    MEETING = "meeting"
    AGENDA_ITEM = "agenda_item"
    NOTE = "note"
    DOCUMENT = "document"  # a document's title
    PAGE = "page"  # text on a page of a document


_KIND_ORDER = {k: i for i, k in enumerate(ResultKind)}


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One hit. ``page`` is 0-based (-1 unless a document hit); ``highlights``
    are (start, end) spans of matched words inside ``snippet``."""

    kind: ResultKind
    meeting_id: str
    meeting_title: str
    title: str  # the agenda item's, document's or meeting's title; "" for notes
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    entity_id: str
    document_id: str | None = None
    version_id: str | None = None
    page: int = -1


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    """The results of a query, best first, at most the limit; ``total`` counts every hit."""

    query: str
    results: tuple[SearchResult, ...]
    total: int


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: ResultKind
    meeting_id: str
    title: str
    text: str  # the original text the snippet is cut from
    folded: str
    entity_id: str
    document_id: str | None = None
    version_id: str | None = None
    page: int = -1
    position: int = 0  # document position, for ordering


def _signature(store: Store) -> tuple[object, ...]:
    """Return a value that changes whenever the store's contents may have changed.

    ``total_changes()`` counts every row this connection (the store's only
    one in this process) has written; ``data_version`` moves when another
    process (a headless sync) commits. Both are plaintext counters.
    """
    with store.reading() as db:
        changes = db.execute("SELECT total_changes()").fetchone()[0]
        version = db.execute("PRAGMA data_version").fetchone()[0]
    return (changes, version)


class SearchIndex:
    """Accent-insensitive search over one store's offline content. Thread-safe."""

    def __init__(self, author_id: UserId | None = None) -> None:
        """``author_id``: whose personal notes to include (None: every note in the store)."""
        self._author_id = author_id
        self._lock = threading.Lock()
        self._store: Store | None = None
        self._signature: tuple[object, ...] | None = None
        self._entries: list[_Entry] = []
        self._pages: dict[str, list[_Entry]] = {}  # version id -> its pages
        self._meeting_titles: dict[str, str] = {}
        self._meeting_starts: dict[str, datetime] = {}

    def clear(self) -> None:
        """Drop every piece of decrypted text held in memory."""
        with self._lock:
            self._clear()

    def _clear(self) -> None:
        self._store = None
        self._signature = None
        self._entries = []
        self._pages = {}
        self._meeting_titles = {}
        self._meeting_starts = {}

    def load(self, store: Store) -> None:
        """Bring the in-memory index up to date with ``store`` now.

        Call it in the background after unlock or sync so that the first
        search does not pay for decrypting and folding every page.

        Raises:
            StoreLocked: the store is locked (the in-memory index is dropped).
        """
        self.search(store, "")

    def search(self, store: Store, query: str, *, limit: int = 200) -> SearchOutcome:
        """Return the hits of ``query`` in ``store``: every word must match, accents ignored.

        Words match anywhere in a word ("quyet" finds "nghị quyết", "ngh"
        finds it too). Page hits need every word on the same page. Results
        come meetings first, then agenda items, notes, document titles and
        pages, most recent meeting first, then document order and page.

        Raises:
            StoreLocked: the store is locked (the in-memory index is dropped).
        """
        terms = query_terms(query)
        with self._lock:
            if store.is_locked:
                self._clear()
                raise StoreLocked()
            try:
                self._refresh(store)
            except StoreLocked:
                self._clear()
                raise
            if not terms:
                return SearchOutcome(query, (), 0)
            hits = [e for e in self._all_entries() if all(t in e.folded for t in terms)]
            hits.sort(key=self._order)
            results = tuple(self._result(e, terms) for e in hits[:limit])
        return SearchOutcome(query, results, len(hits))

    # -- loading -------------------------------------------------------------------

    def _all_entries(self) -> Iterable[_Entry]:
        yield from self._entries
        for pages in self._pages.values():
            yield from pages

    def _order(self, entry: _Entry) -> tuple[object, ...]:
        start = self._meeting_starts.get(entry.meeting_id)
        return (
            _KIND_ORDER[entry.kind],
            -(start.timestamp() if start is not None else 0.0),
            entry.meeting_id,
            entry.position,
            entry.document_id or "",
            entry.page,
        )

    def _refresh(self, store: Store) -> None:
        if self._store is not store:
            self._clear()
            self._store = store
        signature = _signature(store)
        if signature == self._signature:
            return
        catalogue = load_catalogue(store, self._author_id)
        self._entries = _entity_entries(catalogue)
        self._meeting_titles = {m.id: m.title for m in catalogue.meetings.values()}
        self._meeting_starts = {m.id: m.starts_at for m in catalogue.meetings.values()}
        done = pagetext.done_versions(store)
        wanted = {
            v.id: d for d in catalogue.documents if (v := catalogue.current.get(d.id)) is not None
        }
        pages: dict[str, list[_Entry]] = {}
        for version_id, document in wanted.items():
            if version_id not in done:
                continue
            known = self._pages.get(version_id)
            if known is not None and (not known or known[0].title == document.title):
                pages[version_id] = known
                continue
            try:
                texts = pagetext.load_version(store, version_id)
            except Tampered:
                continue  # a damaged cache entry is skipped; the rest still searches
            pages[version_id] = [
                _Entry(
                    ResultKind.PAGE,
                    document.meeting_id,
                    document.title,
                    text,
                    fold(text),
                    document.id,
                    document.id,
                    version_id,
                    page,
                    document.position,
                )
                for page, text in sorted(texts.items())
            ]
        self._pages = pages
        self._signature = signature

    # -- results -------------------------------------------------------------------

    def _result(self, entry: _Entry, terms: list[str]) -> SearchResult:
        snippet, highlights = make_snippet(entry.text, terms)
        return SearchResult(
            kind=entry.kind,
            meeting_id=entry.meeting_id,
            meeting_title=self._meeting_titles.get(entry.meeting_id, ""),
            title=entry.title,
            snippet=snippet,
            highlights=highlights,
            entity_id=entry.entity_id,
            document_id=entry.document_id,
            version_id=entry.version_id,
            page=entry.page,
        )


def _entity_entries(catalogue: Catalogue) -> list[_Entry]:
    entries: list[_Entry] = []

    def add(
        kind: ResultKind,
        meeting_id: str,
        title: str,
        text: str,
        entity_id: str,
        *,
        document_id: str | None = None,
        version_id: str | None = None,
        page: int = -1,
        position: int = 0,
    ) -> None:
        if text.strip():
            entries.append(
                _Entry(
                    kind,
                    meeting_id,
                    title,
                    text,
                    fold(text),
                    entity_id,
                    document_id,
                    version_id,
                    page,
                    position,
                )
            )

    for meeting in catalogue.meetings.values():
        add(ResultKind.MEETING, meeting.id, meeting.title, meeting.title, meeting.id)
    for item in catalogue.agenda_items:
        add(
            ResultKind.AGENDA_ITEM,
            item.meeting_id,
            item.title,
            item.title,
            item.id,
            position=item.position,
        )
    for note in catalogue.notes:
        add(ResultKind.NOTE, note.meeting_id, "", note.text, note.id)
    for document in catalogue.documents:
        version = catalogue.current.get(document.id)
        add(
            ResultKind.DOCUMENT,
            document.meeting_id,
            document.title,
            document.title,
            document.id,
            document_id=document.id,
            version_id=version.id if version is not None else None,
            page=0,
            position=document.position,
        )
    return entries


def make_snippet(text: str, terms: list[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Return a short excerpt of ``text`` around the first match and the matched spans in it.

    ``terms`` are folded words; the spans cover each occurrence of each term
    inside the excerpt, so the UI can emphasise them.
    """
    pattern = term_pattern(tuple(terms))
    found = pattern.search(text)
    origin = found.start() if found is not None else 0
    start = max(0, origin - SNIPPET_BEFORE)
    # Start at a word boundary so the excerpt does not open mid-word; near
    # the top of the text, start at the top.
    if start <= SNIPPET_BEFORE // 2:
        start = 0
    else:
        space = text.find(" ", start, origin)
        start = space + 1 if space >= 0 else start
    window = text[start : start + SNIPPET_LENGTH]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + SNIPPET_LENGTH < len(text) else ""
    shift = len(prefix)
    spans = [(m.start() + shift, m.end() + shift) for m in pattern.finditer(window)]
    # One line: newlines and tabs become spaces (same length, so spans hold).
    snippet = "".join(" " if c.isspace() else c for c in window)
    return prefix + snippet + suffix, _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return tuple(merged)
