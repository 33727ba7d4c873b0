"""Creating, opening, unlocking, locking, re-keying and wiping a profile store.

Real stores on disk, the real file keyring from conftest; scrypt runs are
costly (PIN ~0.15 s, passphrase ~0.6 s), so each test derives few keys.
"""

from __future__ import annotations

import base64
import os
import stat
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest

from meetingroom import services
from meetingroom.crypto import DeviceSecrets, Protection
from meetingroom.domain import Meeting, MeetingId, new_id
from meetingroom.errors import (
    DeviceSecretMissing,
    KeyringUnavailable,
    PinRequired,
    StoreExists,
    StoreLocked,
    StoreNotFound,
    Tampered,
    TooManyAttempts,
    WeakSecret,
    WrongPin,
)
from meetingroom.store import CHUNK_SIZE, DB_FILENAME, Store, UnlockPolicy
from tests.conftest import configure_file_keyring, reset_keyring

PIN = "2468"
OTHER_PIN = "97531"
PASSPHRASE = "correct horse battery staple"
FAIL_BACKEND = "keyring.backends.fail.Keyring"


def keyring_entry(profile_id: str) -> str | None:
    return keyring.get_password("MeetingRoom", f"profile-{profile_id}")


def a_meeting(title: str = "Họp giao ban tháng 3") -> Meeting:
    return Meeting(
        id=MeetingId(new_id()),
        title=title,
        starts_at=datetime(2027, 3, 1, 8, 0, tzinfo=UTC),
        ends_at=datetime(2027, 3, 1, 11, 0, tzinfo=UTC),
    )


def use_failing_keyring(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Select keyring's fail backend (no keyring installed) through keyringrc.cfg."""
    env = configure_file_keyring(root, backend=FAIL_BACKEND)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    reset_keyring()


@pytest.fixture
def pin_profile(profile: Path, device_secrets: DeviceSecrets) -> tuple[Path, Meeting]:
    """A closed device+PIN store holding one meeting."""
    meeting = a_meeting()
    with Store.create(
        profile, Protection.DEVICE_AND_PIN, PIN, device_secrets=device_secrets
    ) as store:
        services.save(store, meeting)
    return profile, meeting


Opener = Callable[..., Store]


@pytest.fixture
def reopen(device_secrets: DeviceSecrets) -> Iterator[Opener]:
    """Return ``Store.open`` over the test keyring; what it opens is closed afterwards."""
    opened: list[Store] = []

    def open_store(directory: Path, policy: UnlockPolicy | None = None) -> Store:
        store = Store.open(directory, device_secrets=device_secrets, policy=policy)
        opened.append(store)
        return store

    yield open_store
    for store in opened:
        store.close()


# -- create and open ---------------------------------------------------------------------


def test_create_returns_an_unlocked_device_store_with_a_keyring_entry(
    store: Store, profile: Path
) -> None:
    assert not store.is_locked
    assert store.protection is Protection.DEVICE
    assert (profile / DB_FILENAME).is_file()
    assert stat.S_IMODE(profile.stat().st_mode) == 0o700  # the profile is the user's alone
    assert len(store.profile_id) == 32
    entry = keyring_entry(store.profile_id)
    assert entry is not None
    assert len(base64.b64decode(entry)) == 32


def test_open_returns_locked_and_unlock_reads_the_data(
    store: Store, profile: Path, reopen: Opener
) -> None:
    meeting = a_meeting()
    services.save(store, meeting)
    profile_id = store.profile_id
    store.close()

    again = reopen(profile)
    assert again.is_locked
    assert again.profile_id == profile_id
    assert again.protection is Protection.DEVICE
    with pytest.raises(StoreLocked):
        again.repos.meetings.get(meeting.id)
    again.unlock()
    assert not again.is_locked
    assert again.repos.meetings.get(meeting.id) == meeting


def test_open_where_there_is_no_store_is_store_not_found(tmp_path: Path) -> None:
    with pytest.raises(StoreNotFound):
        Store.open(tmp_path / "nothing", device_secrets=DeviceSecrets(allow_insecure_backend=True))
    assert not (tmp_path / "nothing").exists()


def test_create_over_an_existing_profile_is_refused_and_leaves_it_untouched(
    store: Store, profile: Path, device_secrets: DeviceSecrets
) -> None:
    services.save(store, a_meeting())
    store.close()
    path = profile / DB_FILENAME
    before = path.read_bytes()
    entries_before = keyring_entry(store.profile_id)

    with pytest.raises(StoreExists) as info:
        Store.create(profile, device_secrets=device_secrets)
    assert str(profile) in str(info.value)
    assert path.read_bytes() == before
    assert keyring_entry(store.profile_id) == entries_before


# -- PIN: wrong, missing, limited -----------------------------------------------------------


def test_wrong_pin_raises_wrong_pin_and_counts_it(
    pin_profile: tuple[Path, Meeting], reopen: Opener
) -> None:
    profile, _ = pin_profile
    store = reopen(profile)
    assert store.protection is Protection.DEVICE_AND_PIN
    assert store.failed_unlocks == 0
    with pytest.raises(WrongPin) as info:
        store.unlock("0000")
    assert info.value.failed_attempts == 1
    assert info.value.attempts_left is None
    assert store.failed_unlocks == 1
    assert store.is_locked


def test_missing_pin_is_pin_required_and_not_counted(
    pin_profile: tuple[Path, Meeting], reopen: Opener
) -> None:
    profile, _ = pin_profile
    store = reopen(profile)
    with pytest.raises(PinRequired):
        store.unlock()
    with pytest.raises(PinRequired):
        store.unlock("")
    assert store.failed_unlocks == 0
    assert store.is_locked


def test_right_pin_unlocks_and_resets_the_counter(
    pin_profile: tuple[Path, Meeting], reopen: Opener
) -> None:
    profile, meeting = pin_profile
    store = reopen(profile)
    with pytest.raises(WrongPin):
        store.unlock("1111")
    assert store.failed_unlocks == 1
    store.unlock(PIN)
    assert not store.is_locked
    assert store.failed_unlocks == 0
    assert store.repos.meetings.get(meeting.id) == meeting
    store.close()
    # The reset was written to the file, not only kept in memory.
    assert reopen(profile).failed_unlocks == 0


def test_failed_unlocks_survive_reopening(
    pin_profile: tuple[Path, Meeting], reopen: Opener
) -> None:
    profile, _ = pin_profile
    store = reopen(profile)
    with pytest.raises(WrongPin):
        store.unlock("1111")
    store.close()
    assert reopen(profile).failed_unlocks == 1


def test_three_wrong_pins_lock_the_profile_for_good(
    pin_profile: tuple[Path, Meeting], reopen: Opener
) -> None:
    profile, _ = pin_profile
    policy = UnlockPolicy(max_attempts=3)
    store = reopen(profile, policy=policy)
    with pytest.raises(WrongPin) as first:
        store.unlock("1111")
    assert first.value.attempts_left == 2
    with pytest.raises(WrongPin) as second:
        store.unlock("2222")
    assert second.value.attempts_left == 1
    with pytest.raises(TooManyAttempts) as third:
        store.unlock("3333")
    assert third.value.limit == 3
    assert store.failed_unlocks == 3

    with pytest.raises(TooManyAttempts):
        store.unlock(PIN)  # even the right PIN
    assert store.is_locked
    store.close()

    with pytest.raises(TooManyAttempts):
        reopen(profile, policy=policy).unlock(PIN)


# -- lock ------------------------------------------------------------------------------------


def test_lock_makes_every_read_and_write_raise_store_locked(store: Store) -> None:
    meeting = a_meeting()
    services.save(store, meeting)
    writer = store.blobs.writer("v1")
    writer.write(b"%PDF-1.7 tiny")
    writer.finish()

    store.lock()
    assert store.is_locked
    with pytest.raises(StoreLocked):
        store.repos.meetings.get(meeting.id)
    with pytest.raises(StoreLocked):
        services.list_meetings(store)
    with pytest.raises(StoreLocked):
        services.save(store, a_meeting())
    with pytest.raises(StoreLocked):
        store.blobs.open("v1")
    with pytest.raises(StoreLocked):
        store.blobs.read_into_buffer("v1")
    with pytest.raises(StoreLocked):
        store.blobs.writer("v2")
    # Bookkeeping needs no key.
    assert store.outbox.count() == 1
    assert store.blobs.is_complete("v1")

    store.unlock()
    assert [m.id for m in services.list_meetings(store)] == [meeting.id]
    assert store.blobs.read_into_buffer("v1") == b"%PDF-1.7 tiny"


def test_locking_mid_read_makes_the_next_chunk_read_raise(store: Store) -> None:
    data = os.urandom(2 * CHUNK_SIZE + 100)
    writer = store.blobs.writer("v1")
    writer.write(data)
    writer.finish()

    reader = store.blobs.open("v1")
    assert reader.read(100) == data[:100]
    store.lock()
    reader.seek(CHUNK_SIZE)
    with pytest.raises(StoreLocked):
        reader.read(10)
    store.unlock()
    assert reader.read(10) == data[CHUNK_SIZE : CHUNK_SIZE + 10]
    reader.close()


def test_locking_mid_write_makes_the_next_chunk_write_raise(store: Store) -> None:
    writer = store.blobs.writer("v1")
    writer.write(os.urandom(CHUNK_SIZE))
    assert writer.committed_offset == CHUNK_SIZE
    store.lock()
    with pytest.raises(StoreLocked):
        writer.write(os.urandom(CHUNK_SIZE))
    assert store.blobs.state("v1").bytes_stored == CHUNK_SIZE


# -- changing the PIN or the protection ------------------------------------------------------


def test_change_pin_sets_changes_and_removes_the_pin(
    store: Store, profile: Path, reopen: Opener
) -> None:
    meeting = a_meeting()
    services.save(store, meeting)

    store.change_pin(None, PIN)
    assert store.protection is Protection.DEVICE_AND_PIN
    assert not store.is_locked
    store.close()

    s1 = reopen(profile)
    with pytest.raises(PinRequired):
        s1.unlock()
    s1.unlock(PIN)
    assert s1.repos.meetings.get(meeting.id) == meeting
    s1.change_pin(PIN, OTHER_PIN)
    s1.close()

    s2 = reopen(profile)
    with pytest.raises(WrongPin):
        s2.unlock(PIN)  # the old PIN no longer works
    s2.unlock(OTHER_PIN)
    assert s2.failed_unlocks == 0
    s2.change_pin(OTHER_PIN, None)
    assert s2.protection is Protection.DEVICE
    s2.close()

    s3 = reopen(profile)
    assert s3.protection is Protection.DEVICE
    s3.unlock()
    assert s3.repos.meetings.get(meeting.id) == meeting
    assert keyring_entry(s3.profile_id) is not None


def test_change_pin_with_the_wrong_current_pin_changes_nothing(
    pin_profile: tuple[Path, Meeting], reopen: Opener
) -> None:
    profile, meeting = pin_profile
    store = reopen(profile)
    with pytest.raises(WrongPin):
        store.change_pin("0000", OTHER_PIN)
    with pytest.raises(PinRequired):
        store.change_pin(None, OTHER_PIN)
    assert store.is_locked
    store.close()

    again = reopen(profile)
    assert again.failed_unlocks == 1
    again.unlock(PIN)
    assert again.repos.meetings.get(meeting.id) == meeting


def test_switching_to_passphrase_deletes_the_keyring_entry_and_unlocks_without_keyring(
    store: Store,
    profile: Path,
    reopen: Opener,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    meeting = a_meeting()
    services.save(store, meeting)
    profile_id = store.profile_id
    assert keyring_entry(profile_id) is not None

    store.change_secret(None, Protection.PASSPHRASE, PASSPHRASE)
    assert store.protection is Protection.PASSPHRASE
    assert keyring_entry(profile_id) is None
    assert store.repos.meetings.get(meeting.id) == meeting  # still unlocked
    store.close()

    # With no keyring at all, the passphrase alone unlocks it.
    use_failing_keyring(tmp_path / "nokeyring", monkeypatch)
    again = reopen(profile)
    assert again.protection is Protection.PASSPHRASE
    with pytest.raises(PinRequired):
        again.unlock()
    again.unlock(PASSPHRASE)
    assert again.repos.meetings.get(meeting.id) == meeting


@pytest.mark.parametrize(
    ("protection", "secret"),
    [
        (Protection.DEVICE_AND_PIN, "123"),
        (Protection.DEVICE_AND_PIN, None),
        (Protection.PASSPHRASE, "short pass!"),  # 11 characters
        (Protection.DEVICE, "1234"),
    ],
)
def test_create_with_a_weak_secret_is_refused_and_writes_nothing(
    profile: Path, device_secrets: DeviceSecrets, protection: Protection, secret: str | None
) -> None:
    with pytest.raises(WeakSecret):
        Store.create(profile, protection, secret, device_secrets=device_secrets)
    assert not profile.exists()


def test_changing_to_a_weak_secret_is_refused_and_keeps_the_old_protection(
    store: Store, profile: Path, reopen: Opener
) -> None:
    with pytest.raises(WeakSecret, match="at least 4"):
        store.change_pin(None, "12")
    with pytest.raises(WeakSecret, match="at least 12"):
        store.change_secret(None, Protection.PASSPHRASE, "elevenchars")
    assert store.protection is Protection.DEVICE
    assert keyring_entry(store.profile_id) is not None
    store.close()
    again = reopen(profile)
    again.unlock()
    assert not again.is_locked


# -- wipe -------------------------------------------------------------------------------------


def test_wipe_removes_the_keyring_entry_and_the_files(
    store: Store, profile: Path, device_secrets: DeviceSecrets
) -> None:
    services.save(store, a_meeting())
    profile_id = store.profile_id
    assert keyring_entry(profile_id) is not None

    store.wipe()

    assert keyring_entry(profile_id) is None
    for suffix in ("", "-wal", "-shm", "-journal"):
        assert not (profile / (DB_FILENAME + suffix)).exists()
    assert not profile.exists()
    with pytest.raises(StoreNotFound):
        Store.open(profile, device_secrets=device_secrets)


def test_wipe_keeps_other_files_of_the_user(store: Store, profile: Path) -> None:
    other = profile / "notes-of-the-user.txt"
    other.write_text("mine")
    store.wipe()
    assert not (profile / DB_FILENAME).exists()
    assert other.read_text() == "mine"


def test_wipe_works_on_a_locked_store(
    pin_profile: tuple[Path, Meeting], device_secrets: DeviceSecrets
) -> None:
    profile, _ = pin_profile
    store = Store.open(profile, device_secrets=device_secrets)
    profile_id = store.profile_id
    assert keyring_entry(profile_id) is not None
    store.wipe()
    assert keyring_entry(profile_id) is None
    assert not (profile / DB_FILENAME).exists()


# -- the keyring: missing entry, wrong entry, no keyring ---------------------------------------


def test_missing_device_secret_is_reported_and_the_store_is_left_alone(
    store: Store, profile: Path, reopen: Opener
) -> None:
    services.save(store, a_meeting())
    profile_id = store.profile_id
    store.close()
    path = profile / DB_FILENAME
    before = path.read_bytes()
    keyring.delete_password("MeetingRoom", f"profile-{profile_id}")

    again = reopen(profile)
    with pytest.raises(DeviceSecretMissing) as info:
        again.unlock()
    assert "untouched" in str(info.value)
    assert again.is_locked
    again.close()
    assert path.is_file()
    assert path.read_bytes() == before


def test_missing_device_secret_with_a_pin_is_not_counted_as_a_wrong_pin(
    pin_profile: tuple[Path, Meeting], reopen: Opener
) -> None:
    profile, _ = pin_profile
    store = reopen(profile)
    keyring.delete_password("MeetingRoom", f"profile-{store.profile_id}")
    with pytest.raises(DeviceSecretMissing):
        store.unlock(PIN)
    assert store.failed_unlocks == 0
    assert (profile / DB_FILENAME).is_file()


@pytest.mark.parametrize("entry", ["not base64 at all!", base64.b64encode(b"short").decode()])
def test_unusable_keyring_entry_is_device_secret_missing(
    store: Store, profile: Path, reopen: Opener, entry: str
) -> None:
    profile_id = store.profile_id
    store.close()
    keyring.set_password("MeetingRoom", f"profile-{profile_id}", entry)
    again = reopen(profile)
    with pytest.raises(DeviceSecretMissing):
        again.unlock()
    assert (profile / DB_FILENAME).is_file()


def test_a_foreign_device_secret_is_reported_as_tampered_key_slot(
    store: Store, profile: Path, reopen: Opener
) -> None:
    profile_id = store.profile_id
    store.close()
    keyring.set_password(
        "MeetingRoom", f"profile-{profile_id}", base64.b64encode(os.urandom(32)).decode()
    )
    again = reopen(profile)
    with pytest.raises(Tampered) as info:
        again.unlock()
    assert info.value.table == "keyslot"
    assert again.is_locked


def test_no_keyring_gives_an_actionable_error_and_creates_nothing(
    profile: Path,
    device_secrets: DeviceSecrets,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_failing_keyring(tmp_path / "nokeyring", monkeypatch)
    for protection, secret in ((Protection.DEVICE, None), (Protection.DEVICE_AND_PIN, PIN)):
        with pytest.raises(KeyringUnavailable) as info:
            Store.create(profile, protection, secret, device_secrets=device_secrets)
        assert "no keyring backend" in info.value.detail
        message = str(info.value)
        assert "keyring" in message.lower()
        assert "passphrase" in message  # what the user can do instead
        assert "GNOME Keyring" in message or "KWallet" in message
        assert not profile.exists()


def test_no_keyring_still_allows_a_passphrase_store(
    profile: Path,
    device_secrets: DeviceSecrets,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_failing_keyring(tmp_path / "nokeyring", monkeypatch)
    meeting = a_meeting()
    with Store.create(
        profile, Protection.PASSPHRASE, PASSPHRASE, device_secrets=device_secrets
    ) as store:
        services.save(store, meeting)
        assert store.repos.meetings.get(meeting.id) == meeting
    assert (profile / DB_FILENAME).is_file()


def test_keyring_gone_after_creation_makes_unlock_fail_typed(
    store: Store,
    profile: Path,
    reopen: Opener,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.close()
    before = (profile / DB_FILENAME).read_bytes()
    use_failing_keyring(tmp_path / "nokeyring", monkeypatch)
    again = reopen(profile)
    with pytest.raises(KeyringUnavailable):
        again.unlock()
    again.close()
    assert (profile / DB_FILENAME).read_bytes() == before


def test_default_device_secrets_refuse_the_plaintext_file_backend(profile: Path) -> None:
    assert DeviceSecrets().backend_name() == "keyrings.alt.file.PlaintextKeyring"
    with pytest.raises(KeyringUnavailable, match="unprotected"):
        DeviceSecrets().check_available()
    with pytest.raises(KeyringUnavailable):
        Store.create(profile)
    assert not profile.exists()
    DeviceSecrets(allow_insecure_backend=True).check_available()  # tests opt in


def test_wipe_also_removes_the_other_layers_files_and_the_profile_folder(
    store: Store, profile: Path
) -> None:
    # The sync lock and the app's user-id record live beside the database.
    (profile / "sync.lock").write_bytes(b"")
    (profile / "user.json").write_text('{"user_id": "x"}')
    store.wipe()
    assert not profile.exists()
