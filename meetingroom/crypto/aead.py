"""Authenticated encryption of stored values: AES-256-GCM with bound context.

Every ciphertext is ``version byte || 96-bit random nonce || ciphertext+tag``.
The associated data names where the value lives (table, row id, field; or
document version and chunk index), so a ciphertext copied to another row or
field fails to decrypt instead of showing the wrong content.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT_V1 = b"\x01"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32
OVERHEAD = len(FORMAT_V1) + NONCE_BYTES + TAG_BYTES


class DecryptionFailed(Exception):
    """A ciphertext did not authenticate under this key and context."""


def field_context(table: str, row_id: str, field: str) -> bytes:
    """Return the associated data binding a value to (table, row id, field)."""
    return f"mr1\x00{table}\x00{row_id}\x00{field}".encode()


def chunk_context(version_id: str, index: int) -> bytes:
    """Return the associated data binding a document chunk to (version, index)."""
    return f"mr1\x00chunk\x00{version_id}\x00{index}".encode()


class Cipher:
    """AES-256-GCM under one key. Thread-safe: it holds no mutable state."""

    __slots__ = ("_aead",)

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("AES-256 needs a 32-byte key")
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, context: bytes) -> bytes:
        """Return the sealed form of ``plaintext``, bound to ``context``."""
        nonce = os.urandom(NONCE_BYTES)
        return FORMAT_V1 + nonce + self._aead.encrypt(nonce, plaintext, context)

    def open(self, sealed: bytes, context: bytes) -> bytes:
        """Return the plaintext of ``sealed``.

        Raises:
            DecryptionFailed: the value was altered, truncated, moved from
                another context, or sealed under another key.
        """
        if len(sealed) < OVERHEAD or sealed[:1] != FORMAT_V1:
            raise DecryptionFailed("not a sealed value of a known format")
        nonce = sealed[1 : 1 + NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, sealed[1 + NONCE_BYTES :], context)
        except InvalidTag as exc:
            raise DecryptionFailed("authentication failed") from exc
