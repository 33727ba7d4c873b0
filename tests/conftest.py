"""Shared fixtures: a real keyring backend in a temp dir, real store files.

The keyring is chosen through keyring's own configuration: a keyringrc.cfg
under a temporary XDG_CONFIG_HOME names the keyrings.alt file backend, whose
file lives under a temporary XDG_DATA_HOME. Child processes started by tests
inherit the same environment and so the same keyring.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from meetingroom.crypto import DeviceSecrets
from meetingroom.store import Store

KEYRING_BACKEND = "keyrings.alt.file.PlaintextKeyring"


def configure_file_keyring(root: Path, backend: str = KEYRING_BACKEND) -> dict[str, str]:
    """Write a keyringrc.cfg selecting ``backend`` under ``root``; return the env to use it."""
    config_home = root / "config"
    data_home = root / "data"
    (config_home / "python_keyring").mkdir(parents=True, exist_ok=True)
    data_home.mkdir(parents=True, exist_ok=True)
    (config_home / "python_keyring" / "keyringrc.cfg").write_text(
        f"[backend]\ndefault-keyring={backend}\n"
    )
    return {"XDG_CONFIG_HOME": str(config_home), "XDG_DATA_HOME": str(data_home)}


def reset_keyring() -> None:
    """Make keyring re-read its configuration on next use."""
    import keyring.core

    keyring.core._keyring_backend = None


@pytest.fixture(autouse=True)
def file_keyring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Point keyring at a fresh file backend for every test; yield its env vars."""
    root = tmp_path_factory.mktemp("keyring")
    env = configure_file_keyring(root)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    reset_keyring()
    yield env
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    reset_keyring()


@pytest.fixture
def device_secrets() -> DeviceSecrets:
    """Device secrets over the test keyring (a plaintext file backend, allowed for tests)."""
    return DeviceSecrets(allow_insecure_backend=True)


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    """Return a profile directory that does not exist yet."""
    return tmp_path / "profile"


@pytest.fixture
def store(profile: Path, device_secrets: DeviceSecrets) -> Iterator[Store]:
    """Return a new, unlocked store with device-only protection; closed afterwards."""
    s = Store.create(profile, device_secrets=device_secrets)
    yield s
    s.close()
