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
    coded: int = 0  # distinct (sentence, type, source, target) tuples coded
    correct: int = 0  # of those, how many a gold row (required or optional) accepts
    by_type: dict = field(default_factory=dict)  # PLOVER type -> {"gold", "hit", "coded", "correct"}

    @property
    def recall(self) -> float:
        return self.hits / self.required if self.required else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.coded if self.coded else 1.0

    def add(self, other: "Score") -> None:
        """Sum another article's score into this one."""
        for name in ("required", "hits", "optional_hits", "violations", "events", "coded", "correct"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.rows.extend(other.rows)
        self.outside.extend(other.outside)
        for kind, counts in other.by_type.items():
            mine = self.by_type.setdefault(kind, dict.fromkeys(counts, 0))
            for key, value in counts.items():
                mine[key] = mine.get(key, 0) + value

    def to_dict(self) -> dict:
        return {
            "required": self.required, "hits": self.hits, "recall": round(self.recall, 4),
            "coded": self.coded, "correct": self.correct, "precision": round(self.precision, 4),
            "by_type": self.by_type,
            "optional_hits": self.optional_hits, "violations": self.violations, "events": self.events,
            "outside_gold": [{"sentence_index": e.sentence_index, "event": describe(e), "evidence": e.evidence}
                             for e in self.outside],
            "rows": self.rows,
        }


def _tuple(event: Event) -> tuple:
    return (event.sentence_index, event.type or event.cameo[:2], _country(event.source), _country(event.target))


def _type_counts(result: Score, kind: str | None, key: str) -> None:
    counts = result.by_type.setdefault(kind or "(statement)", {"gold": 0, "hit": 0, "coded": 0, "correct": 0})
    counts[key] += 1


def score(events: list[Event], gold_rows: list[dict]) -> Score:
    """Recall of required rows, violations of forbid rows, and precision of coded tuples.

    Precision is counted on distinct (sentence, type, source country, target country)
    tuples: a tuple is correct when a required or optional gold row of its sentence
    accepts it; everything else coded, inside or outside the gold's sentences, is false.
    """
    result = Score(events=len(events))
    covered: set[int] = set()
    accepted: set[tuple] = set()
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
        accepted.update(_tuple(e) for e in good)
        if not gold.get("optional"):
            kind = (gold.get("plover") or [None])[0]
            _type_counts(result, kind, "gold")
            if good:
                _type_counts(result, kind, "hit")
        if gold.get("optional"):
            result.optional_hits += bool(good)
            status = "hit" if good else "optional-miss"
        else:
            result.required += 1
            result.hits += bool(good)
            status = "hit" if good else "miss"
        result.rows.append({"id": gold["id"], "status": status, "coded": coded})
    result.outside = [e for e in events if id(e) not in covered]
    seen: dict[tuple, Event] = {}
    for event in events:
        seen.setdefault(_tuple(event), event)
    result.coded = len(seen)
    result.correct = sum(1 for t in seen if t in accepted)
    for t, event in seen.items():
        _type_counts(result, event.type, "coded")
        if t in accepted:
            _type_counts(result, event.type, "correct")
    return result
