"""HTTP transport: one injected ``requests.Session``, timeouts, bounded retries, TLS pins.

Every request has a timeout. Connection errors, timeouts, 429 and 5xx are
retried a bounded number of times with exponential backoff and full jitter
(``Retry-After`` is honoured, capped). TLS verification is always on; a CA
bundle may be given, and the server certificate's SubjectPublicKeyInfo
SHA-256 may be pinned (hex or base64). A proxy may be given (the deployment
policy's); it wins over the environment's, and pins hold through its tunnel.
Tokens never reach a log.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import random
import ssl
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from sync.errors import NetworkError, ServerError, TlsError

log = logging.getLogger(__name__)

API = "/api/v1"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently to retry transient failures."""

    attempts: int = 5  # tries in all, the first included
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 120.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Return the pause before try number ``attempt + 1`` (``attempt`` counts from 1)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_retry_after)
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return random.uniform(0, ceiling)  # noqa: S311  jitter, not security


def spki_sha256(der_certificate: bytes) -> bytes:
    """Return the SHA-256 of the certificate's SubjectPublicKeyInfo."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    cert = x509.load_der_x509_certificate(der_certificate)
    spki = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(spki).digest()


def parse_pin(pin: str) -> bytes:
    """Return the 32 bytes of a pin written as 64 hex digits or base64. Raises ValueError."""
    text = pin.strip().removeprefix("sha256/")
    if len(text) == 64:
        return bytes.fromhex(text)
    raw = base64.b64decode(text, validate=True)
    if len(raw) != 32:
        raise ValueError("an SPKI pin is a SHA-256: 32 bytes")
    return raw


class PinMismatch(ssl.SSLError):
    """The server's public key is not one of the pinned ones."""


class PinningAdapter(HTTPAdapter):
    """An adapter whose HTTPS connections check the server's SPKI pin after the handshake."""

    def __init__(self, pins: Iterable[bytes], **kwargs: Any) -> None:
        self._pins = frozenset(pins)
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        pins = self._pins

        class PinnedConnection(HTTPSConnection):
            def connect(self) -> None:
                super().connect()
                der = self.sock.getpeercert(binary_form=True) if self.sock else None  # type: ignore[union-attr]
                if not der or spki_sha256(der) not in pins:
                    self.close()
                    raise PinMismatch("the server's certificate does not match the pinned key")

        class PinnedPool(HTTPSConnectionPool):
            ConnectionCls = PinnedConnection

        self.poolmanager.pool_classes_by_scheme = {"http": HTTPConnectionPool, "https": PinnedPool}

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        # Through a proxy the tunnelled TLS connection must be pinned too.
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = self.poolmanager.pool_classes_by_scheme
        return manager


class Transport:
    """Talks to one server's ``/api/v1``; raises typed errors from ``sync.errors``."""

    def __init__(
        self,
        base_url: str,
        session: requests.Session | None = None,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        ca_bundle: str | None = None,
        spki_pins: Iterable[str] = (),
        proxy: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.timeout = (connect_timeout, read_timeout)
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        # Verification is never switched off; a CA bundle only adds trust roots.
        self._verify: bool | str = ca_bundle or True
        pins = [parse_pin(p) for p in spki_pins]
        if pins:
            self.session.mount("https://", PinningAdapter(pins))
        # Per request, so the environment's HTTPS_PROXY cannot override the policy's.
        self._proxies = {"http": proxy, "https": proxy} if proxy else None
        self.token: str | None = None

    def url(self, path: str) -> str:
        """Return the absolute URL of an API path such as ``/changes``."""
        return f"{self.base_url}{API}{path}"

    def request(
        self,
        method: str,
        path: str,
        *,
        json: object = None,
        data: bytes | None = None,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
        expect: Iterable[int] = (200,),
        authorize: bool = True,
    ) -> requests.Response:
        """Send a request (retrying transient failures) and return a response in ``expect``.

        ``data`` is a raw body (an upload chunk); it is sent again as it is
        when the request is retried. ``authorize=False`` leaves the bearer
        token out (a signed blob link is its own credential).

        Raises:
            NetworkError, TlsError: no answer after the retries.
            ServerError: any other status (body ``error`` as ``code``).
        """
        wanted = set(expect)
        all_headers = dict(headers or {})
        if self.token and authorize:
            all_headers["Authorization"] = f"Bearer {self.token}"
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.session.request(
                    method,
                    self.url(path),
                    json=json,
                    data=data,
                    params=params,
                    headers=all_headers,
                    stream=stream,
                    timeout=self.timeout,
                    verify=self._verify,
                    proxies=self._proxies,
                )
            except requests.exceptions.SSLError as exc:
                raise TlsError(f"TLS verification failed: {type(exc).__name__}") from exc
            except requests.exceptions.ProxyError as exc:
                # A refused certificate or pin inside the proxy's tunnel arrives
                # wrapped as a proxy error; it is a TLS failure, not a network one.
                if _tls_failure_inside(exc):
                    raise TlsError("TLS verification failed through the proxy") from exc
                if attempt >= self.retry.attempts:
                    raise NetworkError(f"cannot reach the server ({type(exc).__name__})") from exc
                log.info("sync: %s %s failed (%s), retrying", method, path, type(exc).__name__)
                self._sleep(self.retry.delay(attempt))
                continue
            except (
                requests.ConnectionError,
                requests.Timeout,
                # The answer broke off mid-body (read whole unless streaming).
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ) as exc:
                if attempt >= self.retry.attempts:
                    raise NetworkError(f"cannot reach the server ({type(exc).__name__})") from exc
                log.info("sync: %s %s failed (%s), retrying", method, path, type(exc).__name__)
                self._sleep(self.retry.delay(attempt))
                continue
            if response.status_code in wanted:
                return response
            if response.status_code in RETRY_STATUSES and attempt < self.retry.attempts:
                retry_after = _retry_after(response)
                response.close()
                log.info("sync: %s %s answered %d, retrying", method, path, response.status_code)
                self._sleep(self.retry.delay(attempt, retry_after))
                continue
            raise _server_error(response)


def _tls_failure_inside(exc: BaseException) -> bool:
    """Return True when an SSL error is among the causes wrapped inside ``exc``."""
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, ssl.SSLError):
            return True
        todo.extend([*item.args, getattr(item, "reason", None), item.__cause__, item.__context__])
    return False


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())


def _server_error(response: requests.Response) -> ServerError:
    code, message = f"http_{response.status_code}", ""
    try:
        body = response.json()
        if isinstance(body, dict):
            code = str(body.get("error", code))
            message = str(body.get("message", ""))
    except ValueError:
        pass
    finally:
        response.close()
    return ServerError(response.status_code, code, message)
