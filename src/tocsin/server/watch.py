"""`--watch FEEDS_FILE --every 15m`: poll feeds in a background thread and ingest what is new.

Each poll reads every feed URL through the same readers as `tocsin ingest URL`
(`ingest.sources.read_sources`: `web.Fetcher` with its timeouts and size cap,
then `feeds.read_feed`), outside the store's write lock, then hands the items
to `StoreOwner.ingest`: entries already stored are not coded again, failures
are stored in the skipped table with their reason. One log line a poll.
`stop()` ends the wait at once and a running poll after its current article.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..ingest.plain import one_line
from ..ingest.sources import ReadOptions, read_sources
from ..ingest.web import is_url
from ..model import Article, Skipped

log = logging.getLogger("tocsin.server")
_EVERY = re.compile(r"^\s*(\d+)\s*(s|m|h)\s*$", re.IGNORECASE)
_UNIT = {"s": 1, "m": 60, "h": 3600}
MAX_FEEDS_BYTES = 1_000_000  # a feeds file larger than this is refused
MAX_FEEDS = 1_000  # feed URLs in one file


def parse_every(text: str) -> float:
    """'30s', '15m', '1h' -> seconds; ValueError says what to give."""
    match = _EVERY.match(text or "")
    seconds = int(match.group(1)) * _UNIT[match.group(2).lower()] if match else 0
    if not match or seconds <= 0:
        raise ValueError(f"--every takes a whole number and a unit, e.g. 30s, 15m or 1h (not {text!r})")
    return float(seconds)


def read_feeds_file(path: str | Path) -> list[str]:
    """The feed URLs of a file, one a line; blank lines and # comments are passed over."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FEEDS_BYTES:
            raise ValueError(f"{path} is over {MAX_FEEDS_BYTES:,} bytes: a feeds file holds one URL a line")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise ValueError(f"cannot read the feeds file {path}: {reason}") from None
    urls = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line) or any(c.isspace() for c in line):
            raise ValueError(f"{path}:{number}: not a feed URL (one http:// or https:// URL a line): "
                             f"{one_line(line[:80])!r}")
        urls.append(line)
    if not urls:
        raise ValueError(f"{path} has no feed URLs: write one http(s) URL a line (# starts a comment)")
    if len(urls) > MAX_FEEDS:
        raise ValueError(f"{path} has {len(urls):,} feed URLs: at most {MAX_FEEDS:,}")
    return urls


@dataclass
class Watch:
    """What to poll and how often."""

    feeds: list[str]
    every: float  # seconds between the start of one poll and the next (a slow poll delays the next)
    timeout: float = 20.0  # seconds before a feed URL is given up
    max_bytes: int = 5_000_000  # largest feed fetched
    interval: float = 1.0  # seconds between two requests to one host


class FeedWatcher:
    """The background poller; `start()` once, `stop()` once."""

    def __init__(self, owner, watch: Watch):
        self.owner, self.watch = owner, watch
        self.polls = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tocsin-watch", daemon=True)

    def start(self) -> None:
        log.info("tocsin watch: %d feed%s every %gs", len(self.watch.feeds),
                 "s" if len(self.watch.feeds) != 1 else "", self.watch.every)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop polling; True when the thread ended within `timeout` seconds."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                self.poll()
            except Exception:  # a bug must not end the polling: log it, poll again next time
                log.exception("tocsin watch: poll %d failed", self.polls)
            self._stop.wait(max(0.0, self.watch.every - (time.monotonic() - started)))

    def poll(self) -> None:
        """Read every feed, ingest what is new, log one line."""
        self.polls += 1
        started = time.monotonic()
        w = self.watch
        options = ReadOptions(timeout=w.timeout, max_bytes=w.max_bytes, interval=w.interval)
        items: list[Article | Skipped] = []
        for item in read_sources(w.feeds, options):
            if self._stop.is_set():
                break
            items.append(item)
        if self._stop.is_set():
            return
        summary = self.owner.ingest(items, stop=self._stop.is_set)
        log.info("tocsin watch: poll %d: %d feed%s, %d entries read, %d new (%d events), %d already stored, "
                 "%d skipped in %.1f s", self.polls, len(w.feeds), "s" if len(w.feeds) != 1 else "", summary.read,
                 summary.coded, summary.events, summary.unchanged + summary.linked, len(summary.skipped),
                 time.monotonic() - started)
