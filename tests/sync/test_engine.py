"""The sync engine against a real server on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from meetingroom import services
from meetingroom.domain import (
    Annotation,
    AnnotationId,
    AnnotationKind,
    DocumentVersionId,
    UserId,
    new_id,
)
from meetingroom.errors import DiskFull
from meetingroom.store import Store, chunkfiles
from sync.engine import ProgressEvent
from sync.errors import AuthRequired, SyncBusy, WipeRequired
from tests.server.conftest import LiveServer, op
from tests.sync.conftest import (
    Device,
    Seeded,
    build_meeting,
    make_pdf_bytes,
    new_user,
    upload_blob,
)

MakeDevice = Callable[..., Device]


def _annotation(version_id: str, author: str, text: str = "", page: int = 0) -> Annotation:
    return Annotation(
        id=AnnotationId(new_id()),
        version_id=DocumentVersionId(version_id),
        page=page,
        kind=AnnotationKind.HIGHLIGHT,
        geometry=((72.0, 700.0, 300.0, 714.0),),
        author_id=UserId(author),
        text=text,
    )


def _bytes_of(store: Store, version_id: str) -> bytes:
    return bytes(store.blobs.read_into_buffer(version_id))


def test_full_pull_of_a_seeded_meeting_lands_encrypted_and_verified(
    seeded: Seeded, make_device: MakeDevice
) -> None:
    events: list[ProgressEvent] = []
    device = make_device("daibieu08", seeded.password("daibieu08"), on_progress=events.append)
    report = device.engine.sync()
    assert report.complete, report.errors
    store = device.store
    meetings = services.list_meetings(store).items
    assert meetings
    versions = device.engine.wanted_versions()
    assert versions
    assert report.downloaded == len(versions)
    for version in versions:
        manifest = store.blobs.manifest(version.id)
        assert manifest.sha256 == version.sha256
        assert manifest.size == version.size
    first = versions[0]
    assert hashlib.sha256(_bytes_of(store, first.id)).hexdigest() == first.sha256
    # Nothing a meeting says is readable in the profile's files.
    raw = b"".join(p.read_bytes() for p in device.path.iterdir() if p.is_file())
    assert meetings[0].title.encode() not in raw
    assert b"%PDF" not in raw
    status = device.engine.status()
    assert status.online
    assert status.pending_changes == 0
    assert status.documents_missing == 0
    assert status.last_sync is not None
    stages = {e.stage for e in events}
    assert {"push", "pull", "blobs"} <= stages
    done = [e for e in events if e.stage == "blobs"][-1]
    assert done.bytes_done == done.bytes_total
    assert done.items_done == done.items_total
    # A second sync has nothing to do.
    again = device.engine.sync()
    assert again.downloaded == 0
    assert again.pushed == 0
    assert again.complete


@pytest.mark.parametrize("order", ["a_first", "b_first"])
def test_two_devices_annotating_offline_end_with_the_union(
    live: LiveServer, make_device: MakeDevice, order: str
) -> None:
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    ids = build_meeting(secretary, [delegate])
    a, b = make_device(delegate.username), make_device(delegate.username)
    a.engine.sync()
    b.engine.sync()
    ann_a = [_annotation(ids["version"], delegate.id, f"a{i}") for i in range(3)]
    ann_b = [_annotation(ids["version"], delegate.id, f"b{i}", page=1) for i in range(2)]
    services.save(a.store, *ann_a)
    services.save(b.store, *ann_b)
    first, second = (a, b) if order == "a_first" else (b, a)
    first.engine.sync()
    second.engine.sync()
    first.engine.sync()
    expected = {x.id for x in ann_a + ann_b}
    for device in (a, b):
        got = services.annotations(device.store, ids["version"]).items
        assert {x.id for x in got} == expected
        assert all(x.rev is not None for x in got)
        assert device.store.outbox.count() == 0


def test_concurrent_edits_of_one_annotation_keep_a_reported_conflict_copy(
    live: LiveServer, make_device: MakeDevice
) -> None:
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    ids = build_meeting(secretary, [delegate])
    a, b = make_device(delegate.username), make_device(delegate.username)
    note = _annotation(ids["version"], delegate.id, "gốc")
    services.save(a.store, note)
    a.engine.sync()
    b.engine.sync()
    on_b = b.store.repos.annotations.get(note.id)
    on_a = a.store.repos.annotations.get(note.id)
    services.save(a.store, on_a.touched(text="Đồng ý"))
    # B changes the text differently and, separately, the colour: that one merges.
    services.save(b.store, on_b.touched(text="Không đồng ý", colour="#00ff00"))
    a.engine.sync()
    report = b.engine.sync()
    assert report.conflicts == 1
    (conflict,) = b.store.conflicts.list()
    assert conflict.entity_id == note.id
    assert conflict.fields == ("text",)
    assert conflict.local["text"] == "Không đồng ý"  # the losing edit is kept, not lost
    assert b.engine.status().conflicts == 1
    a.engine.sync()
    for device in (a, b):
        final = device.store.repos.annotations.get(note.id)
        assert final.text == "Đồng ý"
        assert final.colour == "#00ff00"  # the non-conflicting field merged
    assert b.store.outbox.count() == 0


def test_a_new_version_arrives_and_old_annotations_stay_on_the_old_version(
    live: LiveServer, make_device: MakeDevice
) -> None:
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    ids = build_meeting(secretary, [delegate])
    device = make_device(delegate.username)
    old_note = _annotation(ids["version"], delegate.id, "trên bản cũ")
    services.save(device.store, old_note)
    device.engine.sync()
    data = make_pdf_bytes(120_000)
    sha = upload_blob(secretary.api, data)
    v2 = new_id()
    doc = secretary.api.pull_all()[0]
    doc_rev = next(c["entity"]["rev"] for c in doc if c["entity"]["id"] == ids["doc"])
    results = secretary.api.mutate(
        op(
            "document_version",
            "create",
            v2,
            {
                "document_id": ids["doc"],
                "number": 2,
                "sha256": sha,
                "size": len(data),
                "page_count": 1,
            },
        ),
        op("document", "update", ids["doc"], {"current_version_id": v2}, base_rev=doc_rev),
    )
    assert all(r["status"] == "applied" for r in results), results
    report = device.engine.sync()
    assert report.complete
    assert report.downloaded == 1
    store = device.store
    assert store.repos.documents.get(ids["doc"]).current_version_id == v2
    assert _bytes_of(store, v2) == data
    assert _bytes_of(store, ids["version"]) == ids["data"]
    old = services.annotations(store, DocumentVersionId(ids["version"])).items
    assert [x.text for x in old] == ["trên bản cũ"]
    assert services.annotations(store, DocumentVersionId(v2)).items == []


def test_access_loss_purges_the_meeting_and_its_document_bytes(
    live: LiveServer, make_device: MakeDevice
) -> None:
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    ids = build_meeting(secretary, [delegate])
    device = make_device(delegate.username)
    services.save(device.store, _annotation(ids["version"], delegate.id, "riêng"))
    device.engine.sync()
    assert device.store.blobs.is_complete(ids["version"])
    pid = ids["participants"][delegate.id]
    assert secretary.api.mutate(op("participant", "delete", pid))[0]["status"] == "applied"
    report = device.engine.sync()
    assert report.purged >= 1
    store = device.store
    assert store.repos.meetings.find(ids["meeting"], include_deleted=True) is None
    assert store.repos.versions.find(ids["version"], include_deleted=True) is None
    assert store.blobs.state(ids["version"]).bytes_stored == 0
    assert store.stats()["chunk_files"] == 0
    assert store.stats()["annotations"] == 0


class _FaultySession(requests.Session):
    """Fault injection the real server cannot produce on demand: the blob body breaks
    after ``cut_after`` bytes once, or its bytes are flipped once."""

    def __init__(self, *, cut_after: int | None = None, corrupt: bool = False) -> None:
        super().__init__()
        self.cut_after = cut_after
        self.corrupt = corrupt
        self.ranges: list[str | None] = []

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        response = super().request(method, url, *args, **kwargs)
        if "/blobs/" not in url and "/blob-links/d/" not in url:
            return response
        self.ranges.append((kwargs.get("headers") or {}).get("Range"))
        original = response.iter_content
        if self.cut_after is not None:
            limit, self.cut_after = self.cut_after, None

            def broken(chunk_size: int = 1, decode_unicode: bool = False) -> Iterator[bytes]:
                sent = 0
                for block in original(chunk_size):
                    if sent + len(block) > limit:
                        yield block[: limit - sent]
                        raise requests.exceptions.ChunkedEncodingError("connection reset")
                    sent += len(block)
                    yield block

            response.iter_content = broken  # type: ignore[method-assign,assignment]
        elif self.corrupt:
            self.corrupt = False

            def flipped(chunk_size: int = 1, decode_unicode: bool = False) -> Iterator[bytes]:
                for block in original(chunk_size):
                    yield bytes(b ^ 0xFF for b in block[:16]) + block[16:]

            response.iter_content = flipped  # type: ignore[method-assign,assignment]
        return response


def test_an_interrupted_download_resumes_with_range_and_verifies(
    live: LiveServer, make_device: MakeDevice
) -> None:
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    ids = build_meeting(secretary, [delegate], doc_size=2_600_000)
    session = _FaultySession(cut_after=2_200_000)
    device = make_device(delegate.username, session=session)
    report = device.engine.sync()
    assert report.complete, report.errors
    assert session.ranges == [None, f"bytes={2 * 1024 * 1024}-"]  # two whole chunks were kept
    assert _bytes_of(device.store, ids["version"]) == ids["data"]


def test_a_corrupted_download_is_discarded_and_fetched_again(
    live: LiveServer, make_device: MakeDevice
) -> None:
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    ids = build_meeting(secretary, [delegate])
    session = _FaultySession(corrupt=True)
    device = make_device(delegate.username, session=session)
    report = device.engine.sync()
    assert report.complete, report.errors
    assert session.ranges == [None, None]
    assert _bytes_of(device.store, ids["version"]) == ids["data"]


def test_a_disk_that_fails_when_a_document_is_committed_stops_the_sync_and_loses_nothing(
    live: LiveServer, make_device: MakeDevice, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A disk failing at the final flush is a fault we cannot cause otherwise.
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    ids = build_meeting(secretary, [delegate], doc_size=1_500_000)
    device = make_device(delegate.username)

    def no_space(path: object) -> None:
        raise DiskFull()

    monkeypatch.setattr(chunkfiles, "sync_file", no_space)
    with pytest.raises(DiskFull):
        device.engine.sync()
    assert not device.store.blobs.is_complete(ids["version"])
    monkeypatch.undo()
    report = device.engine.sync()
    assert report.complete, report.errors
    assert _bytes_of(device.store, ids["version"]) == ids["data"]


def test_wipe_required_destroys_the_profile_and_the_token(
    live: LiveServer, make_device: MakeDevice
) -> None:
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    build_meeting(secretary, [delegate])
    device = make_device(delegate.username)
    device.engine.sync()
    profile_id = device.store.profile_id
    device_id = device.store.sync_state.device_id()
    assert live.backend.cli("wipe-device", device_id) == 0
    with pytest.raises(WipeRequired):
        device.engine.sync()
    assert not device.path.exists() or not any(device.path.iterdir())
    assert device.tokens.load(profile_id) is None


def test_a_revoked_token_stops_sync_and_asks_for_sign_in(
    live: LiveServer, make_device: MakeDevice
) -> None:
    delegate = new_user(live)
    device = make_device(delegate.username)
    device.engine.sync()
    device_id = device.store.sync_state.device_id()
    assert live.backend.cli("revoke-device", device_id) == 0
    with pytest.raises(AuthRequired):
        device.engine.sync()
    assert device.engine.status().needs_sign_in
    assert device.tokens.load(device.store.profile_id) is None
    with pytest.raises(AuthRequired):
        device.engine.sync()  # no token: stops before any request


def test_resync_required_drops_the_cursor_and_pulls_everything(
    live: LiveServer, make_device: MakeDevice
) -> None:
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    ids = build_meeting(secretary, [delegate])
    device = make_device(delegate.username)
    device.engine.sync()
    pending = _annotation(ids["version"], delegate.id, "chưa gửi")
    services.save(device.store, pending)
    device.store.sync_state.cursor = "eyJ2Ijo5OSwicmV2Ijo5OTk5OTk5OX0"  # from the future
    report = device.engine.sync(("pull", "blobs", "push"))
    assert report.resyncs == 1
    store = device.store
    assert store.repos.meetings.get(ids["meeting"]).rev is not None
    assert store.blobs.is_complete(ids["version"])
    assert store.repos.annotations.get(pending.id).rev is not None  # pending edit survived
    assert store.sync_state.cursor not in (None, "eyJ2Ijo5OSwicmV2Ijo5OTk5OTk5OX0")


def test_a_second_sync_while_one_runs_is_refused(live: LiveServer, make_device: MakeDevice) -> None:
    delegate = new_user(live)
    refused: list[BaseException] = []
    holder: dict[str, Device] = {}

    def during(event: ProgressEvent) -> None:
        if event.stage == "pull" and not refused:
            try:
                holder["d"].engine.sync()
            except SyncBusy as exc:
                refused.append(exc)

    holder["d"] = make_device(delegate.username, on_progress=during)
    holder["d"].engine.sync()
    assert len(refused) == 1
    assert not holder["d"].engine.status().running


def test_pushed_deletes_and_edits_reach_the_other_device(
    live: LiveServer, make_device: MakeDevice
) -> None:
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    ids = build_meeting(secretary, [delegate])
    a, b = make_device(delegate.username), make_device(delegate.username)
    keep, drop = (_annotation(ids["version"], delegate.id, t) for t in ("giữ", "xoá"))
    ghost = _annotation(ids["version"], delegate.id, "tạm")
    services.save(a.store, keep, drop, ghost)
    services.delete(a.store, a.store.repos.annotations.get(ghost.id))
    first = a.engine.sync()
    assert first.rejected == 0
    assert first.pushed == 2
    assert a.store.outbox.count() == 0
    b.engine.sync()
    services.delete(a.store, a.store.repos.annotations.get(drop.id))
    services.save(a.store, dataclasses.replace(a.store.repos.annotations.get(keep.id), page=2))
    a.engine.sync()
    b.engine.sync()
    got = services.annotations(b.store, DocumentVersionId(ids["version"])).items
    assert [(x.id, x.page) for x in got] == [(keep.id, 2)]


def test_a_sync_in_another_process_holding_the_profile_lock_is_refused(
    live: LiveServer, make_device: MakeDevice
) -> None:
    import fcntl

    secretary, delegate = new_user(live, "secretary"), new_user(live)
    build_meeting(secretary, [delegate])
    device = make_device(delegate.username)
    # Another process's lock: flock locks belong to an open file description,
    # so a second open of the same file conflicts exactly as a process would.
    with (device.store.directory / "sync.lock").open("a+b") as other:
        fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(SyncBusy, match="another MeetingRoom process"):
            device.engine.sync()
        fcntl.flock(other.fileno(), fcntl.LOCK_UN)
    report = device.engine.sync()
    assert report.complete
    assert not device.engine.status().running


class _DiesAfterMutations(requests.Session):
    """The process 'dies' right after the server applied a push: the answer is
    lost and the sync stops (a fault the real server cannot produce on demand)."""

    armed = False

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        response = super().request(method, url, *args, **kwargs)
        if self.armed and url.endswith("/mutations"):
            self.armed = False
            raise SystemExit("killed after the server applied the push")
        return response


def test_an_edit_after_a_push_whose_answer_was_lost_is_not_a_conflict(
    live: LiveServer, make_device: MakeDevice
) -> None:
    secretary, delegate = new_user(live, "secretary"), new_user(live)
    ids = build_meeting(secretary, [delegate])
    session = _DiesAfterMutations()
    device = make_device(delegate.username, session=session)
    note = _annotation(ids["version"], delegate.id, "một")
    services.save(device.store, note)
    device.engine.sync()
    stored = device.store.repos.annotations.get(note.id)
    services.save(device.store, stored.touched(text="hai"))
    session.armed = True
    with pytest.raises(SystemExit):
        device.engine.sync()  # the server took "hai"; the device never heard
    latest = device.store.repos.annotations.get(note.id)
    services.save(device.store, latest.touched(text="ba"))  # edited again offline
    report = device.engine.sync()
    assert report.conflicts == 0
    assert device.store.conflicts.count() == 0
    assert device.store.outbox.count() == 0
    assert device.store.repos.annotations.get(note.id).text == "ba"
    fresh = make_device(delegate.username)
    fresh.engine.sync()
    assert fresh.store.repos.annotations.get(note.id).text == "ba"
