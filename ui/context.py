"""What every screen is handed: the translator, the ops helper, who the user is.

Passed in explicitly (no global app object), so a test builds one in a line.

The current user's id: until sign-in with a server exists, a local profile
gets a random user id at setup, kept in ``user.json`` next to the database.
It is a random id, which the design allows in plaintext; nothing of the
meeting is in that file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from meetingroom.domain import UserId, new_id
from ui.i18n import Translator
from ui.ops import Ops

USER_FILE = "user.json"


@dataclass
class UiContext:
    tr: Translator
    ops: Ops
    user_id: UserId
    today: Callable[[], date] = field(default=date.today)
    # Whether the signed-in account may prepare meetings (secretaries): shows
    # Prepare mode. The server decides what is accepted; this only hides
    # tools whose every edit it would refuse.
    can_prepare: bool = False


def load_user_id(profile_dir: Path) -> UserId | None:
    """Return the profile's local user id, or None if it has none (yet)."""
    try:
        data = json.loads((profile_dir / USER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("user_id") if isinstance(data, dict) else None
    return UserId(value) if isinstance(value, str) and value else None


def ensure_user_id(profile_dir: Path, user_id: UserId | None = None) -> UserId:
    """Return the profile's user id, creating (or setting) it when missing."""
    existing = load_user_id(profile_dir)
    if existing is not None and user_id is None:
        return existing
    chosen = user_id or UserId(new_id())
    profile_dir.mkdir(parents=True, exist_ok=True)
    (profile_dir / USER_FILE).write_text(json.dumps({"user_id": chosen}), encoding="utf-8")
    return chosen
