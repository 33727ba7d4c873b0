"""Secretaries manage the meetings they created or are named secretaries of."""

from __future__ import annotations

import hashlib
import secrets

import requests

from tests.server.conftest import (
    LiveServer,
    SyncClient,
    bearer,
    build_meeting,
    ids_of,
    make_user,
    new_id,
    op,
)


def _secretary_row(sec: SyncClient, meeting: str, who: SyncClient) -> str:
    pid = new_id()
    r = sec.mutate(
        op(
            "participant",
            "create",
            pid,
            {
                "meeting_id": meeting,
                "display_name": "Thư ký",
                "role": "secretary",
                "user_id": who.user_id,
            },
        )
    )
    assert r[0]["status"] == "applied", r
    return pid


def _upload(sec: SyncClient, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    h = bearer(sec.token)
    r = requests.post(
        sec.server.url("/api/v1/uploads"),
        json={"sha256": sha, "size": len(data)},
        headers=h,
        timeout=10,
    )
    assert r.status_code == 201, r.text
    upload = r.json()["upload_id"]
    r = requests.put(
        sec.server.url(f"/api/v1/uploads/{upload}"),
        data=data,
        headers={**h, "Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"},
        timeout=10,
    )
    assert r.status_code == 200, r.text
    r = requests.post(sec.server.url(f"/api/v1/uploads/{upload}/complete"), headers=h, timeout=10)
    assert r.status_code == 200, r.text
    return sha


def test_another_secretary_may_not_touch_a_meeting_they_do_not_manage(
    server: LiveServer,
) -> None:
    owner, other = make_user(server, "secretary"), make_user(server, "secretary")
    draft = build_meeting(owner, [], status="draft")
    r = other.mutate(
        op("meeting", "update", draft["meeting"], {"title": "x"}, base_rev=10**9),
        op(
            "agenda_item",
            "create",
            new_id(),
            {"meeting_id": draft["meeting"], "position": 5, "title": "x"},
        ),
        op("agenda_item", "delete", draft["agenda"][0]),
    )
    assert [x["error"] for x in r] == ["not_found"] * 3, r
    # Taking part as a delegate in a published meeting shows it, but not for writing.
    published = build_meeting(owner, [(other, "normal")])
    r = other.mutate(
        op(
            "agenda_item",
            "create",
            new_id(),
            {"meeting_id": published["meeting"], "position": 5, "title": "x"},
        )
    )
    assert r[0]["error"] == "forbidden", r
    changes, _, _ = other.pull_all()
    assert published["meeting"] in ids_of(changes)
    assert published["secret_doc"] not in ids_of(changes)  # their clearance, not a manager's
    assert draft["meeting"] not in ids_of(changes)


def test_a_named_secretary_manages_the_meeting_until_the_row_goes(server: LiveServer) -> None:
    owner, helper = make_user(server, "secretary"), make_user(server, "secretary")
    ids = build_meeting(owner, [], status="draft")
    pid = _secretary_row(owner, ids["meeting"], helper)
    changes, _, cursor = helper.pull_all()
    assert {ids["meeting"], ids["secret_doc"], ids["secret_version"], ids["seat"]} <= ids_of(
        changes
    )
    item = new_id()
    r = helper.mutate(
        op(
            "agenda_item",
            "create",
            item,
            {"meeting_id": ids["meeting"], "position": 7, "title": "Bổ sung"},
        )
    )
    assert r[0]["status"] == "applied", r
    assert owner.mutate(op("participant", "delete", pid))[0]["status"] == "applied"
    changes, purge, _ = helper.pull_all(cursor)
    assert {"type": "meeting", "id": ids["meeting"]} in purge
    r = helper.mutate(op("agenda_item", "update", item, {"title": "y"}, base_rev=10**9))
    assert r[0]["error"] == "not_found", r


def test_blobs_of_a_meeting_are_only_for_its_managers_and_cleared_participants(
    server: LiveServer,
) -> None:
    owner, other = make_user(server, "secretary"), make_user(server, "secretary")
    m = build_meeting(owner, [], status="draft")
    data = b"%PDF-1.7\n" + secrets.token_bytes(2000)
    sha = _upload(owner, data)
    version = new_id()
    r = owner.mutate(
        op(
            "document_version",
            "create",
            version,
            {
                "document_id": m["doc"],
                "number": 2,
                "sha256": sha,
                "size": len(data),
                "page_count": 1,
            },
        )
    )
    assert r[0]["status"] == "applied", r
    url = server.url(f"/api/v1/blobs/{sha}")
    assert requests.get(url, headers=bearer(owner.token), timeout=10).content == data
    assert requests.get(url, headers=bearer(other.token), timeout=10).status_code == 404


def test_a_version_may_name_a_blob_not_uploaded_yet(server: LiveServer) -> None:
    sec = make_user(server, "secretary")
    m = build_meeting(sec, [])
    data = b"%PDF-1.7\n" + secrets.token_bytes(1500)
    sha = hashlib.sha256(data).hexdigest()
    version = new_id()
    r = sec.mutate(
        op(
            "document_version",
            "create",
            version,
            {
                "document_id": m["doc"],
                "number": 2,
                "sha256": sha,
                "size": len(data),
                "page_count": 1,
            },
        )
    )
    assert r[0]["status"] == "applied", r
    url = server.url(f"/api/v1/blobs/{sha}")
    missing = requests.get(url, headers=bearer(sec.token), timeout=10)
    assert missing.status_code == 404
    assert missing.json()["error"] == "blob_missing"
    _upload(sec, data)  # the other order: the bytes come afterwards
    assert requests.get(url, headers=bearer(sec.token), timeout=10).content == data


def test_unpublishing_tells_delegates_to_purge_the_meeting(server: LiveServer) -> None:
    sec, alice = make_user(server, "secretary"), make_user(server, "delegate")
    ids = build_meeting(sec, [(alice, "normal")])
    changes, _, cursor = alice.pull_all()
    assert ids["meeting"] in ids_of(changes)
    meeting_rev = next(c["entity"]["rev"] for c in changes if c["entity"]["id"] == ids["meeting"])
    r = sec.mutate(
        op("meeting", "update", ids["meeting"], {"status": "draft"}, base_rev=meeting_rev)
    )
    assert r[0]["status"] == "applied", r
    changes, purge, _ = alice.pull_all(cursor)
    assert {"type": "meeting", "id": ids["meeting"]} in purge
    assert ids["meeting"] not in ids_of(changes)
