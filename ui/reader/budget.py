"""A byte budget, least recently shown first, for the pixmaps a reader widget keeps.

The page view and the thumbnail list keep the pixmaps they were sent so that
paging back shows a page at once; this bounds what they keep by bytes, not by
a count of pages, so memory stays flat whatever the document's length, zoom
or screen density. The widgets hold the pixmaps themselves: the budget only
tracks their sizes and says which ones to drop. Pixmaps in use (the pages in
view, those being prefetched) are pinned: never dropped, whatever the budget.
GUI thread only.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Container, Hashable, Iterator
from typing import Generic, TypeVar

from PySide6.QtGui import QPixmap

K = TypeVar("K", bound=Hashable)


def pixmap_bytes(pixmap: QPixmap) -> int:
    """Return the memory ``pixmap``'s pixels take, in bytes."""
    return pixmap.width() * pixmap.height() * max(pixmap.depth(), 8) // 8


class PixmapBudget(Generic[K]):
    """The sizes of kept pixmaps by key, within ``budget`` bytes once trimmed."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.bytes_used = 0
        self._sizes: OrderedDict[K, int] = OrderedDict()

    def __len__(self) -> int:
        return len(self._sizes)

    def __contains__(self, key: object) -> bool:
        return key in self._sizes

    def __iter__(self) -> Iterator[K]:
        """Iterate over the keys kept, least recently shown first."""
        return iter(list(self._sizes))

    def shown(self, key: K, nbytes: int) -> None:
        """Record that the pixmap of ``key`` (``nbytes``) is kept, now the most recent."""
        self.bytes_used += nbytes - self._sizes.pop(key, 0)
        self._sizes[key] = nbytes

    def forget(self, key: K) -> None:
        """Record that the pixmap of ``key`` was dropped by its widget."""
        self.bytes_used -= self._sizes.pop(key, 0)

    def trim(self, pinned: Container[K]) -> list[K]:
        """Forget the least recently shown keys not in ``pinned`` until within the budget.

        Returns the keys forgotten, oldest first: the caller drops their pixmaps.
        Pinned pixmaps count against the budget but are never returned, so the
        budget can stay exceeded while they alone exceed it.
        """
        dropped: list[K] = []
        if self.bytes_used <= self.budget:
            return dropped
        for key in list(self._sizes):
            if key in pinned:
                continue
            dropped.append(key)
            self.bytes_used -= self._sizes.pop(key)
            if self.bytes_used <= self.budget:
                break
        return dropped

    def clear(self) -> None:
        """Forget every key (the widget dropped all its pixmaps)."""
        self._sizes.clear()
        self.bytes_used = 0
