"""Throughput on one machine: articles/s, words/s and peak memory, in one run.

    python bench/scale.py            # BBC at 500/1,000/2,000 articles + all Guardian: docs/bench-scale.json
    python bench/scale.py --quick    # BBC at 100/200 + 40 Guardian articles: a smoke run, in /tmp
    python bench/scale.py --sizes 300 600 --guardian 100 --json out.json --plot out.png

It prints a table, the ratios and each target met or not, and writes them all as JSON
(with the machine). The full run takes about 25 minutes on 2 cores; --quick runs ingest
only at its largest size and leaves out ingest-2-no-ner.

Configurations, each in a fresh process, so that its peak memory is its own:
  bare         nlp.pipe over the texts with tocsin's pipeline (all components): this CPU's limit
  code         tocsin.code_articles in one process: what `tocsin code` does
  ingest-1/2   the real `tocsin ingest --workers 1|2` command into a new store, start-up included
and, at the smallest BBC size (the rates do not depend on it):
  bare-no-ner  nlp.pipe without spaCy's NER (model sm-no-ner)
  ingest-2-no-ner  `tocsin ingest --workers 2 --model sm-no-ner`
  post-parse   tocsin's own work after the parse (extraction, coding, actors, dates, places)
               on parsed documents, in sentences/s on one core, with its stages
and with --tune: nlp.pipe at batch sizes 64 and 256 (tocsin uses 16), ingest with 3 workers.
bare, code and post-parse rates leave out loading the model (a long run's steady state);
ingest rates are the command's wall time. Samples: the corpus as tocsin reads it, shuffled
with a fixed seed (every size mixes the BBC's five sections; the sizes are nested).
Peak memory: ru_maxrss of each process; for ingest, /proc is also sampled every 50 ms for
the writer, its workers and the whole tree (Linux).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import stage_timer  # bench/, beside this script

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TOCSIN_SHARED", ROOT.parent / "shared"))
BBC = SHARED / "corpora" / "bbc" / "bbc_2225.jsonl"
GUARDIAN = SHARED / "corpora" / "guardian" / "guardian_sdf_2019.csv"
SEED = 2005
TARGETS = {  # the targets, as benchmark figures
    "code_vs_bare": 0.8,  # tocsin code articles/s over bare nlp.pipe articles/s, at least
    "post_parse_sentences_per_s": 2100,  # tocsin's own work after the parse, one core, at least
    "ingest_2_vs_1": 1.7,  # ingest with 2 workers over 1 worker, at least
    "end_to_end_articles_per_s": 40,  # BBC articles/s with 2 workers, at least
    "peak_mb_per_worker": 1536,  # at most
    "growth": 1.15,  # per-article cost of the last step in size over the first, at most (linear: 1.0)
}


# -- one configuration (in its own process) ---------------------------------------------
def _read(sample: Path) -> list:
    """The sample's articles (written by `write_sample`, which checked that tocsin reads them so)."""
    from tocsin.model import Article

    articles = []
    for line in sample.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        published = dt.date.fromisoformat(r["published"]) if r["published"] else None
        articles.append(Article(id=r["id"], text=r["text"], url=r["url"], outlet=r["outlet"], published=published))
    return articles


def _peak_self_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def run_bare(sample: Path, model: str, batch_size: int | None = None) -> dict:
    from tocsin import nlp

    texts = [a.text for a in _read(sample)]
    started = time.perf_counter()
    pipeline = nlp.load(model)
    load_s = time.perf_counter() - started
    list(pipeline.pipe(texts[:20]))  # warm up
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in pipeline.pipe(texts, batch_size=batch_size or nlp.BATCH_SIZE))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "load_s": load_s, "tokens": tokens, "components": pipeline.pipe_names,
            "peak_mb": _peak_self_mb()}


def run_code(sample: Path, model: str) -> dict:
    from tocsin import nlp
    from tocsin.coder import Coder, code_articles
    from tocsin.where import gazetteer

    articles = _read(sample)
    started = time.perf_counter()
    nlp.load(model)
    Coder()  # the tables, as a long-running process has them
    gazetteer()
    load_s = time.perf_counter() - started
    list(code_articles(articles[:20], model))  # warm up (spaCy, and the first look-ups that fill caches)
    started = time.perf_counter()
    events = sum(1 for _ in code_articles(articles, model))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "load_s": load_s, "events": events, "peak_mb": _peak_self_mb()}


def run_post_parse(sample: Path, model: str) -> dict:
    """Seconds of `Coder.code` over parsed articles, then its stages (instrumented, a second pass)."""
    from tocsin.coder import Coder
    from tocsin.nlp import parse_articles, sentences
    from tocsin.where import gazetteer

    articles = _read(sample)
    coder = Coder()
    gazetteer()
    list(parse_articles(articles[:1], model))  # load the pipeline
    started = time.perf_counter()
    parsed = list(parse_articles(articles, model))
    parse_s = time.perf_counter() - started
    n_sentences = sum(1 for _, paragraphs in parsed for _ in sentences(paragraphs))
    for article, paragraphs in parsed[:20]:  # warm up (first look-ups fill the tables' caches)
        coder.code(article, paragraphs)
    started = time.perf_counter()
    events = sum(len(coder.code(article, paragraphs)) for article, paragraphs in parsed)
    seconds = time.perf_counter() - started

    stages, instrumented = stage_timer.instrumented_pass(coder, parsed)
    stages["extraction and coding"] = max(0.0, instrumented - sum(stages.values()))
    return {"seconds": seconds, "parse_s": parse_s, "sentences": n_sentences, "events": events,
            "stages_s": {k: round(v, 3) for k, v in stages.items()}, "peak_mb": _peak_self_mb()}


class TreeSampler(threading.Thread):
    """Peak RSS of a process (the writer), of its worker processes and of the whole tree.

    Read from Linux's /proc every 50 ms (no dependency); elsewhere the figures stay 0 and
    only ru_maxrss (the largest process) is reported.
    """

    def __init__(self, pid: int, every: float = 0.05):
        super().__init__(daemon=True)
        self.root, self.every = pid, every
        self.writer = self.worker = self.total = 0
        self.stop = threading.Event()

    @staticmethod
    def _children(pid: int) -> list[int]:
        try:
            return [int(c) for task in Path(f"/proc/{pid}/task").iterdir()
                    for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            return []

    @staticmethod
    def _rss(pid: int) -> tuple[int, bool]:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return 0, False
        kb = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        return kb * 1024, b"spawn_main" in cmdline  # a multiprocessing worker

    def run(self) -> None:
        while not self.stop.is_set():
            tree, todo = [], [self.root]
            while todo and len(tree) < 1000:
                pid = todo.pop()
                tree.append(pid)
                todo.extend(self._children(pid))
            sizes = {pid: self._rss(pid) for pid in tree}
            self.writer = max(self.writer, sizes[self.root][0])
            self.worker = max([self.worker] + [rss for rss, is_worker in sizes.values() if is_worker])
            self.total = max(self.total, sum(rss for rss, _ in sizes.values()))
            self.stop.wait(self.every)


def run_ingest(sample: Path, model: str, workers: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "tocsin.cli", "ingest", str(sample), "--db", str(Path(tmp) / "s.duckdb"),
                   "--workers", str(workers), "--model", model, "--no-progress"]
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, err = proc.communicate()
        wall = time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}):\n{err[-2000:]}")
    line = next((s for s in reversed(err.splitlines()) if s.startswith("tocsin: ") and " coded (" in s), "")
    coded = int(line.split(" coded (")[0].rsplit(", ", 1)[-1].replace(",", "")) if line else None
    events = int(line.split(" events in ")[0].rsplit(", ", 1)[-1].replace(",", "")) if line else None
    result = {"seconds": wall, "summary": line, "coded": coded, "events": events,
              "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}  # largest process
    if sampler.writer:
        mb = 1024 * 1024
        result.update(writer_mb=sampler.writer / mb, worker_mb=sampler.worker / mb, total_mb=sampler.total / mb)
    return result


CONFIGS = {
    "bare": lambda s: run_bare(s, "sm"),
    "bare-no-ner": lambda s: run_bare(s, "sm-no-ner"),
    "code": lambda s: run_code(s, "sm"),
    "post-parse": lambda s: run_post_parse(s, "sm"),
    "ingest-1": lambda s: run_ingest(s, "sm", 1),
    "ingest-2": lambda s: run_ingest(s, "sm", 2),
    "ingest-2-no-ner": lambda s: run_ingest(s, "sm-no-ner", 2),
    "bare-batch-64": lambda s: run_bare(s, "sm", 64),
    "bare-batch-256": lambda s: run_bare(s, "sm", 256),
    "ingest-3": lambda s: run_ingest(s, "sm", 3),
}
EXTRAS = ("bare-no-ner", "ingest-2-no-ner", "post-parse")
TUNING = ("bare-batch-64", "bare-batch-256", "ingest-3")  # --tune: nlp.pipe batch sizes (16 is tocsin's), 3 workers


# -- the runner ----------------------------------------------------------------------------
def read_corpus(corpus: Path) -> list:
    """The corpus as tocsin reads it, shuffled with SEED (samples are its first n articles)."""
    from tocsin.ingest.sources import read_sources
    from tocsin.model import Article

    articles = [a for a in read_sources([str(corpus)]) if isinstance(a, Article)]
    random.Random(SEED).shuffle(articles)
    return articles


def write_sample(articles: list, n: int, path: Path) -> dict:
    """The first n articles as JSON Lines, checked to read back as the same articles."""
    chosen = articles[:n]
    with open(path, "w", encoding="utf-8") as f:
        for a in chosen:
            f.write(json.dumps({"id": a.id, "text": a.text, "url": a.url, "outlet": a.outlet,
                                "published": a.published.isoformat() if a.published else None}) + "\n")
    from tocsin.ingest.sources import read_sources

    again = [a for a in read_sources([str(path)]) if hasattr(a, "key")]
    if [a.key for a in again] != [a.key for a in chosen] or [a.key for a in _read(path)] != [a.key for a in chosen]:
        raise SystemExit(f"the sample does not read back as the same articles: {path}")
    return {"articles": len(chosen), "words": sum(len(a.text.split()) for a in chosen)}


def run_config(name: str, sample: Path) -> dict:
    """One configuration in a fresh process; its figures."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    try:
        proc = subprocess.run([sys.executable, __file__, "--run", name, "--sample", str(sample), "--out", str(out)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"{name} on {sample.name} failed:\n{proc.stderr[-3000:]}")
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def machine() -> dict:
    from importlib.metadata import version

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "spacy": version("spacy"),
            "platform": platform.platform(), "load_average": list(os.getloadavg())}


def fit(points: list[tuple[int, int, float]], steady: bool) -> dict | None:
    """(articles, words, seconds) at each size: seconds = fixed + n / rate by least squares, and
    the growth of the cost per word: at the largest size over the smallest for a steady-state
    figure (no start-up in it), else of the last step in size over the first (needs 3 sizes)."""
    if len(points) < 2:
        return None
    points = sorted(points)
    xs, ws, ys = [p[0] for p in points], [p[1] for p in points], [p[2] for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    if steady:
        growth = (ys[-1] / ws[-1]) / (ys[0] / ws[0])
    elif len(points) >= 3 and ys[1] > ys[0]:
        growth = ((ys[-1] - ys[-2]) / (ws[-1] - ws[-2])) / ((ys[1] - ys[0]) / (ws[1] - ws[0]))
    else:
        growth = None
    return {"fixed_s": round(my - slope * mx, 2), "marginal_articles_per_s": round(1 / slope, 2) if slope > 0 else None,
            "growth": round(growth, 3) if growth is not None else None}


def summarise(name: str, sample: dict, result: dict) -> dict:
    figures = {"articles": sample["articles"], "words": sample["words"], **result}
    figures["articles_per_s"] = sample["articles"] / result["seconds"]
    figures["words_per_s"] = sample["words"] / result["seconds"]
    if name == "post-parse":
        figures["sentences_per_s"] = result["sentences"] / result["seconds"]
    return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in figures.items()}


def targets(runs: dict, sizes: list[int], ref: int) -> dict:
    bbc = runs["bbc"]
    top = str(max(sizes))
    rate = lambda n, c: bbc[str(n)][c]["articles_per_s"]  # noqa: E731
    fits = {c: fit([(n, bbc[str(n)][c]["words"], bbc[str(n)][c]["seconds"]) for n in sizes if c in bbc[str(n)]],
                   steady=c in ("bare", "code"))
            for c in ("bare", "code", "ingest-1", "ingest-2")}
    ingest_peaks = [r["peak_mb"] for corpus in runs.values() for size in corpus.values()  # the largest process:
                    for c, r in size.items() if c.startswith("ingest")]  # a worker (the writer is smaller)
    growths = [f["growth"] for f in fits.values() if f and f["growth"] is not None]
    growth = max(growths) if growths else None
    figures = {
        "code_vs_bare": round(rate(top, "code") / rate(top, "bare"), 3),
        "post_parse_sentences_per_s": bbc[str(ref)]["post-parse"]["sentences_per_s"],
        "ingest_2_vs_1": round(rate(top, "ingest-2") / rate(top, "ingest-1"), 3),
        "end_to_end_articles_per_s": rate(top, "ingest-2"),
        "peak_mb_per_worker": round(max(ingest_peaks), 1),
        "growth": growth,
    }
    one, two = (fits[c] and fits[c]["marginal_articles_per_s"] for c in ("ingest-1", "ingest-2"))
    marginal = round(two / one, 3) if one and two else None  # start-up left out (needs 2 sizes with ingest)
    checks = {}
    for key, value in figures.items():
        if value is None:
            checks[key] = None
        elif key in ("peak_mb_per_worker", "growth"):
            checks[key] = value <= TARGETS[key]
        else:
            checks[key] = value >= TARGETS[key]
    at_ref = bbc[str(ref)]
    ner = {
        "bare_words_per_s": at_ref["bare"]["words_per_s"],
        "bare_no_ner_words_per_s": at_ref["bare-no-ner"]["words_per_s"],
        "ingest_2_articles_per_s": at_ref["ingest-2"]["articles_per_s"],
        "ingest_2_no_ner_articles_per_s": at_ref["ingest-2-no-ner"]["articles_per_s"] if "ingest-2-no-ner" in at_ref
        else None,  # not in --quick
    }
    ner["speed-up"] = round(ner["bare_no_ner_words_per_s"] / ner["bare_words_per_s"], 3)
    return {"figures": figures, "targets": TARGETS, "met": checks, "fits": fits,
            "ingest_2_vs_1_marginal": marginal, "ner": ner}


def table(runs: dict) -> list[str]:
    lines = ["| corpus | articles | words | configuration | s | articles/s | words/s | peak MB (largest process) |",
             "|---|---:|---:|---|---:|---:|---:|---:|"]
    for corpus, sizes in runs.items():
        for configs in sizes.values():
            for name, r in configs.items():
                peak = f"{r['peak_mb']:.0f}"
                if "worker_mb" in r:
                    peak += f" (writer {r['writer_mb']:.0f}, worker {r['worker_mb']:.0f})"
                lines.append(f"| {corpus} | {r['articles']:,} | {r['words']:,} | {name} | {r['seconds']:.1f} | "
                             f"{r['articles_per_s']:.1f} | {r['words_per_s']:,.0f} | {peak} |")
    return lines


def plot(runs: dict, sizes: list[int], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.2), dpi=110)
    for name in ("bare", "code", "ingest-1", "ingest-2"):
        points = [(n, runs["bbc"][str(n)][name]["seconds"]) for n in sizes if name in runs["bbc"][str(n)]]
        ax.plot([x for x, _ in points], [y for _, y in points], marker="o", label=name)
    ax.set_xlabel("BBC articles")
    ax.set_ylabel("seconds")
    ax.set_title("Cost against the number of articles", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: BBC at 100 and 200 articles, 40 Guardian; ingest only at the largest size")
    parser.add_argument("--tune", action="store_true",
                        help="also nlp.pipe at batch sizes 64 and 256 and ingest with 3 workers (smallest size)")
    parser.add_argument("--sizes", type=int, nargs="+", help="BBC sample sizes [500 1000 2000]")
    parser.add_argument("--guardian", type=int, help="Guardian articles [all 237; 0: none]")
    parser.add_argument("--bbc-corpus", type=Path, default=BBC, help="JSON Lines (or any input tocsin reads)")
    parser.add_argument("--guardian-corpus", type=Path, default=GUARDIAN)
    parser.add_argument("--json", type=Path, help="the figures [docs/bench-scale.json; --quick: a temporary file]")
    parser.add_argument("--plot", type=Path, help="a PNG of cost against articles [docs/bench-scale.png unless --quick]")
    parser.add_argument("--run", choices=sorted(CONFIGS), help=argparse.SUPPRESS)
    parser.add_argument("--sample", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)

    if opts.run:  # the child: one configuration
        opts.out.write_text(json.dumps(CONFIGS[opts.run](opts.sample)))
        return 0

    sizes = sorted(set(opts.sizes or ([100, 200] if opts.quick else [500, 1000, 2000])))
    n_guardian = opts.guardian if opts.guardian is not None else (40 if opts.quick else 10**6)
    out = opts.json or (Path(tempfile.gettempdir()) / "bench-scale-quick.json" if opts.quick
                        else ROOT / "docs" / "bench-scale.json")
    picture = opts.plot or (None if opts.quick else ROOT / "docs" / "bench-scale.png")
    for corpus in (opts.bbc_corpus, opts.guardian_corpus):
        if not corpus.exists():
            sys.exit(f"no corpus at {corpus}: give --bbc-corpus / --guardian-corpus")
    ref = max(sizes) if opts.quick else min(sizes)  # where the extras run
    started = time.perf_counter()
    runs: dict[str, dict[str, dict]] = {"bbc": {}, "guardian": {}}
    plan = [("bbc", opts.bbc_corpus, n) for n in sizes] + ([("guardian", opts.guardian_corpus, n_guardian)]
                                                          if n_guardian else [])
    print(f"bench/scale.py on {machine()['cpu']}, {os.cpu_count()} cores; BBC sizes {sizes}, "
          f"Guardian {'all' if n_guardian >= 10**6 else n_guardian}", flush=True)
    corpora = {"bbc": read_corpus(opts.bbc_corpus), "guardian": read_corpus(opts.guardian_corpus) if n_guardian else []}
    with tempfile.TemporaryDirectory() as tmp:
        for corpus, _, n in plan:
            sample_path = Path(tmp) / f"{corpus}-{n}.jsonl"
            sample = write_sample(corpora[corpus], n, sample_path)
            ingest = not opts.quick or (corpus == "bbc" and n == max(sizes))  # --quick: ingest once
            extras = [e for e in EXTRAS if not (opts.quick and e.startswith("ingest"))] + \
                (list(TUNING) if opts.tune else [])
            names = ["bare", "code"] + (["ingest-1", "ingest-2"] if ingest else []) \
                + (extras if corpus == "bbc" and n == ref else [])
            key = str(sample["articles"])
            runs[corpus][key] = {}
            for name in names:
                result = summarise(name, sample, run_config(name, sample_path))
                runs[corpus][key][name] = result
                print(f"  {corpus:<8} {sample['articles']:>5,} articles  {name:<16} {result['seconds']:7.1f} s  "
                      f"{result['articles_per_s']:6.1f} articles/s  {result['words_per_s']:7,.0f} words/s  "
                      f"peak {result['peak_mb']:5.0f} MB", flush=True)
    report = {
        "command": "python bench/scale.py" + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip(),
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "seconds": round(time.perf_counter() - started, 1),
        "sizes": sizes,
        **targets(runs, [int(k) for k in runs["bbc"]], len(corpora["bbc"][:ref])),
        "runs": runs,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print("\n".join(["", *table(runs), ""]))
    for key, value in report["figures"].items():
        met = report["met"][key]
        verdict = "n/a" if met is None else ("met" if met else "NOT MET")
        print(f"  {key:<28} {value!s:>8}   target {'<=' if key in ('peak_mb_per_worker', 'growth') else '>='} "
              f"{TARGETS[key]:<6} {verdict}")
    ner = report["ner"]
    print(f"  spaCy NER: {ner['bare_words_per_s']:,.0f} words/s with it, {ner['bare_no_ner_words_per_s']:,.0f} "
          f"without ({ner['speed-up']:.2f}x)" + (
              f"; ingest -w 2: {ner['ingest_2_articles_per_s']:.1f} articles/s with it, "
              f"{ner['ingest_2_no_ner_articles_per_s']:.1f} without" if ner["ingest_2_no_ner_articles_per_s"] else ""))
    if report["ingest_2_vs_1_marginal"]:
        print(f"  ingest 2 workers / 1 worker, start-up left out (fit over sizes): {report['ingest_2_vs_1_marginal']}")
    if picture:
        plot(runs, [int(k) for k in runs["bbc"]], picture)
    print(f"figures -> {out}" + (f", plot -> {picture}" if picture else "") + f" ({report['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
