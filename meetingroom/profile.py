"""Where profiles live on disk.

One directory per profile under the user's data directory (platformdirs),
overridable per run (``--profile DIR``) or by ``MEETINGROOM_PROFILE_DIR``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ENV_PROFILE_DIR = "MEETINGROOM_PROFILE_DIR"


def profiles_root() -> Path:
    """Return the directory holding all profiles of this OS user."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("MeetingRoom", appauthor=False)) / "profiles"


def profile_dir(name: str = "default", override: str | os.PathLike[str] | None = None) -> Path:
    """Return the directory of profile ``name``.

    ``override``, then ``$MEETINGROOM_PROFILE_DIR``, win over the default
    location. Raises ValueError for a name that is not a plain word.
    """
    if override is not None:
        return Path(override)
    env = os.environ.get(ENV_PROFILE_DIR)
    if env:
        return Path(env)
    if not re.fullmatch(r"[\w.-]{1,64}", name) or name in {".", ".."}:
        raise ValueError(f"not a profile name: {name!r}")
    return profiles_root() / name
