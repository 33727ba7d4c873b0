"""Settings of one server process: where its data lives and how it listens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DATABASE_FILENAME = "meetingroom-server.db"


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
