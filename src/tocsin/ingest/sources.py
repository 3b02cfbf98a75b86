"""Any source to Articles: files, directories, URLs, feeds, stdin.

`read_sources(names, options)` yields `Article` or `Skipped(reason)` for each
name, in order:

  -                 stdin (JSON Lines when it starts with "{", else one text article)
  http(s)://...     fetched (web.py); a feed, a page, JSON Lines or text by its content
  a directory       every file below it with a known extension, in sorted order
  a file            by extension: .txt/.text/.md, .html/.htm, .jsonl/.ndjson,
                    .csv/.tsv, .xml/.rss/.atom (RSS/Atom); others as plain text

The source id of an article (`Article.id`) is what the input gives: a JSON
Lines/CSV `id`, a feed entry's guid, a page's URL; for a text or HTML file,
its absolute path. The store keys articles on a hash of their text and maps
source ids to it, so the same text read twice is stored once. Within one
run, an id that comes again with a different text (two lines of a dump with
one id) keeps its first text; the later ones are skipped with the reason
(ingest the later version in a run of its own to replace the stored one).

Every name gives at least one item: an input with no article is skipped
with its reason. Size caps: plain.MAX_TEXT_BYTES (a text or HTML file),
plain.MAX_LINE_BYTES (a JSON Lines line), MAX_FILE_BYTES (a CSV file),
feeds.MAX_FEED_BYTES and feeds.MAX_FEED_ENTRIES (a feed), and for URLs
ReadOptions.max_bytes and timeout (`tocsin ingest --max-bytes --timeout`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..model import Article, Skipped
from .feeds import MAX_FEED_BYTES, looks_like_feed, read_feed
from .html import read_html
from .plain import (MAX_TEXT_BYTES, check_file, clean_name, read_capped, read_jsonl, read_jsonl_file, read_path,
                    read_text, read_text_file, unique_ids)
from .tabular import read_csv
from .web import Fetcher, is_url

TEXT = (".txt", ".text", ".md")
HTML = (".html", ".htm", ".xhtml")
JSONL = (".jsonl", ".ndjson")
TABLE = (".csv", ".tsv")
FEED = (".xml", ".rss", ".atom")
KNOWN = TEXT + HTML + JSONL + TABLE + FEED
MAX_FILE_BYTES = 2_000_000_000  # a CSV dump (JSON Lines are streamed); single articles are capped by plain.MAX_CHARS


@dataclass
class ReadOptions:
    published: dt.date | None = None  # for inputs that give no date
    columns: dict[str, str] = field(default_factory=dict)  # CSV field -> column
    date_format: str | None = None  # CSV dates, e.g. "%d/%m/%Y"
    follow: bool = False  # fetch each feed entry's own page
    timeout: float = 20.0
    max_bytes: int = 5_000_000
    interval: float = 1.0  # seconds between two requests to the same host


def walk(directory: Path) -> Iterator[Path]:
    """Files below `directory` with a known extension, sorted, hidden ones left out.

    Anything by such a name that is not a directory is given (a FIFO, a broken
    link, a link loop), so that the reader reports it instead of passing it over."""
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.suffix.lower() in KNOWN and not path.is_dir():
            yield path


def read_file(path: Path, name: str, options: ReadOptions) -> Iterator[Article | Skipped]:
    """One file by its extension."""
    suffix = path.suffix.lower()
    if suffix in JSONL:
        yield from read_jsonl_file(path, name, options.published)
        return
    if suffix not in KNOWN:
        yield from _with_path_ids(read_text_file(path, name, options.published), path)
        return
    limit = MAX_FILE_BYTES if suffix in TABLE else MAX_FEED_BYTES if suffix in FEED else MAX_TEXT_BYTES
    data = read_capped(path, name, limit)
    if isinstance(data, Skipped):
        yield data
        return
    source_id = clean_name(str(path.resolve()))
    if suffix in TEXT:
        yield from _with_path_ids(read_text(data, name, options.published), path)
    elif suffix in HTML:
        yield from read_html(data, name, id=source_id, published=options.published)
    elif suffix in TABLE:
        yield from read_csv(data, name, columns=options.columns, published=options.published,
                            date_format=options.date_format)
    else:
        yield from read_feed(data, name, published=options.published)


def _with_path_ids(items: Iterable[Article | Skipped], path: Path) -> Iterator[Article | Skipped]:
    """A text file's article is known by the file's absolute path (the reader gives the path as typed)."""
    for item in items:
        if isinstance(item, Article) and item.id == item.origin:
            item.id = clean_name(str(path.resolve()))
        yield item


class SourceReader:
    """Reads names one after the other; owns the HTTP client when URLs are given."""

    def __init__(self, options: ReadOptions | None = None):
        self.options = options or ReadOptions()
        self._fetcher: Fetcher | None = None

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            o = self.options
            self._fetcher = Fetcher(timeout=o.timeout, max_bytes=o.max_bytes, interval=o.interval)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    def read(self, names: Iterable[str]) -> Iterator[Article | Skipped]:
        """Every item of every name; an id read again with another text is skipped (`plain.unique_ids`)."""
        yield from unique_ids(item for name in names for item in guarded(name, self.read_one))

    def read_one(self, name: str) -> Iterator[Article | Skipped]:
        if name == "-":
            yield from read_path("-", self.options.published)
            return
        if is_url(name):
            yield from self.read_url(name)
            return
        path = Path(name)
        try:
            is_dir = path.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            found = False
            for file in walk(path):
                found = True
                yield from guarded(file, lambda f: read_file(f, clean_name(str(f)), self.options))
            if not found:
                yield Skipped(clean_name(name), f"no article files in this directory (looked for {', '.join(KNOWN)})")
            return
        info = check_file(path, clean_name(name))
        if isinstance(info, Skipped):
            yield info
            return
        yield from read_file(path, clean_name(name), self.options)

    def read_url(self, url: str) -> Iterator[Article | Skipped]:
        url = clean_name(url)
        page = self.fetcher.get(url)
        if isinstance(page, Skipped):
            yield page
            return
        kind = page.kind
        published = self.options.published
        if kind == "feed" or looks_like_feed(page.content):
            follow = self._follow if self.options.follow else None
            yield from read_feed(page.content, url, published=published, follow=follow)
        elif kind == "html":
            yield from read_html(page.content, url, url=page.url, id=url, published=published)
        elif kind == "jsonl":
            yield from read_jsonl(page.content, url, published)
        else:
            for item in read_text(page.content, url, published):
                if isinstance(item, Article):
                    item.url = page.url
                yield item

    def _follow(self, link: str, entry_id: str, date: dt.date | None) -> Article | Skipped | None:
        """A feed entry's own page, or None (the entry's summary is used instead)."""
        page = self.fetcher.get(link)
        if isinstance(page, Skipped) or page.kind != "html":
            return None
        for item in read_html(page.content, link, url=page.url, id=entry_id, published=date):
            if isinstance(item, Article):
                item.published = date or item.published
                return item
        return None


def guarded(name, read) -> Iterator[Article | Skipped]:
    """`read(name)`'s items; an unexpected error ends that input with a Skipped, not the whole run."""
    try:
        yield from read(name)
    except Exception as err:  # a bug: report it, read the next input
        yield Skipped(clean_name(str(name)), f"could not be read (internal error {type(err).__name__}: "
                                             f"{str(err)[:200]}; please report it)")


def read_sources(names: Iterable[str], options: ReadOptions | None = None) -> Iterator[Article | Skipped]:
    """Every article (or the reason it could not be read) in the given sources."""
    reader = SourceReader(options)
    try:
        yield from reader.read(names)
    finally:
        reader.close()
