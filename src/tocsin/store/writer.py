"""Writing coded articles, their events and skipped inputs: one transaction a batch.

An article row, its events, its actors and the source rows that point at it
are written in the same transaction, so after a crash (even `kill -9`) an
article is either there with all its events or not there at all, and the
next run codes it again. A write that fails (a full disk) rolls back its own
batch only; the batches before it stay. Rows go in column-wise (`unnest` of list
parameters): one statement a table a batch, whatever the batch size.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from ..model import Actor, Article, Event, Skipped, content_hash

ARTICLE_COLUMNS = [
    ("id", "VARCHAR"), ("source_id", "VARCHAR"), ("origin", "VARCHAR"), ("url", "VARCHAR"),
    ("outlet", "VARCHAR"), ("title", "VARCHAR"), ("text", "VARCHAR"), ("published", "DATE"),
    ("language", "VARCHAR"), ("model", "VARCHAR"), ("n_events", "INTEGER"), ("ingested_at", "TIMESTAMP"),
]
SOURCE_COLUMNS = [
    ("source_id", "VARCHAR"), ("article_id", "VARCHAR"), ("origin", "VARCHAR"), ("url", "VARCHAR"),
    ("outlet", "VARCHAR"), ("seen_at", "TIMESTAMP"),
]
_ACTOR_FIELDS = [("text", "VARCHAR"), ("country", "VARCHAR"), ("sector", "VARCHAR"), ("name", "VARCHAR"),
                 ("role", "VARCHAR"), ("code", "VARCHAR")]
EVENT_COLUMNS = [
    ("id", "VARCHAR"), ("article_id", "VARCHAR"), ("sentence_index", "INTEGER"), ("span_start", "INTEGER"),
    ("span_end", "INTEGER"), ("is_root", "BOOLEAN"),
    *[(f"source_{name}", kind) for name, kind in _ACTOR_FIELDS],
    *[(f"target_{name}", kind) for name, kind in _ACTOR_FIELDS],
    ("speaker_text", "VARCHAR"), ("speaker_code", "VARCHAR"), ("type", "VARCHAR"), ("mode", "VARCHAR"),
    ("context", "VARCHAR"), ("cameo", "VARCHAR"), ("cameo_root", "VARCHAR"), ("goldstein", "DOUBLE"),
    ("quad_class", "TINYINT"), ("modality", "VARCHAR"), ("date", "DATE"), ("date_text", "VARCHAR"),
    ("date_precision", "VARCHAR"), ("event_date", "DATE"), ("place_name", "VARCHAR"),
    ("place_country", "VARCHAR"), ("place_feature", "VARCHAR"), ("lat", "DOUBLE"), ("lon", "DOUBLE"),
    ("confidence", "DOUBLE"), ("rule", "VARCHAR"), ("predicate", "VARCHAR"), ("evidence", "VARCHAR"),
    ("event", "JSON"),
]
ACTOR_COLUMNS = [
    ("event_id", "VARCHAR"), ("article_id", "VARCHAR"), ("part", "VARCHAR"), ("text", "VARCHAR"),
    ("country", "VARCHAR"), ("sector", "VARCHAR"), ("name", "VARCHAR"), ("role", "VARCHAR"),
    ("code", "VARCHAR"), ("rule", "VARCHAR"), ("start_char", "INTEGER"), ("end_char", "INTEGER"),
]


@dataclass
class Written:
    """What one batch changed."""

    articles: int = 0  # new article rows
    events: int = 0  # new event rows
    removed: int = 0  # articles deleted because their source now has another text


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def lead_end(text: str) -> int:
    """End offset of the lead: the title line and the first paragraph after it."""
    seen, pos = 0, 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            seen += 1
            if seen == 2:
                return end
        pos = end + 1
    return len(text)


def _iso_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _actor_values(actor: Actor | None) -> list:
    if actor is None:
        return [None] * len(_ACTOR_FIELDS)
    return [actor.text, actor.country, actor.sector, actor.name, actor.role, actor.code]


def event_row(event: Event, article: Article, lead: int) -> list:
    place = event.place
    date = _iso_date(event.date)
    return [
        event.id, event.article_id, event.sentence_index, event.span[0], event.span[1], event.span[0] < lead,
        *_actor_values(event.source), *_actor_values(event.target),
        event.speaker.text if event.speaker else None, event.speaker.code if event.speaker else None,
        event.type, event.mode, event.context, event.cameo, event.cameo[:2], event.goldstein,
        event.quad_class, event.modality, date, event.date_text, event.date_precision,
        date or article.published,
        place.name if place else None, place.country if place else None, place.feature if place else None,
        place.lat if place else None, place.lon if place else None,
        event.confidence, event.rule, event.predicate, event.evidence,
        json.dumps(event.to_dict(explain=True), ensure_ascii=False),
    ]


def actor_rows(event: Event) -> list[list]:
    rows = []
    for part, actor in (("source", event.source), ("target", event.target), ("speaker", event.speaker)):
        if actor is not None:
            rows.append([event.id, event.article_id, part, actor.text, actor.country, actor.sector, actor.name,
                         actor.role, actor.code, actor.rule, actor.start, actor.end])
    return rows


def insert_rows(conn, table: str, columns: list[tuple[str, str]], rows: list[list], conflict: str = "DO NOTHING") -> None:
    """Insert rows column-wise: one statement, one list parameter a column."""
    if not rows:
        return
    names = ", ".join(name for name, _ in columns)
    values = ", ".join(f"unnest(?::{kind}[])" for _, kind in columns)
    params = [list(col) for col in zip(*rows)]
    conn.execute(f"INSERT INTO {table} ({names}) SELECT {values} ON CONFLICT {conflict}", params)


def skipped_id(item: Skipped) -> str:
    return content_hash("skipped", item.origin, item.line, item.reason)


def write_batch(conn, coded: list[tuple[str, Article, list[Event]]], links: list[tuple[str, Article]],
                skipped: list[Skipped], model: str | None = None) -> Written:
    """Write one batch in one transaction (rolled back whole on error).

    `coded`: (article key, article as read, its events; each event's
    article_id is the key). `links`: (key, article) for a source whose text
    is already stored under that key. `skipped`: inputs not stored.
    """
    stamp = now()
    written = Written()
    articles, events, actors, seen_events = [], [], [], set()
    for key, article, article_events in coded:
        articles.append([key, article.id, article.origin, article.url, article.outlet, article.title, article.text,
                         article.published, article.language, model, len(article_events), stamp])
        lead = lead_end(article.text)
        for event in article_events:
            if event.id in seen_events:
                continue
            seen_events.add(event.id)
            events.append(event_row(event, article, lead))
            actors.extend(actor_rows(event))
    sources: dict[str, list] = {}
    for key, article in [(key, article) for key, article, _ in coded] + links:
        sources[article.id] = [article.id, key, article.origin, article.url, article.outlet, stamp]
    skip_rows = {}
    for item in skipped:
        skip_rows[skipped_id(item)] = [skipped_id(item), item.origin, item.line, item.reason, stamp, stamp, 1]

    conn.execute("BEGIN TRANSACTION")
    try:
        before = {row[0] for row in conn.execute(
            "SELECT article_id FROM sources WHERE source_id IN (SELECT unnest(?::VARCHAR[]))", [list(sources)]
        ).fetchall()}
        stored = {row[0] for row in conn.execute(
            "SELECT id FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))", [[row[0] for row in articles]]
        ).fetchall()} if articles else set()
        fresh, fresh_ids = [], set()
        for row in articles:
            if row[0] not in stored and row[0] not in fresh_ids:
                fresh.append(row)
                fresh_ids.add(row[0])
        insert_rows(conn, "articles", ARTICLE_COLUMNS, fresh)
        events = [row for row in events if row[1] in fresh_ids]
        insert_rows(conn, "events", EVENT_COLUMNS, events)
        insert_rows(conn, "actors", ACTOR_COLUMNS, [row for row in actors if row[1] in fresh_ids])
        insert_rows(conn, "sources", SOURCE_COLUMNS, list(sources.values()),
                    "(source_id) DO UPDATE SET article_id = excluded.article_id, origin = excluded.origin, "
                    "url = excluded.url, outlet = excluded.outlet, seen_at = excluded.seen_at")
        candidates = sorted(before | fresh_ids)
        written.removed = _remove_orphans(conn, candidates)
        insert_rows(conn, "skipped", [("id", "VARCHAR"), ("origin", "VARCHAR"), ("line", "INTEGER"),
                                      ("reason", "VARCHAR"), ("first_seen", "TIMESTAMP"), ("last_seen", "TIMESTAMP"),
                                      ("times", "INTEGER")], list(skip_rows.values()),
                    "(id) DO UPDATE SET last_seen = excluded.last_seen, times = skipped.times + 1")
        conn.execute("COMMIT")
    except BaseException:
        _rollback(conn)
        raise
    written.articles, written.events = len(fresh), len(events)
    return written


def _rollback(conn) -> None:
    """Undo the batch after an error, which is then raised as it was.

    A COMMIT that failed to write (a full disk) has already ended the transaction
    and undone the batch, so ROLLBACK then fails with "no transaction is active";
    that error must not hide the one that says why.
    """
    import duckdb

    try:
        conn.execute("ROLLBACK")
    except duckdb.Error:
        pass  # no transaction left to undo: nothing of the batch was stored


def _remove_orphans(conn, candidates: list[str]) -> int:
    """Delete the articles among `candidates` that no source points at, with their events."""
    if not candidates:
        return 0
    orphans = [row[0] for row in conn.execute(
        "SELECT id FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[])) "
        "AND id NOT IN (SELECT article_id FROM sources)", [candidates]).fetchall()]
    if orphans:
        for table, column in (("actors", "article_id"), ("events", "article_id"), ("articles", "id")):
            conn.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT unnest(?::VARCHAR[]))", [orphans])
    return len(orphans)
