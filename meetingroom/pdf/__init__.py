"""The PDF engine: documents decrypted, parsed and rendered in worker processes.

Qt-free. ``RenderService`` is the API; everything it returns is a
``concurrent.futures.Future`` of the plain values in ``meetingroom.pdf.types``.
"""

from meetingroom.pdf.pool import RenderFuture
from meetingroom.pdf.service import RenderService, TimeLimits
from meetingroom.pdf.types import (
    DocumentInfo,
    OutlineEntry,
    PageText,
    RenderedPage,
    SearchHit,
    Word,
)

__all__ = [
    "DocumentInfo",
    "OutlineEntry",
    "PageText",
    "RenderFuture",
    "RenderService",
    "RenderedPage",
    "SearchHit",
    "TimeLimits",
    "Word",
]
