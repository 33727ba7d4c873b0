"""The shared first-page cache of the feed: never a page of one user for another whose
visibility differs (clearance, own annotations and notes, lost meetings), and a new page
after every write."""

from __future__ import annotations

from typing import Any

from server.accounts import User, list_users
from server.feed import FirstPageCache, pull_json
from tests.server.conftest import (
    LiveServer,
    SyncClient,
    build_meeting,
    ids_of,
    make_user,
    new_id,
    op,
)


def _first_page(client: SyncClient) -> dict[str, Any]:
    r = client.pull()
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    assert body["has_more"] is False
    return body


def _user(server: LiveServer, client: SyncClient) -> User:
    with server.backend.engine.connect() as conn:
        return next(u for u in list_users(conn) if u.id == client.user_id)


def _annotation(author: SyncClient, version: str, visibility: str) -> str:
    ident = new_id()
    fields = {
        "version_id": version,
        "page": 0,
        "kind": "highlight",
        "geometry": [[1.0, 2.0, 3.0, 4.0]],
        "author_id": author.user_id,
        "text": f"ghi chú {visibility}",
        "visibility": visibility,
    }
    result = author.mutate(op("annotation", "create", ident, fields))[0]
    assert result["status"] == "applied", result
    return ident


def test_users_who_see_differently_never_get_each_others_first_page(
    server: LiveServer,
) -> None:
    secretary = make_user(server, "secretary", "top_secret")
    low, twin = make_user(server), make_user(server)
    high = make_user(server, "delegate", "confidential")
    writer, loser = make_user(server), make_user(server)
    members = [(c, "normal") for c in (low, twin, writer, loser)] + [(high, "confidential")]
    ids = build_meeting(secretary, members)
    other = build_meeting(secretary, [(loser, "normal")])
    # The loser took part in another meeting and was removed from it.
    gone = secretary.mutate(op("participant", "delete", other["participants"][loser.user_id]))
    assert gone[0]["status"] == "applied"
    private = _annotation(writer, ids["version"], "private")
    shared = _annotation(writer, ids["version"], "shared")
    note = new_id()
    wrote = writer.mutate(
        op(
            "note",
            "create",
            note,
            {"meeting_id": ids["meeting"], "author_id": writer.user_id, "text": "riêng"},
        )
    )
    assert wrote[0]["status"] == "applied"

    # Twice each, in an order where every cached page could be offered to the next user.
    pages: dict[str, list[dict[str, Any]]] = {}
    for _ in range(2):
        for name, client in (
            ("high", high),
            ("low", low),
            ("writer", writer),
            ("twin", twin),
            ("loser", loser),
            ("secretary", secretary),
        ):
            pages.setdefault(name, []).append(_first_page(client))
    for name, (first, second) in pages.items():
        assert first == second, name

    def seen(name: str) -> set[str]:
        return ids_of(pages[name][0]["changes"])

    secret = {ids["secret_doc"], ids["secret_version"]}
    assert secret <= seen("high")
    assert secret <= seen("secretary")
    for name in ("low", "twin", "writer", "loser"):
        assert not secret & seen(name), name
    # Own annotations and notes are the writer's; the shared one reaches everyone.
    assert {private, shared, note} <= seen("writer")
    for name in ("low", "twin", "high", "loser", "secretary"):
        assert private not in seen(name), name
        assert note not in seen(name), name
        assert shared in seen(name), name
    # The loser is told to purge the meeting it lost; nobody else hears of it.
    assert {"type": "meeting", "id": other["meeting"]} in pages["loser"][0]["purge"]
    for name in ("low", "twin", "high", "writer"):
        assert other["meeting"] not in seen(name)
        assert not pages[name][0]["purge"], name
    # Two users who see the same get the same page (the one the cache shares).
    assert pages["low"][0] == pages["twin"][0]


def test_a_cached_first_page_is_the_page_and_any_write_makes_a_new_one(
    server: LiveServer,
) -> None:
    secretary = make_user(server, "secretary", "top_secret")
    a, b = make_user(server), make_user(server)
    writer = make_user(server)
    ids = build_meeting(secretary, [(a, "normal"), (b, "normal"), (writer, "normal")])
    _annotation(writer, ids["version"], "private")
    engine = server.backend.engine
    cache = FirstPageCache()
    users = [_user(server, c) for c in (a, b, writer, secretary)]
    for user in users:
        assert pull_json(engine, user, None, 500, cache) == pull_json(engine, user, None, 500)
    # a's page served b; the writer (own annotation) was never cached.
    assert cache.hits == 1
    before = pull_json(engine, users[0], None, 500, cache)
    assert cache.hits == 2
    item = new_id()
    secretary.mutate(
        op(
            "agenda_item",
            "create",
            item,
            {"meeting_id": ids["meeting"], "position": 9, "title": "Mới"},
        )
    )
    after = pull_json(engine, users[1], None, 500, cache)
    assert cache.hits == 2  # a new revision: a new key
    assert item.encode() in after
    assert item.encode() not in before
    assert after == pull_json(engine, users[1], None, 500)
    # A small page size is part of the key too.
    assert pull_json(engine, users[0], None, 3, cache) == pull_json(engine, users[0], None, 3)


def test_the_cache_is_bounded() -> None:
    cache = FirstPageCache(max_bytes=100)
    for i in range(10):
        cache.put(("k", i), b"x" * 20)
    assert cache.get(("k", 0)) is None
    assert cache.get(("k", 9)) == b"x" * 20
    cache.put("big", b"y" * 60)  # over a quarter of the bound: never stored
    assert cache.get("big") is None
