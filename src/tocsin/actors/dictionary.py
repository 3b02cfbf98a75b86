"""The shipped actor dictionaries (data/*.tsv) and their lookup API.

``ActorDictionary.load()`` reads the TSV files once (plus an optional YAML overrides file)
and builds plain dict indexes keyed by :func:`normalize`. Vocabulary lives in the data files;
data/README.md describes each file. Only the standard library and PyYAML are used.
"""

from __future__ import annotations

import calendar
import datetime
import os
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .normalize import _PLAIN, normalize, words

DATA = Path(__file__).with_name("data")
MAX_WORDS = 8
_MEMO_SIZE = 200_000  # answers remembered (ActorDictionary._memo), then forgotten all at once
_UNKNOWN = object()  # not in the memo
_DAY: list = [None, 0.0, 0.0]  # today's date, the time it began and the time it ends (local midnights)


def _today() -> datetime.date:
    """`datetime.date.today()`, read from the clock only when the day may have changed."""
    now = time.time()
    if not _DAY[1] <= now < _DAY[2]:
        today = datetime.date.fromtimestamp(now)
        _DAY[:] = [today, datetime.datetime.combine(today, datetime.time()).timestamp(),
                   datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time()).timestamp()]
    return _DAY[0]
# Identity tables in priority order: when two tables share a key, the earlier one wins.
_TABLES = ("countries", "organisations", "seats", "collectives", "capitals", "people")
# Offices of the state: who has left one is no longer the state ("ELI", a former office holder).
# Who has left the leadership of a party, an armed group or an NGO still belongs to it.
STATE_SECTORS = {"GOV", "MIL", "LEG", "JUD", "COP", "SPY", "IGO"}


@dataclass(frozen=True)
class ActorEntry:
    country: str | None
    sector: str | None
    name: str | None
    role: str | None
    kind: str
    rule: str
    current: bool = True  # False: a person out of office, or not yet in office, on the day asked


@dataclass(frozen=True)
class _Row:
    entry: ActorEntry
    start: datetime.date | None = None
    end: datetime.date | None = None  # exclusive: the first day no longer in office

    def covers(self, on: datetime.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)


def parse_date(text: str, end: bool = False) -> datetime.date | None:
    """ISO date, or YYYY / YYYY-MM when only that is known (an end moves to the next period)."""
    text = str(text or "").strip()
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return datetime.date(*parts)
    if len(parts) == 2:
        year, month = parts
        day = calendar.monthrange(year, month)[1]
        return datetime.date(year, month, day) + datetime.timedelta(days=1) if end else datetime.date(year, month, 1)
    if len(parts) == 1:
        return datetime.date(parts[0] + 1, 1, 1) if end else datetime.date(parts[0], 1, 1)
    raise ValueError(f"not a date: {text!r}")


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a TSV with a header line; '#' lines and blank lines are skipped."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        cells = [c.strip() for c in line.split("\t")]
        rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)))))
    return rows


def split(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split("|") if part.strip()]


class ActorDictionary:
    _cached: ActorDictionary | None = None

    def __init__(self) -> None:
        self._agent_cache: dict[str, tuple[str, str | None] | None] = {}
        self._keys: dict[str, list[tuple[int, str]]] = {}  # key -> [(table priority, identity)]
        self._exact: dict[str, list[tuple[int, str]]] = {}  # case-sensitive keys ("=US")
        self._rows: dict[str, list[_Row]] = {}  # identity -> its rows
        self._people: dict[str, str] = {}  # key -> person identity (names and aliases)
        self._surnames: dict[str, set[str]] = {}
        self._adjectives: dict[str, str] = {}
        self._agents: dict[str, tuple[str, str | None]] = {}
        self._agent_words: dict[str, str] = {}  # spokeswoman -> spokesperson
        self._suffixes: dict[str, str] = {}  # may follow a body: spokesperson, official -> role word
        self._peoples: set[str] = set()  # agent phrases that name a people ("Kurds"): never a re-description
        # answers of lookup, person, person_in_office, longest_match, adjective_country and suffix,
        # by their arguments (and the day asked about); emptied whenever an entry is added
        self._memo: dict[tuple, object] = {}

    # ---- loading -------------------------------------------------------------------------
    @classmethod
    def load(cls, extra: str | os.PathLike | None = None) -> ActorDictionary:
        if extra is None and cls._cached is not None:
            return cls._cached
        self = cls()
        _load_shipped(self, DATA)
        if extra is not None:
            _load_overrides(self, Path(extra))
        if extra is None:
            cls._cached = self
        return self

    def add(self, table: str, identity: str, row: _Row, keys: list[str], front: bool = False) -> None:
        """Register ``row`` under ``identity`` and every phrase in ``keys``."""
        self._memo.clear()
        identity = f"{table}:{identity}"
        rows = self._rows.setdefault(identity, [])
        rows.insert(0, row) if front else rows.append(row)
        priority = -1 if front else _TABLES.index(table)
        for phrase in keys:
            index, key = (self._exact, normalize(phrase[1:], keep_case=True)) if phrase.startswith("=") else (self._keys, normalize(phrase))
            if not key:
                continue
            slot = index.setdefault(key, [])
            if (priority, identity) not in slot:
                slot.append((priority, identity))
                slot.sort(key=lambda item: item[0])
            if table == "people":
                self._people.setdefault(key, identity) if not front else self._people.__setitem__(key, identity)

    def add_surname(self, surname: str, identity: str) -> None:
        self._memo.clear()
        self._surnames.setdefault(normalize(surname), set()).add(f"people:{identity}")

    def add_adjective(self, word: str, code: str | None) -> None:
        self._memo.clear()
        self._adjectives.setdefault(normalize(word), code)

    def add_agent(self, phrase: str, sector: str, role: str | None, flags: str = "", front: bool = False) -> None:
        """One agents.tsv row; flags "word" (a word synonym), "suffix" (may follow a body) or
        "people" (names a people: "the Kurds" are not the group the article named last)."""
        self._memo.clear()
        key = normalize(phrase)
        if flags == "word":
            self._agent_words.setdefault(key, normalize(role or ""))
            return
        key = " ".join(self._agent_words.get(w, w) for w in key.split())
        if flags == "suffix":
            self._suffixes.setdefault(key, role or key)
        if flags == "people":
            self._peoples.add(key)
        if sector and (front or key not in self._agents):
            self._agents[key] = (sector, role or None)

    # ---- lookups -------------------------------------------------------------------------
    def _resolve(self, identity: str, on: datetime.date | None) -> ActorEntry:
        rows = self._rows[identity]
        day = on or _today()
        current = [row for row in rows if row.covers(day)]
        if current:
            return max(current, key=lambda r: r.start or datetime.date.min).entry
        earlier = [row for row in rows if row.end is not None and row.end <= day]
        if earlier:  # out of office: still the country, but not the government
            last = max(earlier, key=lambda r: r.end).entry
            if last.kind != "person":  # a body after its last dated row keeps that row's code
                return replace(last, rule=f"{last.rule} [after its end, on {day}]")
            role = f"former {last.role}" if last.role else "former office holder"
            sector = "ELI" if last.sector in STATE_SECTORS or not last.sector else last.sector
            return replace(last, sector=sector, role=role, rule=f"{last.rule} [out of office on {day}]", current=False)
        first = min(rows, key=lambda r: r.start or datetime.date.min).entry  # not yet in office
        return replace(first, sector=None, role=None, rule=f"{first.rule} [not yet in office on {day}]", current=False)

    def _remember(self, key: tuple, answer):
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = answer
        return answer

    def lookup(self, phrase: str, on: datetime.date | None = None) -> ActorEntry | None:
        """The entry for the exact (normalised) phrase, or None."""
        day = on or _today()
        key = ("lookup", phrase, day)
        found = self._memo.get(key, _UNKNOWN)
        if found is not _UNKNOWN:
            return found
        hits = self._exact.get(normalize(phrase, keep_case=True)) or self._keys.get(normalize(phrase))
        return self._remember(key, self._resolve(hits[0][1], day) if hits else None)

    def longest_match(self, words_: list[str], start: int = 0, on: datetime.date | None = None) -> tuple[int, ActorEntry] | None:
        """The longest ``words_[start:end]`` (at most 8 words) that :meth:`lookup` resolves."""
        day = on or _today()
        key = ("longest", tuple(words_[start:start + MAX_WORDS]), day)
        found = self._memo.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            found = None
            for end in range(min(len(words_), start + MAX_WORDS), start, -1):
                entry = self.lookup(" ".join(words_[start:end]), day)
                if entry is not None:
                    found = end - start, entry
                    break
            self._remember(key, found)
        return (start + found[0], found[1]) if found is not None else None

    def person(self, name: str, on: datetime.date | None = None) -> ActorEntry | None:
        """A person by full name, alias, or a surname that only one person in the registry has."""
        day = on or _today()
        memo = ("person", name, day)
        found = self._memo.get(memo, _UNKNOWN)
        if found is not _UNKNOWN:
            return found
        key = normalize(name)
        identity = self._people.get(key)
        if identity is None:
            owners = self._surnames.get(key, set())
            if len(owners) != 1:
                return self._remember(memo, None)
            identity = next(iter(owners))
        return self._remember(memo, self._resolve(identity, day))

    def person_in_office(self, surname: str, on: datetime.date | None = None) -> ActorEntry | None:
        """The one person with this surname who holds an office on `on`, when the surname is shared.

        "Johnson" in 2022 is Boris Johnson, the only Johnson of the registry in office then;
        None when no owner, or more than one, is in office.
        """
        day = on or _today()
        memo = ("in office", surname, day)
        found = self._memo.get(memo, _UNKNOWN)
        if found is not _UNKNOWN:
            return found
        owners = self._surnames.get(normalize(surname), set())
        if len(owners) < 2:
            return self._remember(memo, None)
        serving = [o for o in owners if any(row.covers(day) for row in self._rows[o])]
        return self._remember(memo, self._resolve(serving[0], day) if len(serving) == 1 else None)

    def names_people(self, word: str) -> bool:
        """Whether an agent word names a people ("Kurds"), which no earlier actor re-describes."""
        return normalize(word) in self._peoples

    def suffix(self, word: str) -> str | None:
        """The role of a generic head that may follow a body ("chief", "head", "mission"), or None."""
        memo = ("suffix", word)
        found = self._memo.get(memo, _UNKNOWN)
        if found is not _UNKNOWN:
            return found
        tokens = [self._agent_words.get(w, w) for w in words(word)]
        for form in _forms(tokens) if tokens else []:
            if form in self._suffixes:
                return self._remember(memo, self._suffixes[form])
        return self._remember(memo, None)

    def offices(self, name: str | None) -> list[ActorEntry]:
        """Every office the registry gives the person with this canonical name, in its rows' order."""
        return [row.entry for row in self._rows.get(f"people:{name}", [])]

    def is_state(self, code: str | None) -> bool:
        """Whether `code` is a state or territory of countries.tsv (not NATO, IMG, WST...)."""
        return bool(code) and f"countries:{code}" in self._rows

    def adjective_country(self, word: str) -> str | None:
        """The country code of a demonym or adjective ("Russian", "Russians", "Western")."""
        memo = ("adjective", word)
        found = self._memo.get(memo, _UNKNOWN)
        if found is _UNKNOWN:
            found = self._remember(memo, self._adjectives.get(normalize(word)))
        return found

    def agent(self, phrase: str) -> tuple[str, str | None] | None:
        """(sector, role) of the longest head-final agent phrase ("Foreign Ministry spokeswoman")."""
        found = self._agent_cache.get(phrase, _UNKNOWN)
        if found is not _UNKNOWN:
            return found
        found = self._agent_uncached(phrase)
        if len(self._agent_cache) < 100_000:
            self._agent_cache[phrase] = found
        return found

    def first_agent(self, words_: list[str]) -> tuple[int, tuple[str, str | None] | None]:
        """(start, agent) for the first ``start`` whose ``" ".join(words_[start:])`` is an agent phrase,
        else (len(words_) - 1, None).

        When the whole phrase is plain (ASCII words, one space apart) and no agent, every later
        phrase normalises to an ending of its words, all of which :meth:`agent` has tried: none is
        an agent either, and they are not looked up.
        """
        for start in range(len(words_)):
            phrase = " ".join(words_[start:])
            found = self.agent(phrase)
            if found:
                return start, found
            if start == 0 and _PLAIN.fullmatch(phrase):
                break
        return len(words_) - 1, None

    def _agent_uncached(self, phrase: str) -> tuple[str, str | None] | None:
        tokens = tuple(self._agent_words.get(w, w) for w in words(phrase))
        if not tokens:
            return None
        # _agent_of(tokens[i:]) of two words or more is None when no agent phrase of two words or
        # more starts with tokens[i] and no form of the last word may follow a body: skip those
        firsts = self._agent_firsts()
        tail = any(form in self._suffixes for form in _forms([tokens[-1]]))
        last = len(tokens) - 1
        for i in range(len(tokens)):
            if i < last and not tail and tokens[i] not in firsts:
                continue
            found = self._agent_of_words(tokens[i:])
            if found is not None:
                return found
        return None

    def _agent_firsts(self) -> frozenset[str]:
        """The first words of the agent phrases of two words or more."""
        found = self._memo.get(("agent firsts",), _UNKNOWN)
        if found is _UNKNOWN:
            found = self._remember(("agent firsts",), frozenset(k.split(" ", 1)[0] for k in self._agents if " " in k))
        return found

    def _agent_of_words(self, tokens: tuple[str, ...]) -> tuple[str, str | None] | None:
        """`_agent_of`, remembered by its words (phrases share their endings: "forces members")."""
        memo = ("agent of", tokens)
        found = self._memo.get(memo, _UNKNOWN)
        if found is _UNKNOWN:
            found = self._remember(memo, self._agent_of(list(tokens)))
        return found

    def _agent_of(self, tokens: list[str]) -> tuple[str, str | None] | None:
        for form in _forms(tokens):
            if form in self._agents:
                return self._agents[form]
        if len(tokens) > 1:
            for head in _forms(tokens[-1:]):
                if head in self._suffixes:
                    body = self._agent_of_words(tuple(tokens[:-1]))
                    if body is not None and (body[1] or body[0]):  # "special forces member", "rebel official"
                        return body[0], f"{body[1] or ' '.join(tokens[:-1])} {self._suffixes[head]}"
        return None


def _forms(tokens: list[str]) -> list[str]:
    """The phrase, then the phrase with its last word made singular."""
    phrase = " ".join(tokens)
    single = _singular(tokens[-1])
    return [phrase] if single is None else [phrase, " ".join(tokens[:-1] + [single])]


@lru_cache(maxsize=65536)
def _singular(last: str) -> str | None:
    """The word made singular by the first plural ending it has, or None."""
    for plural, singular in (("ies", "y"), ("men", "man"), ("people", "person"), ("ses", "s"), ("xes", "x"), ("ches", "ch"), ("shes", "sh"), ("s", "")):
        if last.endswith(plural) and len(last) > len(plural) + 2 and not last.endswith("ss"):
            return last[: -len(plural)] + singular
    return None


# ---- readers of the data files ---------------------------------------------------------------
_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "xiv", "xvi"}
_KINDS = {"IGO": "igo", "NGO": "ngo"}


def _span(start: str, end: str) -> str:
    return f" ({start}\u2013{end})" if start or end else ""


def _load_shipped(self: ActorDictionary, data: Path) -> None:
    for row in read_tsv(data / "countries.tsv"):
        code, name = row["code"], row["name"]
        state = ActorEntry(code, None, name, None, "state", f"countries.tsv:{code} name")
        self.add("countries", code, _Row(state), [name, *split(row["iso_names"]), *split(row["names"])])
        for capital in split(row["capitals"]):
            entry = ActorEntry(code, "GOV", name, None, "capital", f"countries.tsv:{code} capital {capital}")
            self.add("capitals", f"{code}:{capital}", _Row(entry), [capital])
        for word in split(row["adjectives"]) + split(row["demonyms"]):
            self.add_adjective(word, code)
    for table in ("organisations", "seats", "collectives"):
        for row in read_tsv(data / f"{table}.tsv"):
            _add_body(self, table, row, f"{table}.tsv")
    for row in read_tsv(data / "people.tsv"):
        _add_person(self, row, "people.tsv")
    for row in read_tsv(data / "agents.tsv"):
        self.add_agent(row["phrase"], row["sector"], row.get("role") or None, row.get("flags", ""))


def _add_body(self: ActorDictionary, table: str, row: dict, source: str, front: bool = False) -> None:
    name, start, end = row["name"], row.get("start", ""), row.get("end", "")
    kind = row.get("kind") or _KINDS.get(row.get("sector") or "", "group")
    entry = ActorEntry(row.get("country") or None, row.get("sector") or None, name.lstrip("="), row.get("role") or None,
                       kind, f"{source}:{name.lstrip('=')}{_span(start, end)}")
    data_row = _Row(entry, parse_date(start), parse_date(end, end=True))
    self.add(table, name.lstrip("="), data_row, [name, *split(row.get("aliases"))], front=front)
    for word in split(row.get("adjectives")):
        self.add_adjective(word, entry.country)


def _add_person(self: ActorDictionary, row: dict, source: str, front: bool = False) -> None:
    name, start, end = row["name"], row.get("start", ""), row.get("end", "")
    aliases = split(row.get("aliases"))
    entry = ActorEntry(row["country"], row.get("sector") or None, name, row.get("role") or None, "person",
                       f"{source}:{name}{_span(start, end)}")
    self.add("people", name, _Row(entry, parse_date(start), parse_date(end, end=True)), [name, *aliases], front=front)
    surnames = split(row.get("surnames"))
    if not surnames:
        for full in (name, *aliases):
            parts = [p for p in normalize(full).split() if p not in _NAME_SUFFIXES]
            if len(parts) > 1:
                surnames.append(parts[-1])
    for surname in surnames:
        if surname != "-":
            self.add_surname(surname, name)


# ---- the user's YAML overrides ----------------------------------------------------------------
_PERSON_FIELDS = {"name", "aliases", "surnames", "country", "sector", "role", "start", "end"}
_BODY_FIELDS = {"name", "aliases", "country", "sector", "kind", "role", "start", "end", "adjectives"}
_ALIAS_FIELDS = {"country", "sector", "name", "role", "kind"}


def _load_overrides(self: ActorDictionary, path: Path) -> None:
    import yaml

    def fail(where: str, what: str) -> None:
        raise ValueError(f"{path}: {where}: {what}")

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read actor overrides: {exc}") from exc
    if doc is None:
        return
    if not isinstance(doc, dict):
        fail("top level", "expected a mapping with keys people, organisations, aliases, agents")
    unknown = set(doc) - {"people", "organisations", "aliases", "agents"}
    if unknown:
        fail("top level", f"unknown keys {sorted(unknown)}; expected people, organisations, aliases, agents")
    for section, fields, required in (("people", _PERSON_FIELDS, ("name", "country")), ("organisations", _BODY_FIELDS, ("name", "country"))):
        items = doc.get(section) or []
        if not isinstance(items, list):
            fail(section, "expected a list of mappings")
        for i, item in enumerate(items):
            where = f"{section}[{i}]"
            row = _check(item, fields, required, where, fail)
            if section == "people":
                _add_person(self, row, path.name, front=True)
            else:
                _add_body(self, "organisations", row, path.name, front=True)
    aliases = doc.get("aliases") or {}
    if not isinstance(aliases, dict):
        fail("aliases", "expected a mapping of phrase -> {country, sector, ...}")
    for phrase, item in aliases.items():
        row = _check(item, _ALIAS_FIELDS, ("country",), f"aliases[{phrase!r}]", fail)
        row.setdefault("name", str(phrase))
        row["aliases"] = str(phrase)
        row["kind"] = row.get("kind") or "seat"
        _add_body(self, "organisations", row, path.name, front=True)
    agents = doc.get("agents") or {}
    if not isinstance(agents, dict):
        fail("agents", "expected a mapping of phrase -> {sector, role}")
    for phrase, item in agents.items():
        row = _check(item, {"sector", "role"}, ("sector",), f"agents[{phrase!r}]", fail)
        self.add_agent(str(phrase), row["sector"], row.get("role"), front=True)


def _check(item: object, fields: set, required: tuple, where: str, fail) -> dict:
    if not isinstance(item, dict):
        fail(where, "expected a mapping")
    unknown = set(item) - fields
    if unknown:
        fail(where, f"unknown fields {sorted(unknown)}; allowed: {sorted(fields)}")
    for field in required:
        if not item.get(field):
            fail(where, f"missing {field!r}")
    row = {}
    for key, value in item.items():
        if key in ("aliases", "surnames", "adjectives"):
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                fail(where, f"{key!r} must be a list of strings")
            row[key] = "|".join(value)
        elif key in ("start", "end"):
            try:
                row[key] = str(value)
                parse_date(row[key])
            except (TypeError, ValueError):
                fail(where, f"{key!r} is not an ISO date: {value!r}")
        elif value is not None and not isinstance(value, str):
            fail(where, f"{key!r} must be a string, not {type(value).__name__}")
        else:
            row[key] = value or ""
    code = row.get("country", "")
    if code and not (code.isupper() and 2 <= len(code) <= 5):
        fail(where, f"country {code!r} is not an upper-case code such as GBR or NATO")
    return row
