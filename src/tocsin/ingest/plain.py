"""Readers for plain-text articles and JSON Lines dumps (files or stdin).

Each reader yields `Article` or `Skipped(reason)`; nothing is dropped silently.
A plain-text file holds one article: its first non-empty line is the title.
A JSON Lines file holds one article a line: `id`, `title`, `text`, and
optionally `url`, `outlet`, `published` (YYYY-MM-DD).

The coded text of an article (`Article.text`, which every character span
refers to) is the title line followed by the body, so headline events are
coded too and `text[start:end] == evidence` holds for every event.

Hostile input is skipped with its reason, never read without bound:

  * encodings: UTF-8 (with or without BOM) and UTF-16 with a BOM are read;
    anything else, Latin-1 and Windows-1252 included, is reported with the
    offending byte and the iconv line that converts it (a guess would code
    mojibake without a word); binary data (a NUL byte or a known magic
    number among the first bytes: gzip, PNG, PDF, zip, ...) is reported as such;
  * sizes (module constants, change them here): MAX_CHARS characters an
    article, MAX_TEXT_BYTES bytes a text file or stdin text (checked before
    reading), MAX_LINE_BYTES bytes a JSON Lines line (longer lines are passed
    over, not held); JSON Lines files are streamed, not read whole;
    MAX_SENTENCE_WORDS words without a full stop or line break (word salad,
    a flattened table) is not prose and is skipped;
  * only regular files are read: a FIFO, a device or a socket is skipped
    (read a pipe with -); a symlink loop, a path through a file, a permission
    problem are reported with the system's words;
  * an article not in English (language.py) is skipped;
  * unpaired surrogates (JSON "\\ud800" escapes, undecodable file names) are
    replaced by U+FFFD in texts and by \\x.. escapes in names, so every text
    can be hashed, stored and printed.
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import stat
import sys
from pathlib import Path
from typing import IO, Iterable, Iterator

from ..model import Article, Skipped
from . import language
from .boilerplate import strip_boilerplate

MAX_CHARS = 2_000_000  # one article larger than this is skipped, not truncated
MAX_TEXT_BYTES = MAX_CHARS * 4  # a text file (or stdin text) larger than this is skipped unread
MAX_LINE_BYTES = MAX_CHARS * 4  # a JSON Lines line longer than this is skipped (and not kept in memory)
MAX_SENTENCE_WORDS = 1_000  # an article with more words than this without . ! ? or a line break is skipped
READ_CHUNK = 1 << 20  # bytes read at a time from a stream
NEWLINE = b"\n"

_MAGIC = ((b"\x1f\x8b", "gzip-compressed"), (b"\x89PNG", "a PNG image"), (b"%PDF", "a PDF document"),
          (b"PK\x03\x04", "a zip archive (or .docx, .xlsx)"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"GIF8", "a GIF image"), (b"BZh", "bzip2-compressed"), (b"\xfd7zXZ\x00", "xz-compressed"),
          (b"\x28\xb5\x2f\xfd", "zstd-compressed"), (b"7z\xbc\xaf", "a 7-zip archive"),
          (b"\xd0\xcf\x11\xe0", "an old Office document"), (b"\x7fELF", "a program"))
_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SENTENCE_END = re.compile(r"[.!?\n。！？]")


def clean_text(text: str) -> str:
    """`text` with unpaired surrogates (which cannot be encoded) replaced by U+FFFD; same length."""
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def clean_name(name: str) -> str:
    """A file name or URL fit to store and print: undecodable bytes as \\xNN escapes."""
    if not _SURROGATES.search(name):
        return name
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return clean_text(name)


def one_line(message: str) -> str:
    """A message for the terminal: control characters (newlines, escapes) shown as \\x.. escapes."""
    message = clean_name(message)
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], message)


def binary_kind(head: bytes) -> str | None:
    """What binary data `head` (the first bytes of an input) starts, or None when it may be text."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text has NUL bytes
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return "binary data" if b"\x00" in head[:8192] else None


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
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise ValueError(f"not valid UTF-16 despite its byte order mark (at offset {err.start})") from None
    kind = binary_kind(data)
    if kind is not None:
        raise ValueError(f"{kind}, not text: give a .txt, .jsonl, .html, .csv or feed file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(utf8_error(data, err)) from None


def utf8_error(data: bytes, err: UnicodeDecodeError, lines: bool = True) -> str:
    where = f", line {data.count(NEWLINE, 0, err.start) + 1}" if lines else ""
    return (f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}{where}); "
            "re-save the file as UTF-8 (from Latin-1 or Windows-1252: iconv -f cp1252 -t utf-8)")


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
    """Normalise line endings, strip boilerplate, put the title first, check size and language."""
    if len(body) > MAX_CHARS * 2:  # far too long: say so before copying it around
        return Skipped(origin, f"article too long ({len(body):,} characters > {MAX_CHARS:,}); split it")
    body = strip_boilerplate(clean_text(body).replace("\r\n", "\n").replace("\r", "\n"))
    title = clean_text((title or "").strip()) or None
    id, url, outlet = (clean_text(v) if v is not None else None for v in (id, url, outlet))
    if title and not body.lstrip().startswith(title):
        text = f"{title}\n\n{body.strip()}"
    else:
        text = body.strip()
    if not text.strip() or (title and text.strip() == title and not body.strip()):
        return Skipped(origin, "empty article: no text to code")
    if len(text) > MAX_CHARS:
        return Skipped(origin, f"article too long ({len(text):,} characters > {MAX_CHARS:,}); split it")
    longest = max(len(part.split()) for part in _SENTENCE_END.split(text))
    if longest > MAX_SENTENCE_WORDS:
        return Skipped(origin, f"a sentence of {longest:,} words (more than {MAX_SENTENCE_WORDS:,} without "
                               "a full stop or line break): not prose")
    found = language.guess(text)
    if found not in (None, "en"):
        return Skipped(origin, f"not English (looks like {language.name(found)}): tocsin codes English text only")
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
    yield from read_jsonl_stream(iter((data,)), origin, published)


def read_jsonl_stream(chunks: Iterable[bytes], origin: str, published: dt.date | None = None,
                      ) -> Iterator[Article | Skipped]:
    """`read_jsonl` over a stream of byte chunks: one line at a time is held, never the whole input."""
    chunks = iter(chunks)
    head = b""
    for chunk in chunks:  # enough of the start to tell UTF-16 and binary data
        head += chunk
        if len(head) >= 8192:
            break
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: decoded whole (capped), then split
        data = head + b"".join(itertools.islice(chunks, MAX_TEXT_BYTES // READ_CHUNK + 1))
        if len(data) > MAX_TEXT_BYTES:
            yield Skipped(origin, f"UTF-16 JSON Lines over {MAX_TEXT_BYTES:,} bytes: not read; convert it to UTF-8")
            return
        try:
            lines: Iterable[tuple[int, bytes | None, int]] = (
                (n, line.encode("utf-8"), len(line)) for n, line in enumerate(decode(data).split("\n"), start=1))
        except ValueError as err:
            yield Skipped(origin, str(err))
            return
    else:
        kind = binary_kind(head)
        if kind is not None:
            yield Skipped(origin, f"{kind}, not JSON Lines")
            return
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        lines = split_lines(itertools.chain((head,), chunks), MAX_LINE_BYTES)
    found = False
    for number, line, size in lines:
        if line is None:
            found = True
            yield Skipped(origin, f"line too long ({size:,} bytes > {MAX_LINE_BYTES:,}); not read", number)
            continue
        if not line.strip():
            continue
        found = True
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as err:
            yield Skipped(origin, utf8_error(line, err, lines=False), number)
            continue
        yield _jsonl_article(text, origin, number, published)
    if not found:
        yield Skipped(origin, "no JSON lines in it (empty file)")


def split_lines(chunks: Iterable[bytes], limit: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, line, size) for each line of a byte stream; the line is None (and was not kept)
    when it is longer than `limit` bytes."""
    number, parts, size, over = 1, [], 0, False
    for chunk in chunks:
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            piece = chunk[start:] if end < 0 else chunk[start:end]
            size += len(piece)
            if not over:
                if size > limit:
                    over, parts = True, []
                else:
                    parts.append(piece)
            if end < 0:
                break
            yield number, None if over else b"".join(parts), size
            number, parts, size, over = number + 1, [], 0, False
            start = end + 1
    if size:
        yield number, None if over else b"".join(parts), size


def stream_chunks(handle: IO[bytes]) -> Iterator[bytes]:
    while True:
        chunk = handle.read(READ_CHUNK)
        if not chunk:
            return
        yield chunk


def _jsonl_article(line: str, origin: str, number: int, published: dt.date | None) -> Article | Skipped:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        return Skipped(origin, f"malformed JSON ({err.msg} at column {err.colno})", number)
    except (ValueError, RecursionError) as err:  # a 5,000-digit number, arrays nested 100,000 deep
        return Skipped(origin, f"malformed JSON ({str(err)[:120]})", number)
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


def check_file(path: Path, name: str) -> os.stat_result | Skipped:
    """The file's status, or Skipped when it cannot be read or is no regular file (a FIFO would block)."""
    try:
        info = path.stat()
    except OSError as err:
        if isinstance(err, FileNotFoundError):
            return Skipped(name, "no such file or directory")
        return Skipped(name, f"cannot read: {err.strerror or err}")
    if stat.S_ISDIR(info.st_mode):
        return Skipped(name, "is a directory: give the article files inside it")
    if not stat.S_ISREG(info.st_mode):
        kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode)
                else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "not a file")
        return Skipped(name, f"{kind}, not a regular file: not read (give a pipe's data as - on stdin)")
    return info


def read_capped(path: Path, name: str, limit: int | None) -> bytes | Skipped:
    """The file's bytes, or Skipped when it is larger than `limit` (checked before reading) or cannot be read."""
    info = check_file(path, name)
    if isinstance(info, Skipped):
        return info
    if limit is not None and info.st_size > limit:
        return Skipped(name, f"file too large ({info.st_size:,} bytes > {limit:,}); not read")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1) if limit is not None else handle.read()
    except OSError as err:
        return Skipped(name, f"cannot read: {err.strerror or err}")
    if limit is not None and len(data) > limit:  # it grew since stat
        return Skipped(name, f"file too large (over {limit:,} bytes); not read")
    return data


def read_path(name: str, published: dt.date | None = None, stdin: IO[bytes] | None = None) -> Iterator[Article | Skipped]:
    """Read a file (by extension: .jsonl/.ndjson or text) or `-` for stdin."""
    if name == "-":
        handle = stdin or sys.stdin.buffer
        head = handle.read(READ_CHUNK)
        if head.lstrip().startswith(b"{"):
            yield from read_jsonl_stream(itertools.chain((head,), stream_chunks(handle)), "<stdin>", published)
            return
        data = head + handle.read(MAX_TEXT_BYTES + 1 - len(head))
        if len(data) > MAX_TEXT_BYTES:
            yield Skipped("<stdin>", f"input too large (over {MAX_TEXT_BYTES:,} bytes) for one article; "
                                     "give JSON Lines, one article a line")
            return
        yield from read_text(data, "<stdin>", published)
        return
    path = Path(name)
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        yield from read_jsonl_file(path, clean_name(name), published)
    else:
        yield from read_text_file(path, clean_name(name), published)


def read_jsonl_file(path: Path, name: str, published: dt.date | None = None) -> Iterator[Article | Skipped]:
    """A JSON Lines file, streamed; `name` is how it is shown."""
    info = check_file(path, name)
    if isinstance(info, Skipped):
        yield info
        return
    try:
        with path.open("rb") as handle:
            yield from read_jsonl_stream(stream_chunks(handle), name, published)
    except OSError as err:
        yield Skipped(name, f"cannot read: {err.strerror or err}")


def read_text_file(path: Path, name: str, published: dt.date | None = None) -> Iterator[Article | Skipped]:
    """A plain-text file of one article (at most MAX_TEXT_BYTES); `name` is how it is shown."""
    data = read_capped(path, name, MAX_TEXT_BYTES)
    if isinstance(data, Skipped):
        yield data
        return
    yield from read_text(data, name, published)


def unique_ids(items: Iterable[Article | Skipped]) -> Iterator[Article | Skipped]:
    """The items, but an article whose id was already read in this run with a different text (or date)
    is skipped with the reason: the first text is kept. The same text again passes (the store links it)."""
    seen: dict[str, tuple[str, str]] = {}  # id -> (Article.key, where it was first read)
    for item in items:
        if isinstance(item, Article):
            key, first = seen.setdefault(item.id, (item.key, item.origin or item.id))
            if key != item.key:
                yield Skipped(item.origin or item.id, f"id {item.id!r} was already read from {first} with a "
                                                      "different text: the first is kept")
                continue
        yield item
