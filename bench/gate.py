"""The accuracy gate: current figures against the pinned floors in tests/gold/baseline.json.

Figures: recall, precision and forbidden violations on the development gold
(tests/gold/), required events and violations on the seed article, and QuadClass
accuracy on ../shared/corpora/cameo-class/train.tsv.

    python bench/gate.py            # print the figures and whether each holds its floor
    python bench/gate.py --raise    # after an improvement: raise the floors (never lowers one)

A floor holds when the figure is at least the floor minus the tolerance (rates) or
at most the pinned maximum (violations). Lowering a floor is a deliberate, reviewed
edit of baseline.json with the reason in the commit message, never a side effect.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gold_eval  # noqa: E402
import quadclass  # noqa: E402

BASELINE = Path(__file__).resolve().parents[1] / "tests" / "gold" / "baseline.json"
HIGHER = ("gold_recall", "gold_precision", "seed_hits", "quadclass_accuracy")
LOWER = ("gold_violations", "seed_violations")


def measure() -> dict:
    total, _ = gold_eval.evaluate(gold_eval.gold_articles())
    seed = gold_eval.seed_score()
    rows = quadclass.load(quadclass.DEFAULT)
    predicted = quadclass.predict(rows)
    correct = sum(1 for (_, label), pred in zip(rows, predicted) if label == pred)
    return {
        "gold_recall": round(total.recall, 4),
        "gold_precision": round(total.precision, 4),
        "gold_violations": total.violations,
        "seed_hits": seed.hits,
        "seed_violations": seed.violations,
        "quadclass_accuracy": round(correct / len(rows), 4),
    }


def check(figures: dict, baseline: dict) -> list[str]:
    """The figures that fell below their floor (or rose above their ceiling)."""
    tolerance = baseline.get("tolerance", 0.01)
    failed = []
    for name in HIGHER:
        floor = baseline["floors"][name]
        slack = 0 if name == "seed_hits" else tolerance
        if figures[name] < floor - slack:
            failed.append(f"{name} {figures[name]} < floor {floor}")
    for name in LOWER:
        if figures[name] > baseline["floors"][name]:
            failed.append(f"{name} {figures[name]} > ceiling {baseline['floors'][name]}")
    return failed


def raised(figures: dict, baseline: dict) -> dict:
    floors = dict(baseline["floors"])
    for name in HIGHER:
        floors[name] = max(floors[name], figures[name])
    for name in LOWER:
        floors[name] = min(floors[name], figures[name])
    return {**baseline, "floors": floors}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raise", dest="raise_", action="store_true", help="raise the floors to the current figures")
    opts = parser.parse_args(argv)
    baseline = json.loads(BASELINE.read_text())
    figures = measure()
    for name, value in figures.items():
        print(f"{name:<20} {value:<8} floor {baseline['floors'][name]}")
    failed = check(figures, baseline)
    for line in failed:
        print(f"BELOW FLOOR: {line}")
    if opts.raise_ and not failed:
        BASELINE.write_text(json.dumps(raised(figures, baseline), indent=2) + "\n")
        print(f"floors raised in {BASELINE}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
