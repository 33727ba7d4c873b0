"""Signed blob links over real HTTP: who gets one, the audit at issuance, the link's checks
(signature, path, expiry), Range on a link, and nginx's secure_link serving the same links."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from server.blob_links import (
    SECRET_FILENAME,
    check_link,
    link_path,
    load_or_create_secret,
    new_link_ids,
)
from server.db import schema
from server.errors import ApiError
from tests.server.conftest import LiveServer, SyncClient, bearer, make_user
from tests.server.test_blobs import assert_json_error, device_of, meeting_with_blobs, put_blob


def ask_links(client: SyncClient, hashes: list[str]) -> requests.Response:
    return requests.post(
        client.server.url("/api/v1/blob-links"),
        json={"sha256": hashes},
        headers=bearer(client.token),
        timeout=30,
    )


def links_of(client: SyncClient, hashes: list[str]) -> dict[str, str]:
    r = ask_links(client, hashes)
    assert r.status_code == 200, r.text
    body = r.json()
    links = {link["sha256"]: link["url"] for link in body["links"]}
    assert set(links) | set(body["missing"]) == set(hashes)
    assert not set(links) & set(body["missing"])
    return links


def get_link(server: LiveServer, url: str, headers: dict[str, str] | None = None) -> Any:
    # No bearer token: the link is the credential.
    return requests.get(server.url(url), headers=headers or {}, timeout=30)


def secret_of(server: LiveServer) -> str:
    return load_or_create_secret(server.backend.data_dir)


def test_links_only_for_blobs_the_caller_may_download(server: LiveServer) -> None:
    secretary = make_user(server, "secretary")
    member = make_user(server, "delegate", "confidential")
    low = make_user(server, "delegate", "normal")
    outsider = make_user(server, "delegate", "top_secret")
    data = {name: os.urandom(300 + i) for i, name in enumerate("abcde")}
    mine, secret, other_normal, other_secret, draft = (put_blob(server, data[k]) for k in "abcde")
    by_sha = {hashlib.sha256(v).hexdigest(): v for v in data.values()}
    meeting_with_blobs(secretary, [(member, "confidential"), (low, "normal")], mine, secret)
    meeting_with_blobs(secretary, [(outsider, "top_secret")], other_normal, other_secret)
    meeting_with_blobs(secretary, [(member, "confidential")], draft, draft, status="draft")
    unknown = "cd" * 32
    everything = [mine, secret, other_normal, other_secret, draft, unknown]
    expected = {
        member: {mine, secret},
        low: {mine},
        outsider: {other_normal, other_secret},
        secretary: {mine, secret, other_normal, other_secret, draft},
    }
    for client, allowed in expected.items():
        links = links_of(client, everything)
        assert set(links) == allowed
        for sha, url in links.items():
            r = get_link(server, url)
            assert r.status_code == 200, r.text
            assert r.content == by_sha[sha]
            assert r.headers["ETag"] == f'"sha256-{sha}"'
            assert r.headers["Cache-Control"] == "private, no-store"
    # A link is for its own blob only: another blob's path under it is refused.
    url = links_of(low, [mine])[mine]
    assert_json_error(get_link(server, url.replace(mine, secret)), 403, "invalid_link")


def test_issuance_needs_a_token_and_valid_hashes(server: LiveServer) -> None:
    client = make_user(server)
    r = requests.post(server.url("/api/v1/blob-links"), json={"sha256": ["ab" * 32]}, timeout=10)
    assert_json_error(r, 401)
    for bad in (["xyz"], ["AB" * 32], "ab" * 32, [1], ["ab" * 32] * 501):
        r = requests.post(
            server.url("/api/v1/blob-links"),
            json={"sha256": bad},
            headers=bearer(client.token),
            timeout=10,
        )
        assert_json_error(r, 422, "invalid_request")
    r = ask_links(client, [])
    assert r.status_code == 200
    assert r.json() == {"links": [], "missing": []}


def test_link_ids_are_distinct_and_start_with_the_time() -> None:
    before = time.time_ns() // 1_000_000
    ids = new_link_ids(50)
    after = time.time_ns() // 1_000_000
    assert len(set(ids)) == 50
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert {i[:12] for i in ids} == {ids[0][:12]}  # one request, one time
    assert before <= int(ids[0][:12], 16) <= after
    assert len({i[12:] for i in ids}) == 50
    assert new_link_ids(0) == []


def test_issuance_is_audited_once_per_link(server: LiveServer) -> None:
    secretary = make_user(server, "secretary")
    member = make_user(server, "delegate", "confidential")
    normal, secret = put_blob(server, os.urandom(64)), put_blob(server, os.urandom(65))
    ids = meeting_with_blobs(secretary, [(member, "confidential")], normal, secret)
    before = time.time()
    r = ask_links(member, [normal, secret, normal, "ef" * 32])
    assert r.status_code == 200
    body = r.json()
    assert body["missing"] == ["ef" * 32]
    links = {link["sha256"]: link for link in body["links"]}
    assert set(links) == {normal, secret}  # the duplicate got one link
    t = schema.blob_link_issues
    with server.backend.engine.connect() as conn:
        rows = conn.execute(select(t).where(t.c.user_id == member.user_id)).all()
    assert {r.sha256 for r in rows} == {normal, secret}
    device = device_of(server, member)
    for row in rows:
        link = links[row.sha256]
        assert parse_qs(urlsplit(link["url"]).query)["id"] == [row.link_id]
        assert row.device_id == device
        assert row.version_id == (ids["version"] if row.sha256 == normal else ids["secret_version"])
        assert before - 1 <= row.at.timestamp() <= time.time() + 1
        assert row.expires_at.timestamp() == pytest.approx(before + 300, abs=5)
        assert row.expires_at.timestamp() == _parse_time(link["expires_at"])
    # Serving a link writes nothing: the audit is the issuance (and nginx's access log).
    for link in links.values():
        assert get_link(server, link["url"]).status_code == 200
    with server.backend.engine.connect() as conn:
        assert len(conn.execute(select(t).where(t.c.user_id == member.user_id)).all()) == 2
        d = schema.blob_downloads
        assert not conn.execute(select(d).where(d.c.user_id == member.user_id)).all()


def _parse_time(text: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def _member_link(server: LiveServer, size: int = 5000) -> tuple[str, bytes, str]:
    secretary = make_user(server, "secretary")
    member = make_user(server, "delegate")
    data = os.urandom(size)
    sha = put_blob(server, data)
    meeting_with_blobs(secretary, [(member, "normal")], sha, put_blob(server, os.urandom(9)))
    return sha, data, links_of(member, [sha])[sha]


def test_tampered_links_are_refused(server: LiveServer) -> None:
    sha, _, url = _member_link(server)
    path, _, query = url.partition("?")
    args = dict(part.split("=", 1) for part in query.split("&"))
    e, link_id, s = args["e"], args["id"], args["s"]
    flipped = ("A" if s[0] != "A" else "B") + s[1:]
    tampered = [
        f"{path}?e={e}&id={link_id}&s={flipped}",  # signature
        f"{path}?e={int(e) + 3600}&id={link_id}&s={s}",  # a later expiry
        f"{path}?e={e}&id={'0' * 32}&s={s}",  # another id
        f"{path}?e={e}&id={link_id}",  # no signature
        f"{path}?id={link_id}&s={s}",  # no expiry
        path,
        f"{path}?e=-5&id={link_id}&s={s}",
        f"{path}?e={e}&id={link_id}&s={s}%00",
    ]
    for bad in tampered:
        r = get_link(server, bad)
        assert_json_error(r, 403, "invalid_link")
        assert requests.head(server.url(bad), timeout=10).status_code == 403
    # Another blob's path with this link's parameters, and a malformed hash.
    other = put_blob(server, os.urandom(77))
    assert_json_error(get_link(server, url.replace(sha, other)), 403, "invalid_link")
    assert_json_error(get_link(server, url.replace(sha, "zz" + sha[2:])), 404, "not_found")
    # The untouched link still works.
    assert get_link(server, url).status_code == 200


def test_expired_link_is_refused(server: LiveServer) -> None:
    sha, _, _ = _member_link(server)
    secret = secret_of(server)
    past = link_path(secret, sha, int(time.time()) - 1, "1" * 32)
    assert_json_error(get_link(server, past), 403, "link_expired")
    future = link_path(secret, sha, int(time.time()) + 60, "1" * 32)
    assert get_link(server, future).status_code == 200
    # The check itself: expiry is inclusive of its second, as nginx's.
    query = link_path(secret, sha, 1000, "2" * 32).partition("?")[2].encode()
    check_link(secret, sha, query, 1000.9)
    with pytest.raises(ApiError) as caught:
        check_link(secret, sha, query, 1001.0)
    assert caught.value.code == "link_expired"


def test_range_and_head_on_a_link(server: LiveServer) -> None:
    sha, data, url = _member_link(server, 3 * 1024 * 1024 + 17)
    tag = f'"sha256-{sha}"'
    r = get_link(server, url, {"Range": "bytes=100-199"})
    assert r.status_code == 206
    assert r.content == data[100:200]
    assert r.headers["Content-Range"] == f"bytes 100-199/{len(data)}"
    r = get_link(server, url, {"Range": "bytes=1048570-", "If-Range": tag})
    assert r.status_code == 206
    assert r.content == data[1048570:]
    r = get_link(server, url, {"Range": "bytes=5-9", "If-Range": '"sha256-other"'})
    assert r.status_code == 200
    assert r.content == data
    r = get_link(server, url, {"Range": f"bytes={len(data)}-"})
    assert_json_error(r, 416, "range_not_satisfiable")
    assert r.headers["Content-Range"] == f"bytes */{len(data)}"
    r = requests.head(server.url(url), timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Length"] == str(len(data))
    assert r.content == b""


def test_secret_file_is_private_and_stable(tmp_path: Path) -> None:
    first = load_or_create_secret(tmp_path)
    path = tmp_path / SECRET_FILENAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secret(tmp_path) == first
    assert len(first) >= 32
    assert [p.name for p in tmp_path.iterdir()] == [SECRET_FILENAME]


def test_server_secret_file_is_private(server: LiveServer) -> None:
    path = server.backend.data_dir / SECRET_FILENAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# --- nginx's secure_link serves the same links ------------------------------------


def nginx_link_conf(home: Path, port: int, upstream: str, blobs: Path, secret: str) -> str:
    """Return an nginx.conf that proxies /api/ to ``upstream`` and serves signed links itself
    (the configuration docs/deployment.md describes)."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    temps = "\n".join(
        f"    {kind}_temp_path {home / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}worker_processes 1;
daemon off;
pid {home / "nginx.pid"};
error_log {home / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
    access_log {home / "access.log"};
    sendfile on;
{temps}
    server {{
        listen 127.0.0.1:{port};
        location /api/ {{
            proxy_pass {upstream};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }}
{link_locations(blobs, secret)}
    }}
}}
"""


def link_locations(blobs: Path, secret: str) -> str:
    return f"""        location ~ "^/api/v1/blob-links/d/(?<mr_sha>(?<mr_a>[0-9a-f]{{2}})(?<mr_b>[0-9a-f]{{2}})[0-9a-f]{{60}})$" {{
            set $mr_link_secret "{secret}";
            secure_link $arg_s,$arg_e;
            secure_link_md5 "$secure_link_expires$uri$arg_id $mr_link_secret";
            if ($secure_link = "") {{ return 403 '{{"error": "invalid_link", "message": "The download link is not valid."}}'; }}
            if ($secure_link = "0") {{ return 403 '{{"error": "link_expired", "message": "The download link has expired; ask for a new one."}}'; }}
            alias {blobs}/$mr_a/$mr_b/$mr_sha;
            etag off;
            if_modified_since off;
            add_header ETag '"sha256-$mr_sha"';
            add_header Cache-Control "private, no-store";
            types {{ }}
            default_type application/octet-stream;
        }}"""


@pytest.fixture
def nginx_front(server: LiveServer, tmp_path: Path) -> Iterator[str]:
    binary = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if binary is None:
        pytest.skip("nginx is not installed (apt-get install -y nginx): secure_link not tested")
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    home = tmp_path / "nginx"
    home.mkdir()
    conf = home / "nginx.conf"
    blobs = server.backend.data_dir / "blobs"
    conf.write_text(nginx_link_conf(home, port, server.base_url, blobs, secret_of(server)))
    proc = subprocess.Popen(
        [binary, "-p", str(home), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=(home / "stderr.log").open("wb"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            if proc.poll() is not None:
                pytest.fail(f"nginx exited: {(home / 'stderr.log').read_text()}")
            try:
                if requests.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("nginx did not start")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


def test_nginx_serves_the_links(server: LiveServer, nginx_front: str) -> None:
    sha, data, url = _member_link(server, 200_000)
    r = requests.get(nginx_front + url, timeout=10)
    assert r.status_code == 200
    assert r.content == data
    assert r.headers["ETag"] == f'"sha256-{sha}"'
    assert r.headers["Cache-Control"] == "private, no-store"
    r = requests.get(nginx_front + url, headers={"Range": "bytes=10-19"}, timeout=10)
    assert r.status_code == 206
    assert r.content == data[10:20]
    # Resuming as the client does: Range with If-Range of the strong ETag.
    r = requests.get(
        nginx_front + url,
        headers={"Range": "bytes=100000-", "If-Range": f'"sha256-{sha}"'},
        timeout=10,
    )
    assert r.status_code == 206, r.headers
    assert r.content == data[100000:]
    path, _, query = url.partition("?")
    args = dict(part.split("=", 1) for part in query.split("&"))
    flipped = ("A" if args["s"][0] != "A" else "B") + args["s"][1:]
    r = requests.get(nginx_front + f"{path}?e={args['e']}&id={args['id']}&s={flipped}", timeout=10)
    assert_json_error(r, 403, "invalid_link")
    other = put_blob(server, os.urandom(50))
    assert_json_error(requests.get(nginx_front + url.replace(sha, other), timeout=10), 403)
    secret = secret_of(server)
    past = link_path(secret, sha, int(time.time()) - 1, "3" * 32)
    assert_json_error(requests.get(nginx_front + past, timeout=10), 403, "link_expired")
    # Links this server signs and nginx's check agree: the server's own check passes too.
    assert get_link(server, url).status_code == 200
