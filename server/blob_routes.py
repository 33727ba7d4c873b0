"""Protocol v1 blob endpoints: download with Range and audit, resumable upload.

Downloads are allowed to whoever may see at least one live document version
with the blob's hash (the feed's rules, :mod:`server.visibility`); everyone
else gets the same 404 as for a hash nobody uses, so existence is not
revealed. Uploads are for secretaries: an upload session belongs to the user
who began it, and its bytes become a blob only once they hash to the
promised SHA-256.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Collection, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, cast

import anyio
import anyio.from_thread
from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy import Connection, Engine, Select, bindparam, delete, insert, select
from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope, Send

from meetingroom.domain import Role, utcnow
from server.accounts import User
from server.blobstore import (
    BlobNotFound,
    FileBlobStore,
    InvalidId,
    RangeReader,
    UploadHashMismatch,
    UploadIncomplete,
    UploadNotFound,
    UploadOffsetMismatch,
    UploadTooLarge,
    etag,
    validate_sha256,
    validate_upload_id,
)
from server.config import Settings
from server.db import schema
from server.db.group_commit import group_commit
from server.errors import ApiError, error_response
from server.meeting_versions import MeetingVersionCache, visible_in_taken_part
from server.models import (
    ErrorResponse,
    UploadCompleted,
    UploadCreated,
    UploadExists,
    UploadProgress,
    UploadRequest,
    UploadStatus,
)
from server.ranges import RangeNotSatisfiable, content_range, parse_content_range, parse_range
from server.ranges import range_applies as _range_applies
from server.routes import current_session, get_engine, get_settings
from server.sessions import Session
from server.visibility import CLASSIFICATION_RANK, TAKING_PART_WHERE, managed_meetings

router = APIRouter(prefix="/api/v1")

# PUT /api/v1/uploads/{id}: the one route whose body is streamed, not buffered.
UPLOAD_CHUNK_PATH = re.compile(r"/api/v1/uploads/[^/]+/?")


def is_upload_chunk(scope: Scope) -> bool:
    """Return True for a chunk upload request (exempt from the JSON body limit)."""
    return scope.get("method") == "PUT" and UPLOAD_CHUNK_PATH.fullmatch(scope["path"]) is not None


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorResponse} for status in statuses}


_BINARY = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}


async def get_store(request: Request) -> FileBlobStore:
    """Return the app's blob store."""
    return cast(FileBlobStore, request.app.state.blob_store)


def _not_found() -> ApiError:
    return ApiError(404, "not_found", "No such blob.")


def _upload_not_found() -> ApiError:
    return ApiError(404, "not_found", "No such upload.")


# --- Downloads -----------------------------------------------------------------


def find_visible_version(conn: Connection, user: User, sha: str) -> str | None:
    """Return the id of a live document version with hash ``sha`` that ``user`` may see."""
    return visible_versions(conn, user, [sha]).get(sha)


def _visibility_queries() -> tuple[Select[Any], Select[Any]]:
    """Return the two statements of :func:`visible_versions`, built once: building a
    statement costs more than running it (every link request runs them)."""
    v, d, m, p = schema.document_versions, schema.documents, schema.meetings, schema.participants
    joined = v.join(d, d.c.id == v.c.document_id).join(m, m.c.id == d.c.meeting_id)
    live = (
        v.c.sha256.in_(bindparam("shas", expanding=True)),
        v.c.deleted.is_(False),
        d.c.deleted.is_(False),
    )
    managed = select(v.c.sha256, v.c.id, m.c.id.label("meeting_id")).select_from(joined)
    taking_part = (
        select(
            v.c.sha256,
            v.c.id,
            v.c.classification,
            d.c.classification.label("document_classification"),
            p.c.clearance,
        )
        .select_from(joined.join(p, p.c.meeting_id == m.c.id))
        .where(*live, *TAKING_PART_WHERE)  # the meeting's liveness included
        .order_by(v.c.id)
    )
    return managed.where(*live, m.c.deleted.is_(False)).order_by(v.c.id), taking_part


_MANAGED_VERSIONS, _PARTICIPANT_VERSIONS = _visibility_queries()


def visible_versions(
    conn: Connection,
    user: User,
    shas: Collection[str],
    cache: MeetingVersionCache | None = None,
) -> dict[str, str]:
    """Return, for each hash of ``shas`` that ``user`` may download, the id of a live
    document version with that hash the user may see (hashes without one are left out).

    Secretaries first get any version in a meeting they manage. Then, for
    secretaries too in the meetings they merely take part in, the caller's
    live participant rows in visible meetings (the rules of
    :func:`server.visibility.visible_meetings`) decide: the first version (by
    id) whose classifications the caller's clearance there allows is the
    answer. With ``cache``, the versions of those meetings come from it
    (:mod:`server.meeting_versions`); without, from one join.
    """
    if not shas:
        return {}
    wanted = list(shas)
    found: dict[str, str] = {}
    if user.role is Role.SECRETARY:
        # Every version of the meetings they manage, whatever its classification.
        managed = managed_meetings(conn, user.id)
        if managed:
            for sha, version_id, meeting_id in conn.execute(_MANAGED_VERSIONS, {"shas": wanted}):
                if str(meeting_id) in managed:
                    found.setdefault(str(sha), str(version_id))
    taken = None if cache is None else visible_in_taken_part(conn, user, wanted, cache)
    if taken is None:
        taken = _visible_by_join(conn, user, wanted)
    for sha, version_id in taken.items():
        found.setdefault(sha, version_id)
    return found


def _visible_by_join(conn: Connection, user: User, wanted: list[str]) -> dict[str, str]:
    """Return :func:`server.meeting_versions.visible_in_taken_part`'s answer from one join."""
    rows = conn.execute(_PARTICIPANT_VERSIONS, {"shas": wanted, "user_id": user.id}).all()
    account = CLASSIFICATION_RANK[user.clearance.value]
    found: dict[str, str] = {}
    for r in rows:
        if r.sha256 in found:
            continue
        clearance = min(CLASSIFICATION_RANK[r.clearance], account)
        if (
            clearance >= CLASSIFICATION_RANK[r.classification]
            and clearance >= (CLASSIFICATION_RANK[r.document_classification])
        ):
            found[str(r.sha256)] = str(r.id)
    return found


# Downloads stream in blocks this large: each block is one hop to a worker
# thread and one write to the socket, so small blocks cost more CPU than I/O.
STREAM_BLOCK = 1024 * 1024


@dataclass(slots=True)
class _Download:
    """What one authorised GET or HEAD of a blob answers."""

    status: int
    headers: dict[str, str]
    body: bytes | None = None  # the whole answer when small (or empty, or HEAD)
    reader: RangeReader | None = None  # the rest: streamed
    accel: str | None = None  # X-Accel-Redirect target: nginx sends the bytes


def accel_target(prefix: str, sha: str) -> str:
    """Return the X-Accel-Redirect URI of blob ``sha`` under ``prefix`` (``PREFIX/ab/cd/<sha>``)."""
    return f"{prefix}/{sha[:2]}/{sha[2:4]}/{sha}"


def plan_download(
    store: FileBlobStore, sha: str, range_header: str | None, if_range: str | None
) -> tuple[_Download, tuple[int, int] | None]:
    """Return what a GET of blob ``sha`` answers (status and headers, no body yet) and the
    bytes it serves (inclusive; None for a 416 or an empty blob).

    The rules of docs/protocol.md: one satisfiable range honoured (206) when
    ``If-Range`` is absent or the current ETag; a range past the end 416;
    anything else the whole blob. Raises ApiError 404 ``blob_missing``.
    """
    try:
        size = store.size(sha)
    except BlobNotFound:
        raise ApiError(404, "blob_missing", "The blob has not been uploaded yet.") from None
    tag = etag(sha)
    headers = {
        "ETag": tag,
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, no-store",
    }
    served: tuple[int, int] | None = None
    status = 200
    if range_header is not None and _range_applies(if_range, tag):
        try:
            served = parse_range(range_header, size)
        except RangeNotSatisfiable as exc:
            headers["Content-Range"] = exc.content_range
            return _Download(416, headers), None
        if served is not None:
            status = 206
            headers["Content-Range"] = content_range(served[0], served[1], size)
    if served is None and size > 0:
        served = (0, size - 1)
    length = 0 if served is None else served[1] - served[0] + 1
    headers["Content-Length"] = str(length)
    return _Download(status, headers, b"" if served is None else None), served


def open_download(
    store: FileBlobStore, answer: _Download, sha: str, served: tuple[int, int]
) -> None:
    """Open the bytes ``served`` of blob ``sha`` into ``answer``: read whole when at most
    one block (``answer.body``), else a reader to stream (``answer.reader``).

    Raises ApiError 404 ``blob_missing``.
    """
    try:
        reader = store.open_range(sha, served[0], served[1])
    except (BlobNotFound, ValueError):
        raise ApiError(404, "blob_missing", "The blob has not been uploaded yet.") from None
    try:
        reader.block_size = STREAM_BLOCK
        if served[1] - served[0] + 1 <= STREAM_BLOCK:
            answer.body = next(reader, b"")
            reader.close()
        else:
            answer.reader = reader
    except BaseException:
        reader.close()
        raise


def _prepare_download(
    engine: Engine,
    store: FileBlobStore,
    session: Session,
    sha: str,
    range_header: str | None,
    if_range: str | None,
    head: bool,
    accel: str | None = None,
) -> _Download:
    """Authorise, size, open and (for GET) audit a download in one worker-thread hop.

    The authorisation and the audit row share one connection and transaction
    (committed as the row is written, in the process's SQLite write turn).
    A body of at most one block is read here, so it needs no further hop.

    With ``accel`` (``serve --accel-redirect PREFIX``) a GET of a non-empty
    blob without ``If-Range``, whose ``Range`` (if any) is one satisfiable
    range, is audited as usual and answered with an empty body and the
    X-Accel-Redirect target: nginx sends the bytes and applies the same
    ``Range``. Everything else (HEAD, 416, If-Range, ranges this server
    ignores) is answered here, so nginx never decides differently from us.
    """
    with engine.connect() as conn:
        version_id = find_visible_version(conn, session.user, sha)
        if version_id is None:
            raise _not_found()
        answer, served = plan_download(store, sha, range_header, if_range)
        if answer.status == 416:
            return answer
        if head:
            answer.body = b""
            return answer
        if served is None:  # an empty blob: nothing to open or stream
            _record_download(conn, session, version_id, sha, None, answer.status)
            return answer
        if (
            accel is not None
            and if_range is None
            and (range_header is None or answer.status == 206)
        ):
            _record_download(conn, session, version_id, sha, served, answer.status)
            # nginx's static handler adds Content-Length, Content-Range and
            # Accept-Ranges itself (it copies ours too: two Accept-Ranges).
            headers = answer.headers
            del headers["Content-Length"]
            del headers["Accept-Ranges"]
            headers.pop("Content-Range", None)
            return _Download(200, headers, b"", accel=accel_target(accel, sha))
        open_download(store, answer, sha, served)
        try:
            _record_download(conn, session, version_id, sha, served, answer.status)
        except BaseException:
            if answer.reader is not None:
                answer.reader.close()
            raise
        return answer


def _record_download(
    conn: Connection,
    session: Session,
    version_id: str,
    sha: str,
    served: tuple[int, int] | None,
    status: int,
) -> None:
    """Write and commit the audit row of a download, before its first byte goes out."""
    # The read transaction ends first: the row is committed on the group
    # writer's connection, with the rows of downloads starting at the same time.
    conn.rollback()
    row = {
        "user_id": session.user.id,
        "device_id": session.device_id,
        "version_id": version_id,
        "sha256": sha,
        "range_start": None if served is None else served[0],
        "range_end": None if served is None else served[1],
        "status": status,
        "at": utcnow(),
    }
    group_commit(conn.engine).insert(schema.blob_downloads, [row])


def _next_block(reader: RangeReader) -> bytes:
    return next(reader, b"")


async def _blocks(reader: RangeReader) -> AsyncIterator[bytes]:
    try:
        while block := await run_in_threadpool(_next_block, reader):
            yield block
    finally:
        reader.close()


class _BlobResponse(StreamingResponse):
    """Streams a RangeReader block by block and closes it however the response ends."""

    def __init__(self, reader: RangeReader, status_code: int, headers: dict[str, str]) -> None:
        super().__init__(
            _blocks(reader),
            status_code=status_code,
            headers=headers,
            media_type="application/octet-stream",
        )
        self._reader = reader

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._reader.close()


@router.get(
    "/blobs/{sha256}",
    response_class=Response,
    responses={
        200: {"content": _BINARY, "description": "The whole blob."},
        206: {"content": _BINARY, "description": "The requested byte range."},
        **_errors(401, 404, 410, 416),
    },
)
async def get_blob(
    sha256: str,
    request: Request,
    session: Annotated[Session, Depends(current_session)],
    engine: Annotated[Engine, Depends(get_engine)],
    store: Annotated[FileBlobStore, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    """Return a blob (or a byte range of it) to a caller who may see a version of it."""
    try:
        sha = validate_sha256(sha256)
    except InvalidId:
        raise _not_found() from None
    answer = await run_in_threadpool(
        _prepare_download,
        engine,
        store,
        session,
        sha,
        request.headers.get("range"),
        request.headers.get("if-range"),
        request.method == "HEAD",
        settings.accel_redirect,
    )
    return download_response(answer)


def download_response(answer: _Download) -> Response:
    """Return the HTTP response of a prepared download (416 as the JSON error)."""
    if answer.status == 416:
        return error_response(
            416,
            "range_not_satisfiable",
            "The requested range is outside the blob.",
            answer.headers,
        )
    if answer.reader is not None:
        return _BlobResponse(answer.reader, answer.status, answer.headers)
    if answer.accel is not None:
        # nginx's internal location sends the bytes (with the client's Range)
        # and keeps these headers; the body here is empty.
        response = Response(b"", status_code=200, media_type="application/octet-stream")
        response.headers.update(answer.headers)
        response.headers["X-Accel-Redirect"] = answer.accel
        return response
    response = Response(
        answer.body, status_code=answer.status, media_type="application/octet-stream"
    )
    # Content-Length is the blob's (or range's), also for HEAD without a body.
    response.headers.update(answer.headers)
    return response


@router.head(
    "/blobs/{sha256}",
    response_class=Response,
    responses=_errors(401, 404, 410, 416),
)
async def head_blob(
    sha256: str,
    request: Request,
    session: Annotated[Session, Depends(current_session)],
    engine: Annotated[Engine, Depends(get_engine)],
    store: Annotated[FileBlobStore, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    """Return the headers ``GET`` would (size, ETag, range), without the bytes or an audit row."""
    return await get_blob(sha256, request, session, engine, store, settings)


# --- Uploads -------------------------------------------------------------------


def _require_secretary(session: Session) -> None:
    if session.user.role is not Role.SECRETARY:
        raise ApiError(403, "forbidden", "Only secretaries upload documents.")


def _owned_upload(engine: Engine, session: Session, upload_id: str) -> None:
    """Raise 404 unless ``upload_id`` is a live upload begun by the caller."""
    try:
        validate_upload_id(upload_id)
    except InvalidId:
        raise _upload_not_found() from None
    u = schema.uploads
    with engine.connect() as conn:
        row = conn.execute(select(u.c.user_id).where(u.c.upload_id == upload_id)).first()
    if row is None or row.user_id != session.user.id:
        raise _upload_not_found()


def _forget_upload(engine: Engine, upload_id: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(schema.uploads).where(schema.uploads.c.upload_id == upload_id))


def _begin(
    engine: Engine, store: FileBlobStore, session: Session, body: UploadRequest, limit: int
) -> str | None:
    if store.exists(body.sha256):
        return None
    upload_id = store.begin_upload(body.sha256, body.size, limit)
    with engine.begin() as conn:
        conn.execute(
            insert(schema.uploads).values(
                upload_id=upload_id,
                user_id=session.user.id,
                sha256=body.sha256,
                size=body.size,
                created_at=utcnow(),
            )
        )
    return upload_id


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "upload_too_large", f"A blob may not be larger than {limit} bytes.")


@router.post(
    "/uploads",
    status_code=201,
    response_model=UploadCreated,
    responses={200: {"model": UploadExists}, **_errors(400, 401, 403, 410, 413, 422)},
)
async def post_upload(
    body: UploadRequest,
    session: Annotated[Session, Depends(current_session)],
    engine: Annotated[Engine, Depends(get_engine)],
    settings: Annotated[Settings, Depends(get_settings)],
    store: Annotated[FileBlobStore, Depends(get_store)],
) -> Response:
    """Begin an upload of a blob of the given hash and size (secretaries only)."""
    _require_secretary(session)
    if body.size > settings.max_upload_bytes:
        raise _too_large(settings.max_upload_bytes)
    upload_id = await run_in_threadpool(
        _begin, engine, store, session, body, settings.max_upload_bytes
    )
    if upload_id is None:
        return JSONResponse({"status": "exists"}, 200)
    return JSONResponse({"upload_id": upload_id, "received": 0}, 201)


class _ChunkTooLong(Exception):
    pass


class _ChunkTooShort(Exception):
    pass


async def _next_chunk(stream: AsyncIterator[bytes]) -> bytes | None:
    try:
        return await anext(stream)
    except StopAsyncIteration:
        return None


def _body_blocks(stream: AsyncIterator[bytes], expected: int) -> Iterator[bytes]:
    """Yield the request body (read from the event loop) in a worker thread, checking its size."""
    got = 0
    while (chunk := anyio.from_thread.run(_next_chunk, stream)) is not None:
        if not chunk:
            continue
        got += len(chunk)
        if got > expected:
            raise _ChunkTooLong
        yield chunk
    if got != expected:
        raise _ChunkTooShort


def _bad_range(message: str) -> ApiError:
    return ApiError(400, "bad_content_range", message)


@router.put(
    "/uploads/{upload_id}",
    response_model=UploadProgress,
    responses=_errors(400, 401, 403, 404, 409, 410, 413),
)
async def put_upload_chunk(
    upload_id: str,
    request: Request,
    session: Annotated[Session, Depends(current_session)],
    engine: Annotated[Engine, Depends(get_engine)],
    settings: Annotated[Settings, Depends(get_settings)],
    store: Annotated[FileBlobStore, Depends(get_store)],
) -> Response:
    """Append one chunk (``Content-Range: bytes A-B/TOTAL``, raw bytes as the body)."""
    _require_secretary(session)
    await run_in_threadpool(_owned_upload, engine, session, upload_id)
    header = request.headers.get("content-range")
    if header is None:
        raise _bad_range("Send the chunk's position as 'Content-Range: bytes A-B/TOTAL'.")
    try:
        start, end, total = parse_content_range(header)
    except ValueError:
        raise _bad_range("The Content-Range header is malformed.") from None
    try:
        received, size = await run_in_threadpool(store.upload_status, upload_id)
    except UploadNotFound:
        raise _upload_not_found() from None
    if total is not None and total != size:
        raise _bad_range(f"The upload was declared as {size} bytes, not {total}.")
    expected = end - start + 1
    if size is not None and end >= size:
        raise _too_large(size)
    if start + expected > settings.max_upload_bytes:
        raise _too_large(settings.max_upload_bytes)
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            declared_length = int(declared)
        except ValueError:
            raise ApiError(400, "bad_request", "Invalid Content-Length header.") from None
        if declared_length > expected:
            raise ApiError(413, "body_too_large", "The body is longer than its Content-Range.")
        if declared_length < expected:
            raise _bad_range("The body is shorter than its Content-Range.")
    if start != received:
        return error_response(
            409,
            "offset_mismatch",
            f"The upload has {received} bytes; send the chunk at that offset.",
            received=received,
        )
    stream = request.stream().__aiter__()
    try:
        received = await anyio.to_thread.run_sync(
            store.append, upload_id, start, _body_blocks(stream, expected)
        )
    except UploadOffsetMismatch as exc:
        return error_response(
            409,
            "offset_mismatch",
            f"The upload has {exc.current} bytes; send the chunk at that offset.",
            received=exc.current,
        )
    except UploadTooLarge as exc:
        raise _too_large(exc.limit) from None
    except UploadNotFound:
        raise _upload_not_found() from None
    except _ChunkTooLong:
        raise ApiError(
            413, "body_too_large", "The body is longer than its Content-Range."
        ) from None
    except _ChunkTooShort:
        raise _bad_range("The body is shorter than its Content-Range.") from None
    except ClientDisconnect:
        # Nothing of the chunk was kept; the client resumes from GET /uploads/{id}.
        raise ApiError(400, "bad_request", "The request body ended early.") from None
    return JSONResponse({"received": received}, 200)


@router.get(
    "/uploads/{upload_id}",
    response_model=UploadStatus,
    responses=_errors(401, 403, 404, 410),
)
async def get_upload(
    upload_id: str,
    session: Annotated[Session, Depends(current_session)],
    engine: Annotated[Engine, Depends(get_engine)],
    store: Annotated[FileBlobStore, Depends(get_store)],
) -> dict[str, int]:
    """Return how many bytes of the upload the server holds, and its declared size."""
    _require_secretary(session)
    await run_in_threadpool(_owned_upload, engine, session, upload_id)
    try:
        received, size = await run_in_threadpool(store.upload_status, upload_id)
    except UploadNotFound:
        raise _upload_not_found() from None
    return {"received": received, "size": received if size is None else size}


@router.post(
    "/uploads/{upload_id}/complete",
    response_model=UploadCompleted,
    responses=_errors(401, 403, 404, 409, 410, 422),
)
async def complete_upload(
    upload_id: str,
    session: Annotated[Session, Depends(current_session)],
    engine: Annotated[Engine, Depends(get_engine)],
    store: Annotated[FileBlobStore, Depends(get_store)],
) -> Response:
    """Verify the received bytes against the hash and publish the blob."""
    _require_secretary(session)
    await run_in_threadpool(_owned_upload, engine, session, upload_id)
    try:
        sha = await run_in_threadpool(store.complete, upload_id)
    except UploadNotFound:
        await run_in_threadpool(_forget_upload, engine, upload_id)
        raise _upload_not_found() from None
    except UploadIncomplete as exc:
        return error_response(
            409,
            "upload_incomplete",
            f"Received {exc.received} of {exc.expected} bytes; send the rest first.",
            received=exc.received,
        )
    except UploadHashMismatch:
        await run_in_threadpool(_forget_upload, engine, upload_id)
        return error_response(
            422,
            "hash_mismatch",
            "The uploaded bytes do not match the declared SHA-256; the upload was discarded.",
        )
    await run_in_threadpool(_forget_upload, engine, upload_id)
    return JSONResponse({"sha256": sha}, 200)


@router.delete("/uploads/{upload_id}", status_code=204, responses=_errors(401, 403, 404, 410))
async def delete_upload(
    upload_id: str,
    session: Annotated[Session, Depends(current_session)],
    engine: Annotated[Engine, Depends(get_engine)],
    store: Annotated[FileBlobStore, Depends(get_store)],
) -> Response:
    """Abandon an upload and delete what it received."""
    _require_secretary(session)
    await run_in_threadpool(_owned_upload, engine, session, upload_id)
    with contextlib.suppress(UploadNotFound):  # completed or aborted meanwhile
        await run_in_threadpool(store.abort, upload_id)
    await run_in_threadpool(_forget_upload, engine, upload_id)
    return Response(status_code=204)
