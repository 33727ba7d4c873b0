"""The JSON shapes of protocol v1 requests and responses (pydantic models)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from meetingroom.domain import Classification, Role


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refuse it here as bad input, not a 500.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _text(max_length: int) -> StringConstraints:
    return StringConstraints(min_length=1, max_length=max_length)


Username = Annotated[str, _text(64), AfterValidator(_no_nul)]
Password = Annotated[str, _text(1024), AfterValidator(_no_nul)]
DeviceId = Annotated[str, _text(128), AfterValidator(_no_nul)]
DeviceName = Annotated[str, _text(200), AfterValidator(_no_nul)]


class LoginRequest(BaseModel):
    """``POST /api/v1/login``: credentials and the device signing in."""

    model_config = ConfigDict(strict=True)

    username: Username
    password: Password
    # Chosen by the client once per installation (a UUID is recommended).
    device_id: DeviceId
    device_name: DeviceName


class UserOut(BaseModel):
    """Who a user is, as far as the client needs to know."""

    id: str
    username: str
    display_name: str
    role: Role
    clearance: Classification


class LoginResponse(BaseModel):
    """A new bearer token, its owner and when it expires."""

    token: str
    user: UserOut
    expires_at: datetime


class MeResponse(BaseModel):
    """The caller of ``GET /api/v1/me``: user, device and token expiry."""

    user: UserOut
    device_id: str
    device_name: str
    expires_at: datetime


class HealthResponse(BaseModel):
    """``GET /api/v1/health``."""

    status: str
    version: str


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: str
    message: str
