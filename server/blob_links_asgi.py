"""``POST /api/v1/blob-links`` answered in plain ASGI, ahead of FastAPI's routing.

Every delegate asks for links once at the 8 a.m. rush, all at the same
moment, and the request's fixed cost is what stands between them and nginx
sending the bytes. FastAPI's stack (middleware, routing, dependencies,
body model, response) was about a fifth of the request's instructions
(callgrind, one worker, ten links: 5.15 M per request through the stack,
4.11 M here). This path runs the same authorisation and issuance
(:func:`server.blob_links.authenticated_issue`) after reading the body and
validating it with the same model.

It answers only what it understands the way the route would: a JSON body
that :class:`server.models.BlobLinksRequest` accepts, within the body size
limit, with a bearer token. Anything else (malformed JSON, a wrong type,
another content type, no token, a declared length over the limit) is
handed on with its body to the app, whose route, validation and error
handlers answer it as for every other endpoint; the route also keeps the
endpoint in the OpenAPI document. A chunked body that grows past the limit
gets, here, the 413 the app's :class:`server.body_limit.BodySizeLimit` gives.
"""

from __future__ import annotations

from anyio import to_thread
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import ValidationError
from starlette.datastructures import State
from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from server.blob_links import authenticated_issue
from server.body_limit import read_body, replay, send_body_too_large
from server.errors import ApiError, error_response, unexpected_error_response
from server.models import BlobLinksRequest
from server.routes import bearer_scheme

PATH = "/api/v1/blob-links"


def _is_json(content_type: str | None) -> bool:
    """Return True for no content type or a JSON one (as FastAPI parses a JSON body)."""
    if content_type is None:
        return True
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


class BlobLinksFastPath:
    """ASGI middleware: answers well-formed ``POST /api/v1/blob-links``, passes on the rest.

    ``state`` is the app's state (engine, blob store, link secret, settings, version cache).
    """

    def __init__(self, app: ASGIApp, state: State) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI event: this endpoint's well-formed requests here, the rest by the app."""
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != PATH:
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        credentials = await bearer_scheme(connection)
        limit: int = self.state.settings.max_json_body
        declared = connection.headers.get("content-length", "0")
        if (
            credentials is None
            or not _is_json(connection.headers.get("content-type"))
            or not declared.isdigit()
            or int(declared) > limit
        ):
            await self.app(scope, receive, send)
            return
        body, too_large = await read_body(receive, limit)
        if too_large:  # a chunked body past the limit: the app's BodySizeLimit answer
            await send_body_too_large(send, limit)
            return
        request = _parse(body)
        if request is None:
            await self.app(scope, replay(body, receive), send)
            return
        await self._issue(scope, receive, send, credentials, request)

    async def _issue(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        credentials: HTTPAuthorizationCredentials,
        request: BlobLinksRequest,
    ) -> None:
        state = self.state
        try:
            answer = await to_thread.run_sync(
                authenticated_issue,
                state.engine,
                credentials,
                state.blob_store,
                state.blob_link_secret,
                request.sha256,
                state.settings.blob_link_lifetime,
                state.version_cache,
            )
        except ApiError as e:
            await error_response(e.status, e.code, e.message, e.headers)(scope, receive, send)
            return
        except Exception as e:  # as the app's handler of the unexpected: logged, a JSON 500
            await unexpected_error_response(e)(scope, receive, send)
            return
        await Response(answer, media_type="application/json")(scope, receive, send)


def _parse(body: bytes) -> BlobLinksRequest | None:
    """Return the request ``body`` holds, or None when the route's validation would refuse it."""
    try:
        return BlobLinksRequest.model_validate_json(body)
    except ValidationError:
        return None
