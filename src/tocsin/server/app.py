"""`create_app(db_path, ...)`: the FastAPI app behind `tocsin serve`.

    /api/...            the JSON API (api.py), described at /api/openapi.json and /api/docs
    /static/...  and /  the dashboard's files (static/), when they are installed

The app owns the store file from `create_app` on (`StoreOwner`: one
read-write DuckDB connection, a cursor a request, one ingest at a time) and
closes it when the server stops; with `watch`, a background thread polls
feeds while the server runs (lifespan start and stop).
"""
from __future__ import annotations

import os
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.cors import CORSMiddleware

from .. import __version__
from . import api, docs, errors
from .errors import SafeJSONResponse
from .middleware import Guard
from .owner import StoreOwner
from .watch import FeedWatcher, Watch

STATIC = Path(__file__).resolve().parent / "static"
DEFAULT_MAX_BODY = 5_000_000  # bytes of a request body
DESCRIPTION = ("Political event data (who did what to whom, when, where) coded from news, with stories, dyad "
               "series and escalation alerts. Every error is {\"error\": {\"status\", \"code\", \"message\"}}.")


def create_app(db_path: str | os.PathLike, *, token: str | None = None, cors_origins=(),
               max_body_bytes: int = DEFAULT_MAX_BODY, watch: Watch | None = None,
               allowed_hosts: tuple[str, ...] | None = None, model: str = "sm") -> FastAPI:
    """The app over the store at `db_path` (created when missing), which it opens now, read-write.

    `token`: required for writes when given. `cors_origins`: origins allowed
    cross-origin (none by default). `allowed_hosts`: Host header names served
    (any when None; `tocsin serve` gives the loopback names on loopback).
    Raises `StoreError` (`StoreLocked`) when the file cannot be opened.
    """
    owner = StoreOwner(db_path, model=model)
    watcher = FeedWatcher(owner, watch) if watch else None

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if watcher:
            watcher.start()
        try:
            yield
        finally:
            if watcher:
                watcher.stop()
            owner.close()

    app = FastAPI(title="tocsin", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
                  default_response_class=SafeJSONResponse)
    app.state.owner, app.state.token, app.state.watcher = owner, token or None, watcher
    errors.install(app)
    app.include_router(api.router)
    app.include_router(docs.router)
    _static(app)
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "X-Tocsin-Token", "Content-Type"], max_age=600)
    app.add_middleware(Guard, max_body=max_body_bytes, allowed_hosts=allowed_hosts)  # outermost
    return app


def _static(app: FastAPI) -> None:
    """The dashboard, when its files are there: static/ at /static, static/index.html at /."""
    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")
    index = STATIC / "index.html"
    if index.is_file():
        @app.get("/", include_in_schema=False)
        def dashboard() -> FileResponse:
            return FileResponse(index, media_type="text/html; charset=utf-8")
