"""Actor spans and the cost of actor resolution.

1. Source/target span F1 against ../shared/corpora/cameo-class/ner_train.txt (one token a
   line, BIO tags: S source, T target, R joint actor). Each sentence is coded on its own (events
   whose source has no country are kept: this scores the spans, not the countries); the
   most confident event's source and target spans are compared with the tagged spans. A span
   is right when it overlaps the gold span of its role (R spans count for either role);
   "exact" requires the same tokens.
The share of coding time spent resolving actors is in bench/throughput.py (stage costs).

    python bench/actors.py [--limit N]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tocsin.coder import code_articles
from tocsin.model import Article

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def load_bio(path: Path):
    """[(tokens, {"S": [(i, j)], "T": [...], "R": [...]})] per sentence."""
    sentences, tokens, tags = [], [], []
    for line in list(path.read_text(encoding="utf-8").splitlines()) + [""]:
        if not line.strip():
            if tokens:
                spans = {"S": [], "T": [], "R": []}
                start, kind = None, None
                for i, tag in enumerate(tags + ["O"]):
                    if start is not None and not tag.startswith("I-"):
                        spans[kind].append((start, i))
                        start = None
                    if tag.startswith("B-"):
                        start, kind = i, tag[2:]
                sentences.append((tokens, spans))
            tokens, tags = [], []
            continue
        word, _, tag = line.rpartition(" ")
        tokens.append(word)
        tags.append(tag)
    return sentences


def token_span(tokens, start: int, end: int) -> tuple[int, int]:
    """Character offsets [start, end) in " ".join(tokens) -> token indices [i, j)."""
    pos, first, last = 0, None, None
    for i, tok in enumerate(tokens):
        a, b = pos, pos + len(tok)
        if b > start and a < end:
            first = i if first is None else first
            last = i + 1
        pos = b + 1
    return (first, last) if first is not None else (0, 0)


def span_f1(limit: int | None):
    data = load_bio(SHARED / "corpora" / "cameo-class" / "ner_train.txt")[:limit]
    articles = [Article(id=str(i), text=" ".join(toks)) for i, (toks, _) in enumerate(data)]
    best = {}
    for event in code_articles(articles, placed_only=False):  # spans alone: unplaced sources count too
        if event.article_id not in best or event.confidence > best[event.article_id].confidence:
            best[event.article_id] = event
    counts = {role: {"tp": 0, "exact": 0, "pred": 0, "gold": 0} for role in ("S", "T")}
    for i, (toks, spans) in enumerate(data):
        event = best.get(str(i))
        for role, actor in (("S", event.source if event else None), ("T", event.target if event else None)):
            gold = spans[role] + spans["R"]
            counts[role]["gold"] += bool(gold)
            if actor is None or actor.start is None:
                continue
            counts[role]["pred"] += 1
            got = token_span(toks, actor.start, actor.end)
            if any(got[0] < b and a < got[1] for a, b in gold):
                counts[role]["tp"] += 1
            if got in gold:
                counts[role]["exact"] += 1
    return len(data), counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="sentences of ner_train.txt to use")
    opts = parser.parse_args(argv)
    n, counts = span_f1(opts.limit)
    print(f"{n} sentences of cameo-class/ner_train.txt, most confident event per sentence")
    for role, name in (("S", "source"), ("T", "target")):
        c = counts[role]
        p = c["tp"] / c["pred"] if c["pred"] else 0.0
        r = c["tp"] / c["gold"] if c["gold"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        pe = c["exact"] / c["pred"] if c["pred"] else 0.0
        re_ = c["exact"] / c["gold"] if c["gold"] else 0.0
        fe = 2 * pe * re_ / (pe + re_) if pe + re_ else 0.0
        print(f"  {name:<6} overlap P {p:.1%} R {r:.1%} F1 {f:.1%}   exact F1 {fe:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
