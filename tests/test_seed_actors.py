"""The seed article's actor mentions resolve to the hand-coded country and sector (issue: actors)."""
import datetime as dt
import json

from tocsin.actors.dictionary import ActorDictionary
from tocsin.cli.actors_cmd import mentions
from tocsin.ingest.plain import read_path


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _matches(row, actor, text) -> bool:
    """The resolved mention is the gold mention (same words, give or take a title or "the")."""
    mention = row["mention"].lower().removeprefix("the ")
    written = text[actor.start:actor.end].lower()
    if "sentence" in row:  # a pronoun: only in the sentence the gold names
        at = text.find(row["sentence"])
        if not at <= actor.start < at + len(row["sentence"]) + 40:
            return False
        return written.endswith(mention)
    return mention in written or actor.text.lower() in mention


def test_seed_mentions_resolve(shared):
    expected = [json.loads(line) for line in shared("seed", "expected-actors.jsonl").read_text().splitlines() if line.strip()]
    [article] = read_path(str(shared("seed", "russia-nato-talks.txt")), dt.date(2021, 12, 16))
    resolved = [actor for _, _, actor in mentions([article], ActorDictionary.load())]
    right, wrong = 0, []
    for row in expected:
        candidates = [a for a in resolved if _matches(row, a, article.text)]
        ok = any(a.country in _as_list(row["country"]) and ("sector" not in row or a.sector in _as_list(row["sector"]))
                 for a in candidates)
        right += ok
        if not ok:
            wrong.append((row["mention"], [(a.text, a.country, a.sector, a.rule) for a in candidates][:3]))
    print(f"seed actors: {right}/{len(expected)}; wrong: {wrong}")
    assert len(expected) == 23
    assert right >= 22, wrong
