"""The global search panel (Ctrl+Shift+F in the app): see ``ui.search.panel``."""

from ui.search.panel import SearchPanel

__all__ = ["SearchPanel"]
