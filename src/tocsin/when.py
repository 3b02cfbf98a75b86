"""Event dates: when an event happened, from the words of its clause and the publication date.

Rules, not a date parser: a phrase is normalised (lower case, possessives, ordinals, hyphens),
leading prepositions and hedges are dropped, and the rest is read against the vocabulary in
``data/date_words.tsv``. Judgement calls, pinned by tests/test_when.py:

* A date never falls after publication unless ``future`` is set: weekdays, "October 31" and
  "in March" take the most recent one on or before publication; with ``future`` the first on
  or after it ("to meet Zelenskiy on Friday" published on a Friday is that day); "next
  Thursday" is always strictly after, "last Thursday" strictly before.
* Week precision dates are ISO Mondays, month precision the 1st, year precision 1 January.
* "at the beginning of December", "early/mid/late December", "the end of January" -> month
  precision (the event lies somewhere in that month; a day would claim too much).
  "late 2014", "mid-2013", "the end of the year" -> year precision.
* Seasons -> month precision on the season's first month ("the summer of 2016" -> 2016-06).
* Rolling windows ("in recent days", "the past week", "in recent weeks", "the coming weeks")
  are dated at the window's midpoint with the precision that fits its length: up to 7 days ->
  week, up to 45 days -> month, up to 400 days -> year, longer -> None. So "in recent weeks"
  published 2021-12-16 (three weeks, vague) -> month 2021-12-01.
* Spans and bounds are not event times: "since the end of the Cold War", "since 2014",
  "until Friday", "for two years", "every day", decades ("the 1990s"), centuries, ages and
  durations ("two days") -> None; the caller falls back to the publication date.
* "the day before", "the next day", "two days later", "the following week" count from
  ``context`` (the date of the event they follow) when given, else from publication -- but
  a count forward that lands after publication without ``future`` gives None ("seven years
  later", "the day after" with no context). "two days ago", "last week" count from publication.
* "overnight" -> the publication day; "the new year" -> None (tense does not tell which).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

_DATA = Path(__file__).parent / "data" / "date_words.tsv"


@dataclass(frozen=True)
class EventDate:
    date: str | None
    text: str | None
    precision: str


def _norm(phrase: str) -> str:
    s = phrase.replace("\u2019", "'").replace("\u2018", "'").lower()
    s = re.sub(r"'s\b|(?<=s)'(?!\w)", "", s)
    s = re.sub(r"[\"\u201c\u201d()\[\],;:!?']", " ", s)
    s = re.sub(r"\b(\d{1,2})(st|nd|rd|th)\b", r"\1", s)
    s = re.sub(r"\b(\d{1,2}) ?[-\u2013] ?\d{1,2}\b(?! ?[-\u2013])", r"\1", s)  # "24-25 April" -> 24
    s = re.sub(r"[.\-\u2013\u2014/]", " ", s)
    return " ".join(s.split())


def _load(path: Path) -> dict[str, dict[str, str]]:
    vocab: dict[str, dict[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, word, *value = line.split("\t")
        vocab.setdefault(kind, {})[_norm(word)] = value[0] if value else ""
    return vocab


_V = _load(_DATA)
MONTHS = {w: int(v) for w, v in _V["month"].items()}
WEEKDAYS = {w: int(v) for w, v in _V["weekday"].items()}
SEASONS = {w: int(v) for w, v in _V["season"].items()}
UNITS = _V["unit"]
NUMBERS = _V["number"]
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NOT_A_DATE = re.compile(r"\d+s\b|\b(decade|decades|century|centuries|old)\b|[a-z0-9]-(day|week|month|year)\b")
_WINDOW_DAYS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365, "weekend": 7}


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    q, r = divmod(y * 12 + m - 1 + k, 12)
    return q, r + 1


def _out(d: dt.date | None, precision: str, text: str) -> EventDate | None:
    if d is None:
        return None
    if precision == "week":
        d = _monday(d)
    elif precision == "month":
        d = d.replace(day=1)
    elif precision == "year":
        d = d.replace(month=1, day=1)
    return EventDate(d.isoformat(), text, precision)


_STARTERS = (set(MONTHS) | set(WEEKDAYS) | set(SEASONS) | set(NUMBERS) | set(UNITS) | set(_V["window"])
             | {k.split()[0] for kind in ("holiday", "dayword") for k in _V[kind]}
             | {"last", "this", "next", "previous", "following", "same", "that"})
_STEPS = {"last": -1, "previous": -1, "this": 0, "that": 0, "same": 0, "next": 1, "following": 1}
_COARSER = {"day": "week", "week": "month", "month": "year", "year": None}


def _number(words: list[str]) -> tuple[int, bool, list[str]]:
    """Leading count: (value, vague, rest). No count -> 1."""
    if words and words[0].isdigit() and len(words[0]) < 4:
        return int(words[0]), False, words[1:]
    if words and words[0] in NUMBERS:
        v = NUMBERS[words[0]]
        rest = words[1:]
        if rest and rest[0] == "of":  # "a couple of"
            rest = rest[1:]
        if words[0] in ("a", "an") and rest and rest[0] in ("couple", "few"):
            return _number(rest)
        if words[0] == "some" and rest and rest[0] in NUMBERS and rest[0] != "some":
            return _number(rest)
        return int(v.rstrip("~")), v.endswith("~"), rest
    if words and words[0] in UNITS and words[0].endswith("s"):
        return 3, True, words  # "weeks before", "in recent days": a few
    return 1, False, words


def _starts_date(word: str) -> bool:
    return word.isdigit() or word in _STARTERS


def _window(pub: dt.date, days: int, forward: bool, text: str) -> EventDate | None:
    mid = pub + dt.timedelta(days=days // 2 if forward else -(days // 2))
    precision = "week" if days <= 7 else "month" if days <= 45 else "year" if days <= 400 else None
    return _out(mid, precision, text) if precision else None


def _month_date(month: int, day: int | None, pub: dt.date, mod: str | None, future: bool) -> dt.date | None:
    """The year for a month (and day) given without one: not after publication unless future.

    A month alone compares by month: "in December" published 2021-12-16 is this December."""
    here = (pub.year, pub.month, pub.day if day else 0)
    try:
        if mod == "this":
            return dt.date(pub.year, month, day or 1)
        key = (pub.year, month, day or 0)
        if mod == "last" or (mod is None and not future):
            year = pub.year - (key >= here if mod == "last" else key > here)
        else:
            year = pub.year + (key <= here if mod == "next" else key < here)
        return dt.date(year, month, day or 1)
    except ValueError:
        return None


def _year_word(words: list[str], pub: dt.date, ref: dt.date) -> int | None:
    """An explicit year, or "last/this/next/that year", among the words."""
    for i, w in enumerate(words):
        if len(w) == 4 and w.isdigit() and 1000 <= int(w) <= 2199:
            return int(w)
        if w == "year" and i and words[i - 1] in ("last", "this", "next"):
            return pub.year + {"last": -1, "this": 0, "next": 1}[words[i - 1]]
        if w == "year" and i and words[i - 1] in ("that", "same"):
            return ref.year
    return None


def resolve_date_phrase(phrase: str, published: dt.date | None, future: bool = False,
                        context: dt.date | None = None) -> EventDate | None:
    """The date an isolated phrase ("last week", "On Thursday", "7 December 2021") points to."""
    return _resolve(phrase, published, future, context)


@functools.lru_cache(maxsize=8192)  # news repeats its phrases: "on Thursday", "last week"
def _resolve(phrase: str, published: dt.date | None, future: bool, context: dt.date | None) -> EventDate | None:
    if not phrase or not phrase.strip():
        return None
    text = " ".join(phrase.split())
    iso = _ISO.search(phrase)
    if iso:
        try:
            return EventDate(dt.date(*map(int, iso.groups())).isoformat(), text, "day")
        except ValueError:
            return None
    if published is None:
        return None
    low = phrase.lower().replace("\u2019", "'")
    if _NOT_A_DATE.search(low):
        return None
    words = _norm(phrase).split()
    ref = context or published
    qualified, prev, stripped = False, None, set()
    while words:
        for n in (3, 2, 1):
            key = " ".join(words[:n])
            if key in _V["block"] or words[0] in _V["block"]:
                return None
            if key in _V["strip"] or key in _V["qualifier"]:
                qualified = qualified or key in _V["qualifier"]
                stripped.add(key)
                prev, words = words[n - 1], words[n:]
                break
        else:
            break
    if not words or not _starts_date(words[0]):
        return None
    if words[0] == "last" and prev == "the" and len(words) > 1 and words[1] in UNITS:
        words[0] = "past"  # "the last week" is a rolling window, "last week" the calendar week
    if words[:2] == ["this", "past"]:
        words = ["last"] + words[2:]
    joined = " ".join(words)
    if joined in _V["dayword"]:
        return _out(published + dt.timedelta(days=int(_V["dayword"][joined])), "day", text)
    if len(words) > 1 and words[-1] in _V["timeofday"]:
        words = words[:-1]
    mod = words[0] if words[0] in ("last", "this", "next", "past") else None
    core = words[1:] if mod else words
    if mod == "past" and core and (core[0] in MONTHS or core[0] in WEEKDAYS or core[0] in SEASONS):
        mod = "last"
    # holidays
    hol = " ".join(core)
    if hol in _V["holiday"]:
        m, d = map(int, _V["holiday"][hol].split("-"))
        return _out(_month_date(m, d or None, published, mod, future), "day" if d else "month", text)
    # explicit dates and months
    for i, w in enumerate(words):
        if w in MONTHS and not (w == "may" and "May" not in phrase and len(words) == 1):
            month = MONTHS[w]
            day = None
            for j in (i + 1, i - 1):
                if 0 <= j < len(words) and words[j].isdigit() and len(words[j]) <= 2 and 1 <= int(words[j]) <= 31:
                    day = int(words[j])
                    break
            year = _year_word(words[i + 1:], published, ref) if i + 1 < len(words) else None
            m_mod = words[i - 1] if i > 0 and words[i - 1] in ("last", "this", "next", "past") else None
            m_mod = "last" if m_mod == "past" else m_mod
            if day is None and year is None and "on" in stripped:
                return None  # "on May" is Theresa May: months take "in"
            if year is not None:
                try:
                    return _out(dt.date(year, month, day or 1), "day" if day else "month", text)
                except ValueError:
                    return None
            if m_mod == "this":
                return _out(dt.date(published.year, month, day or 1), "day" if day else "month", text)
            return _out(_month_date(month, day, published, m_mod, future), "day" if day else "month", text)
    year = _year_word(words, published, ref)
    season = next((SEASONS[w] for w in core if w in SEASONS), None)
    if season is not None:
        if year is not None and any(len(w) == 4 and w.isdigit() for w in core):
            return _out(dt.date(year, season, 1), "month", text)
        return _out(_month_date(season, None, published, "last" if mod == "last" else None, future), "month", text)
    if year is not None and ("year" not in core or mod):
        return _out(dt.date(year, 1, 1), "year", text)
    # weekdays
    wd = next((WEEKDAYS[w] for w in core if w in WEEKDAYS), None)
    if wd is not None:
        delta = (published.weekday() - wd) % 7
        if mod == "this":
            return _out(_monday(published) + dt.timedelta(days=wd), "day", text)
        if mod == "next":
            return _out(published + dt.timedelta(days=(wd - published.weekday()) % 7 or 7), "day", text)
        if future and mod != "last":  # "will meet on Friday" published on a Friday: today
            return _out(published + dt.timedelta(days=(wd - published.weekday()) % 7), "day", text)
        if mod == "last" and delta == 0:
            delta = 7
        return _out(published - dt.timedelta(days=delta), "day", text)
    if stripped & {"in", "during", "over"} and words[-1] in ("before", "after"):
        return None  # "in the six weeks before": a window before something unnamed
    return _unit_phrase(words, qualified, published, ref, future, text)


def _unit_phrase(words: list[str], qualified: bool, pub: dt.date, ref: dt.date, future: bool,
                 text: str) -> EventDate | None:
    """Phrases built on day/week/month/year/weekend: calendar, relative, rolling windows."""
    head = words[0]
    if head in _V["window"]:
        count, vague, rest = _number(words[1:])
        if not rest or rest[0] not in UNITS:
            return None
        days = count * _WINDOW_DAYS[UNITS[rest[0]]]
        return _window(pub, days, head in ("coming", "upcoming"), text)
    count, vague, rest = _number(words)
    if len(rest) >= 2 and rest[0] in UNITS and (rest[1] in _V["back"] or rest[1] in _V["forward"]):
        unit = UNITS[rest[0]]
        sign = -1 if rest[1] in _V["back"] else 1
        base = pub if rest[1] == "ago" else ref
        prec = {"day": "day", "weekend": "week", "fortnight": "week"}.get(unit, unit)
        if unit == "fortnight":
            count, unit = count * 2, "week"
        if vague:
            prec = _COARSER[prec]
        if prec is None:
            return None
        if unit in ("day", "week", "weekend"):
            when = base + dt.timedelta(days=sign * count * (1 if unit == "day" else 7))
        else:
            y, m = _add_months(base.year, base.month, sign * count * (12 if unit == "year" else 1))
            when = dt.date(y, m, 1)
        if when > pub and not future:
            return None  # "seven years later" without the date it counts from
        return _out(when, prec, text)
    step = _STEPS.get(head)
    core = words[1:] if step is not None else words
    if len(core) != 1 or core[0] not in UNITS:
        return None
    unit = UNITS[core[0]]
    step = step or 0
    base = ref if head in ("previous", "following", "that", "same") or unit == "day" else pub
    if head == core[0] and (not qualified or core[0].endswith("s")) and unit != "weekend":
        return None  # a bare "week", "day" or "early days": nothing to anchor
    if unit == "day":
        return _out(base + dt.timedelta(days=step), "day", text)
    if unit in ("week", "fortnight"):
        return _out(base + dt.timedelta(days=7 * step), "week", text)
    if unit == "weekend":
        monday = _monday(base)
        if head == "next":
            return _out(monday + dt.timedelta(days=7), "week", text)
        if head == "last" or (base.weekday() < 5 and not future):
            return _out(monday - dt.timedelta(days=7), "week", text)
        return _out(monday, "week", text)  # the weekend of the publication week
    if unit == "month":
        y, m = _add_months(base.year, base.month, step)
        return _out(dt.date(y, m, 1), "month", text)
    return _out(dt.date(base.year + step, 1, 1), "year", text)


# --- dates in a parsed clause -------------------------------------------------------------

NESTED_CLAUSES = frozenset({"ccomp", "advcl", "relcl", "acl", "parataxis", "csubj", "csubjpass"})
_VERBAL = ("VERB", "AUX")
_LEVEL = frozenset({"xcomp", "conj", "appos"})
_TEMPORAL_DEPS = frozenset({"npadvmod", "tmod", "obl", "advmod", "pobj", "nmod", "poss", "compound", "attr"})
_DATE_LABELS = ("DATE", "TIME")
_ARGUMENTS = frozenset({"conj", "xcomp", "dobj", "nsubj", "nsubjpass", "dative", "attr", "punct", "cc"})


def clause_tokens(predicate) -> list[tuple[object, int]]:
    """(token, depth) for the predicate's own clause: its subtree less nested clauses
    (ccomp, advcl, relcl, acl, parataxis, clausal subjects) and coordinated verbs, which carry
    events of their own. xcomp stays ("agreed to meet on Friday"), and so does a participle
    acl of an eventive noun ("talks held in Geneva"). Depth counts arcs, but xcomp, conj and
    appos arcs stay on their head's level ("meet Zelenskiy, Erdogan in Ukraine")."""
    out, stack = [], [(predicate, 0)]
    while stack:
        tok, depth = stack.pop()
        out.append((tok, depth))
        for child in tok.children:
            dep = child.dep_
            if dep in NESTED_CLAUSES and not (dep == "acl" and child.tag_ == "VBN" and tok.pos_ in ("NOUN", "PROPN")):
                continue
            if dep == "conj" and child.pos_ in _VERBAL and tok.pos_ in _VERBAL:
                continue
            stack.append((child, depth + (dep not in _LEVEL)))
    return out


AFTERMATH = {"aftermath", "wake"}  # "in the aftermath/wake of X": X is dated by the verb they modify


def governor(predicate):
    """The verb whose direct modifiers also date (or place) the predicate: the head of an
    xcomp or conj verb, or the verb of which an eventive noun is an argument."""
    head = predicate.head
    if head is predicate:
        return None
    if predicate.dep_ in ("xcomp", "conj") and head.pos_ in _VERBAL:
        return head
    if predicate.pos_ in ("NOUN", "PROPN"):
        if predicate.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in _VERBAL:
            return head.head
        if predicate.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "oprd") and head.pos_ in _VERBAL:
            return head
        if predicate.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in AFTERMATH:
            # "the ban was imposed in the aftermath of China's crackdown ... in 1989": then, or before
            outer = head.head
            if outer.dep_ == "pobj" and outer.head.dep_ == "prep" and outer.head.head.pos_ in _VERBAL:
                return outer.head.head
    return None


def direct_modifiers(verb, skip) -> list[tuple[object, int]]:
    """A governing verb's own modifiers (and the objects of its prepositions): not the branch
    that holds `skip`, nor its arguments, nested clauses or coordinated verbs."""
    out = []
    for child in verb.children:
        if child is skip or child.dep_ in NESTED_CLAUSES or child.dep_ in _ARGUMENTS:
            continue
        out.extend((tok, depth + 1) for tok, depth in clause_tokens(child))
    return out


def _entity_span(tok) -> tuple[int, int]:
    doc, start, end = tok.doc, tok.i, tok.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    while end < len(doc) and doc[end].lower_ in ("before", "after", "earlier", "later", "ago"):
        end += 1  # "the day" + "before" when NER leaves the adverb out
    return start, end


def _phrase(doc, start: int, end: int) -> str:
    span = doc[start:end]
    root = span.root
    prep = root.head if root.dep_ == "pobj" and root.head.dep_ == "prep" and root.head.i < start else None
    text = span.text
    return f"{prep.text} {text}" if prep is not None else text


def _usable(doc, start: int, end: int, predicate) -> bool:
    """Not a date that modifies a thing ("a 2016 documentary", "a winter coat"), nor one that
    counts from an event named after it ("a day after Turkey said", "weeks before the fall")."""
    root = doc[start:end].root
    if root.dep_ in ("compound", "amod", "nummod", "nmod") and root.head.i != predicate.i \
            and root.head.pos_ in ("NOUN", "PROPN") and root.head.lower_ not in UNITS:
        return False
    if doc[end - 1].lower_ in ("before", "after") and end < len(doc) and not doc[end].is_punct:
        return False
    return True


def _candidates(tokens, predicate) -> list[tuple[int, int, int]]:
    """(depth, start, end) of date expressions among clause tokens."""
    seen, found = set(), []
    for tok, depth in tokens:
        if tok.lower_ == "ago" and tok.left_edge.i < tok.i:
            start, end = tok.left_edge.i, tok.i + 1  # "two months ago" (NER may glue on words before it)
        elif tok.ent_type_ in _DATE_LABELS:
            start, end = _entity_span(tok)
        elif tok.dep_ in _TEMPORAL_DEPS and (tok.lower_ in WEEKDAYS or tok.lower_ in _V["dayword"] or tok.lower_ in UNITS
                                             or (tok.lower_ in MONTHS and tok.is_title and tok.lower_ != "may")):
            start, end = tok.left_edge.i, tok.right_edge.i + 1
        else:
            continue
        if (start, end) in seen:
            continue
        seen.add((start, end))
        if not _usable(tok.doc, start, end, predicate):
            continue
        found.append((depth, start, end))
    return found


def _when_antecedent(predicate) -> list[tuple[object, int]]:
    """ "intensified 11 months ago, when the military invaded an enclave": a when-clause that
    follows a date expression happened then (the parser often hangs the clause elsewhere)."""
    when = next((c for c in predicate.children if c.lower_ == "when" and c.dep_ in ("advmod", "mark")
                 and c.i < predicate.i), None)
    if when is None:
        return []
    doc, i = predicate.doc, when.i - 1
    while i >= 0 and doc[i].is_punct:
        i -= 1
    return [(doc[j], 0) for j in range(max(0, i - 5), i + 1)]


def event_date(predicate, published: dt.date | None, future: bool = False,
               context: dt.date | None = None) -> EventDate:
    """The date of the event headed by `predicate` (a spaCy Token), from the date expressions of
    its own clause, else of its governing verb, else of the date its when-clause follows; else the
    publication date."""
    doc = predicate.doc
    groups = [clause_tokens(predicate)]
    gov = governor(predicate)
    if gov is not None:
        branch = predicate if predicate.head is gov else predicate.head
        groups.append(direct_modifiers(gov, branch))
    groups.append(_when_antecedent(predicate))
    for tokens in groups:
        cands = sorted(_candidates(tokens, predicate), key=lambda c: (c[0], abs(c[1] - predicate.i)))
        for _, start, end in cands:
            found = resolve_date_phrase(_phrase(doc, start, end), published, future, context)
            if found is not None:
                return found
    head = predicate.head
    if predicate.dep_ == "advcl" and predicate.tag_ == "VBG" and head.i != predicate.i and head.pos_ in _VERBAL:
        return event_date(head, published, future, context)  # "invaded the enclave, ousting the YPG": then too
    return EventDate(published.isoformat() if published else None, None, "published")
