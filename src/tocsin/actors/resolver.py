"""Resolving actor mentions in one article: names, titles, possessives, descriptions, pronouns.

The shipped dictionaries (`actors/dictionary.py`, `actors/data/*.tsv`) say who a name is;
this module follows actors through the article with rules over the dependency parse
(`actors/syntax.py` says where a phrase lies in it):

- a proper-name chain ("Dmitry Peskov", "the White House") is looked up whole, then as a
  registered person after a title ("Afghan President Ashraf Ghani": the title in the text
  wins over the registry's dates, and a body in the title over the person's country:
  "European Council president Donald Tusk" is the EU), then as a body at the end of the
  chain ("Iraq's pro-Iran Hizbullah Brigades"), then a body and a title at its start;
  a name running on through "for"/"of" is tried whole ("Syrian Network for Human Rights");
- a state named as an actor ("France sent officials", "the Americans") is its government
  (GOV); named as a place ("in Syria", "troops to Poland") it keeps no sector;
- a common noun head is an agent ("spokesman" -> GOV) whose country comes from an adjective
  ("Russian"), a named modifier ("Kremlin official", "Trump administration", "Home Office
  spokesperson": a party's or a group's own sector replaces the generic GOV), a possessor, an
  "of/for/from/to" phrase, "X-led" (not "X-backed" or "pro-X": a patron is not the
  country), or "in" ("a court in Venezuela");
- an appositive or compound name gives the person ("Putin's aide Yuri Ushakov"); for a name
  the registry lacks, the description in apposition gives country and sector ("Ben Malor, a
  spokesman for the UN"); an acronym in brackets is the body it follows ("(LDF)");
- a later surname ("Peskov") returns the person first named in full; a surname several
  registered people share is the one in office on the article's date;
- a definite description ("the country", "the bloc", "the envoy") is the most recent actor
  of that kind or role, preferring actors not named as places; a pronoun the most recent
  compatible actor ("it" skips plurals; "he" passes over a person named after a preposition
  for the subject before);
- local actors (rebels, police, courts, unknown people...) with no country of their own take
  the state named nearest before them (this sentence, then the four before), else the first
  named later in the sentence; a patron ("X-backed") is never their home.

Unknown names are kept as actors with whatever could be inferred.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..model import Actor
from ..where import gazetteer
from .dictionary import STATE_SECTORS, ActorDictionary, ActorEntry
from .normalize import normalize
from .syntax import (
    NOMINAL_DEPS,
    acts_in_clause_of,
    backers,
    is_definite,
    is_place,
    is_plural,
    is_subject,
    modifiers,
    name_chain,
    span_start,
)

_ADJECTIVE_HEADS = NOMINAL_DEPS - {"npadvmod", "dep"}
_NATION_DEPS = NOMINAL_DEPS - {"npadvmod"}
# compass words before a place name: "north-west Syria" is Syria
COMPASS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "north-east",
           "north-west", "south-east", "south-west", "northeast", "northwest", "southeast", "southwest",
           "northeastern", "northwestern", "southeastern", "southwestern", "north-eastern", "north-western",
           "south-eastern", "south-western", "upper", "lower"}
# a known place after these is a place whatever the recogniser says; a name it took for a person only
# after the strictly locative ones ("in Tal Abyad", but not "a letter from Johnson")
LOCATIVE_PREPS = ("in", "at", "near", "around", "outside", "inside", "into", "of", "from")
PERSON_PLACE_PREPS = ("in", "at", "near", "around", "outside")
WHOLE = ("entire", "whole")  # "the entire country": the clause subject's own
PLACE_VISITS = ("visit", "tour")  # what is visited or toured is a place ("he visits Manchester, Liverpool ...")
WINDOW = 4  # sentences an actor stays in memory for descriptions, pronouns and local actors
# people who act where they are: a rebel, a protester, a court or a newspaper of no stated
# country belongs to the state named nearest to them (the coder's LOCAL_SECTORS, plus firms)
LOCAL_SECTORS = {"REB", "UAF", "CVL", "OPP", "COP", "REF", "CRM", "LAB", "EDU", "HLH", "REL", "MED", "JUD", "LEG",
                 "BUS"}
# words of a role that a description must repeat to mean that person ("the foreign secretary" is
# not the Shadow Foreign Secretary)
QUALIFIERS = {"shadow", "deputy", "vice", "former", "acting", "assistant", "under", "junior"}
BODY_KINDS = ("state", "capital", "seat", "igo", "ngo", "collective", "group", "media")
# "a court in Venezuela", "officials in Kabul": "in" gives the country of these sectors only
# (troops and spies are often abroad)
IN_SECTORS = LOCAL_SECTORS | {"GOV", "NGO", None}


def _visited(token) -> bool:
    """The object of "visit"/"tour", or a name listed with it ("visits Manchester, Liverpool ...")."""
    while token.dep_ == "conj":
        token = token.head
    return token.dep_ in ("dobj", "obj") and token.head.lemma_.lower() in PLACE_VISITS


def _fits(token, actor: Actor) -> bool:
    """Whether a group description's national or ethnic words ("the Kurdish militia") are in the earlier
    group's name: a description naming another people describes another group (a state's description
    names its region: "the eastern European nation" is Ukraine)."""
    words = [c.lower_ for c in token.children if c.dep_ in ("amod", "compound") and c.ent_type_ == "NORP"]
    named = f"{actor.text} {actor.name or ''}".lower()
    return all(word in named for word in words)


def _replace(actor: Actor, **changes) -> Actor:
    """`dataclasses.replace` for an Actor, without its introspection (five times faster)."""
    get = changes.get
    return Actor(get("text", actor.text), get("country", actor.country), get("sector", actor.sector),
                 get("name", actor.name), get("role", actor.role), get("rule", actor.rule), get("start", actor.start),
                 get("end", actor.end))


@cache
def _references() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    text = resources.files("tocsin.actors").joinpath("data/references.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, word, meaning = line.split("\t")[:3]
        table.setdefault(kind, {})[word] = meaning
    for kind in ("pronoun", "descriptor", "relational", "honorific", "particle", "place", "person_noun"):
        table.setdefault(kind, {})
    return table


@dataclass
class Mention:
    actor: Actor
    kind: str  # person | agent (a body or people by function) | state | igo | group | place
    sentence: int
    i: int = -1  # the head token's index in its document
    place: bool = False  # named as a place ("in Syria"), not as an actor
    subject: bool = False  # the subject of its clause, or in apposition to it
    plural: bool = False
    prep: bool = False  # the object of a preposition ("talks with Tusk")
    appos: bool = False  # in apposition ("Turkey, a Nato member, said it ..."): its head is the antecedent
    person: bool = False  # a person named by function ("a senior official"): "he" or "she" may be them


class ArticleActors:
    """Actor memory for one article, in reading order."""

    def __init__(self, dictionary: ActorDictionary | None = None, on: dt.date | None = None):
        self.dictionary = dictionary or ActorDictionary.load()
        self.on = on
        self.mentions: list[Mention] = []
        self.surnames: dict[str, Actor] = {}
        self.acronyms: dict[str, tuple[Actor, str]] = {}  # "(TASZ)" after a body's name, for later "TASZ"
        self.sentence = 0
        self.speaker: Actor | None = None
        self._raw: dict[tuple[int, str | None], Actor | None] = {}  # this sentence's resolutions, by token
        self._kinds: dict[int, str] = {}  # the memory kind of each resolved token of this sentence
        self._pending: list[tuple[object, int]] = []  # local actors waiting for a state named later
        self._quiet = 0  # > 0 while a modifier is looked at: nothing is remembered
        self._reading = False  # True while read_sentence reads: local actors wait for the whole sentence

    # -- public -------------------------------------------------------------
    def start_sentence(self, index: int) -> None:
        self.sentence = index
        self._raw = {}
        self._kinds = {}
        self._pending = []

    def resolve(self, token, offset: int = 0, exclude: str | None = None) -> Actor | None:
        """The actor a noun-phrase head `token` refers to, or None if it is no actor.

        `offset` maps token character offsets to article offsets; `exclude` is a
        country a description must not resolve to (the clause's own source).
        """
        actor = self._get(token, exclude)
        if actor is not None:
            actor = Actor(actor.text, actor.country, actor.sector, actor.name, actor.role, actor.rule,
                          offset + span_start(token).idx, offset + token.idx + len(token.text))
        return actor

    def read_sentence(self, sent, offset: int = 0, speech=lambda lemma: False) -> list[Actor]:
        """Resolve every noun-phrase head of `sent` in reading order (this fills the memory).

        `speech(lemma)` says whether a verb is a verb of saying: its subject becomes
        the speaker that "we" and "our" refer to.
        """
        heads, speaker = [], None
        self._reading = True
        for token in sent:
            if not self._readable(token):
                continue
            actor = self._get(token)
            if actor is None or (actor.rule or "").startswith("modifier"):
                continue
            heads.append(token)
            if token.dep_ == "nsubj" and speech(token.head.lemma_.lower()):
                speaker = token
                self.speaker = actor
        self._reading = False
        self._settle()
        if speaker is not None:
            self.speaker = self._get(speaker)
        return [self.resolve(token, offset) for token in heads]

    # -- rules --------------------------------------------------------------
    @staticmethod
    def stands_apart(token) -> bool:
        """ "backers", "critics", "rivals": relational nouns whose possessor is someone else
        (references.tsv, meaning "other"); the possessor must not stand in for them."""
        return _references()["relational"].get(token.lemma_.lower()) == "other"

    def _get(self, token, exclude: str | None = None) -> Actor | None:
        """`_resolve`, once per token and sentence (a token being resolved reads as None)."""
        key = (token.i, exclude)
        if key not in self._raw:
            self._raw[key] = None
            self._raw[key] = self._resolve(token, exclude)
        return self._raw[key]

    def _peek(self, token) -> tuple[Actor | None, str | None]:
        """A modifier's actor and kind, without remembering it ("Trump" in "the Trump administration")."""
        self._quiet += 1
        try:
            actor = self._get(token)
        finally:
            self._quiet -= 1
        return actor, self._kinds.get(token.i)

    @staticmethod
    def _readable(token) -> bool:
        pos = token.pos_
        if pos not in ("PROPN", "NOUN", "PRON", "ADJ"):
            return False
        dep = token.dep_
        if dep in ("compound", "flat") or (dep == "nmod" and pos == "PROPN" and token.head.pos_ == "PROPN"):
            return False  # a word of a longer name ("Foreign" in "the Foreign Office permanent secretary")
        if dep == "npadvmod" and token.head.dep_ == "amod" and token.head.i > token.i:
            return False  # the X of "X-led", "X-backed": a modifier of the noun after it
        # "West moves closer", "USAID had contributed": a name the tagger took for an adjective
        return pos != "ADJ" or (dep in _ADJECTIVE_HEADS and token.text[:1].isupper())

    def _resolve(self, token, exclude: str | None) -> Actor | None:
        pos = token.pos_
        if pos == "PRON":
            if token.lower_ == "it" and token.head.lemma_ == "be" and any(c.dep_ == "attr" for c in token.head.children):
                return None  # "it was the bloc ...": expletive
            if token.is_upper and len(token.text) > 1:  # "WHO expresses concern"
                entry = self.dictionary.lookup(token.text, self.on)
                if entry is not None:
                    return self._named(token, token.text, entry)
            return self._pronoun(token, _references()["pronoun"].get(token.lower_), exclude)
        if pos not in ("PROPN", "NOUN", "NUM", "ADJ", "X"):
            return None
        inside = self._inside_name(token)
        if inside is not None:
            return inside
        text = token.text
        if text in self.acronyms and pos in ("PROPN", "NOUN", "ADJ"):
            actor, kind = self.acronyms[text]
            return self._note(_replace(actor, text=text, rule=f"acronym:{text}={actor.text}"), kind, token)
        ent = token.ent_type_
        if pos == "ADJ" or ent == "NORP":
            country = self.dictionary.adjective_country(text)
            if country:
                # "the Americans", "The Spanish have put their forces on standby": the nation's government
                nation = token.dep_ in _NATION_DEPS and is_definite(token) and not is_place(token)
                return self._note(Actor(text, country, "GOV" if nation else None, None, None,
                                        rule="adjective:the nation" if nation else "adjective"), "state", token)
        nominal_adjective = pos == "ADJ" and token.dep_ in NOMINAL_DEPS and text[:1].isupper()
        if pos == "PROPN" or ent in ("PERSON", "ORG", "GPE", "NORP") or nominal_adjective:
            actor = self._proper(token, name_chain(token))
            if actor:
                return actor
        if pos == "ADJ":
            return None
        if pos == "NOUN" and text[:1].isupper():  # "Isis killed ...", tagged as a common noun
            entry = self.dictionary.lookup(text, self.on)
            if entry is not None and entry.kind in ("igo", "ngo", "group", "media", "seat"):
                return self._named(token, text, entry)
        if pos == "NOUN" and text[:1].isupper() and normalize(text) in self.surnames:
            # "Zelenskyy has asked ...", tagged a common noun at the start of a sentence: the person named before
            known = self.surnames[normalize(text)]
            return self._note(_replace(known, text=text, rule=f"surname:{known.name}"), "person", token)
        if pos in ("NOUN", "PROPN") and text[:1].isupper():
            named = self._named_unit(token)
            if named is not None:
                return named
        return self._common(token, exclude)

    def _named_unit(self, token) -> Actor | None:
        """A name after an agent noun: "the Russian warship Moskva", "the British frigate Montrose". It is
        that agent, and the article's later "the Moskva" is the same (remembered like an acronym)."""
        kinds = [c for c in token.lefts if c.dep_ == "compound" and c.pos_ == "NOUN" and c.text.islower()]
        agent = self.dictionary.agent(kinds[-1].text) if kinds else None
        if agent is None or agent[0] in (None, "="):
            return None
        actor = Actor(token.text, None, agent[0], token.text, agent[1], rule=f"named:{kinds[-1].text} {token.text}")
        for word in (token, kinds[-1]):  # "the Russian warship Moskva": the adjective sits on "warship"
            actor = self._country_from_modifiers(word, actor) if not actor.country else actor
        if not actor.country:
            return None
        self.acronyms[token.text] = (actor, "agent")
        return self._note(actor, "agent", token)

    def _inside_name(self, token) -> Actor | None:
        """ "Human Rights" in "the Syrian Network for Human Rights": part of the name before it."""
        if token.dep_ != "pobj":
            return None
        prep = token.head
        if prep.lower_ not in ("for", "of") or prep.head.pos_ != "PROPN":
            return None
        inner = [t.text for t in name_chain(token) if t.pos_ == "PROPN"]
        if not inner:
            return None
        owner = " ".join(t.text for t in name_chain(prep.head))
        entry = self.dictionary.lookup(f"{owner} {prep.text} {' '.join(inner)}", self.on)
        if entry is None or entry.kind == "person":
            return None
        return self._from_entry(" ".join(inner), entry)

    def _named(self, token, text: str, entry: ActorEntry) -> Actor:
        """A dictionary body or state; a state (or a group of states) named as an actor is its government."""
        actor = self._from_entry(text, entry)
        if entry.kind in ("state", "collective") and actor.sector is None and self._acts(token):
            actor = _replace(actor, sector="GOV", rule=f"{actor.rule} (acting: its government)")
        return self._note(self._with_appositive(token, actor), self._entry_kind(entry), token)

    def _acts(self, token) -> bool:
        """Whether a state's name stands for an actor here (not a place, not a modifier)."""
        if token.dep_ in ("compound", "nmod", "amod") or is_place(token):
            return False
        if token.dep_ == "npadvmod" and token.head.i > token.i:  # "US-allied"
            return False
        if token.dep_ == "poss":  # "Turkey's decision", but not "Syria's north-east"
            return token.head.lemma_.lower() not in _references()["place"]
        return True

    def _proper(self, token, chain: list) -> Actor | None:
        words = [t.text for t in chain]
        text = " ".join(words)
        while len(chain) > 1 and (chain[0].is_punct or chain[0].lower_ in COMPASS) and \
                self.dictionary.lookup(" ".join(t.text for t in chain), self.on) is None:
            chain = chain[1:]  # "north-west Syria": Syria, not the West ("South Korea" is a name)
        if len(chain) < len(words):
            words = [t.text for t in chain]
        for prep in token.children:  # a name running on: "Syrian Network for Human Rights"
            if prep.dep_ == "prep" and prep.lower_ in ("for", "of"):
                for pobj in prep.children:
                    inner = [t.text for t in name_chain(pobj) if t.pos_ == "PROPN"] if pobj.dep_ == "pobj" else []
                    entry = self.dictionary.lookup(f"{text} {prep.text} {' '.join(inner)}", self.on) if inner else None
                    if entry is not None and entry.kind != "person":
                        return self._named(token, f"{text} {prep.text} {' '.join(inner)}", entry)
        entry = self.dictionary.lookup(text, self.on)
        if entry is not None and entry.kind != "person":
            return self._named(token, text, entry)
        # a registered person, after whatever title: "President Putin", "Afghan President Ashraf Ghani"
        for start in range(len(words)):
            name = " ".join(words[start:])
            entry = self.dictionary.person(name, self.on)
            if entry is None and start == len(words) - 1 and (start == 0 or normalize(words[start - 1]) in _references()["honorific"]):
                entry = self.dictionary.person_in_office(name, self.on)  # "Johnson" in 2022: Boris Johnson
            if entry is not None and self._given_name_fits(chain[:start], entry):
                known = self.surnames.get(normalize(words[-1]))
                if known is not None and known.name == entry.name:  # as the article first named them
                    return self._note(_replace(known, text=text, rule=f"surname:{known.name}"), "person", token)
                actor = self._titled(chain[:start], token, self._from_entry(text, entry), entry)
                for description in self._descriptions(token) if actor.sector == entry.sector else []:
                    # "Peru's interim president, Manuel Merino": the title in apposition
                    actor = self._titled(modifiers(description) + [description], token, actor, entry)
                return self._note(self._with_appositive(token, actor), "person", token)
        if token.dep_ == "appos" and token.is_upper and len(chain) == 1 and token.head.i < token.i:
            body = self._get(token.head)  # "the Lesotho Defence Force (LDF)"
            if body is not None and (body.country or body.sector):
                kind = self._kinds.get(token.head.i, "group")
                self.acronyms[token.text] = (body, kind)
                return self._note(_replace(body, text=token.text, rule=f"acronym:{token.text}={body.text}"), kind, token)
        for start in range(1, len(words)):  # a body at the end of the chain: "pro-Iran Hizbullah Brigades"
            entry = self.dictionary.lookup(" ".join(words[start:]), self.on)
            if entry is not None and entry.kind not in ("person", "state", "capital"):
                return self._named(token, text, entry)
        surname = self.surnames.get(normalize(token.text))
        if surname and token.ent_type_ in ("PERSON", "ORG", ""):
            return self._note(_replace(surname, text=text, rule=f"surname:{surname.name}"), "person", token)
        # a body and a title at the start of the chain: "UAE Ambassador", "Lesotho Defence Force"
        for start in range(len(words)):
            found = self.dictionary.longest_match(words, start, self.on)
            if found and found[1].kind in BODY_KINDS:
                end, entry = found
                agent = (self.dictionary.agent(" ".join(words[end:])) or self._title(words[end:])) if end < len(words) else None
                sector = agent[0] if agent else (entry.sector if end == len(words) else None)
                actor = Actor(text, entry.country, sector, entry.name, agent[1] if agent else entry.role,
                              rule=f"{entry.rule}+title" if agent else entry.rule)
                if agent and entry.sector and entry.sector not in STATE_SECTORS and agent[0] in (None, "GOV"):
                    actor = _replace(actor, sector=entry.sector)  # "PYD official": the party's own sector
                kind = "person" if agent else self._entry_kind(entry)
                return self._note(self._with_appositive(token, actor), kind, token)
        own = {t.i for t in chain}
        agent = self.dictionary.agent(text)
        if agent and (token.is_upper or token.ent_type_ != "PERSON"):
            # "Russia's Defence Ministry", "Estonian MEP"; without a country, the common-noun rules decide ("the bloc")
            actor = Actor(text, None, agent[0], None, agent[1], rule=f"agent:{text}")
            for word in [token] + [t for t in chain if t is not token]:
                actor = self._country_from_modifiers(word, actor, own=own)
            return self._note(actor, "agent", token) if actor.country else None
        agent = self._title(words)
        if token.ent_type_ == "PERSON" and not agent and (
                token.dep_ == "pobj" and token.head.lower_ in PERSON_PLACE_PREPS or _visited(token)):
            place = self._known_place(token, text)
            if place is not None:
                return place
        if agent or token.ent_type_ == "PERSON":
            actor = Actor(text, None, agent[0] if agent else None, text if token.ent_type_ == "PERSON" else None,
                          agent[1] if agent else None, rule="title" if agent else "unknown-person")
            for word in [token] + [t for t in chain if t is not token]:
                actor = self._country_from_modifiers(word, actor, own=own)
            return self._note(self._with_appositive(token, actor), "person", token)
        located = token.dep_ == "pobj" and token.head.lower_ in LOCATIVE_PREPS
        if token.ent_type_ in ("GPE", "LOC", "FAC") or located and token.ent_type_ in ("", "PRODUCT"):
            # "in their last stronghold of Baghuz" (no type), "in Tal Abyad" (a person), "in Manbij" (a
            # product) to the recogniser: a known place after a preposition of place is still a place
            place = self._known_place(token, text)
            if place is not None:  # "hit Idlib": a place acted upon stands for its country
                return place
        if token.ent_type_ in ("ORG", "NORP", "GPE") and not token.text.islower() or (
                token.pos_ == "PROPN" and not token.ent_type_ and token.is_upper):
            # ("its eastern flank" tagged a place by the recogniser: a lower-case common noun names no one)
            # an unknown organisation ("ICE", "Action Against Hunger") is kept, with what can be inferred
            actor = Actor(text, None, None, text, rule=f"unknown-{(token.ent_type_ or 'name').lower()}")
            owner = next((c for c in token.children if c.dep_ == "poss"), None)
            body = self._get(owner) if owner is not None else None
            if body is not None and body.country and self._kinds.get(owner.i) in ("igo", "group"):
                # "the African Union's Peace and Security Council": an organ of its owner
                actor = _replace(actor, country=body.country, sector=body.sector, rule=f"{actor.rule}+poss:{body.text}")
            elif token.ent_type_ == "ORG":
                # "the Syrian Democratic Council", "the Iraqi Red Crescent": a national body by its name
                word = next((t for t in name_chain(token)[:-1] if self.dictionary.adjective_country(t.text)), None)
                if word is not None:
                    actor = _replace(actor, country=self.dictionary.adjective_country(word.text),
                                     rule=f"{actor.rule}+named:{word.text}")
            return self._note(self._with_appositive(token, actor), "group", token)
        return None

    def _given_name_fits(self, title: list, entry: ActorEntry) -> bool:
        """Whether the word before a registered surname is a title, not another first name.

        "President Putin", "Mr Blunkett", "Oleg Rybachuk" (Oleh) fit; "Ivanka Trump" is not
        Donald Trump, "Mahmoud Hussein" not Saddam Hussein.
        """
        refs = _references()
        for tok in reversed(title):
            word = normalize(tok.text)
            if not word or word in refs["particle"]:
                continue
            if not tok.text[:1].isupper() or word in refs["honorific"] or (tok.pos_ != "PROPN" and tok.ent_type_ != "PERSON"):
                return True
            if self.dictionary.agent(tok.text) or self.dictionary.adjective_country(tok.text) \
                    or self.dictionary.lookup(tok.text, self.on):
                return True
            return any(part[:3] == word[:3] for part in normalize(entry.name or "").split())
        return True

    def _titled(self, title: list, head, actor: Actor, entry: ActorEntry) -> Actor:
        """A registered person under the title the text gives them.

        The title wins when the registry has the person out of office on the article's date
        ("Home Secretary David Blunkett" in an undated or late-dated text), and a body in the
        title wins over the person's country when it is another's ("European Council president
        Donald Tusk" -> EU) or a party or group ("BJP president Amit Shah" -> POL).
        """
        if not title:
            return actor
        if any(t.lower_ in ("former", "ex", "late") for t in title) or any(
                c.dep_ == "amod" and c.lower_ in ("former", "ex", "late") for t in [head, *title] for c in t.children):
            return actor
        words = [t.text for t in title]
        phrase = " ".join(words)
        agent = None
        for start in range(len(words)):
            found = self.dictionary.longest_match(words, start, self.on)
            if found and found[1].kind in BODY_KINDS:
                end, body = found
                agent = self.dictionary.agent(" ".join(words[end:])) if end < len(words) else None
                other = body.country != actor.country or (body.sector and body.sector not in STATE_SECTORS
                                                          and body.sector != actor.sector)
                if body.kind not in ("state", "capital") and body.country and other:
                    sector = agent[0] if agent and agent[0] not in (None, "GOV") else (body.sector or actor.sector)
                    return _replace(actor, country=body.country, sector=sector, role=(agent[1] if agent else None) or phrase,
                                   rule=f"{actor.rule}+title:{phrase}")
                break
        agent = agent or self.dictionary.agent(phrase) or self._title(words, name_follows=False)
        if entry.current or not agent or not agent[0]:
            return actor
        # out of office on the date: the text's title holds when it is one of the person's offices
        # ("Prime Minister Shinzo Abe") or a rank of their service ("General Qamar Bajwa"), not a
        # loose word ("center-right leader Silvio Berlusconi" stays a former office holder)
        said = (agent[1] or phrase).lower()
        for office in self.dictionary.offices(entry.name):
            role = (office.role or "").lower()
            if (role and (said in role or role in said)) or (agent[0] != "GOV" and agent[0] == office.sector):
                return _replace(actor, sector=office.sector, role=agent[1] or phrase, rule=f"{actor.rule}+title:{phrase}")
        return actor

    def _common(self, token, exclude: str | None) -> Actor | None:
        refs = _references()
        lemma = token.lemma_.lower()
        words, last = [], None
        for mod in modifiers(token):
            if last is not None and mod.i == last.i + 2 and mod.doc[last.i + 1].text == "-":
                words[-1] += "-" + mod.text  # "Kurdish-led units" keeps its hyphen
            else:
                words.append(mod.text)
            last = mod
        words.append(token.text)
        start, agent = self.dictionary.first_agent(words)
        if agent is None:
            agent = self.dictionary.agent(token.lemma_)
        if agent is None and lemma in refs["place"]:
            place = self._place_name(token)  # "Idlib province"
            if place is not None:
                return self._note(place, "place", token)
        descriptor = refs["descriptor"].get(lemma)
        relational = refs["relational"].get(lemma)
        text = " ".join(words)
        if descriptor in ("group", "igo"):
            named = self._named_modifier(token)  # "the separatist Kurdish PKK movement", "the Hamas group"
            if named is not None:
                body, kind = named
                return self._note(_replace(body, text=text, rule=f"{body.rule} ({lemma})"), kind, token)
        actor = Actor(text, None, agent[0] if agent else None, None, agent[1] if agent else None,
                      rule=f"agent:{' '.join(words[start:])}" if agent else None)
        actor = self._country_from_modifiers(token, actor, relational=relational is not None)
        role = self.dictionary.suffix(lemma) if agent is None and actor.country else None
        if role:  # "Pentagon chief", "the Nato mission": a generic head takes its body's sector
            agent = (actor.sector, role)
            actor = _replace(actor, role=role, rule=f"agent:{text}{actor.rule or ''}")
        if actor.country and not agent and (relational == "owner" or (
                relational == "state" and self.dictionary.is_state(actor.country))):
            # "its US allies" (the US government), "their Pakistani counterparts" (the owner's sector);
            # "the two Nato allies" are members of NATO, not NATO
            owner = next((self._get(c) for c in token.children if c.dep_ == "poss"), None)
            sector = "GOV" if relational == "state" else (owner.sector if owner is not None else None)
            return self._note(_replace(actor, sector=sector, rule=f"relational:{lemma}{actor.rule or ''}"), "agent", token)
        if actor.country and not agent and relational == "state" and actor.sector == "IGO":
            # "its Nato ally", "the two Nato allies": members of NATO, not NATO; a state the text named before
            # ("our European allies" are the European states: a collective, kept)
            actor, descriptor = Actor(text, None, None, None, None), "state"
        if actor.country and agent:
            earlier = self._same_role(token, actor)
            if earlier is not None:
                # "the Russian leader" after "Russian President Vladimir Putin": the same person
                return _replace(earlier, text=actor.text, rule=f"description:{actor.text}->{earlier.name}")
            return self._note(actor, "agent", token)
        if actor.country and descriptor is None:
            # "the Russian build-up", "Washington's concerns": a thing of that country, not an actor to remember
            return _replace(actor, rule="modifier" + (actor.rule or ""))
        if relational is not None and exclude is None:
            owner = next((self._get(c) for c in token.children if c.dep_ == "poss"), None)
            exclude = owner.country if owner and owner.country else exclude  # "its neighbour" is not "it"
        if descriptor == "state" and any(c.dep_ == "amod" and c.lower_ in WHOLE for c in token.children):
            own = self._clause_state(token, any_kind=True)
            if own is not None:  # "the regime vowed to win back control of the entire country": its own
                return Actor(text, own, None, None, None, rule=f"description:the whole {lemma}->the subject's")
        if descriptor == "state" and exclude is None:
            exclude = self._clause_state(token)
        if descriptor and is_definite(token) and not any(  # "the state of security" is no actor, and
                c.dep_ == "prep" and c.lower_ == "of" or c.dep_ == "poss" and c.pos_ == "PROPN"  # "Syria's groups"
                for c in token.children):  # no re-description of the group named before
            earlier = self._recent(descriptor, exclude, skip_places=relational is None) or self._recent(descriptor, exclude)
            if earlier is not None and descriptor == "group" and not _fits(token, earlier.actor):
                earlier = None  # "the Kurdish militia" is no re-description of "Islamic State"
            if earlier is None and descriptor in ("group", "igo"):
                named = self._modifier_before(token, descriptor)
                if named is not None:  # "The Isis leader ... and the terrorist group has since ...": Isis
                    return _replace(named, text=text, rule=f"description:the {lemma}->{named.text}")
            if earlier:
                found = earlier.actor
                if descriptor == "state" and found.sector is None and self._acts(token):
                    found = _replace(found, sector="GOV")  # "the country had failed to heed the warnings"
                return _replace(found, text=text, rule=f"description:the {lemma}->{earlier.actor.text}")
        if agent:
            if is_definite(token) and not self.dictionary.names_people(token.lower_):
                earlier = self._same_role(token, actor) if not actor.country else None
                if earlier is not None:  # "the envoy" after "the UN special envoy ... Staffan de Mistura"
                    return _replace(earlier, text=text, rule=f"description:{text}->{earlier.name}")
                kinds = ("agent",) if token.tag_ == "NNS" else ("person", "agent")
                earlier = self._recent(kinds, exclude, sector=agent[0])
                if earlier and earlier.actor.country and _fits(token, earlier.actor):
                    return _replace(earlier.actor, text=text, rule=f"description:{words[-1]}->{earlier.actor.text}")
            return self._note(actor, "agent", token)
        return None

    def _known_place(self, token, text: str) -> Actor | None:
        """`text` as a gazetteer place of a known country, remembered as a place mention."""
        place = gazetteer().lookup(text)
        if place is None or not place.country:
            return None
        return self._note(Actor(text, place.country, None, place.name, rule=f"place:{place.name}"), "place", token)

    def _place_name(self, token) -> Actor | None:
        names = [c for c in token.lefts if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN"]
        if not names:
            return None
        text = " ".join(t.text for t in name_chain(names[-1]))
        place = gazetteer().lookup(text)
        if place is None or not place.country:
            return None
        return Actor(f"{text} {token.text}", place.country, None, place.name, rule=f"place:{place.name}")

    def _clause_state(self, token, any_kind: bool = False) -> str | None:
        """The state that is the subject of the clause a description sits in, but not the description's own subject.

        "The Kremlin ... expressing its unease over the eastern European nation's hopes": the nation
        is not Russia. "Russia massed troops. The country denies ...": no exclusion. With `any_kind`,
        the country of any subject ("the Syrian regime"), not only of a state named as such.
        """
        head = token
        for _ in range(8):
            if head.head is head:
                return None
            head = head.head
            subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is None or head.pos_ not in ("VERB", "AUX"):
                continue
            if subject.left_edge.i <= token.i <= subject.right_edge.i:
                return None
            actor = self._get(subject)
            if actor is not None and any_kind:
                return actor.country if self.dictionary.is_state(actor.country) else None
            return actor.country if actor is not None and self._kinds.get(subject.i) == "state" else None
        return None

    def _modifier_before(self, token, kind: str) -> Actor | None:
        """A body of `kind` named only as a modifier earlier in `token`'s sentence ("the Isis leader"), the latest."""
        for word in reversed(token.doc[token.sent.start:token.i]):
            if word.dep_ in ("compound", "nmod", "amod") and word.pos_ in ("PROPN", "NOUN") and word.head.i != token.i:
                body, found = self._peek(word)
                if body is not None and body.country and found == kind:
                    return body
        return None

    def _named_modifier(self, token) -> tuple[Actor, str] | None:
        for child in token.lefts:
            if child.dep_ in ("compound", "nmod") and child.pos_ == "PROPN":
                body, kind = self._peek(child)
                if body is not None and body.country and kind in ("group", "igo"):
                    return body, kind
        return None

    def _country_from_modifiers(self, token, actor: Actor, relational: bool = False, own: set | None = None) -> Actor:
        """`actor` with the country its modifiers give (`own`: token ids of its own name, no modifiers)."""
        if actor.country:
            return actor
        backed, led = backers(token)
        patrons = set()
        for name in backed:
            code = self._code_of(name)
            person = self.dictionary.person(name, self.on) if code else None
            if person is not None and not self.dictionary.lookup(name, self.on):
                # "pro-Assad militiamen": a leader's partisans are of his country; a state is a foreign patron
                return _replace(actor, country=person.country, rule=(actor.rule or "") + f"+pro:{name}")
            if code:
                patrons.add(code)
        for name in led if actor.sector != "IGO" else []:  # "the US-led coalition"; "the US-led bloc" is NATO
            code = self._code_of(name)
            if code:
                return _replace(actor, country=code, rule=(actor.rule or "") + f"+led:{name}")
            group = self.dictionary.agent(f"{name} {token.text}".lower())
            if group is not None and group[0] not in (None, "=", actor.sector):
                # "Kurdish-led forces" are what "Kurdish forces" are (REB, placed by where they act)
                return _replace(actor, sector=group[0], rule=(actor.rule or "") + f"+led:{name}")
        for child in token.lefts:
            if child.dep_ in ("amod", "compound", "nmod"):
                country = self.dictionary.adjective_country(self._adjective_phrase(child)) or \
                    self.dictionary.adjective_country(child.text)
                if country and country not in patrons:
                    return _replace(actor, country=country, rule=(actor.rule or "") + f"+{child.dep_}:{child.text}")
                if own and child.i in own or child.lower_ in _references()["particle"]:
                    continue  # a word of the name itself ("Abdulridha Abdullah ... Khori", "Abu Muath") is no body
                named = child.pos_ == "PROPN" or child.ent_type_ in ("ORG", "GPE", "NORP", "PERSON")
                body, kind = self._peek(child) if named and child.dep_ != "amod" else (None, None)
                if body is None and child.text[:1].isupper():  # "Nepal government", "ICC prosecutor" (mis-tagged)
                    entry = self.dictionary.lookup(" ".join(t.text for t in name_chain(child)), self.on)
                    if entry is not None and entry.kind != "person":
                        body, kind = self._from_entry(child.text, entry), self._entry_kind(entry)
                if body is not None and body.country and body.country not in patrons:
                    return self._with_body(actor, body, kind, f"+{child.dep_}:{body.text}")
            if child.dep_ == "poss" and not relational:
                owner = self._get(child)
                if owner and owner.country and owner.country not in patrons:
                    return self._with_body(actor, owner, self._kinds.get(child.i), f"+poss:{owner.text}")
        for child in token.rights:
            if child.dep_ != "prep" or relational:
                continue
            word = child.lower_
            if word in ("of", "from", "for", "to") or (word == "in" and actor.sector in IN_SECTORS):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        owner = self._get(pobj)
                        if owner and owner.country and owner.country not in patrons:
                            return self._with_body(actor, owner, self._kinds.get(pobj.i), f"+{word}:{owner.text}")
        return actor

    @staticmethod
    def _with_body(actor: Actor, body: Actor, kind: str | None, how: str) -> Actor:
        """An agent of a body: its country, and its sector where the agent's is the generic GOV or none.

        "Tory spokesman" is POL, "SDF spokesman" REB, "UN spokesman" IGO, "Pentagon chief" MIL;
        "Tory MPs" stay LEG and "NATO troops" MIL; a person ("Putin's spokesman") gives the country only.
        """
        sector = actor.sector
        if kind not in ("person", None) and body.sector and (sector is None or (sector == "GOV" and body.sector != "ELI")):
            sector = body.sector
        return _replace(actor, country=body.country, sector=sector, rule=(actor.rule or "") + how)

    def _code_of(self, name: str) -> str | None:
        """The country code a patron's or leader's name stands for ("US", "Iranian", "Assad")."""
        country = self.dictionary.adjective_country(name)
        if country:
            return country
        entry = self.dictionary.lookup(name, self.on) or self.dictionary.person(name, self.on)
        return entry.country if entry else None

    @staticmethod
    def _adjective_phrase(child) -> str:
        """ "South African" (two amods) as one adjective."""
        words = [child]
        for left in reversed(list(child.lefts)):
            if left.dep_ in ("amod", "compound") and left.i == words[0].i - 1:
                words.insert(0, left)
        return " ".join(t.text for t in words)

    def _with_appositive(self, token, actor: Actor) -> Actor:
        """ "Sullivan, the national security advisor" adds the role; "aide Yuri Ushakov" the name.

        A name the registry lacks takes country and sector from the description in apposition,
        either way round: "Ben Malor, a spokesman for the UN"; "Peru's interim president, Manuel Merino".
        """
        for child in token.children:
            if child.dep_ == "appos" and child.pos_ == "NOUN":
                if actor.country is None:
                    merged = self._merge_description(actor, self._get(child))
                    if merged is not actor:
                        return merged
                if not actor.role:
                    agent = self.dictionary.agent(child.lemma_)
                    if agent:
                        return _replace(actor, role=agent[1] or child.text, sector=actor.sector or agent[0])
        if actor.country is None and token.dep_ == "appos" and token.head.pos_ == "NOUN" and token.head.i < token.i:
            return self._merge_description(actor, self._get(token.head))
        if actor.country is None and token.dep_ == "nsubj" and token.head.lemma_ == "be":
            # "Ilham Ahmed is co-chair of the Syrian Democratic Council": what the copula says she is
            for described in (c for c in token.head.children if c.dep_ == "attr" and c.pos_ == "NOUN"):
                merged = self._merge_description(actor, self._get(described))
                if merged is not actor:
                    return merged
        return actor

    @staticmethod
    def _descriptions(token) -> list:
        """The common nouns in apposition to a name, either way round."""
        found = [c for c in token.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
        if token.dep_ == "appos" and token.head.pos_ == "NOUN":
            found.append(token.head)
        return found

    @staticmethod
    def _merge_description(actor: Actor, description: Actor | None) -> Actor:
        if description is None or not (description.country or description.sector):
            return actor
        if description.name and description.name != actor.name and (description.rule or "").startswith(("people.tsv", "surname")):
            return actor  # the description is another, known person
        rule = actor.rule if description.country is None else f"{actor.rule}+appos:{description.text}"
        return _replace(actor, country=description.country or actor.country, sector=description.sector or actor.sector,
                       role=actor.role or description.role, rule=rule)

    def _pronoun(self, token, wants: str | None, exclude: str | None) -> Actor | None:
        if wants is None:
            return None
        if wants == "speaker":
            return _replace(self.speaker, text=token.text, rule=f"pronoun:{token.lower_}->speaker") if self.speaker else None
        if wants == "person":
            found = self._recent_person()
        else:  # it / they: a state, an organisation, a group or a body of agents ("the army said it")
            kinds = ("state", "igo", "group", "agent")
            singular = token.lower_ in ("it", "its", "itself")
            found = None
            if not singular:  # "A company of UK troops is on standby. They are ready": the troops
                found = self._recent(kinds, None, plural=True, skip_places=True, within=1)
            found = found or self._recent(kinds, None, singular=singular, skip_places=True) \
                or self._recent(kinds, None, singular=singular)
            if found is None and token.dep_ in ("nsubj", "nsubjpass"):
                # "Ssangyong union workers said they will not end the strike": a subject of no known country
                # named earlier in the same sentence, when no placed actor is at hand
                found = self._recent(kinds, None, singular=singular, plural=not singular, within=0, subject=True,
                                     skip_places=True, placed=False)
            if singular and found is not None and found.prep:
                # "the EU backs the deal abandoned by the US, even if it criticises...": the subject, not
                # the object of a preposition, unless no subject of the kind came just before
                found = self._recent(kinds, None, singular=singular, skip_places=True, subject=True,
                                     within=1) or found
        if found:
            return _replace(found.actor, text=token.text, rule=f"pronoun:{token.lower_}->{found.actor.text}")
        return None

    def _recent_person(self) -> Mention | None:
        """The person "he" or "she" is: the latest one (named, or a singular person noun: "a senior
        official said he"), unless named after a preposition ("talks with Donald Tusk as she...")
        while the subject before was a person too."""
        persons = [m for m in reversed(self.mentions) if self.sentence - m.sentence <= WINDOW
                   and (m.kind == "person" or m.person) and m.actor.country]
        first = persons[0] if persons else None
        if first is None or not first.prep:
            return first
        for mention in persons[1:]:
            if self.sentence - mention.sentence > 1:
                break
            if mention.subject:
                return mention
        return first

    def _same_role(self, token, actor: Actor) -> Actor | None:
        """An earlier named person a definite description re-describes, when their roles agree."""
        if not is_definite(token) or token.tag_ == "NNS" or any(c.dep_ == "poss" for c in token.children):
            return None
        if any(c.dep_ == "prep" and c.lower_ in ("to", "of", "for") for c in token.children):
            return None  # "the adviser to the President" is not the President
        words = set((actor.role or token.lemma_).lower().split()) - {"official", "senior", "top", "the"}
        said = {t.lower_ for t in token.subtree}
        leads = {"leader": {"president", "prime", "chancellor", "king", "supreme", "premier", "leader"}}
        wanted = words | leads.get(token.lemma_.lower(), set())
        own_sector = actor.sector not in (None, "GOV")  # "the Tory leader" is a party's leader
        for mention in reversed(self.mentions):
            if self.sentence - mention.sentence > WINDOW:
                break
            known = mention.actor
            if mention.kind == "person" and known.name and known.role and known.country \
                    and (actor.country is None or known.country == actor.country) \
                    and (not own_sector or known.sector == actor.sector):
                role = set(known.role.lower().replace("-", " ").split())
                if wanted & role and not (role & QUALIFIERS) - said:  # "the foreign secretary" is not the shadow one
                    return known
        return None

    # -- helpers --------------------------------------------------------------
    def _recent(self, kinds, exclude: str | None, sector: str | None = None, singular: bool = False,
                skip_places: bool = False, plural: bool = False, within: int = WINDOW,
                subject: bool = False, placed: bool = True) -> Mention | None:
        """The latest mention (within `within` sentences) of one of `kinds`, with a country (unless not `placed`)."""
        kinds = (kinds,) if isinstance(kinds, str) else kinds
        for mention in reversed(self.mentions):
            if self.sentence - mention.sentence > within:
                break
            if plural and not mention.plural:
                continue
            if mention.kind not in kinds or not mention.actor.country and (placed or not mention.actor.sector):
                continue
            if (exclude and mention.actor.country == exclude) or (sector and mention.actor.sector != sector):
                continue
            if (singular and mention.plural) or (skip_places and (mention.place or mention.appos)):
                continue
            if subject and not mention.subject:
                continue
            return mention
        return None

    def _title(self, words: list[str], name_follows: bool = True):
        """The longest agent title before the name: "Deputy Foreign Minister Ivan Petrovsky"."""
        for end in range(len(words) - (1 if name_follows else 0), 0, -1):
            agent = self.dictionary.first_agent(words[:end])[1]
            if agent:
                return agent
        return None

    @staticmethod
    def _from_entry(text: str, entry: ActorEntry) -> Actor:
        return Actor(text, entry.country, entry.sector, entry.name, entry.role, rule=entry.rule)

    @staticmethod
    def _entry_kind(entry: ActorEntry) -> str:
        if entry.kind == "person":
            return "person"
        if entry.kind in ("state", "capital", "seat"):
            return "state"
        if entry.kind == "igo":
            return "igo"
        return "group"

    # -- memory ---------------------------------------------------------------
    def _note(self, actor: Actor, kind: str, token) -> Actor:
        """Remember `actor` (unless a modifier is being looked at); a local actor gets its home first."""
        self._kinds[token.i] = kind
        if self._quiet:
            return actor
        waiting = actor.country is None and self._is_local(actor, kind)
        self.mentions.append(Mention(actor, kind, self.sentence, token.i, place=is_place(token) or kind == "place",
                                     subject=is_subject(token), plural=is_plural(token), prep=token.dep_ == "pobj",
                                     appos=token.dep_ == "appos" and token.pos_ == "NOUN",
                                     person=kind == "agent" and token.tag_ == "NN"
                                     and token.lemma_.lower() in _references()["person_noun"]))
        if waiting:
            self._pending.append((token, len(self.mentions) - 1))
            if not self._reading:  # resolved after the sentence was read: every mention is known now
                self._settle()
            actor = self.mentions[-1].actor
        self._remember_surname(actor, kind)
        return actor

    def _remember_surname(self, actor: Actor, kind: str) -> None:
        if kind == "person" and actor.name and " " in actor.name.strip():
            self.surnames[normalize(actor.name.split()[-1])] = actor
            if actor.text and actor.text[:1].isupper() and " " in actor.text.strip():
                # as the article spells it: "Volodymyr Zelenskyy" for the registry's Zelensky
                self.surnames.setdefault(normalize(actor.text.split()[-1]), actor)

    @staticmethod
    def _is_local(actor: Actor, kind: str) -> bool:
        if kind == "person":  # a person the registry lacks, with a title or a description ("Vice Admiral X")
            return (actor.rule or "").startswith(("unknown-person", "title")) and actor.sector is not None
        return kind in ("agent", "group") and actor.sector in LOCAL_SECTORS

    def _patrons(self, token) -> set[str]:
        backed, _ = backers(token)
        return {self._code_of(name) for name in backed} - {None}

    def _home(self, token, patrons: set[str], index: int) -> str | None:
        """The state a local actor (the mention at `index`) belongs to, once its sentence is read.

        A place named in its sentence, the nearest before it, else the first after it ("rebels ...
        in Ivory Coast", "the militants in their last stronghold of Baghuz"); else a state named
        earlier in its sentence that is no clause's subject (in "Turkey shelled Kurdish militias"
        the subject acts on them, it is not their home); else the state most named as a place in
        the last WINDOW sentences ("fighting in Syria" over "Turkey warned", "Ankara said": the
        story's actors come from elsewhere), then the most mentioned at all, the latest of those
        tied (a person's home ignores places); else any state named later in the
        sentence. Its own modifiers ("US-allied") and patrons are never its home.
        """
        inside = range(token.left_edge.i, token.i + 1)
        mentions, is_state = self.mentions, self.dictionary.is_state
        start = len(mentions)  # mentions come in reading order: this sentence's are the last ones
        while start > 0 and mentions[start - 1].sentence == self.sentence:
            start -= 1
        doc = token.doc
        # "Turkey – which has threatened to dismantle Kurdish groups": whoever acts on them is not their home
        here = [(j, mentions[j]) for j in range(start, len(mentions)) if j != index and mentions[j].i not in inside
                and is_state(mentions[j].actor.country) and mentions[j].actor.country not in patrons
                and not (mentions[j].i < len(doc) and acts_in_clause_of(doc[mentions[j].i], token))]
        before = [m for j, m in here if j < index]
        after = [m for j, m in here if j > index]
        for found in ([m for m in before if m.place][-1:], [m for m in after if m.place][:1],
                      [m for m in before if m.kind == "state" and not m.subject and not self._forces_of(m, token.doc)][-1:]):
            if found:
                return found[0].actor.country
        counts: dict[str, int] = {}
        places: dict[str, int] = {}
        by_place = mentions[index].kind != "person"  # a person's home is where the article's actors are from
        latest: dict[str, int] = {}
        for j in range(index - 1, -1, -1):
            mention = mentions[j]
            if self.sentence - mention.sentence > WINDOW:
                break
            code = mention.actor.country
            if not is_state(code) or code in patrons or mention.sentence == self.sentence and (
                    mention.i in inside or self._forces_of(mention, token.doc)):
                continue
            counts[code] = counts.get(code, 0) + 1
            if mention.place and mention.kind in ("state", "place") and by_place:
                places[code] = places.get(code, 0) + 1
            latest.setdefault(code, j)  # the first seen going back is the latest
        if counts:
            return max(counts, key=lambda c: (places.get(c, 0), counts[c], latest[c]))
        found = [m for m in after if m.kind == "state"] or after
        return found[0].actor.country if found else None

    def _forces_of(self, mention, doc) -> bool:
        """A state named on the armed forces that are its sentence's subject ("Russian jets struck Idlib,
        killing civilians"): forces act abroad, so their state is no home for whom they act on (police,
        courts and governments act at home: "Israeli police detained protesters")."""
        if mention.subject and mention.actor.sector == "MIL":
            return True
        word = doc[mention.i] if mention.i < len(doc) else None
        if word is None or word.dep_ not in ("amod", "compound", "poss") or word.head.dep_ not in ("nsubj", "nsubjpass"):
            return False
        for m in reversed(self.mentions):  # this sentence's mentions are the last ones
            if m.sentence != self.sentence:
                return False
            if m.i == word.head.i:
                return m.actor.sector == "MIL"
        return False

    def _settle(self) -> None:
        """Local actors of this sentence get their home (`_home`) once the sentence is read."""
        for token, index in self._pending:
            mention = self.mentions[index]
            if mention.actor.country:
                continue
            home = self._home(token, self._patrons(token), index)
            if home:
                actor = _replace(mention.actor, country=home, rule=(mention.actor.rule or "") + f"+local:{home}")
                mention.actor = actor
                self._raw[(token.i, None)] = actor
                self._remember_surname(actor, mention.kind)
        self._pending = []
