"""The FastAPI application factory."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from server.blob_links import load_or_create_secret
from server.blob_links import router as blob_link_router
from server.blob_links_asgi import BlobLinksFastPath
from server.blob_routes import is_upload_chunk
from server.blob_routes import router as blob_router
from server.blobstore import FileBlobStore
from server.body_limit import BodySizeLimit
from server.config import SETTINGS_ENV, Settings, settings_from_env
from server.db.engine import create_db_engine
from server.errors import install_error_handlers
from server.feed import FirstPageCache
from server.meeting_versions import MeetingVersionCache
from server.routes import router, server_version
from server.sync_routes import router as sync_router


def create_app(settings: Settings) -> FastAPI:
    """Return the server app for ``settings``; its database must already be migrated.

    The app holds no per-user state in memory: everything lives in the
    database, so any number of processes can serve the same data.
    """
    engine = create_db_engine(settings.resolved_database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="MeetingRoom server",
        version=server_version(),
        summary="Protocol v1 of the MeetingRoom meeting server (see docs/protocol.md).",
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.settings = settings
    app.state.blob_store = FileBlobStore(settings.resolved_blob_dir)
    # Signs the short-lived blob links nginx (or this app) serves; see server/blob_links.py.
    app.state.blob_link_secret = load_or_create_secret(settings.data_dir)
    # Derived from the database only, keyed by its latest revision: see server/feed.py.
    app.state.page_cache = FirstPageCache()
    app.state.version_cache = MeetingVersionCache()
    install_error_handlers(app)
    app.include_router(router)
    app.include_router(sync_router)
    app.include_router(blob_router)
    app.include_router(blob_link_router)
    # Chunk uploads stream their body; their route enforces max_upload_bytes.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_json_body, exempt=is_upload_chunk)
    # Added last, so it runs first: well-formed link requests skip the stack.
    app.add_middleware(BlobLinksFastPath, state=app.state)
    return app


def app_from_environment() -> FastAPI:
    """Return the app for the settings in the environment (``serve --workers N``)."""
    return create_app(settings_from_env(os.environ[SETTINGS_ENV]))
