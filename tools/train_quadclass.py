"""Train the learned pass's QuadClass head and ship it as src/tocsin/learned/data/quadclass_head.npz.

1. the labelled sentences (default ../shared/corpora/cameo-class/train.tsv), the rule
   coder's events for them and their all-MiniLM-L6-v2 embeddings (both cached in /tmp);
2. the honest figure: nested stratified 5-fold CV of the classifier alone, the rules alone
   and the combination (tocsin.learned.cv.nested_cv, as bench/learned_eval.py prints it);
3. the head's configuration (4 or 5 classes, L2) and the combination policy chosen by a
   5-fold CV over all the sentences, then the head trained on all of them.
The metadata in the .npz records the file trained on (and its SHA-256), the choices and the
CV figures. Needs `pip install 'tocsin[learned]'`.

    python tools/train_quadclass.py [TSV] [--out PATH]
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # tiny matrices: one BLAS thread is fastest here

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpora" / "cameo-class" / "train.tsv"
OUT = ROOT / "src" / "tocsin" / "learned" / "data" / "quadclass_head.npz"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tsv", nargs="?", default=str(DEFAULT))
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument("--seed", type=int, default=13)
    opts = parser.parse_args(argv)

    import numpy as np

    import tocsin
    from tocsin.learned import Encoder
    from tocsin.learned.cache import cached_encode
    from tocsin.learned.cv import (EVENTS_CHOSEN, QUADCLASS_CHOSEN, Data, fit, load_tsv, nested_cv, rule_events,
                                   select, source_digest)
    from tocsin.learned.encoder import MODEL_NAME, PACKAGE

    tsv = Path(opts.tsv)
    rows = load_tsv(tsv)
    encoder = Encoder()
    data = Data.build(rows, rule_events(rows), lambda texts: cached_encode(texts, encoder))
    report = nested_cv(data, seed=opts.seed, log=lambda m: print(m, file=sys.stderr))
    table = report["table"]
    chosen = select(data, np.arange(len(rows)), k=5, seed=opts.seed)
    try:
        name = str(tsv.resolve().relative_to(ROOT.parent))
    except ValueError:
        name = tsv.name
    meta = {
        "trained_on": name,
        "trained_on_sha256": hashlib.sha256(tsv.read_bytes()).hexdigest(),
        "sentences": len(rows),
        "labels": {str(k): v for k, v in sorted(Counter(label for _, label in rows).items())},
        "encoder": MODEL_NAME,
        "encoder_package": f"{PACKAGE}==0.1.0",
        "policy": chosen["event_policy"].to_dict(),  # tocsin code --learned: never drops an event
        "quadclass_policy": chosen["policy"].to_dict(),  # bench/quadclass.py --learned: may drop
        "rule_coder_sha256": source_digest(),
        "tocsin_version": tocsin.__version__,
        "created": dt.date.today().isoformat(),
        "cv": {
            "method": f"nested stratified {report['folds']}-fold (seed {report['seed']}), "
                      f"config and policy chosen by an inner {report['inner_folds']}-fold CV",
            "rules_accuracy": table["rules alone"]["accuracy"],
            "classifier_accuracy": table["classifier alone"]["accuracy"],
            "combined_accuracy": table[QUADCLASS_CHOSEN]["accuracy"],
            "combined_events_only_accuracy": table["  the same, events only"]["accuracy"],
            "event_policy_accuracy": table[EVENTS_CHOSEN]["accuracy"],
        },
        "selection_cv": {  # chosen on these very folds: optimistic, for the record only
            "classifier_accuracy": round(chosen["classifier_accuracy"], 4),
            "combined_accuracy": round(chosen["combined_accuracy"], 4),
            "event_policy_accuracy": round(chosen["event_accuracy"], 4),
        },
    }
    head = fit(data, np.arange(len(rows)), chosen["config"], meta)
    Path(opts.out).parent.mkdir(parents=True, exist_ok=True)
    head.save(opts.out)
    print(json.dumps(head.meta, indent=2))
    print(f"saved {opts.out} ({Path(opts.out).stat().st_size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
