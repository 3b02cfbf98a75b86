"""Named, parametrised queries over the store: event filters, counts, look-ups.

Every value a user gives travels as a parameter; the SQL text is built only
from the fixed fragments below.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

TABLES = ("articles", "sources", "events", "actors", "skipped")


@dataclass
class EventFilter:
    """Which events: each given field narrows the selection (all must hold).

    `source`/`target`: actor country codes (RUS, NATO) or full actor codes
    (RUSMIL); `type`: PLOVER types; `cameo`: CAMEO code prefixes ("19", "036");
    `quad`: QuadClasses; `since`/`until`: the event date (the publication date
    when the text gives none), inclusive; `modality`: modalities; `text`: words
    that must all appear in the evidence sentence (case-insensitive);
    `article`: an article id or a source id (a path, a JSON Lines id, a URL).
    """

    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    type: list[str] = field(default_factory=list)
    cameo: list[str] = field(default_factory=list)
    quad: list[int] = field(default_factory=list)
    since: dt.date | None = None
    until: dt.date | None = None
    modality: list[str] = field(default_factory=list)
    text: str | None = None
    article: str | None = None
    limit: int | None = None

    @classmethod
    def of(cls, **given) -> "EventFilter":
        """From keyword arguments where a single value may stand for a list."""
        listed = {"source", "target", "type", "cameo", "quad", "modality"}
        clean = {}
        for key, value in given.items():
            if value is None or value == () or value == []:
                continue
            if key in listed and isinstance(value, (str, int)):
                value = [value]
            if key in ("since", "until") and isinstance(value, str):
                value = dt.date.fromisoformat(value)
            clean[key] = list(value) if key in listed else value
        return cls(**clean)


def date_clauses(column: str, since, until, clauses: list[str], params: list) -> None:
    """Append `column >= since` / `column <= until` (inclusive, as parameters) for the dates given."""
    if since:
        clauses.append(f"{column} >= ?")
        params.append(since)
    if until:
        clauses.append(f"{column} <= ?")
        params.append(until)


def where_sql(clauses: list[str]) -> str:
    """ " WHERE a AND b" from clause fragments, or "" when there are none."""
    return (" WHERE " + " AND ".join(clauses)) if clauses else ""


def _upper(values) -> list[str]:
    return [str(v).strip().upper() for v in values if str(v).strip()]


def where(flt: EventFilter) -> tuple[str, list]:
    """The WHERE clause (over `events e`) and its parameters."""
    clauses: list[str] = []
    params: list = []
    for part, values in (("source", flt.source), ("target", flt.target)):
        if values:
            clauses.append(f"(e.{part}_country IN (SELECT unnest(?::VARCHAR[])) "
                           f"OR e.{part}_code IN (SELECT unnest(?::VARCHAR[])))")
            params += [_upper(values), _upper(values)]
    if flt.type:
        clauses.append("upper(e.type) IN (SELECT unnest(?::VARCHAR[]))")
        params.append(_upper(flt.type))
    if flt.cameo:
        clauses.append("list_bool_or([starts_with(e.cameo, p) for p in ?::VARCHAR[]])")
        params.append([str(c).strip() for c in flt.cameo])
    if flt.quad:
        clauses.append("e.quad_class IN (SELECT unnest(?::INTEGER[]))")
        params.append([int(q) for q in flt.quad])
    if flt.since:
        clauses.append("e.event_date >= ?")
        params.append(flt.since)
    if flt.until:
        clauses.append("e.event_date <= ?")
        params.append(flt.until)
    if flt.modality:
        clauses.append("e.modality IN (SELECT unnest(?::VARCHAR[]))")
        params.append([m.strip().lower() for m in flt.modality])
    for word in (flt.text or "").split():
        clauses.append("contains(lower(e.evidence), ?)")
        params.append(word.lower())
    if flt.article:
        clauses.append("(e.article_id = ? OR e.article_id IN (SELECT article_id FROM sources WHERE source_id = ?))")
        params += [flt.article, flt.article]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


ORDER = " ORDER BY e.event_date NULLS LAST, e.article_id, e.span_start, e.id"


def _limit(flt: EventFilter, params: list) -> str:
    if flt.limit is None:
        return ""
    params.append(int(flt.limit))
    return " LIMIT ?"


def events_sql(flt: EventFilter, columns: str = "e.*") -> tuple[str, list]:
    """Flattened event rows (the events table's columns, without the JSON by default)."""
    clause, params = where(flt)
    if columns == "e.*":
        columns = "e.* EXCLUDE (event)"
    sql = f"SELECT {columns} FROM events e{clause}{ORDER}"
    return sql + _limit(flt, params), params


def event_json_sql(flt: EventFilter) -> tuple[str, list]:
    """The full event JSON of each selected event."""
    return events_sql(flt, "CAST(e.event AS VARCHAR) AS event")


EXPORT_COLUMNS = """e.* EXCLUDE (event), a.source_id AS article_source_id, a.title AS article_title,
    a.url AS article_url, a.outlet AS article_outlet, a.published AS article_published,
    a.ingested_at AS ingested_at,
    (SELECT count(*) FROM sources s WHERE s.article_id = e.article_id) AS num_articles,
    (SELECT count(DISTINCT coalesce(s.outlet, s.source_id)) FROM sources s WHERE s.article_id = e.article_id)
        AS num_sources"""


def export_sql(flt: EventFilter) -> tuple[str, list]:
    """Flattened event rows joined with their article's metadata, for exports."""
    clause, params = where(flt)
    sql = f"SELECT {EXPORT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id{clause}{ORDER}"
    return sql + _limit(flt, params), params


def counts(conn) -> dict[str, int]:
    return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


def lookup(conn, pairs: list[tuple[str, str]]) -> tuple[set[str], set[tuple[str, str]]]:
    """For (source id, article key) pairs: the keys already stored, and the pairs already linked."""
    if not pairs:
        return set(), set()
    keys = sorted({key for _, key in pairs})
    stored = {row[0] for row in conn.execute(
        "SELECT id FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))", [keys]).fetchall()}
    linked = set(conn.execute(
        "SELECT source_id, article_id FROM sources WHERE source_id IN (SELECT unnest(?::VARCHAR[]))",
        [sorted({source for source, _ in pairs})]).fetchall())
    return stored, {pair for pair in linked if pair[1] in stored}


ARTICLES_SQL = ("SELECT id, source_id, origin, url, outlet, title, published, language, model, n_events, "
                "ingested_at FROM articles ORDER BY published NULLS LAST, id")
SOURCES_SQL = "SELECT * FROM sources ORDER BY source_id"
SKIPPED_SQL = "SELECT origin, line, reason, times, first_seen, last_seen FROM skipped ORDER BY last_seen DESC, origin, line"
