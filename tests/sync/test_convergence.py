"""Hypothesis stateful: three clients (two devices of one delegate, one of
another) and the server, with random offline annotation and note edits and
syncs in random order. After everyone syncs twice, every client holds what
the server lets its user see, and every edit is the final value, superseded
by a later edit, or kept as a conflict copy: none is lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from meetingroom import services
from meetingroom.domain import (
    Annotation,
    AnnotationId,
    AnnotationKind,
    DocumentVersionId,
    MeetingId,
    Note,
    NoteId,
    UserId,
    Visibility,
)
from tests.server.conftest import LiveServer, new_id
from tests.sync._support import server_view, snapshot
from tests.sync.conftest import Device, User, build_meeting, new_user

CLIENTS = st.integers(0, 2)
PICK = st.integers(0, 1_000)
WORDS = st.sampled_from(["đồng ý", "phản đối", "xem lại", "ok", ""])
COLOURS = st.sampled_from(["#ffd400", "#00ff00", "#ff0000"])
SYNCED = ("annotations", "notes")


def test_random_offline_edits_on_three_clients_converge_without_losing_an_edit(
    live: LiveServer, make_device: Callable[..., Device]
) -> None:
    class Convergence(RuleBasedStateMachine):
        @initialize()
        def setup(self) -> None:
            secretary, a, b = new_user(live, "secretary"), new_user(live), new_user(live)
            ids = build_meeting(secretary, [a, b], doc_size=2_000)
            self.meeting, self.version = ids["meeting"], ids["version"]
            self.users: list[User] = [a, a, b]
            self.devices = [make_device(u.username) for u in self.users]
            for device in self.devices:
                device.engine.sync()
            # (client, table, entity id, field, value), in the order the edits were made
            self.edits: list[tuple[int, str, str, str, object]] = []
            self.deleted: set[str] = set()

        def _own(self, client: int, pick: int) -> Annotation | None:
            mine = [
                x
                for x in services.annotations(self.devices[client].store, self.version).items
                if x.author_id == self.users[client].id
            ]
            return mine[pick % len(mine)] if mine else None

        @rule(client=CLIENTS, text=WORDS, shared=st.booleans())
        def create_annotation(self, client: int, text: str, shared: bool) -> None:
            ann = Annotation(
                id=AnnotationId(new_id()),
                version_id=DocumentVersionId(self.version),
                page=0,
                kind=AnnotationKind.HIGHLIGHT,
                geometry=((1.0, 2.0, 3.0, 4.0),),
                author_id=UserId(self.users[client].id),
                text=text,
                visibility=Visibility.SHARED if shared else Visibility.PRIVATE,
            )
            services.save(self.devices[client].store, ann)
            self.edits.append((client, "annotations", ann.id, "text", text))

        @rule(client=CLIENTS, pick=PICK, text=WORDS)
        def edit_text(self, client: int, pick: int, text: str) -> None:
            if (ann := self._own(client, pick)) is not None:
                services.save(self.devices[client].store, ann.touched(text=text))
                self.edits.append((client, "annotations", ann.id, "text", text))

        @rule(client=CLIENTS, pick=PICK, colour=COLOURS)
        def edit_colour(self, client: int, pick: int, colour: str) -> None:
            if (ann := self._own(client, pick)) is not None:
                services.save(self.devices[client].store, ann.touched(colour=colour))
                self.edits.append((client, "annotations", ann.id, "colour", colour))

        @rule(client=CLIENTS, pick=PICK)
        def delete_annotation(self, client: int, pick: int) -> None:
            if (ann := self._own(client, pick)) is not None:
                services.delete(self.devices[client].store, ann)
                self.deleted.add(ann.id)

        @rule(client=CLIENTS, text=WORDS)
        def edit_note(self, client: int, text: str) -> None:
            store, user = self.devices[client].store, self.users[client]
            found = services.notes(store, MeetingId(self.meeting), UserId(user.id)).items
            if found:
                note = found[0].touched(text=text)
            else:
                note = Note(NoteId(new_id()), MeetingId(self.meeting), UserId(user.id), text)
            services.save(store, note)
            self.edits.append((client, "notes", note.id, "text", text))

        @rule(client=CLIENTS)
        def sync(self, client: int) -> None:
            assert self.devices[client].engine.sync().complete

        def teardown(self) -> None:
            if not hasattr(self, "devices"):
                return
            for _ in range(2):
                for device in self.devices:
                    assert device.engine.sync().complete
            views: list[dict[str, Any]] = []
            for client, device in enumerate(self.devices):
                assert device.store.outbox.count() == 0
                mine = snapshot(device.store)
                theirs = server_view(self.users[client].api)
                for table in SYNCED:
                    assert mine[table] == theirs[table], (client, table)
                views.append(mine)
            assert {t: views[0][t] for t in SYNCED} == {t: views[1][t] for t in SYNCED}
            conflicts = [d.store.conflicts.list() for d in self.devices]
            for n, (client, table, entity_id, field, value) in enumerate(self.edits):
                final = views[client][table].get(entity_id)
                if final is not None and final[field] == value:
                    continue
                if entity_id in self.deleted and final is None:
                    continue  # deleted on purpose by its author
                if any(e[2] == entity_id and e[3] == field for e in self.edits[n + 1 :]):
                    continue  # a later edit of the same field replaced it
                kept = [
                    c
                    for c in conflicts[client]
                    if c.entity_id == entity_id and c.local.get(field) == value
                ]
                assert kept, f"edit lost: {table} {entity_id} {field}={value!r}"

    run_state_machine_as_test(
        Convergence,
        settings=settings(
            max_examples=10,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
