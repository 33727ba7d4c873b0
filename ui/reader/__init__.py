"""The delegate's document reader: pages, search, thumbnails, outline and annotations."""

from ui.reader.permissions import ReaderPermissions
from ui.reader.screen import ReaderScreen

__all__ = ["ReaderPermissions", "ReaderScreen"]
