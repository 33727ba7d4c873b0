"""Settings of one server process: where its data lives and how it listens."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DATABASE_FILENAME = "meetingroom-server.db"
# How `serve --workers N` hands the settings to each worker process.
SETTINGS_ENV = "MEETINGROOM_SERVER_SETTINGS"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a server process or an admin command needs to know.

    ``database_url`` of None means the embedded default: a SQLite file inside
    ``data_dir``. The server keeps no state between requests beyond the
    database and the blob directory (shared by all of them), so several processes with the
    same settings can serve behind a load balancer.
    """

    data_dir: Path
    database_url: str | None = None
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    tls_cert: Path | None = None
    tls_key: Path | None = None
    # JSON requests are small; anything bigger is a mistake or an attack.
    max_json_body: int = 1024 * 1024
    # Blob uploads: the largest blob a secretary may upload (500 MB).
    max_upload_bytes: int = 500 * 1000 * 1000
    # Root of the blob store (blobs/ and uploads/ inside it); None means DATA.
    blob_dir: Path | None = None
    token_lifetime: timedelta = timedelta(days=30)
    # Throttling: this many failed logins for one username within the window
    # make further attempts answer 429 until the oldest failure ages out.
    login_max_failures: int = 5
    login_window: timedelta = timedelta(minutes=5)
    # Deployment behind nginx (``serve --accel-redirect PREFIX``): blob GETs
    # are authorised and audited here, then answered with an empty body and
    # ``X-Accel-Redirect: PREFIX/ab/cd/<sha>`` for nginx to send the bytes.
    accel_redirect: str | None = None
    # Signed blob links (POST /api/v1/blob-links) are valid this long.
    blob_link_lifetime: timedelta = timedelta(minutes=5)
    # Concurrent scrypt runs (password checks) in this process; None: one per
    # CPU. ``serve --workers N`` sets CPUs / N, so that a burst of sign-ins
    # leaves the other requests some of the machine.
    scrypt_threads: int | None = None

    @property
    def resolved_database_url(self) -> str:
        """Return the database URL to use: the given one or the SQLite default."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / DATABASE_FILENAME).resolve()}"

    @property
    def resolved_blob_dir(self) -> Path:
        """Return the blob store's root: the given directory or DATA itself."""
        return self.blob_dir if self.blob_dir is not None else self.data_dir


def settings_to_env(settings: Settings) -> str:
    """Return ``settings`` as the JSON text :func:`settings_from_env` reads back."""
    return json.dumps(
        {
            "data_dir": str(settings.data_dir),
            "database_url": settings.database_url,
            "host": settings.host,
            "port": settings.port,
            "tls_cert": None if settings.tls_cert is None else str(settings.tls_cert),
            "tls_key": None if settings.tls_key is None else str(settings.tls_key),
            "max_json_body": settings.max_json_body,
            "max_upload_bytes": settings.max_upload_bytes,
            "blob_dir": None if settings.blob_dir is None else str(settings.blob_dir),
            "token_lifetime": settings.token_lifetime.total_seconds(),
            "login_max_failures": settings.login_max_failures,
            "login_window": settings.login_window.total_seconds(),
            "accel_redirect": settings.accel_redirect,
            "blob_link_lifetime": settings.blob_link_lifetime.total_seconds(),
            "scrypt_threads": settings.scrypt_threads,
        }
    )


def settings_from_env(text: str) -> Settings:
    """Return the settings of JSON ``text`` written by :func:`settings_to_env`."""
    d = json.loads(text)

    def path(key: str) -> Path | None:
        return None if d[key] is None else Path(d[key])

    return Settings(
        data_dir=Path(d["data_dir"]),
        database_url=d["database_url"],
        host=d["host"],
        port=int(d["port"]),
        tls_cert=path("tls_cert"),
        tls_key=path("tls_key"),
        max_json_body=int(d["max_json_body"]),
        max_upload_bytes=int(d["max_upload_bytes"]),
        blob_dir=path("blob_dir"),
        token_lifetime=timedelta(seconds=d["token_lifetime"]),
        login_max_failures=int(d["login_max_failures"]),
        login_window=timedelta(seconds=d["login_window"]),
        accel_redirect=d.get("accel_redirect"),
        blob_link_lifetime=timedelta(seconds=d.get("blob_link_lifetime", 300)),
        scrypt_threads=d.get("scrypt_threads"),
    )
