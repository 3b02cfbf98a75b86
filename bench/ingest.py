"""Ingest throughput against `tocsin code`, and idempotence on a whole corpus.

    python bench/ingest.py                 # 300 BBC articles: code vs ingest with 1 and 2 workers
    python bench/ingest.py -n 100 --workers 1
    python bench/ingest.py --twice         # all 2,225 BBC articles ingested twice: counts must not move
    python bench/ingest.py --corpus my.jsonl

Each figure is the wall time of the real command (a fresh process, spaCy load
included), so the ratio is what a user sees: ingest articles/s divided by
`tocsin code` articles/s on the same articles (target >= 0.9 with 1 worker).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TOCSIN_SHARED", ROOT.parent / "shared"))
DEFAULT_CORPUS = SHARED / "corpora" / "bbc" / "bbc_2225.jsonl"
TOCSIN = [sys.executable, "-m", "tocsin.cli"]


def timed(args: list[str], **kw) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    proc = subprocess.run(TOCSIN + args, capture_output=True, text=True, **kw)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        sys.exit(f"tocsin {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed, proc


def counts(db: Path) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    from tocsin.store import Store

    with Store(db, read_only=True) as store:
        c = store.counts()
        c["distinct event ids"] = store.conn.execute("SELECT count(DISTINCT id) FROM events").fetchone()[0]
        return c


def sample(corpus: Path, n: int | None, out: Path) -> int:
    lines = [line for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines = lines[:n] if n else lines
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def compare(corpus: Path, n: int, workers: list[int], tmp: Path) -> None:
    data = tmp / "sample.jsonl"
    total = sample(corpus, n, data)
    print(f"{total} articles from {corpus.name}; {os.cpu_count()} cores")
    code_s, proc = timed(["code", "--format", "jsonl", str(data)])
    n_events = proc.stdout.count("\n")
    code_rate = total / code_s
    print(f"  tocsin code             {code_s:7.1f} s  {code_rate:6.1f} articles/s  {n_events:,} events")
    for k in workers:
        db = tmp / f"w{k}.duckdb"
        ingest_s, proc = timed(["ingest", str(data), "--db", str(db), "--workers", str(k)])
        rate = total / ingest_s
        again_s, _ = timed(["ingest", str(data), "--db", str(db), "--workers", str(k)])
        c = counts(db)
        print(f"  tocsin ingest -w {k}      {ingest_s:7.1f} s  {rate:6.1f} articles/s  {c['events']:,} events  "
              f"ratio to code {rate / code_rate:.2f}  (second run {again_s:.1f} s)")
        print(f"    {proc.stderr.strip().splitlines()[-1]}")


def twice(corpus: Path, workers: int, tmp: Path) -> None:
    data = tmp / "all.jsonl"
    total = sample(corpus, None, data)
    db = tmp / "all.duckdb"
    first_s, first = timed(["ingest", str(data), "--db", str(db), "--workers", str(workers)])
    after_first = counts(db)
    second_s, second = timed(["ingest", str(data), "--db", str(db), "--workers", str(workers)])
    after_second = counts(db)
    print(f"{total} articles from {corpus.name}, {workers} workers")
    print(f"  first run   {first_s:7.1f} s ({total / first_s:.1f} articles/s): {first.stderr.strip().splitlines()[-1]}")
    print(f"  second run  {second_s:7.1f} s: {second.stderr.strip().splitlines()[-1]}")
    print(f"  counts after first:  {json.dumps(after_first)}")
    print(f"  counts after second: {json.dumps(after_second)}")
    print("  identical" if after_first == after_second else "  COUNTS CHANGED")
    if after_first != after_second:
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="a JSON Lines file of articles")
    parser.add_argument("-n", type=int, default=300, help="articles for the comparison")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--twice", action="store_true", help="ingest the whole corpus twice and compare counts")
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"no corpus at {args.corpus}: give --corpus FILE.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        if args.twice:
            twice(args.corpus, max(args.workers), Path(tmp))
        else:
            compare(args.corpus, args.n, args.workers, Path(tmp))


if __name__ == "__main__":
    main()
