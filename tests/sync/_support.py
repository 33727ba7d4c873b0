"""Shared helpers of the fault and convergence tests: meetings with many
documents, store snapshots, and the server's view of a user."""

from __future__ import annotations

import hashlib
from typing import Any

from meetingroom.services import TABLE_BY_TYPE
from meetingroom.store import Store
from sync import remote
from tests.server.conftest import SyncClient, new_id, op
from tests.sync.conftest import User, make_pdf_bytes, upload_blob

TABLES = tuple(TABLE_BY_TYPE.values())


def add_documents(secretary: User, meeting_id: str, sizes: list[int]) -> dict[str, bytes]:
    """Add one document per size (one version each) to a meeting; return version id → bytes."""
    out: dict[str, bytes] = {}
    ops: list[dict[str, object]] = []
    for size in sizes:
        data = make_pdf_bytes(size)
        sha = upload_blob(secretary.api, data)
        doc, version = new_id(), new_id()
        out[version] = data
        ops.append(op("document", "create", doc, {"meeting_id": meeting_id, "title": "Tài liệu"}))
        ops.append(
            op(
                "document_version",
                "create",
                version,
                {
                    "document_id": doc,
                    "number": 1,
                    "sha256": sha,
                    "size": len(data),
                    "page_count": 1,
                },
            )
        )
    results = secretary.api.mutate(*ops)
    assert all(r["status"] == "applied" for r in results), results
    return out


def snapshot(store: Store) -> dict[str, dict[str, dict[str, Any]]]:
    """Return every live entity of ``store`` as protocol JSON, per table and id."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for table in TABLES:
        repo = store.repos.for_table(table)
        readout = repo.list()
        assert not readout.damaged, readout.damaged
        out[table] = {e.id: repo.spec.to_json(e) for e in readout.items}
    return out


def assert_bytes_complete(store: Store) -> None:
    """Every live version's bytes are stored, complete and match its sha256."""
    for version in store.repos.versions.list().items:
        assert store.blobs.is_complete(version.id), version.id
        data = bytes(store.blobs.read_into_buffer(version.id))
        assert len(data) == version.size
        assert hashlib.sha256(data).hexdigest() == version.sha256


def server_view(client: SyncClient) -> dict[str, dict[str, dict[str, Any]]]:
    """Return the live entities the server's feed gives ``client``, per table and id."""
    changes, _, _ = client.pull_all()
    out: dict[str, dict[str, dict[str, Any]]] = {t: {} for t in TABLES}
    for change in changes:
        entity = change["entity"]
        table = TABLE_BY_TYPE[change["type"]]
        if entity.get("deleted"):
            out[table].pop(entity["id"], None)
        else:
            out[table][entity["id"]] = remote.encode(remote.decode(change["type"], entity))
    return out
