"""Access grant and loss: newly visible entities arrive, lost ones are purged."""

from __future__ import annotations

from tests.server.conftest import LiveServer, build_meeting, ids_of, make_user, new_id, op


def test_added_later_gets_the_whole_meeting_from_an_old_cursor(server: LiveServer) -> None:
    sec = make_user(server, "secretary")
    alice = make_user(server, "delegate")
    _, _, cursor = alice.pull_all()
    ids = build_meeting(sec, [])
    changes, _, cursor = alice.pull_all(cursor)
    assert ids["meeting"] not in ids_of(changes)
    pid = new_id()
    r = sec.mutate(
        op(
            "participant",
            "create",
            pid,
            {"meeting_id": ids["meeting"], "display_name": "Hà", "user_id": alice.user_id},
        )
    )
    assert r[0]["status"] == "applied"
    changes, _, _ = alice.pull_all(cursor, limit=3)
    seen = ids_of(changes)
    assert {ids["meeting"], ids["doc"], ids["version"], ids["room"], ids["seat"], pid} <= seen
    assert set(ids["agenda"]) <= seen
    assert ids["secret_doc"] not in seen


def test_removed_unpublished_or_clearance_lowered_is_purged(server: LiveServer) -> None:
    sec = make_user(server, "secretary")
    alice = make_user(server, "delegate", "confidential")
    bob = make_user(server, "delegate")
    carol = make_user(server, "delegate", "confidential")
    ids = build_meeting(sec, [(alice, "confidential"), (bob, "normal"), (carol, "confidential")])
    cursors = {}
    for c in (alice, bob, carol):
        changes, _, cursors[c.user_id] = c.pull_all()
        assert ids["meeting"] in ids_of(changes)
    assert ids["secret_doc"] in ids_of(alice.pull_all()[0])

    # Carol's clearance in the meeting is lowered: the confidential document goes.
    parts = ids["participants"]
    r = sec.mutate(
        op("participant", "update", parts[carol.user_id], {"clearance": "normal"}, base_rev=10**9)
    )
    assert r[0]["status"] == "applied", r
    changes, purge, cursors[carol.user_id] = carol.pull_all(cursors[carol.user_id])
    assert {"type": "document", "id": ids["secret_doc"]} in purge
    assert {"type": "document_version", "id": ids["secret_version"]} in purge
    assert ids["secret_doc"] not in ids_of(changes)

    # Bob is removed from the meeting.
    r = sec.mutate(op("participant", "delete", parts[bob.user_id]))
    assert r[0]["status"] == "applied"
    changes, purge, _ = bob.pull_all(cursors[bob.user_id])
    assert {"type": "meeting", "id": ids["meeting"]} in purge
    assert ids["meeting"] not in ids_of(changes)

    # The meeting is unpublished: everyone else loses it.
    r = sec.mutate(op("meeting", "update", ids["meeting"], {"status": "draft"}, base_rev=10**9))
    assert r[0]["status"] == "applied"
    for c in (alice, carol):
        changes, purge, _ = c.pull_all(cursors[c.user_id])
        assert {"type": "meeting", "id": ids["meeting"]} in purge
        assert not ids_of(changes) & {ids["meeting"], ids["doc"]}
    # And from scratch, nothing of it.
    assert ids["meeting"] not in ids_of(alice.pull_all()[0])
