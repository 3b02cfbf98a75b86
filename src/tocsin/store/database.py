"""`Store`: one DuckDB file of articles, events, actors and skipped inputs.

    >>> from tocsin.store import Store
    >>> with Store("tocsin.duckdb") as store:
    ...     store.events(source="RUS", target="UKR", quad=4, since="2022-02-24")   # a DataFrame

Reads return pandas DataFrames (`events`, `articles`, `sources`, `skipped`,
`actors`) or `Event` objects (`iter_events`); `write` is the one way in and
is what `tocsin ingest` calls; `export` writes GDELT/ICEWS/PLOVER/Parquet.
One process writes a store file at a time (DuckDB's own lock says so).
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Iterable, Iterator

from ..model import Article, Event, Skipped
from . import exports, queries
from .queries import EventFilter
from .schema import StoreError, applied, migrate
from .writer import Written, write_batch

DEFAULT_PATH = "tocsin.duckdb"


class StoreLocked(StoreError):
    """Another process has the store file open for writing."""


class Store:
    """A tocsin event store; `path=":memory:"` for a throw-away one."""

    def __init__(self, path: str | os.PathLike = DEFAULT_PATH, read_only: bool = False):
        import duckdb

        self.path = str(path)
        self.read_only = read_only
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"no store at {self.path}: run `tocsin ingest` first (or give --db)")
        try:
            self.conn = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as err:
            if "lock" in str(err).lower():
                raise StoreLocked(f"{self.path} is in use by another process (one writer at a time)") from None
            raise StoreError(f"cannot open {self.path}: {err}") from None
        if read_only:
            if "0001_initial" not in _applied_read_only(self.conn):
                raise StoreError(f"{self.path} is not a tocsin store")
        else:
            migrate(self.conn)

    # -- lifecycle --------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def migrations(self) -> list[str]:
        return applied(self.conn) if not self.read_only else _applied_read_only(self.conn)

    # -- writing ----------------------------------------------------------
    def lookup(self, pairs: list[tuple[str, str]]) -> tuple[set[str], set[tuple[str, str]]]:
        """For (source id, article key) pairs: keys already stored, pairs already linked."""
        return queries.lookup(self.conn, pairs)

    def write(self, coded: Iterable[tuple[str, Article, list[Event]]] = (),
              links: Iterable[tuple[str, Article]] = (), skipped: Iterable[Skipped] = (),
              model: str | None = None) -> Written:
        """Store one batch atomically: coded articles with their events, links, skipped inputs."""
        return write_batch(self.conn, list(coded), list(links), list(skipped), model)

    # -- reading ----------------------------------------------------------
    def counts(self) -> dict[str, int]:
        return queries.counts(self.conn)

    def _df(self, sql: str, params: list | None = None):
        return self.conn.execute(sql, params or []).df()

    def events(self, flt: EventFilter | None = None, **filters):
        """Events as a DataFrame, one row an event, actors flattened (see EventFilter for filters)."""
        sql, params = queries.events_sql(flt or EventFilter.of(**filters))
        return self._df(sql, params)

    def iter_events(self, flt: EventFilter | None = None, **filters) -> Iterator[Event]:
        """Events as `Event` objects, exactly as coded (with their explanations)."""
        sql, params = queries.event_json_sql(flt or EventFilter.of(**filters))
        cursor = self.conn.execute(sql, params)
        while rows := cursor.fetchmany(1000):
            for (text,) in rows:
                yield Event.from_dict(json.loads(text))

    def articles(self):
        return self._df(queries.ARTICLES_SQL)

    def sources(self):
        return self._df(queries.SOURCES_SQL)

    def skipped(self):
        return self._df(queries.SKIPPED_SQL)

    def actors(self, flt: EventFilter | None = None, **filters):
        """Actor mentions (source, target, speaker) of the selected events."""
        clause, params = queries.where(flt or EventFilter.of(**filters))
        sql = f"SELECT r.* FROM actors r WHERE r.event_id IN (SELECT e.id FROM events e{clause}) ORDER BY r.event_id, r.part"
        return self._df(sql, params)

    def article_text(self, article_id: str) -> str | None:
        row = self.conn.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
        return row[0] if row else None

    # -- exports ----------------------------------------------------------
    def export(self, fmt: str, out: IO[str] | str | os.PathLike, flt: EventFilter | None = None, **options) -> int:
        """Export the selected events as gdelt, icews, plover (to a text stream) or parquet (to a path).

        Options: header (TSV header line), cameo_names and country_names (code -> name
        mappings for the ICEWS Event Text and country columns), version.
        """
        if fmt == "parquet":
            if not isinstance(out, (str, os.PathLike)):
                raise ValueError("parquet needs a file path")
            return exports.export_parquet(self.conn, str(out), flt)
        if isinstance(out, (str, os.PathLike)):
            with open(out, "w", encoding="utf-8", newline="") as handle:
                return exports.export(self.conn, fmt, handle, flt, **options)
        return exports.export(self.conn, fmt, out, flt, **options)


def _applied_read_only(conn) -> list[str]:
    try:
        return [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY applied_at, name").fetchall()]
    except Exception:
        return []
