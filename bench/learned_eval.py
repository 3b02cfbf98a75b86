"""Honest figures for the learned pass: nested, stratified 5-fold cross-validation on train.tsv.

Per outer fold the head is trained on the other four folds only; its configuration (4 or 5
classes, L2) and the combination policy are chosen by a 4-fold CV inside those four folds.
Rows: the rules alone on the same folds, the classifier alone, fixed combinations, and the
two policies the inner CV chose (what tools/train_quadclass.py ships): the event policy of
`tocsin code --learned` (never drops; scored on the events alone) and the QuadClass policy
of `bench/quadclass.py --learned` (may drop). "events only" rows score the most confident
event left (none = wrong); rows with (c) let the classifier answer a sentence left without
events, which only the benchmark does.

Sentences are encoded once (cache: /tmp/tocsin-embeddings-all-MiniLM-L6-v2.npz) and the
rule coder's events are cached by the source of the coder (/tmp/tocsin-rule-events-*.jsonl).
Needs `pip install 'tocsin[learned]'`.

    python bench/learned_eval.py [TSV] [--json OUT] [--folds 5] [--seed 13]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

# the head's matrices are tiny: one BLAS thread is faster than two fighting over 2 cores
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "cameo-class" / "train.tsv"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tsv", nargs="?", default=str(DEFAULT))
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--no-statements", action="store_true", help="code without bare statements")
    opts = parser.parse_args(argv)

    from tocsin.learned import Encoder
    from tocsin.learned.cache import cached_encode
    from tocsin.learned.cv import Data, load_tsv, nested_cv, rule_events

    rows = load_tsv(opts.tsv)
    start = time.perf_counter()
    events = rule_events(rows, statements=not opts.no_statements)
    coded = time.perf_counter() - start
    encoder = Encoder()
    start = time.perf_counter()
    data = Data.build(rows, events, lambda texts: cached_encode(texts, encoder))
    encoded = time.perf_counter() - start
    print(f"{len(rows)} sentences, {len(data.texts)} texts; rule events {coded:.1f} s, embeddings {encoded:.1f} s "
          "(both cached in /tmp)", file=sys.stderr)
    start = time.perf_counter()
    report = nested_cv(data, k=opts.folds, seed=opts.seed, log=lambda m: print(m, file=sys.stderr))
    seconds = time.perf_counter() - start
    print(f"\nQuadClass accuracy, nested stratified {opts.folds}-fold CV (seed {opts.seed}) on {Path(opts.tsv).name}:")
    print(f"{'system':<48} {'correct':>9} {'accuracy':>9} {'fold sd':>8}")
    for name, row in report["table"].items():
        print(f"{name:<48} {row['correct']:>4}/{row['sentences']:<4} {row['accuracy']:>8.1%} {row['fold_sd']:>8.1%}")
    d = report["decided_by"]
    print(f"\nQuadClass policy chosen by inner CV, on the test folds: {d['rules']} answers as the rules, {d['changed']} changed by the pass, "
          f"{d['learned']} sentences without events answered by the classifier")
    print(f"({seconds:.0f} s)")
    if opts.json:
        report.update({"tsv": str(opts.tsv), "sentences": len(rows), "seconds": round(seconds, 1)})
        Path(opts.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
