"""Readers behind `tocsin ingest`: txt, HTML, JSON Lines, CSV, RSS/Atom, directories, URLs."""
from __future__ import annotations

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tocsin.ingest.feeds import html_to_text, read_feed
from tocsin.ingest.html import read_html
from tocsin.ingest.sources import ReadOptions, read_sources
from tocsin.ingest.tabular import parse_columns, parse_any_date, read_csv
from tocsin.ingest.web import Fetcher
from tocsin.model import Article, Skipped

BODY = ("Russian and Ukrainian negotiators met in Istanbul on Tuesday for a new round of talks. "
        "The foreign minister of Turkey said both sides had agreed to keep talking. ") * 3
PAGE = f"""<!DOCTYPE html><html><head><title>Talks in Istanbul | World News</title>
<meta property="og:title" content="Talks resume in Istanbul">
<meta property="og:site_name" content="World News">
<meta name="date" content="2022-03-29"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Talks resume in Istanbul</h1><p>{BODY}</p>
<p>Officials in Kyiv said the ceasefire proposal would be studied carefully by the government.</p></article>
<footer>Copyright World News. All rights reserved. Subscribe to our newsletter.</footer></body></html>"""
RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>World Wire</title><link>http://example.org/</link>
<item><title>NATO rejects demands</title><link>http://example.org/a1</link><guid>wire-1</guid>
<pubDate>Thu, 16 Dec 2021 10:00:00 GMT</pubDate>
<description>&lt;p&gt;NATO rejected Russian demands on Thursday.&lt;/p&gt;</description>
<content:encoded><![CDATA[<p>NATO rejected Russian demands on Thursday.</p><p>The alliance said its door stays open.</p>]]></content:encoded></item>
<item><title>Empty one</title><link>http://example.org/a2</link><description></description></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title><id>urn:feed</id>
<entry><title>Protests in Tbilisi</title><id>urn:entry:1</id><link href="http://example.org/t"/>
<updated>2022-03-02T08:00:00Z</updated><summary>Thousands protested in Tbilisi against the government.</summary></entry>
</feed>"""


# -- files -------------------------------------------------------------------
def test_txt_and_directory_walk(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Headline A\n\nRussia met NATO.", encoding="utf-8")
    (tmp_path / "sub" / "b.txt").write_text("Headline B\n\nFrance met Germany.", encoding="utf-8")
    (tmp_path / "sub" / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden.txt").write_text("Hidden\n\nnot read", encoding="utf-8")
    items = list(read_sources([str(tmp_path)], ReadOptions(published=dt.date(2021, 12, 16))))
    assert [i.title for i in items] == ["Headline A", "Headline B"]
    assert items[0].id == str((tmp_path / "a.txt").resolve())  # a file's source id is its absolute path
    assert all(i.published == dt.date(2021, 12, 16) for i in items)
    [empty] = read_sources([str(tmp_path / "sub" / "nothing")])
    assert isinstance(empty, Skipped) and "no such file" in empty.reason
    (tmp_path / "empty").mkdir()
    [none] = read_sources([str(tmp_path / "empty")])
    assert isinstance(none, Skipped) and "no article files" in none.reason


def test_jsonl_through_sources(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"id": "x1", "title": "T", "text": "Body.", "published": "2022-01-02"}) + "\n{bad\n",
                    encoding="utf-8")
    article, bad = read_sources([str(path)])
    assert article.id == "x1" and article.published == dt.date(2022, 1, 2)
    assert isinstance(bad, Skipped) and bad.line == 2


def test_html_page_is_extracted_without_boilerplate(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    [article] = read_sources([str(path)])
    assert isinstance(article, Article)
    assert article.title == "Talks resume in Istanbul"
    assert "Istanbul on Tuesday" in article.text and "ceasefire proposal" in article.text
    assert "Subscribe" not in article.text and "Sport" not in article.text
    assert article.published == dt.date(2022, 3, 29)
    assert article.id == str(path.resolve())
    [nothing] = read_html(b"<html><head><title>x</title></head><body><script>var a;</script></body></html>", "nav.html")
    assert isinstance(nothing, Skipped) and "no article text" in nothing.reason


def test_csv_with_mapping_guesses_and_title_desc(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(
        "headline,body,when,link,Site\n"
        'Talks,"Russia and NATO held talks.\nThey agreed to meet again.",2022-01-10,http://e.org/1,E\n'
        "Blank,,2022-01-11,http://e.org/2,E\n"
        "Bad date,Body text.,tomorrow,http://e.org/3,E\n",
        encoding="utf-8",
    )
    mapping = parse_columns(["title=headline,text=body", "published=when"])
    first, second, bad = read_csv(path.read_bytes(), str(path), columns=mapping)
    assert first.title == "Talks" and first.text.startswith("Talks\n\nRussia and NATO")
    assert first.url == "http://e.org/1" and first.outlet == "E" and first.published == dt.date(2022, 1, 10)
    assert second.text == "Blank"  # a headline alone is a one-line article
    assert isinstance(bad, Skipped) and bad.line == 5 and "bad date" in bad.reason  # line 2-3 is one record
    ruwa = b",src,desc,title,Date,Site\n0,http://u/1,Shelling reported overnight.,Kharkiv shelled,04/24/2022,bbc\n"
    [row] = read_csv(ruwa, "ruwa.csv")  # guessed columns; title + desc; month-first slash dates
    assert row.text == "Kharkiv shelled\n\nShelling reported overnight." and row.published == dt.date(2022, 4, 24)
    assert row.url == "http://u/1" and row.outlet == "bbc"
    with pytest.raises(ValueError, match="unknown field"):
        parse_columns(["body=text"])
    [missing] = read_csv(b"a,b\n1,2\n", "x.csv")
    assert isinstance(missing, Skipped) and "--column" in missing.reason
    [unmapped] = read_csv(b"a,b\n1,2\n", "x.csv", columns={"text": "nope"})
    assert isinstance(unmapped, Skipped) and "no column 'nope'" in unmapped.reason
    assert parse_any_date("24/04/2022", "%d/%m/%Y") == dt.date(2022, 4, 24)
    assert parse_any_date("Thu, 16 Dec 2021 10:00:00 GMT") == dt.date(2021, 12, 16)


def test_rss_and_atom(tmp_path):
    entries = list(read_feed(RSS, "wire.xml"))
    nato, empty = entries
    assert nato.id == "wire-1" and nato.url == "http://example.org/a1" and nato.outlet == "World Wire"
    assert nato.text == "NATO rejects demands\n\nNATO rejected Russian demands on Thursday.\nThe alliance said its door stays open."
    assert nato.published == dt.date(2021, 12, 16)
    assert isinstance(empty, Skipped) and empty.line == 2
    path = tmp_path / "atom.xml"
    path.write_bytes(ATOM)
    [entry] = read_sources([str(path)])
    assert entry.id == "urn:entry:1" and entry.published == dt.date(2022, 3, 2) and "Tbilisi" in entry.text
    [junk] = read_feed(b"<html>not a feed", "x.xml")
    assert isinstance(junk, Skipped)
    assert html_to_text("<p>One &amp; two</p><script>x()</script><p>Three</p>") == "One & two\nThree"


# -- URLs ---------------------------------------------------------------------
class Handler(BaseHTTPRequestHandler):
    hits: list[tuple[str, float]] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        Handler.hits.append((self.path, time.monotonic()))
        routes = {"/page.html": ("text/html; charset=utf-8", PAGE.encode()),
                  "/feed": ("application/rss+xml", RSS), "/big": ("text/plain", b"x" * 50_000)}
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/page.html")
            self.end_headers()
            return
        if self.path not in routes:
            self.send_response(500)
            self.end_headers()
            return
        ctype, body = routes[self.path]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_urls_page_feed_and_failures(server):
    options = ReadOptions(timeout=0.5, interval=0.0, max_bytes=20_000)
    page, *feed, error, slow, big, moved = read_sources(
        [f"{server}/page.html", f"{server}/feed", f"{server}/error", f"{server}/slow", f"{server}/big",
         f"{server}/moved"], options)
    assert isinstance(page, Article) and page.url == f"{server}/page.html" and "Istanbul" in page.text
    assert page.id == f"{server}/page.html"
    assert [getattr(i, "id", None) for i in feed] == ["wire-1", None]
    assert isinstance(error, Skipped) and "HTTP 500" in error.reason
    assert isinstance(slow, Skipped) and "timed out" in slow.reason
    assert isinstance(big, Skipped) and "too large" in big.reason
    assert isinstance(moved, Article) and moved.url == f"{server}/page.html"


def test_polite_interval_per_host(server):
    fetcher = Fetcher(timeout=2, interval=0.3)
    Handler.hits.clear()
    for _ in range(3):
        assert not isinstance(fetcher.get(f"{server}/big"), Skipped)
    fetcher.close()
    times = [t for _, t in Handler.hits]
    assert all(b - a >= 0.28 for a, b in zip(times, times[1:]))
    assert isinstance(Fetcher().get("ftp://example.org/x"), Skipped)


def test_follow_links_reads_each_entry_page(server):
    feed = RSS.replace(b"http://example.org/a1", f"{server}/page.html".encode())
    from tocsin.ingest.sources import SourceReader

    reader = SourceReader(ReadOptions(follow=True, interval=0.0, timeout=2))
    items = list(read_feed(feed, "wire.xml", follow=reader._follow))
    reader.close()
    assert "Istanbul on Tuesday" in items[0].text and items[0].id == "wire-1"
    assert items[0].published == dt.date(2021, 12, 16)  # the feed's date wins over the page's
