"""Signed, short-lived blob download links (``POST /api/v1/blob-links``).

A delegate's client asks once for links to the blobs of a meeting; the
server authorises each hash with the rules of ``GET /api/v1/blobs/{sha}``,
writes one audit row per link (one transaction per batch) and answers paths

    /api/v1/blob-links/d/<sha256>?e=<expiry>&id=<link id>&s=<signature>

that need no bearer token. nginx's ``secure_link`` module can check them
and send the file itself, so the bytes never pass through Python; this
server answers the same path too (the signature and expiry are checked
without touching the database), so a deployment without nginx works.

The signature is nginx's: ``base64url(md5("<e><uri><id> <secret>"))``.
MD5 is nginx's constraint, not a choice: a link lives a few minutes, is
bound to one blob's path, and nothing in the signed text is chosen by the
caller (``e`` and ``id`` are the server's, the path is a hash the caller
was allowed), so MD5's collision weakness gives an attacker nothing to
work with. The secret is used for nothing else. It is a random file in the
data directory (mode 0600), made at first start and shared by every server
process using that directory.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import Engine

from meetingroom.domain import utcnow
from server.blob_routes import (
    _BINARY,
    _errors,
    _not_found,
    download_response,
    get_store,
    open_download,
    plan_download,
    visible_versions,
)
from server.blobstore import FileBlobStore, InvalidId, validate_sha256
from server.config import Settings
from server.db import schema
from server.db.group_commit import group_commit
from server.errors import ApiError
from server.meeting_versions import MeetingVersionCache
from server.models import BlobLinksRequest, BlobLinksResponse
from server.routes import bearer_scheme, bearer_token, get_engine, get_settings
from server.sessions import Session, authenticate_on

log = logging.getLogger("meetingroom.server")

router = APIRouter(prefix="/api/v1")

SECRET_FILENAME = "blob-link-secret"  # noqa: S105  a file name, not a secret
LINK_PATH = "/api/v1/blob-links/d/"
# The secret goes into nginx's configuration as it is: no quotes, spaces or $.
_SECRET = re.compile(r"[A-Za-z0-9_-]{32,256}")
_LINK_ID = re.compile(rb"[0-9a-f]{32}")
_EXPIRY = re.compile(rb"[0-9]{1,12}")
_SIGNATURE = re.compile(rb"[A-Za-z0-9_-]{22}")


class LinkSecretError(RuntimeError):
    """The data directory's link secret cannot be read, made or used."""


def load_or_create_secret(data_dir: Path) -> str:
    """Return the link secret of ``data_dir``, creating it (mode 0600) if there is none.

    Several server processes may start at once: the secret is written whole
    to a private temporary file and linked into place, so a process either
    makes the file or reads the one another process made, never half of one.
    Raises LinkSecretError for a secret that is malformed or unreadable.
    """
    path = data_dir / SECRET_FILENAME
    if not path.exists():
        temp = data_dir / f".{SECRET_FILENAME}.{secrets.token_hex(8)}"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(32) + "\n")
                out.flush()
                os.fsync(out.fileno())
            with contextlib.suppress(FileExistsError):  # another process made it first
                os.link(temp, path)
        finally:
            temp.unlink(missing_ok=True)
    try:
        if path.stat().st_mode & 0o077:
            log.warning("%s is readable by others: make it mode 0600", path)
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as e:
        raise LinkSecretError(f"cannot read the blob link secret {path}: {e}") from e
    if _SECRET.fullmatch(text) is None:
        raise LinkSecretError(
            f"{path} must hold 32 to 256 characters of A-Z, a-z, 0-9, '-' and '_'"
        )
    return text


def signature(secret: str, expires: str, sha: str, link_id: str) -> str:
    """Return the link signature nginx's ``secure_link_md5`` computes for these values.

    The expression (docs/deployment.md): ``"$secure_link_expires$uri$arg_id SECRET"``.
    """
    text = f"{expires}{LINK_PATH}{sha}{link_id} {secret}"
    digest = hashlib.md5(text.encode("ascii"), usedforsecurity=False).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def link_path(secret: str, sha: str, expires: int, link_id: str) -> str:
    """Return the signed link path of blob ``sha``, valid until ``expires`` (Unix time)."""
    e = str(expires)
    return f"{LINK_PATH}{sha}?e={e}&id={link_id}&s={signature(secret, e, sha, link_id)}"


def _first_args(query: bytes) -> dict[bytes, bytes]:
    """Return the first value of each query argument, undecoded (as nginx's ``$arg_x``)."""
    args: dict[bytes, bytes] = {}
    for part in query.split(b"&"):
        name, _, value = part.partition(b"=")
        args.setdefault(name, value)
    return args


def invalid_link() -> ApiError:
    """Return the 403 of a link whose signature does not match (tampered or made up)."""
    return ApiError(403, "invalid_link", "The download link is not valid.")


def check_link(secret: str, sha: str, query: bytes, now: float) -> None:
    """Check a link's signature and expiry, as nginx's ``secure_link`` does.

    Raises ApiError 403 ``invalid_link`` for a missing or wrong signature,
    403 ``link_expired`` for a genuine link past its expiry.
    """
    args = _first_args(query)
    e, link_id, s = args.get(b"e", b""), args.get(b"id", b""), args.get(b"s", b"")
    if (
        not (_EXPIRY.fullmatch(e) and _LINK_ID.fullmatch(link_id) and _SIGNATURE.fullmatch(s))
        or int(e) <= 0
    ):
        raise invalid_link()
    expected = signature(secret, e.decode("ascii"), sha, link_id.decode("ascii"))
    if not hmac.compare_digest(expected.encode("ascii"), s):
        raise invalid_link()
    if int(e) < int(now):
        raise ApiError(403, "link_expired", "The download link has expired; ask for a new one.")


async def get_link_secret(request: Request) -> str:
    """Return the app's blob link secret."""
    return cast(str, request.app.state.blob_link_secret)


async def get_version_cache(request: Request) -> MeetingVersionCache:
    """Return the app's cache of meetings' versions (server.meeting_versions)."""
    return cast(MeetingVersionCache, request.app.state.version_cache)


def new_link_ids(count: int) -> list[str]:
    """Return ``count`` fresh link ids: 32 hex digits each, the time in milliseconds
    then 80 random bits.

    Time first, so that the audit rows of a rush are appended at the end of
    the table's primary key instead of into random pages of it (each page a
    transaction touches is one more page written to the WAL at commit). The
    id is no secret and needs no unpredictability: the signature is what no
    caller can forge. The random bits of all ``count`` ids come from one
    read of the OS's generator: one per id was 5% of a link request's time
    holding the GIL (py-spy, 100 concurrent requests).
    """
    ms = f"{time.time_ns() // 1_000_000:012x}"
    random = secrets.token_hex(10 * count)
    return [ms + random[i : i + 20] for i in range(0, 20 * count, 20)]


def issue_links(
    engine: Engine,
    store: FileBlobStore,
    secret: str,
    session: Session,
    wanted: list[str],
    found: dict[str, str],
    lifetime: timedelta,
) -> dict[str, Any]:
    """Return the ``BlobLinksResponse`` JSON object of the links to the blobs of
    ``wanted`` the caller may download, after writing one audit row per link.

    ``found`` maps each hash of a version the caller may see to its id
    (:func:`server.blob_routes.visible_versions`); a hash gets a link when it
    is there and the blob is stored. The others are ``missing`` (not visible,
    unknown, or not uploaded yet: one answer for all, as ``GET /blobs`` gives
    one 404 for a hash the caller may not see). The audit rows are committed
    (in one transaction, with those of other requests made at the same time)
    before any link is returned.
    """
    now = utcnow()
    expires = int(now.timestamp() + lifetime.total_seconds())
    expires_at = datetime.fromtimestamp(expires, UTC)
    expires_text = expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    links: list[dict[str, str]] = []
    rows: list[dict[str, Any]] = []
    linked = [sha for sha in wanted if sha in found and store.exists(sha)]
    for sha, link_id in zip(linked, new_link_ids(len(linked)), strict=True):
        rows.append(
            {
                "link_id": link_id,
                "user_id": session.user.id,
                "device_id": session.device_id,
                "version_id": found[sha],
                "sha256": sha,
                "expires_at": expires_at,
                "at": now,
            }
        )
        links.append(
            {
                "sha256": sha,
                "url": link_path(secret, sha, expires, link_id),
                "expires_at": expires_text,
            }
        )
    # The audit rows, committed before any link is returned (with the rows of
    # requests made at the same time: one commit for all of them).
    group_commit(engine).insert(schema.blob_link_issues, rows)
    given = set(linked)
    return {"links": links, "missing": [sha for sha in wanted if sha not in given]}


def authenticated_issue(
    engine: Engine,
    credentials: HTTPAuthorizationCredentials | None,
    store: FileBlobStore,
    secret: str,
    hashes: list[str],
    lifetime: timedelta,
    versions: MeetingVersionCache,
) -> bytes:
    """Return the ``BlobLinksResponse`` JSON (bytes) of the caller's links to ``hashes``.

    Raises ApiError 401/410 as :func:`server.routes.current_session` does.
    Called in a worker thread by the route and by
    :mod:`server.blob_links_asgi`, which answers well-formed requests.
    """
    # The session, the visibility and the links in one worker-thread hop and
    # the two reads on one pooled connection: this request is made once per
    # delegate at the rush, so its fixed cost counts.
    token = bearer_token(credentials)
    wanted = list(dict.fromkeys(hashes))
    with engine.connect() as conn:
        session = authenticate_on(conn, token)
        found = visible_versions(conn, session.user, wanted, versions)
    page = issue_links(engine, store, secret, session, wanted, found, lifetime)
    return json.dumps(page, separators=(",", ":")).encode()


@router.post(
    "/blob-links",
    response_model=BlobLinksResponse,
    responses=_errors(400, 401, 410, 413, 422),
)
async def post_blob_links(
    body: BlobLinksRequest,
    engine: Annotated[Engine, Depends(get_engine)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    store: Annotated[FileBlobStore, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
    secret: Annotated[str, Depends(get_link_secret)],
    versions: Annotated[MeetingVersionCache, Depends(get_version_cache)],
) -> Response:
    """Return signed download links (valid a few minutes) to the blobs the caller may see."""
    answer = await run_in_threadpool(
        authenticated_issue,
        engine,
        credentials,
        store,
        secret,
        body.sha256,
        settings.blob_link_lifetime,
        versions,
    )
    return Response(answer, media_type="application/json")


def _serve_link(
    store: FileBlobStore,
    secret: str,
    sha256: str,
    query: bytes,
    range_header: str | None,
    if_range: str | None,
    head: bool,
) -> Any:
    try:
        sha = validate_sha256(sha256)
    except InvalidId:
        raise _not_found() from None
    check_link(secret, sha, query, time.time())
    answer, served = plan_download(store, sha, range_header, if_range)
    if answer.status == 416 or head:
        answer.body = b""
    elif served is not None:
        open_download(store, answer, sha, served)
    return answer


# The parameters are documented here; the route reads them undecoded from the
# query string, exactly as nginx's $arg_e, $arg_id and $arg_s see them.
_E = Query(description="Expiry (Unix time).")
_ID = Query(description="The link's id (its audit row).")
_S = Query(description="The signature.")


@router.get(
    "/blob-links/d/{sha256}",
    response_class=Response,
    responses={
        200: {"content": _BINARY, "description": "The whole blob."},
        206: {"content": _BINARY, "description": "The requested byte range."},
        **_errors(403, 404, 416),
    },
)
async def get_blob_link(
    sha256: str,
    request: Request,
    store: Annotated[FileBlobStore, Depends(get_store)],
    secret: Annotated[str, Depends(get_link_secret)],
    e: Annotated[str | None, _E] = None,
    id: Annotated[str | None, _ID] = None,  # the link's parameter name
    s: Annotated[str | None, _S] = None,
) -> Response:
    """Return a blob (or a byte range of it) for a signed link; no bearer token needed."""
    answer = await run_in_threadpool(
        _serve_link,
        store,
        secret,
        sha256,
        request.scope.get("query_string", b""),
        request.headers.get("range"),
        request.headers.get("if-range"),
        request.method == "HEAD",
    )
    return download_response(answer)


@router.head(
    "/blob-links/d/{sha256}",
    response_class=Response,
    responses=_errors(403, 404, 416),
)
async def head_blob_link(
    sha256: str,
    request: Request,
    store: Annotated[FileBlobStore, Depends(get_store)],
    secret: Annotated[str, Depends(get_link_secret)],
    e: Annotated[str | None, _E] = None,
    id: Annotated[str | None, _ID] = None,
    s: Annotated[str | None, _S] = None,
) -> Response:
    """Return the headers ``GET`` would for a signed link, without the bytes."""
    return await get_blob_link(sha256, request, store, secret, e, id, s)
