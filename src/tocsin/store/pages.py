"""The API's paged reads: events with their article, stories, dyads, actors and their network.

These are named, parametrised queries like those in `tocsin.store.queries`
(whose filter clause and order they reuse); every value a client sends
travels as a parameter, the SQL text is built only from the fixed fragments
here. Each read that returns a total and a page runs in one read
transaction, so the total and the page come from the same snapshot even
while an ingest is writing. The HTTP API (`tocsin.server.api`) serves them.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager

from . import queries
from .queries import EventFilter, date_clauses, where_sql

CONFLICT = "(quad_class IN (3, 4))"


@contextmanager
def snapshot(conn) -> Iterator[None]:
    """One read transaction: every statement inside sees the same committed state."""
    conn.execute("BEGIN TRANSACTION")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")  # nothing was written; ends the transaction


def plain(value):
    """A database value as JSON: dates as ISO strings, NaN as null, numpy scalars as Python."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return plain(value.item())
    return value


def _rows(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [{name: plain(value) for name, value in zip(names, row)} for row in cursor.fetchall()]


def event_page(conn, flt: EventFilter, limit: int, offset: int) -> tuple[int, list[dict]]:
    """(total, page): events as coded (Event JSON) with their article, in the store's event order."""
    clause, params = queries.where(flt)
    sql = (f"SELECT CAST(e.event AS VARCHAR), a.id, a.source_id, a.title, a.outlet, a.url, a.published "
           f"FROM events e JOIN articles a ON a.id = e.article_id{clause}{queries.ORDER} LIMIT ? OFFSET ?")
    with snapshot(conn):
        total = conn.execute(f"SELECT count(*) FROM events e{clause}", params).fetchone()[0]
        rows = conn.execute(sql, params + [limit, offset]).fetchall()
    items = []
    for event, *article in rows:
        item = json.loads(event)
        item["article"] = dict(zip(("id", "source_id", "title", "outlet", "url", "published"),
                                   (plain(v) for v in article)))
        items.append(item)
    return total, items


def story_page(conn, source: list[str], target: list[str], kinds: list[str], since: dt.date | None,
               until: dt.date | None, limit: int, offset: int) -> tuple[int, list[dict]]:
    """(total, page): stories, most recent first (as `tocsin stories`), dates as ISO strings."""
    clauses: list[str] = []
    params: list = []
    for column, values in (("s.source_country", source), ("s.target_country", target)):
        if values:
            clauses.append(f"{column} IN (SELECT unnest(?::VARCHAR[]))")
            params.append(values)
    if kinds:
        clauses.append("(upper(s.kind) IN (SELECT unnest(?::VARCHAR[])) "
                       "OR 'CAMEO' || s.cameo_root IN (SELECT unnest(?::VARCHAR[])))")
        params += [kinds, ["CAMEO" + k.removeprefix("CAMEO") for k in kinds]]
    date_clauses("s.first_date", since, until, clauses, params)
    where = where_sql(clauses)
    with snapshot(conn):
        total = conn.execute(f"SELECT count(*) FROM stories s{where}", params).fetchone()[0]
        cursor = conn.execute(f"SELECT * EXCLUDE (built_at) FROM stories s{where} "
                              "ORDER BY s.first_date DESC, s.n_articles DESC, s.id LIMIT ? OFFSET ?",
                              params + [limit, offset])
        return total, _rows(cursor)


def dyads(conn, limit: int) -> list[dict]:
    """Directed country dyads with their event, story and conflict-event counts, busiest first."""
    sql = f"""
        WITH ev AS (SELECT source_country, target_country, count(*) AS events,
                           count(*) FILTER (WHERE {CONFLICT}) AS conflict
                      FROM events WHERE source_country IS NOT NULL AND target_country IS NOT NULL GROUP BY ALL),
             st AS (SELECT source_country, target_country, count(*) AS stories
                      FROM stories WHERE source_country IS NOT NULL AND target_country IS NOT NULL GROUP BY ALL)
        SELECT ev.source_country AS source, ev.target_country AS target, ev.events,
               coalesce(st.stories, 0) AS stories, ev.conflict
          FROM ev LEFT JOIN st USING (source_country, target_country)
         ORDER BY ev.events DESC, source, target LIMIT ?"""
    return _rows(conn.execute(sql, [limit]))


def actors(conn, since: dt.date | None, until: dt.date | None, limit: int) -> tuple[list[dict], list[dict]]:
    """(actors, edges): the busiest actors (country, sector, name) by events as source and as target,
    and the busiest country -> country edges with their Goldstein sum and mean."""
    clauses: list[str] = []
    params: list = []
    date_clauses("e.event_date", since, until, clauses, params)
    where = where_sql(clauses)
    both = " AND " if where else " WHERE "
    with snapshot(conn):
        items = _rows(conn.execute(f"""
            SELECT r.country, r.sector, r.name,
                   count(*) FILTER (WHERE r.part = 'source') AS as_source,
                   count(*) FILTER (WHERE r.part = 'target') AS as_target
              FROM actors r JOIN events e ON e.id = r.event_id{where}{both}r.part IN ('source', 'target')
               AND (r.country IS NOT NULL OR r.name IS NOT NULL)
             GROUP BY ALL ORDER BY as_source + as_target DESC, r.country NULLS LAST, r.sector NULLS LAST,
                   r.name NULLS LAST LIMIT ?""", params + [limit]))
        edges = _rows(conn.execute(f"""
            SELECT e.source_country AS source, e.target_country AS target, count(*) AS events,
                   round(sum(e.goldstein), 2) AS goldstein_sum, round(avg(e.goldstein), 2) AS goldstein_mean
              FROM events e{where}{both}e.source_country IS NOT NULL AND e.target_country IS NOT NULL
             GROUP BY ALL ORDER BY events DESC, source, target LIMIT ?""", params + [limit]))
    return items, edges


def story_count(conn) -> int:
    return conn.execute("SELECT count(*) FROM stories").fetchone()[0]
