"""A least-recently-used cache bounded by bytes, for rendered pages and thumbnails."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, Protocol, TypeVar


class Sized(Protocol):
    @property
    def nbytes(self) -> int: ...


K = TypeVar("K", bound=Hashable)
V = TypeVar("V", bound=Sized)


class ByteBudgetLRU(Generic[K, V]):
    """Maps keys to values whose ``nbytes`` together stay within ``budget`` bytes.

    Thread-safe: filled from the service's dispatcher threads, read from the
    caller's. A value bigger than the whole budget is not kept.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.bytes_used = 0
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K) -> V | None:
        """Return the value for ``key`` (now the most recently used), or None."""
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` under ``key``, evicting the least recently used to fit."""
        size = value.nbytes
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes_used -= old.nbytes
            if size > self.budget:
                return
            self._items[key] = value
            self.bytes_used += size
            while self.bytes_used > self.budget:
                _, evicted = self._items.popitem(last=False)
                self.bytes_used -= evicted.nbytes

    def clear(self) -> None:
        """Forget everything (e.g. when the store locks: pixels are meeting content)."""
        with self._lock:
            self._items.clear()
            self.bytes_used = 0
