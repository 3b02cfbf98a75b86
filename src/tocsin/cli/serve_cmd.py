"""`tocsin serve`: the HTTP API (and the dashboard, when installed) over one store."""
from __future__ import annotations

import ipaddress
import logging
import sys

import click

from ..nlp import MODELS
from .store_cmd import db_option

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
MIN_TOKEN = 16  # characters


class _Refused(click.ClickException):
    """One line on stderr and exit 2: a value that cannot work."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"tocsin: {self.format_message()}", err=True)


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the server on this machine (127.0.0.0/8, ::1, localhost)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve to anything


def check_exposure(host: str, token: str | None) -> None:
    """Refuse to serve writes beyond loopback without a token, or with a guessable one."""
    if token is not None and len(token) < MIN_TOKEN:
        raise _Refused(f"the token is {len(token)} characters: use at least {MIN_TOKEN}, e.g. "
                       "python3 -c 'import secrets; print(secrets.token_urlsafe(24))'")
    if not is_loopback(host) and not token:
        raise _Refused(f"--host {host} is reachable from other machines: give a token for writes "
                       "(--token or TOCSIN_TOKEN), or serve on 127.0.0.1")


def _every(ctx, param, value):
    from ..server.watch import parse_every

    if value is None:
        return None
    try:
        return parse_every(value)
    except ValueError as err:
        raise _Refused(str(err)) from None


def register(app: click.Group) -> None:
    @app.command("serve")
    @db_option
    @click.option("--host", default="127.0.0.1", show_default=True,
                  help="Address to listen on; anything beyond loopback needs a token.")
    @click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
    @click.option("--token", envvar="TOCSIN_TOKEN", show_envvar=True, metavar="TOKEN",
                  help=f"Required for POST /api/articles when given (at least {MIN_TOKEN} characters); "
                       "prefer the environment variable, which other users cannot see in `ps`.")
    @click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
                  help="Allow this origin cross-origin, e.g. https://dash.example.org (repeatable; off by default).")
    @click.option("--max-body", type=click.IntRange(min=1024), default=5_000_000, show_default=True, metavar="BYTES",
                  help="Largest request body; larger ones get 413.")
    @click.option("--watch", "feeds_file", type=click.Path(dir_okay=False), metavar="FEEDS_FILE",
                  help="Poll the feeds in this file (one URL a line, # comments) and ingest what is new.")
    @click.option("--every", callback=_every, metavar="DURATION",
                  help="How often --watch polls: 30s, 15m, 1h [default: 15m].")
    @click.option("--model", type=click.Choice(sorted(MODELS)), default="sm", show_default=True,
                  help="spaCy pipeline for articles POSTed or polled.")
    @click.option("--log-level", type=click.Choice(("debug", "info", "warning", "error")), default="info",
                  show_default=True, help="How much the server logs to stderr.")
    def serve_cmd(db, host, port, token, cors, max_body, feeds_file, every, model, log_level):
        """Serve the store as a JSON API (and the dashboard) until Ctrl-C.

        \b
        The server owns the store file while it runs: reads are served while
        articles are coded; run `tocsin ingest` against it only after stopping
        it, or POST articles to /api/articles, or let --watch poll feeds.
        API: /api/events, /api/stories, /api/dyads, /api/dyads/RUS/UKR/series,
        /api/alerts, /api/actors, /api/health, POST /api/articles; described
        at /api/docs and /api/openapi.json. Writes need the token when one is
        given; bound beyond loopback (--host 0.0.0.0) a token is required.

        \b
        Examples:
          tocsin serve --db news.duckdb
          TOCSIN_TOKEN=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))') \\
            tocsin serve --db news.duckdb --host 0.0.0.0 --port 8080
          tocsin serve --db news.duckdb --watch feeds.txt --every 15m
          curl -s 'http://127.0.0.1:8000/api/events?source=RUS&target=UKR&limit=5'
        """
        import uvicorn

        from ..server import Watch, create_app
        from ..server.watch import read_feeds_file
        from ..store import StoreError

        if every is not None and not feeds_file:
            raise _Refused("--every needs --watch FEEDS_FILE")
        token = token or None
        check_exposure(host, token)
        watch = None
        if feeds_file:
            try:
                watch = Watch(read_feeds_file(feeds_file), every or 15 * 60.0)
            except ValueError as err:
                raise _Refused(str(err)) from None
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger = logging.getLogger("tocsin.server")
        logger.addHandler(handler)
        logger.setLevel(log_level.upper())
        loopback = is_loopback(host)
        allowed = tuple(dict.fromkeys(LOOPBACK_NAMES + ((host,) if ":" not in host else (f"[{host}]",)))) \
            if loopback else None
        try:
            server_app = create_app(db, token=token, cors_origins=cors, max_body_bytes=max_body, watch=watch,
                                    allowed_hosts=allowed, model=model)
        except StoreError as err:
            raise click.ClickException(str(err)) from None
        shown = f"[{host}]" if ":" in host else host
        click.echo(f"tocsin: serving {db} on http://{shown}:{port} (API at /api/docs"
                   f"{', writes need the token' if token else ''}); Ctrl-C stops", err=True)
        uvicorn.run(server_app, host=host, port=port, log_level=log_level, server_header=False,
                    proxy_headers=False, timeout_graceful_shutdown=10)
