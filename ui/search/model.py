"""The search results as a list model: one row per hit, snippet with the matched words."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from meetingroom.search import ResultKind, SearchResult
from ui.i18n import Translator

ResultRole = Qt.ItemDataRole.UserRole + 1  # the SearchResult
HtmlRole = Qt.ItemDataRole.UserRole + 2  # the row as rich text (matched words in bold)


# Hits whose matched text is their title: the title line is the snippet.
TITLE_KINDS = (ResultKind.MEETING, ResultKind.AGENDA_ITEM, ResultKind.DOCUMENT)
MARK_STYLE = "background-color:#ffe58f; color:#000"


def heading(tr: Translator, result: SearchResult, *, other: bool = False) -> str:
    """Return the row's first line: what kind of hit and where, e.g. "Tài liệu · … · trang 3"."""
    text = tr.other if other else tr
    kind = text(f"search_kind_{result.kind.value}")
    if result.kind is ResultKind.PAGE:
        return f"{kind} · {result.title} · {text('search_page', page=result.page + 1)}"
    if result.kind is ResultKind.NOTE:
        return kind
    return f"{kind} · {result.title}"


def marked_html(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """Return ``text`` escaped for rich text with ``spans`` marked (highlighted)."""
    out: list[str] = []
    last = 0
    for start, end in spans:
        out.append(html.escape(text[last:start]))
        out.append(f"<span style='{MARK_STYLE}'>{html.escape(text[start:end])}</span>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


class SearchResultsModel(QAbstractListModel):
    """Rows of ``SearchResult``; ``set_results`` replaces them."""

    def __init__(self, tr: Translator, parent: Any = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._results: list[SearchResult] = []

    def set_results(self, results: list[SearchResult] | tuple[SearchResult, ...]) -> None:
        self.beginResetModel()
        self._results = list(results)
        self.endResetModel()

    def clear(self) -> None:
        self.set_results([])

    def results(self) -> list[SearchResult]:
        """Return the results shown (for tests and the panel)."""
        return list(self._results)

    def result(self, row: int) -> SearchResult | None:
        return self._results[row] if 0 <= row < len(self._results) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._results)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._results):
            return None
        result = self._results[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            lines = [heading(self._tr, result)]
            if result.kind is not ResultKind.MEETING:
                lines.append(result.meeting_title)
            if result.kind not in TITLE_KINDS:
                lines.append(result.snippet)
            return "\n".join(lines)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{heading(self._tr, result)}. {result.snippet}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{heading(self._tr, result, other=True)}\n{result.meeting_title}"
        if role == ResultRole:
            return result
        if role == HtmlRole:
            return self._html(result)
        return None

    def _html(self, result: SearchResult) -> str:
        marked = marked_html(result.snippet, result.highlights)
        if result.kind in TITLE_KINDS:
            kind = self._tr(f"search_kind_{result.kind.value}")
            head = f"<b>{html.escape(kind)} · {marked}</b>"
        else:
            head = f"<b>{html.escape(heading(self._tr, result))}</b>"
        lines = [head]
        if result.kind is not ResultKind.MEETING:
            lines.append(f"<small>{html.escape(result.meeting_title)}</small>")
        if result.kind not in TITLE_KINDS:
            lines.append(marked)
        return "<br>".join(lines)
