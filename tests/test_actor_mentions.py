"""End-to-end accuracy of actor resolution on 388 hand-coded mentions from real news.

Each row of tests/data/actor_mentions.jsonl is a mention in a sentence (with the sentences
before it as context) and the country and sector a coder gave it. The test runs the real
pipeline exactly as an article is read: every context sentence, then the sentence itself,
through ``ArticleActors.read_sentence``, dated by the article's source (Guardian and RUWA
rows by the corpus date, BBC rows as 2005-01-01), and takes the actor that covers the end of
the mention.

The dates come from the corpora under /work/shared; without them the test is skipped.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"  # beside the clone, as in CI
DATA = Path(__file__).parent / "data" / "actor_mentions.jsonl"
GUARDIAN = SHARED / "corpora" / "guardian" / "guardian_sdf_2019.csv"
RUWA = SHARED / "corpora" / "ruwa" / "ruwa_2022.csv"

# Pinned floor: the accuracy reached when the floor was last set (92.5%, 359/388, after the
# resolver rules and data of late 2026, mentions matched as whole words) minus 2 points, so that small shifts in the NLP model do
# not fail the build. To raise it after an improvement, run this test with `-s`, read the
# accuracy it prints, and set FLOOR to that figure minus 0.02.
FLOOR = 0.905

pytestmark = pytest.mark.skipif(not (SHARED.is_dir() and GUARDIAN.is_file() and RUWA.is_file()),
                                reason="needs the corpora under /work/shared")


def _dates() -> tuple[dict, dict]:
    csv.field_size_limit(10**8)
    with GUARDIAN.open(encoding="utf-8") as f:
        guardian = {r[""]: r["date"] for r in csv.DictReader(f)}
    ruwa = {}
    with RUWA.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            month, day, year = r["Date"].split("/")
            ruwa[r[""]] = f"{year}-{month}-{day}"
    return guardian, ruwa


def _date_of(source: str, guardian: dict, ruwa: dict) -> dt.date | None:
    parts = source.split()
    if source.startswith("guardian"):
        return dt.date.fromisoformat(guardian[parts[2]])
    if source.startswith("ruwa"):
        return dt.date.fromisoformat(ruwa[parts[2]])
    if source.startswith("bbc"):
        return dt.date(2005, 1, 1)
    return None


def _as_list(value):
    return value if isinstance(value, list) else [value]


def test_actor_mention_accuracy():
    from tocsin.actors.dictionary import ActorDictionary
    from tocsin.actors.resolver import ArticleActors
    from tocsin.extract.cues import is_speech
    from tocsin.nlp import load

    nlp = load()
    dictionary = ActorDictionary.load()
    guardian, ruwa = _dates()
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 300

    ok, failures = 0, []
    for row in rows:
        memory = ArticleActors(dictionary, on=_date_of(row["source"], guardian, ruwa))
        sentences = list(row.get("context") or []) + [row["sentence"]]
        got = None
        for i, sentence in enumerate(sentences):
            memory.start_sentence(i)
            found = memory.read_sentence(nlp(sentence)[:], 0, is_speech)
            if i == len(sentences) - 1:
                # the mention as a word, not inside one ("he" in "The")
                word = re.search(r"(?<!\w)" + re.escape(row["mention"]) + r"(?!\w)", sentence)
                start = word.start() if word else sentence.find(row["mention"])
                end = start + len(row["mention"])
                candidates = [a for a in found if a.start is not None and start <= a.end - 1 and a.start < end]
                covering = [a for a in candidates if a.start <= end - 1 < a.end + 1]  # the head lies in the mention
                got = (covering or candidates or [None])[-1]
        country_ok = got is not None and got.country in _as_list(row["country"])
        sector_ok = got is not None and (row["sector"] is None or got.sector in _as_list(row["sector"]))
        if country_ok and sector_ok:
            ok += 1
        else:
            failures.append((row["id"], row["kind"], row["mention"], row["country"], row["sector"],
                             (got.country, got.sector, got.rule) if got else None))

    accuracy = ok / len(rows)
    print(f"\nactor mentions: {ok}/{len(rows)} = {accuracy:.1%}")
    print("failures by kind:", dict(Counter(f[1] for f in failures).most_common()))
    for failure in failures:
        print("  ", failure)
    assert accuracy >= FLOOR, f"actor mention accuracy {accuracy:.1%} fell below the pinned floor {FLOOR:.1%}"
