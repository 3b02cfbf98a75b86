"""Readers for plain-text articles and JSON Lines dumps (files or stdin).

Each reader yields `Article` or `Skipped(reason)`; nothing is dropped silently.
A plain-text file holds one article: its first non-empty line is the title.
A JSON Lines file holds one article a line: `id`, `title`, `text`, and
optionally `url`, `outlet`, `published` (YYYY-MM-DD).

The coded text of an article (`Article.text`, which every character span
refers to) is the title line followed by the body, so headline events are
coded too and `text[start:end] == evidence` holds for every event.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import IO, Iterator

from ..model import Article, Skipped
from .boilerplate import strip_boilerplate

MAX_CHARS = 2_000_000  # one article larger than this is skipped, not truncated


def parse_date(value: object) -> dt.date | None:
    """A YYYY-MM-DD (or ISO datetime) string as a date; ValueError names the problem."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"date must be a string like 2021-12-16, got {type(value).__name__}")
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"bad date {value!r}: use YYYY-MM-DD") from None


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), or UTF-16 with a BOM; ValueError says what to do otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(
            f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "re-save the file as UTF-8"
        ) from None


def make_article(
    origin: str,
    body: str,
    title: str | None = None,
    *,
    id: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: dt.date | None = None,
) -> Article | Skipped:
    """Normalise line endings, strip boilerplate, put the title first, check size."""
    body = strip_boilerplate(body.replace("\r\n", "\n").replace("\r", "\n"))
    title = (title or "").strip() or None
    if title and not body.lstrip().startswith(title):
        text = f"{title}\n\n{body.strip()}"
    else:
        text = body.strip()
    if not text.strip() or (title and text.strip() == title and not body.strip()):
        return Skipped(origin, "empty article: no text to code")
    if len(text) > MAX_CHARS:
        return Skipped(origin, f"article too long ({len(text):,} characters > {MAX_CHARS:,}); split it")
    if title is None:
        title = next((line.strip() for line in text.split("\n") if line.strip()), None)
    return Article(
        id=id or Article.make_id(text, url, outlet),
        text=text,
        title=title,
        url=url,
        outlet=outlet,
        published=published,
        origin=origin,
    )


def read_text(data: bytes, origin: str, published: dt.date | None = None) -> Iterator[Article | Skipped]:
    """One plain-text article; the first non-empty line is its title."""
    try:
        text = decode(data)
    except ValueError as err:
        yield Skipped(origin, str(err))
        return
    if "\x00" in text:
        yield Skipped(origin, "binary data, not text: give a .txt, .jsonl or .html file")
        return
    yield make_article(origin, text, id=origin, published=published)


def read_jsonl(data: bytes, origin: str, published: dt.date | None = None) -> Iterator[Article | Skipped]:
    """One article a line; a bad line is skipped with its line number, the rest are read."""
    try:
        text = decode(data)
    except ValueError as err:
        yield Skipped(origin, str(err))
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        yield _jsonl_article(line, origin, number, published)


def _jsonl_article(line: str, origin: str, number: int, published: dt.date | None) -> Article | Skipped:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        return Skipped(origin, f"malformed JSON ({err.msg} at column {err.colno})", number)
    if not isinstance(record, dict):
        return Skipped(origin, "a line must be a JSON object with 'text'", number)
    body = record.get("text")
    if not isinstance(body, str):
        return Skipped(origin, "missing or non-string 'text' field", number)
    fields = {}
    for key in ("id", "title", "url", "outlet"):
        value = record.get(key)
        if value is not None and not isinstance(value, (str, int)):
            return Skipped(origin, f"field {key!r} must be a string", number)
        fields[key] = str(value) if value is not None else None
    try:
        date = parse_date(record.get("published") or record.get("date")) or published
    except ValueError as err:
        return Skipped(origin, str(err), number)
    result = make_article(
        f"{origin}:{number}",
        body,
        fields["title"],
        id=fields["id"],
        url=fields["url"],
        outlet=fields["outlet"],
        published=date,
    )
    if isinstance(result, Skipped):
        result.origin, result.line = origin, number
    return result


def read_capped(path: Path, name: str, limit: int | None) -> bytes | Skipped:
    """The file's bytes, or Skipped when it is larger than `limit` or cannot be read."""
    try:
        size = path.stat().st_size
        if limit is not None and size > limit:
            return Skipped(name, f"file too large ({size:,} bytes)")
        return path.read_bytes()
    except OSError as err:
        return Skipped(name, f"cannot read: {err.strerror or err}")


def read_path(name: str, published: dt.date | None = None, stdin: IO[bytes] | None = None) -> Iterator[Article | Skipped]:
    """Read a file (by extension: .jsonl/.ndjson or text) or `-` for stdin."""
    if name == "-":
        data = (stdin or sys.stdin.buffer).read(MAX_CHARS * 4 + 1)
        reader = read_jsonl if data.lstrip().startswith(b"{") else read_text
        yield from reader(data, "<stdin>", published)
        return
    path = Path(name)
    try:
        if path.is_dir():
            yield Skipped(name, "is a directory: give the article files inside it")
            return
        if not path.exists():
            yield Skipped(name, "no such file")
            return
    except OSError as err:
        yield Skipped(name, f"cannot read: {err.strerror or err}")
        return
    jsonl = path.suffix.lower() in (".jsonl", ".ndjson")
    data = read_capped(path, name, None if jsonl else MAX_CHARS * 4)
    if isinstance(data, Skipped):
        yield data
        return
    if jsonl:
        yield from read_jsonl(data, name, published)
    else:
        yield from read_text(data, name, published)
