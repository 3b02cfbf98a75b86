"""Modality rules on hand-built parses (no model) and a few real ones."""
import pytest

from tocsin.extract.modality import modality_of


def test_could_invade_is_possible(build):
    # Moscow could soon invade its neighbor
    doc = build(["Moscow", "could", "soon", "invade", "its", "neighbor"],
                [3, 3, 3, 3, 5, 3], ["nsubj", "aux", "advmod", "ROOT", "poss", "dobj"],
                ["PROPN", "AUX", "ADV", "VERB", "PRON", "NOUN"])
    m = modality_of(doc[3])
    assert m.value == "possible"


def test_a_bare_verb_in_coordination_shares_the_auxiliaries_of_its_first_verb(build):
    # Moscow could invade Ukraine and bomb Kyiv ; Moscow invaded Ukraine and bombed Kyiv
    words = ["Moscow", "could", "invade", "Ukraine", "and", "bomb", "Kyiv"]
    heads, deps = [2, 2, 2, 2, 2, 2, 5], ["nsubj", "aux", "ROOT", "dobj", "cc", "conj", "dobj"]
    pos = ["PROPN", "AUX", "VERB", "PROPN", "CCONJ", "VERB", "PROPN"]
    doc = build(words, heads, deps, pos, tags=["NNP", "MD", "VB", "NNP", "CC", "VB", "NNP"])
    assert modality_of(doc[5]).value == "possible"
    past = build(["Moscow", "invaded", "Ukraine", "and", "bombed", "Kyiv"], [1, 1, 1, 1, 1, 4],
                 ["nsubj", "ROOT", "dobj", "cc", "conj", "dobj"], ["PROPN", "VERB", "PROPN", "CCONJ", "VERB", "PROPN"],
                 tags=["NNP", "VBD", "NNP", "CC", "VBD", "NNP"])
    assert modality_of(past[4]).value == "asserted"


def test_a_present_after_until_is_a_condition_not_yet_met(build):
    # Russia will not lift the ban until the EU provides details
    words = ["Russia", "will", "not", "lift", "the", "ban", "until", "the", "EU", "provides", "details"]
    heads = [3, 3, 3, 3, 5, 3, 9, 8, 9, 3, 9]
    deps = ["nsubj", "aux", "neg", "ROOT", "det", "dobj", "mark", "det", "nsubj", "advcl", "dobj"]
    pos = ["PROPN", "AUX", "PART", "VERB", "DET", "NOUN", "SCONJ", "DET", "PROPN", "VERB", "NOUN"]
    tags = ["NNP", "MD", "RB", "VB", "DT", "NN", "IN", "DT", "NNP", "VBZ", "NNS"]
    assert modality_of(build(words, heads, deps, pos, tags=tags)[9]).value == "hypothetical"
    tags[9] = "VBD"  # "... until the EU provided details": it happened
    assert modality_of(build(words, heads, deps, pos, tags=tags)[9]).value != "hypothetical"


def test_negation_beats_everything(build):
    # Russia did not attack Ukraine
    doc = build(["Russia", "did", "not", "attack", "Ukraine"], [3, 3, 3, 3, 3],
                ["nsubj", "aux", "neg", "ROOT", "dobj"], ["PROPN", "AUX", "PART", "VERB", "PROPN"])
    assert modality_of(doc[3]).value == "negated"


def test_if_clause_is_hypothetical(build):
    # if Russia attacks , NATO will respond
    doc = build(["if", "Russia", "attacks", ",", "NATO", "will", "respond"], [2, 2, 6, 6, 6, 6, 6],
                ["mark", "nsubj", "advcl", "punct", "nsubj", "aux", "ROOT"],
                ["SCONJ", "PROPN", "VERB", "PUNCT", "PROPN", "AUX", "VERB"])
    assert modality_of(doc[2]).value == "hypothetical"
    assert modality_of(doc[6]).value == "intended"


def test_said_gives_speaker(build):
    # Peskov said Russia attacked
    doc = build(["Peskov", "said", "Russia", "attacked"], [1, 1, 3, 1],
                ["nsubj", "ROOT", "nsubj", "ccomp"], ["PROPN", "VERB", "PROPN", "VERB"],
                lemmas=["Peskov", "say", "Russia", "attack"])
    m = modality_of(doc[3])
    assert m.value == "said"
    assert m.speaker.i == 0


def test_governors_denied_intended_demanded(build):
    # Moscow denied attacking
    doc = build(["Moscow", "denied", "attacking"], [1, 1, 1], ["nsubj", "ROOT", "xcomp"],
                ["PROPN", "VERB", "VERB"], lemmas=["Moscow", "deny", "attack"])
    assert modality_of(doc[2]).value == "denied"
    # Russia is ready to hold talks
    doc = build(["Russia", "is", "ready", "to", "hold", "talks"], [1, 1, 1, 4, 2, 4],
                ["nsubj", "ROOT", "acomp", "aux", "xcomp", "dobj"],
                ["PROPN", "AUX", "ADJ", "PART", "VERB", "NOUN"], lemmas=["Russia", "be", "ready", "to", "hold", "talk"])
    assert modality_of(doc[5], carrier=doc[4]).value == "intended"
    # the US urged Israel to withdraw
    doc = build(["US", "urged", "Israel", "to", "withdraw"], [1, 1, 1, 4, 1],
                ["nsubj", "ROOT", "dobj", "aux", "xcomp"], ["PROPN", "VERB", "PROPN", "PART", "VERB"],
                lemmas=["US", "urge", "Israel", "to", "withdraw"])
    assert modality_of(doc[4]).value == "demanded"


def test_plain_past_is_asserted(build):
    doc = build(["Russia", "attacked", "Ukraine"], [1, 1, 1], ["nsubj", "ROOT", "dobj"],
                ["PROPN", "VERB", "PROPN"], lemmas=["Russia", "attack", "Ukraine"])
    m = modality_of(doc[1])
    assert m.value == "asserted" and m.speaker is None


@pytest.mark.parametrize("text,word,expected", [
    ("Moscow could soon invade its neighbor.", "invade", "possible"),
    ("The army refused to withdraw from the city.", "withdraw", "negated"),
    ("Israel has no plans to attack Iran.", "attack", "intended"),
    ("The rebels allegedly attacked the convoy.", "attacked", "alleged"),
    ("Iran would retaliate if it were attacked.", "retaliate", "hypothetical"),
])
def test_real_parses(parse, text, word, expected):
    sent = parse(text)
    token = next(t for t in sent if t.text == word)
    assert modality_of(token).value == expected
