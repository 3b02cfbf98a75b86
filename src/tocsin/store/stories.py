"""Stories in the store: their tables (migration `0002_stories`) and all their SQL.

A story is one real event as reported across articles and outlets: events
with the same source country, target country and kind (the PLOVER type, or
`CAMEO` + the CAMEO root when there is no type), close in date and similar in
wording. `tocsin.analysis.stories` decides which events go together; this
module only reads the events it needs and writes what it decided.

Tables:
  stories        one row per story: its key, dates, counts, QuadClass, mean
                 Goldstein and a representative sentence.
  story_events   which story each event is in (an event is in at most one;
                 events of excluded modalities or without a date are in none).
  story_meta     name -> value: the options the stories were built with.

Stories are rebuilt key by key: a key with an event not yet in a story, or a
story whose event was deleted (its article replaced), is rebuilt whole.
"""
from __future__ import annotations

import datetime as dt
import json

from .queries import date_clauses, where_sql
from .writer import insert_rows

MIGRATION = ("0002_stories", [
    """CREATE TABLE stories (
        id VARCHAR PRIMARY KEY,
        source_country VARCHAR,
        target_country VARCHAR,
        kind VARCHAR NOT NULL,
        type VARCHAR,
        cameo_root VARCHAR,
        quad_class TINYINT,
        goldstein DOUBLE,
        first_date DATE NOT NULL,
        last_date DATE NOT NULL,
        first_report DATE,
        last_report DATE,
        n_events INTEGER NOT NULL,
        n_articles INTEGER NOT NULL,
        n_outlets INTEGER NOT NULL,
        event_id VARCHAR NOT NULL,
        evidence VARCHAR,
        built_at TIMESTAMP NOT NULL
    )""",
    "CREATE TABLE story_events (event_id VARCHAR PRIMARY KEY, story_id VARCHAR NOT NULL)",
    "CREATE INDEX story_events_story ON story_events (story_id)",
    "CREATE TABLE story_meta (name VARCHAR PRIMARY KEY, value VARCHAR)",
])

STORY_COLUMNS = [
    ("id", "VARCHAR"), ("source_country", "VARCHAR"), ("target_country", "VARCHAR"), ("kind", "VARCHAR"),
    ("type", "VARCHAR"), ("cameo_root", "VARCHAR"), ("quad_class", "TINYINT"), ("goldstein", "DOUBLE"),
    ("first_date", "DATE"), ("last_date", "DATE"), ("first_report", "DATE"), ("last_report", "DATE"),
    ("n_events", "INTEGER"), ("n_articles", "INTEGER"), ("n_outlets", "INTEGER"), ("event_id", "VARCHAR"),
    ("evidence", "VARCHAR"), ("built_at", "TIMESTAMP"),
]
KIND = "coalesce(e.type, 'CAMEO' || e.cameo_root)"
_KEY = f"coalesce(e.source_country, ''), coalesce(e.target_country, ''), {KIND}"
_ELIGIBLE = "e.event_date IS NOT NULL AND e.modality IN (SELECT unnest(?::VARCHAR[]))"
_KEYS_JOIN = """JOIN (SELECT unnest(?::VARCHAR[]) AS k_source, unnest(?::VARCHAR[]) AS k_target,
                     unnest(?::VARCHAR[]) AS k_kind) k
    ON coalesce(e.source_country, '') = k.k_source AND coalesce(e.target_country, '') = k.k_target
   AND {kind} = k.k_kind"""
_REPORTS = """LEFT JOIN (SELECT article_id, list(DISTINCT source_id) AS reports,
                        list(DISTINCT coalesce(outlet, source_id)) AS outlets
                   FROM sources GROUP BY article_id) r ON r.article_id = e.article_id"""

Key = tuple[str, str, str]  # (source country or '', target country or '', kind)


class StoryStore:
    """The stories of one `Store` (reads always; writes when the store is writable)."""

    def __init__(self, store):
        self.store = store
        self.conn = store.conn

    # -- state ------------------------------------------------------------
    def ready(self) -> bool:
        """Whether the store has the stories tables (a writable open of the store adds them)."""
        return MIGRATION[0] in self.store.migrations()

    def meta(self) -> dict:
        return {name: json.loads(value) for name, value in self.conn.execute("SELECT * FROM story_meta").fetchall()}

    def dirty_keys(self, modalities: list[str]) -> list[Key]:
        """Keys with an eligible event in no story, or with a story that lost an event."""
        rows = self.conn.execute(f"""
            SELECT DISTINCT {_KEY} FROM events e LEFT JOIN story_events se ON se.event_id = e.id
             WHERE se.event_id IS NULL AND {_ELIGIBLE}
            UNION
            SELECT DISTINCT coalesce(s.source_country, ''), coalesce(s.target_country, ''), s.kind
              FROM story_events se JOIN stories s ON s.id = se.story_id
             WHERE se.event_id NOT IN (SELECT id FROM events)
            ORDER BY 1, 2, 3""", [list(modalities)]).fetchall()
        return [tuple(row) for row in rows]

    def all_keys(self, modalities: list[str]) -> list[Key]:
        rows = self.conn.execute(f"SELECT DISTINCT {_KEY} FROM events e WHERE {_ELIGIBLE} ORDER BY 1, 2, 3",
                                 [list(modalities)]).fetchall()
        return [tuple(row) for row in rows]

    # -- building ---------------------------------------------------------
    def events_for(self, keys: list[Key], modalities: list[str]) -> list[dict]:
        """The eligible events of the given keys, with their reports (source ids) and outlets."""
        if not keys:
            return []
        sql = f"""
            SELECT e.id, e.article_id, coalesce(e.source_country, '') AS source_key,
                   coalesce(e.target_country, '') AS target_key, {KIND} AS kind,
                   e.source_country, e.target_country, e.type, e.cameo_root, e.quad_class, e.goldstein,
                   e.event_date, e.evidence, e.source_text, e.target_text, a.published,
                   coalesce(r.reports, [e.article_id]) AS reports,
                   coalesce(r.outlets, [coalesce(a.outlet, e.article_id)]) AS outlets
              FROM events e JOIN articles a ON a.id = e.article_id {_REPORTS}
              {_KEYS_JOIN.format(kind=KIND)}
             WHERE {_ELIGIBLE}
             ORDER BY source_key, target_key, kind, e.event_date, e.id"""
        params = [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys], list(modalities)]
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def replace(self, keys: list[Key] | None, stories: list[dict], members: list[tuple[str, str]],
                options: dict) -> None:
        """In one transaction: drop the stories of `keys` (all when None), write the new ones."""
        stamp = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        self.conn.execute("BEGIN TRANSACTION")
        try:
            if keys is None:
                self.conn.execute("DELETE FROM story_events")
                self.conn.execute("DELETE FROM stories")
            elif keys:
                self.conn.execute("""
                    CREATE OR REPLACE TEMP TABLE _gone AS SELECT s.id FROM stories s
                    JOIN (SELECT unnest(?::VARCHAR[]) AS k_source, unnest(?::VARCHAR[]) AS k_target,
                                 unnest(?::VARCHAR[]) AS k_kind) k
                      ON coalesce(s.source_country, '') = k.k_source
                     AND coalesce(s.target_country, '') = k.k_target AND s.kind = k.k_kind""",
                                  [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys]])
                self.conn.execute("DELETE FROM story_events WHERE story_id IN (SELECT id FROM _gone)")
                self.conn.execute("DELETE FROM stories WHERE id IN (SELECT id FROM _gone)")
                self.conn.execute("DROP TABLE _gone")
            rows = [[s[name] if name != "built_at" else stamp for name, _ in STORY_COLUMNS] for s in stories]
            insert_rows(self.conn, "stories", STORY_COLUMNS, rows)
            insert_rows(self.conn, "story_events", [("event_id", "VARCHAR"), ("story_id", "VARCHAR")],
                        [list(m) for m in members], "(event_id) DO UPDATE SET story_id = excluded.story_id")
            self.conn.execute("INSERT INTO story_meta VALUES ('options', ?) ON CONFLICT (name) DO UPDATE "
                              "SET value = excluded.value", [json.dumps(options, sort_keys=True)])
            self.conn.execute("INSERT INTO story_meta VALUES ('built_at', ?) ON CONFLICT (name) DO UPDATE "
                              "SET value = excluded.value", [json.dumps(stamp.isoformat(timespec="seconds"))])
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    # -- reading ----------------------------------------------------------
    def counts(self) -> dict[str, int]:
        stories, members = self.conn.execute(
            "SELECT (SELECT count(*) FROM stories), (SELECT count(*) FROM story_events)").fetchone()
        return {"stories": stories, "events": members}

    def members(self) -> dict[str, str]:
        """event id -> story id."""
        return dict(self.conn.execute("SELECT event_id, story_id FROM story_events").fetchall())

    def stories(self, source=(), target=(), kinds=(), since=None, until=None, limit=None):
        """Stories as a DataFrame, most recent first; filters as in `units`, `kinds` a PLOVER type or CAMEO root."""
        clauses, params = _side_clauses("s", source, target, either=False)
        if kinds:
            clauses.append("(upper(s.kind) IN (SELECT unnest(?::VARCHAR[])) "
                           "OR 'CAMEO' || s.cameo_root IN (SELECT unnest(?::VARCHAR[])))")
            values = [str(k).upper() for k in kinds]
            params += [values, ["CAMEO" + v.removeprefix("CAMEO") for v in values]]
        date_clauses("s.first_date", since, until, clauses, params)
        sql = "SELECT * EXCLUDE (built_at) FROM stories s" + where_sql(clauses)
        sql += " ORDER BY s.first_date DESC, s.n_articles DESC, s.id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return self.conn.execute(sql, params).df()

    def units(self, unit: str = "stories", source=(), target=(), either: bool = False, quads=(),
              since=None, until=None):
        """The counting units (stories, or raw events) of a dyad or actor, one row each.

        Columns: id, date, source_country, target_country, kind, quad_class,
        goldstein, n_articles, n_outlets, evidence. `source`/`target`: country
        codes (any when empty); `either`: an actor on either side (source or target).
        """
        alias = "s" if unit == "stories" else "e"
        clauses, params = _side_clauses(alias, source, target, either)
        if quads:
            clauses.append(f"{alias}.quad_class IN (SELECT unnest(?::INTEGER[]))")
            params.append([int(q) for q in quads])
        if unit == "stories":
            date_clauses("s.first_date", since, until, clauses, params)
            sql = ("SELECT s.id, s.first_date AS date, s.source_country, s.target_country, s.kind, s.quad_class, "
                   "s.goldstein, s.n_articles, s.n_outlets, s.evidence FROM stories s")
        elif unit == "events":
            clauses.append("e.event_date IS NOT NULL")
            date_clauses("e.event_date", since, until, clauses, params)
            sql = (f"SELECT e.id, e.event_date AS date, e.source_country, e.target_country, {KIND} AS kind, "
                   "e.quad_class, e.goldstein, 1 AS n_articles, 1 AS n_outlets, e.evidence FROM events e")
        else:
            raise ValueError(f"unit must be stories or events, not {unit!r}")
        return self.conn.execute(sql + where_sql(clauses) + " ORDER BY date, id", params).df()

    def date_range(self, unit: str = "stories") -> tuple[dt.date | None, dt.date | None]:
        """The first and last date of the counting units in the store."""
        sql = ("SELECT min(first_date), max(first_date) FROM stories" if unit == "stories"
               else "SELECT min(event_date), max(event_date) FROM events")
        return tuple(self.conn.execute(sql).fetchone())


def _side_clauses(alias: str, source, target, either: bool) -> tuple[list[str], list]:
    src, tgt = [str(c).upper() for c in source], [str(c).upper() for c in target]
    clauses: list[str] = []
    params: list = []
    if either and src:
        clauses.append(f"({alias}.source_country IN (SELECT unnest(?::VARCHAR[])) "
                       f"OR {alias}.target_country IN (SELECT unnest(?::VARCHAR[])))")
        params += [src, src]
        return clauses, params
    for column, values in ((f"{alias}.source_country", src), (f"{alias}.target_country", tgt)):
        if values:
            clauses.append(f"{column} IN (SELECT unnest(?::VARCHAR[]))")
            params.append(values)
    return clauses, params
