"""AES-256-GCM values bound to their place, and the key slot that wraps the data key."""

from __future__ import annotations

import os

import pytest

from meetingroom.crypto.aead import (
    FORMAT_V1,
    KEY_BYTES,
    NONCE_BYTES,
    OVERHEAD,
    Cipher,
    DecryptionFailed,
    chunk_context,
    field_context,
)
from meetingroom.crypto.keys import (
    PASSPHRASE_MIN_LENGTH,
    PASSPHRASE_SCRYPT,
    PIN_MIN_LENGTH,
    PIN_SCRYPT,
    KeySlot,
    Protection,
    check_secret,
    new_data_key,
    new_device_secret,
    unwrap_data_key,
    wrap_data_key,
)

TITLE = "Nghị quyết về kế hoạch phát triển kinh tế - xã hội năm 2027".encode()
PROFILE = "0123456789abcdef0123456789abcdef"
PIN = "2468"
PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def cipher() -> Cipher:
    return Cipher(os.urandom(KEY_BYTES))


# -- Cipher -----------------------------------------------------------------------


def test_seal_then_open_returns_the_plaintext(cipher: Cipher) -> None:
    context = field_context("meetings", "m1", "content")
    sealed = cipher.seal(TITLE, context)
    assert cipher.open(sealed, context) == TITLE


def test_sealed_value_has_the_v1_layout_and_hides_the_plaintext(cipher: Cipher) -> None:
    sealed = cipher.seal(TITLE, field_context("meetings", "m1", "content"))
    assert sealed[:1] == FORMAT_V1
    assert len(sealed) == len(TITLE) + OVERHEAD
    assert TITLE not in sealed
    assert "Nghị quyết".encode() not in sealed


def test_each_seal_uses_a_fresh_nonce(cipher: Cipher) -> None:
    context = field_context("meetings", "m1", "content")
    first = cipher.seal(TITLE, context)
    second = cipher.seal(TITLE, context)
    assert first != second
    assert first[1 : 1 + NONCE_BYTES] != second[1 : 1 + NONCE_BYTES]


def test_empty_plaintext_round_trips(cipher: Cipher) -> None:
    context = field_context("notes", "n1", "content")
    sealed = cipher.seal(b"", context)
    assert len(sealed) == OVERHEAD
    assert cipher.open(sealed, context) == b""


@pytest.mark.parametrize(
    "other",
    [
        field_context("notes", "m1", "content"),  # another table
        field_context("meetings", "m2", "content"),  # another row
        field_context("meetings", "m1", "title"),  # another field
        chunk_context("m1", 0),  # a document chunk
        b"",
    ],
    ids=["table", "row", "field", "chunk", "empty"],
)
def test_value_opened_under_another_context_fails(cipher: Cipher, other: bytes) -> None:
    sealed = cipher.seal(TITLE, field_context("meetings", "m1", "content"))
    with pytest.raises(DecryptionFailed):
        cipher.open(sealed, other)


def test_chunk_is_bound_to_its_version_and_index(cipher: Cipher) -> None:
    sealed = cipher.seal(b"chunk bytes", chunk_context("v1", 1))
    assert cipher.open(sealed, chunk_context("v1", 1)) == b"chunk bytes"
    with pytest.raises(DecryptionFailed):
        cipher.open(sealed, chunk_context("v1", 0))
    with pytest.raises(DecryptionFailed):
        cipher.open(sealed, chunk_context("v2", 1))


def test_contexts_keep_their_parts_apart() -> None:
    # Separators keep ("a", "bc") and ("ab", "c") from naming the same place.
    assert field_context("meetings", "a", "bc") != field_context("meetings", "ab", "c")
    assert field_context("meetings", "m1", "content") != chunk_context("m1", 0)


def test_value_sealed_under_another_key_fails(cipher: Cipher) -> None:
    context = field_context("meetings", "m1", "content")
    sealed = Cipher(os.urandom(KEY_BYTES)).seal(TITLE, context)
    with pytest.raises(DecryptionFailed):
        cipher.open(sealed, context)


@pytest.mark.parametrize("position", [0, 1, NONCE_BYTES, NONCE_BYTES + 1, -1])
def test_any_flipped_byte_fails(cipher: Cipher, position: int) -> None:
    context = field_context("meetings", "m1", "content")
    sealed = bytearray(cipher.seal(TITLE, context))
    sealed[position] ^= 0x01
    with pytest.raises(DecryptionFailed):
        cipher.open(bytes(sealed), context)


@pytest.mark.parametrize("length", [0, 1, OVERHEAD - 1, OVERHEAD + 3])
def test_truncated_value_fails(cipher: Cipher, length: int) -> None:
    context = field_context("meetings", "m1", "content")
    sealed = cipher.seal(TITLE, context)
    with pytest.raises(DecryptionFailed):
        cipher.open(sealed[:length], context)


@pytest.mark.parametrize("size", [0, 16, 31, 33, 64])
def test_cipher_needs_a_256_bit_key(size: int) -> None:
    with pytest.raises(ValueError, match="32-byte"):
        Cipher(b"k" * size)


# -- key slots --------------------------------------------------------------------------


def test_device_slot_round_trips_the_data_key() -> None:
    data_key, device = new_data_key(), new_device_secret()
    slot = wrap_data_key(data_key, Protection.DEVICE, PROFILE, device, None)
    assert slot.protection is Protection.DEVICE
    assert slot.scrypt is None
    assert unwrap_data_key(slot, PROFILE, device, None) == data_key


def test_device_slot_refuses_another_device_secret() -> None:
    slot = wrap_data_key(new_data_key(), Protection.DEVICE, PROFILE, new_device_secret(), None)
    with pytest.raises(DecryptionFailed):
        unwrap_data_key(slot, PROFILE, new_device_secret(), None)


def test_device_slot_needs_the_device_secret() -> None:
    with pytest.raises(ValueError, match="device secret"):
        wrap_data_key(new_data_key(), Protection.DEVICE, PROFILE, None, None)
    slot = wrap_data_key(new_data_key(), Protection.DEVICE, PROFILE, new_device_secret(), None)
    with pytest.raises(ValueError, match="device secret"):
        unwrap_data_key(slot, PROFILE, None, None)
    with pytest.raises(ValueError, match="device secret"):
        unwrap_data_key(slot, PROFILE, b"short", None)


def test_slot_is_bound_to_its_profile() -> None:
    device = new_device_secret()
    slot = wrap_data_key(new_data_key(), Protection.DEVICE, PROFILE, device, None)
    with pytest.raises(DecryptionFailed):
        unwrap_data_key(slot, "another-profile", device, None)


def test_slot_with_altered_wrapped_key_fails() -> None:
    device = new_device_secret()
    slot = wrap_data_key(new_data_key(), Protection.DEVICE, PROFILE, device, None)
    damaged = bytearray(slot.wrapped_key)
    damaged[-1] ^= 0x80
    altered = KeySlot(slot.protection, slot.salt, slot.scrypt, bytes(damaged))
    with pytest.raises(DecryptionFailed):
        unwrap_data_key(altered, PROFILE, device, None)


def test_slot_with_another_salt_fails() -> None:
    device = new_device_secret()
    slot = wrap_data_key(new_data_key(), Protection.DEVICE, PROFILE, device, None)
    altered = KeySlot(slot.protection, os.urandom(len(slot.salt)), slot.scrypt, slot.wrapped_key)
    with pytest.raises(DecryptionFailed):
        unwrap_data_key(altered, PROFILE, device, None)


def test_device_slot_refuses_a_pin() -> None:
    with pytest.raises(ValueError, match="no PIN"):
        wrap_data_key(new_data_key(), Protection.DEVICE, PROFILE, new_device_secret(), PIN)


@pytest.fixture(scope="module")
def pin_slot() -> tuple[KeySlot, bytes, bytes]:
    """A device+PIN slot (one scrypt run), its data key and device secret."""
    data_key, device = new_data_key(), new_device_secret()
    return (
        wrap_data_key(data_key, Protection.DEVICE_AND_PIN, PROFILE, device, PIN),
        data_key,
        device,
    )


def test_pin_slot_round_trips_with_device_secret_and_pin(
    pin_slot: tuple[KeySlot, bytes, bytes],
) -> None:
    slot, data_key, device = pin_slot
    assert slot.protection is Protection.DEVICE_AND_PIN
    assert slot.scrypt == PIN_SCRYPT
    assert unwrap_data_key(slot, PROFILE, device, PIN) == data_key


def test_pin_slot_refuses_a_wrong_pin(pin_slot: tuple[KeySlot, bytes, bytes]) -> None:
    slot, _, device = pin_slot
    with pytest.raises(DecryptionFailed):
        unwrap_data_key(slot, PROFILE, device, "2469")


def test_pin_slot_refuses_the_right_pin_without_the_device_secret(
    pin_slot: tuple[KeySlot, bytes, bytes],
) -> None:
    slot, _, _ = pin_slot
    with pytest.raises(DecryptionFailed):
        unwrap_data_key(slot, PROFILE, new_device_secret(), PIN)
    with pytest.raises(ValueError, match="device secret"):
        unwrap_data_key(slot, PROFILE, None, PIN)


def test_slot_json_round_trips_and_holds_no_secret(
    pin_slot: tuple[KeySlot, bytes, bytes],
) -> None:
    slot, data_key, device = pin_slot
    text = slot.to_json()
    assert KeySlot.from_json(text) == slot
    for secret in (data_key.hex(), device.hex(), PIN):
        assert secret not in text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[]",
        '{"protection": "device"}',
        '{"protection": "bogus", "salt": "00", "scrypt": null, "wrapped_key": "00"}',
        '{"protection": "device", "salt": "zz", "scrypt": null, "wrapped_key": "00"}',
        '{"protection": "device+pin", "salt": "00", "scrypt": {"q": 1}, "wrapped_key": "00"}',
    ],
)
def test_malformed_slot_json_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="malformed key slot"):
        KeySlot.from_json(text)


@pytest.fixture(scope="module")
def passphrase_slot() -> tuple[KeySlot, bytes]:
    """A passphrase-only slot (one costly scrypt run) and its data key."""
    data_key = new_data_key()
    return wrap_data_key(data_key, Protection.PASSPHRASE, PROFILE, None, PASSPHRASE), data_key


def test_passphrase_slot_needs_no_device_secret(passphrase_slot: tuple[KeySlot, bytes]) -> None:
    slot, data_key = passphrase_slot
    assert slot.protection is Protection.PASSPHRASE
    assert slot.scrypt == PASSPHRASE_SCRYPT
    assert slot.scrypt.n > PIN_SCRYPT.n
    assert unwrap_data_key(slot, PROFILE, None, PASSPHRASE) == data_key


def test_passphrase_slot_refuses_a_wrong_passphrase(
    passphrase_slot: tuple[KeySlot, bytes],
) -> None:
    slot, _ = passphrase_slot
    with pytest.raises(DecryptionFailed):
        unwrap_data_key(slot, PROFILE, None, PASSPHRASE + "!")


@pytest.mark.parametrize(
    ("protection", "device", "secret"),
    [
        (Protection.DEVICE, True, False),
        (Protection.DEVICE_AND_PIN, True, True),
        (Protection.PASSPHRASE, False, True),
    ],
)
def test_protection_modes_say_what_they_need(
    protection: Protection, device: bool, secret: bool
) -> None:
    assert protection.uses_device_secret is device
    assert protection.uses_secret is secret


# -- check_secret ------------------------------------------------------------------------


def test_minimum_lengths_are_four_and_twelve() -> None:
    assert PIN_MIN_LENGTH == 4
    assert PASSPHRASE_MIN_LENGTH == 12


@pytest.mark.parametrize(
    ("protection", "secret", "expected"),
    [
        (Protection.DEVICE, None, ""),
        (Protection.DEVICE, "", ""),
        (Protection.DEVICE_AND_PIN, "1234", "1234"),
        (Protection.DEVICE_AND_PIN, "ệệệệ", "ệệệệ"),  # characters, not bytes
        (Protection.PASSPHRASE, "a" * 12, "a" * 12),
        (Protection.PASSPHRASE, "Nghị quyết 1", "Nghị quyết 1"),
    ],
)
def test_acceptable_secrets_are_returned(
    protection: Protection, secret: str | None, expected: str
) -> None:
    assert check_secret(protection, secret) == expected


@pytest.mark.parametrize(
    ("protection", "secret", "message"),
    [
        (Protection.DEVICE, "1234", "takes no PIN"),
        (Protection.DEVICE_AND_PIN, None, "PIN must be at least 4"),
        (Protection.DEVICE_AND_PIN, "", "PIN must be at least 4"),
        (Protection.DEVICE_AND_PIN, "123", "PIN must be at least 4"),
        (Protection.PASSPHRASE, None, "passphrase must be at least 12"),
        (Protection.PASSPHRASE, "a" * 11, "passphrase must be at least 12"),
        # 11 characters even though 33 bytes in UTF-8
        (Protection.PASSPHRASE, "ệ" * 11, "passphrase must be at least 12"),
    ],
)
def test_unacceptable_secrets_are_refused(
    protection: Protection, secret: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        check_secret(protection, secret)


def test_wrap_refuses_a_short_pin_before_any_work() -> None:
    with pytest.raises(ValueError, match="at least 4"):
        wrap_data_key(
            new_data_key(), Protection.DEVICE_AND_PIN, PROFILE, new_device_secret(), "123"
        )
