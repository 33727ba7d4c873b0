"""Protocol v1 sync endpoints: the change feed and mutations."""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import Engine

from server.feed import DEFAULT_LIMIT, MAX_LIMIT, FirstPageCache, pull_json
from server.models import ChangesResponse, ErrorResponse, MutationsRequest, MutationsResponse
from server.mutations import apply_batch
from server.routes import bearer_scheme, current_session, get_engine
from server.sessions import Session

router = APIRouter(prefix="/api/v1")


async def get_page_cache(request: Request) -> FirstPageCache:
    """Return the app's cache of shared first pages of the feed."""
    return cast(FirstPageCache, request.app.state.page_cache)


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (400, 401, 410, 413, 422)
}


def _changes(
    engine: Engine,
    credentials: HTTPAuthorizationCredentials | None,
    since: str | None,
    limit: int,
    cache: FirstPageCache,
) -> bytes:
    # The session and the page in one worker-thread hop: at the rush every
    # delegate pulls at once, and each hop costs a thread switch.
    session = current_session(engine, credentials)
    return pull_json(engine, session.user, since, limit, cache)


@router.get(
    "/changes", responses=_ERRORS, response_model=ChangesResponse, response_model_exclude_none=True
)
async def get_changes(
    engine: Annotated[Engine, Depends(get_engine)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    cache: Annotated[FirstPageCache, Depends(get_page_cache)],
    since: Annotated[str | None, Query(max_length=1000)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> Response:
    """Return what the caller may see that changed after cursor ``since`` (see docs/protocol.md)."""
    # The page is built and serialised in the worker thread, as the JSON the
    # response model documents: validating thousands of entities again in
    # pydantic would cost more than the query.
    # A first page the same for many users comes from ``cache`` (server.feed).
    body = await run_in_threadpool(_changes, engine, credentials, since, limit, cache)
    return Response(body, media_type="application/json")


@router.post(
    "/mutations",
    responses=_ERRORS,
    response_model=MutationsResponse,
)
async def post_mutations(
    body: MutationsRequest,
    session: Annotated[Session, Depends(current_session)],
    engine: Annotated[Engine, Depends(get_engine)],
) -> dict[str, Any]:
    """Apply a batch of operations in one transaction; one result per operation."""
    results = await run_in_threadpool(apply_batch, engine, session.user, body.operations)
    return {"results": results}
