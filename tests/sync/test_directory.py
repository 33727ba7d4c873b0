"""The user directory: fetched by secretaries' and chairs' syncs, cached sealed, sorted."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from meetingroom.crypto import DeviceSecrets
from meetingroom.directory import (
    DirectoryEntry,
    clear_directory,
    list_directory,
    save_directory,
    vietnamese_key,
)
from meetingroom.domain import Classification, Role, UserId, new_id
from meetingroom.errors import Tampered
from meetingroom.store import Store
from server.db import schema
from tests.server.conftest import LiveServer
from tests.sync.conftest import Device, new_user

MakeDevice = Callable[..., Device]


def _entry(name: str, username: str | None = None) -> DirectoryEntry:
    return DirectoryEntry(
        user_id=UserId(new_id()),
        username=username or f"u{new_id()[:8]}",
        display_name=name,
        role=Role.DELEGATE,
        clearance=Classification.CONFIDENTIAL,
    )


def test_vietnamese_order_puts_each_letter_and_tone_in_its_place() -> None:
    names = [
        "Đức",
        "Dũng",
        "Ân",
        "An",
        "Ăn",
        "Bình",
        "Mạ",
        "Má",
        "Mà",
        "Ma",
        "Ưng",
        "Uyên",
        "Ơn",
        "Ôn",
    ]
    assert sorted(names, key=vietnamese_key) == [
        "An",
        "Ăn",
        "Ân",
        "Bình",
        "Dũng",
        "Đức",
        "Ma",
        "Mà",
        "Má",
        "Mạ",
        "Ôn",
        "Ơn",
        "Uyên",
        "Ưng",
    ]
    # Case does not matter; composed and decomposed spellings sort alike.
    assert vietnamese_key("đỗ") == vietnamese_key("ĐỖ")
    assert vietnamese_key("Nguye\u0302\u0303n") == vietnamese_key("Nguyễn")


def test_saved_directory_reads_back_sorted_and_sealed(store: Store) -> None:
    entries = [_entry("Trần Thị Lan"), _entry("Đỗ Văn Hải"), _entry("Nguyễn Thu Hà")]
    save_directory(store, entries)
    listed = list_directory(store)
    assert [e.display_name for e in listed] == ["Đỗ Văn Hải", "Nguyễn Thu Hà", "Trần Thị Lan"]
    assert set(listed) == set(entries)
    store.close()
    raw = b"".join(p.read_bytes() for p in store.directory.iterdir() if p.is_file())
    for entry in entries:
        assert entry.display_name.encode() not in raw
        assert entry.username.encode() not in raw


def test_saving_replaces_and_clearing_forgets(store: Store) -> None:
    save_directory(store, [_entry("Lê Văn Tám"), _entry("Phạm Minh")])
    save_directory(store, [_entry("Hoàng Yến")])
    assert [e.display_name for e in list_directory(store)] == ["Hoàng Yến"]
    clear_directory(store)
    assert list_directory(store) == []


def test_an_entry_altered_on_disk_is_reported_not_trusted(store: Store) -> None:
    entry = _entry("Vũ Thị Hoa")
    save_directory(store, [entry])
    with store.atomic() as db:
        sealed = db.execute('SELECT "content" FROM "directory"').fetchone()[0]
        db.execute(
            'INSERT INTO "directory" ("user_id", "content") VALUES (?, ?)', [new_id(), sealed]
        )
    with pytest.raises(Tampered):
        list_directory(store)


def test_a_store_made_before_the_directory_gains_it_on_open(
    tmp_path: Path, device_secrets: DeviceSecrets
) -> None:
    path = tmp_path / "old"
    Store.create(path, device_secrets=device_secrets).close()
    conn = sqlite3.connect(path / "meetingroom.db")
    conn.execute('DROP TABLE "directory"')
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_directory'")
    conn.commit()
    conn.close()
    store = Store.open(path, device_secrets=device_secrets)
    try:
        store.unlock()
        assert list_directory(store) == []
        save_directory(store, [_entry("Bùi Quang")])
        assert len(list_directory(store)) == 1
    finally:
        store.close()


class _Recorder(requests.Session):
    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    def request(self, method: str, url: str, *args: object, **kwargs: object) -> requests.Response:  # type: ignore[override]
        self.paths.append(url.split("/api/v1", 1)[-1].split("?")[0])
        return super().request(method, url, *args, **kwargs)  # type: ignore[arg-type]


def test_a_secretary_sync_caches_the_directory(live: LiveServer, make_device: MakeDevice) -> None:
    secretary = new_user(live, "secretary", "secret")
    delegate = new_user(live, "delegate", "confidential")
    device = make_device(secretary.username)
    report = device.engine.sync()
    assert report.directory is not None
    assert report.directory >= 2
    listed = list_directory(device.store)
    by_id = {e.user_id: e for e in listed}
    assert by_id[UserId(delegate.id)].username == delegate.username
    assert by_id[UserId(delegate.id)].role is Role.DELEGATE
    assert by_id[UserId(delegate.id)].clearance is Classification.CONFIDENTIAL
    assert by_id[UserId(secretary.id)].clearance is Classification.SECRET
    keys = [(vietnamese_key(e.display_name), e.username) for e in listed]
    assert keys == sorted(keys)


def test_a_chair_sync_caches_it_and_a_delegate_sync_never_asks(
    live: LiveServer, make_device: MakeDevice
) -> None:
    chair = new_user(live, "chair")
    assert make_device(chair.username).engine.sync().directory
    delegate = new_user(live)
    session = _Recorder()
    device = make_device(delegate.username, session=session)
    report = device.engine.sync()
    assert report.directory is None
    assert "/directory" not in session.paths
    assert "/changes" in session.paths
    assert list_directory(device.store) == []


def test_a_chair_who_is_no_longer_one_loses_the_cached_directory(
    live: LiveServer, make_device: MakeDevice
) -> None:
    chair = new_user(live, "chair")
    device = make_device(chair.username)
    device.engine.sync(("pull",))
    assert list_directory(device.store)
    with live.backend.engine.begin() as conn:
        conn.execute(
            sa.update(schema.users).where(schema.users.c.id == chair.id).values(role="delegate")
        )
    report = device.engine.sync(("pull",))
    assert report.directory is None
    assert list_directory(device.store) == []
