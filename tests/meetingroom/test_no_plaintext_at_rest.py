"""Nothing a meeting pack says is readable from the disk (DESIGN: "Encryption at rest").

Every field of every kind of record, and the bytes of a PDF whose content
stream holds its text uncompressed, carry a random marker. The profile
directory (database, -wal, -shm, any journal, the document chunk files) and the files written to the
temp directory during the test are then scanned for every marker as UTF-8,
UTF-16-LE and UTF-16-BE: while the store is open with its WAL not yet
checkpointed, and again after it is closed.

The scanner is checked too: it must find planted markers in a control file
(one straddling its read-block boundary) and in a plain, unencrypted SQLite
database's WAL, so a clean scan cannot be a scanner that sees nothing.
"""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import stat
import tempfile
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pymupdf
import pytest

from meetingroom import services
from meetingroom.crypto import DeviceSecrets
from meetingroom.domain import (
    AgendaItem,
    AgendaItemId,
    Annotation,
    AnnotationId,
    AnnotationKind,
    Classification,
    Document,
    DocumentId,
    DocumentVersion,
    DocumentVersionId,
    Meeting,
    MeetingId,
    Note,
    NoteId,
    Participant,
    ParticipantId,
    Role,
    Room,
    RoomId,
    Seat,
    SeatId,
    UserId,
    Visibility,
    new_id,
)
from meetingroom.errors import StoreLocked
from meetingroom.store import CHUNK_SIZE, DB_FILENAME, Store

ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")
SCAN_BLOCK = 4 * 1024 * 1024
PIN = "2468"

# -- markers and the scanner ------------------------------------------------------


class Markers:
    """Unique strings to plant in records, each remembered under a label."""

    def __init__(self) -> None:
        self.by_label: dict[str, str] = {}

    def ascii(self, label: str) -> str:
        return self._add(label, f"MRK{uuid.uuid4().hex}")

    def vietnamese(self, label: str) -> str:
        return self._add(label, f"Nghị quyết bí mật {uuid.uuid4().hex}")

    def _add(self, label: str, value: str) -> str:
        assert label not in self.by_label
        self.by_label[label] = value
        return value

    def needles(self) -> dict[bytes, str]:
        """Return every marker in every encoding, mapped to 'label/encoding'."""
        return {
            value.encode(encoding): f"{label}/{encoding}"
            for label, value in self.by_label.items()
            for encoding in ENCODINGS
        }


def scan(paths: Iterable[Path], needles: dict[bytes, str]) -> set[str]:
    """Return 'path: label/encoding' for every needle found in ``paths``.

    Files are read in blocks (with an overlap as long as the longest needle,
    so a needle across a block boundary is found); candidate positions are
    located by a short prefix shared by many needles, then checked in full.
    """
    longest = max(len(n) for n in needles)
    by_prefix: dict[bytes, list[bytes]] = {}
    for needle in needles:
        by_prefix.setdefault(needle[:6], []).append(needle)
    hits: set[str] = set()
    for path in paths:
        try:
            with open(path, "rb") as fh:
                tail = b""
                while block := fh.read(SCAN_BLOCK):
                    window = tail + block
                    for prefix, group in by_prefix.items():
                        at = window.find(prefix)
                        while at != -1:
                            for needle in group:
                                if window.startswith(needle, at):
                                    hits.add(f"{path}: {needles[needle]}")
                            at = window.find(prefix, at + 1)
                    tail = window[-(longest - 1) :]
        except OSError:
            continue  # vanished or unreadable (another process's file)
    return hits


def files_under(root: Path) -> list[Path]:
    """Return every regular file under ``root`` (symlinks not followed)."""
    found = []
    for dirpath, _dirs, names in os.walk(root, onerror=lambda _e: None):
        for name in names:
            path = Path(dirpath) / name
            try:
                if stat.S_ISREG(path.lstat().st_mode):
                    found.append(path)
            except OSError:
                continue
    return found


def recent_temp_files(since: float, skip: Iterable[Path]) -> list[Path]:
    """Return files in the temp directory modified at or after ``since``."""
    skipped = [p.resolve() for p in skip]
    recent = []
    for path in files_under(Path(tempfile.gettempdir())):
        try:
            if path.lstat().st_mtime < since:
                continue
        except OSError:
            continue
        resolved = path.resolve()
        if any(resolved.is_relative_to(s) for s in skipped):
            continue
        recent.append(path)
    return recent


def profile_files(profile: Path) -> list[Path]:
    files = files_under(profile)
    assert profile / DB_FILENAME in files
    return files


# -- a PDF whose text is in the clear -----------------------------------------------


def build_pdf(marker: str, lines_per_page: int, pages: int = 2) -> bytes:
    """Return a PDF whose uncompressed content streams show ``marker`` on every line.

    Written by hand (PyMuPDF writes text as hex strings, which would hide the
    marker from a byte scan and make the test vacuous).
    """
    objects: list[bytes] = []
    page_refs = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    font_obj = 3 + 2 * pages
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Count {pages} /Kids [{page_refs}] >>".encode())
    for page in range(pages):
        content = b"BT /F1 8 Tf 20 820 Td 9 TL\n" + b"".join(
            f"({marker} p{page} l{line}) '\n".encode() for line in range(lines_per_page)
        )
        content += b"ET\n"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 {font_obj} 0 R >> >> "
            f"/Contents {4 + 2 * page} 0 R >>".encode()
        )
        objects.append(
            f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream"
        )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def pdf_page_texts(data: bytes | bytearray) -> list[str]:
    """Return the text of each page, as PyMuPDF (opening from memory) extracts it."""
    doc = pymupdf.open(stream=data, filetype="pdf")  # type: ignore[no-untyped-call]
    try:
        assert not doc.is_repaired, "the hand-written PDF should be well-formed"
        return [str(doc[n].get_text()) for n in range(doc.page_count)]  # type: ignore[no-untyped-call]
    finally:
        doc.close()  # type: ignore[no-untyped-call]


# -- the meeting pack -----------------------------------------------------------------


class Pack:
    """One meeting with everything under it, every text field a marker."""

    def __init__(self, markers: Markers) -> None:
        m = markers
        start = datetime(2025, 3, 14, 8, 30, tzinfo=UTC)
        self.author = UserId(new_id())
        self.meeting = Meeting(
            id=MeetingId(new_id()),
            title=m.ascii("meeting.title"),
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            location=m.ascii("meeting.location"),
            classification=Classification.SECRET,
            description=m.vietnamese("meeting.description"),
        )
        mid = self.meeting.id
        root = AgendaItem(
            id=AgendaItemId(new_id()),
            meeting_id=mid,
            position=0,
            title=m.vietnamese("agenda.root.title"),
            presenter=m.ascii("agenda.root.presenter"),
            planned_minutes=45,
        )
        child = AgendaItem(
            id=AgendaItemId(new_id()),
            meeting_id=mid,
            position=1,
            title=m.ascii("agenda.child.title"),
            parent_id=root.id,
            presenter=m.ascii("agenda.child.presenter"),
        )
        grandchild = AgendaItem(
            id=AgendaItemId(new_id()),
            meeting_id=mid,
            position=2,
            title=m.vietnamese("agenda.grandchild.title"),
            parent_id=child.id,
        )
        self.agenda = [root, child, grandchild]
        self.participants = [
            Participant(
                id=ParticipantId(new_id()),
                meeting_id=mid,
                display_name=m.ascii(f"participant{i}.display_name"),
                role=role,
                clearance=Classification.TOP_SECRET,
                user_id=UserId(new_id()),
                title=m.vietnamese(f"participant{i}.title"),
            )
            for i, role in enumerate((Role.CHAIR, Role.DELEGATE))
        ]
        self.room = Room(id=RoomId(new_id()), meeting_id=mid, name=m.ascii("room.name"))
        self.seats = [
            Seat(
                id=SeatId(new_id()),
                room_id=self.room.id,
                label=m.ascii(f"seat{i}.label"),
                x=10.5 + 20 * i,
                y=30.25,
                participant_id=p.id,
            )
            for i, p in enumerate(self.participants)
        ]
        self.pdf_marker = m.ascii("document.pdf_text")
        self.pdf = build_pdf(self.pdf_marker, lines_per_page=22_000)
        self.document = Document(
            id=DocumentId(new_id()),
            meeting_id=mid,
            title=m.vietnamese("document.title"),
            agenda_item_id=root.id,
            classification=Classification.CONFIDENTIAL,
        )
        self.version = DocumentVersion(
            id=DocumentVersionId(new_id()),
            document_id=self.document.id,
            number=1,
            sha256=hashlib.sha256(self.pdf).hexdigest(),
            size=len(self.pdf),
            page_count=2,
            filename=m.ascii("version.filename") + ".pdf",
            classification=Classification.CONFIDENTIAL,
        )
        self.document = self.document.touched(current_version_id=self.version.id)
        self.annotations = [
            Annotation(
                id=AnnotationId(new_id()),
                version_id=self.version.id,
                page=i % 2,
                kind=kind,
                geometry=((72.0, 700.5, 300.0, 712.0), (72.0, 688.0, 250.25, 699.5))
                if kind is not AnnotationKind.INK
                else ((10.0, 10.0, 20.0, 25.0, 30.0, 12.5),),
                author_id=self.author,
                text=m.vietnamese(f"annotation.{kind.value}.text")
                if i % 2
                else m.ascii(f"annotation.{kind.value}.text"),
                visibility=Visibility.SHARED if i % 2 else Visibility.PRIVATE,
            )
            for i, kind in enumerate(AnnotationKind)
        ]
        self.notes = [
            Note(
                id=NoteId(new_id()),
                meeting_id=mid,
                author_id=self.author,
                text=m.vietnamese("note0.text"),
            ),
            Note(
                id=NoteId(new_id()),
                meeting_id=mid,
                author_id=self.author,
                text=m.ascii("note1.text"),
            ),
        ]

    def entities(self) -> list[object]:
        return [
            self.meeting,
            *self.agenda,
            *self.participants,
            self.room,
            *self.seats,
            self.document,
            self.version,
            *self.annotations,
            *self.notes,
        ]

    def save(self, store: Store) -> None:
        services.save(store, self.meeting, *self.agenda, *self.participants)
        services.save(store, self.room, *self.seats)
        services.save(store, self.document, self.version)
        manifest = services.store_document_bytes(
            store, self.version.id, io.BytesIO(self.pdf), expected_sha256=self.version.sha256
        )
        assert manifest.size == len(self.pdf)
        services.save(store, *self.annotations)
        services.save(store, *self.notes)

    def assert_reads_back(self, store: Store) -> None:
        repos = store.repos
        for entity in self.entities():
            repo = repos.for_entity(entity)
            assert repo.get(entity.id) == entity  # type: ignore[attr-defined]
        assert [a.title for a in services.agenda(store, self.meeting.id)] == [
            a.title for a in self.agenda
        ]
        data = store.blobs.read_into_buffer(self.version.id)
        assert bytes(data) == self.pdf
        pages = pdf_page_texts(data)
        assert len(pages) == 2
        assert self.pdf_marker in pages[1]


# -- fixtures -------------------------------------------------------------------------


@pytest.fixture
def started() -> float:
    """Return a time just before the test began (mtime granularity allowed for)."""
    return time.time() - 2.0


@pytest.fixture
def keyring_dirs(file_keyring: dict[str, str]) -> list[Path]:
    """Return the test keyring's directories (its file is skipped by the temp scan)."""
    return [Path(file_keyring["XDG_CONFIG_HOME"]), Path(file_keyring["XDG_DATA_HOME"])]


# -- the scanner works ------------------------------------------------------------------


def test_scanner_finds_markers_in_every_encoding_and_across_block_boundaries(
    tmp_path: Path,
) -> None:
    markers = Markers()
    a = markers.ascii("control.ascii")
    v = markers.vietnamese("control.vietnamese")
    markers.ascii("control.unplanted")  # a needle that must not be reported
    needles = markers.needles()
    blob = bytearray(os.urandom(SCAN_BLOCK + 4096))
    # One needle straddles the first read block's end; the rest sit inside blocks.
    straddling = v.encode("utf-16-be")
    at = SCAN_BLOCK - len(straddling) // 2
    blob[at : at + len(straddling)] = straddling
    for i, needle in enumerate(
        (a.encode("utf-8"), a.encode("utf-16-le"), v.encode("utf-8"), v.encode("utf-16-le"))
    ):
        blob[1000 + i * 300 : 1000 + i * 300 + len(needle)] = needle
    blob[-200 : -200 + len(a.encode("utf-16-be"))] = a.encode("utf-16-be")
    control = tmp_path / "control.bin"
    control.write_bytes(bytes(blob))

    hits = scan([control], needles)

    expected = {
        f"{control}: control.{kind}/{encoding}"
        for kind in ("ascii", "vietnamese")
        for encoding in ENCODINGS
    }
    assert hits == expected


def test_scanner_finds_plaintext_in_an_unencrypted_sqlite_wal(tmp_path: Path) -> None:
    """A positive control for the open-store scan: plain SQLite in WAL mode leaks."""
    markers = Markers()
    value = markers.vietnamese("plain.sqlite")
    path = tmp_path / "plain.db"
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (x TEXT)")
        conn.execute("INSERT INTO t VALUES (?)", (value,))
        conn.commit()
        wal = Path(f"{path}-wal")
        assert wal.stat().st_size > 0
        assert scan([wal], markers.needles()) == {f"{wal}: plain.sqlite/utf-8"}
    finally:
        conn.close()


# -- the store does not leak -------------------------------------------------------------


def assert_nothing_leaks(
    profile: Path, markers: Markers, started: float, skip: list[Path], when: str
) -> None:
    needles = markers.needles()
    in_profile = scan(profile_files(profile), needles)
    assert not in_profile, f"plaintext in the profile ({when}): {sorted(in_profile)}"
    temp_files = recent_temp_files(started, skip)
    if profile.resolve().is_relative_to(Path(tempfile.gettempdir()).resolve()):
        # The temp scan really covers what this test wrote (the profile is in it).
        assert profile / DB_FILENAME in temp_files
    in_temp = scan(temp_files, needles)
    assert not in_temp, f"plaintext in the temp directory ({when}): {sorted(in_temp)}"


def sidecar(profile: Path, suffix: str) -> Path:
    return profile / f"{DB_FILENAME}{suffix}"


def test_no_marker_reaches_the_disk_open_or_closed(
    profile: Path,
    device_secrets: DeviceSecrets,
    started: float,
    keyring_dirs: list[Path],
) -> None:
    markers = Markers()
    pack = Pack(markers)
    # The PDF really shows its marker in the clear, in every chunk it is cut into.
    assert len(pack.pdf) > CHUNK_SIZE
    raw_marker = pack.pdf_marker.encode()
    assert raw_marker in pack.pdf[:CHUNK_SIZE]
    assert raw_marker in pack.pdf[CHUNK_SIZE:]
    pages = pdf_page_texts(pack.pdf)
    assert len(pages) == 2
    assert all(pack.pdf_marker in text for text in pages)

    store = Store.create(profile, device_secrets=device_secrets)
    try:
        pack.save(store)
        pack.assert_reads_back(store)

        # Open, WAL not checkpointed: every committed page is still in the
        # -wal; the document's sealed chunks are in their file beside it.
        wal = sidecar(profile, "-wal")
        assert wal.stat().st_size > 0, "the WAL should hold the fresh writes"
        chunk_file = store.blobs.path(pack.version.id)
        assert chunk_file in profile_files(profile)
        assert chunk_file.stat().st_size > len(pack.pdf), "the chunk file should hold the PDF"
        assert_nothing_leaks(profile, markers, started, keyring_dirs, "open, fresh WAL")

        store.lock()
        assert store.is_locked
        with pytest.raises(StoreLocked):
            store.repos.meetings.get(pack.meeting.id)
        store.unlock()
        store.change_pin(None, PIN)
        store.lock()
        store.unlock(PIN)

        # Edits after the PIN change land in a new WAL generation.
        edited = pack.notes[1].touched(text=markers.vietnamese("note1.after_pin"))
        pack.notes[1] = edited
        renamed = pack.room.touched(name=markers.ascii("room.after_pin"))
        pack.room = renamed
        services.save(store, edited, renamed)
        assert wal.stat().st_size > 0
        pack.assert_reads_back(store)
        assert_nothing_leaks(profile, markers, started, keyring_dirs, "open, after PIN change")
    finally:
        store.close()

    reopened = Store.open(profile, device_secrets=device_secrets)
    try:
        reopened.unlock(PIN)
        pack.assert_reads_back(reopened)
    finally:
        reopened.close()

    files = {p.name for p in profile_files(profile)}
    assert DB_FILENAME in files
    assert_nothing_leaks(profile, markers, started, keyring_dirs, "closed")
    assert len(markers.by_label) == 28


def test_scan_of_temp_files_sees_what_this_test_writes(
    tmp_path: Path, started: float, keyring_dirs: list[Path]
) -> None:
    """The temp-directory scan covers this test's own files (so a leak there would show)."""
    markers = Markers()
    planted = tmp_path / "leak.txt"
    planted.write_text(markers.ascii("temp.control"), encoding="utf-16-le")
    hits = scan(recent_temp_files(started, keyring_dirs), markers.needles())
    assert hits == {f"{planted}: temp.control/utf-16-le"}
