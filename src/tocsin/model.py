"""The data contract: Article, Actor, Place, Event and their JSON.

Every output format (JSON Lines, CSV, table, GDELT/ICEWS rows, PLOVER JSON,
Parquet) is a view of these dataclasses. This module imports nothing of tocsin.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

MODALITIES = (
    "asserted",
    "said",
    "intended",
    "possible",
    "hypothetical",
    "negated",
    "denied",
    "alleged",
    "demanded",
    "historical",
)

SECTORS = (
    "GOV", "MIL", "SPY", "POL", "OPP", "COP", "JUD", "LEG", "BUS", "MED",
    "CVL", "REB", "IGO", "NGO", "EDU", "REL", "HLH", "LAB", "ELI", "CRM",
    "REF", "AGR", "ENV", "UAF",
)


def content_hash(*parts: Any, length: int = 16) -> str:
    """A stable hex id from the given parts (used for article and event ids)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(str(part if part is not None else "").encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


@dataclass
class Article:
    """One news article. `text` is the body the character spans refer to."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    language: str | None = "en"
    origin: str | None = None  # where it was read from: "file.txt", "dump.jsonl:12", "-"

    @property
    def key(self) -> str:
        """The content hash the store keeps an article under: its coded text and publication date."""
        return content_hash("article", self.text, self.published.isoformat() if self.published else None)

    @staticmethod
    def make_id(text: str, url: str | None = None, outlet: str | None = None) -> str:
        if url:
            return content_hash(outlet or "", url)
        return content_hash(text)


@dataclass
class Skipped:
    """An input that could not be read or coded, with the reason (never silent)."""

    origin: str
    reason: str
    line: int | None = None

    def message(self) -> str:
        where = f"{self.origin}:{self.line}" if self.line else self.origin
        return f"{where}: {self.reason}"


@dataclass
class Actor:
    """A resolved actor mention: who, as written and as coded."""

    text: str
    country: str | None = None  # ISO 3166-1 alpha-3, or NATO, EU, UN, WST, EUR, IMG, ...
    sector: str | None = None  # GOV, MIL, SPY, ...
    name: str | None = None  # canonical person or body
    role: str | None = None  # e.g. "Foreign Minister"
    rule: str | None = None  # which entry or rule resolved it
    start: int | None = None  # character offsets of the mention in the article text
    end: int | None = None

    @property
    def code(self) -> str:
        return (self.country or "---") + (self.sector or "")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict | None) -> "Actor | None":
        if not d:
            return None
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class Place:
    name: str
    country: str | None = None  # ISO 3166-1 alpha-3
    lat: float | None = None
    lon: float | None = None
    text: str | None = None  # the words it came from
    feature: str | None = None  # city | country | region | ...

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict | None) -> "Place | None":
        if not d:
            return None
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class Event:
    """Who did what to whom, when, where, with the sentence that says so."""

    article_id: str
    sentence_index: int
    evidence: str
    span: tuple[int, int]
    source: Actor | None
    target: Actor | None
    type: str | None  # PLOVER event type (None for CAMEO 01 public statements)
    mode: str | None
    context: str | None
    cameo: str
    goldstein: float
    quad_class: int
    modality: str = "asserted"
    speaker: Actor | None = None
    date: str | None = None  # ISO date the event happened
    date_text: str | None = None
    date_precision: str = "published"  # day | week | month | year | published
    place: Place | None = None
    confidence: float = 0.5
    rule: str = ""
    predicate: str | None = None  # the predicate words, e.g. "hold consultations"
    trigger: tuple[int, int] | None = None  # character span of the predicate head
    explain: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return content_hash(
            self.article_id,
            self.sentence_index,
            self.trigger,
            self.cameo,
            self.source.code if self.source else None,
            self.target.code if self.target else None,
        )

    def to_dict(self, explain: bool = False) -> dict:
        d = {
            "id": self.id,
            "article_id": self.article_id,
            "sentence_index": self.sentence_index,
            "evidence": self.evidence,
            "span": list(self.span),
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "type": self.type,
            "mode": self.mode,
            "context": self.context,
            "cameo": self.cameo,
            "goldstein": self.goldstein,
            "quad_class": self.quad_class,
            "modality": self.modality,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "date": self.date,
            "date_text": self.date_text,
            "date_precision": self.date_precision,
            "place": self.place.to_dict() if self.place else None,
            "confidence": round(self.confidence, 3),
            "rule": self.rule,
            "predicate": self.predicate,
            "trigger": list(self.trigger) if self.trigger else None,
        }
        if explain:
            d["explain"] = list(self.explain)
        return d

    def to_json(self, explain: bool = False) -> str:
        return json.dumps(self.to_dict(explain), ensure_ascii=False)

    @classmethod
    def from_dict(cls, d: dict) -> "Event":
        return cls(
            article_id=d["article_id"],
            sentence_index=d["sentence_index"],
            evidence=d["evidence"],
            span=tuple(d["span"]),
            source=Actor.from_dict(d.get("source")),
            target=Actor.from_dict(d.get("target")),
            type=d.get("type"),
            mode=d.get("mode"),
            context=d.get("context"),
            cameo=d["cameo"],
            goldstein=d["goldstein"],
            quad_class=d["quad_class"],
            modality=d.get("modality", "asserted"),
            speaker=Actor.from_dict(d.get("speaker")),
            date=d.get("date"),
            date_text=d.get("date_text"),
            date_precision=d.get("date_precision", "published"),
            place=Place.from_dict(d.get("place")),
            confidence=d.get("confidence", 0.5),
            rule=d.get("rule", ""),
            predicate=d.get("predicate"),
            trigger=tuple(d["trigger"]) if d.get("trigger") else None,
            explain=list(d.get("explain") or []),
        )
