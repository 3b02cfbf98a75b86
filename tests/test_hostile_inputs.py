"""The bad-input catalogue: hostile inputs through the real CLI, `tocsin code` and `tocsin ingest`.

Each case is one batch: a good article plus the hostile input. The CLI must
report the hostile input on exactly one stderr line naming it and giving the
reason, still code the good article, exit 1, and (ingest) record the skip in
the store's skipped table. A few inputs are read, not skipped (UTF-16 with a
BOM, an undecodable file name, a lone surrogate escape, stdin over the old
8 MB cap); for those the batch exits 0 and their articles are coded too.

The commands run in-process through click's CliRunner (spaCy is loaded
once); inputs that could block (a FIFO, URLs that hang) are bounded by the
reader's own checks, by --timeout, and by a writer thread that would
unblock a FIFO reader after a few seconds.

Permission denied: the tests usually run as root, which reads a mode-000 file
anyway, so the catalogue uses a path that goes through a regular file
("file.txt/x.txt", ENOTDIR) as its reliable OSError; the mode-000 case runs
only when not root.
"""
from __future__ import annotations

import errno
import gzip
import json
import os
import shutil
import tempfile
import re
import threading
import time
import tracemalloc
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest
from click.testing import CliRunner

from tocsin import Store
from tocsin.cli import app
from tocsin.ingest.plain import read_path
from tocsin.ingest.sources import read_sources
from tocsin.model import Skipped

GOOD = "Sanctions\n\nThe United States imposed sanctions on Iran on Monday.\n"
OTHER = "Expulsions\n\nGermany expelled Russian diplomats on Tuesday."
TALKS = "Talks\n\nFrance and Germany held talks in Berlin on Friday."
BIG = 50 * 1024 * 1024
GERMAN = ("Die Bundesregierung hat am Montag beschlossen, dass die Soldaten noch bis zum Ende des Jahres in der "
          "Region bleiben werden. Der Sprecher des Ministeriums sagte, man werde die Lage mit den Partnern in der "
          "Nato prüfen und auch mit Russland sprechen.")
RUSSIAN = ("Правительство России объявило в понедельник, что войска останутся в регионе до конца года. Представитель "
           "министерства заявил, что переговоры с партнёрами продолжатся на следующей неделе в Женеве.")


# -- a local web server that misbehaves ---------------------------------------
class Handler(BaseHTTPRequestHandler):
    stop = threading.Event()
    hits: dict[str, int] = {}
    local_path = b"/nonexistent"

    def log_message(self, *args):
        pass

    def _head(self, status=200, ctype="text/plain", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for key, value in extra:
            self.send_header(key, value)
        self.end_headers()

    def do_GET(self):  # noqa: C901 - one route a branch
        route = self.path.split("/")[1]
        Handler.hits[route] = Handler.hits.get(route, 0) + 1
        try:
            if route == "hang":  # accepts, never answers
                Handler.stop.wait(20)
            elif route == "error":
                self._head(500)
            elif route == "loop":  # redirects forever
                self.send_response(302)
                self.send_header("Location", f"/loop/{Handler.hits[route]}")
                self.end_headers()
            elif route == "endless":  # streams without end, fast
                self._head()
                chunk = b"Russia and NATO held talks. " * 2048
                for _ in range(4000):
                    if Handler.stop.is_set():
                        break
                    self.wfile.write(chunk)
            elif route == "trickle":  # streams without end, a byte at a time
                self._head()
                for _ in range(600):
                    if Handler.stop.wait(0.05):
                        break
                    self.wfile.write(b"x")
                    self.wfile.flush()
            elif route == "bomb":  # 20 MB of zeros in 20 kB of gzip
                body = gzip.compress(b"\0" * 20_000_000, compresslevel=1)
                self._head(extra=[("Content-Encoding", "gzip"), ("Content-Length", str(len(body)))])
                self.wfile.write(body)
            elif route == "lfi":  # a "feed" that is a local path (feedparser would open it)
                self._head(ctype="application/rss+xml")
                self.wfile.write(Handler.local_path)
            else:
                self._head(404)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture(scope="module")
def server():
    Handler.stop.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    Handler.stop.set()
    httpd.shutdown()
    httpd.server_close()


# -- inputs too big to make twice ------------------------------------------------
@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A 50 MB article and a JSON Lines file whose first line is 50 MB (its second is good)."""
    folder = tmp_path_factory.mktemp("big")
    block = b"Russia and NATO held talks in Geneva on Thursday. " * 20_000  # ~1 MB
    text = folder / "huge.txt"
    with text.open("wb") as handle:
        handle.write(b"A huge article\n\n")
        while handle.tell() < BIG:
            handle.write(block)
    dump = folder / "huge.jsonl"
    with dump.open("wb") as handle:
        handle.write(b'{"id": "huge", "title": "Huge", "text": "')
        while handle.tell() < BIG:
            handle.write(block)
        handle.write(b'"}\n' + json.dumps({"id": "after-huge", "text": OTHER}).encode() + b"\n")
    return text, dump


# -- the catalogue --------------------------------------------------------------
@dataclass
class Case:
    id: str
    make: Callable  # (folder, ctx) -> list of inputs; ctx has .server, .big, .stdin
    skips: list[tuple[str, str]] = field(default_factory=list)  # (the input as shown, reason regex)
    commands: tuple[str, ...] = ("code", "ingest")
    coded: tuple[str, ...] = ()  # source ids (beyond the good article) whose events must be there
    check: Callable | None = None  # extra check(folder, result, db or None)


class Ctx:
    server = ""
    big: tuple[Path, Path] = (Path(), Path())
    stdin: bytes | None = None


def one_line(text: str) -> str:
    """As the CLI shows a name: control characters escaped."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: repr(m.group())[1:-1], text)


def write(folder: Path, name: str, data: bytes | str) -> str:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(path)


def jsonl(folder: Path, name: str, *lines) -> str:
    """A dump whose first line is a good article ("ok-<name>"), then the given lines (bytes, str or objects)."""
    first = json.dumps({"id": f"ok-{name}", "title": "Talks", "text": TALKS}).encode()
    rows = [first] + [line if isinstance(line, bytes) else line.encode() if isinstance(line, str)
                      else json.dumps(line).encode() for line in lines]
    return write(folder, name, b"\n".join(rows) + b"\n")


def feed(items: str, title: str = "Wire") -> bytes:
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'.encode()


def item(i, text, date="", title=None) -> str:
    title = title or f"Story {i}"
    return f"<item><title>{title}</title><guid>guid-{i}</guid>{date}<description>{text}</description></item>"


def fifo(folder: Path, ctx) -> list[str]:
    path = folder / "pipe.txt"
    os.mkfifo(path)

    def unblock():  # if tocsin opened the FIFO it would block: feed it after a while instead of hanging
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as err:
                if err.errno != errno.ENXIO:
                    return
                time.sleep(0.05)
                continue
            os.write(fd, OTHER.encode())
            os.close(fd)
            return

    threading.Thread(target=unblock, daemon=True).start()
    return [str(path)]


def symlink_loop(folder: Path, ctx) -> list[str]:
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    return [str(folder / "loop-a.txt")]


def through_a_file(folder: Path, ctx) -> list[str]:
    write(folder, "plain.txt", OTHER)
    return [str(folder / "plain.txt" / "inside.txt")]


def mode_000(folder: Path, ctx) -> list[str]:
    path = write(folder, "secret.txt", OTHER)
    os.chmod(path, 0)
    return [path]


def undecodable_names(folder: Path, ctx) -> list[str]:
    """A text file and a dump whose names are not UTF-8 (bytes a str holds as surrogates)."""
    text = os.path.join(os.fsencode(folder), b"caf\xe9-\xff.txt")
    with open(text, "wb") as handle:
        handle.write(OTHER.encode())
    dump = os.path.join(os.fsencode(folder), b"dump-\xe9.jsonl")
    with open(dump, "wb") as handle:
        handle.write(json.dumps({"id": "in-undecodable-dump", "text": TALKS}).encode())
    return [os.fsdecode(text), os.fsdecode(dump)]


def big_stdin(folder: Path, ctx) -> list[str]:
    padding = (b" " * 1000 + b"\n") * 9000  # 9 MB of blank lines: more than the old 8 MB stdin cap
    ctx.stdin = (json.dumps({"id": "first", "text": TALKS}).encode() + b"\n" + padding
                 + json.dumps({"id": "last", "text": OTHER}).encode() + b"\n")
    return ["-"]


def local_feed(folder: Path) -> Path:
    """A real feed on disk with a story that must never be read through another input."""
    path = folder / "secret-feed.xml"
    path.write_bytes(feed(item(1, "SECRET Russia attacked Ukraine on Monday, officials said.")))
    return path


def served_local_feed(folder: Path, ctx) -> list[str]:
    Handler.local_path = bytes(local_feed(folder))
    return [f"{ctx.server}/lfi"]


def empty_dir(folder: Path, ctx) -> list[str]:
    (folder / "sub").mkdir()
    (folder / "sub" / "notes.pdf").write_bytes(b"%PDF-1.4")
    return [str(folder / "sub")]


def no_secret(folder, result, db):
    assert "SECRET" not in result.stdout
    if db:
        with Store(db, read_only=True) as store:
            assert not store.conn.execute("SELECT count(*) FROM articles WHERE text LIKE '%SECRET%'").fetchone()[0]


def redirect_bounded(folder, result, db):
    assert Handler.hits.get("loop", 0) <= 25


def no_surrogates(folder, result, db):
    if db:
        with Store(db, read_only=True) as store:
            texts = [t for (t,) in store.conn.execute("SELECT text FROM articles").fetchall()]
        assert any("\ufffd" in t for t in texts)


CASES = [
    Case("empty", lambda f, c: [write(f, "empty.txt", b"")], [("empty.txt", r"empty article")]),
    Case("whitespace", lambda f, c: [write(f, "blank.txt", b" \n\t\r\n  \n")], [("blank.txt", r"empty article")]),
    Case("png", lambda f, c: [write(f, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01")],
         [("image.txt", r"a PNG image, not text")]),
    Case("gzip", lambda f, c: [write(f, "packed.txt", gzip.compress(OTHER.encode()))],
         [("packed.txt", r"gzip-compressed, not text")]),
    Case("gzip-jsonl", lambda f, c: [write(f, "dump.jsonl", gzip.compress(b'{"text": "x"}\n' * 100))],
         [("dump.jsonl", r"gzip-compressed, not JSON Lines")]),
    Case("nul-bytes", lambda f, c: [write(f, "mixed.txt", OTHER.encode() + b"\0" * 64 + b"tail")],
         [("mixed.txt", r"binary data, not text")]),
    Case("invalid-utf8", lambda f, c: [write(f, "broken.txt", b"Title\n\nRussia \xff\xfe\xfa met NATO.")],
         [("broken.txt", r"not valid UTF-8 \(byte 0xff at offset 14, line 3\)")]),
    Case("latin-1", lambda f, c: [write(f, "latin.txt", "Talks in Zürich\n\nFrançois met Schäuble.".encode("latin-1"))],
         [("latin.txt", r"not valid UTF-8 \(byte 0xfc at offset 10, line 1\).*iconv -f cp1252")]),
    Case("utf-16-bom", lambda f, c: [write(f, "wide.txt", OTHER.encode("utf-16"))], [],
         coded=("wide.txt",)),
    Case("50MB-article", lambda f, c: [str(c.big[0])], [("huge.txt", r"file too large \(5\d,\d{3},\d{3} bytes > 8,000,000\); not read")]),
    Case("50MB-json-line", lambda f, c: [str(c.big[1])],
         [("huge.jsonl:1", r"line too long \(5\d,\d{3},\d{3} bytes > 8,000,000\); not read")], coded=("after-huge",)),
    Case("3MB-one-line", lambda f, c: [write(f, "long.txt", "word " * 600_000)],
         [("long.txt", r"article too long \(2,999,999 characters > 2,000,000\)")]),
    Case("20000-word-sentence", lambda f, c: [write(f, "salad.txt", "Word salad\n\n" + " ".join(
        ["Russia", "and", "NATO", "held", "talks", "in", "Geneva"] * 2857) + " end.")],
         [("salad.txt", r"a sentence of 20,000 words \(more than 1,000 without a full stop")]),
    Case("html-10000-deep", lambda f, c: [write(f, "deep.html", "<html><body>" + "<div>" * 10_000
                                                + ("<p>Russia and NATO held talks in Geneva on Thursday.</p>" * 20)
                                                + "</div>" * 10_000 + "</body></html>")],
         [("deep.html", r"no article text found|cannot parse the page")], commands=("ingest",)),
    Case("html-script-style-only", lambda f, c: [write(f, "script.html", "<html><head><style>body{color:red}</style>"
                                                       "<script>var t='Russia attacked';</script></head><body>"
                                                       "<script>document.write('NATO')</script></body></html>")],
         [("script.html", r"no article text found")], commands=("ingest",)),
    Case("jsonl-malformed", lambda f, c: [jsonl(f, "m.jsonl", '{"id": "x", "text": "unterminated')],
         [("m.jsonl:2", r"malformed JSON \(Unterminated string")], coded=("ok-m.jsonl",)),
    Case("jsonl-text-not-string", lambda f, c: [jsonl(f, "t.jsonl", {"id": "x", "text": 42})],
         [("t.jsonl:2", r"missing or non-string 'text' field")]),
    Case("jsonl-not-object", lambda f, c: [jsonl(f, "a.jsonl", [1, 2, 3])], [("a.jsonl:2", r"must be a JSON object")]),
    Case("jsonl-date-wrong-type", lambda f, c: [jsonl(f, "d.jsonl", {"text": OTHER, "published": 20220224})],
         [("d.jsonl:2", r"date must be a string like 2021-12-16, got int")]),
    Case("jsonl-id-wrong-type", lambda f, c: [jsonl(f, "i.jsonl", {"id": {"a": 1}, "text": OTHER})],
         [("i.jsonl:2", r"field 'id' must be a string")]),
    Case("jsonl-nested-100000", lambda f, c: [jsonl(f, "n.jsonl", "[" * 100_000 + "]" * 100_000)],
         [("n.jsonl:2", r"malformed JSON \(maximum recursion depth")]),
    Case("jsonl-5000-digit-number", lambda f, c: [jsonl(f, "g.jsonl", '{"text": "Russia met NATO.", "n": ' + "7" * 5000 + "}")],
         [("g.jsonl:2", r"malformed JSON \(Exceeds the limit \(4300 digits\)")]),
    Case("jsonl-invalid-utf8-line", lambda f, c: [jsonl(f, "u.jsonl", b'{"text": "Caf\xe9 talks"}')],
         [("u.jsonl:2", r"not valid UTF-8 \(byte 0xe9 at offset 13\); re-save")], coded=("ok-u.jsonl",)),
    Case("jsonl-lone-surrogate", lambda f, c: [jsonl(f, "s.jsonl", '{"id": "sur", "text": "Germany expelled Russian '
                                                                     'diplomats \\ud800 on Tuesday."}')],
         [], coded=("sur",), check=no_surrogates),
    Case("jsonl-empty", lambda f, c: [write(f, "nothing.jsonl", b"\n\n  \n")], [("nothing.jsonl", r"no JSON lines in it")]),
    Case("same-id-other-text", lambda f, c: [jsonl(f, "dup.jsonl", {"id": "ok-dup.jsonl", "text": OTHER})],
         [("dup.jsonl:2", r"id 'ok-dup.jsonl' was already read from .*dup.jsonl:1 with a different text: the first is kept")],
         coded=("ok-dup.jsonl",)),
    Case("csv-no-text-column", lambda f, c: [write(f, "cols.csv", "id,author,when\n1,Smith,2022-01-01\n")],
         [("cols.csv", r"no text or title column among id, author, when")], commands=("ingest",)),
    Case("csv-header-only", lambda f, c: [write(f, "header.csv", "title,text,published\n")],
         [("header.csv", r"no rows after the header")], commands=("ingest",)),
    Case("csv-short-rows-bad-date", lambda f, c: [write(f, "rows.csv", "title,text,published\nOnly a headline\n"
                                                        f'Talks,"{OTHER}",next week\n')],
         [("rows.csv:3", r"bad date 'next week'")], commands=("ingest",)),
    Case("rss-bad-xml", lambda f, c: [write(f, "bad.xml", b'<?xml version="1.0"?><rss><channel><<<&&&>>>')],
         [("bad.xml", r"not an RSS/Atom feed \(.*not well-formed")], commands=("ingest",)),
    Case("rss-truncated", lambda f, c: [write(f, "cut.xml", feed(item(1, OTHER)).split(b"</channel>")[0]
                                              + b"<item><title>Half")],
         [("cut.xml:2", r"entry 2: empty article")], commands=("ingest",), coded=("guid-1",)),
    Case("rss-year-0", lambda f, c: [write(f, "y0.xml", feed(item(1, OTHER, "<pubDate>0000-01-01T00:00:00Z</pubDate>")))],
         [], commands=("ingest",), coded=("guid-1",)),
    Case("feed-10000-items", lambda f, c: [write(f, "many.xml", feed("".join(item(i, OTHER, title="Wire")
                                                                         for i in range(10_000))))],
         [("many.xml", r"feed has 10,000 entries: only the first 1,000 are read .* 9,000 left out")],
         commands=("ingest",), coded=("guid-0", "guid-999")),
    Case("feed-naming-a-local-file", lambda f, c: [write(f, "named.xml", bytes(local_feed(f)))],
         [("named.xml", r"not an RSS/Atom feed")], commands=("ingest",), check=no_secret),
    Case("url-hangs", lambda f, c: [f"{c.server}/hang"], [("/hang", r"timed out after 0.5 s")], commands=("ingest",)),
    Case("url-500", lambda f, c: [f"{c.server}/error"], [("/error", r"HTTP 500 Internal Server Error")],
         commands=("ingest",)),
    Case("url-redirects-forever", lambda f, c: [f"{c.server}/loop/0"],
         [("/loop/0", r"TooManyRedirects")], commands=("ingest",), check=redirect_bounded),
    Case("url-streams-forever", lambda f, c: [f"{c.server}/endless"], [("/endless", r"too large \(over 200,000 bytes\)")],
         commands=("ingest",)),
    Case("url-trickles-forever", lambda f, c: [f"{c.server}/trickle"],
         [("/trickle", r"too slow \(still downloading after 2 s\)")], commands=("ingest",)),
    Case("url-gzip-bomb", lambda f, c: [f"{c.server}/bomb"], [("/bomb", r"too large \(over 200,000 bytes\)")],
         commands=("ingest",)),
    Case("url-feed-naming-a-local-file", served_local_feed, [("/lfi", r"not an RSS/Atom feed")],
         commands=("ingest",), check=no_secret),
    Case("url-invalid", lambda f, c: ["http://[::1/news"], [("http://[::1/news", r"not a valid web address")],
         commands=("ingest",)),
    Case("german", lambda f, c: [write(f, "german.txt", "Nachrichten\n\n" + GERMAN)],
         [("german.txt", r"not English \(looks like German\): tocsin codes English text only")]),
    Case("russian", lambda f, c: [jsonl(f, "ru.jsonl", {"id": "ru", "text": RUSSIAN})],
         [("ru.jsonl:2", r"not English \(looks like Russian\)")]),
    Case("fifo", fifo, [("pipe.txt", r"a FIFO \(named pipe\), not a regular file: not read")]),
    Case("char-device", lambda f, c: ["/dev/zero"], [("/dev/zero", r"a device, not a regular file")]),
    Case("path-through-a-file", through_a_file, [("plain.txt/inside.txt", r"cannot read: Not a directory")]),
    pytest.param(Case("permission-denied", mode_000, [("secret.txt", r"cannot read: Permission denied")]),
                 marks=pytest.mark.skipif(os.geteuid() == 0, reason="root reads a mode-000 file anyway")),
    Case("symlink-loop", symlink_loop, [("loop-a.txt", r"cannot read: Too many levels of symbolic links")]),
    Case("missing", lambda f, c: [str(f / "nope.txt")], [("nope.txt", r"no such file")]),
    Case("directory-without-articles", empty_dir,
         [("sub", r"no article files in this directory|is a directory")]),
    Case("control-chars-in-name", lambda f, c: [write(f, "evil\nname\x1b[31m.txt", b"")],
         [("evil\\nname\\x1b[31m.txt", r"empty article")]),
    Case("undecodable-file-names", undecodable_names, [], coded=("caf\\xe9-\\xff.txt", "in-undecodable-dump")),
    Case("stdin-over-8MB", big_stdin, [], coded=("first", "last")),
]


def _case(c):
    return c.values[0] if hasattr(c, "values") else c


def _params():
    for c in CASES:
        case = _case(c)
        marks = c.marks if hasattr(c, "marks") else ()
        for command in case.commands:
            yield pytest.param(case, command, id=f"{command}-{case.id}", marks=marks)


def test_catalogue_is_big_enough():
    assert len({_case(c).id for c in CASES}) >= 30


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


@pytest.mark.parametrize("case,command", list(_params()))
def test_hostile_input(case: Case, command: str, tmp_path, server, big, runner):
    ctx = Ctx()
    ctx.server, ctx.big = server, big
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    inputs = case.make(tmp_path, ctx)
    db = str(tmp_path / "store.duckdb") if command == "ingest" else None
    if command == "code":
        args = ["code", "--format", "jsonl", "--published", "2022-03-09", str(good), *inputs]
    else:
        args = ["ingest", "--db", db, "--workers", "0", "--no-progress", "--published", "2022-03-09",
                "--timeout", "0.5", "--interval", "0", "--max-bytes", "200000", str(good), *inputs]
    started = time.monotonic()
    result = runner.invoke(app, args, input=ctx.stdin)
    took = time.monotonic() - started
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert took < 30, f"{case.id} took {took:.1f} s"

    lines = result.stderr.splitlines()
    skipped = [line for line in lines if line.startswith("tocsin: skipped ")]
    assert len(skipped) == len(case.skips), "\n".join(lines)
    for shown, reason in case.skips:
        [line] = [line for line in skipped if shown in line]
        assert re.search(reason, line), line
        assert "\n" not in line and "\x1b" not in line
    assert result.exit_code == (1 if case.skips else 0), result.stderr
    assert all(line.startswith("tocsin: ") for line in lines), lines  # nothing else: no traceback

    wanted = [str(good)] + [name for name in case.coded]
    if command == "code":
        ids = {json.loads(line)["article_id"] for line in result.stdout.splitlines() if line.strip()}
        for name in wanted:
            assert any(name == i or (i.endswith(name) and name.endswith(".txt")) for i in ids), (name, ids)
    else:
        with Store(db, read_only=True) as store:
            with_events = {row[0] for row in store.conn.execute(
                "SELECT DISTINCT s.source_id FROM sources s JOIN events e ON e.article_id = s.article_id").fetchall()}
            stored = store.skipped()
        assert str(good.resolve()) in with_events
        for name in case.coded:
            assert any(i == name or i.endswith(name) for i in with_events), (name, with_events)
        assert len(stored) == len(case.skips)
        where = [(one_line(f"{r.origin}:{int(r.line)}" if pd.notna(r.line) else r.origin), r.reason)
                 for r in stored.itertuples()]
        for shown, reason in case.skips:
            assert any(shown in w and re.search(reason, why) for w, why in where), (shown, reason, where)
    if case.check:
        case.check(tmp_path, result, db)


# -- what the catalogue cannot show through the CLI --------------------------------
def test_big_inputs_are_not_read_into_memory(big):
    text, dump = big
    tracemalloc.start()
    try:
        items = list(read_path(str(text))) + list(read_path(str(dump)))
        items += list(read_sources([str(text), str(dump)]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [type(i).__name__ for i in items] == ["Skipped", "Skipped", "Article"] * 2
    assert peak < 20 * 1024 * 1024, f"peak {peak:,} bytes for 50 MB inputs"


def _read_as_nobody(path: Path) -> str:
    """Read `path` with tocsin's reader in a forked child that has become `nobody` (root reads
    anything); returns what the reader made of it: "Skipped: reason" or the type's name."""
    import pwd

    nobody = pwd.getpwnam("nobody").pw_uid
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to nobody, read, report, exit without running pytest's teardown
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(nobody)
            os.setuid(nobody)
            items = read_path(str(path))
            out = "; ".join(f"Skipped: {i.reason}" if isinstance(i, Skipped) else type(i).__name__ for i in items)
            os.write(write_end, out.encode("utf-8", "replace"))
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        out = pipe.read().decode("utf-8")
    os.waitpid(pid, 0)
    return out


def test_permission_denied(tmp_path):
    if os.geteuid() != 0:
        path = Path(mode_000(tmp_path, Ctx())[0])
        [item] = read_path(str(path))
        assert isinstance(item, Skipped) and "Permission denied" in item.reason
        return
    folder = Path(tempfile.mkdtemp(prefix="tocsin-perm-"))  # pytest's tmp folders are root's alone
    try:
        folder.chmod(0o755)
        path = Path(mode_000(folder, Ctx())[0])
        assert _read_as_nobody(path).startswith("Skipped:") and "Permission denied" in _read_as_nobody(path)
    finally:
        shutil.rmtree(folder)


def test_fifo_and_loops_inside_a_directory_are_reported(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    items = list(read_sources([str(folder)]))
    assert [type(i).__name__ for i in items] == ["Article", "Skipped", "Skipped"]
    assert "Too many levels" in items[1].reason and "FIFO" in items[2].reason


def test_xxe_entity_is_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    data = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]><rss version="2.0"><channel>'
            f"<title>x</title>{item(1, 'Germany expelled Russian diplomats &x; on Tuesday.')}</channel></rss>").encode()
    path = tmp_path / "xxe.xml"
    path.write_bytes(data)
    items = list(read_sources([str(path)]))
    assert items and all("SECRET" not in (getattr(i, "text", "") or "") for i in items)


def test_entity_expansion_bomb_is_bounded(tmp_path):
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{("&a%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    data = (f'<?xml version="1.0"?><!DOCTYPE r [{entities}]><rss version="2.0"><channel><title>x</title>'
            f"{item(1, '&a9;')}</channel></rss>").encode()
    started = time.monotonic()
    items = list(read_sources([str(Path(write(tmp_path, "lol.xml", data)))]))
    assert time.monotonic() - started < 10
    assert all(len(getattr(i, "text", "")) < 100_000 for i in items)


def test_one_mixed_batch_through_a_real_process(tmp_path):
    """The same promises with real stdin/stdout/stderr and a byte argv (CliRunner does not encode)."""
    import subprocess
    import sys

    good = write(tmp_path, "good.txt", GOOD)
    undecodable = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(undecodable, "wb") as handle:
        handle.write(OTHER.encode())
    bad = [write(tmp_path, "evil\nname.txt", b""), fifo(tmp_path, Ctx())[0], "/dev/zero",
           write(tmp_path, "german.txt", "Nachrichten\n\n" + GERMAN), write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\0")]
    proc = subprocess.run([sys.executable, "-m", "tocsin.cli", "code", "--format", "jsonl", good, undecodable, *bad],
                          capture_output=True, timeout=120)
    err = proc.stderr.decode("utf-8")
    skipped = [line for line in err.splitlines() if line.startswith("tocsin: skipped ")]
    assert proc.returncode == 1, err
    assert len(skipped) == 5 and all(line.startswith("tocsin: ") for line in err.splitlines()), err
    assert "evil\\nname.txt: empty article" in err and "a FIFO" in err and "/dev/zero: a device" in err
    assert "looks like German" in err and "a PNG image" in err
    ids = {json.loads(line)["article_id"] for line in proc.stdout.decode("utf-8").splitlines()}
    assert good in ids and any(i.endswith("caf\\xe9.txt") for i in ids), ids
