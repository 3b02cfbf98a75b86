"""Property tests (hypothesis): any input through the readers and the coder.

The readers take any bytes or any Unicode text (unpaired surrogates included)
and give only `Article` or `Skipped`, never an exception; an Article's text
can be encoded, hashed and printed. The real spaCy pipeline codes any short
text without an exception, and every event's span points at its evidence.
Examples are few and short so that the file runs in well under a minute.
"""
from __future__ import annotations

import datetime as dt
import json
import re

from hypothesis import HealthCheck, given, settings, strategies as st

from tocsin.ingest import language
from tocsin.ingest.feeds import html_to_text, read_feed
from tocsin.ingest.html import read_html
from tocsin.ingest.plain import make_article, one_line, read_jsonl, read_text, split_lines
from tocsin.ingest.tabular import parse_any_date, read_csv
from tocsin.model import Article, Skipped

READERS = settings(max_examples=int(__import__("os").environ.get("TOCSIN_EXAMPLES", 60)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
CODER = settings(max_examples=int(__import__("os").environ.get("TOCSIN_EXAMPLES", 25)), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# any code point, unpaired surrogates and control characters included
ANY_CHAR = st.characters(exclude_categories=())
any_text = st.text(ANY_CHAR, max_size=300)
# text that can be written as UTF-8 (no surrogates), so it can come from a file
utf8_text = st.text(max_size=300)
WORDS = ["Russia", "NATO", "Ukraine", "the", "United States", "attacked", "met", "held talks", "with", "in",
         "Kyiv", "said", "on Monday", "sanctions", "imposed", "rejected", "not", "will", "troops", ".", ",",
         "\n", "\n\n", "“", "”", "'s", "Putin", "Biden", "protesters", "police", "arrested", "é", "\t", "-",
         "\u00a0", "\u200b", "\r\n", "!", "?", "\x00", "🙂", "２０２２年"]
newsy = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)


def check_item(item) -> None:
    assert isinstance(item, (Article, Skipped)), item
    if isinstance(item, Skipped):
        assert item.reason.strip()
        shown = one_line(item.message())
        assert "\n" not in shown and "\r" not in shown
        shown.encode("utf-8")
        return
    assert item.text.strip()
    for value in (item.text, item.id, item.title, item.url, item.outlet):
        if value is not None:
            value.encode("utf-8")  # storable and printable: no unpaired surrogates
    assert item.key  # hashable
    assert item.title is None or item.title in item.text


@READERS
@given(st.one_of(st.binary(max_size=400), utf8_text.map(lambda t: t.encode("utf-8")),
                 utf8_text.map(lambda t: t.encode("utf-16"))))
def test_read_text_any_bytes(data):
    items = list(read_text(data, "any.txt", dt.date(2022, 1, 1)))
    assert len(items) == 1
    check_item(items[0])


@READERS
@given(st.lists(st.one_of(
    st.binary(max_size=80),
    utf8_text.map(str.encode),
    st.fixed_dictionaries({"text": any_text}, optional={
        "id": st.one_of(any_text, st.integers(), st.none(), st.lists(st.integers(), max_size=2)),
        "title": st.one_of(any_text, st.floats(), st.booleans()),
        "published": st.one_of(any_text, st.integers(), st.just("2022-02-24"), st.just("2022-02-30")),
        "url": any_text}).map(lambda d: json.dumps(d).encode()),
    st.recursive(st.none() | st.booleans() | st.floats() | any_text,
                 lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
                 max_leaves=8).map(lambda v: json.dumps(v).encode()),
), max_size=6))
def test_read_jsonl_any_lines(lines):
    items = list(read_jsonl(b"\n".join(lines), "any.jsonl"))
    assert items, "every input gives at least one item"
    for item in items:
        check_item(item)


@READERS
@given(any_text, st.one_of(st.none(), any_text), st.one_of(st.none(), any_text))
def test_make_article_any_text(body, title, id):
    check_item(make_article("any", body, title, id=id, url=id, outlet=title))


@READERS
@given(st.one_of(newsy, utf8_text), st.one_of(st.none(), newsy))
def test_make_article_keeps_title_first(body, title):
    item = make_article("any", body, title)
    check_item(item)
    if isinstance(item, Article) and title and title.strip():
        assert item.text.startswith(item.title)


@READERS
@given(utf8_text, st.sampled_from([",", "\t", ";"]))
def test_read_csv_any_text(text, delimiter):
    for item in read_csv(("title,text,published\n" + text).encode("utf-8"), "any.csv", delimiter=delimiter):
        check_item(item)
    for item in read_csv(text.encode("utf-8"), "any.csv", delimiter=delimiter):
        check_item(item)


@READERS
@given(st.one_of(st.binary(max_size=300), utf8_text.map(str.encode),
                 any_text.map(lambda t: ('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
                                         f"<item><title>T</title><description>{t}</description></item>"
                                         "</channel></rss>").encode("utf-8", "replace"))))
def test_read_feed_and_html_any_bytes(data):
    for item in read_feed(data, "any.xml"):
        check_item(item)
    for item in read_html(data, "any.html"):
        check_item(item)


@READERS
@given(any_text)
def test_small_helpers_any_text(text):
    assert isinstance(html_to_text(text), str)
    assert language.guess(text) in (None, *language.NAMES)
    assert not re.search(r"[\x00-\x1f\x7f]", one_line(text))
    try:
        parse_any_date(text)
    except ValueError:
        pass


@READERS
@given(st.lists(st.binary(max_size=40), max_size=8), st.integers(1, 30))
def test_split_lines_matches_split(chunks, limit):
    data = b"".join(chunks)
    expected = data.split(b"\n")
    if expected and expected[-1] == b"":
        expected.pop()
    got = list(split_lines(iter(chunks), limit))
    assert [n for n, _, _ in got] == list(range(1, len(expected) + 1))
    for (_, line, size), want in zip(got, expected):
        assert size == len(want)
        assert line == (want if len(want) <= limit else None)


# -- the real coder -----------------------------------------------------------
@CODER
@given(st.one_of(newsy, st.text(max_size=200), st.lists(newsy, max_size=4).map("\n".join)))
def test_code_text_any_text(text):
    from tocsin import code_text

    for event in code_text(text, published="2022-03-09"):
        start, end = event.span
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == event.evidence
        if event.trigger is not None:
            assert start <= event.trigger[0] <= event.trigger[1] <= end
        for actor in (event.source, event.target, event.speaker):
            if actor is not None and actor.start is not None:
                assert 0 <= actor.start <= actor.end <= len(text)
