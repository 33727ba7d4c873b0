"""Global search over a profile's offline content, accent-insensitive for Vietnamese.

``SearchIndex.search`` answers queries from decrypted text held in memory;
``index_pending`` (run in the background after sync and unlock) extracts
document page text through the PDF workers and keeps it sealed in the store.
"""

from meetingroom.search.fold import fold, query_terms, term_pattern
from meetingroom.search.index import ResultKind, SearchIndex, SearchOutcome, SearchResult
from meetingroom.search.indexer import IndexReport, index_pending, pending_versions

__all__ = [
    "IndexReport",
    "ResultKind",
    "SearchIndex",
    "SearchOutcome",
    "SearchResult",
    "fold",
    "index_pending",
    "pending_versions",
    "query_terms",
    "term_pattern",
]
