"""Prepare mode: the secretary's workspace (meeting, participants, agenda, documents, seating).

The one entry is ``PrepareScreen(ctx, meeting_id | None)`` with signals
``back`` and ``changed``. The operations live Qt-free in ``meetingroom.prepare``.
"""

from ui.prepare.screen import PrepareScreen

__all__ = ["PrepareScreen"]
