"""The JSON shapes of protocol v1 requests and responses (pydantic models)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

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


class DirectoryEntryOut(BaseModel):
    """One account of the user directory, for choosing a meeting's participants."""

    user_id: str
    username: str
    display_name: str
    role: Role
    clearance: Classification


class DirectoryResponse(BaseModel):
    """``GET /api/v1/directory``: every active account, ordered by username."""

    users: list[DirectoryEntryOut]


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


class ChangeOut(BaseModel):
    """One entity in the change feed: its type and full current state."""

    type: str
    entity: dict[str, Any]


class PurgeOut(BaseModel):
    """An entity (or a whole meeting) the client must delete from its cache."""

    type: str
    id: str


class ChangesResponse(BaseModel):
    """``GET /api/v1/changes``: one page of the caller's feed."""

    changes: list[ChangeOut]
    purge: list[PurgeOut]
    cursor: str
    has_more: bool


class MutationsRequest(BaseModel):
    """``POST /api/v1/mutations``: up to 500 operations, applied in order in one transaction."""

    operations: list[Any] = Field(max_length=500)


class MutationResult(BaseModel):
    """The outcome of one operation: applied, conflict or rejected."""

    op_id: str | None
    status: str
    rev: int | None = None
    entity: dict[str, Any] | None = None
    fields: list[str] | None = None
    error: str | None = None
    message: str | None = None


class MutationsResponse(BaseModel):
    """One result per operation, in the order of the request."""

    results: list[MutationResult]


# --- Blobs ---------------------------------------------------------------------

Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class UploadRequest(BaseModel):
    """``POST /api/v1/uploads``: the hash and size the uploaded bytes must have."""

    model_config = ConfigDict(strict=True)

    sha256: Sha256Hex
    size: int = Field(ge=0)


class UploadCreated(BaseModel):
    """A new upload session (201)."""

    upload_id: str
    received: int


class UploadExists(BaseModel):
    """The blob is already stored; nothing to upload (200)."""

    status: str


class UploadProgress(BaseModel):
    """Bytes received so far (after a chunk)."""

    received: int


class UploadStatus(BaseModel):
    """``GET /api/v1/uploads/{upload_id}``: bytes received and the declared size."""

    received: int
    size: int


class UploadCompleted(BaseModel):
    """The verified blob's hash, now downloadable by whoever may see a version of it."""

    sha256: str


# At most this many hashes per POST /api/v1/blob-links.
MAX_LINK_HASHES = 500


class BlobLinksRequest(BaseModel):
    """``POST /api/v1/blob-links``: the blobs the caller wants signed download links for."""

    model_config = ConfigDict(strict=True)

    sha256: list[Sha256Hex] = Field(max_length=MAX_LINK_HASHES)


class BlobLinkOut(BaseModel):
    """One signed, short-lived download link (a path on this server)."""

    sha256: str
    url: str
    expires_at: datetime


class BlobLinksResponse(BaseModel):
    """The links issued, and the hashes with none (not visible to the caller, or not uploaded)."""

    links: list[BlobLinkOut]
    missing: list[str]
