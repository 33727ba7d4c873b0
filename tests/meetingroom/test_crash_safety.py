"""A writer killed with SIGKILL at random moments never leaves half-written data.

A child process (``tests/meetingroom/crash_writer.py``) writes meetings with
their agenda and an annotation in one transaction each, and streams ~2.5 MiB
documents in encrypted chunks; the parent kills it at a random moment, again
and again on the same profile so that any damage would accumulate. After
every kill the store must open and unlock, hold everything the child
reported committed, show no partial transaction, read every complete
document back with its SHA-256, refuse to read incomplete ones, and keep its
outbox consistent with the data. A later run resumes the interrupted
documents, so resuming after a kill is exercised too.
"""

from __future__ import annotations

import functools
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from meetingroom import services
from meetingroom.crypto import DeviceSecrets
from meetingroom.domain import AgendaItem, Annotation
from meetingroom.errors import IncompleteDocument
from meetingroom.store import Store
from meetingroom.store.codec import ALL_SPECS
from tests.meetingroom.crash_writer import DOC_SIZE, document_sha256

REPO_ROOT = Path(__file__).resolve().parents[2]
# Regenerating ~2.5 MiB per version per check would dominate the run time.
expected_sha256 = functools.lru_cache(maxsize=None)(document_sha256)
RANDOM_KILLS = 20
AIMED_KILLS = 4
READY_TIMEOUT = 20.0


@dataclass
class Reported:
    """What the child said it committed, across all runs."""

    meetings: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id -> item/annotation ids
    versions: set[str] = field(default_factory=set)  # saved as entities
    finished: set[str] = field(default_factory=set)  # finish() returned (or resumed)
    resumed: set[str] = field(default_factory=set)  # finished by a later run

    def take(self, text: str) -> None:
        # Only whole lines count: the kill may cut the last one short.
        for line in text.splitlines(keepends=True):
            if not line.endswith("\n"):
                break
            kind, *ids = line.split()
            if kind == "M":
                self.meetings[ids[0]] = tuple(ids[1:])
            elif kind == "V":
                self.versions.add(ids[1])
            elif kind in ("D", "R"):
                self.finished.add(ids[0])
                if kind == "R":
                    self.resumed.add(ids[0])


def wait_for(out: Path, child: subprocess.Popen[bytes], token: bytes, after: int = 0) -> int:
    """Wait until ``token`` appears in the child's output after offset ``after``; return its end."""
    deadline = time.monotonic() + READY_TIMEOUT
    while (at := out.read_bytes().find(token, after)) == -1:
        if child.poll() is not None:
            assert child.stderr is not None
            pytest.fail(f"writer exited early: {child.stderr.read().decode()}")
        assert time.monotonic() < deadline, f"writer never printed {token!r}"
        time.sleep(0.002)
    return at + len(token)


def run_and_kill(
    profile: Path,
    env: dict[str, str],
    seed: int,
    delay: float,
    out: Path,
    *,
    mid_document: bool = False,
) -> str:
    """Start the writer and SIGKILL it; return what it printed.

    It is killed ``delay`` s after READY or, with ``mid_document``, ``delay`` s
    after it announced a new document version (while the bytes stream).
    """
    with open(out, "wb") as sink:
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.meetingroom.crash_writer", str(profile), str(seed)],
            cwd=REPO_ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.PIPE,
        )
        try:
            ready = wait_for(out, child, b"READY\n")
            if mid_document:
                wait_for(out, child, b"\nV ", ready - 1)
            time.sleep(delay)
            alive = child.poll() is None
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=10)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
            assert child.stderr is not None
            errors = child.stderr.read().decode()
            child.stderr.close()
    assert alive, f"the writer stopped by itself: {errors}"
    assert child.returncode == -signal.SIGKILL
    return out.read_text()


def check_store(
    store: Store,
    reported: Reported,
    verified: set[str],
    rng: random.Random,
    *,
    verify_all: bool = False,
) -> dict[str, int]:
    """Assert the store's invariants after a kill; return some counts."""
    repos = store.repos
    if verify_all:  # reads the whole file: now and then, not after every kill
        with store.reading() as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    meetings = services.list_meetings(store)
    assert not meetings.damaged
    meeting_ids = {m.id for m in meetings}
    missing = set(reported.meetings) - meeting_ids
    assert not missing, f"committed meetings lost: {sorted(missing)[:3]}"

    # Read whole tables at once (per-meeting queries would grow quadratically).
    agenda = repos.agenda_items.list()
    marks = repos.annotations.list()
    assert not agenda.damaged
    assert not marks.damaged
    items_of: dict[str, list[AgendaItem]] = {}
    for item in agenda:
        items_of.setdefault(item.meeting_id, []).append(item)
    marks_of: dict[str, list[Annotation]] = {}
    for mark in marks:
        marks_of.setdefault(mark.version_id, []).append(mark)
    assert set(items_of) == set(marks_of) == meeting_ids, "agenda or annotation without meeting"
    for meeting in meetings:
        own = sorted(items_of[meeting.id], key=lambda a: a.position)
        assert [a.position for a in own] == [0, 1, 2], f"half-written meeting {meeting.id}"
        assert all(a.title.endswith(meeting.id) for a in own)
        assert [a.text for a in marks_of[meeting.id]] == [meeting.id]
        if meeting.id in reported.meetings:
            expected = reported.meetings[meeting.id]
            assert (*(a.id for a in own), marks_of[meeting.id][0].id) == expected

    stats = store.stats()
    assert stats["agenda_items"] == 3 * stats["meetings"]
    assert stats["annotations"] == stats["meetings"]
    assert stats["documents"] == stats["document_versions"]
    assert stats["participants"] == stats["rooms"] == stats["seats"] == stats["notes"] == 0

    # One outbox entry per locally saved entity, each naming a row that exists.
    entity_rows = sum(stats[spec.table] for spec in ALL_SPECS)
    assert store.outbox.count() == entity_rows
    assert store.outbox.count() == 5 * stats["meetings"] + 2 * stats["documents"]
    queued = {(e.entity_table, e.entity_id) for e in store.outbox.pending()}
    rows = {(spec.table, i) for spec in ALL_SPECS for i in repos.for_table(spec.table).ids("1")}
    assert queued == rows

    versions = repos.versions.list()
    assert not versions.damaged
    version_ids = {v.id for v in versions}
    assert reported.versions <= version_ids
    with store.reading() as db:
        blob_ids = {r[0] for r in db.execute('SELECT "version_id" FROM "blobs"').fetchall()}
    chunk_dir = store.directory / "chunks"
    chunk_files = {p.name for p in chunk_dir.iterdir()} if chunk_dir.is_dir() else set()
    assert blob_ids <= version_ids
    # A kill between a discard's two steps may leave a file no row names;
    # the next writer of that version removes it. Any other file is a leak.
    named = {store.blobs.path(b).name for b in blob_ids}
    orphans = chunk_files - named
    assert len(orphans) <= 1, orphans

    sample = set(rng.sample(sorted(verified), min(3, len(verified))))
    complete = incomplete = 0
    for version in versions:
        assert version.sha256 == expected_sha256(version.id)
        if not store.blobs.is_complete(version.id):
            incomplete += 1
            assert version.id not in reported.finished, "a finished document is incomplete"
            # A kill after the last chunk was written, before the manifest
            # committed, leaves every byte there and the version incomplete.
            assert store.blobs.state(version.id).bytes_stored <= DOC_SIZE
            with pytest.raises(IncompleteDocument):
                store.blobs.manifest(version.id)
            with pytest.raises(IncompleteDocument):
                store.blobs.open(version.id)
            with pytest.raises(IncompleteDocument):
                store.blobs.read_into_buffer(version.id)
            continue
        complete += 1
        manifest = store.blobs.manifest(version.id)
        assert manifest.size == version.size == DOC_SIZE
        assert manifest.sha256 == version.sha256
        # Reading every document after every kill grows quadratically: new ones
        # and a sample of old ones are read now, all of them every sixth kill.
        if verify_all or version.id not in verified or version.id in sample:
            data = store.blobs.read_into_buffer(version.id)
            assert hashlib.sha256(data).hexdigest() == version.sha256
            with store.blobs.open(version.id) as reader:
                reader.seek(DOC_SIZE - 5000)
                assert reader.read() == bytes(data[-5000:])
            verified.add(version.id)
    return {"meetings": stats["meetings"], "complete": complete, "incomplete": incomplete}


@pytest.mark.slow
def test_sigkilled_writer_never_leaves_half_written_data(
    profile: Path,
    device_secrets: DeviceSecrets,
    file_keyring: dict[str, str],
    tmp_path: Path,
) -> None:
    Store.create(profile, device_secrets=device_secrets).close()
    env = {**os.environ, **file_keyring}
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    # RANDOM_KILLS at a random moment after READY, plus a few aimed at the
    # middle of a document's stream so that resuming is always exercised.
    plan = [False] * RANDOM_KILLS + [True] * AIMED_KILLS
    rng.shuffle(plan)
    reported = Reported()
    verified: set[str] = set()
    history = []
    saw_incomplete = 0
    began = time.monotonic()

    for run, aimed in enumerate(plan):
        delay = rng.uniform(0.0, 0.02) if aimed else rng.uniform(0.05, 0.8)
        output = run_and_kill(
            profile, env, seed + run, delay, tmp_path / f"run{run}.out", mid_document=aimed
        )
        reported.take(output)
        thorough = run % 6 == 5 or run == len(plan) - 1

        store = Store.open(profile, device_secrets=device_secrets)
        try:
            store.unlock()
            checking = time.monotonic()
            counts = check_store(store, reported, verified, rng, verify_all=thorough)
            counts["check_ms"] = int(1000 * (time.monotonic() - checking))
        finally:
            store.close()
        saw_incomplete += counts["incomplete"] > 0
        history.append(("aimed" if aimed else "random", round(delay, 3), counts))

    elapsed = time.monotonic() - began
    print(f"seed={seed} elapsed={elapsed:.1f}s resumed={len(reported.resumed)} runs={history}")
    # The runs did real work, so the checks above had something to check:
    # meetings accumulated, documents were finished, some kill cut a document
    # short and a later run resumed one.
    assert len(reported.meetings) >= len(plan)
    assert reported.finished
    assert saw_incomplete >= 1
    assert reported.resumed
