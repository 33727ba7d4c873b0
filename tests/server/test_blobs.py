"""Blobs over real HTTP: who may download, Range/ETag, audit, and resumable upload."""

from __future__ import annotations

import hashlib
import os
import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import select

from server.blobstore import FileBlobStore
from server.db import schema
from tests.server.conftest import LiveServer, SyncClient, bearer, make_user, new_id, op


def _store(server: LiveServer) -> FileBlobStore:
    return FileBlobStore(server.backend.data_dir)


def put_blob(server: LiveServer, data: bytes) -> str:
    """Store ``data`` as a blob directly (in-process); return its hash."""
    store = _store(server)
    sha = hashlib.sha256(data).hexdigest()
    upload = store.begin_upload(sha, len(data), len(data))
    store.append(upload, 0, data)
    store.complete(upload)
    return sha


def meeting_with_blobs(
    secretary: SyncClient,
    members: list[tuple[SyncClient, str]],
    normal_sha: str,
    secret_sha: str,
    status: str = "published",
) -> dict[str, str]:
    """Create a meeting with a normal and a confidential document version of the given hashes."""
    ids = {
        "meeting": new_id(),
        "doc": new_id(),
        "version": new_id(),
        "secret_doc": new_id(),
        "secret_version": new_id(),
    }
    m = ids["meeting"]
    ops: list[dict[str, object]] = [
        op(
            "meeting",
            "create",
            m,
            {
                "title": "Hội nghị",
                "starts_at": "2026-11-24T01:00:00Z",
                "ends_at": "2026-11-24T04:00:00Z",
                "status": status,
            },
        )
    ]
    for doc, version, level, sha in (
        (ids["doc"], ids["version"], "normal", normal_sha),
        (ids["secret_doc"], ids["secret_version"], "confidential", secret_sha),
    ):
        ops.append(
            op(
                "document",
                "create",
                doc,
                {"meeting_id": m, "title": f"Tài liệu {level}", "classification": level},
            )
        )
        ops.append(
            op(
                "document_version",
                "create",
                version,
                {
                    "document_id": doc,
                    "number": 1,
                    "sha256": sha,
                    "size": 10,
                    "page_count": 1,
                    "classification": level,
                },
            )
        )
    for client, clearance in members:
        ops.append(
            op(
                "participant",
                "create",
                new_id(),
                {
                    "meeting_id": m,
                    "display_name": "Đại biểu",
                    "user_id": client.user_id,
                    "clearance": clearance,
                },
            )
        )
    results = secretary.mutate(*ops)
    assert all(r["status"] == "applied" for r in results), results
    return ids


def fetch(
    client: SyncClient, sha: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> requests.Response:
    return requests.request(
        method,
        client.server.url(f"/api/v1/blobs/{sha}"),
        headers={**bearer(client.token), **(headers or {})},
        timeout=30,
    )


def audit_rows(server: LiveServer, sha: str) -> list[Any]:
    d = schema.blob_downloads
    with server.backend.engine.connect() as conn:
        return list(conn.execute(select(d).where(d.c.sha256 == sha).order_by(d.c.id)))


def device_of(server: LiveServer, client: SyncClient) -> str:
    t = schema.tokens
    with server.backend.engine.connect() as conn:
        return str(
            conn.execute(select(t.c.device_id).where(t.c.user_id == client.user_id)).one()[0]
        )


def assert_json_error(r: requests.Response, status: int, code: str | None = None) -> None:
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert set(body) >= {"error", "message"}
    if code is not None:
        assert body["error"] == code


# --- Downloads: authorization ---------------------------------------------------


def test_blob_authorization_matrix(server: LiveServer) -> None:
    secretary = make_user(server, "secretary")
    member = make_user(server, "delegate", "confidential")
    low = make_user(server, "delegate", "normal")
    outsider = make_user(server, "delegate", "top_secret")
    mine, secret = put_blob(server, os.urandom(1000)), put_blob(server, os.urandom(1000))
    other_normal, other_secret = put_blob(server, os.urandom(50)), put_blob(server, os.urandom(50))
    draft_sha = put_blob(server, os.urandom(50))
    meeting_with_blobs(secretary, [(member, "confidential"), (low, "normal")], mine, secret)
    meeting_with_blobs(secretary, [(outsider, "top_secret")], other_normal, other_secret)
    meeting_with_blobs(secretary, [(member, "confidential")], draft_sha, draft_sha, status="draft")

    assert fetch(member, mine).status_code == 200
    assert fetch(member, secret).status_code == 200
    assert fetch(low, mine).status_code == 200
    # Above the delegate's clearance, another meeting, an unpublished one: as if absent.
    for client, sha in (
        (low, secret),
        (member, other_normal),
        (member, other_secret),
        (outsider, mine),
        (member, draft_sha),
        (low, draft_sha),
    ):
        r = fetch(client, sha)
        assert_json_error(r, 404, "not_found")
        assert fetch(client, sha, method="HEAD").status_code == 404
    # Secretaries see everything; nobody sees a hash no version uses.
    for sha in (mine, secret, other_normal, draft_sha):
        assert fetch(secretary, sha).status_code == 200
    assert_json_error(fetch(secretary, "cd" * 32), 404, "not_found")
    # Bad hashes and no token.
    for bad in ("xyz", "AB" * 32, "ab" * 31, "%2e%2e%2fetc", "a" * 300):
        assert_json_error(fetch(member, bad), 404)
    r = requests.get(server.url(f"/api/v1/blobs/{mine}"), timeout=10)
    assert_json_error(r, 401)


def test_referenced_but_not_uploaded_is_blob_missing(server: LiveServer) -> None:
    secretary = make_user(server, "secretary")
    member = make_user(server, "delegate", "secret")
    missing = hashlib.sha256(os.urandom(16)).hexdigest()
    meeting_with_blobs(secretary, [(member, "secret")], missing, missing)
    assert_json_error(fetch(member, missing), 404, "blob_missing")
    outsider = make_user(server, "delegate")
    assert_json_error(fetch(outsider, missing), 404, "not_found")


def test_deleted_version_no_longer_grants_access(server: LiveServer) -> None:
    secretary = make_user(server, "secretary")
    member = make_user(server, "delegate")
    sha = put_blob(server, os.urandom(100))
    ids = meeting_with_blobs(secretary, [(member, "normal")], sha, put_blob(server, b"x"))
    assert fetch(member, sha).status_code == 200
    results = secretary.mutate(op("document_version", "delete", ids["version"], base_rev=None))
    assert results[0]["status"] == "applied", results
    assert_json_error(fetch(member, sha), 404, "not_found")


# --- Downloads: Range, ETag, HEAD, audit ---------------------------------------------


@pytest.fixture
def blob_setup(server: LiveServer) -> tuple[SyncClient, str, bytes, dict[str, str]]:
    secretary = make_user(server, "secretary")
    member = make_user(server, "delegate")
    data = os.urandom(200_000)
    sha = put_blob(server, data)
    ids = meeting_with_blobs(secretary, [(member, "normal")], sha, put_blob(server, b"s"))
    return member, sha, data, ids


def test_whole_blob_headers_and_audit(
    server: LiveServer, blob_setup: tuple[SyncClient, str, bytes, dict[str, str]]
) -> None:
    member, sha, data, ids = blob_setup
    r = fetch(member, sha)
    assert r.status_code == 200
    assert r.content == data
    assert r.headers["ETag"] == f'"sha256-{sha}"'
    assert r.headers["Accept-Ranges"] == "bytes"
    assert r.headers["Content-Length"] == str(len(data))
    assert r.headers["Cache-Control"] == "private, no-store"
    assert "Content-Range" not in r.headers
    rows = audit_rows(server, sha)
    assert len(rows) == 1
    row = rows[0]
    assert (row.user_id, row.device_id, row.version_id) == (
        member.user_id,
        device_of(server, member),
        ids["version"],
    )
    assert (row.range_start, row.range_end, row.status) == (0, len(data) - 1, 200)
    assert row.at is not None


def test_ranges(
    server: LiveServer, blob_setup: tuple[SyncClient, str, bytes, dict[str, str]]
) -> None:
    member, sha, data, _ids = blob_setup
    size = len(data)
    tag = f'"sha256-{sha}"'
    r = fetch(member, sha, {"Range": "bytes=100-199"})
    assert r.status_code == 206
    assert r.content == data[100:200]
    assert r.headers["Content-Range"] == f"bytes 100-199/{size}"
    assert r.headers["Content-Length"] == "100"
    assert r.headers["ETag"] == tag
    r = fetch(member, sha, {"Range": "bytes=-10"})
    assert (r.status_code, r.content) == (206, data[-10:])
    r = fetch(member, sha, {"Range": f"bytes=150000-{size * 2}"})
    assert (r.status_code, r.content) == (206, data[150000:])
    assert r.headers["Content-Range"] == f"bytes 150000-{size - 1}/{size}"
    # Not satisfiable.
    r = fetch(member, sha, {"Range": f"bytes={size}-"})
    assert_json_error(r, 416, "range_not_satisfiable")
    assert r.headers["Content-Range"] == f"bytes */{size}"
    # Malformed or multiple ranges: the whole blob.
    for header in ("bytes=abc", "bytes=5-1", "items=0-1", "bytes=0-1,5-6", "bytes=-"):
        r = fetch(member, sha, {"Range": header})
        assert (r.status_code, r.content) == (200, data), header
    # If-Range: the current ETag honours the range, anything else gets the whole blob.
    r = fetch(member, sha, {"Range": "bytes=0-9", "If-Range": tag})
    assert (r.status_code, r.content) == (206, data[:10])
    for stale in ('"sha256-' + "0" * 64 + '"', f"W/{tag}", "Wed, 21 Oct 2015 07:28:00 GMT"):
        r = fetch(member, sha, {"Range": "bytes=0-9", "If-Range": stale})
        assert (r.status_code, r.content) == (200, data), stale
    rows = audit_rows(server, sha)
    statuses = [row.status for row in rows]
    # 3 ranges, 5 malformed, 1 + 3 If-Range; the 416 is not a download.
    assert statuses == [206, 206, 206, 200, 200, 200, 200, 200, 206, 200, 200, 200]
    assert (rows[0].range_start, rows[0].range_end) == (100, 199)
    assert (rows[1].range_start, rows[1].range_end) == (size - 10, size - 1)


def test_head(
    server: LiveServer, blob_setup: tuple[SyncClient, str, bytes, dict[str, str]]
) -> None:
    member, sha, data, _ids = blob_setup
    r = fetch(member, sha, method="HEAD")
    assert r.status_code == 200
    assert r.content == b""
    assert r.headers["Content-Length"] == str(len(data))
    assert r.headers["ETag"] == f'"sha256-{sha}"'
    assert r.headers["Accept-Ranges"] == "bytes"
    r = fetch(member, sha, {"Range": "bytes=0-99"}, method="HEAD")
    assert r.status_code == 206
    assert r.headers["Content-Length"] == "100"
    assert r.headers["Content-Range"] == f"bytes 0-99/{len(data)}"
    assert audit_rows(server, sha) == []


def test_empty_blob(server: LiveServer) -> None:
    secretary = make_user(server, "secretary")
    member = make_user(server, "delegate")
    sha = put_blob(server, b"")
    meeting_with_blobs(secretary, [(member, "normal")], sha, sha)
    r = fetch(member, sha)
    assert (r.status_code, r.content, r.headers["Content-Length"]) == (200, b"", "0")
    assert_json_error(fetch(member, sha, {"Range": "bytes=0-"}), 416)
    assert [row.status for row in audit_rows(server, sha)] == [200]


# --- Uploads ----------------------------------------------------------------------


def begin(client: SyncClient, sha: str, size: int) -> requests.Response:
    return requests.post(
        client.server.url("/api/v1/uploads"),
        json={"sha256": sha, "size": size},
        headers=bearer(client.token),
        timeout=30,
    )


def put_chunk(
    client: SyncClient, upload_id: str, start: int, chunk: bytes, total: int | str
) -> requests.Response:
    return requests.put(
        client.server.url(f"/api/v1/uploads/{upload_id}"),
        data=chunk,
        headers={
            **bearer(client.token),
            "Content-Range": f"bytes {start}-{start + len(chunk) - 1}/{total}",
        },
        timeout=30,
    )


def status_of(client: SyncClient, upload_id: str) -> requests.Response:
    return requests.get(
        client.server.url(f"/api/v1/uploads/{upload_id}"), headers=bearer(client.token), timeout=30
    )


def complete(client: SyncClient, upload_id: str) -> requests.Response:
    return requests.post(
        client.server.url(f"/api/v1/uploads/{upload_id}/complete"),
        headers=bearer(client.token),
        timeout=30,
    )


def send_partial(server: LiveServer, token: str, upload_id: str, start: int, length: int) -> None:
    """Send a PUT that declares ``length`` bytes but only sends half, then drop the connection."""
    parts = urlsplit(server.base_url)
    assert parts.hostname is not None
    assert parts.port is not None
    head = (
        f"PUT /api/v1/uploads/{upload_id} HTTP/1.1\r\n"
        f"Host: {parts.hostname}:{parts.port}\r\n"
        f"Authorization: Bearer {token}\r\n"
        f"Content-Range: bytes {start}-{start + length - 1}/*\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(head + os.urandom(length // 2))
    time.sleep(0.3)  # let the server see the disconnect and roll the chunk back


def test_upload_in_chunks_with_resume_then_download(server: LiveServer) -> None:
    secretary = make_user(server, "secretary")
    member = make_user(server, "delegate")
    data = os.urandom(3 * 1024 * 1024 + 123)  # larger than the 1 MiB JSON body limit
    sha = hashlib.sha256(data).hexdigest()
    r = begin(secretary, sha, len(data))
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["received"] == 0
    upload_id = body["upload_id"]
    chunk = 1024 * 1024 + 7
    r = put_chunk(secretary, upload_id, 0, data[:chunk], len(data))
    assert (r.status_code, r.json()) == (200, {"received": chunk})
    # A dropped request: nothing of it is kept.
    send_partial(server, secretary.token, upload_id, chunk, chunk)
    r = status_of(secretary, upload_id)
    assert r.status_code == 200
    assert r.json() == {"received": chunk, "size": len(data)}
    # A chunk at the wrong offset: 409 with where to resume.
    r = put_chunk(secretary, upload_id, 2 * chunk, data[2 * chunk : 3 * chunk], len(data))
    assert_json_error(r, 409, "offset_mismatch")
    offset = r.json()["received"]
    assert offset == chunk
    # Completing too early keeps the upload.
    assert_json_error(complete(secretary, upload_id), 409, "upload_incomplete")
    while offset < len(data):
        r = put_chunk(secretary, upload_id, offset, data[offset : offset + chunk], "*")
        assert r.status_code == 200, r.text
        offset = r.json()["received"]
    r = complete(secretary, upload_id)
    assert (r.status_code, r.json()) == (200, {"sha256": sha})
    assert_json_error(status_of(secretary, upload_id), 404)
    # Once present, a new upload of the same content is not needed.
    r = begin(secretary, sha, len(data))
    assert (r.status_code, r.json()) == (200, {"status": "exists"})
    # Visible to a delegate once a version references it; the bytes round-trip.
    meeting_with_blobs(secretary, [(member, "normal")], sha, put_blob(server, b"t"))
    r = fetch(member, sha)
    assert r.status_code == 200
    assert hashlib.sha256(r.content).hexdigest() == sha


def test_hash_mismatch_discards_the_upload(server: LiveServer) -> None:
    secretary = make_user(server, "secretary")
    data = os.urandom(5000)
    claimed = hashlib.sha256(b"something else").hexdigest()
    upload_id = begin(secretary, claimed, len(data)).json()["upload_id"]
    assert put_chunk(secretary, upload_id, 0, data, len(data)).status_code == 200
    assert_json_error(complete(secretary, upload_id), 422, "hash_mismatch")
    assert_json_error(status_of(secretary, upload_id), 404)
    assert not _store(server).exists(claimed)
    assert not _store(server).exists(hashlib.sha256(data).hexdigest())
    meeting_with_blobs(secretary, [], claimed, claimed)
    assert_json_error(fetch(secretary, claimed), 404, "blob_missing")


def raw_put(
    url: str, auth: dict[str, str], data: bytes | Iterator[bytes], content_range: str
) -> requests.Response:
    return requests.put(
        url, data=data, headers={**auth, "Content-Range": content_range}, timeout=10
    )


def test_upload_limits_and_bad_input(server: LiveServer) -> None:
    secretary = make_user(server, "secretary")
    sha = hashlib.sha256(os.urandom(8)).hexdigest()
    assert_json_error(begin(secretary, sha, 500 * 1000 * 1000 + 1), 413, "upload_too_large")
    for bad in ({"sha256": "AB" * 32, "size": 1}, {"sha256": sha, "size": -1}, {"sha256": sha}):
        r = requests.post(
            server.url("/api/v1/uploads"), json=bad, headers=bearer(secretary.token), timeout=10
        )
        assert_json_error(r, 422)
    upload_id = begin(secretary, sha, 100).json()["upload_id"]
    url = server.url(f"/api/v1/uploads/{upload_id}")
    auth = bearer(secretary.token)
    # Missing, malformed or inconsistent Content-Range.
    for header in (None, "bytes 0-9", "bytes 9-0/100", "bytes */100", "bytes 0-9/99"):
        headers = dict(auth) if header is None else {**auth, "Content-Range": header}
        r = requests.put(url, data=b"x" * 10, headers=headers, timeout=10)
        assert_json_error(r, 400, "bad_content_range")
    # A body larger than its range, a chunk past the declared size.
    assert_json_error(raw_put(url, auth, b"x" * 11, "bytes 0-9/100"), 413)
    assert_json_error(raw_put(url, auth, b"x" * 101, "bytes 0-100/*"), 413)
    # Chunked transfer encoding (no Content-Length) larger than declared.
    assert_json_error(raw_put(url, auth, iter([b"x" * 8, b"x" * 8]), "bytes 0-9/100"), 413)
    # ...and shorter.
    assert_json_error(raw_put(url, auth, iter([b"x" * 4]), "bytes 0-9/100"), 400)
    assert status_of(secretary, upload_id).json() == {"received": 0, "size": 100}
    # Unknown and malformed upload ids.
    for unknown in ("0" * 32, "nope", "..%2f..%2fetc"):
        assert_json_error(status_of(secretary, unknown), 404)
        assert_json_error(put_chunk(secretary, unknown, 0, b"x", 1), 404)
        assert_json_error(complete(secretary, unknown), 404)


def test_upload_permissions(server: LiveServer) -> None:
    secretary = make_user(server, "secretary")
    other_secretary = make_user(server, "secretary")
    data = os.urandom(100)
    sha = hashlib.sha256(data).hexdigest()
    for role in ("delegate", "chair", "observer"):
        client = make_user(server, role, "top_secret")
        assert_json_error(begin(client, sha, len(data)), 403, "forbidden")
    upload_id = begin(secretary, sha, len(data)).json()["upload_id"]
    delegate = make_user(server, "delegate")
    assert_json_error(put_chunk(delegate, upload_id, 0, data, len(data)), 403)
    # Another secretary cannot see, feed, complete or abort it.
    assert_json_error(status_of(other_secretary, upload_id), 404)
    assert_json_error(put_chunk(other_secretary, upload_id, 0, data, len(data)), 404)
    assert_json_error(complete(other_secretary, upload_id), 404)
    r = requests.delete(
        server.url(f"/api/v1/uploads/{upload_id}"),
        headers=bearer(other_secretary.token),
        timeout=10,
    )
    assert_json_error(r, 404)
    assert put_chunk(secretary, upload_id, 0, data, len(data)).status_code == 200
    r = requests.delete(
        server.url(f"/api/v1/uploads/{upload_id}"), headers=bearer(secretary.token), timeout=10
    )
    assert r.status_code == 204
    assert_json_error(status_of(secretary, upload_id), 404)
    assert not _store(server).exists(sha)


# --- Deployment behind nginx: serve --accel-redirect PREFIX -----------------------


@pytest.fixture(scope="module")
def accel_server(server: LiveServer) -> Iterator[LiveServer]:
    """Yield a second server on the same data, started with ``accel_redirect="/_blobs"``."""
    import threading

    import uvicorn

    from server.app import create_app
    from server.config import Settings

    backend = server.backend
    settings = Settings(
        data_dir=backend.data_dir, database_url=backend.url, accel_redirect="/_blobs"
    )
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, name="uvicorn-accel", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the accel-redirect test server did not start")
        time.sleep(0.01)
    port = uv.servers[0].sockets[0].getsockname()[1]
    yield LiveServer(f"http://127.0.0.1:{port}", backend)
    uv.should_exit = True
    thread.join(15)


def accel_fetch(
    accel: LiveServer,
    client: SyncClient,
    sha: str,
    headers: dict[str, str] | None = None,
    method: str = "GET",
) -> requests.Response:
    return requests.request(
        method,
        accel.url(f"/api/v1/blobs/{sha}"),
        headers={**bearer(client.token), **(headers or {})},
        timeout=30,
    )


def test_accel_redirect_hands_the_bytes_to_nginx(
    server: LiveServer, accel_server: LiveServer
) -> None:
    secretary = make_user(server, "secretary")
    member = make_user(server, "delegate", "normal")
    outsider = make_user(server, "delegate", "top_secret")
    data = os.urandom(3000)
    sha = put_blob(server, data)
    secret = put_blob(server, os.urandom(40))
    meeting_with_blobs(secretary, [(member, "normal")], sha, secret)

    r = accel_fetch(accel_server, member, sha)
    assert r.status_code == 200
    assert r.content == b""
    assert r.headers["X-Accel-Redirect"] == f"/_blobs/{sha[:2]}/{sha[2:4]}/{sha}"
    assert r.headers["ETag"] == f'"sha256-{sha}"'
    assert r.headers["Cache-Control"] == "private, no-store"
    assert "Accept-Ranges" not in r.headers  # nginx adds it (ours would be a second one)
    assert r.headers["Content-Type"] == "application/octet-stream"
    assert r.headers["Content-Length"] == "0"
    assert "Content-Range" not in r.headers
    rows = audit_rows(server, sha)
    assert len(rows) == 1
    assert rows[0].user_id == member.user_id
    assert rows[0].device_id == device_of(server, member)
    assert (rows[0].status, rows[0].range_start, rows[0].range_end) == (200, 0, 2999)

    # A satisfiable Range: audited as the 206 nginx will send, and redirected.
    r = accel_fetch(accel_server, member, sha, {"Range": "bytes=100-199"})
    assert r.status_code == 200
    assert r.content == b""
    assert r.headers["X-Accel-Redirect"].endswith(sha)
    rows = audit_rows(server, sha)
    assert len(rows) == 2
    assert (rows[1].status, rows[1].range_start, rows[1].range_end) == (206, 100, 199)

    # Not visible: the same 404 as without the option, no redirect, no audit row.
    for client, target in ((outsider, sha), (member, secret)):
        r = accel_fetch(accel_server, client, target)
        assert_json_error(r, 404, "not_found")
        assert "X-Accel-Redirect" not in r.headers
    assert len(audit_rows(server, secret)) == 0


def test_accel_redirect_leaves_head_416_and_if_range_to_the_app(
    server: LiveServer, accel_server: LiveServer
) -> None:
    secretary = make_user(server, "secretary")
    member = make_user(server, "delegate", "normal")
    data = os.urandom(2000)
    sha = put_blob(server, data)
    meeting_with_blobs(secretary, [(member, "normal")], sha, put_blob(server, os.urandom(30)))
    tag = f'"sha256-{sha}"'

    r = accel_fetch(accel_server, member, sha, method="HEAD")
    assert r.status_code == 200
    assert r.headers["Content-Length"] == "2000"
    assert r.headers["ETag"] == tag
    assert "X-Accel-Redirect" not in r.headers

    r = accel_fetch(accel_server, member, sha, {"Range": "bytes=5000-"})
    assert_json_error(r, 416, "range_not_satisfiable")
    assert r.headers["Content-Range"] == "bytes */2000"
    assert "X-Accel-Redirect" not in r.headers

    # If-Range: the app answers itself (a matching tag: the range; a stale one: everything).
    r = accel_fetch(accel_server, member, sha, {"Range": "bytes=10-19", "If-Range": tag})
    assert r.status_code == 206
    assert r.content == data[10:20]
    assert "X-Accel-Redirect" not in r.headers
    r = accel_fetch(accel_server, member, sha, {"Range": "bytes=10-19", "If-Range": '"stale"'})
    assert r.status_code == 200
    assert r.content == data
    assert "X-Accel-Redirect" not in r.headers
    assert [row.status for row in audit_rows(server, sha)] == [206, 200]
