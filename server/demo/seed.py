"""Load the demo organisation (:mod:`server.demo.organisation`) into a server's database.

Accounts are created with :func:`server.accounts.create_user`; everything else
goes through :func:`server.mutations.apply_batch` as the demo secretary, the
same write path as ``POST /api/v1/mutations``, so revisions, field revisions
and access events are exactly what a real secretary's edits would produce.
The PDFs are rendered once and stored in the blob store under the data
directory, so clients can download them by hash.

Each meeting is built in two batches: the first creates it as a draft with
its agenda, participants, room, seats, documents and versions; the second
points every document at its version and sets the meeting's final status
(published or closed), which is when participants gain access.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pymupdf
from sqlalchemy import Engine, func, select, update

from meetingroom.domain import MeetingStatus, Role, new_id
from server import accounts
from server.accounts import User
from server.auth import hash_password
from server.blobstore import FileBlobStore
from server.db import schema
from server.demo.organisation import DemoAccount, DemoMeeting, DemoOrganisation, build_demo
from server.demo.pdfs import render_document
from server.entities import format_datetime
from server.mutations import apply_batch


class SeedError(Exception):
    """The demo cannot be loaded; the message says why, for a person."""


@dataclass(frozen=True, slots=True)
class SeededMeeting:
    """The ids a seeded meeting received (for tests and scripts)."""

    key: str
    id: str
    title: str
    documents: int


@dataclass(frozen=True, slots=True)
class SeedResult:
    """What :func:`seed_demo` created: the accounts (with passwords) and the meetings."""

    accounts: tuple[DemoAccount, ...]
    meetings: tuple[SeededMeeting, ...]


Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def _op(
    type_: str, action: str, ident: str, fields: dict[str, Any], base_rev: int | None = None
) -> dict[str, Any]:
    return {
        "op_id": new_id(),
        "type": type_,
        "action": action,
        "id": ident,
        "base_rev": base_rev,
        "fields": fields,
    }


def _apply(engine: Engine, user: User, ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    results = apply_batch(engine, user, ops)
    for op, result in zip(ops, results, strict=True):
        if result["status"] != "applied":
            raise SeedError(
                f"could not {op['action']} {op['type']} {op['id']}: "
                f"{result.get('error', result['status'])} {result.get('message', '')}".strip()
            )
    return results


def _store_pdf(store: FileBlobStore, data: bytes) -> tuple[str, int]:
    """Store ``data`` as a blob (unless it is there already); return (sha256, page count)."""
    sha = hashlib.sha256(data).hexdigest()
    if not store.exists(sha):
        upload = store.begin_upload(sha, len(data), len(data))
        store.append(upload, 0, data)
        store.complete(upload)
    doc: Any = pymupdf.open(stream=data, filetype="pdf")  # type: ignore[no-untyped-call]
    try:
        pages = int(doc.page_count)
    finally:
        doc.close()
    return sha, pages


def _create_accounts(
    engine: Engine, org: DemoOrganisation, force: bool, progress: Progress
) -> dict[str, User]:
    users: dict[str, User] = {}
    with engine.begin() as conn:
        count = conn.execute(select(func.count()).select_from(schema.users)).scalar_one()
        if count and not force:
            raise SeedError(
                f"the database already has {count} user(s); seed-demo only fills an empty "
                "server (use --force to add the demo anyway)"
            )
        for a in org.accounts:
            found = accounts.find_user(conn, a.username)
            if found is None:
                users[a.username] = accounts.create_user(
                    conn, a.username, a.password, a.role, a.clearance, a.full_name
                )
                continue
            # --force on a database that has this account already: reuse it
            # with the demo's role, clearance, name and a new password.
            existing = found[0]
            conn.execute(
                update(schema.users)
                .where(schema.users.c.id == existing.id)
                .values(
                    role=a.role.value,
                    clearance=a.clearance.value,
                    display_name=a.full_name,
                    password_hash=hash_password(a.password),
                )
            )
            users[a.username] = User(
                existing.id, a.username, a.full_name, a.role, a.clearance, existing.created_at
            )
    progress(f"{len(users)} accounts ready")
    return users


def _seed_meeting(
    engine: Engine,
    store: FileBlobStore,
    secretary: User,
    org: DemoOrganisation,
    users: dict[str, User],
    meeting: DemoMeeting,
    progress: Progress,
) -> SeededMeeting:
    mid = new_id()
    ops: list[dict[str, Any]] = [
        _op(
            "meeting",
            "create",
            mid,
            {
                "title": meeting.title,
                "starts_at": format_datetime(meeting.starts_at),
                "ends_at": format_datetime(meeting.ends_at),
                "location": meeting.location,
                "status": MeetingStatus.DRAFT.value,
                "classification": meeting.classification.value,
                "description": meeting.description,
            },
        )
    ]
    agenda_ids = {item.key: new_id() for item in meeting.agenda}
    # Parents first: an item may only refer to an item that exists.
    for item in sorted(meeting.agenda, key=lambda i: i.parent_key is not None):
        ops.append(
            _op(
                "agenda_item",
                "create",
                agenda_ids[item.key],
                {
                    "meeting_id": mid,
                    "position": item.position,
                    "title": item.title,
                    "parent_id": agenda_ids[item.parent_key] if item.parent_key else None,
                    "presenter": item.presenter,
                    "planned_minutes": item.planned_minutes,
                },
            )
        )
    participant_ids: dict[str, str] = {}
    for p in meeting.participants:
        account = org.account(p.username)
        pid = participant_ids[p.username] = new_id()
        ops.append(
            _op(
                "participant",
                "create",
                pid,
                {
                    "meeting_id": mid,
                    "display_name": account.full_name,
                    "role": p.role.value,
                    "clearance": account.clearance.value,
                    "user_id": users[p.username].id,
                    "title": account.position,
                },
            )
        )
    room_id = new_id()
    ops.append(
        _op(
            "room",
            "create",
            room_id,
            {
                "meeting_id": mid,
                "name": meeting.room.name,
                "width": meeting.room.width,
                "height": meeting.room.height,
            },
        )
    )
    seated = {label: username for username, label in meeting.seating}
    for seat in meeting.room.seats:
        who = seated.get(seat.label)
        ops.append(
            _op(
                "seat",
                "create",
                new_id(),
                {
                    "room_id": room_id,
                    "label": seat.label,
                    "x": seat.x,
                    "y": seat.y,
                    "participant_id": participant_ids[who] if who else None,
                },
            )
        )
    documents: list[tuple[str, str]] = []  # (document id, version id)
    for spec in meeting.documents:
        data = render_document(spec)
        sha, pages = _store_pdf(store, data)
        doc_id, version_id = new_id(), new_id()
        documents.append((doc_id, version_id))
        ops.append(
            _op(
                "document",
                "create",
                doc_id,
                {
                    "meeting_id": mid,
                    "title": spec.title,
                    "agenda_item_id": (
                        agenda_ids[spec.agenda_item_key] if spec.agenda_item_key else None
                    ),
                    "classification": spec.classification.value,
                    "position": spec.position,
                },
            )
        )
        ops.append(
            _op(
                "document_version",
                "create",
                version_id,
                {
                    "document_id": doc_id,
                    "number": 1,
                    "sha256": sha,
                    "size": len(data),
                    "page_count": pages,
                    "filename": spec.filename,
                    "classification": spec.classification.value,
                },
            )
        )
        progress(f"  {spec.filename}: {pages} pages, {len(data)} bytes")
    created = _apply(engine, secretary, ops)
    revs = {r["entity"]["id"]: int(r["rev"]) for r in created}
    finish = [
        _op("document", "update", doc_id, {"current_version_id": version_id}, revs[doc_id])
        for doc_id, version_id in documents
    ]
    finish.append(_op("meeting", "update", mid, {"status": meeting.status.value}, revs[mid]))
    _apply(engine, secretary, finish)
    progress(f"meeting {meeting.key} ({meeting.status.value}): {meeting.title}")
    return SeededMeeting(meeting.key, mid, meeting.title, len(documents))


def seed_demo(
    engine: Engine,
    data_dir: Path,
    today: date,
    seed: int | None = None,
    force: bool = False,
    progress: Progress = _quiet,
) -> SeedResult:
    """Load the demo organisation into the migrated database behind ``engine``.

    ``seed`` fixes the generated content (not the passwords). Raises
    :class:`SeedError` when the database already has users and ``force`` is
    false, so running it twice never duplicates the demo by accident.
    """
    rng = random.Random(seed)  # noqa: S311  demo content, not security
    org = build_demo(today, rng)
    users = _create_accounts(engine, org, force, progress)
    secretaries = org.accounts_with_role(Role.SECRETARY)
    if not secretaries:
        raise SeedError("the demo organisation has no secretary")
    secretary = users[secretaries[0].username]
    store = FileBlobStore(data_dir)
    meetings = tuple(
        _seed_meeting(engine, store, secretary, org, users, m, progress) for m in org.meetings
    )
    return SeedResult(org.accounts, meetings)
