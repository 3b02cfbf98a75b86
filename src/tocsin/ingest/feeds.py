"""Reading RSS and Atom feeds (a saved .xml/.rss/.atom file or a fetched feed URL).

Each entry is one article: its title, its full content when the feed carries
it (content:encoded, Atom content), else its summary, with the HTML markup
turned into paragraphs. The entry's id (guid), else its link, is its source
id, so a feed read again and again stores each story once, and a story the
outlet edits replaces the old one. `follow` fetches each entry's own page
instead (see sources.py), for feeds that carry only a teaser.

Bounds: a feed file larger than MAX_FEED_BYTES is not read; only the first
MAX_FEED_ENTRIES entries of a feed are read, and a Skipped says how many
were left. The feed is handed to feedparser as a stream, never as a string:
feedparser opens a string that names a file or URL, so a feed whose content
is "/etc/passwd" or "/dev/zero" would make it read that instead.
"""
from __future__ import annotations

import datetime as dt
import html
import io
from html.parser import HTMLParser
from typing import Callable, Iterator

from ..model import Article, Skipped
from .plain import make_article

MAX_FEED_BYTES = 50_000_000  # a feed file larger than this is not read
MAX_FEED_ENTRIES = 1_000  # entries read from one feed; the rest are reported, not read
BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Markup from a feed entry as plain paragraphs (one a line)."""
    if "<" not in markup:
        return html.unescape(markup).strip()
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def looks_like_feed(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head) or \
        head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def _entry_date(entry) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
            except (ValueError, TypeError, AttributeError):  # year 0, a date feedparser could not fill
                continue
    return None


def _entry_body(entry) -> str:
    contents = entry.get("content") or []
    best = max((c.get("value", "") for c in contents), key=len, default="")
    summary = entry.get("summary", "") or ""
    return html_to_text(best if len(best) >= len(summary) else summary)


def read_feed(data: bytes, origin: str, *, published: dt.date | None = None,
              follow: Callable[[str, str, dt.date | None], Article | Skipped | None] | None = None,
              ) -> Iterator[Article | Skipped]:
    """One article an entry. `follow(link, entry_id, date)` may return the entry's full page instead."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(data))  # never the bytes themselves: they could name a file
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            yield Skipped(origin, f"not an RSS/Atom feed ({parsed.get('bozo_exception')})")
        else:
            yield Skipped(origin, "feed has no entries")
        return
    outlet = (parsed.get("feed") or {}).get("title") or None
    if len(entries) > MAX_FEED_ENTRIES:
        yield Skipped(origin, f"feed has {len(entries):,} entries: only the first {MAX_FEED_ENTRIES:,} are read "
                              f"(feeds.MAX_FEED_ENTRIES), {len(entries) - MAX_FEED_ENTRIES:,} left out")
        entries = entries[:MAX_FEED_ENTRIES]
    for number, entry in enumerate(entries, start=1):
        link = entry.get("link") or None
        entry_id = entry.get("id") or link
        date = _entry_date(entry) or published
        where = f"{origin}#{number}"
        if follow is not None and link:
            page = follow(link, entry_id or link, date)
            if isinstance(page, Article):
                page.outlet = page.outlet or outlet
                yield page
                continue
        item = make_article(where, _entry_body(entry), html_to_text(entry.get("title", "")) or None,
                            id=entry_id, url=link, outlet=outlet, published=date)
        if isinstance(item, Skipped):
            item.origin, item.line = origin, number
            item.reason = f"entry {number}: {item.reason}"
        yield item
