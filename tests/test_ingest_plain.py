"""Readers for plain text and JSON Lines: titles, boilerplate, bad input."""
import datetime as dt

from tocsin.ingest.boilerplate import is_boilerplate, strip_boilerplate
from tocsin.ingest.plain import decode, parse_date, read_jsonl, read_path, read_text
from tocsin.model import Article, Skipped


def test_text_title_is_first_nonempty_line():
    [article] = read_text(b"\n\nA headline\nFirst paragraph.\n", "a.txt", dt.date(2021, 1, 2))
    assert isinstance(article, Article)
    assert article.title == "A headline"
    assert article.text.startswith("A headline\n")
    assert article.published == dt.date(2021, 1, 2)
    assert article.id == "a.txt"


def test_boilerplate_lines_are_dropped_and_others_kept():
    text = "Title\nRussia met NATO.\nComments are closed.\nShare this article\nMore text."
    out = strip_boilerplate(text)
    assert "Comments are closed" not in out and "Share this" not in out
    assert "Russia met NATO." in out and "More text." in out
    assert is_boilerplate("  Comments are closed.  ")
    assert not is_boilerplate("Comments are closed on the talks, officials said, after a long day of meetings")


def test_empty_and_whitespace_articles_are_skipped():
    for data in (b"", b"   \n\n  \t"):
        [item] = read_text(data, "empty.txt")
        assert isinstance(item, Skipped) and "empty" in item.reason


def test_invalid_utf8_names_the_byte():
    [item] = read_text(b"Title\nbad \xff byte", "bad.txt")
    assert isinstance(item, Skipped)
    assert "0xff" in item.reason and "UTF-8" in item.reason


def test_utf16_with_bom_is_read():
    data = "Title\nRussia met NATO.".encode("utf-16")
    assert decode(data).startswith("Title")


def test_jsonl_bad_line_is_skipped_rest_read():
    data = (b'{"id": "a", "title": "T1", "text": "Russia met NATO.", "published": "2022-02-24"}\n'
            b'{not json\n'
            b'{"id": "c", "text": 5}\n'
            b'{"id": "d", "title": "T4", "text": "Body four.", "published": "24/02/2022"}\n'
            b'{"id": "e", "title": "T5", "text": "Body five."}\n')
    items = list(read_jsonl(data, "dump.jsonl", dt.date(2020, 1, 1)))
    assert [type(i).__name__ for i in items] == ["Article", "Skipped", "Skipped", "Skipped", "Article"]
    assert items[0].published == dt.date(2022, 2, 24)
    assert items[0].text == "T1\n\nRussia met NATO."
    assert items[1].line == 2 and "malformed JSON" in items[1].reason
    assert items[2].line == 3 and "text" in items[2].reason
    assert items[3].line == 4 and "YYYY-MM-DD" in items[3].reason
    assert items[4].published == dt.date(2020, 1, 1)


def test_missing_file_and_directory(tmp_path):
    [missing] = read_path(str(tmp_path / "nope.txt"))
    assert isinstance(missing, Skipped) and "no such file" in missing.reason
    [folder] = read_path(str(tmp_path))
    assert isinstance(folder, Skipped) and "directory" in folder.reason


def test_parse_date_rejects_garbage():
    assert parse_date("2021-12-16") == dt.date(2021, 12, 16)
    assert parse_date(None) is None
    for bad in ("16/12/2021", "yesterday", "2021-13-01"):
        try:
            parse_date(bad)
        except ValueError as err:
            assert "YYYY-MM-DD" in str(err)
        else:
            raise AssertionError(f"{bad} accepted")
