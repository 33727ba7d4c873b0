"""Protocol v1 endpoints so far: health, login, logout, me, directory."""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from meetingroom.domain import Role
from server.accounts import User, list_users
from server.config import Settings
from server.errors import ApiError
from server.models import (
    DirectoryEntryOut,
    DirectoryResponse,
    ErrorResponse,
    HealthResponse,
    LoginRequest,
    LoginResponse,
    MeResponse,
    UserOut,
)
from server.sessions import Session, authenticate, login, logout, unauthorized

router = APIRouter(prefix="/api/v1")

bearer_scheme = HTTPBearer(auto_error=False, description="The token from POST /api/v1/login.")

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (400, 401, 410, 413, 422, 429)
}


# Looked up once: reading the package metadata took about 0.5 ms, on every
# GET /health.
@functools.cache
def server_version() -> str:
    """Return the installed version of the meetingroom distribution."""
    try:
        return version("meetingroom")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def user_out(user: User) -> UserOut:
    """Return the protocol's ``user`` object for ``user``."""
    return UserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        clearance=user.clearance,
    )


# The accessors of the app's state are ``async`` so that FastAPI calls them
# on the event loop: a plain ``def`` dependency costs a worker-thread hop
# per request each, for a lookup.
async def get_engine(request: Request) -> Engine:
    """Return the app's database engine."""
    return cast(Engine, request.app.state.engine)


async def get_settings(request: Request) -> Settings:
    """Return the app's settings."""
    return cast(Settings, request.app.state.settings)


def current_session(
    engine: Annotated[Engine, Depends(get_engine)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Session:
    """Return the caller's session; raise 401 without a valid bearer token, 410 when wiped."""
    return authenticate(engine, bearer_token(credentials))


def bearer_token(credentials: HTTPAuthorizationCredentials | None) -> str:
    """Return the bearer token of a request; raise 401 when there is none or it is oversized."""
    if credentials is None or not credentials.credentials:
        raise unauthorized("Send the token from /api/v1/login as 'Authorization: Bearer TOKEN'.")
    if len(credentials.credentials) > 512:
        raise unauthorized("The token is not valid; sign in again.", "invalid_token")
    return credentials.credentials


@router.get("/health")
def health() -> HealthResponse:
    """Answer that the server is up, with its version (no authentication)."""
    return HealthResponse(status="ok", version=server_version())


@router.post("/login", responses=_ERRORS)
async def post_login(
    body: LoginRequest,
    request: Request,
    engine: Annotated[Engine, Depends(get_engine)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> LoginResponse:
    """Exchange credentials for a bearer token bound to (user, device)."""
    ip = request.client.host if request.client else "unknown"
    result = await login(
        engine, settings, body.username, body.password, body.device_id, body.device_name, ip
    )
    return LoginResponse(
        token=result.token,
        user=user_out(result.session.user),
        expires_at=result.session.expires_at,
    )


@router.post("/logout", status_code=204, responses=_ERRORS)
def post_logout(
    session: Annotated[Session, Depends(current_session)],
    engine: Annotated[Engine, Depends(get_engine)],
) -> Response:
    """Revoke the bearer token the request was made with."""
    logout(engine, session)
    return Response(status_code=204)


@router.get("/me", responses=_ERRORS)
def get_me(session: Annotated[Session, Depends(current_session)]) -> MeResponse:
    """Return who the bearer token belongs to."""
    return MeResponse(
        user=user_out(session.user),
        device_id=session.device_id,
        device_name=session.device_name,
        expires_at=session.expires_at,
    )


# Who may read the user directory: the people who prepare meetings and
# choose their participants. Delegates and observers never need it.
DIRECTORY_ROLES = frozenset({Role.SECRETARY, Role.CHAIR})


def _directory(engine: Engine) -> DirectoryResponse:
    with engine.connect() as conn:
        accounts = list_users(conn)
    return DirectoryResponse(
        users=[
            DirectoryEntryOut(
                user_id=u.id,
                username=u.username,
                display_name=u.display_name,
                role=u.role,
                clearance=u.clearance,
            )
            for u in accounts
        ]
    )


@router.get(
    "/directory",
    responses={s: {"model": ErrorResponse} for s in (401, 403, 410)},
)
async def get_directory(
    session: Annotated[Session, Depends(current_session)],
    engine: Annotated[Engine, Depends(get_engine)],
) -> DirectoryResponse:
    """Return the active accounts (secretaries and chairs only; 403 for anyone else)."""
    if session.user.role not in DIRECTORY_ROLES:
        raise ApiError(403, "forbidden", "Only secretaries and chairs may read the directory.")
    return await run_in_threadpool(_directory, engine)
