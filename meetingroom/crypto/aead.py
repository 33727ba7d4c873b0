"""Authenticated encryption of stored values: AES-256-GCM with bound context.

Every ciphertext is ``version byte || 96-bit random nonce || ciphertext+tag``.
The associated data names where the value lives (table, row id, field; or
document version and chunk index), so a ciphertext copied to another row or
field fails to decrypt instead of showing the wrong content.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

if TYPE_CHECKING:
    from typing_extensions import Buffer

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

    def seal(self, plaintext: bytes | bytearray | memoryview, context: bytes) -> bytes:
        """Return the sealed form of ``plaintext``, bound to ``context``."""
        nonce = os.urandom(NONCE_BYTES)
        return FORMAT_V1 + nonce + self._aead.encrypt(nonce, plaintext, context)

    def seal_large(self, plaintext: bytes | bytearray | memoryview, context: bytes) -> bytearray:
        """Return the sealed form of ``plaintext`` as ``seal`` does, in one allocation.

        For document chunks: the ciphertext is written straight after the
        header instead of being concatenated (a copy of a megabyte per chunk).
        """
        nonce = os.urandom(NONCE_BYTES)
        header = len(FORMAT_V1) + NONCE_BYTES
        out = bytearray(header + memoryview(plaintext).nbytes + TAG_BYTES)
        out[:header] = FORMAT_V1 + nonce
        self._aead.encrypt_into(nonce, plaintext, context, memoryview(out)[header:])
        return out

    def open(self, sealed: Buffer, context: bytes) -> bytes:
        """Return the plaintext of ``sealed``.

        Raises:
            DecryptionFailed: the value was altered, truncated, moved from
                another context, or sealed under another key.
        """
        view = self._check(sealed)
        try:
            return self._aead.decrypt(view[1 : 1 + NONCE_BYTES], view[1 + NONCE_BYTES :], context)
        except InvalidTag as exc:
            raise DecryptionFailed("authentication failed") from exc

    def open_into(self, sealed: Buffer, context: bytes, out: memoryview) -> int:
        """Decrypt ``sealed`` straight into ``out``; return the plaintext length.

        ``out`` must hold at least ``plaintext_length(sealed)`` bytes. On
        failure its contents are undefined.

        Raises:
            DecryptionFailed: as ``open``.
            ValueError: ``out`` is too small.
        """
        view = self._check(sealed)
        length = len(view) - OVERHEAD
        if len(out) < length:
            raise ValueError("output buffer too small")
        try:
            return self._aead.decrypt_into(
                view[1 : 1 + NONCE_BYTES], view[1 + NONCE_BYTES :], context, out[:length]
            )
        except InvalidTag as exc:
            raise DecryptionFailed("authentication failed") from exc

    @staticmethod
    def _check(sealed: Buffer) -> memoryview:
        view = memoryview(sealed).cast("B")
        if len(view) < OVERHEAD or view[0] != FORMAT_V1[0]:
            raise DecryptionFailed("not a sealed value of a known format")
        return view


def plaintext_length(sealed: Buffer) -> int:
    """Return the length of the plaintext inside ``sealed`` (0 if malformed)."""
    return max(0, memoryview(sealed).nbytes - OVERHEAD)
