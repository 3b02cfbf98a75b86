"""Finding event predicates in a parsed sentence and matching them to the lexicon.

A predicate is a verb ("rejected"), an eventive noun carried by a light or
speech verb ("hold consultations", "reiterated concerns") or standing with its
own actors ("Biden's concerns", "the Russian build-up"), or an adjective
("unacceptable"; "ready to ..." governs the event it introduces).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..coding import LexEntry, Lexicon
from .arguments import copula_of, described, prep_objects
from .cues import cues, is_speech

ARG_PREPS = {"with", "to", "against", "on", "at", "toward", "towards", "into", "over", "between",
             "about", "from", "for", "in", "of", "by", "upon", "onto", "across", "among", "amongst", "alongside"}
JUDGING_ROOTS = {"11", "12", "13", "14", "16", "17"}  # judging, threatening or punishing: aimed at whoever acted
CLAUSAL = {"ccomp", "xcomp", "advcl", "acl", "relcl", "pcomp", "conj", "parataxis", "csubj"}


@dataclass
class Predicate:
    """An event word with the lexicon entry that coded it."""

    token: object  # spacy Token: the event word (noun for "hold talks")
    entry: LexEntry
    pos: str  # V | N | A
    carrier: object | None = None  # the light/speech verb that carries a noun event
    words: list = field(default_factory=list)  # tokens that make up the predicate phrase

    @property
    def text(self) -> str:
        return " ".join(t.text for t in sorted(self.words, key=lambda t: t.i))


ADVERB_PARTICLES = {"back", "out", "off", "down", "away"}


def _pieces(token):
    """particles, object lemmas and (prep, object lemma) pairs attached to `token`."""
    particles, objects, preps = [], [], []
    for child in token.children:
        dep = child.dep_
        if dep == "prt" or (dep == "advmod" and child.i == token.i + 1 and child.lower_ in ADVERB_PARTICLES) or (
                dep == "prep" and child.lower_ == "out" and any(g.lower_ == "of" for g in child.children)):
            particles.append(child.lower_)  # "hit back at", "forced them out of the town": a particle the parser misnamed
        elif dep in ("dobj", "obj", "attr", "oprd") or (dep == "nsubjpass" and token.pos_ == "VERB"):
            objects.append(_noun_lemma(child))
            objects.append(child.lemma_.lower())
            objects.extend(_of_objects(child))
        elif dep in ("advcl", "ccomp", "xcomp") and any(m.dep_ == "mark" and m.lower_ == "for" for m in child.children):
            # "called for the embargo to be lifted": the parser makes "for" a clause marker
            subjects = [c for c in child.children if c.dep_ in ("nsubj", "nsubjpass")]
            preps.append(("for", subjects[0].lemma_.lower() if subjects else ""))
        elif dep in ("prep", "agent", "dative") and child.lower_ in ARG_PREPS | {"by", "as"} and not _when(child):
            for pobj in child.children:
                if pobj.dep_ in ("pobj", "pcomp"):
                    preps.append((child.lower_, _noun_lemma(pobj)))
                    preps.append((child.lower_, pobj.lemma_.lower()))
            if not any(p[0] == child.lower_ for p in preps):
                preps.append((child.lower_, ""))
    return particles, objects, preps


# heads of a partitive or counted object: "expelled some of the peacekeepers", "dozens of troops"
PARTITIVES = {"some", "many", "all", "most", "several", "few", "dozen", "dozens", "hundred", "hundreds", "thousand", "team",
              "thousands", "number", "part", "majority", "rest", "none", "each", "group", "contingent", "batch"}


def _of_objects(noun) -> list[str]:
    """What an object with an "of" phrase also names: the counted noun of a partitive ("some of the
    peacekeepers": peacekeeper), else the whole phrase ("a state of siege", "martial law" stays as is)."""
    counted = prep_objects([noun], ("of",))
    if not counted:
        return []
    of = counted[0]
    lemma = noun.lemma_.lower()
    if lemma in PARTITIVES or noun.like_num:
        return [_noun_lemma(of), of.lemma_.lower()]
    return [f"{lemma} of {of.lemma_.lower()}"]


def _when(prep) -> bool:
    """ "on Tuesday", "at dawn", "over the weekend": a time, not an argument ("called Biden on Tuesday")."""
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    return bool(objs) and all(o.ent_type_ in ("DATE", "TIME") for o in objs)


def _noun_lemma(token) -> str:
    """Two-word lemma when a compound or adjective makes the noun ("air strike", "red line")."""
    for child in token.children:
        if child.dep_ in ("compound", "amod") and child.i == token.i - 1:
            return f"{child.lemma_.lower()} {token.lemma_.lower()}"
        if child.dep_ == "punct" and child.text == "-" and child.i == token.i - 1:
            left = token.doc[child.i - 1]
            if left.head == token or left.head == child:
                return f"{left.lemma_.lower()}-{token.lemma_.lower()}"
    return token.lemma_.lower()


def _hyphen_noun(token) -> str | None:
    """spaCy splits "build-up" into build / - / up(NOUN head)."""
    if token.i >= 2 and token.doc[token.i - 1].text == "-":
        left = token.doc[token.i - 2]
        return f"{left.lemma_.lower()}-{token.lower_}"
    return None


def match_noun(lexicon: Lexicon, token) -> LexEntry | None:
    if not lexicon.may_end((token.lemma_.lower(), token.lower_), "N"):
        return None  # every name below ends with one of these: no noun entry does
    names = noun_names(token)
    if not lexicon.knows_any(names, "N"):
        return None  # no entry for any of its names (the common case)
    return match_names(lexicon.match, names, *_pieces(token), silenced=lexicon.silenced)


def noun_names(token) -> list[str]:
    """The names a noun may have in the lexicon, most specific first ("build-up", "air strike", "strike");
    "joint" anywhere before it first ("joint military exercises": a joint exercise, with partners)."""
    names = [_hyphen_noun(token), _noun_lemma(token), token.lemma_.lower(), token.lower_]
    if any(c.dep_ == "amod" and c.lower_ == "joint" and c.i < token.i for c in token.children):
        names = [f"joint {_noun_lemma(token)}", f"joint {token.lemma_.lower()}", *names]
    return [n for n in names if n]


def match_names(match, names, particles, objects, preps, silenced=None) -> LexEntry | None:
    """The first noun entry `match` finds for one of `names` (hyphens also tried joined and spaced);
    none when a more specific name is `silenced` ("press conference" is no "conference")."""
    for name in dict.fromkeys(names):
        entry = match(name, "N", particles, objects, preps)
        if entry:
            return entry
        if silenced is not None and silenced(name, "N", particles, objects, preps):
            return None
        if "-" in name:
            entry = match(name.replace("-", ""), "N", particles, objects, preps) or match(
                name.replace("-", " "), "N", particles, objects, preps)
            if entry:
                return entry
    return None


MOVEMENT = "mechanism: forces moving (extract/data/cues.tsv movement)"


def find_predicates(sent, lexicon: Lexicon) -> list[Predicate]:
    """Every event predicate in the sentence, in token order, each word used once."""
    found: list[Predicate] = []
    used: set[int] = set()
    for token in sent:
        if token.i in used:
            continue
        if felt_passive(token):
            pred = _adjective_predicate(token, lexicon)
        elif token.pos_ == "VERB" or misparsed_verb(token):
            pred = _verb_predicate(token, lexicon, used)
        elif token.pos_ in ("NOUN", "PROPN") and token.dep_ not in ("compound",):
            pred = _noun_predicate(token, lexicon)
        elif token.pos_ == "ADJ" and token.dep_ in ("acomp", "ROOT", "conj", "oprd", "amod", "xcomp"):
            pred = _adjective_predicate(token, lexicon)
        else:
            pred = None
        if pred is not None:
            used.update(t.i for t in pred.words)
            found.append(pred)
    return found


def felt_passive(token) -> bool:
    """ "The US is frustrated Russia has not ...": a passive participle of feeling, with no "by"
    phrase, is the adjective (cues.tsv experiencer), not a verb with no agent."""
    return token.pos_ == "VERB" and token.tag_ == "VBN" and token.lower_ in cues()["experiencer"] and any(
        c.dep_ in ("nsubjpass", "auxpass") for c in token.children) and not any(c.dep_ == "agent" for c in token.children)


def misparsed_verb(token) -> bool:
    """A "noun" with a subject of its own is a verb the tagger missed ("the government rejects and condemns")."""
    return token.pos_ == "NOUN" and token.tag_ in ("NNS", "NN") and any(c.dep_ == "nsubj" for c in token.children)


def _verb_predicate(token, lexicon: Lexicon, used: set[int]) -> Predicate | None:
    particles, objects, preps = _pieces(token)
    lemma = token.lemma_.lower()
    entry = lexicon.match(lemma, "V", particles, objects, preps)
    if lemma in cues()["naming"] and not (entry and entry.obj) and any(
            c.dep_ in ("oprd", "xcomp", "ccomp") and c.pos_ in ("ADJ", "NOUN", "PROPN") for c in token.children):
        return None  # "called the decision illegal", "a country we call an ally": naming, no phone call
    if entry is None or not (entry.obj or entry.prep or entry.particle):
        # "declined to comment" (decline + comment = 011): a curated row's object may be the verb of
        # a to-infinitive (the generated rows' objects are nouns: "plan attack" is no "plan to attack")
        verbs = [c.lemma_.lower() for c in token.children if c.dep_ == "xcomp" and c.pos_ == "VERB"
                 and any(m.dep_ == "aux" and m.tag_ == "TO" for m in c.children)]
        curated = lexicon.match(lemma, "V", particles, objects + verbs, preps) if verbs else None
        if curated is not None and curated.obj in verbs and curated.origin.startswith("lexicon_curated"):
            entry = curated
        elif verbs and lexicon.silenced(lemma, "V", particles, objects + verbs, preps):
            return None  # "refused to be named": a curated "-" row for the verb and its infinitive
    specific = entry is not None and bool(entry.obj or entry.prep or entry.particle)
    if lemma in cues()["copula"] and any(copula_of(t) is token and match_noun(lexicon, t)
                                         for c in token.children for t in (c, *c.children)):
        return None  # "constituted a threat", "amounts to an invasion": the noun is the predicate
    if not specific and lemma in cues()["elicit"]:
        # "the decision drew condemnation", "provoked outrage": the judgement is the event, aimed at the subject
        for child in token.children:
            if child.dep_ in ("dobj", "obj"):
                noun = match_noun(lexicon, child)
                if noun and noun.cameo[:2] in JUDGING_ROOTS:
                    used.add(child.i)
                    return Predicate(child, noun, "N", carrier=token, words=[token, child])
    carries = is_speech(lemma) or not specific and (
        lexicon.is_light_verb(lemma) or entry is None or entry.cameo.startswith("01"))
    if carries:
        # a light or speech verb hands over to its eventive object: "hold talks", "reiterated concerns"
        objects = [c for c in token.children if c.dep_ in ("dobj", "obj", "nsubjpass")]
        # "gave Sullivan, the adviser, clarification": the parser may hang the event noun on the object
        objects += [g for c in objects for g in c.children if g.dep_ == "appos" and g.pos_ == "NOUN"]
        direct = [c for c in objects if c.dep_ in ("dobj", "obj")]
        # "began a new round of joint exercises": the counted noun of a partitive object;
        # "announced $33 million in additional assistance": a sum is what it is paid in
        objects += prep_objects([c for c in direct if c.lemma_.lower() in PARTITIVES | {"round", "series", "wave"}], ("of",))
        objects += prep_objects([c for c in direct if c.ent_type_ == "MONEY"], ("in",))
        for child in objects:
            noun = match_noun(lexicon, child)
            if noun:
                used.add(child.i)
                return Predicate(child, noun, "N", carrier=token, words=[token, child])
    if entry is not None and not specific and lemma in cues()["intent_only"] and any(
            c.dep_ == "xcomp" and c.pos_ == "VERB" for c in token.children):
        return None  # "wants to meet": the meeting is the (intended) event; "wants X to be capped" is a demand
    if entry is None and lemma in cues()["movement"]:
        # "ordered US forces to leave": a withdrawal when forces leave (the coder checks the subject)
        entry = LexEntry(lemma, "V", None, None, None, cues()["movement"][lemma], MOVEMENT)
    if entry is None:
        return None
    words = [token] + [c for c in token.children if c.dep_ == "prt"]
    if entry.obj:  # "declined to comment" (decline + comment = 011): the verb object is part of the predicate
        words += [c for c in token.children if c.dep_ == "xcomp" and c.lemma_.lower() == entry.obj]
    return Predicate(token, entry, "V", words=words)


def verb_predicate(token, lexicon: Lexicon) -> Predicate | None:
    """The predicate a verb token makes on its own (its lexicon row, or the eventive noun it carries)."""
    return _verb_predicate(token, lexicon, set()) if token.pos_ in ("VERB", "AUX") else None


def _noun_predicate(token, lexicon: Lexicon) -> Predicate | None:
    head = token.head
    # objects of carriers are handled from the verb; here: free-standing nominal events
    if token.dep_ in ("dobj", "obj") and head.pos_ == "VERB" and copula_of(token) is None:
        return None
    entry = match_noun(lexicon, token)
    if entry is None:
        return None
    has_actor_slot = any(
        c.dep_ in ("poss", "amod", "compound", "nmod") or (c.dep_ == "prep" and c.lower_ in ARG_PREPS)
        for c in token.children
    )
    if not has_actor_slot and token.dep_ not in ("nsubj", "nsubjpass") and described(token) is None \
            and copula_of(token) is None:
        return None
    return Predicate(token, entry, "N", words=[token])


def _adjective_predicate(token, lexicon: Lexicon) -> Predicate | None:
    name = token.lower_ if token.pos_ == "VERB" else token.lemma_.lower()  # "frustrated" tagged a participle
    entry = lexicon.match(name, "A", (), (), _pieces(token)[2])
    if entry is None:
        return None
    return Predicate(token, entry, "A", words=[token])


def governs_event(token) -> bool:
    """True for intent words whose event is the clause they introduce ("ready to fly")."""
    return token.lemma_.lower() in cues()["governor"]
