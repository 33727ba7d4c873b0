"""Signed blob links: ask for download links in batches, download document bytes through them.

``POST /api/v1/blob-links`` answers, for the hashes the caller may download,
short-lived paths on the same server (docs/protocol.md, "Signed blob
links") that a deployment serves from nginx, so the bytes never pass
through the Python server. A link needs no bearer token, so none is sent
with it; the TLS settings, pins and proxy are the transport's, as for every
other request. When there is no usable link (an older server without the
endpoint, a hash the server gave none for, a link refused or expired) the
caller falls back to ``GET /api/v1/blobs/{sha256}`` with its token.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests

from sync.errors import NetworkError, ServerError
from sync.transport import API, Transport

log = logging.getLogger(__name__)

# Hashes per POST /blob-links (the server takes at most 500).
LINK_BATCH = 200
# A link this close to its expiry is asked for again rather than used.
REFRESH_MARGIN = 30.0
LINK_PATH = f"{API}/blob-links/d/"


class BlobLinks:
    """The links of one blob stage; thread-safe (the engine downloads in parallel).

    ``call`` sends an authenticated request with the engine's reactions to
    wipe and sign-in answers (``SyncEngine._call``); ``transport`` sends the
    link requests themselves, without the token.
    """

    def __init__(
        self,
        transport: Transport,
        call: Callable[..., requests.Response],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._transport = transport
        self._call = call
        self._clock = clock
        self._lock = threading.Lock()
        # sha256 -> (path, query arguments, expiry as Unix time); a link is
        # dropped once it has served a download, so what stays is still to fetch.
        self._links: dict[str, tuple[str, dict[str, str], float]] = {}
        self.supported = True

    def prefetch(self, hashes: Iterable[str]) -> None:
        """Ask for links to ``hashes``, in batches. Never raises for a refusal or a
        network failure: without links the downloads fall back to ``/blobs``.
        Raises the engine's wipe and sign-in reactions."""
        wanted = list(dict.fromkeys(hashes))
        for i in range(0, len(wanted), LINK_BATCH):
            if not self.supported:
                return
            self._ask(wanted[i : i + LINK_BATCH])

    def _ask(self, hashes: list[str]) -> None:
        try:
            response = self._call("POST", "/blob-links", json={"sha256": hashes})
            body = response.json()
        except ServerError as exc:
            if exc.status in (404, 405):
                self.supported = False  # a server without signed links
            log.info("sync: no blob links (%s); downloading through /blobs", exc.code)
            return
        except NetworkError as exc:
            # Each download then meets the network on its own and is reported
            # as not downloaded, as without links.
            log.info("sync: no blob links (%s)", type(exc).__name__)
            return
        except ValueError:
            log.info("sync: malformed blob links answer; downloading through /blobs")
            return
        links = body.get("links") if isinstance(body, dict) else None
        for item in links if isinstance(links, list) else []:
            parsed = _parse_link(item)
            if parsed is not None and parsed[0] in hashes:
                with self._lock:
                    self._links[parsed[0]] = parsed[1:]

    def _link(self, sha: str) -> tuple[str, dict[str, str]] | None:
        with self._lock:
            found = self._links.get(sha)
        if found is None:
            return None
        if found[2] - REFRESH_MARGIN < self._clock():
            # Links outlived by a long sync: ask again for every stale one at once.
            with self._lock:
                now = self._clock()
                stale = [s for s, link in self._links.items() if link[2] - REFRESH_MARGIN < now]
                for s in stale:
                    del self._links[s]
            self.prefetch([sha, *(s for s in stale if s != sha)])
            with self._lock:
                found = self._links.get(sha)
            if found is None:
                return None
        return found[0], found[1]

    def open(self, sha: str, headers: Mapping[str, str]) -> requests.Response | None:
        """Return the streamed answer (200 or 206) of ``sha``'s link with ``headers``
        (Range, If-Range), or None when there is no usable link: use ``/blobs``.

        Raises ServerError 416 (the caller restarts the download), NetworkError.
        """
        link = self._link(sha)
        if link is None:
            return None
        path, params = link
        try:
            response = self._transport.request(
                "GET",
                path.removeprefix(API),
                params=params,
                headers=headers,
                stream=True,
                expect=(200, 206),
                authorize=False,
            )
        except ServerError as exc:
            if exc.status == 416:
                raise
            # Refused (403: expired, or the deployment's secret changed), gone: fall back.
            log.info("sync: blob link refused (%s); downloading through /blobs", exc.code)
            with self._lock:
                self._links.pop(sha, None)
            return None
        with self._lock:
            self._links.pop(sha, None)
        return response


def _parse_link(item: Any) -> tuple[str, str, dict[str, str], float] | None:
    """Return (sha256, path, query arguments, expiry) of one link of the answer, or None.

    Only a path on this server under ``/api/v1/blob-links/d/<sha256>`` is
    accepted: a link never sends the client to another host.
    """
    if not isinstance(item, dict):
        return None
    sha, url, expires_at = item.get("sha256"), item.get("url"), item.get("expires_at")
    if not (isinstance(sha, str) and isinstance(url, str) and isinstance(expires_at, str)):
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or parts.path != f"{LINK_PATH}{sha}":
        return None
    try:
        expires = datetime.fromisoformat(expires_at.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
    return sha, parts.path, dict(parse_qsl(parts.query)), expires
