"""tocsin's own work after the spaCy parse, in sentences/s on one core, with an equivalence dump.

    python bench/post_parse.py                       # 500 BBC articles (scale.py's sample)
    python bench/post_parse.py --corpus guardian     # all 237 Guardian articles
    python bench/post_parse.py -n 100 --repeat 3     # best of 3 passes over 100 articles
    python bench/post_parse.py --dump /tmp/ref.jsonl # every event, as sorted JSON lines
    python bench/post_parse.py --profile 40          # cProfile of one pass, top 40 by own time

The articles are read and sampled as bench/scale.py reads them (the corpus as tocsin reads it,
shuffled with the same seed, its first N), parsed once with tocsin's pipeline
(`tocsin.nlp.parse_articles`, model "sm") and the parsed documents cached in a spaCy DocBin
under /tmp (`--cache-dir`), so later runs skip the parse. `--no-cache` parses afresh (the
dump of a fresh parse and of the cache must be identical: `--check-cache` tests it).

Timing: `Coder.code` over every parsed article, after a warm-up on the first 20 (the tables'
caches fill as a long-running process has them), best of `--repeat` passes; then one
instrumented pass splits the time as bench/scale.py's post-parse figure does (actors =
`ArticleActors.read_sentence`, dates = `event_date`, places = `event_place`, the rest is
extraction and coding; resolutions of roles during extraction count there).

The dump has one JSON object a line, keys sorted, for every event in coding order: all of
`Event`'s fields (dataclasses.asdict, the full-precision confidence and the explanation
included) plus its id. Two dumps are equivalent when the files are byte-identical.
"""
from __future__ import annotations

import argparse
import cProfile
import dataclasses
import hashlib
import json
import os
import pickle
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # stage_timer, scale beside this script

import scale  # noqa: E402  (bench/: the corpora and the reader of bench/scale.py)
import stage_timer  # noqa: E402

CORPORA = {"bbc": scale.BBC, "guardian": scale.GUARDIAN}
DEFAULT_N = {"bbc": 500, "guardian": 10**6}
WARM_UP = 20


def sample(corpus: str, n: int | None) -> list:
    """The first n articles of the corpus as bench/scale.py samples it (all of them: n None)."""
    articles = scale.read_corpus(CORPORA[corpus])
    return articles[: n if n is not None else DEFAULT_N[corpus]]


def _cache_path(cache_dir: Path, corpus: str, articles: list, model: str) -> Path:
    from importlib.metadata import version

    digest = hashlib.sha256()
    for a in articles:
        digest.update(a.key.encode())
    digest.update(f"{model} spacy {version('spacy')}".encode())
    return cache_dir / f"{corpus}-{len(articles)}-{model}-{digest.hexdigest()[:12]}.pkl"


def parse(articles: list, model: str) -> list:
    from tocsin.nlp import parse_articles

    return list(parse_articles(articles, model))


def save(parsed: list, path: Path) -> None:
    from spacy.tokens import DocBin

    docs = DocBin(store_user_data=False)
    layout = []
    for article, paragraphs in parsed:
        layout.append((article, [p.offset for p in paragraphs]))
        for p in paragraphs:
            docs.add(p.doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps({"layout": layout, "docs": docs.to_bytes()}))
    tmp.replace(path)


def load(path: Path, model: str) -> list:
    from spacy.tokens import DocBin

    from tocsin import nlp

    data = pickle.loads(path.read_bytes())
    vocab = nlp.load(model).vocab
    docs = iter(DocBin().from_bytes(data["docs"]).get_docs(vocab))
    return [(article, [nlp.Paragraph(offset, next(docs)) for offset in offsets]) for article, offsets in data["layout"]]


def parsed_articles(corpus: str, n: int | None, model: str, cache_dir: Path | None) -> list:
    articles = sample(corpus, n)
    if cache_dir is None:
        return parse(articles, model)
    path = _cache_path(cache_dir, corpus, articles, model)
    if path.exists():
        return load(path, model)
    started = time.perf_counter()
    parsed = parse(articles, model)
    print(f"parsed {len(articles)} articles in {time.perf_counter() - started:.1f} s; cached -> {path}", file=sys.stderr)
    save(parsed, path)
    return load(path, model)  # the same documents every run: the ones read back from the cache


def event_line(event) -> str:
    record = dataclasses.asdict(event)
    record["id"] = event.id
    record["confidence"] = repr(event.confidence)
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def dump(coder, parsed: list, path: Path) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for article, paragraphs in parsed:
            for event in coder.code(article, paragraphs):
                f.write(event_line(event) + "\n")
                n += 1
    return n


def timed_passes(coder, parsed: list, repeat: int) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, events) of the best pass (by wall time)."""
    best, cpu, events = float("inf"), 0.0, 0
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        events = sum(len(coder.code(article, paragraphs)) for article, paragraphs in parsed)
        seconds = time.perf_counter() - started
        if seconds < best:
            best, cpu = seconds, time.process_time() - cpu_started
    return best, cpu, events


def stages(coder, parsed: list) -> dict[str, float]:
    """One instrumented pass, split as bench/scale.py's run_post_parse splits it."""
    split, total = stage_timer.instrumented_pass(coder, parsed)
    split["extraction and coding"] = max(0.0, total - sum(split.values()))
    split["total (instrumented)"] = total
    return split


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="bbc")
    parser.add_argument("-n", type=int, help="articles [bbc: 500; guardian: all]")
    parser.add_argument("--first", type=int, metavar="K", help="code only the first K of the articles (same cache)")
    parser.add_argument("--model", default="sm")
    parser.add_argument("--repeat", type=int, default=1, help="timed passes; the best counts [1]")
    parser.add_argument("--dump", type=Path, help="write every event as a sorted JSON line to this file")
    parser.add_argument("--profile", type=int, metavar="TOP", help="cProfile one pass; print the top functions")
    parser.add_argument("--no-time", action="store_true", help="only --dump / --profile")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/tocsin-post-parse"))
    parser.add_argument("--no-cache", action="store_true", help="parse afresh (and cache nothing)")
    parser.add_argument("--check-cache", action="store_true",
                        help="check that the cached documents code as a fresh parse does, then exit")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    opts = parser.parse_args(argv)

    from tocsin.coder import Coder
    from tocsin.nlp import sentences
    from tocsin.where import gazetteer

    coder = Coder()
    gazetteer()
    if opts.check_cache:
        fresh = parse(sample(opts.corpus, opts.n), opts.model)
        cached = parsed_articles(opts.corpus, opts.n, opts.model, opts.cache_dir)
        lines = [[event_line(e) for a, p in run for e in coder.code(a, p)] for run in (fresh, cached)]
        same = lines[0] == lines[1]
        print(f"cache check: {len(lines[0])} events from a fresh parse, {len(lines[1])} from the cache: "
              f"{'identical' if same else 'DIFFERENT'}")
        return 0 if same else 1

    parsed = parsed_articles(opts.corpus, opts.n, opts.model, None if opts.no_cache else opts.cache_dir)[:opts.first]
    n_sentences = sum(1 for _, paragraphs in parsed for _ in sentences(paragraphs))
    for article, paragraphs in parsed[:WARM_UP]:
        coder.code(article, paragraphs)
    if opts.dump:
        n = dump(coder, parsed, opts.dump)
        print(f"{n} events -> {opts.dump}")
    if opts.profile:
        profile = cProfile.Profile()
        profile.enable()
        for article, paragraphs in parsed:
            coder.code(article, paragraphs)
        profile.disable()
        stats = pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime")
        stats.print_stats(opts.profile)
        stats.sort_stats("cumulative").print_stats(opts.profile)
    if opts.no_time:
        return 0
    seconds, cpu, events = timed_passes(coder, parsed, opts.repeat)
    split = stages(coder, parsed)
    rate = n_sentences / seconds
    print(f"{opts.corpus}: {len(parsed)} articles, {n_sentences} sentences, {events} events")
    print(f"Coder.code: {seconds:.2f} s (best of {opts.repeat}), {rate:,.0f} sentences/s, "
          f"{len(parsed) / seconds:.1f} articles/s; CPU {cpu:.2f} s, {n_sentences / cpu:,.0f} sentences/CPU-s "
          f"(load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)")
    for key, value in split.items():
        print(f"  {key:<22} {value:6.2f} s")
    if opts.json:
        opts.json.write_text(json.dumps({
            "corpus": opts.corpus, "articles": len(parsed), "sentences": n_sentences, "events": events,
            "seconds": round(seconds, 3), "sentences_per_s": round(rate, 1), "cpu_s": round(cpu, 3),
            "sentences_per_cpu_s": round(n_sentences / cpu, 1),
            "stages_s": {k: round(v, 3) for k, v in split.items()}, "machine": scale.machine()}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
