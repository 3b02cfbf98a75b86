"""Coding throughput vs bare spaCy parsing of the same articles.

Default corpus: ../shared/corpora/bbc/bbc_2225.jsonl (first N articles).
Reports articles/s for bare `nlp.pipe` over the article texts and for the
whole coder (`tocsin.code_articles`: paragraph split, parse, actors, coding,
dates, places), and their ratio (target <= 1.3), measured in one run; then the
cost of each stage after parsing (actor resolution, event dates, event places)
per article.

    python bench/throughput.py [JSONL] [--limit 300]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from tocsin import nlp
from tocsin.coder import Coder, code_articles
from tocsin.ingest.plain import read_jsonl
from tocsin.model import Article

import stage_timer  # bench/, beside this script

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "bbc" / "bbc_2225.jsonl"


def stage_costs(articles: list[Article]) -> dict:
    """Seconds spent coding parsed articles, and in actor resolution, dates and places within it."""

    start = time.perf_counter()
    parsed = list(nlp.parse_articles(articles))
    costs = {"articles": len(articles), "parse_s": time.perf_counter() - start}
    split, costs["coding"] = stage_timer.instrumented_pass(Coder(), parsed)
    costs.update(split)
    return costs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("jsonl", nargs="?", default=str(DEFAULT))
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--json", help="write the figures to this file")
    opts = parser.parse_args(argv)
    articles = [a for a in read_jsonl(Path(opts.jsonl).read_bytes(), opts.jsonl) if isinstance(a, Article)]
    articles = articles[: opts.limit]
    words = sum(len(a.text.split()) for a in articles)
    model = nlp.load()
    Coder()  # load the tables before timing (as a long-running process has them)
    from tocsin.where import gazetteer

    gazetteer()
    list(model.pipe([a.text for a in articles[:20]]))  # warm up

    start = time.perf_counter()
    for _ in model.pipe((a.text for a in articles), batch_size=nlp.BATCH_SIZE):
        pass
    bare = time.perf_counter() - start

    start = time.perf_counter()
    events = sum(1 for _ in code_articles(articles))
    full = time.perf_counter() - start

    ratio = full / bare
    print(f"{len(articles)} articles, {words:,} words, {events:,} events")
    print(f"bare nlp.pipe : {bare:7.2f} s  {len(articles) / bare:6.1f} articles/s")
    print(f"tocsin coding : {full:7.2f} s  {len(articles) / full:6.1f} articles/s")
    print(f"ratio coding/bare parse: {ratio:.2f} (target <= 1.3)")
    stages = stage_costs(articles[: min(len(articles), 120)])
    print(f"stage costs on {stages['articles']} articles, after parsing ({stages['parse_s']:.2f} s of parsing):")
    for name in ("coding", "actors", "dates", "places"):
        seconds = stages[name]
        print(f"  {name:<7} {seconds:6.2f} s  {1000 * seconds / stages['articles']:6.2f} ms/article"
              + (f"  {seconds / stages['coding']:.0%} of coding" if name != "coding" else ""))
    if opts.json:
        Path(opts.json).write_text(json.dumps({
            "articles": len(articles), "words": words, "events": events, "bare_s": round(bare, 3),
            "coding_s": round(full, 3), "ratio": round(ratio, 3)}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
