"""An ASGI middleware that refuses request bodies over a size limit with a JSON 413."""

from __future__ import annotations

import json
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send


async def _send_error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": code, "message": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                # The rest of the oversized body is never read.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    """Read each request body in full up to ``max_bytes``, then hand it on.

    Both a declared Content-Length and the bytes actually received are
    checked, so a chunked upload cannot slip past.

    Requests for which ``exempt(scope)`` is true (blob chunk uploads) pass
    through untouched and unbuffered: their route streams the body and
    enforces its own, larger limit.
    """

    def __init__(
        self, app: ASGIApp, max_bytes: int, exempt: Callable[[Scope], bool] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection event, refusing oversized bodies."""
        if scope["type"] != "http" or (self.exempt is not None and self.exempt(scope)):
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _send_error(send, 400, "bad_request", "Invalid Content-Length header.")
                    return
                if declared > self.max_bytes:
                    await send_body_too_large(send, self.max_bytes)
                    return
        body, too_large = await read_body(receive, self.max_bytes)
        if too_large:
            await send_body_too_large(send, self.max_bytes)
            return
        await self.app(scope, replay(body, receive), send)


async def send_body_too_large(send: Send, max_bytes: int) -> None:
    """Answer the 413 of a request body over ``max_bytes`` (and close the connection)."""
    await _send_error(
        send, 413, "body_too_large", f"The request body is larger than {max_bytes} bytes."
    )


async def read_body(receive: Receive, max_bytes: int) -> tuple[bytes, bool]:
    """Return the request body and whether it grew past ``max_bytes`` (then reading stops).

    When the client goes away the body read so far is returned; the app,
    given it by :func:`replay`, then sees the disconnect on its next receive.
    """
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            # The client went away; let the app see the disconnect.
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > max_bytes:
            return b"", True
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks), False


def replay(body: bytes, receive: Receive) -> Receive:
    """Return a ``receive`` that gives ``body`` (whole) first, then what ``receive`` gives."""
    replayed = False

    async def replayer() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayer
