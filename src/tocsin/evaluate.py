"""Scoring coded events against a hand coding (gold rows in the seed's format).

A gold row names a distinctive substring of the sentence and the accepted
sources, targets, PLOVER types and CAMEO roots (lists; null in targets = none
is fine). `optional` rows are not required; `forbid` rows list what must not be
coded in that sentence unless its modality is in `unless_modality`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .model import Event


class GoldError(ValueError):
    pass


def load_gold(path: str | Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise GoldError(f"{path}:{number}: malformed JSON ({err.msg})") from None
            if "sentence" not in row:
                if "mention" in row:
                    continue
                raise GoldError(f"{path}:{number}: a gold row needs 'sentence'")
            row.setdefault("id", f"row{number}")
            rows.append(row)
    return rows


def _country(actor) -> str | None:
    return actor.country if actor else None


def type_ok(event: Event, gold: dict) -> bool:
    return event.type in gold.get("plover", []) or event.cameo[:2] in gold.get("cameo_root", [])


def actors_ok(event: Event, gold: dict) -> bool:
    sources, targets = gold.get("source", []), gold.get("target", [])
    if sources and _country(event.source) not in sources:
        return False
    if targets and None not in targets and _country(event.target) not in targets:
        return False
    return True


def forbidden(event: Event, gold: dict) -> bool:
    if event.modality in gold.get("unless_modality", []):
        return False
    rule = gold["forbid"]
    return bool(rule.get("any") or event.type in rule.get("plover", []) or event.cameo[:2] in rule.get("cameo_root", []))


def describe(event: Event) -> str:
    return f"{_country(event.source)}->{_country(event.target)} {event.type} {event.cameo} {event.modality}"


@dataclass
class Score:
    rows: list[dict] = field(default_factory=list)  # one result per gold row
    required: int = 0
    hits: int = 0
    optional_hits: int = 0
    violations: int = 0
    events: int = 0
    outside: list[Event] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.hits / self.required if self.required else 1.0

    def to_dict(self) -> dict:
        return {
            "required": self.required, "hits": self.hits, "recall": round(self.recall, 4),
            "optional_hits": self.optional_hits, "violations": self.violations, "events": self.events,
            "outside_gold": [{"sentence_index": e.sentence_index, "event": describe(e), "evidence": e.evidence}
                             for e in self.outside],
            "rows": self.rows,
        }


def score(events: list[Event], gold_rows: list[dict]) -> Score:
    result = Score(events=len(events))
    covered: set[int] = set()
    for gold in gold_rows:
        phrase = gold["sentence"].lower()
        here = [e for e in events if phrase in e.evidence.lower()]
        covered.update(id(e) for e in here)
        coded = [describe(e) for e in here]
        if "forbid" in gold:
            bad = [e for e in here if forbidden(e, gold)]
            result.violations += bool(bad)
            result.rows.append({"id": gold["id"], "status": "violated" if bad else "ok", "coded": coded})
            continue
        good = [e for e in here if type_ok(e, gold) and actors_ok(e, gold)]
        if gold.get("optional"):
            result.optional_hits += bool(good)
            status = "hit" if good else "optional-miss"
        else:
            result.required += 1
            result.hits += bool(good)
            status = "hit" if good else "miss"
        result.rows.append({"id": gold["id"], "status": status, "coded": coded})
    result.outside = [e for e in events if id(e) not in covered]
    return result
