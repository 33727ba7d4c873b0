"""The delegate's document reader: pages, search, thumbnails, outline and annotations.

``ReaderScreen`` is loaded on first use (module ``__getattr__``): the meeting
page imports the reader's texts at start, and the app's cold start should not
pay for the whole reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ui.reader.permissions import ReaderPermissions

if TYPE_CHECKING:
    from ui.reader.screen import ReaderScreen

__all__ = ["ReaderPermissions", "ReaderScreen"]


def __getattr__(name: str) -> Any:
    if name == "ReaderScreen":
        from ui.reader.screen import ReaderScreen

        return ReaderScreen
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
