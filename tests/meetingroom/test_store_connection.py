"""Every store connection, new or reopened, runs with the store's pragmas."""

from __future__ import annotations

from pathlib import Path

from meetingroom.crypto import DeviceSecrets
from meetingroom.store import Store

EXPECTED = {"journal_mode": "wal", "synchronous": 2, "temp_store": 2, "secure_delete": 1}


def pragmas(store: Store) -> dict[str, object]:
    return {name: store.db.execute(f"PRAGMA {name}").fetchone()[0] for name in EXPECTED}


def test_created_and_reopened_stores_use_the_same_pragmas(
    profile: Path, device_secrets: DeviceSecrets
) -> None:
    created = Store.create(profile, device_secrets=device_secrets)
    assert pragmas(created) == EXPECTED
    created.close()
    reopened = Store.open(profile, device_secrets=device_secrets)
    try:
        assert pragmas(reopened) == EXPECTED
    finally:
        reopened.close()
