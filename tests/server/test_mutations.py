"""Mutations: idempotency, field-wise merge, conflicts, role rules, bad input."""

from __future__ import annotations

from typing import Any

from tests.server.conftest import LiveServer, SyncClient, build_meeting, make_user, new_id, op


def _annotation(server: LiveServer) -> tuple[SyncClient, str, dict[str, Any]]:
    sec = make_user(server, "secretary")
    alice = make_user(server, "delegate")
    ids = build_meeting(sec, [(alice, "normal")])
    ann = new_id()
    r = alice.mutate(
        op(
            "annotation",
            "create",
            ann,
            {
                "version_id": ids["version"],
                "page": 1,
                "kind": "note",
                "geometry": [[0, 0, 10, 10]],
                "author_id": alice.user_id,
                "text": "gốc",
            },
        )
    )
    assert r[0]["status"] == "applied", r
    return alice, ann, r[0]["entity"]


def test_replayed_op_returns_the_first_result_and_applies_once(server: LiveServer) -> None:
    alice, ann, entity = _annotation(server)
    once = op("annotation", "update", ann, {"text": "một"}, base_rev=entity["rev"])
    first = alice.mutate(once)[0]
    assert first["status"] == "applied"
    second = alice.mutate(once, once)
    assert second == [first, first]
    _, _, cursor = alice.pull_all()
    assert alice.pull(cursor).json()["changes"] == []


def test_same_field_from_same_base_conflicts_other_fields_merge(server: LiveServer) -> None:
    alice, ann, entity = _annotation(server)
    base = entity["rev"]
    laptop = alice.mutate(op("annotation", "update", ann, {"text": "laptop"}, base_rev=base))
    assert laptop[0]["status"] == "applied"
    tablet = alice.mutate(op("annotation", "update", ann, {"text": "tablet"}, base_rev=base))
    assert tablet[0]["status"] == "conflict", tablet
    assert tablet[0]["fields"] == ["text"]
    assert tablet[0]["entity"]["text"] == "laptop"
    # The same value from the same base is no conflict.
    same = alice.mutate(op("annotation", "update", ann, {"text": "laptop"}, base_rev=base))
    assert same[0]["status"] == "applied"
    # A different field from the same old base merges.
    colour = alice.mutate(op("annotation", "update", ann, {"colour": "#00FF00"}, base_rev=base))
    assert colour[0]["status"] == "applied", colour
    assert colour[0]["entity"]["text"] == "laptop"
    assert colour[0]["entity"]["colour"] == "#00ff00"
    assert colour[0]["rev"] > laptop[0]["rev"]


def test_role_rules(server: LiveServer) -> None:
    sec = make_user(server, "secretary")
    chair = make_user(server, "chair")
    alice = make_user(server, "delegate")
    ids = build_meeting(sec, [(alice, "normal"), (chair, "normal")])
    m = ids["meeting"]
    r = alice.mutate(
        op("meeting", "update", m, {"status": "closed"}, base_rev=10**9),
        op("agenda_item", "create", new_id(), {"meeting_id": m, "position": 9, "title": "x"}),
        op("note", "create", new_id(), {"meeting_id": m, "author_id": sec.user_id, "text": "x"}),
    )
    assert [x["status"] for x in r] == ["rejected"] * 3, r
    assert {x["error"] for x in r} == {"forbidden"}
    r = chair.mutate(op("meeting", "update", m, {"title": "mới"}, base_rev=10**9))
    assert r[0]["status"] == "rejected"
    r = chair.mutate(op("meeting", "update", m, {"status": "closed"}, base_rev=10**9))
    assert r[0]["status"] == "applied", r
    assert r[0]["entity"]["status"] == "closed"
    # Create with an id someone else owns.
    r = alice.mutate(op("room", "create", ids["room"], {"meeting_id": m, "name": "x"}))
    assert r[0]["status"] == "rejected"


def test_bad_input_is_rejected_never_a_5xx(server: LiveServer) -> None:
    sec = make_user(server, "secretary")
    m = new_id()
    good = {"title": "t", "starts_at": "2026-01-01T00:00:00Z", "ends_at": "2026-01-01T01:00:00Z"}
    bad_ops = [
        op("widget", "create", new_id(), {}),
        op("meeting", "explode", m, good),
        op("meeting", "create", m, {**good, "status": "secretly"}),
        op("meeting", "create", m, {**good, "title": 5}),
        op("meeting", "create", m, {**good, "starts_at": "yesterday"}),
        op("meeting", "create", m, {**good, "starts_at": "2026-01-01T00:00:00"}),
        op("meeting", "create", m, {**good, "colour": "red"}),
        op("meeting", "create", m, {"title": "t"}),
        op("meeting", "create", "bad id with spaces", good),
        op(
            "agenda_item", "create", new_id(), {"meeting_id": new_id(), "position": 1, "title": "t"}
        ),
        op("meeting", "update", new_id(), {"title": "t"}),
        {"op_id": 5},
        "not an object",
        {**op("meeting", "create", m, good), "base_rev": "3"},
        {**op("meeting", "create", m, good), "fields": []},
    ]
    results = sec.mutate(*bad_ops)
    assert [x["status"] for x in results] == ["rejected"] * len(bad_ops), results
    assert results[0]["error"] == "unknown_type"
    assert all(x["message"] for x in results)
    too_many = sec.mutate_raw({"operations": [op("meeting", "delete", m)] * 501})
    assert too_many.status_code == 422
    bodies: list[object] = [{}, {"operations": "x"}, [], {"operations": None}]
    for body in bodies:
        r = sec.mutate_raw(body)
        assert r.status_code == 422, r.text


def test_out_of_range_values_are_rejected(server: LiveServer) -> None:
    sec = make_user(server, "secretary")
    m = new_id()
    good = {"title": "t", "starts_at": "2026-01-01T00:00:00Z", "ends_at": "2026-01-01T01:00:00Z"}
    r = sec.mutate(op("meeting", "create", m, good))
    assert r[0]["status"] == "applied"
    bad = [
        op("meeting", "create", new_id(), {**good, "starts_at": "0001-01-01T00:00:00+01:00"}),
        op("meeting", "create", new_id(), {**good, "title": "\ud800"}),
        op("agenda_item", "create", new_id(), {"meeting_id": m, "position": 2**40, "title": "t"}),
        op("room", "create", new_id(), {"meeting_id": m, "name": "r", "width": 1e300}),
    ]
    resp = sec.mutate_raw({"operations": bad})
    assert resp.status_code == 200, resp.text
    results = resp.json()["results"]
    assert [x["status"] for x in results] == ["rejected"] * len(bad), results
