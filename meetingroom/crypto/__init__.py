"""Cryptography of the store: AES-256-GCM values and the key hierarchy."""

from meetingroom.crypto.aead import Cipher, DecryptionFailed
from meetingroom.crypto.device_secret import DeviceSecrets
from meetingroom.crypto.keys import Protection

__all__ = ["Cipher", "DecryptionFailed", "DeviceSecrets", "Protection"]
