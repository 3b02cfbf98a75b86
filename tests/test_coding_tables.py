"""Tests for the CAMEO code table (tocsin.coding.ontology, data/cameo.tsv)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tocsin.coding import CameoCode, all_codes, cameo

SHARED_GOLDSTEIN = Path(__file__).resolve().parents[1].parent / "shared" / "ontology" / "goldstein.tsv"

ROOT_QUAD = {
    "01": 1, "02": 1, "03": 1, "04": 1, "05": 1, "06": 2, "07": 2, "08": 2, "09": 3, "10": 3,
    "11": 3, "12": 3, "13": 3, "14": 4, "15": 4, "16": 3, "17": 4, "18": 4, "19": 4, "20": 4,
}
PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
    "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}


def test_all_285_codes_present():
    codes = all_codes()
    assert len(codes) == 285
    assert all(isinstance(c, CameoCode) for c in codes.values())
    roots = {c for c in codes if len(c) == 2}
    assert roots == set(ROOT_QUAD)
    assert all(c.name for c in codes.values())


def test_goldstein_matches_shared_reference():
    if not SHARED_GOLDSTEIN.exists():
        pytest.skip("../shared/ontology/goldstein.tsv not available")
    with SHARED_GOLDSTEIN.open(encoding="utf-8") as fh:
        ref = {r["cameo"]: float(r["goldstein"]) for r in csv.DictReader(fh, delimiter="\t")}
    codes = all_codes()
    assert set(ref) == set(codes)
    for code in ("01", "036", "041", "0874", "1123", "163", "190", "195", "2042", "175"):
        assert codes[code].goldstein == ref[code], code
    assert {c: v.goldstein for c, v in codes.items()} == ref


def test_known_goldstein_values():
    assert cameo("036").goldstein == 4.0
    assert cameo("190").goldstein == -10.0
    assert cameo("057").goldstein == 8.0
    assert cameo("163").goldstein == -6.5


@pytest.mark.parametrize("root,quad", sorted(ROOT_QUAD.items()))
def test_quad_class_from_root(root, quad):
    members = [c for c in all_codes().values() if c.code.startswith(root)]
    assert members
    assert {c.quad_class for c in members} == {quad}
    assert all(c.root == root for c in members)


def test_reduce_relations_is_verbal_conflict():
    assert cameo("16").quad_class == 3
    assert cameo("163").quad_class == 3
    assert cameo("14").quad_class == 4
    assert cameo("07").quad_class == 2


def test_plover_mapping():
    assert cameo("036").plover == "AGREE"
    c041 = cameo("041")
    assert (c041.plover, c041.mode) == ("CONSULT", "phone")
    assert cameo("042").mode == "visit"
    assert cameo("163").plover == "SANCTION"
    assert cameo("190").plover == "ASSAULT"
    assert cameo("195").mode == "aerial"
    assert cameo("173").plover == "COERCE" and cameo("173").mode == "arrest"
    assert cameo("154").plover == "MOBILIZE"
    assert cameo("0871").mode == "ceasefire"
    assert cameo("020").plover == "REQUEST"
    assert cameo("091").contexts == ("crime", "corruption")


def test_public_statements_have_no_plover():
    statements = [c for c in all_codes().values() if c.code.startswith("01")]
    assert len(statements) == 11
    for c in statements:
        assert c.plover is None and c.mode is None and c.context is None, c.code


def test_every_other_code_has_a_known_plover_type():
    for c in all_codes().values():
        if not c.code.startswith("01"):
            assert c.plover in PLOVER_TYPES, c.code


def test_fallback_of_unknown_codes():
    assert cameo("0469").code == "046"  # unknown 4-digit -> 3-digit parent
    assert cameo("1999").code == "19"  # unknown 4-digit and 3-digit -> root
    assert cameo("129").code == "12"  # unknown 3-digit -> root
    assert cameo(" 041 ").code == "041"


@pytest.mark.parametrize("garbage", ["", "x", "abc", "12345", "0", "99", "999", "04a", None])
def test_garbage_raises_keyerror(garbage):
    with pytest.raises(KeyError):
        cameo(garbage)


def test_codes_are_frozen():
    with pytest.raises(Exception):
        cameo("036").goldstein = 0.0  # type: ignore[misc]
