"""Tests for the predicate lexicon (tocsin.coding.lexicon, data/lexicon*.tsv)."""
from __future__ import annotations


import pytest

from tocsin.coding import Lexicon, all_codes, cameo
from tocsin.coding.lexicon import NO_EVENT


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.load()


def test_size_and_cache(lex):
    assert len(lex) >= 2000
    assert Lexicon.load() is lex


def test_generated_and_curated_both_loaded(lex):
    origins = [e.origin for e in lex]
    generated = [o for o in origins if o.startswith("lexicon.tsv:")]
    curated = [o for o in origins if o.startswith("lexicon_curated.tsv:")]
    assert len(generated) >= 2000
    assert len(curated) >= 300
    assert any("(CAMEO.2.0 block " in o for o in generated)


def test_all_codes_resolve(lex):
    table = all_codes()
    for e in lex:
        if e.cameo == NO_EVENT:
            assert e.curated, e  # only the hand-written table may say "no event alone"
            continue
        assert cameo(e.cameo).code, e  # falls back to a parent at worst
        if e.curated:
            assert e.cameo in table, e  # curated codes are exact table codes


def test_fresh_load_reads_every_table():
    # speed is a benchmark figure (bench/throughput.py), never a timed unit test
    fresh = Lexicon(Lexicon._read_entries(), Lexicon._read_light_verbs())
    assert len(fresh) >= 2000 and len(fresh) == len(Lexicon.load())


def test_specificity_object_beats_bare(lex):
    bare = lex.match("impose", "V")
    withobj = lex.match("impose", "V", objects=["sanction"])
    assert withobj.cameo == "163"
    assert withobj.rule == "lex:impose>obj=sanction"
    assert bare is not None and bare.cameo != "163"
    assert lex.match("impose", "V", objects=["curfew"]).cameo == "1723"


def test_call_for_is_appeal(lex):
    e = lex.match("call", "V", preps=[("for", "calm")])
    assert e.cameo == "020"
    assert e.rule == "lex:call+for"
    assert e.prep == "for" and e.obj is None
    # prep+obj beats prep alone
    e2 = lex.match("call", "V", preps=[("for", "ceasefire")])
    assert e2.prep == "for" and e2.obj == "ceasefire"
    # bare call = phone call
    assert lex.match("call", "V").cameo == "041"


def test_prep_obj_beats_obj_and_prep(lex):
    e = lex.match("agree", "V", preps=[("on", "deal")])
    assert (e.prep, e.obj, e.cameo) == ("on", "deal", "057")
    assert lex.match("agree", "V", preps=[("to", "plan")]).cameo.startswith("03")
    assert lex.match("agree", "V").cameo == "030"


def test_curated_beats_generated_at_equal_specificity(lex):
    e = lex.match("sound", "V", objects=["alarm"])
    assert e.cameo == "130" and e.curated
    generated = [x for x in lex.entries("sound", "V") if not x.curated and x.obj == "alarm"]
    assert generated and generated[0].cameo != "130"
    assert lex.match("express", "V", objects=["concern"]).cameo == "111"


def test_a_longer_object_beats_its_head_at_equal_specificity(lex):
    assert lex.match("reduce", "V", objects=["military aid", "aid"]).cameo == "1622"
    assert lex.match("reduce", "V", objects=["aid"]).cameo == "162"
    assert lex.match("violate", "V", objects=["ceasefire agreement", "agreement"]).cameo == "196"
    assert lex.match("violate", "V", objects=["agreement"]).cameo == "128"


def test_particles(lex):
    e = lex.match("carry", "V", particles=["out"], objects=["attack"])
    assert e.cameo.startswith("19") and e.particle == "out"
    assert lex.match("call", "V", particles=["off"], objects=["talk"]).cameo == "164"
    assert lex.match("build", "V", particles=["up"]).cameo == "154"
    # an entry without a particle does not match a predicate that has one
    assert lex.match("back", "V").cameo == "051"
    down = lex.match("back", "V", particles=["down"])
    assert down is None or down.cameo != "051"
    # a prep-only entry accepts the same word parsed as a particle
    assert lex.match("call", "V", particles=["for"]).cameo == "020"


def test_pos_separation(lex):
    assert lex.match("talk", "N").cameo == "046"
    assert lex.match("talk", "V").cameo == "040"
    assert lex.match("ready", "A").cameo == "030"
    assert lex.match("eager", "V") is None  # adjective entries are invisible to verb lookups
    assert lex.match("ready", "N") is None
    assert lex.match("accuse", "N") is None  # verb entries are invisible to noun lookups
    assert lex.match("accuse", "A") is None
    assert lex.match("attack", "A") is None
    assert lex.match("nonexistentword", "V") is None


@pytest.mark.parametrize("adj", ["ready", "prepared", "willing", "keen", "eager", "determined",
                                 "interested"])
def test_intent_adjectives(lex, adj):
    e = lex.match(adj, "A")
    assert e is not None and e.cameo == "030" and e.pos == "A"


def test_open_needs_to(lex):
    assert lex.match("open", "A") is None
    assert lex.match("open", "A", preps=[("to", "talk")]).cameo == "030"


def test_light_verbs(lex):
    for v in ("hold", "have", "make", "give", "take", "conduct", "launch", "carry", "stage",
              "voice", "express", "issue", "start", "begin", "resume", "pay", "mount", "wage"):
        assert lex.is_light_verb(v), v
    assert lex.is_light_verb("carry", "out")
    assert not lex.is_light_verb("carry", "away")
    assert lex.is_light_verb("step", "up")
    for v in ("announce", "say", "attack", "accuse", ""):
        assert not lex.is_light_verb(v), v


def test_rule_and_origin_format(lex):
    e = lex.match("accuse", "V")
    assert e.rule == "lex:accuse"
    assert e.origin.startswith("lexicon_curated.tsv:")
    n = lex.match("summit", "N")
    assert n.rule == "lex:summit/N"
    g = lex.match("rush", "V", objects=["aid"])
    assert g is not None and g.origin.startswith("lexicon.tsv:") and "block" in g.origin


VERB_ROOTS = [
    ("meet", (), [], [("with", "minister")], "04"),
    ("concede", (), [], [("to", "demand")], "08"),  # acceding to demands (083)
    ("force", (), ["group"], [("into", "deal")], "17"),
    ("accept", (), ["demand"], [], "08"),  # acceding to demands, not making them
    ("give", (), ["speech"], [], "01"),  # a statement, not material cooperation
    ("defend", (), [], [("as", "")], "05"),  # verbal defence (052)
    ("claim", (), [], [], "01"),  # an assertion; a claim of one's own force is 015 (tocsin.coder)  # forced into a deal: coercion (bare "force" is no event)
    ("tighten", (), ["noose"], [], "19"),
    ("hem", ("in",), [], [], "19"),
    ("give", ("in",), [], [("to", "pressure")], "08"),
    ("roll", ("back",), ["tariff"], [], "08"),
    ("participate", (), [], [("in", "peacekeeping operation")], "07"),
    ("return", (), ["painting"], [], "08"),
    ("summon", (), ["diplomat"], [], "11"),
    ("send", (), ["medical team"], [], "07"),
    ("negotiate", (), [], [], "04"),
    ("visit", (), [], [], "04"),
    ("host", (), [], [], "04"),
    ("urge", (), [], [], "02"),
    ("demand", (), [], [], "10"),
    ("accuse", (), [], [], "11"),
    ("criticise", (), [], [], "11"),
    ("criticize", (), [], [], "11"),
    ("condemn", (), [], [], "11"),
    ("denounce", (), [], [], "11"),
    ("blame", (), [], [], "11"),
    ("warn", (), [], [], "13"),
    ("threaten", (), [], [], "13"),
    ("reject", (), [], [], "12"),
    ("deny", (), ["accusation"], [], "01"),  # CAMEO 016: denying an accusation is a statement
    ("refuse", (), [], [], "12"),
    ("veto", (), [], [], "12"),
    ("sanction", (), [], [], "16"),
    ("expel", (), ["diplomat"], [], "16"),
    ("recall", (), ["ambassador"], [], "16"),
    ("attack", (), [], [], "19"),
    ("invade", (), [], [], "19"),
    ("shell", (), [], [], "19"),
    ("bomb", (), [], [], "19"),
    ("kill", (), [], [], "19"),
    ("arrest", (), [], [], "17"),
    ("detain", (), [], [], "17"),
    ("release", (), ["prisoner"], [], "08"),
    ("withdraw", (), ["troop"], [], "08"),
    ("deploy", (), [], [], "15"),
    ("mobilise", (), [], [], "15"),
    ("mobilize", (), [], [], "15"),
    ("sign", (), ["agreement"], [], "05"),
    ("praise", (), [], [], "05"),
    ("apologize", (), [], [], "05"),
    ("donate", (), [], [], "07"),
    ("send", (), ["aid"], [], "07"),
    ("send", (), ["troop"], [], "15"),
    ("protest", (), [], [], "14"),
    ("riot", (), [], [], "14"),
    ("investigate", (), [], [], "09"),
    ("voice", (), ["concern"], [], "11"),
    ("confirm", (), [], [], "01"),
    ("reiterate", (), [], [], "01"),
    ("deny", (), ["responsibility"], [], "01"),
]


@pytest.mark.parametrize("lemma,particles,objects,preps,root", VERB_ROOTS)
def test_verb_spot_checks(lex, lemma, particles, objects, preps, root):
    e = lex.match(lemma, "V", particles=particles, objects=objects, preps=preps)
    assert e is not None, lemma
    assert e.cameo[:2] == root, (lemma, e.cameo, e.origin)


NOUN_CODES = [
    ("coup", "170"), ("coup attempt", "170"), ("takeover", "192"),
    ("talk", "046"), ("negotiation", "046"), ("consultation", "040"), ("meeting", "040"),
    ("visit", "042"), ("call", "041"), ("phone call", "041"), ("buildup", "154"),
    ("build-up", "154"), ("deployment", "154"), ("sanction", "163"), ("embargo", "163"),
    ("attack", "190"), ("airstrike", "195"), ("air strike", "195"), ("shelling", "194"),
    ("bombing", "183"), ("invasion", "190"), ("offensive", "190"), ("clash", "190"),
    ("protest", "140"), ("demonstration", "141"), ("rally", "141"), ("strike", "143"),
    ("arrest", "173"), ("detention", "173"), ("accusation", "112"), ("criticism", "111"),
    ("concern", "111"), ("warning", "130"), ("threat", "130"), ("ultimatum", "139"),
    ("aid", "070"), ("agreement", "057"), ("deal", "057"), ("ceasefire", "0871"),
    ("appeal", "020"), ("demand", "100"), ("rejection", "120"), ("apology", "055"),
    ("praise", "051"), ("cooperation", "060"), ("investigation", "090"), ("probe", "090"),
    ("kidnapping", "181"), ("massacre", "202"), ("assassination", "186"), ("blockade", "191"),
    ("occupation", "192"), ("mobilisation", "154"), ("mobilization", "154"),
    ("crackdown", "175"), ("curfew", "1723"), ("ban", "172"), ("hunger strike", "142"),
    ("expulsion", "174"), ("condemnation", "111"), ("unease", "111"),
]


@pytest.mark.parametrize("noun,code", NOUN_CODES)
def test_noun_spot_checks(lex, noun, code):
    e = lex.match(noun, "N")
    assert e is not None, noun
    assert e.cameo == code, (noun, e.cameo, e.origin)
    assert e.pos == "N"


def test_noun_context(lex):
    assert lex.match("cessation", "N", preps=[("of", "hostility")]).cameo == "0871"  # a ceasefire
    assert lex.match("freeze", "N", preps=[("on", "funding")]).cameo == "1621"  # cutting aid
    assert lex.match("suspension", "N", preps=[("of", "air link")]).cameo == "160"
    assert lex.match("state", "N", preps=[("of", "siege")]).cameo == "1724"
    assert lex.match("strike", "N", preps=[("on", "hospital")]).cameo == "190"
    assert lex.match("call", "N", preps=[("for", "restraint")]).cameo == "020"
    assert lex.match("release", "N") is None
    assert lex.match("release", "N", preps=[("of", "prisoner")]).cameo == "0841"
    assert lex.match("state", "N", preps=[("of", "emergency")]).cameo == "1724"


def test_deferring_is_no_blame(lex):
    assert lex.match("defer", "V") is None  # the generated BLAME row 112 is silenced


def test_no_event_row_blocks_the_bare_word_but_not_its_patterns(lex):
    assert lex.match("leave", "V") is None  # "she left", "troops leave": movement, no event alone
    assert [e for e in lex.entries("leave", "V") if not e.curated]  # the generated bare row is still there
    assert lex.match("give", "V", objects=["aid"]).cameo.startswith("07")  # a pattern still codes


def test_any_object_row_needs_an_object(lex):
    assert lex.match("want", "V", objects=["oversight"]).cameo == "100"
    assert lex.match("return", "V", objects=["territory"]).cameo == "0842"
    assert lex.match("return", "V") is None  # "refugees chose to return": the "*" row needs its object
