"""Preview as delegate equals what the delegate's own sync receives from the real server.

The offline preview (``meetingroom.preview``) and the server's rules
(``server/visibility.py``) are two codings of one policy; this test keeps
them equal on the demo meetings, for a delegate cleared for confidential
documents and one who is not, plus a draft meeting that must not reach them.
"""

from __future__ import annotations

from collections.abc import Callable

from meetingroom import services
from meetingroom.directory import list_directory
from meetingroom.domain import (
    Classification,
    MeetingId,
    MeetingStatus,
    Participant,
    ParticipantId,
    Role,
    UserId,
    new_id,
)
from meetingroom.preview import preview_as
from meetingroom.store import Store
from tests.sync._prepare import new_meeting
from tests.sync.conftest import Device, Seeded

MakeDevice = Callable[..., Device]


def _received(store: Store, meeting_id: MeetingId) -> dict[str, set[str]]:
    """Return the ids a delegate's store holds of one meeting, per protocol type."""
    repos = store.repos
    documents = repos.documents.list('"meeting_id" = ?', [meeting_id]).items
    versions = [v for d in documents for v in repos.versions.list('"document_id" = ?', [d.id])]
    rooms = repos.rooms.list('"meeting_id" = ?', [meeting_id]).items
    return {
        "meeting": {meeting_id},
        "agenda_item": {a.id for a in repos.agenda_items.list('"meeting_id" = ?', [meeting_id])},
        "document": {d.id for d in documents},
        "document_version": {v.id for v in versions},
        "participant": {p.id for p in repos.participants.list('"meeting_id" = ?', [meeting_id])},
        "room": {r.id for r in rooms},
        "seat": {s.id for r in rooms for s in repos.seats.list('"room_id" = ?', [r.id])},
        "annotation": {
            a.id for v in versions for a in repos.annotations.list('"version_id" = ?', [v.id])
        },
    }


def test_preview_as_a_delegate_matches_their_real_sync(
    seeded: Seeded, make_device: MakeDevice
) -> None:
    secretary = make_device("thuky", seeded.password("thuky"))
    secretary.engine.sync()
    store = secretary.store
    users = {e.username: e.user_id for e in list_directory(store)}
    # A draft the delegates take part in: previewed, but not received yet.
    draft = new_meeting(store, "Họp chuẩn bị (bản nháp)", MeetingStatus.DRAFT)
    for username in ("daibieu01", "daibieu08"):
        services.save(
            store,
            Participant(
                id=ParticipantId(new_id()),
                meeting_id=draft.id,
                display_name=username,
                user_id=UserId(users[username]),
                clearance=Classification.CONFIDENTIAL,
            ),
        )
    secretary.engine.sync(("push", "pull"))
    meetings = services.list_meetings(store).items
    hidden_somewhere = False
    for username in ("daibieu01", "daibieu08"):
        delegate = make_device(username, seeded.password(username))
        delegate.engine.sync()
        got_meetings = {m.id for m in services.list_meetings(delegate.store).items}
        previewed: set[str] = set()
        for meeting in meetings:
            rows = [
                p
                for p in services.participants(store, meeting.id).items
                if p.user_id == users[username]
            ]
            if not rows:
                continue
            pack = preview_as(store, meeting.id, rows[0].id)
            assert pack.account_known
            assert not pack.manager
            if meeting.id == draft.id:
                assert not pack.receives_now
                assert pack.reason == "draft"
                continue
            assert pack.receives_now, (username, meeting.title, pack.reason)
            previewed.add(meeting.id)
            assert pack.ids() == _received(delegate.store, meeting.id), (username, meeting.title)
            hidden_somewhere |= bool(pack.hidden_documents)
            seat = pack.own_seat
            if seat is not None:
                theirs = delegate.store.repos.seats.get(seat.id)
                assert theirs.participant_id in {r.id for r in rows}
        assert previewed == got_meetings
        assert draft.id not in got_meetings
    # daibieu08 (normal clearance) misses the demo's confidential report:
    # the comparison above covered a document the preview hides.
    assert hidden_somewhere


def test_a_secretary_participant_previews_everything(
    seeded: Seeded, make_device: MakeDevice
) -> None:
    secretary = make_device("thuky", seeded.password("thuky"))
    secretary.engine.sync(("pull",))
    store = secretary.store
    accounts = {e.user_id: e for e in list_directory(store)}
    managers = others = 0
    for meeting in services.list_meetings(store).items:
        for row in services.participants(store, meeting.id).items:
            pack = preview_as(store, meeting.id, row.id)
            if row.user_id is None:
                assert pack.reason == "no_account"
                continue
            account = accounts[row.user_id]
            if account.role is Role.SECRETARY and row.role is Role.SECRETARY:
                managers += 1
                assert pack.manager
                assert not pack.hidden_documents
                assert pack.clearance is Classification.TOP_SECRET
            else:
                others += 1
                assert not pack.manager
                assert pack.clearance.rank <= account.clearance.rank
    assert managers
    assert others
