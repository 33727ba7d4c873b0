"""The change feed: visibility per role and clearance, pagination, cursors."""

from __future__ import annotations

import base64
import json

from tests.server.conftest import LiveServer, build_meeting, ids_of, make_user, new_id, op


def test_delegate_sees_only_published_meetings_they_take_part_in(server: LiveServer) -> None:
    sec = make_user(server, "secretary")
    alice = make_user(server, "delegate", "confidential")
    bob = make_user(server, "delegate", "confidential")
    _, _, alice_cursor = alice.pull_all()
    ids = build_meeting(sec, [(alice, "normal")], status="draft")
    other = build_meeting(sec, [(bob, "confidential")])
    changes, _, alice_cursor = alice.pull_all(alice_cursor)
    assert ids["meeting"] not in ids_of(changes)  # still a draft
    assert other["meeting"] not in ids_of(changes)

    meeting = next(
        r["entity"] for r in sec.mutate(op("meeting", "update", ids["meeting"], {}))
    )  # no-op update returns the current state
    r = sec.mutate(
        op("meeting", "update", ids["meeting"], {"status": "published"}, base_rev=meeting["rev"])
    )
    assert r[0]["status"] == "applied", r
    changes, _, _ = alice.pull_all(alice_cursor)
    seen = ids_of(changes)
    assert {ids["meeting"], ids["doc"], ids["version"], ids["room"], ids["seat"]} <= seen
    assert set(ids["agenda"]) <= seen
    assert ids["participants"][alice.user_id] in seen
    # Participant clearance "normal" caps her account's "confidential".
    assert ids["secret_doc"] not in seen
    assert ids["secret_version"] not in seen
    # Nothing of Bob's meeting, ever.
    everything, _, _ = alice.pull_all()
    assert not (ids_of(everything) & {other["meeting"], other["doc"], *other["agenda"]})
    by_type = {c["type"] for c in changes}
    assert by_type >= {"meeting", "agenda_item", "document", "document_version", "participant"}
    entity = next(c["entity"] for c in changes if c["entity"]["id"] == ids["meeting"])
    assert entity["status"] == "published"
    assert entity["starts_at"] == "2026-11-24T01:00:00Z"
    assert set(entity) == {
        "id",
        "title",
        "starts_at",
        "ends_at",
        "location",
        "status",
        "classification",
        "description",
        "rev",
        "updated_at",
        "deleted",
    }

    # Bob (confidential in his meeting) sees its confidential document.
    bob_changes, _, _ = bob.pull_all()
    assert other["secret_doc"] in ids_of(bob_changes)
    assert ids["meeting"] not in ids_of(bob_changes)


def test_secretaries_see_the_meetings_they_manage(server: LiveServer) -> None:
    sec = make_user(server, "secretary")
    other_sec = make_user(server, "secretary")
    ids = build_meeting(sec, [], status="draft")
    everything = {ids["meeting"], ids["secret_doc"], ids["secret_version"]}
    changes, _, _ = sec.pull_all()
    assert everything <= ids_of(changes)  # the creator
    changes, _, cursor = other_sec.pull_all()
    assert not everything & ids_of(changes)  # not theirs
    # Named a secretary of the meeting, they manage it and receive all of it.
    results = sec.mutate(
        op(
            "participant",
            "create",
            new_id(),
            {
                "meeting_id": ids["meeting"],
                "display_name": "Thư ký",
                "role": "secretary",
                "user_id": other_sec.user_id,
            },
        )
    )
    assert results[0]["status"] == "applied", results
    changes, _, _ = other_sec.pull_all(cursor)
    assert everything <= ids_of(changes)


def test_private_annotations_and_notes_stay_with_their_author(server: LiveServer) -> None:
    sec = make_user(server, "secretary")
    alice = make_user(server, "delegate")
    bob = make_user(server, "delegate")
    ids = build_meeting(sec, [(alice, "normal"), (bob, "normal")])
    private, shared, note = new_id(), new_id(), new_id()
    fields = {"version_id": ids["version"], "page": 0, "kind": "highlight"}
    results = alice.mutate(
        op(
            "annotation",
            "create",
            private,
            {**fields, "geometry": [[1, 2, 3, 4]], "author_id": alice.user_id},
        ),
        op(
            "annotation",
            "create",
            shared,
            {
                **fields,
                "geometry": [[1, 2, 3, 4]],
                "author_id": alice.user_id,
                "visibility": "shared",
            },
        ),
        op(
            "note",
            "create",
            note,
            {"meeting_id": ids["meeting"], "author_id": alice.user_id, "text": "riêng"},
        ),
    )
    assert [r["status"] for r in results] == ["applied"] * 3, results
    assert results[0]["entity"]["geometry"] == [[1.0, 2.0, 3.0, 4.0]]
    bob_changes, _, _ = bob.pull_all()
    assert shared in ids_of(bob_changes)
    assert private not in ids_of(bob_changes)
    assert note not in ids_of(bob_changes)
    sec_changes, _, _ = sec.pull_all()
    assert note not in ids_of(sec_changes)
    assert private not in ids_of(sec_changes)
    alice_changes, _, _ = alice.pull_all()
    assert {private, shared, note} <= ids_of(alice_changes)

    # Bob cannot touch them by id either.
    for type_, ident in (("annotation", private), ("annotation", shared), ("note", note)):
        r = bob.mutate(op(type_, "update", ident, {"text": "x"}, base_rev=0))
        assert r[0]["status"] == "rejected", r
        assert r[0]["error"] in {"not_found", "forbidden"}
        r = bob.mutate(op(type_, "delete", ident))
        assert r[0]["status"] == "rejected", r
    # Nor read the confidential version by annotating it.
    r = bob.mutate(
        op(
            "annotation",
            "create",
            new_id(),
            {
                **fields,
                "version_id": ids["secret_version"],
                "geometry": [],
                "author_id": bob.user_id,
            },
        )
    )
    assert r[0]["status"] == "rejected"
    assert r[0]["error"] == "not_found"


def test_pagination_returns_every_entity_exactly_once(server: LiveServer) -> None:
    sec = make_user(server, "secretary")
    alice = make_user(server, "delegate")
    ids = build_meeting(sec, [(alice, "normal")], agenda_items=23)
    expected = {ids["meeting"], ids["doc"], ids["version"], ids["room"], ids["seat"]}
    expected |= set(ids["agenda"]) | set(ids["participants"].values())
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        r = alice.pull(cursor, limit=4)
        assert r.status_code == 200, r.text
        body = r.json()
        assert len(body["changes"]) + len(body["purge"]) <= 4
        seen += [c["entity"]["id"] for c in body["changes"]]
        cursor = body["cursor"]
        pages += 1
        if not body["has_more"]:
            break
    assert sorted(seen) == sorted(expected)
    assert pages >= len(expected) // 4
    # Nothing new: an empty page, same position.
    again = alice.pull(cursor).json()
    assert again["changes"] == []
    assert again["purge"] == []
    assert not again["has_more"]


def test_bad_or_future_cursor_is_resync_required(server: LiveServer) -> None:
    alice = make_user(server, "delegate")
    future = base64.urlsafe_b64encode(json.dumps({"v": 1, "rev": 10**12}).encode()).decode()
    for cursor in ("garbage!!", "", "e30", future, "A" * 900):
        r = alice.pull(cursor)
        assert r.status_code == 410, (cursor, r.text)
        assert r.json()["error"] == "resync_required"
    for limit in ("0", "2001", "x"):
        r = alice.pull(None, limit)  # type: ignore[arg-type]
        assert r.status_code == 422


def test_feed_requires_a_token(server: LiveServer) -> None:
    import requests

    r = requests.get(server.url("/api/v1/changes"), timeout=10)
    assert r.status_code == 401


def test_cursor_with_odd_contents_is_resync_not_5xx(server: LiveServer) -> None:
    alice = make_user(server, "delegate")
    for data in (
        {"v": 1, "rev": 0, "at": [1, "", 1, "a\u0000b"]},
        {"v": 1, "rev": 0, "at": [1, "x" * 500, 1, ""]},
        {"v": 1, "rev": 2**70},
        {"v": 1, "rev": 0, "chain": [0, 2**80]},
        {"v": 2, "rev": 0},
        [1, 2],
    ):
        cursor = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
        r = alice.pull(cursor)
        assert r.status_code == 410, (data, r.text)
