"""The evaluation gate: accuracy may not fall below the floors pinned in tests/gold/baseline.json.

To raise the floors after an improvement: `python bench/gate.py --raise` (it never lowers one).
"""
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


@pytest.fixture(scope="module")
def gate(shared):
    shared("corpora", "cameo-class", "train.tsv")
    shared("corpora", "guardian", "guardian_sdf_2019.csv")
    import gate

    return gate


def test_gold_files_are_well_formed(shared):
    import gold_eval

    pairs = gold_eval.gold_articles()
    assert len(pairs) >= 30
    rows = [row for _, gold in pairs for row in gold]
    assert len(rows) >= 300
    assert sum(1 for r in rows if "forbid" in r) >= 50
    for article, gold in pairs:
        for row in gold:
            assert article.text.count(row["sentence"]) >= 1, (article.id, row["id"])


def test_accuracy_holds_its_floors(gate):
    baseline = json.loads(gate.BASELINE.read_text())
    figures = gate.measure()
    print(figures)
    assert gate.check(figures, baseline) == []


def test_gate_catches_a_drop_and_never_lowers(gate):
    baseline = {"tolerance": 0.01, "floors": {"gold_recall": 0.5, "gold_precision": 0.5, "gold_violations": 3,
                                              "seed_hits": 12, "seed_violations": 0, "quadclass_accuracy": 0.7}}
    worse = {"gold_recall": 0.48, "gold_precision": 0.5, "gold_violations": 4, "seed_hits": 11,
             "seed_violations": 0, "quadclass_accuracy": 0.695}
    failed = gate.check(worse, baseline)
    assert any(f.startswith("gold_recall") for f in failed)
    assert any(f.startswith("gold_violations") for f in failed)
    assert any(f.startswith("seed_hits") for f in failed)
    assert not any(f.startswith("quadclass") for f in failed)  # within tolerance
    assert gate.raised(worse, baseline)["floors"]["gold_recall"] == 0.5  # never lowered
    assert gate.raised(worse, baseline)["floors"]["gold_violations"] == 3
