"""The Qt-free half of ``meetingroom --selftest``: keyring, encrypted store, PDF workers.

Runs against a temporary profile and a temporary keyring backend of its own
(``SelftestKeyring``), so it never touches the user's profiles or their real
keyring. ``ui.selftest`` adds the Qt checks (platform plugins, fonts,
translations) and prints the report.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jaraco.classes import properties
from keyring.backend import KeyringBackend

from meetingroom import services
from meetingroom.crypto import DeviceSecrets, aead
from meetingroom.domain import DocumentVersionId
from meetingroom.pdf.types import RenderedPage
from meetingroom.store import Store

#: Seconds a PDF request may take in the selftest (a cold frozen worker included).
RENDER_WAIT = 90.0
SELFTEST_VERSION = DocumentVersionId("selftest-document")
_CONTEXT = b"meetingroom-selftest-keyring"


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of one selftest check: its name, whether it passed, and what was seen."""

    name: str
    ok: bool
    detail: str


class SelftestKeyring(KeyringBackend):
    """A keyring backend for the selftest only: entries encrypted in one temporary file.

    The file's key lives in this object's memory, so what reaches the disk is
    ciphertext. It is never chosen automatically (``priority`` raises, which
    keyring reads as "not viable"): only ``use_selftest_keyring`` installs it.
    """

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("only for meetingroom --selftest")

    def __init__(self, path: Path) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._path = path
        self._cipher = aead.Cipher(os.urandom(aead.KEY_BYTES))

    def _entries(self) -> dict[str, str]:
        if not self._path.exists():
            return {}
        plain = self._cipher.open(self._path.read_bytes(), _CONTEXT)
        entries: dict[str, str] = json.loads(plain)
        return entries

    def _save(self, entries: dict[str, str]) -> None:
        plain = json.dumps(entries).encode()
        self._path.write_bytes(self._cipher.seal(plain, _CONTEXT))

    def get_password(self, service: str, username: str) -> str | None:
        """Return the stored password, or None."""
        return self._entries().get(f"{service}\0{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        """Store ``password``."""
        entries = self._entries()
        entries[f"{service}\0{username}"] = password
        self._save(entries)

    def delete_password(self, service: str, username: str) -> None:
        """Remove the entry; a missing one is not an error here."""
        entries = self._entries()
        entries.pop(f"{service}\0{username}", None)
        self._save(entries)


@contextmanager
def use_selftest_keyring(directory: Path) -> Iterator[SelftestKeyring]:
    """Make a ``SelftestKeyring`` in ``directory`` keyring's backend; restore the previous after."""
    import keyring
    import keyring.core

    previous = keyring.core._keyring_backend
    backend = SelftestKeyring(directory / "selftest-keyring.bin")
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.core._keyring_backend = previous


def make_pdf() -> bytes:
    """Return a one-page PDF with a title and a filled box (made with PyMuPDF)."""
    import pymupdf as _pymupdf

    pymupdf: Any = _pymupdf  # untyped
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 100), "MeetingRoom selftest", fontsize=24)
    page.draw_rect(pymupdf.Rect(72, 150, 300, 300), color=(0, 0, 0), fill=(0.1, 0.3, 0.6))
    data: bytes = doc.tobytes()
    doc.close()
    return data


def _check(name: str, run: Callable[[], str]) -> Check:
    """Run one check; an exception is its failure, reported by type and message."""
    try:
        return Check(name, True, run())
    except Exception as exc:
        return Check(name, False, f"{type(exc).__name__}: {exc}")


def run_core_checks(directory: Path) -> tuple[list[Check], RenderedPage | None]:
    """Run the keyring, store and PDF checks in ``directory`` (a fresh temporary folder).

    Returns the checks in order and the rendered page (None when rendering failed).
    Never raises for a failing check: each failure is a Check with ok=False.
    """
    checks: list[Check] = []
    rendered: list[RenderedPage] = []
    with use_selftest_keyring(directory) as backend:
        secrets = DeviceSecrets()
        profile = directory / "profile"
        data = make_pdf()

        def keyring_check() -> str:
            secrets.store("selftest", bytes(32))
            if secrets.load("selftest") != bytes(32):
                raise RuntimeError("the secret read back differs")
            secrets.delete("selftest")
            return f"temporary backend {secrets.backend_name()}"

        checks.append(_check("keyring", keyring_check))
        store: Store | None = None

        def store_check() -> str:
            nonlocal store
            store = Store.create(profile, device_secrets=secrets)
            services.store_document_bytes(store, SELFTEST_VERSION, io.BytesIO(data))
            with store.blobs.open(SELFTEST_VERSION) as reader:
                if reader.read() != data:
                    raise RuntimeError("the sealed document read back differs")
            for path in _files(profile):
                if data[:200] in path.read_bytes():
                    raise RuntimeError(f"plaintext document bytes in {path.name}")
            if not backend.get_password("MeetingRoom", f"profile-{store.profile_id}"):
                raise RuntimeError("the device secret is not in the temporary keyring")
            return f"sealed and read back {len(data)} bytes"

        checks.append(_check("encrypted store", store_check))
        if store is None:
            checks.append(Check("pdf render", False, "skipped: no store"))
            return checks, None
        opened: Store = store

        def render_check() -> str:
            from meetingroom.pdf.service import RenderService

            with RenderService(opened, workers=1) as pdf:
                page = pdf.render(SELFTEST_VERSION, 0, zoom=0.5).result(timeout=RENDER_WAIT)
            if page.width <= 0 or page.height <= 0 or not _has_ink(page):
                raise RuntimeError(f"blank or empty page ({page.width}x{page.height})")
            rendered.append(page)
            return f"page 1 rendered in a worker process: {page.width}x{page.height} px"

        checks.append(_check("pdf render", render_check))
        opened.close()
    return checks, rendered[0] if rendered else None


def _files(directory: Path) -> Iterator[Path]:
    for root, _dirs, names in os.walk(directory):
        for name in names:
            yield Path(root) / name


def _has_ink(page: RenderedPage) -> bool:
    """Return True when the page has dark pixels (the box drawn by ``make_pdf``)."""
    samples = bytes(page.samples)
    return min(samples) < 100
