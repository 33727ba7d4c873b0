"""Protocol v1 sync endpoints: the change feed and mutations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine

from server.feed import DEFAULT_LIMIT, MAX_LIMIT, pull_json
from server.models import ChangesResponse, ErrorResponse, MutationsRequest, MutationsResponse
from server.mutations import apply_batch
from server.routes import current_session, get_engine
from server.sessions import Session

router = APIRouter(prefix="/api/v1")

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (400, 401, 410, 413, 422)
}


@router.get(
    "/changes", responses=_ERRORS, response_model=ChangesResponse, response_model_exclude_none=True
)
async def get_changes(
    session: Annotated[Session, Depends(current_session)],
    engine: Annotated[Engine, Depends(get_engine)],
    since: Annotated[str | None, Query(max_length=1000)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> Response:
    """Return what the caller may see that changed after cursor ``since`` (see docs/protocol.md)."""
    # The page is built and serialised in the worker thread, as the JSON the
    # response model documents: validating thousands of entities again in
    # pydantic would cost more than the query.
    body = await run_in_threadpool(pull_json, engine, session.user, since, limit)
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
