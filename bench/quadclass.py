"""QuadClass accuracy on labelled sentences (default: ../shared/corpora/cameo-class/train.tsv).

Each sentence is coded as its own article; the QuadClass of its most confident
event is compared with the label (0 and 1 both mean QuadClass 1). A sentence
with no event counts as wrong and shows in the "none" column. Label 0 is
"statements and appeals", so the coder runs with `statements=True` here (CAMEO
01x statements are coded, as `tocsin code --statements` does); `--no-statements`
measures the default coder. This scores the event type alone, so events whose source
has no country ("protesters", "a court") are kept (`placed_only=False`).

`--learned` runs the optional learned pass (tocsin.learned, `pip install 'tocsin[learned]'`)
over the events with the shipped head's QuadClass policy (it may drop an event the
classifier confidently rejects), and a sentence left with no event gets the classifier's
QuadClass. `--learned-policy '{"action": "demote"}'` overrides fields of that policy. The
shipped head was trained on the default TSV, so on that file the figure is a training-set
figure, not an estimate: bench/learned_eval.py gives the cross-validated one.

    python bench/quadclass.py [TSV] [--json OUT.json] [--limit N] [--learned [--learned-policy JSON]]
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


def code_rows(rows, statements: bool = True) -> list[list]:
    """The events of each row (one article a sentence), in row order."""
    articles = [Article(id=str(i), text=s) for i, (s, _) in enumerate(rows)]
    events: list[list] = [[] for _ in rows]
    for event in code_articles(articles, statements=statements, placed_only=False):  # typing alone
        events[int(event.article_id)].append(event)
    return events


def most_confident(events) -> int | None:
    """The QuadClass of the most confident event (the first of equals), None without events."""
    best = None
    for event in events:
        if best is None or event.confidence > best.confidence:
            best = event
    return best.quad_class if best else None


def predict(rows, statements: bool = True):
    return [most_confident(events) for events in code_rows(rows, statements)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tsv", nargs="?", default=str(DEFAULT))
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--no-statements", action="store_true", help="do not code bare statements (the CLI default)")
    parser.add_argument("--learned", action="store_true",
                        help="run the learned pass (needs tocsin[learned]); a sentence without events gets the classifier's QuadClass")
    parser.add_argument("--learned-policy", metavar="JSON", help="with --learned: override fields of the QuadClass policy")
    opts = parser.parse_args(argv)
    rows = load(Path(opts.tsv), opts.limit)
    start = time.perf_counter()
    how = None
    if opts.learned:
        overrides = json.loads(opts.learned_policy) if opts.learned_policy else {}
        predicted, how, note = run_learned(rows, Path(opts.tsv), statements=not opts.no_statements,
                                           overrides=overrides)
    else:
        predicted = predict(rows, statements=not opts.no_statements)
    seconds = time.perf_counter() - start
    confusion = Counter((label, pred) for (_, label), pred in zip(rows, predicted))
    correct = sum(n for (label, pred), n in confusion.items() if label == pred)
    accuracy = correct / len(rows)
    print(f"QuadClass accuracy: {correct}/{len(rows)} = {accuracy:.1%}  ({seconds:.1f} s)")
    if how is not None:
        counts = Counter(how)
        print(f"learned pass: {counts['rules']} rows as the rules say, {counts['changed']} changed by the pass, "
              f"{counts['learned']} without events answered by the classifier (the 'none' column stays empty)")
        if note:
            print(note)
    cols = [1, 2, 3, 4, None]
    print("label\\pred " + " ".join(f"{str(c) if c else 'none':>6}" for c in cols))
    for label in (1, 2, 3, 4):
        print(f"{label:>10} " + " ".join(f"{confusion.get((label, c), 0):>6}" for c in cols))
    if opts.json:
        figures = {
            "sentences": len(rows), "correct": correct, "accuracy": round(accuracy, 4),
            "confusion": {f"{l}->{p}": n for (l, p), n in sorted(confusion.items(), key=str)},
        }
        if how is not None:
            figures["learned"] = {"decided_by": dict(Counter(how)), "note": note}
        Path(opts.json).write_text(json.dumps(figures, indent=2))
    return 0


def run_learned(rows, tsv: Path, statements: bool = True, overrides: dict | None = None):
    """Predictions with the shipped learned pass; warns when the TSV is the head's training file."""
    import hashlib

    from tocsin.learned.combine import Policy, sentence_quad_class
    from tocsin.learned.postpass import LearnedPass

    learned = LearnedPass.load()
    shipped = learned.head.meta.get("quadclass_policy") or learned.head.meta.get("policy")
    learned.policy = Policy.from_dict({**(shipped or {}), **(overrides or {})})
    print(f"learned pass: {learned.policy}")
    events = code_rows(rows, statements)
    sentences = [s for s, _ in rows]
    texts = list(dict.fromkeys(sentences + [e.evidence for row in events for e in row]))
    probs_by_text = learned.probabilities(texts)
    decided = [sentence_quad_class(row, probs_by_text, probs_by_text[s], learned.classes, learned.policy)
               for s, row in zip(sentences, events)]
    note = None
    digest = hashlib.sha256(tsv.read_bytes()).hexdigest()
    if digest == learned.head.meta.get("trained_on_sha256"):
        note = ("NOTE: the shipped head was trained on this very file: this is a training-set figure, not an "
                "estimate. Run bench/learned_eval.py for the cross-validated accuracy "
                f"(recorded at training: {learned.head.meta.get('cv', {}).get('combined_accuracy')}).")
    return [q for q, _ in decided], [h for _, h in decided], note


if __name__ == "__main__":
    sys.exit(main())
