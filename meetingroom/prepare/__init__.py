"""The secretary's workspace, Qt-free: preparing a meeting pack as ordinary store edits.

Every operation is a ``services.save``/``services.delete`` (the entities and
their outbox entries in one transaction), so it works offline and reaches
the server with the next sync, merged field by field with other
secretaries' edits.

- ``meeting``: create and edit a meeting, its status, its participants.
- ``agenda``: add, rename, nest, reorder, remove items; planned time.
- ``checks``: ``check_pdf`` in a separate process before a file is attached.
- ``documents``: attach, new version, classification, removal, upload state.
- ``seating``: room templates, seats, who sits where.
- ``chart``: the seating chart as a printable PDF.
"""

from meetingroom.domain import Role

#: Roles whose accounts get prepare mode (the server lets them edit meetings).
PREPARER_ROLES = frozenset({Role.SECRETARY, Role.CHAIR})


def may_prepare(role: str | None) -> bool:
    """Return True when an account with ``role`` (sync's ``Account.role``) may prepare meetings."""
    return role in {r.value for r in PREPARER_ROLES}
