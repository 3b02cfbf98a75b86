"""bench/scale.py --quick on a handful of real BBC articles: one command gives every figure of the issue.

Timings on so few articles mean nothing; what is checked is that each configuration runs in
its own process and that the JSON holds every figure, target and verdict, with the machine.
The Guardian corpus is left out (--guardian 0) to keep this under a minute: it runs the
same configurations.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_quick_run_writes_every_figure(tmp_path, shared):
    bbc = tmp_path / "bbc.jsonl"
    with open(shared("corpora", "bbc", "bbc_2225.jsonl"), encoding="utf-8") as f:
        bbc.write_text("".join(line for _, line in zip(range(40), f)), encoding="utf-8")
    out = tmp_path / "scale.json"
    command = [sys.executable, str(ROOT / "bench" / "scale.py"), "--quick", "--sizes", "2", "4", "--guardian", "0",
               "--bbc-corpus", str(bbc), "--json", str(out)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(out.read_text())

    assert set(report["figures"]) == set(report["targets"]) == set(report["met"]) == {
        "code_vs_bare", "post_parse_sentences_per_s", "ingest_2_vs_1", "end_to_end_articles_per_s",
        "peak_mb_per_worker", "growth"}
    assert all(isinstance(v, (int, float)) and v > 0 for v in report["figures"].values()), report["figures"]
    assert all(isinstance(v, bool) for v in report["met"].values())
    assert report["machine"]["cores"] >= 1 and report["machine"]["python"].count(".") == 2
    assert report["ner"]["bare_no_ner_words_per_s"] > 0 and report["ner"]["speed-up"] > 0

    bbc_runs = report["runs"]["bbc"]
    assert set(bbc_runs) == {"2", "4"}
    assert set(bbc_runs["4"]) == {"bare", "code", "ingest-1", "ingest-2", "bare-no-ner", "post-parse"}
    assert report["runs"]["guardian"] == {}  # --guardian 0
    for configs in bbc_runs.values():
        for name, run in configs.items():
            assert run["articles_per_s"] > 0 and run["words_per_s"] > run["articles_per_s"], name
            assert 50 < run["peak_mb"] < 4096, (name, run["peak_mb"])
    ingest = bbc_runs["4"]["ingest-2"]
    assert ingest["coded"] == 4 and ingest["events"] == bbc_runs["4"]["code"]["events"]
    assert 0 < ingest["writer_mb"] and 0 < ingest["worker_mb"] <= ingest["peak_mb"] + 1
    assert "ner" in bbc_runs["4"]["bare"]["components"] and "ner" not in bbc_runs["4"]["bare-no-ner"]["components"]
    post = bbc_runs["4"]["post-parse"]
    assert post["sentences"] > 4 and set(post["stages_s"]) == {"actors", "dates", "places", "extraction and coding"}
    assert "| bbc | 4 |" in proc.stdout and "end_to_end_articles_per_s" in proc.stdout
