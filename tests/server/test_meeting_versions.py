"""The meetings' versions kept per revision (server.meeting_versions): signed links follow
every write at once, the kept answer is the join's, and a stale revision is never served."""

from __future__ import annotations

import os

from sqlalchemy import select

from server.accounts import User, user_from_row
from server.blob_routes import visible_versions
from server.db import schema
from server.feed import current_revision
from server.meeting_versions import MeetingVersionCache, VersionEntry, read_meeting_versions
from tests.server.conftest import LiveServer, SyncClient, make_user, new_id, op
from tests.server.test_blob_links import links_of
from tests.server.test_blobs import meeting_with_blobs, put_blob


def user_of(server: LiveServer, client: SyncClient) -> User:
    with server.backend.engine.connect() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.id == client.user_id)).one()
    return user_from_row(row._mapping)


def assert_same_as_the_join(
    server: LiveServer, clients: list[SyncClient], hashes: list[str], cache: MeetingVersionCache
) -> None:
    """The cached answer of each client is the one the single join gives."""
    with server.backend.engine.connect() as conn:
        for client in clients:
            user = user_of(server, client)
            cached = visible_versions(conn, user, hashes, cache)
            assert cached == visible_versions(conn, user, hashes)


def test_links_follow_versions_clearance_and_access_at_once(server: LiveServer) -> None:
    sec = make_user(server, "secretary")
    alice = make_user(server, "delegate", "confidential")
    bob = make_user(server, "delegate", "normal")
    normal, secret, newer = (put_blob(server, os.urandom(200 + i)) for i in range(3))
    everything = [normal, secret, newer]
    ids = meeting_with_blobs(sec, [], normal, secret)
    parts = {alice.user_id: new_id(), bob.user_id: new_id()}
    sec.mutate(
        *(
            op(
                "participant",
                "create",
                parts[client.user_id],
                {
                    "meeting_id": ids["meeting"],
                    "display_name": "Đại biểu",
                    "user_id": client.user_id,
                    "clearance": clearance,
                },
            )
            for client, clearance in ((alice, "confidential"), (bob, "normal"))
        )
    )
    cache = MeetingVersionCache()
    clients = [sec, alice, bob]

    def step(expected: dict[SyncClient, set[str]]) -> None:
        for client, allowed in expected.items():
            assert set(links_of(client, everything)) == allowed
        assert_same_as_the_join(server, clients, everything, cache)

    step({alice: {normal, secret}, bob: {normal}, sec: {normal, secret}})

    # A new version of the normal document: everyone who sees it gets it at once.
    version = {
        "document_id": ids["doc"],
        "number": 2,
        "sha256": newer,
        "size": 10,
        "page_count": 1,
        "classification": "normal",
    }
    assert sec.mutate(op("document_version", "create", new_id(), version))[0]["status"] == "applied"
    step({alice: {normal, secret, newer}, bob: {normal, newer}})

    # Alice's clearance in the meeting is lowered: the confidential one goes.
    lowered = op(
        "participant", "update", parts[alice.user_id], {"clearance": "normal"}, base_rev=10**9
    )
    assert sec.mutate(lowered)[0]["status"] == "applied"
    step({alice: {normal, newer}, bob: {normal, newer}})

    # Bob is removed; the normal document is deleted.
    assert sec.mutate(op("participant", "delete", parts[bob.user_id]))[0]["status"] == "applied"
    assert sec.mutate(op("document", "delete", ids["doc"]))[0]["status"] == "applied"
    step({alice: set(), bob: set(), sec: {secret}})

    # Unpublished: no delegate sees anything of it; its secretary still does.
    draft = op("meeting", "update", ids["meeting"], {"status": "draft"}, base_rev=10**9)
    assert sec.mutate(draft)[0]["status"] == "applied"
    step({alice: set(), bob: set(), sec: {secret}})
    assert cache.hits > 0


def test_a_revision_the_database_has_passed_is_not_served(server: LiveServer) -> None:
    sec = make_user(server, "secretary")
    normal = put_blob(server, os.urandom(50))
    ids = meeting_with_blobs(sec, [], normal, "cd" * 32)
    cache = MeetingVersionCache()
    engine = server.backend.engine
    with engine.connect() as conn:
        now = current_revision(conn)
        # Asked as of an older revision (a write committed since): read, kept as of
        # the revision read, and not given to the caller, who falls back to the join.
        assert cache.versions(conn, ids["meeting"], now - 1) is None
        kept = cache.versions(conn, ids["meeting"], now)
        assert kept is not None
        assert sorted((e.sha256, e.version_id, e.rank) for e in kept) == sorted(
            [(normal, ids["version"], 0), ("cd" * 32, ids["secret_version"], 1)]
        )
        assert read_meeting_versions(conn, ids["meeting"]) == (now, kept)
        assert cache.hits == 1
    # An older list never replaces a newer one.
    cache.put(ids["meeting"], now - 1, ())
    assert cache.get(ids["meeting"], now) == kept
    # A meeting with no versions at all still reads its revision.
    with engine.connect() as conn:
        assert read_meeting_versions(conn, new_id()) == (now, ())


def test_the_cache_keeps_at_most_its_bound() -> None:
    cache = MeetingVersionCache(max_meetings=2)
    entry = (VersionEntry("ab" * 32, "v", 0),)
    for meeting in ("m1", "m2"):
        cache.put(meeting, 5, entry)
    assert cache.get("m1", 5) == entry  # m1 is now the most recently used
    cache.put("m3", 5, entry)
    assert cache.get("m2", 5) is None
    assert cache.get("m1", 5) == entry
    assert cache.get("m3", 5) == entry
    assert cache.get("m3", 6) is None  # another revision: not this list
