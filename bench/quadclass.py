"""QuadClass accuracy on labelled sentences (default: ../shared/corpora/cameo-class/train.tsv).

Each sentence is coded as its own article; the QuadClass of its most confident
event is compared with the label (0 and 1 both mean QuadClass 1). A sentence
with no event counts as wrong and shows in the "none" column. Label 0 is
"statements and appeals", so the coder runs with `statements=True` here (CAMEO
01x statements are coded, as `tocsin code --statements` does); `--no-statements`
measures the default coder.

    python bench/quadclass.py [TSV] [--json OUT.json] [--limit N]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from tocsin.coder import code_articles
from tocsin.model import Article

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "cameo-class" / "train.tsv"


def load(path: Path, limit: int | None = None) -> list[tuple[str, int]]:
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip() or "\t" not in line:
                continue
            sentence, label = line.rsplit("\t", 1)
            rows.append((sentence.strip(), max(1, int(label))))
    return rows[:limit] if limit else rows


def predict(rows, statements: bool = True):
    articles = [Article(id=str(i), text=s) for i, (s, _) in enumerate(rows)]
    best: dict[str, tuple[float, int]] = {}
    for event in code_articles(articles, statements=statements):
        current = best.get(event.article_id)
        if current is None or event.confidence > current[0]:
            best[event.article_id] = (event.confidence, event.quad_class)
    return [best.get(str(i), (0, None))[1] for i in range(len(rows))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tsv", nargs="?", default=str(DEFAULT))
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--no-statements", action="store_true", help="do not code bare statements (the CLI default)")
    opts = parser.parse_args(argv)
    rows = load(Path(opts.tsv), opts.limit)
    start = time.perf_counter()
    predicted = predict(rows, statements=not opts.no_statements)
    seconds = time.perf_counter() - start
    confusion = Counter((label, pred) for (_, label), pred in zip(rows, predicted))
    correct = sum(n for (label, pred), n in confusion.items() if label == pred)
    accuracy = correct / len(rows)
    print(f"QuadClass accuracy: {correct}/{len(rows)} = {accuracy:.1%}  ({seconds:.1f} s)")
    cols = [1, 2, 3, 4, None]
    print("label\\pred " + " ".join(f"{str(c) if c else 'none':>6}" for c in cols))
    for label in (1, 2, 3, 4):
        print(f"{label:>10} " + " ".join(f"{confusion.get((label, c), 0):>6}" for c in cols))
    if opts.json:
        Path(opts.json).write_text(json.dumps({
            "sentences": len(rows), "correct": correct, "accuracy": round(accuracy, 4),
            "confusion": {f"{l}->{p}": n for (l, p), n in sorted(confusion.items(), key=str)},
        }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
