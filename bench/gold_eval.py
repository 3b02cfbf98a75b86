"""Score tocsin on the development gold set (tests/gold/) and the seed article.

Each gold file `tests/gold/<name>.jsonl` codes one article of ../shared/corpora; the index
files `tests/gold/articles-*.tsv` say which (file, corpus, id, published). The article text
is built as tocsin's readers build it:
  bbc:      title + "\\n\\n" + text          (bbc/bbc_2225.jsonl, by id)
  guardian: text                             (guardian/guardian_sdf_2019.csv, by the index column)
  ruwa:     title + "\\n\\n" + desc            (ruwa/ruwa_2022.csv, by the first column)

Reports recall (required rows), precision (distinct sentence/type/source/target tuples a
gold row accepts), forbidden violations, and both by PLOVER type.

`--learned` runs the optional learned pass (tocsin.learned) over the events, as
`tocsin code --learned` does (the shipped event policy); `--learned-policy JSON` overrides
fields of it for a measurement, e.g. '{"action": "drop"}' (demoting changes confidences only,
which this score ignores; dropping removes events). The gold articles are not in the head's
training file, so these figures are held out.

    python bench/gold_eval.py [--json OUT] [--verbose] [--learned [--learned-policy JSON]]
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from pathlib import Path

from tocsin.coder import code_articles
from tocsin.evaluate import Score, load_gold, score
from tocsin.ingest.plain import make_article
from tocsin.model import Article

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
SHARED = ROOT.parent / "shared"
csv.field_size_limit(10_000_000)


def corpus_texts(shared: Path) -> dict[tuple[str, str], tuple[str, str | None, dt.date | None]]:
    """(corpus, id) -> (body, title, published) for every article the gold could name."""
    texts = {}
    with open(shared / "corpora" / "bbc" / "bbc_2225.jsonl", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            texts[("bbc", record["id"])] = (record["text"], record["title"], None)
    with open(shared / "corpora" / "guardian" / "guardian_sdf_2019.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            texts[("guardian", row[""])] = (row["text"], None, dt.date.fromisoformat(row["date"]))
    with open(shared / "corpora" / "ruwa" / "ruwa_2022.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            month, day, year = row["Date"].split("/")
            texts[("ruwa", row[""])] = (row["desc"] or "", row["title"], dt.date(int(year), int(month), int(day)))
    return texts


def gold_articles(gold_dir: Path = GOLD, shared: Path = SHARED) -> list[tuple[Article, list[dict]]]:
    """Each gold file's article (built as the readers build it) with its gold rows."""
    texts = corpus_texts(shared)
    out = []
    for index in sorted(gold_dir.glob("articles-*.tsv")):
        for line in index.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            name, corpus, ident, published = line.split("\t")[:4]
            body, title, date = texts[(corpus, ident)]
            if corpus == "bbc":
                date = dt.date.fromisoformat(published)
            article = make_article(name, body, title, id=name, published=date)
            if not isinstance(article, Article):
                raise ValueError(f"{index}: {name}: {article.reason}")
            out.append((article, load_gold(gold_dir / name)))
    return out


def evaluate(pairs: list[tuple[Article, list[dict]]], post=None) -> tuple[Score, dict[str, Score]]:
    """Score the coder's events (after `post(events)`, a pass over the stream, when given)."""
    coded = code_articles([a for a, _ in pairs])
    return score_events(pairs, post(coded) if post else coded)


def score_events(pairs: list[tuple[Article, list[dict]]], coded) -> tuple[Score, dict[str, Score]]:
    events: dict[str, list] = {a.id: [] for a, _ in pairs}
    for event in coded:
        events[event.article_id].append(event)
    total, per_file = Score(), {}
    for article, rows in pairs:
        result = score(events[article.id], rows)
        per_file[article.id] = result
        total.add(result)
    return total, per_file


def seed_score(shared: Path = SHARED, post=None) -> Score:
    text = (shared / "seed" / "russia-nato-talks.txt").read_text(encoding="utf-8")
    article = make_article("seed", text, id="seed", published=dt.date(2021, 12, 16))
    return evaluate([(article, load_gold(shared / "seed" / "expected.jsonl"))], post)[0]


def learned_post(overrides: dict | None = None):
    """The shipped learned pass (needs tocsin[learned]), fields of its policy overridden when given."""
    import dataclasses

    from tocsin.learned.postpass import LearnedPass

    learned = LearnedPass.load()
    if overrides:
        learned.policy = dataclasses.replace(learned.policy, **overrides)
    return learned


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--verbose", action="store_true", help="print every gold row and the events outside the gold")
    parser.add_argument("--learned", action="store_true", help="run the learned pass over the events (tocsin[learned])")
    parser.add_argument("--learned-policy", metavar="JSON",
                        help="with --learned: override fields of the shipped policy, e.g. '{\"action\": \"drop\"}'")
    opts = parser.parse_args(argv)
    post = learned_post(json.loads(opts.learned_policy) if opts.learned_policy else None) if opts.learned else None
    if post:
        print(f"learned pass: {post.policy}")
    pairs = gold_articles()
    rules = None
    if post:  # both on the very same coded events
        coded = list(code_articles([a for a, _ in pairs]))
        rules = score_events(pairs, coded)[0]
        total, per_file = score_events(pairs, post(coded))
    else:
        total, per_file = evaluate(pairs)
    for name, result in per_file.items():
        print(f"{name:<28} recall {result.hits:>3}/{result.required:<3} precision {result.correct:>3}/{result.coded:<3} "
              f"violations {result.violations}")
        if opts.verbose:
            for row in result.rows:
                print(f"    {row['status']:<13} {row['id']}: {'; '.join(row['coded']) or '-'}")
    print(f"\n{len(pairs)} articles, {total.required} required rows, {total.events} events")
    print(f"recall    {total.recall:.1%} ({total.hits}/{total.required})")
    print(f"precision {total.precision:.1%} ({total.correct}/{total.coded} distinct sentence/type/source/target tuples)")
    print(f"forbidden violations {total.violations}")
    if rules:
        print(f"rules alone on the same events: recall {rules.recall:.1%} ({rules.hits}/{rules.required}), precision "
              f"{rules.precision:.1%} ({rules.correct}/{rules.coded}), violations {rules.violations}, {rules.events} events")
    print("\nby PLOVER type: gold hit/required, coded correct/coded")
    for kind, c in sorted(total.by_type.items()):
        print(f"  {kind:<12} recall {c['hit']:>3}/{c['gold']:<3}  precision {c['correct']:>3}/{c['coded']:<3}")
    seed = seed_score(post=post)
    print(f"\nseed: {seed.hits}/{seed.required} required, {seed.violations} violations, precision {seed.precision:.1%}")
    if opts.json:
        Path(opts.json).write_text(json.dumps({
            "gold": {"articles": len(pairs), "recall": round(total.recall, 4), "precision": round(total.precision, 4),
                     "violations": total.violations, "required": total.required, "hits": total.hits,
                     "coded": total.coded, "correct": total.correct, "by_type": total.by_type},
            "seed": {"hits": seed.hits, "required": seed.required, "violations": seed.violations},
            **({"rules_alone": {"recall": round(rules.recall, 4), "precision": round(rules.precision, 4),
                                "violations": rules.violations, "hits": rules.hits, "coded": rules.coded,
                                "correct": rules.correct, "events": rules.events},
                "learned_policy": post.policy.to_dict()} if rules else {}),
        }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
