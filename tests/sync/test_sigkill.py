"""``meetingroom sync`` killed with SIGKILL at random moments, then restarted.

The profile holds offline annotation edits (created, edited, deleted; more
are made between kills, as a user would after a crash) and the meeting has
several documents of a few MiB. After the last, clean run the profile equals
a clean sync into a fresh profile, the server holds each annotation once, and
no edit is lost.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from meetingroom import services
from meetingroom.crypto import DeviceSecrets
from meetingroom.domain import Annotation, AnnotationId, AnnotationKind, DocumentVersionId, UserId
from meetingroom.store import Store
from tests.server.conftest import PASSWORD, LiveServer, new_id
from tests.sync._support import add_documents, assert_bytes_complete, server_view, snapshot
from tests.sync.conftest import Device, build_meeting, new_user

KILLS = 30
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _child(live: LiveServer, username: str, profile: Path) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "tests.sync._sync_child", "sync", "--server", live.base_url]
    argv += ["--user", username, "--password-stdin", "--profile", str(profile), "--once"]
    proc = subprocess.Popen(
        argv,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )
    assert proc.stdin is not None
    proc.stdin.write(f"{PASSWORD}\n".encode())
    proc.stdin.close()
    return proc


class Model:
    """The annotations as the user left them (id → text, colour, deleted)."""

    def __init__(self, version_ids: list[str], author: str, rng: random.Random) -> None:
        self.version_ids = version_ids
        self.author = author
        self.rng = rng
        self.expected: dict[str, tuple[str, str, bool]] = {}
        self.counter = 0

    def edit(self, store: Store, count: int) -> None:
        """Make ``count`` offline edits: create, change text or colour, delete."""
        for _ in range(count):
            self.counter += 1
            live = [k for k, v in self.expected.items() if not v[2]]
            choice = self.rng.random()
            if not live or choice < 0.4:
                ann = Annotation(
                    id=AnnotationId(new_id()),
                    version_id=DocumentVersionId(self.rng.choice(self.version_ids)),
                    page=0,
                    kind=AnnotationKind.HIGHLIGHT,
                    geometry=((72.0, 700.0, 300.0, 714.0),),
                    author_id=UserId(self.author),
                    text=f"ghi chú {self.counter}",
                )
                services.save(store, ann)
                self.expected[ann.id] = (ann.text, ann.colour, False)
                continue
            current = store.repos.annotations.get(self.rng.choice(live))
            if choice < 0.7:
                new = current.touched(text=f"sửa {self.counter}")
            elif choice < 0.9:
                new = current.touched(colour=f"#{self.rng.randrange(1 << 24):06x}")
            else:
                services.delete(store, current)
                self.expected[current.id] = (current.text, current.colour, True)
                continue
            services.save(store, new)
            self.expected[new.id] = (new.text, new.colour, False)


def test_sigkill_at_random_points_always_ends_equal_to_a_clean_sync(
    live: LiveServer,
    tmp_path: Path,
    device_secrets: DeviceSecrets,
    make_device: Callable[..., Device],
) -> None:
    rng = random.Random(20261123)
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    ids = build_meeting(secretary, [delegate], doc_size=1_500_000)
    data = {ids["version"]: ids["data"]}
    data.update(add_documents(secretary, ids["meeting"], [2_500_000, 3_000_000, 700_000]))
    profile = tmp_path / "killed"
    model = Model(list(data), delegate.id, rng)
    with Store.create(profile, device_secrets=device_secrets) as store:
        model.edit(store, 12)

    kills = runs = 0
    shortest = 1.5  # seconds: the quickest run seen so far that finished before its kill
    started = time.monotonic()
    while kills < KILLS:
        runs += 1
        assert runs < 4 * KILLS, "the child kept finishing before the kill"
        if runs % 3 == 0:  # the user keeps working after a crash
            with Store.open(profile, device_secrets=device_secrets) as store:
                store.unlock(None)
                model.edit(store, rng.randint(1, 4))
        if runs % 10 == 0:  # and the secretary adds a document now and then
            data.update(add_documents(secretary, ids["meeting"], [rng.randint(300_000, 2_000_000)]))
        proc = _child(live, delegate.username, profile)
        began = time.monotonic()
        time.sleep(rng.uniform(0.0, shortest))  # anywhere from start-up to the last commit
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        else:  # it finished first: aim earlier next time
            shortest = min(shortest, 0.95 * (time.monotonic() - began))
        proc.wait(30)
        assert proc.returncode in (0, -signal.SIGKILL), proc.stderr.read() if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
    killing = time.monotonic() - started

    final = _child(live, delegate.username, profile)
    assert final.wait(60) == 0, final.stderr.read().decode() if final.stderr else ""
    if final.stderr:
        final.stderr.close()

    fresh = make_device(delegate.username)
    assert fresh.engine.sync().complete
    with Store.open(profile, device_secrets=device_secrets) as store:
        store.unlock(None)
        assert store.outbox.count() == 0
        assert store.conflicts.count() == 0  # one device: nothing to conflict with
        got = snapshot(store)
        assert got == snapshot(fresh.store)
        assert_bytes_complete(store)
        for version_id, raw in data.items():
            assert bytes(store.blobs.read_into_buffer(version_id)) == raw
    on_server = server_view(delegate.api)
    assert on_server == got
    # Each annotation once (a feed lists an id once per page; ids are unique here),
    # with the user's last edit: nothing lost, nothing duplicated by a replay.
    annotations = on_server["annotations"]
    texts = [a["text"] for a in annotations.values()]
    assert len(texts) == len(set(texts)), "an offline annotation reached the server twice"
    for ann_id, (text, colour, deleted) in model.expected.items():
        if deleted:
            assert ann_id not in annotations
        else:
            assert (annotations[ann_id]["text"], annotations[ann_id]["colour"]) == (text, colour)
    print(f"{kills} kills in {runs} runs, {killing:.1f} s")
