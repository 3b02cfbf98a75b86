"""Reading CSV/TSV files of articles, one a row, with a column mapping.

The fields an Article needs are found by name: `columns` maps a field to a
column (`{"text": "body", "published": "date"}`); a field not mapped is
guessed from common names (case-insensitive):

  text       text, body, content, article, full_text, story
  title      title, headline, heading
  desc       desc, description, summary, lead, abstract, snippet
  published  published, date, published_at, pubdate, publish_date, datetime, time
  id         id, article_id, guid, uuid
  url        url, src, link, href
  outlet     outlet, source, site, publisher, sitename, domain

A row with no text is coded from its title and description ("title\\n\\ndesc"),
or from its title alone (a headline is a one-line article). Dates may be ISO
(2022-02-24, with or without a time), RFC 2822 (feeds), or day/month/year
with slashes: the order is taken from `date_format` ("%m/%d/%Y") when given,
else from the file (a first number above 12 means day first, a second above
12 month first; month first when nothing tells).
"""
from __future__ import annotations

import csv
import datetime as dt
import email.utils
import io
import re
import sys
from typing import Iterator

from ..model import Article, Skipped
from .plain import decode, make_article, parse_date

FIELDS = ("text", "title", "desc", "published", "id", "url", "outlet")
GUESSES = {
    "text": ("text", "body", "content", "article", "full_text", "story"),
    "title": ("title", "headline", "heading"),
    "desc": ("desc", "description", "summary", "lead", "abstract", "snippet"),
    "published": ("published", "date", "published_at", "pubdate", "publish_date", "datetime", "time"),
    "id": ("id", "article_id", "guid", "uuid"),
    "url": ("url", "src", "link", "href"),
    "outlet": ("outlet", "source", "site", "publisher", "sitename", "domain"),
}
_SLASH = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_columns(specs: tuple[str, ...] | list[str] | None) -> dict[str, str]:
    """`["text=body,title=headline", "published=date"]` -> a field -> column mapping."""
    mapping: dict[str, str] = {}
    for spec in specs or ():
        for pair in spec.split(","):
            if not pair.strip():
                continue
            field, sep, column = pair.partition("=")
            field = field.strip().lower()
            if not sep or not column.strip():
                raise ValueError(f"bad column mapping {pair!r}: use FIELD=COLUMN, e.g. text=body")
            if field not in FIELDS:
                raise ValueError(f"unknown field {field!r} in {pair!r}: use one of {', '.join(FIELDS)}")
            mapping[field] = column.strip()
    return mapping


def resolve_columns(header: list[str], columns: dict[str, str] | None) -> dict[str, int]:
    """Field -> column index; a mapped column that is not in the header raises ValueError."""
    lowered = {name.strip().lower(): i for i, name in enumerate(header)}
    found: dict[str, int] = {}
    for field in FIELDS:
        if columns and field in columns:
            name = columns[field]
            if name in header:
                found[field] = header.index(name)
            elif name.lower() in lowered:
                found[field] = lowered[name.lower()]
            else:
                raise ValueError(f"no column {name!r} (for {field}) in the header: {', '.join(header)}")
            continue
        for guess in GUESSES[field]:
            if guess in lowered:
                found[field] = lowered[guess]
                break
    return found


def slash_order(values: list[str]) -> str:
    """The strptime format for slash dates in this column, read from the values."""
    for value in values:
        match = _SLASH.match(value or "")
        if match and int(match.group(1)) > 12:
            return "%d/%m/%Y"
        if match and int(match.group(2)) > 12:
            return "%m/%d/%Y"
    return "%m/%d/%Y"


def parse_any_date(value: str | None, date_format: str | None = None) -> dt.date | None:
    """ISO, the given format, slash dates, or RFC 2822; ValueError names the problem."""
    text = (value or "").strip()
    if not text:
        return None
    if date_format:
        try:
            return dt.datetime.strptime(text, date_format).date()
        except ValueError:
            pass
    match = _SLASH.match(text)
    if match:
        return dt.datetime.strptime(match.group(0).strip(), date_format or "%m/%d/%Y").date()
    try:
        return parse_date(text)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"bad date {text!r}: use YYYY-MM-DD or give --date-format") from None


def read_csv(data: bytes, origin: str, *, columns: dict[str, str] | None = None,
             published: dt.date | None = None, date_format: str | None = None,
             delimiter: str | None = None) -> Iterator[Article | Skipped]:
    """One article a row; a bad row is skipped with its line number, the rest are read."""
    try:
        text = decode(data)
    except ValueError as err:
        yield Skipped(origin, str(err))
        return
    if delimiter is None:
        delimiter = "\t" if origin.lower().endswith(".tsv") else ","
    csv.field_size_limit(sys.maxsize)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []  # (the line a record starts on, its cells)
    try:
        start = 1
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as err:
        yield Skipped(origin, f"malformed CSV ({err})", start)
        return
    if not rows:
        yield Skipped(origin, "empty CSV file")
        return
    header = rows[0][1]
    try:
        index = resolve_columns(header, columns)
    except ValueError as err:
        yield Skipped(origin, str(err))
        return
    if "text" not in index and "title" not in index:
        yield Skipped(origin, f"no text or title column among {', '.join(header)}: map one with --column text=NAME")
        return
    if "published" in index and not date_format:
        at = index["published"]
        date_format = slash_order([r[at] for _, r in rows[1:500] if len(r) > at])
    found = False
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        found = True
        yield _row_article(row, index, origin, line, published, date_format)
    if not found:
        yield Skipped(origin, "no rows after the header")


def _row_article(row: list[str], index: dict[str, int], origin: str, line: int,
                 published: dt.date | None, date_format: str | None) -> Article | Skipped:
    def get(field: str) -> str:
        i = index.get(field)
        return (row[i] if i is not None and i < len(row) else "").strip()

    try:
        date = parse_any_date(get("published"), date_format) or published
    except ValueError as err:
        return Skipped(origin, str(err), line)
    body, title, desc = get("text"), get("title") or None, get("desc")
    if not body:
        body, title = (desc, title) if desc and title else (desc or title or "", None)
    item = make_article(f"{origin}:{line}", body, title, id=get("id") or None, url=get("url") or None,
                        outlet=get("outlet") or None, published=date)
    if isinstance(item, Skipped):
        item.origin, item.line = origin, line
    return item
