"""Resolving actor mentions in one article: names, titles, possessives, descriptions, pronouns.

The shipped dictionaries (`actors/dictionary.py`, `actors/data/*.tsv`) say who
a name is; this module follows actors through the article with rules over the
dependency parse:

- a proper-name chain ("Dmitry Peskov", "the White House") is looked up whole,
  then word by word from the left (longest match);
- a common noun head is an agent ("spokesman" -> GOV) whose country comes from
  an adjective ("Russian"), a compound ("Kremlin official"), a possessor
  ("Putin's aide", "Ukraine's intelligence service") or an "of" phrase;
- an appositive or compound name gives the person ("Putin's aide Yuri Ushakov");
- a later surname ("Peskov") returns the person first named in full;
- a definite description ("the country", "the bloc") is the most recent actor of
  that kind, and a pronoun the most recent compatible actor.

Unknown names are kept as actors with whatever could be inferred.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from ..model import Actor
from ..where import gazetteer
from .dictionary import ActorDictionary, ActorEntry

NAME_DEPS = {"compound", "flat", "nmod", "amod"}
PERSON_SECTORS = None  # any sector may be a person's


@cache
def _references() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {"pronoun": {}, "descriptor": {}, "relational": {}}
    text = resources.files("tocsin.actors").joinpath("data/references.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, word, meaning = line.split("\t")[:3]
        table[kind][word] = meaning
    return table


@dataclass
class Mention:
    actor: Actor
    kind: str  # person | agent (a body or people by function) | state | igo | group | place
    sentence: int


class ArticleActors:
    """Actor memory for one article, in reading order."""

    def __init__(self, dictionary: ActorDictionary | None = None, on: dt.date | None = None):
        self.dictionary = dictionary or ActorDictionary.load()
        self.on = on
        self.mentions: list[Mention] = []
        self.surnames: dict[str, Actor] = {}
        self.sentence = 0
        self.speaker: Actor | None = None
        self._cache: dict[int, Actor | None] = {}

    # -- public -------------------------------------------------------------
    def start_sentence(self, index: int) -> None:
        self.sentence = index
        self._cache = {}

    def resolve(self, token, offset: int = 0, exclude: str | None = None) -> Actor | None:
        """The actor a noun-phrase head `token` refers to, or None if it is no actor.

        `offset` maps token character offsets to article offsets; `exclude` is a
        country a description must not resolve to (the clause's own source).
        """
        key = (token.i, exclude)
        if key in self._cache:
            return self._cache[key]
        actor = self._resolve(token, exclude)
        if actor is not None:
            actor = replace(actor, start=offset + self._span_start(token), end=offset + token.idx + len(token.text))
        self._cache[key] = actor
        return actor

    def read_sentence(self, sent, offset: int = 0, speech=lambda lemma: False) -> list[Actor]:
        """Resolve every noun-phrase head of `sent` in reading order (this fills the memory).

        `speech(lemma)` says whether a verb is a verb of saying: its subject becomes
        the speaker that "we" and "our" refer to.
        """
        found = []
        for token in sent:
            if token.pos_ in ("PROPN", "NOUN", "PRON") and token.dep_ not in ("compound", "flat"):
                actor = self.resolve(token, offset)
                if actor is None or (actor.rule or "").startswith("modifier"):
                    continue
                found.append(actor)
                if token.dep_ == "nsubj" and speech(token.head.lemma_.lower()):
                    self.speaker = actor
        return found

    # -- rules --------------------------------------------------------------
    def _resolve(self, token, exclude: str | None) -> Actor | None:
        refs = _references()
        lower = token.lower_
        if token.pos_ == "PRON":
            if lower == "it" and token.head.lemma_ == "be" and any(c.dep_ == "attr" for c in token.head.children):
                return None  # "it was the bloc ...": expletive
            return self._pronoun(token, refs["pronoun"].get(lower), exclude)
        if token.pos_ not in ("PROPN", "NOUN", "NUM", "ADJ", "X"):
            return None
        if token.pos_ == "ADJ" or token.ent_type_ == "NORP":
            country = self.dictionary.adjective_country(token.text)
            if country:
                return self._note(Actor(token.text, country, None, rule="adjective"), "state")
        name = self._name_chain(token)
        if token.pos_ == "PROPN" or token.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
            actor = self._proper(token, name)
            if actor:
                return self._with_appositive(token, actor)
        if token.pos_ == "ADJ":
            return None
        return self._common(token, exclude)

    def _proper(self, token, name: list) -> Actor | None:
        words = [t.text for t in name]
        text = " ".join(words)
        for start in range(len(words)):
            entry = self.dictionary.person(" ".join(words[start:]), self.on)
            if entry:
                return self._note(self._from_entry(text, entry), "person")
        entry = self.dictionary.lookup(text, self.on)
        if entry:
            return self._note(self._from_entry(text, entry), self._entry_kind(entry))
        surname = self.surnames.get(token.lower_)
        if surname and token.ent_type_ in ("PERSON", "ORG", ""):
            return self._note(replace(surname, text=text, rule=f"surname:{surname.name}"), "person")
        # a title inside the chain: "Deputy Foreign Minister Sergey Ryabkov"
        for start in range(len(words)):
            found = self.dictionary.longest_match(words, start, self.on)
            if found:
                end, entry = found
                if entry.kind in ("state", "capital", "seat", "igo", "ngo", "collective", "group"):
                    agent = self.dictionary.agent(" ".join(words[end:])) if end < len(words) else None
                    sector = agent[0] if agent else (entry.sector if end == len(words) else None)
                    return self._note(Actor(text, entry.country, sector, entry.name, agent[1] if agent else entry.role,
                                            rule=f"{entry.rule}+title" if agent else entry.rule), "person" if agent else self._entry_kind(entry))
        agent = self._title(words)
        if agent or token.ent_type_ == "PERSON":
            actor = Actor(text, None, agent[0] if agent else None, text if token.ent_type_ == "PERSON" else None,
                          agent[1] if agent else None, rule="title" if agent else "unknown-person")
            for word in [token] + [t for t in name if t is not token]:
                actor = self._country_from_modifiers(word, actor)
            return self._note(actor, "person")
        agent = self.dictionary.agent(text)
        if agent:  # "Russia's Defence Ministry"; without a country, the common-noun rules decide ("the bloc")
            actor = self._country_from_modifiers(token, Actor(text, None, agent[0], None, agent[1], rule=f"agent:{text}"))
            return self._note(actor, "agent") if actor.country else None
        if token.ent_type_ in ("GPE", "LOC", "FAC"):
            place = gazetteer().lookup(text)
            if place and place.country:  # "hit Idlib": a place acted upon stands for its country
                return self._note(Actor(text, place.country, None, place.name, rule=f"place:{place.name}"), "place")
        if token.ent_type_ in ("ORG", "NORP", "GPE") or (token.pos_ == "PROPN" and not token.ent_type_ and token.is_upper):
            # an unknown organisation ("ICE", "Action Against Hunger") is kept, with what can be inferred
            return self._note(Actor(text, None, None, text, rule=f"unknown-{(token.ent_type_ or 'name').lower()}"), "group")
        return None

    def _common(self, token, exclude: str | None) -> Actor | None:
        refs = _references()
        words = [t.text for t in self._modifier_chain(token)] + [token.text]
        agent = None
        for start in range(len(words)):
            agent = self.dictionary.agent(" ".join(words[start:]))
            if agent:
                break
        if agent is None:
            agent = self.dictionary.agent(token.lemma_)
        descriptor = refs["descriptor"].get(token.lemma_.lower())
        actor = Actor(" ".join(words), None, agent[0] if agent else None, None, agent[1] if agent else None,
                      rule=f"agent:{' '.join(words[start:])}" if agent else None)
        actor = self._country_from_modifiers(token, actor, relational=token.lemma_.lower() in refs["relational"])
        if actor.country and agent:
            earlier = self._same_role(token, actor)
            if earlier is not None:
                # "the Russian leader" after "Russian President Vladimir Putin": the same person
                return replace(earlier, text=actor.text, rule=f"description:{actor.text}->{earlier.name}")
            return self._note(actor, "agent")
        if actor.country and descriptor is None:
            # "the Russian build-up", "Washington's concerns": a thing of that country, not an actor to remember
            return replace(actor, rule="modifier" + (actor.rule or ""))
        if token.lemma_.lower() in refs["relational"] and exclude is None:
            owner = next((self._resolve(c, None) for c in token.children if c.dep_ == "poss"), None)
            exclude = owner.country if owner and owner.country else exclude  # "its neighbour" is not "it"
        if descriptor and self._is_definite(token) and not any(
                c.dep_ == "prep" and c.lower_ == "of" for c in token.children):  # "the state of security" is no actor
            earlier = self._recent(descriptor, exclude)
            if earlier:
                return replace(earlier.actor, text=" ".join(words), rule=f"description:the {token.lemma_}->{earlier.actor.text}")
        if agent:
            if self._is_definite(token):
                kinds = ("agent",) if token.tag_ == "NNS" else ("person", "agent")
                earlier = self._recent(kinds, exclude, sector=agent[0])
                if earlier and earlier.actor.country:
                    return replace(earlier.actor, text=" ".join(words), rule=f"description:{words[-1]}->{earlier.actor.text}")
            return self._note(actor, "agent")
        return None

    def _country_from_modifiers(self, token, actor: Actor, relational: bool = False) -> Actor:
        if actor.country:
            return actor
        for child in token.children:
            if child.dep_ in ("amod", "compound", "nmod") and child.i < token.i:
                country = self.dictionary.adjective_country(child.text)
                entry = None if country else self.dictionary.lookup(child.text, self.on)
                if country or (entry and entry.country):
                    # "Kremlin official" -> GOV from the seat; "Tory MPs" keep the agent's own sector
                    sector = actor.sector or (entry.sector if entry and entry.kind in ("seat", "igo") else None)
                    return replace(actor, country=country or entry.country, sector=sector,
                                   rule=(actor.rule or "") + f"+{child.dep_}:{child.text}")
            if child.dep_ in ("poss",) and not relational:
                owner = self._resolve(child, None)
                if owner and owner.country:
                    return replace(actor, country=owner.country, rule=(actor.rule or "") + f"+poss:{owner.text}")
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "from", "for", "to") and not relational:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        owner = self._resolve(pobj, None)
                        if owner and owner.country:
                            return replace(actor, country=owner.country, rule=(actor.rule or "") + f"+{child.lower_}:{owner.text}")
        return actor

    def _with_appositive(self, token, actor: Actor) -> Actor:
        """ "Sullivan, the national security advisor" adds the role; "aide Yuri Ushakov" the name."""
        for child in token.children:
            if child.dep_ == "appos" and child.pos_ == "NOUN" and not actor.role:
                agent = self.dictionary.agent(child.lemma_)
                if agent:
                    return replace(actor, role=agent[1] or child.text, sector=actor.sector or agent[0])
        return actor

    def _pronoun(self, token, wants: str | None, exclude: str | None) -> Actor | None:
        if wants is None:
            return None
        if wants == "speaker":
            return replace(self.speaker, text=token.text, rule=f"pronoun:{token.lower_}->speaker") if self.speaker else None
        if wants == "person":
            found = self._recent("person", None)
        else:  # it / they: a state, an organisation, a group or a body of agents ("the army said it")
            found = self._recent(("state", "igo", "group", "agent"), None)
        if found:
            return replace(found.actor, text=token.text, rule=f"pronoun:{token.lower_}->{found.actor.text}")
        return None

    def _same_role(self, token, actor: Actor) -> Actor | None:
        """An earlier named person a definite description re-describes, when their roles agree."""
        if not self._is_definite(token) or token.tag_ == "NNS" or any(c.dep_ == "poss" for c in token.children):
            return None
        if any(c.dep_ == "prep" and c.lower_ in ("to", "of", "for") for c in token.children):
            return None  # "the adviser to the President" is not the President
        words = set((actor.role or token.lemma_).lower().split()) - {"official", "senior", "top", "the"}
        leads = {"leader": {"president", "prime", "chancellor", "king", "supreme", "premier", "leader"}}
        wanted = words | leads.get(token.lemma_.lower(), set())
        for mention in reversed(self.mentions):
            if self.sentence - mention.sentence > 4:
                break
            known = mention.actor
            if mention.kind == "person" and known.name and known.country == actor.country and known.role:
                if wanted & set(known.role.lower().split()):
                    return known
        return None

    # -- helpers --------------------------------------------------------------
    def _recent(self, kinds, exclude: str | None, sector: str | None = None) -> Mention | None:
        """The latest mention (within 4 sentences) of one of `kinds`, with a country."""
        kinds = (kinds,) if isinstance(kinds, str) else kinds
        for mention in reversed(self.mentions):
            if self.sentence - mention.sentence > 4:
                break
            if mention.kind not in kinds or not mention.actor.country:
                continue
            if exclude and mention.actor.country == exclude:
                continue
            if sector and mention.actor.sector != sector:
                continue
            return mention
        return None

    def _name_chain(self, token) -> list:
        """The proper-name words ending at `token` (compounds and flat names to its left)."""
        words = [token]
        for child in reversed(list(token.lefts)):
            if child.dep_ in ("compound", "flat") and child.i == words[0].i - 1 and child.pos_ in ("PROPN", "NOUN", "ADJ"):
                words.insert(0, child)
            elif child.dep_ == "punct" and child.text in "-‐" and child.i == words[0].i - 1:
                words.insert(0, child)
        while words and words[0].pos_ not in ("PROPN",) and words[0].dep_ != "compound":
            words.pop(0)
        return words or [token]

    def _modifier_chain(self, token) -> list:
        return [c for c in token.lefts if c.dep_ in ("compound", "amod", "nmod") and c.pos_ in ("NOUN", "PROPN", "ADJ")]

    def _title(self, words: list[str]):
        """The longest agent title before the name: "Deputy Foreign Minister Ivan Petrovsky"."""
        for end in range(len(words) - 1, 0, -1):
            for start in range(end):
                agent = self.dictionary.agent(" ".join(words[start:end]))
                if agent:
                    return agent
        return None

    @staticmethod
    def _span_start(token) -> int:
        return token.left_edge.idx if token.left_edge.i >= token.i - 6 else token.idx

    @staticmethod
    def _is_definite(token) -> bool:
        return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children) or any(
            c.dep_ == "poss" for c in token.children
        )

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

    def _note(self, actor: Actor, kind: str) -> Actor:
        self.mentions.append(Mention(actor, kind, self.sentence))
        if kind == "person" and actor.name and " " in actor.name.strip():
            self.surnames[actor.name.split()[-1].lower()] = actor
        return actor
