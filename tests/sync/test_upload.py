"""The upload stage against the real server: offline attachments reach it, resumably.

Faults come from the fault-injecting proxy of test_fault_proxy.py, driven by
a fixed plan instead of its seeded schedule: an upload chunk cut off
mid-body (the server keeps none of it, the client loses the connection) and
a chunk whose answer is lost after the server stored it.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from meetingroom.domain import DocumentVersion
from sync.engine import ProgressEvent, SyncReport
from sync.errors import NetworkError
from sync.transport import RetryPolicy, Transport
from sync.upload import STATE_PREFIX
from tests.server.conftest import LiveServer, SyncClient, bearer
from tests.sync._prepare import attach_pdf, new_meeting, real_pdf
from tests.sync.conftest import Device, new_user, upload_blob
from tests.sync.test_fault_proxy import FaultProxy, _Handler

MakeDevice = Callable[..., Device]
MiB = 1024 * 1024


class PlannedProxy(FaultProxy):
    """The fault proxy with a fixed plan: ``{"PUT /api/v1/uploads/*#1": "cut"}``.

    Keys are ``METHOD ROUTE#N`` (N counts that route's requests from 0, upload
    ids folded into ``*``). Faults: ``cut`` forwards half of the request body
    and closes both connections; ``lost_response`` is the parent's. Every
    relayed request is logged with the server's status.
    """

    def __init__(self, upstream: str, plan: dict[str, str]) -> None:
        super().__init__(upstream, seed=0)
        self.RequestHandlerClass = _PlannedHandler
        self.plan = plan
        self.log: list[tuple[str, str, str | None, int | None]] = []

    @staticmethod
    def route(path: str) -> str:
        route = path.split("?")[0]
        parts = route.split("/")
        if len(parts) >= 5 and parts[3] == "uploads":
            parts[4] = "*"
        return "/".join(parts)

    def decide(self, method: str, path: str) -> str:
        key = f"{method} {self.route(path)}"
        with self.lock:
            n = self.seen[key]
            self.seen[key] += 1
        fault = self.plan.get(f"{key}#{n}", "ok")
        with self.lock:
            self.injected[fault] += 1
        return fault

    def puts(self) -> list[str | None]:
        """Return the Content-Range of each upload chunk sent, in order."""
        return [r for m, p, r, _ in self.log if m == "PUT"]


class _PlannedHandler(_Handler):
    server: PlannedProxy

    def _relay(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        fault = self.server.decide(self.command, self.path)
        content_range = self.headers.get("Content-Range")
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        upstream = http.client.HTTPConnection(*self.server.upstream, timeout=30)
        if fault == "cut":
            # Half the chunk reaches the server, then the connection drops.
            upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            host, port = self.server.upstream
            upstream.putheader("Host", f"{host}:{port}")
            for k, v in headers.items():
                upstream.putheader(k, v)
            upstream.endheaders()
            upstream.send(body[: len(body) // 2])
            upstream.close()
            self.server.log.append((self.command, self.path, content_range, None))
            self.close_connection = True
            return
        try:
            upstream.request(self.command, self.path, body=body or None, headers=headers)
            response = upstream.getresponse()
            payload = response.read()
            status = response.status
            reply = {
                k: v
                for k, v in response.getheaders()
                if k.lower() not in ("transfer-encoding", "connection", "content-length")
            }
        finally:
            upstream.close()
        self.server.log.append((self.command, self.path, content_range, status))
        if fault == "lost_response":
            self._answer(503, {"Content-Type": "application/json"}, b'{"error":"lost"}')
            return
        self._answer(status, reply, payload)

    do_GET = do_POST = do_PUT = do_DELETE = _relay


@pytest.fixture
def planned(live: LiveServer) -> Iterator[Callable[[dict[str, str]], PlannedProxy]]:
    proxies: list[PlannedProxy] = []

    def start(plan: dict[str, str]) -> PlannedProxy:
        proxy = PlannedProxy(live.base_url, plan)
        threading.Thread(target=proxy.serve_forever, name="planned-proxy", daemon=True).start()
        proxies.append(proxy)
        return proxy

    yield start
    for proxy in proxies:
        proxy.shutdown()
        proxy.server_close()


def _through(device: Device, proxy: PlannedProxy, attempts: int) -> None:
    device.engine.transport = Transport(
        proxy.url,
        requests.Session(),
        retry=RetryPolicy(attempts=attempts, base_delay=0.001, max_delay=0.01),
    )
    device.engine.transport.token = device.tokens.load(device.store.profile_id)


def _assert_synced(report: SyncReport, *versions: DocumentVersion) -> None:
    """The sync uploaded what it had to and holds ``versions``' bytes.

    (Not ``report.complete``: a secretary sees every meeting on the shared
    test server, some with versions whose blob other tests never upload.)
    """
    assert not report.not_uploaded, report.errors
    assert not [e for e in report.errors if "upload" in e], report.errors
    for version in versions:
        assert version.id not in report.missing, report.errors


def _server_bytes(live: LiveServer, token: str, sha: str) -> bytes:
    r = requests.get(live.url(f"/api/v1/blobs/{sha}"), headers=bearer(token), timeout=30)
    assert r.status_code == 200, r.text
    return r.content


def _server_entity(secretary: SyncClient, type_: str, id_: str) -> dict[str, Any]:
    changes, _, _ = secretary.pull_all()
    found = [c["entity"] for c in changes if c["type"] == type_ and c["entity"]["id"] == id_]
    assert found, f"the server has no {type_} {id_}"
    return dict(found[-1])


def test_an_offline_attachment_is_uploaded_then_its_version_pushed(
    live: LiveServer, planned: Callable[[dict[str, str]], PlannedProxy], make_device: MakeDevice
) -> None:
    secretary = new_user(live, "secretary")
    events: list[ProgressEvent] = []
    device = make_device(secretary.username, on_progress=events.append)
    meeting = new_meeting(device.store)
    data = real_pdf("Báo cáo chính trị", padding=int(2.5 * MiB))
    document, version = attach_pdf(device.store, meeting, "Báo cáo chính trị", data)
    proxy = planned({})
    _through(device, proxy, attempts=3)

    report = device.engine.sync()

    _assert_synced(report, version)
    assert report.uploaded == 1
    assert report.bytes_uploaded == len(data)
    assert device.store.outbox.count() == 0
    assert _server_bytes(live, secretary.api.token, version.sha256) == data
    # The blob went up first, in whole chunks of the store, then the mutations.
    calls = [f"{m} {PlannedProxy.route(p)}" for m, p, _, _ in proxy.log]
    assert calls.index("POST /api/v1/uploads") < calls.index("POST /api/v1/mutations")
    assert proxy.puts() == [
        f"bytes {i * MiB}-{min((i + 1) * MiB, len(data)) - 1}/{len(data)}"
        for i in range((len(data) + MiB - 1) // MiB)
    ]
    # The document's current version was held back until the version existed.
    server_doc = _server_entity(secretary.api, "document", document.id)
    assert server_doc["current_version_id"] == version.id
    assert device.store.repos.documents.get(document.id).current_version_id == version.id
    # Progress: stage "upload", bytes up to the size, naming the document.
    uploads = [e for e in events if e.stage == "upload"]
    assert uploads
    assert {e.bytes_total for e in uploads} == {len(data)}
    assert uploads[-1].bytes_done == len(data)
    assert uploads[-1].items_done == uploads[-1].items_total == 1
    assert {e.document for e in uploads} == {version.id}
    assert [e.bytes_done for e in uploads] == sorted(e.bytes_done for e in uploads)


def test_bytes_the_server_has_are_not_uploaded_again(
    live: LiveServer, planned: Callable[[dict[str, str]], PlannedProxy], make_device: MakeDevice
) -> None:
    secretary = new_user(live, "secretary")
    device = make_device(secretary.username)
    data = real_pdf("Tờ trình", padding=300_000)
    upload_blob(secretary.api, data)  # another secretary uploaded the same file
    meeting = new_meeting(device.store)
    _, first = attach_pdf(device.store, meeting, "Tờ trình", data)
    _, copy = attach_pdf(device.store, meeting, "Tờ trình (bản sao)", data, position=1)
    proxy = planned({})
    _through(device, proxy, attempts=3)

    report = device.engine.sync()

    _assert_synced(report, first, copy)
    assert report.uploaded == 0
    assert proxy.puts() == []
    calls = [f"{m} {PlannedProxy.route(p)}" for m, p, _, _ in proxy.log]
    assert calls.count("POST /api/v1/uploads") == 1  # one per distinct hash
    assert device.store.outbox.count() == 0


def test_a_connection_dropped_mid_upload_resumes_from_the_servers_offset(
    live: LiveServer, planned: Callable[[dict[str, str]], PlannedProxy], make_device: MakeDevice
) -> None:
    secretary = new_user(live, "secretary")
    device = make_device(secretary.username)
    meeting = new_meeting(device.store)
    data = real_pdf("Nghị quyết", padding=int(3.2 * MiB))
    _, version = attach_pdf(device.store, meeting, "Nghị quyết", data)
    pending = device.store.outbox.count()
    # The second chunk is cut mid-body and the transport gives up at once.
    cutting = planned({"PUT /api/v1/uploads/*#1": "cut"})
    _through(device, cutting, attempts=1)

    with pytest.raises(NetworkError):
        device.engine.sync()

    # Nothing was pushed: the version waits for its bytes.
    assert device.store.outbox.count() == pending
    upload_id = device.store.sync_state.get(STATE_PREFIX + version.id)
    assert upload_id
    r = requests.get(
        live.url(f"/api/v1/uploads/{upload_id}"), headers=bearer(secretary.api.token), timeout=10
    )
    assert r.json() == {"received": MiB, "size": len(data)}  # the cut chunk was not kept

    resumed = planned({})
    _through(device, resumed, attempts=3)
    report = device.engine.sync()

    _assert_synced(report, version)
    assert report.uploaded == 1
    assert resumed.puts()[0] == f"bytes {MiB}-{2 * MiB - 1}/{len(data)}"  # not from 0
    assert len(resumed.puts()) == 3
    assert device.store.sync_state.get(STATE_PREFIX + version.id) is None
    assert device.store.outbox.count() == 0
    assert _server_bytes(live, secretary.api.token, version.sha256) == data


def test_a_lost_chunk_answer_continues_at_the_offset_the_server_reports(
    live: LiveServer, planned: Callable[[dict[str, str]], PlannedProxy], make_device: MakeDevice
) -> None:
    secretary = new_user(live, "secretary")
    device = make_device(secretary.username)
    meeting = new_meeting(device.store)
    data = real_pdf("Phụ lục", padding=int(1.5 * MiB))
    _, version = attach_pdf(device.store, meeting, "Phụ lục", data)
    # The server stores chunk 0 but the answer is lost: the retry is refused
    # with 409 offset_mismatch and the upload goes on from the server's offset.
    proxy = planned({"PUT /api/v1/uploads/*#0": "lost_response"})
    _through(device, proxy, attempts=3)

    report = device.engine.sync()

    _assert_synced(report, version)
    statuses = [(r, s) for m, _, r, s in proxy.log if m == "PUT"]
    assert statuses == [
        (f"bytes 0-{MiB - 1}/{len(data)}", 200),
        (f"bytes 0-{MiB - 1}/{len(data)}", 409),
        (f"bytes {MiB}-{len(data) - 1}/{len(data)}", 200),
    ]
    assert _server_bytes(live, secretary.api.token, version.sha256) == data


def test_a_version_without_local_bytes_is_pushed_and_reported(
    live: LiveServer, make_device: MakeDevice
) -> None:
    secretary = new_user(live, "secretary")
    device = make_device(secretary.username)
    meeting = new_meeting(device.store)
    data = real_pdf("Dự thảo")
    document, version = attach_pdf(device.store, meeting, "Dự thảo", data)
    device.store.blobs.discard(version.id)  # the bytes are gone (never complete)

    report = device.engine.sync()

    # The protocol accepts a version whose blob is not uploaded yet.
    assert device.store.outbox.count() == 0
    assert device.store.repos.versions.get(version.id).rev is not None
    assert any(version.id in e and "no stored bytes" in e for e in report.errors)
    assert version.id in report.missing  # and it is still wanted: the sync is not complete
    r = requests.get(
        live.url(f"/api/v1/blobs/{version.sha256}"), headers=bearer(secretary.api.token), timeout=10
    )
    assert r.status_code == 404
    assert r.json()["error"] == "blob_missing"
    assert isinstance(device.store.repos.versions.get(version.id), DocumentVersion)
    assert device.store.repos.documents.get(document.id).current_version_id == version.id
