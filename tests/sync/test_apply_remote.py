"""``services.apply_remote`` and push operations on a real store (no server needed)."""

from __future__ import annotations

import dataclasses

from meetingroom import services
from meetingroom.domain import (
    Annotation,
    AnnotationId,
    AnnotationKind,
    DocumentVersionId,
    UserId,
    new_id,
)
from meetingroom.store import Store
from sync import remote


def _server_annotation(rev: int, text: str = "máy chủ") -> Annotation:
    return Annotation(
        id=AnnotationId("a-1"),
        version_id=DocumentVersionId("v-1"),
        page=0,
        kind=AnnotationKind.INK,
        geometry=((1.0, 2.0, 3.0, 4.0),),
        author_id=UserId("u-1"),
        text=text,
        rev=rev,
    )


def test_newer_server_states_apply_with_the_cursor_and_no_outbox_entry(store: Store) -> None:
    services.apply_remote(store, [_server_annotation(5)], cursor="c1")
    assert store.sync_state.cursor == "c1"
    assert store.outbox.count() == 0
    services.apply_remote(store, [_server_annotation(4, "cũ hơn")], cursor="c2")
    assert store.repos.annotations.get("a-1").text == "máy chủ"  # older rev ignored
    services.apply_remote(store, [_server_annotation(9, "mới")])
    assert store.repos.annotations.get("a-1").text == "mới"
    assert store.sync_state.cursor == "c2"


def test_a_pending_local_edit_is_kept_and_pushes_only_its_changed_fields(store: Store) -> None:
    services.apply_remote(store, [_server_annotation(5)])
    local = store.repos.annotations.get("a-1")
    services.save(store, local.touched(text="của tôi"))
    services.apply_remote(store, [_server_annotation(7, "người khác")], cursor="c")
    assert store.repos.annotations.get("a-1").text == "của tôi"
    (entry,) = store.outbox.pending()
    assert entry.base_rev == 5
    op = remote.operation(entry, store.repos.annotations.get("a-1"), store.outbox.base(entry))
    assert op["action"] == "update"
    assert op["fields"] == {"text": "của tôi"}
    assert store.sync_state.cursor == "c"


def test_server_json_round_trips_through_the_codec() -> None:
    ann = dataclasses.replace(_server_annotation(3), id=AnnotationId(new_id()))
    raw = remote.encode(ann)
    assert raw["geometry"] == [[1.0, 2.0, 3.0, 4.0]]
    assert (
        remote.decode("annotation", {**raw, "updated_at": "2026-11-23T14:01:02.123456Z"}).id
        == ann.id
    )
    assert remote.decode("annotation", raw) == ann
