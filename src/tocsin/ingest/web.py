"""Fetching URLs politely: timeouts, a size cap, and a minimum interval per host.

`Fetcher.get(url)` returns a `Page` or a `Skipped` with the reason (timed
out, HTTP 500, too large, not a web address); it never raises for a bad
page. Requests to the same host are spaced by `interval` seconds; redirects
are followed; the body is read in pieces and abandoned past `max_bytes`.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..model import Skipped

USER_AGENT = "tocsin/0.1 (news event coder)"
DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_INTERVAL = 1.0


@dataclass
class Page:
    url: str  # the final URL, after redirects
    content: bytes
    content_type: str

    @property
    def kind(self) -> str:
        """feed | html | jsonl | text, from the content type and the first bytes."""
        from .feeds import looks_like_feed

        ctype = self.content_type.lower()
        if any(word in ctype for word in ("rss", "atom")) or (("xml" in ctype or not ctype) and looks_like_feed(self.content)):
            return "feed"
        if "html" in ctype or self.content[:512].lstrip().lower().startswith((b"<!doctype html", b"<html")):
            return "html"
        if "json" in ctype:
            return "jsonl"
        return "text"


def is_url(name: str) -> bool:
    return name.lower().startswith(("http://", "https://"))


class Fetcher:
    """One HTTP client for a run; remembers when it last asked each host."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
                 interval: float = DEFAULT_INTERVAL, client=None):
        import httpx

        self.timeout, self.max_bytes, self.interval = timeout, max_bytes, interval
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
                     "application/atom+xml,application/xml;q=0.9,*/*;q=0.5"},
        )
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def _wait_turn(self, host: str) -> None:
        with self._lock:
            last = self._last.get(host)
            now = time.monotonic()
            if last is not None and now - last < self.interval:
                time.sleep(self.interval - (now - last))
            self._last[host] = time.monotonic()

    def get(self, url: str) -> Page | Skipped:
        import httpx

        try:
            parts = urlsplit(url)
            netloc = parts.netloc
        except ValueError as err:  # "http://[::1"
            return Skipped(url, f"not a valid web address ({err})")
        if parts.scheme not in ("http", "https") or not netloc:
            return Skipped(url, "not a web address (http:// or https://)")
        self._wait_turn(netloc.lower())
        started = time.monotonic()
        try:
            with self.client.stream("GET", url) as response:
                if response.status_code >= 400:
                    return Skipped(url, f"HTTP {response.status_code} {response.reason_phrase}".strip())
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    return Skipped(url, f"too large ({int(declared):,} bytes > {self.max_bytes:,})")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        return Skipped(url, f"too large (over {self.max_bytes:,} bytes)")
                    if time.monotonic() - started > self.timeout * 3:
                        return Skipped(url, f"too slow (still downloading after {self.timeout * 3:.0f} s)")
                    chunks.append(chunk)
                return Page(str(response.url), b"".join(chunks), response.headers.get("content-type", ""))
        except httpx.TimeoutException:
            return Skipped(url, f"timed out after {self.timeout:g} s")
        except httpx.HTTPError as err:
            return Skipped(url, f"cannot fetch ({type(err).__name__}: {err})")
        except (httpx.InvalidURL, ValueError) as err:  # a NUL in the URL, a bad IDNA host name, a redirect to one
            return Skipped(url, f"not a valid web address ({type(err).__name__}: {err})")
