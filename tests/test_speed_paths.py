"""The shortcuts taken for speed give the answers of the slow paths they replace.

Each test compares a remembered answer or a fast path with the plain computation (for
fold, _forms and span_start: the code as it was before the shortcut; for normalize and
match_noun: their full path with the shortcuts left out).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import random
import unicodedata

import pytest

from tocsin.actors import dictionary as dictionary_module
from tocsin.actors.dictionary import ActorDictionary, _forms
from tocsin.actors.normalize import _TRANSLATE, _normalize_full, fold, normalize
from tocsin.actors.resolver import _replace
from tocsin.actors.syntax import span_start
from tocsin.coding import Lexicon
from tocsin.model import Actor

# -- the code before the shortcuts ---------------------------------------------------------


def fold_before(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLATE))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def normalize_before(phrase: str, keep_case: bool = False) -> str:
    # the full path with no shortcut (its fold is checked against fold_before on the same phrases)
    return _normalize_full(phrase, keep_case)


def forms_before(tokens: list[str]) -> list[str]:
    phrase = " ".join(tokens)
    forms = [phrase]
    last = tokens[-1]
    for plural, singular in (("ies", "y"), ("men", "man"), ("people", "person"), ("ses", "s"), ("xes", "x"),
                             ("ches", "ch"), ("shes", "sh"), ("s", "")):
        if last.endswith(plural) and len(last) > len(plural) + 2 and not last.endswith("ss"):
            forms.append(" ".join(tokens[:-1] + [last[: -len(plural)] + singular]))
            break
    return forms


def span_start_before(token):
    first = token.left_edge
    for tok in token.doc[first.i:token.i]:
        if tok.text in (",", ";", ":", "\u2013", "\u2014"):
            first = token.doc[tok.i + 1]
    while first.i < token.i and first.is_punct:
        first = token.doc[first.i + 1]
    return first if token.i - first.i <= 6 else token


PHRASES = ["Russia", "the Kremlin", "The White House", "US", "U.S.", "the U.S.'s", "Côte d’Ivoire", "Putin's",
           "al-Assad", "THE UN", "the", "The ", " the x", "Theresa May", "Foreign Ministry spokeswoman", "NATO's",
           "ICC prosecutor", "a  b", "x_y/z", "Hizbullah Brigades", "pro-Iran", "R&D", "`quoted`", "Mr. Smith",
           "'s", "'", "", " ", "2021", "G7", "Ukraine ", "Ẓarif", "Ørsted", "İstanbul", "south korea", "US-led",
           "Defence Ministry", "special forces members", "rebel officials", "the Trump administration"]


def random_phrases(n: int = 3000) -> list[str]:
    rng = random.Random(2005)
    alphabet = "abcXYZ019 -_/.'&`’()é, "
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(n)]


def test_normalize_and_fold_fast_paths():
    for phrase in PHRASES + random_phrases():
        assert fold(phrase) == fold_before(phrase), phrase
        for keep_case in (False, True):
            assert normalize(phrase, keep_case) == normalize_before(phrase, keep_case), (phrase, keep_case)


def test_forms():
    for word in ["allies", "spokesmen", "people", "buses", "boxes", "churches", "clashes", "troops", "ss", "class",
                 "men", "ties", "officials", "s", "x", "press"]:
        for tokens in ([word], ["rebel", word]):
            assert _forms(tokens) == forms_before(tokens)


@pytest.fixture(scope="module")
def d() -> ActorDictionary:
    return ActorDictionary.load()


def names(d: ActorDictionary) -> list[str]:
    """Phrases of every kind: keys, their words and pieces, people, agents, unknown ones."""
    keys = sorted(d._keys)[::7] + sorted(d._people)[::5] + sorted(d._agents) + sorted(d._adjectives)[::3]
    pieces = [" ".join(k.split()[i:j]) for k in keys[::4] for i in range(3) for j in range(i + 1, 4)]
    return sorted(set(keys + pieces + PHRASES + ["Johnson", "Trump", "Biden", "Smith", "Xi", "Deputy Foreign Minister",
                                                 "European Council president", "Kurdish-led forces", "US troops"]))


def test_dictionary_answers_are_the_lookups(d):
    days = [None, dt.date(2004, 5, 1), dt.date(2021, 12, 16), dt.date(2022, 3, 1)]
    for on in days:
        d._memo.clear()
        day = on or dt.date.today()
        for phrase in names(d):
            hits = d._exact.get(normalize(phrase, keep_case=True)) or d._keys.get(normalize(phrase))
            expected = d._resolve(hits[0][1], day) if hits else None
            for _ in range(2):  # computed, then remembered
                assert d.lookup(phrase, on) == expected, (phrase, on)
            key = normalize(phrase)
            identity = d._people.get(key)
            owners = d._surnames.get(key, set())
            if identity is None and len(owners) == 1:
                identity = next(iter(owners))
            expected = d._resolve(identity, day) if identity else None
            assert d.person(phrase, on) == expected == d.person(phrase, on), (phrase, on)
            serving = [o for o in owners if any(row.covers(day) for row in d._rows[o])]
            expected = d._resolve(serving[0], day) if len(owners) >= 2 and len(serving) == 1 else None
            assert d.person_in_office(phrase, on) == expected == d.person_in_office(phrase, on), (phrase, on)
            words = phrase.split()
            for start in range(len(words)):
                expected = next(((end, d.lookup(" ".join(words[start:end]), on))
                                 for end in range(min(len(words), start + 8), start, -1)
                                 if d.lookup(" ".join(words[start:end]), on) is not None), None)
                assert d.longest_match(words, start, on) == expected == d.longest_match(words, start, on)
    for phrase in names(d):
        assert d.adjective_country(phrase) == d._adjectives.get(normalize(phrase)) == d.adjective_country(phrase)


def test_agents_are_the_longest_phrase_that_matches(d):
    for phrase in names(d) + random_phrases(500):
        tokens = [d._agent_words.get(w, w) for w in normalize(phrase).split()]
        expected = next((found for i in range(len(tokens)) for found in [d._agent_of(tokens[i:])] if found), None)
        assert d._agent_uncached(phrase) == expected, phrase
        assert d.agent(phrase) == expected == d.agent(phrase), phrase
        if tokens:
            word = tokens[-1]
            expected = next((d._suffixes[f] for f in forms_before([word]) if f in d._suffixes), None)
            assert d.suffix(word) == expected == d.suffix(word)


def test_adding_an_entry_forgets_the_answers(tmp_path):
    extra = tmp_path / "actors.yaml"
    extra.write_text("people: []\n", encoding="utf-8")
    d = ActorDictionary.load(extra)
    assert d.lookup("Zork Liberation Front") is None and d.agent("chief zorker") is None
    assert d.adjective_country("Zorkish") is None and d.person("Ada Zork") is None
    dictionary_module._add_body(d, "organisations", {"name": "Zork Liberation Front", "country": "ZRK", "sector": "REB",
                                                     "adjectives": "Zorkish"}, "test")
    dictionary_module._add_person(d, {"name": "Ada Zork", "country": "ZRK", "sector": "GOV"}, "test")
    d.add_agent("chief zorker", "MIL", "chief zorker")
    assert d.lookup("Zork Liberation Front").country == "ZRK" and d.adjective_country("Zorkish") == "ZRK"
    assert d.person("Ada Zork").country == "ZRK" and d.person("Zork").country == "ZRK"
    assert d._agent_uncached("chief zorker") == ("MIL", "chief zorker")


def test_today_is_the_clock_day():
    assert dictionary_module._today() == dt.date.today()
    start, end = dictionary_module._DAY[1:]
    assert start <= dt.datetime.now().timestamp() < end and end - start in (82800.0, 86400.0, 90000.0)


def test_lexicon_answers_are_the_matches():
    lex = Lexicon.load()
    rng = random.Random(7)
    lemmas = sorted({e.lemma for e in lex})
    words = sorted({w for e in lex for w in (e.particle, e.prep, e.obj) if w}) + ["", "x"]
    for _ in range(4000):
        lemma = rng.choice(lemmas + ["unknown", " Say ", "BUILD-UP"])
        pos = rng.choice("VNA")
        particles = [rng.choice(words) for _ in range(rng.randint(0, 2))]
        objects = [rng.choice(words) for _ in range(rng.randint(0, 3))]
        preps = [(rng.choice(words), rng.choice(words + [None])) for _ in range(rng.randint(0, 3))]
        expected = lex._match(lemma, pos, particles, objects, preps)
        assert lex.match(lemma, pos, particles, objects, preps) is expected
        assert lex.match(lemma, pos, iter(particles), objects, preps) is expected  # once-only iterables too
        assert lex.match(lemma, pos, particles, objects, preps) is expected
        best = lex._best(lemma, pos, particles, objects, preps)  # silenced shares match's remembered rows
        assert lex.silenced(lemma, pos, particles, objects, preps) == (best is not None and best.cameo == "-")
        assert lex.knows(lemma, pos) == bool(lex._index.get((lemma.strip().lower(), pos)))
    # arguments that cannot be a key are answered without remembering
    assert lex.match("talk", "V", [], [], [["with", "x"]]) is lex._match("talk", "V", [], [], [("with", "x")])
    for names in (["build-up"], ["buildup"], ["air strike", "strike"], ["zzz", "talk"], ["zzz-talk"], []):
        expected = any(lex.knows(n, "N") or "-" in n and (lex.knows(n.replace("-", ""), "N")
                                                          or lex.knows(n.replace("-", " "), "N")) for n in names)
        assert lex.knows_any(names, "N") == expected, names


def test_span_start(nlp):
    from tocsin.tokens import DocView

    texts = ["Russia's Shoigu, U.N's Guterres and the Kremlin's press secretary, Dmitry Peskov, met in Geneva.",
             "The U.S.-backed, Kurdish-led Syrian Democratic Forces -- (SDF) -- said: \"no\"; a senior EU official "
             "denied it \u2013 the very long list of the twenty-seven member states' foreign ministers agreed."]
    for doc in nlp.pipe(texts):
        view = DocView(doc)
        for token in doc:
            assert span_start(token).i == span_start_before(token).i
            assert span_start(view[token.i]) is view[span_start_before(token).i]


def test_actor_replace():
    actor = Actor("Putin", "RUS", "GOV", "Vladimir Putin", "President", "people.tsv:Vladimir Putin", 3, 8)
    for changes in ({}, {"text": "he"}, {"country": None, "rule": "x"}, {"start": 0, "end": 2, "sector": "MIL"},
                    {"name": None, "role": "envoy"}):
        assert _replace(actor, **changes) == dataclasses.replace(actor, **changes)
        assert _replace(actor, **changes) is not actor


def test_first_agent_is_the_first_phrase_that_is_an_agent(d):
    """ActorDictionary.first_agent against looking every ending up."""
    rng = random.Random(11)
    vocabulary = sorted({w for k in d._agents for w in k.split()})[::3] + [
        "the", "The", "U.S.", "al-Assad", "short", "film", "category", "Deputy", "Foreign", "Minister", "Kurdish-led",
        "forces", "members", "'s", "Mr.", "special", "rebel", "official", "spokeswoman", "Ministry"]
    for _ in range(3000):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(1, 5))]
        expected = (len(words) - 1, None)
        for start in range(len(words)):
            found = d._agent_uncached(" ".join(words[start:]))
            if found:
                expected = (start, found)
                break
        assert d.first_agent(words) == expected, words


def test_match_noun_shortcuts(nlp, shared):
    """extract.predicates.match_noun against its code before the lexicon shortcuts, on every noun of
    a few BBC articles and of words made up to end like lexicon entries."""
    import json

    from tocsin.extract import predicates as P

    lexicon = Lexicon.load()

    def before(token):  # every name tried, with the lexicon's unremembered match and no skipping
        return P.match_names(lexicon._match, P.noun_names(token), *P._pieces(token), silenced=lexicon.silenced)

    with open(shared("corpora", "bbc", "bbc_2225.jsonl"), encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for _, line in zip(range(12), f)]
    texts.append("The military build-up and the air strikes, a cease-fire and the ceasefire talks; "
                 "the sanctions re-imposed, the peace-talks and a Buildup of TROOPS.")
    found = 0
    for doc in nlp.pipe(texts):
        for token in doc:
            if token.pos_ in ("NOUN", "PROPN", "VERB", "ADJ"):
                expected = before(token)
                assert P.match_noun(lexicon, token) is expected, token.text
                found += expected is not None
    assert found > 20
    endings = {lemma[i:] for lemma, pos in lexicon._index if pos == "N" for i in range(len(lemma))}
    for word in ["talks", "strike", "up", "fire", "zzzq", "Talks", "build-up", "a b", "", "x"]:
        assert lexicon.may_end([word], "N") == (word in endings or not word or word != word.lower()
                                                or "-" in word or " " in word), word
