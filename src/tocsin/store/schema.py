"""The store's tables, as named migrations recorded in the database.

Each migration is a name and a list of statements. `migrate` applies, in
order, those whose name is not yet in the `migrations` table, each in its own
transaction together with the row that records it, so a crash mid-migration
leaves either the old schema or the new one. Never edit a released migration:
append a new one.

Tables:
  articles   one row per distinct coded text; `id` is a content hash of the
             text as coded and its publication date. The row is written in
             the same transaction as its events, so it marks completion.
  sources    one row per source id (a file path, a JSON Lines/CSV id, a URL,
             a feed entry id) pointing at the article its text hashes to; a
             source whose text changed points at the new article, and an
             article no source points at any more is deleted with its events.
  events     one row per event, actors flattened into columns, plus the full
             event as JSON (`event`); `id` is the Event's content hash.
  actors     one row per actor role of an event (source, target, speaker).
  skipped    one row per distinct (origin, line, reason) that was not stored.
"""
from __future__ import annotations

import datetime as dt

import duckdb

_ACTOR_COLUMNS = """
    {p}_text VARCHAR, {p}_country VARCHAR, {p}_sector VARCHAR, {p}_name VARCHAR,
    {p}_role VARCHAR, {p}_code VARCHAR,"""

MIGRATIONS: list[tuple[str, list[str]]] = [
    ("0001_initial", [
        """CREATE TABLE articles (
            id VARCHAR PRIMARY KEY,
            source_id VARCHAR NOT NULL,
            origin VARCHAR,
            url VARCHAR,
            outlet VARCHAR,
            title VARCHAR,
            text VARCHAR NOT NULL,
            published DATE,
            language VARCHAR,
            model VARCHAR,
            n_events INTEGER NOT NULL,
            ingested_at TIMESTAMP NOT NULL
        )""",
        """CREATE TABLE sources (
            source_id VARCHAR PRIMARY KEY,
            article_id VARCHAR NOT NULL,
            origin VARCHAR,
            url VARCHAR,
            outlet VARCHAR,
            seen_at TIMESTAMP NOT NULL
        )""",
        """CREATE TABLE events (
            id VARCHAR PRIMARY KEY,
            article_id VARCHAR NOT NULL,
            sentence_index INTEGER NOT NULL,
            span_start INTEGER NOT NULL,
            span_end INTEGER NOT NULL,
            is_root BOOLEAN NOT NULL,""" + _ACTOR_COLUMNS.format(p="source") + _ACTOR_COLUMNS.format(p="target") + """
            speaker_text VARCHAR,
            speaker_code VARCHAR,
            type VARCHAR,
            mode VARCHAR,
            context VARCHAR,
            cameo VARCHAR NOT NULL,
            cameo_root VARCHAR NOT NULL,
            goldstein DOUBLE,
            quad_class TINYINT,
            modality VARCHAR,
            date DATE,
            date_text VARCHAR,
            date_precision VARCHAR,
            event_date DATE,
            place_name VARCHAR,
            place_country VARCHAR,
            place_feature VARCHAR,
            lat DOUBLE,
            lon DOUBLE,
            confidence DOUBLE,
            rule VARCHAR,
            predicate VARCHAR,
            evidence VARCHAR,
            event JSON NOT NULL
        )""",
        """CREATE TABLE actors (
            event_id VARCHAR NOT NULL,
            article_id VARCHAR NOT NULL,
            part VARCHAR NOT NULL,
            text VARCHAR,
            country VARCHAR,
            sector VARCHAR,
            name VARCHAR,
            role VARCHAR,
            code VARCHAR,
            rule VARCHAR,
            start_char INTEGER,
            end_char INTEGER,
            PRIMARY KEY (event_id, part)
        )""",
        """CREATE TABLE skipped (
            id VARCHAR PRIMARY KEY,
            origin VARCHAR NOT NULL,
            line INTEGER,
            reason VARCHAR NOT NULL,
            first_seen TIMESTAMP NOT NULL,
            last_seen TIMESTAMP NOT NULL,
            times INTEGER NOT NULL
        )""",
    ]),
]


# -- 0002_stories: the stories tables; their statements live with their SQL in store/stories.py --
from .stories import MIGRATION as _STORIES_MIGRATION  # noqa: E402

MIGRATIONS.append(_STORIES_MIGRATION)


class StoreError(Exception):
    """A store that cannot be used (locked, corrupt, from a newer tocsin)."""


def applied(conn) -> list[str]:
    """Names of the migrations recorded in the database, in the order applied."""
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
    return [row[0] for row in conn.execute("SELECT name FROM migrations ORDER BY applied_at, name").fetchall()]


def migrate(conn, migrations: list[tuple[str, list[str]]] | None = None) -> list[str]:
    """Apply the pending migrations; returns the names applied now."""
    migrations = MIGRATIONS if migrations is None else migrations
    done = set(applied(conn))
    known = {name for name, _ in migrations}
    unknown = sorted(done - known)
    if unknown:
        raise StoreError(f"the database has migrations this tocsin does not know ({', '.join(unknown)}): upgrade tocsin")
    now = []
    for name, statements in migrations:
        if name in done:
            continue
        conn.execute("BEGIN TRANSACTION")
        try:
            for statement in statements:
                conn.execute(statement)
            conn.execute("INSERT INTO migrations VALUES (?, ?)", [name, dt.datetime.now()])
            conn.execute("COMMIT")
        except Exception:
            try:
                conn.execute("ROLLBACK")
            except duckdb.Error:  # a failed COMMIT (a full disk) has already ended the transaction
                pass
            raise
        now.append(name)
    return now
