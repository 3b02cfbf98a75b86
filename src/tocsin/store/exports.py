"""Export views of stored events: GDELT-style and ICEWS-style rows, PLOVER JSON, Parquet.

Each mapping is documented column by column in docs/exports.md. The rows come
from one query (`queries.export_sql`: events joined with their article); the
names of CAMEO codes and countries are given by the caller (the store knows
codes, not vocabularies).
"""
from __future__ import annotations

import datetime as dt
import json
from typing import IO, Callable, Iterator, Mapping

from .queries import EventFilter, export_sql

GDELT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *[f"Actor{n}{c}" for n in (1, 2) for c in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
        "Type1Code", "Type2Code", "Type3Code")],
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *[f"{g}Geo_{c}" for g in ("Actor1", "Actor2", "Action") for c in (
        "Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID")],
    "DATEADDED", "SOURCEURL",
]
ICEWS_COLUMNS = [
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code",
    "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID", "Sentence Number", "Publisher",
    "City", "District", "Province", "Country", "Latitude", "Longitude",
]
FORMATS = ("gdelt", "icews", "plover", "parquet")
GEO_TYPES = {"country": 1, "region": 5, "province": 5, "state": 5, "city": 4}


def export_rows(conn, flt: EventFilter, chunk: int = 2000) -> Iterator[dict]:
    """Each selected event as a flat dict (event columns + its article's metadata)."""
    sql, params = export_sql(flt)
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    while True:
        rows = cursor.fetchmany(chunk)
        if not rows:
            return
        for row in rows:
            yield dict(zip(names, row))


def _cell(value) -> str:
    """One TSV cell: no tabs or line breaks inside, empty for null."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}" if value == value else ""
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _date(row: dict) -> dt.date | None:
    return row["event_date"] or row["article_published"]


def gdelt_id(event_id: str) -> int:
    """GDELT wants an integer id: the first 60 bits of the event's content hash."""
    return int(event_id[:15], 16)


def _gdelt_actor(row: dict, part: str) -> list:
    country = row[f"{part}_country"] or ""
    is_state = len(country) == 3 and country.isalpha()
    has_actor = bool(row[f"{part}_text"])
    code = (country + (row[f"{part}_sector"] or "")) if has_actor else ""
    name = (row[f"{part}_name"] or row[f"{part}_text"]) if has_actor else ""
    return [code, name, country if is_state else "", "" if is_state else country, "", "", "",
            row[f"{part}_sector"] or "", "", ""]


def gdelt_row(row: dict) -> list:
    date = _date(row)
    added = row["ingested_at"]
    geo = [GEO_TYPES.get((row["place_feature"] or "").lower(), 4 if row["place_name"] else ""),
           row["place_name"], row["place_country"], "", row["lat"], row["lon"], ""] if row["place_name"] else [""] * 7
    return [
        gdelt_id(row["id"]),
        date.strftime("%Y%m%d") if date else "",
        date.strftime("%Y%m") if date else "",
        date.year if date else "",
        f"{date.year + (date.timetuple().tm_yday - 1) / 365:.4f}" if date else "",
        *_gdelt_actor(row, "source"),
        *_gdelt_actor(row, "target"),
        1 if row["is_root"] else 0,
        row["cameo"], row["cameo"][:3], row["cameo_root"],
        row["quad_class"], row["goldstein"],
        row["num_articles"], row["num_sources"], row["num_articles"], "",
        *[""] * 7, *[""] * 7, *geo,
        added.strftime("%Y%m%d") if added else "",
        row["article_url"] or row["article_source_id"],
    ]


def icews_row(row: dict, cameo_names: Mapping[str, str], country_names: Mapping[str, str]) -> list:
    date = _date(row)
    feature = (row["place_feature"] or "").lower()
    place_country = row["place_country"]
    return [
        row["id"],
        date.isoformat() if date else "",
        (row["source_name"] or row["source_text"]) or "",
        row["source_sector"] or "",
        country_names.get(row["source_country"], row["source_country"]) if row["source_country"] else "",
        cameo_names.get(row["cameo"]) or row["type"] or "",
        row["cameo"],
        row["goldstein"],
        (row["target_name"] or row["target_text"]) or "",
        row["target_sector"] or "",
        country_names.get(row["target_country"], row["target_country"]) if row["target_country"] else "",
        row["article_id"],
        row["sentence_index"] + 1,
        row["article_outlet"] or "",
        row["place_name"] if feature == "city" else "",
        "",
        row["place_name"] if feature in ("region", "province", "state") else "",
        country_names.get(place_country, place_country) if place_country else "",
        row["lat"], row["lon"],
    ]


def plover_record(row: dict, version: str = "") -> dict:
    date = _date(row)

    def actor(part: str):
        return (row[f"{part}_name"] or row[f"{part}_text"]) if row[f"{part}_text"] else None

    return {
        "id": row["id"],
        "date": date.isoformat() if date else None,
        "date_precision": row["date_precision"],
        "event": row["type"],
        "mode": row["mode"],
        "context": [c for c in (row["context"] or "").split(";") if c],
        "source": actor("source"),
        "source_actor": row["source_country"],
        "source_agent": row["source_sector"],
        "target": actor("target"),
        "target_actor": row["target_country"],
        "target_agent": row["target_sector"],
        "country": row["place_country"],
        "admin1": None,
        "geolocation": row["place_name"],
        "latitude": row["lat"],
        "longitude": row["lon"],
        "text": row["evidence"],
        "story_id": row["article_id"],
        "sentence_number": row["sentence_index"],
        "publication_date": row["article_published"].isoformat() if row["article_published"] else None,
        "headline": row["article_title"],
        "url": row["article_url"],
        "publisher": row["article_outlet"],
        "cameo": row["cameo"],
        "goldstein": row["goldstein"],
        "quad_class": row["quad_class"],
        "modality": row["modality"],
        "confidence": row["confidence"],
        "coder": f"tocsin {version}".strip() + f" ({row['rule']})",
    }


def write_tsv(out: IO[str], columns: list[str], rows: Iterator[list], header: bool = True) -> int:
    count = 0
    if header:
        out.write("\t".join(columns) + "\n")
    for row in rows:
        out.write("\t".join(_cell(v) for v in row) + "\n")
        count += 1
    return count


def export(conn, fmt: str, out: IO[str], flt: EventFilter | None = None, *, header: bool = True,
           cameo_names: Mapping[str, str] | None = None, country_names: Mapping[str, str] | None = None,
           version: str = "") -> int:
    """Write the selected events to `out` as gdelt/icews TSV or PLOVER JSON Lines; returns the count."""
    flt = flt or EventFilter()
    rows = export_rows(conn, flt)
    if fmt == "gdelt":
        return write_tsv(out, GDELT_COLUMNS, (gdelt_row(r) for r in rows), header)
    if fmt == "icews":
        make: Callable[[dict], list] = lambda r: icews_row(r, cameo_names or {}, country_names or {})
        return write_tsv(out, ICEWS_COLUMNS, (make(r) for r in rows), header)
    if fmt == "plover":
        count = 0
        for r in rows:
            out.write(json.dumps(plover_record(r, version), ensure_ascii=False) + "\n")
            count += 1
        return count
    raise ValueError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")


def export_parquet(conn, path: str, flt: EventFilter | None = None) -> int:
    """Write the selected events, flattened and joined with their article, to a Parquet file."""
    sql, params = export_sql(flt or EventFilter())
    conn.execute(f"COPY ({sql}) TO ? (FORMAT parquet, COMPRESSION zstd)", params + [str(path)])
    count_sql = f"SELECT count(*) FROM ({sql})"
    return conn.execute(count_sql, params).fetchone()[0]
