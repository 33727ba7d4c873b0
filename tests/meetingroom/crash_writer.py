"""Child process of test_crash_safety: writes to a store until it is killed.

Run as ``python -m tests.meetingroom.crash_writer PROFILE_DIR SEED`` from the
repository root, with the test's keyring environment. It opens the existing
store, unlocks it, prints ``READY`` and then:

- finishes every document version whose bytes an earlier (killed) run left
  incomplete, resuming its ``DocumentWriter`` where the committed chunks end,
  and prints ``R <version_id>`` when ``finish`` returned;
- loops forever; each iteration saves, in ONE ``services.save`` call, a
  meeting, its 3 agenda items and an annotation (whose ``version_id`` is the
  meeting's id and whose text names the meeting), then prints
  ``M <meeting_id> <item_id> <item_id> <item_id> <annotation_id>``;
- every few iterations it saves a document and its version (one call,
  printed as ``V <document_id> <version_id>``), then streams the version's
  ~2.5 MiB of bytes through a ``DocumentWriter`` in uneven pieces, finishing
  with the expected SHA-256, and prints ``D <version_id>``.

Each line is printed and flushed only after its transaction committed, so
everything the parent reads back was durably committed. Document bytes are a
pure function of the version id (``document_bytes``) so the parent and a
later run can regenerate and check them.
"""

from __future__ import annotations

import hashlib
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from meetingroom import services
from meetingroom.crypto import DeviceSecrets
from meetingroom.domain import (
    AgendaItem,
    AgendaItemId,
    Annotation,
    AnnotationId,
    AnnotationKind,
    Document,
    DocumentId,
    DocumentVersion,
    DocumentVersionId,
    Meeting,
    MeetingId,
    UserId,
    new_id,
)
from meetingroom.store import CHUNK_SIZE, Store

DOC_SIZE = 2 * CHUNK_SIZE + CHUNK_SIZE // 2 + 4321  # about 2.5 MiB: three chunks
DOC_EVERY = 6  # iterations between documents
AUTHOR = UserId("crash-writer")
LIFETIME = 60.0  # seconds; the parent kills it long before


def document_bytes(version_id: str) -> bytes:
    """Return the bytes of ``version_id``'s document (deterministic per id)."""
    return random.Random(f"doc:{version_id}").randbytes(DOC_SIZE)


def document_sha256(version_id: str) -> str:
    return hashlib.sha256(document_bytes(version_id)).hexdigest()


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def stream(store: Store, version_id: str, sha256: str, rng: random.Random) -> None:
    """Write (or resume writing) the version's bytes in uneven pieces, then finish."""
    data = document_bytes(version_id)
    writer = store.blobs.writer(version_id, expected_size=len(data), expected_sha256=sha256)
    offset = writer.offset
    while offset < len(data):
        piece = rng.randint(50_000, 700_000)
        writer.write(data[offset : offset + piece])
        offset += piece
    writer.finish()


def main(argv: list[str]) -> int:
    profile, seed = argv[0], int(argv[1])
    rng = random.Random(seed)
    store = Store.open(profile, device_secrets=DeviceSecrets(allow_insecure_backend=True))
    store.unlock()
    say("READY")

    for version in store.repos.versions.list():
        if not store.blobs.is_complete(version.id):
            stream(store, version.id, version.sha256, rng)
            say(f"R {version.id}")

    deadline = time.monotonic() + LIFETIME
    iteration = 0
    while time.monotonic() < deadline:
        iteration += 1
        start = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=rng.randint(0, 10_000))
        meeting = Meeting(
            id=MeetingId(new_id()),
            title=f"Phiên họp {seed}-{iteration}",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
        )
        items = [
            AgendaItem(
                id=AgendaItemId(new_id()),
                meeting_id=meeting.id,
                position=position,
                title=f"Mục {position} của {meeting.id}",
            )
            for position in range(3)
        ]
        note = Annotation(
            id=AnnotationId(new_id()),
            version_id=DocumentVersionId(meeting.id),
            page=0,
            kind=AnnotationKind.HIGHLIGHT,
            geometry=((1.0, 2.0, 3.0, 4.0),),
            author_id=AUTHOR,
            text=meeting.id,
        )
        services.save(store, meeting, *items, note)
        say(f"M {meeting.id} {' '.join(i.id for i in items)} {note.id}")

        if iteration % DOC_EVERY == 1:
            version_id = DocumentVersionId(new_id())
            sha256 = document_sha256(version_id)
            document = Document(
                id=DocumentId(new_id()),
                meeting_id=meeting.id,
                title=f"Tài liệu {iteration}",
                current_version_id=version_id,
            )
            version = DocumentVersion(
                id=version_id,
                document_id=document.id,
                number=1,
                sha256=sha256,
                size=DOC_SIZE,
                page_count=0,
            )
            services.save(store, document, version)
            say(f"V {document.id} {version_id}")
            stream(store, version_id, sha256, rng)
            say(f"D {version_id}")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
