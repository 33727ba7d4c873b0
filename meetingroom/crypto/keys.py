"""The key hierarchy: a random data key, stored only wrapped.

The wrapping key is HKDF-SHA256 over the inputs of the profile's protection
mode:

- ``device``: a random 32-byte device secret kept in the OS keyring. The
  database file alone is useless without it.
- ``device+pin``: the device secret and scrypt(PIN), so a stolen unlocked
  OS session still needs the PIN, and a stolen file still needs the keyring.
- ``passphrase``: scrypt(passphrase) alone, with a costlier scrypt and a
  longer minimum length, for machines without a usable keyring. Nothing
  secret is stored anywhere in this mode.

A wrong PIN or passphrase shows up as a wrapped key that fails to
authenticate; the slot itself never holds anything that confirms a guess
faster than a full scrypt run.
"""

from __future__ import annotations

import enum
import json
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from meetingroom.crypto.aead import KEY_BYTES, Cipher, DecryptionFailed

SALT_BYTES = 16
PIN_MIN_LENGTH = 4
PASSPHRASE_MIN_LENGTH = 12


class Protection(enum.StrEnum):
    DEVICE = "device"
    DEVICE_AND_PIN = "device+pin"
    PASSPHRASE = "passphrase"  # noqa: S105 (a mode name)

    @property
    def uses_device_secret(self) -> bool:
        """Return True when the keyring's device secret is part of the key."""
        return self is not Protection.PASSPHRASE

    @property
    def uses_secret(self) -> bool:
        """Return True when the user must type a PIN or passphrase to unlock."""
        return self is not Protection.DEVICE


@dataclass(frozen=True, slots=True)
class ScryptParams:
    """scrypt cost; memory is 128 * r * n bytes.

    Raises ValueError for parameters scrypt refuses or that would cost more
    than any slot this code writes (a damaged slot must not hang unlock).
    """

    n: int
    r: int = 8
    p: int = 1

    def __post_init__(self) -> None:
        n_ok = isinstance(self.n, int) and 2 <= self.n <= 2**20 and self.n & (self.n - 1) == 0
        r_ok = isinstance(self.r, int) and 1 <= self.r <= 16
        p_ok = isinstance(self.p, int) and 1 <= self.p <= 4
        if not (n_ok and r_ok and p_ok):
            raise ValueError("scrypt parameters out of range")


# About 150 ms on a 2020s laptop core: a deliberate pause per unlock that
# makes guessing a short PIN slow, on top of needing the keyring's secret.
PIN_SCRYPT = ScryptParams(n=2**16)
# About 0.6 s and 256 MiB: with no device secret the passphrase is the only
# barrier against an offline attack on a copied file.
PASSPHRASE_SCRYPT = ScryptParams(n=2**18)


@dataclass(frozen=True, slots=True)
class KeySlot:
    """What is stored (in plaintext) to recover the data key. Holds no secret."""

    protection: Protection
    salt: bytes
    scrypt: ScryptParams | None
    wrapped_key: bytes

    def to_json(self) -> str:
        """Return the slot as JSON for the store's key table."""
        return json.dumps(
            {
                "protection": self.protection.value,
                "salt": self.salt.hex(),
                "scrypt": None
                if self.scrypt is None
                else {"n": self.scrypt.n, "r": self.scrypt.r, "p": self.scrypt.p},
                "wrapped_key": self.wrapped_key.hex(),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> KeySlot:
        """Return the slot stored as ``text``. Raises ValueError if malformed."""
        try:
            raw = json.loads(text)
            params = raw["scrypt"]
            return cls(
                protection=Protection(raw["protection"]),
                salt=bytes.fromhex(raw["salt"]),
                scrypt=None if params is None else ScryptParams(**params),
                wrapped_key=bytes.fromhex(raw["wrapped_key"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"malformed key slot: {exc}") from exc


def new_data_key() -> bytes:
    """Return a fresh random 256-bit data key."""
    return os.urandom(KEY_BYTES)


def new_device_secret() -> bytes:
    """Return a fresh random 256-bit device secret for the keyring."""
    return os.urandom(KEY_BYTES)


def check_secret(protection: Protection, secret: str | None) -> str:
    """Return ``secret`` if it is acceptable for ``protection``.

    Raises:
        ValueError: it is missing where required, present where not, or
            shorter than the minimum (4 for a PIN, 12 for a passphrase).
    """
    if not protection.uses_secret:
        if secret:
            raise ValueError("this protection mode takes no PIN")
        return ""
    minimum = PIN_MIN_LENGTH if protection is Protection.DEVICE_AND_PIN else PASSPHRASE_MIN_LENGTH
    word = "PIN" if protection is Protection.DEVICE_AND_PIN else "passphrase"
    if secret is None or len(secret) < minimum:
        raise ValueError(f"The {word} must be at least {minimum} characters long.")
    return secret


def _wrapping_key(
    protection: Protection,
    salt: bytes,
    params: ScryptParams | None,
    device_secret: bytes | None,
    secret: str,
    profile_id: str,
) -> bytes:
    material = b""
    if protection.uses_device_secret:
        if device_secret is None or len(device_secret) != KEY_BYTES:
            raise ValueError("a 32-byte device secret is required")
        material += device_secret
    if protection.uses_secret:
        assert params is not None
        material += Scrypt(salt=salt, length=KEY_BYTES, n=params.n, r=params.r, p=params.p).derive(
            secret.encode("utf-8")
        )
    return HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=salt,
        info=f"meetingroom wrap v1 {protection.value} {profile_id}".encode(),
    ).derive(material)


def _slot_context(profile_id: str) -> bytes:
    return f"mr1\x00keyslot\x00{profile_id}".encode()


def wrap_data_key(
    data_key: bytes,
    protection: Protection,
    profile_id: str,
    device_secret: bytes | None,
    secret: str | None,
) -> KeySlot:
    """Return a new key slot holding ``data_key`` wrapped for ``protection``.

    Raises:
        ValueError: the PIN/passphrase is unacceptable or the device secret missing.
    """
    secret = check_secret(protection, secret)
    salt = os.urandom(SALT_BYTES)
    params = {
        Protection.DEVICE: None,
        Protection.DEVICE_AND_PIN: PIN_SCRYPT,
        Protection.PASSPHRASE: PASSPHRASE_SCRYPT,
    }[protection]
    key = _wrapping_key(protection, salt, params, device_secret, secret, profile_id)
    wrapped = Cipher(key).seal(data_key, _slot_context(profile_id))
    return KeySlot(protection=protection, salt=salt, scrypt=params, wrapped_key=wrapped)


def unwrap_data_key(
    slot: KeySlot, profile_id: str, device_secret: bytes | None, secret: str | None
) -> bytes:
    """Return the data key held in ``slot``.

    Raises:
        DecryptionFailed: the PIN/passphrase or device secret is wrong, or the
            slot was altered.
    """
    key = _wrapping_key(
        slot.protection, slot.salt, slot.scrypt, device_secret, secret or "", profile_id
    )
    data_key = Cipher(key).open(slot.wrapped_key, _slot_context(profile_id))
    if len(data_key) != KEY_BYTES:
        raise DecryptionFailed("wrapped key has the wrong length")
    return data_key
