"""Stories: reports of one real event merged across sentences, articles and outlets.

Two events are reports of the same story when they have the same key (source
country, target country, and PLOVER type, or CAMEO root when there is no
type), their event dates lie within `window_days` of the story's first date,
and their evidence sentences are alike: the Jaccard similarity of their word
shingles (lower-cased content words, light suffix stripping, the actors' own
words left out, so "Russia" and "Ukraine" do not make every sentence alike)
reaches `similarity` with at least one report already in the story.

Only events whose modality reports something that happened (asserted, said,
alleged, by default) and that have a date go into stories; negated,
hypothetical, intended, demanded and historical events do not.

    >>> from tocsin.store import Store
    >>> from tocsin.analysis.stories import build_stories
    >>> with Store("news.duckdb") as store:
    ...     report = build_stories(store)          # incremental; rebuild=True for all

Within a key, events are taken in date order and each joins the most similar
open story (or starts one), so the result for a key does not depend on what
was built before: an incremental build rebuilds only the keys with new or
removed events, and gives the same stories as a full one.
"""
from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from itertools import groupby

from ..model import content_hash
from ..store.stories import StoryStore

STOPWORDS = frozenset("""
a an the and or but of to in on at for from by with without as into onto over under after before about
against between during since until than then this that these those it its is are was were be been being
has have had do does did will would shall should can could may might must not no nor so such says said
say told tells according also amid among new latest live update updates news report reports reported what
who whom which why how when where there here their they them he she his her we our you your i me my mr ms
us up down out off more most less least very just only over again still yet via per vs s t
""".split())
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_SUFFIXES = ("ings", "ing", "ied", "ies", "ed", "es", "s")


@dataclass
class StoryOptions:
    window_days: int = 2  # a story spans at most this many days from its first event date
    similarity: float = 0.25  # least Jaccard similarity of shingles with a report in the story
    shingle: int = 1  # words in a shingle
    modalities: tuple[str, ...] = ("asserted", "said", "alleged")

    def to_dict(self) -> dict:
        d = asdict(self)
        d["modalities"] = list(self.modalities)
        return d


@dataclass
class BuildReport:
    full: bool  # every key rebuilt
    keys: int  # keys rebuilt
    events: int  # events placed in stories
    stories: int  # stories written
    seconds: float

    @property
    def merged(self) -> int:
        """Events that joined a story someone else had started."""
        return self.events - self.stories


def stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:6]


def words(text: str | None) -> list[str]:
    found = _TOKEN.findall((text or "").lower())
    return [stem(w) for w in found if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def shingles(text: str | None, drop: set[str] = frozenset(), k: int = 1) -> frozenset:
    """The word shingles of a sentence: k consecutive content-word stems, `drop` stems left out."""
    kept = [w for w in words(text) if w not in drop]
    if k <= 1 or len(kept) < k:
        return frozenset(kept) if k <= 1 else frozenset([tuple(kept)])
    return frozenset(tuple(kept[i:i + k]) for i in range(len(kept) - k + 1))


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a and not b:
        return 1.0
    union = len(a | b)
    return len(a & b) / union if union else 0.0


@dataclass
class _Draft:
    first_date: object
    rows: list[dict] = field(default_factory=list)
    signs: list[frozenset] = field(default_factory=list)

    def similarity(self, sign: frozenset) -> float:
        return max(jaccard(sign, other) for other in self.signs)


def cluster(rows: list[dict], options: StoryOptions) -> list[list[dict]]:
    """Group the events of one key (sorted by date, then id) into stories; each row needs
    `event_date`, `evidence`, `source_text`, `target_text`."""
    drafts: list[_Draft] = []
    open_: list[_Draft] = []
    for row in rows:
        drop = set(words(row.get("source_text"))) | set(words(row.get("target_text")))
        sign = shingles(row.get("evidence"), drop, options.shingle)
        day = row["event_date"]
        open_ = [d for d in open_ if (day - d.first_date).days <= options.window_days]
        best, score = None, -1.0
        for draft in open_:
            s = draft.similarity(sign)
            if s > score:
                best, score = draft, s
        if best is None or score < options.similarity:
            best = _Draft(day)
            drafts.append(best)
            open_.append(best)
        best.rows.append(row)
        best.signs.append(sign)
    return [d.rows for d in drafts]


def summarise(members: list[dict], options: StoryOptions) -> dict:
    """A story row from its member events (see store.stories.STORY_COLUMNS)."""
    first = members[0]
    signs = [shingles(m["evidence"], set(words(m.get("source_text"))) | set(words(m.get("target_text"))),
                      options.shingle) for m in members]
    reports = {r for m in members for r in m["reports"]}
    outlets = {o for m in members for o in m["outlets"]}
    published = [m["published"] or m["event_date"] for m in members]
    # the representative: the report most like the others (ties: the most reported, then the earliest)
    central = max(range(len(members)), key=lambda i: (
        sum(jaccard(signs[i], signs[j]) for j in range(len(members)) if j != i),
        len(members[i]["reports"]), -i))
    quads = Counter(m["quad_class"] for m in members)
    quad = max(quads, key=lambda q: (quads[q], q or 0))
    goldstein = [m["goldstein"] for m in members if m["goldstein"] is not None]
    return {
        "id": content_hash("story", first["source_key"], first["target_key"], first["kind"], first["id"]),
        "source_country": first["source_country"], "target_country": first["target_country"],
        "kind": first["kind"], "type": first["type"], "cameo_root": first["cameo_root"], "quad_class": quad,
        "goldstein": round(sum(goldstein) / len(goldstein), 3) if goldstein else None,
        "first_date": min(m["event_date"] for m in members), "last_date": max(m["event_date"] for m in members),
        "first_report": min(published), "last_report": max(published),
        "n_events": len(members), "n_articles": len(reports), "n_outlets": len(outlets),
        "event_id": members[central]["id"], "evidence": members[central]["evidence"],
    }


def build_stories(store, rebuild: bool = False, options: StoryOptions | None = None) -> BuildReport:
    """Bring the store's stories up to date (all keys when `rebuild`, or when the options changed)."""
    options = options or StoryOptions()
    started = time.perf_counter()
    stories = StoryStore(store)
    modalities = list(options.modalities)
    full = rebuild or stories.meta().get("options") != options.to_dict()
    keys = stories.all_keys(modalities) if full else stories.dirty_keys(modalities)
    rows = stories.events_for(keys, modalities)
    written, members = [], []
    for _, group in groupby(rows, key=lambda r: (r["source_key"], r["target_key"], r["kind"])):
        for story_rows in cluster(list(group), options):
            story = summarise(story_rows, options)
            written.append(story)
            members.extend((m["id"], story["id"]) for m in story_rows)
    if full or keys:
        stories.replace(None if full else keys, written, members, options.to_dict())
    return BuildReport(full=full, keys=len(keys), events=len(members), stories=len(written),
                       seconds=time.perf_counter() - started)
