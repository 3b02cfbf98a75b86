"""Integration tests through the real `tocsin` command (subprocess), on real articles."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tocsin.evaluate import load_gold, score
from tocsin.model import Event

TOCSIN = [sys.executable, "-m", "tocsin.cli"]


def run(*args, stdin: bytes | None = None):
    return subprocess.run(TOCSIN + list(args), input=stdin, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def seed_events(shared):
    article = shared("seed", "russia-nato-talks.txt")
    proc = run("code", "--published", "2021-12-16", "--format", "jsonl", str(article))
    assert proc.returncode == 0, proc.stderr.decode()
    return [json.loads(line) for line in proc.stdout.decode().splitlines() if line.strip()], article


def test_seed_recall_and_no_forbidden(seed_events, shared):
    events, _ = seed_events
    gold = load_gold(shared("seed", "expected.jsonl"))
    result = score([Event.from_dict(e) for e in events], gold)
    assert result.required == 13
    assert result.hits >= 11, [r for r in result.rows if r["status"] == "miss"]
    assert result.violations == 0, [r for r in result.rows if r["status"] == "violated"]


def test_seed_spans_are_exact_and_rules_present(seed_events):
    events, article = seed_events
    text = article.read_text(encoding="utf-8").strip()
    assert events
    for e in events:
        start, end = e["span"]
        assert text[start:end] == e["evidence"]
        assert e["rule"]
        assert e["modality"] in ("asserted", "said", "intended", "possible", "hypothetical", "negated",
                                 "denied", "alleged", "demanded", "historical")
        assert e["quad_class"] in (1, 2, 3, 4)
        for field in ("article_id", "sentence_index", "source", "target", "type", "mode", "context", "cameo",
                      "goldstein", "speaker", "date", "date_text", "place", "confidence"):
            assert field in e


def test_seed_boilerplate_not_coded(seed_events):
    events, _ = seed_events
    assert not any("Comments are closed" in e["evidence"] for e in events)


def test_could_invade_never_asserted(seed_events):
    events, _ = seed_events
    for e in events:
        if "could soon invade" in e["evidence"] and e["cameo"][:2] in ("18", "19", "20"):
            assert e["modality"] != "asserted"


def test_bad_inputs_reported_and_rest_coded(tmp_path, shared):
    good = shared("seed", "russia-nato-talks.txt")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Title\n\xff\xfe\xfa broken")
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    dump = tmp_path / "dump.jsonl"
    dump.write_text('{"id": "x1", "title": "Russia and NATO", "text": "Russia rejected the accusations."}\n{broken\n')
    proc = run("code", "--published", "2021-12-16", "--format", "jsonl", str(good), str(bad),
               str(tmp_path / "missing.txt"), str(empty), str(dump))
    err = proc.stderr.decode()
    assert proc.returncode == 1
    assert f"{bad}: not valid UTF-8" in err
    assert "missing.txt: no such file" in err
    assert f"{empty}: empty article" in err
    assert f"{dump}:2: malformed JSON" in err
    assert "2 articles coded" in err and "4 inputs skipped" in err
    ids = {json.loads(line)["article_id"] for line in proc.stdout.decode().splitlines()}
    assert ids == {str(good), "x1"}


def test_stdin_and_formats(tmp_path):
    text = b"Talks\nThe United States imposed sanctions on Iran on Monday.\n"
    proc = run("code", "--published", "2022-03-09", "--format", "csv", "-", stdin=text)
    assert proc.returncode == 0, proc.stderr.decode()
    lines = proc.stdout.decode().splitlines()
    assert lines[0].startswith("id,article_id,sentence_index")
    assert any(",USA," in line and ",IRN," in line and "SANCTION" in line for line in lines[1:])
    proc = run("code", "--published", "2022-03-09", "--format", "json", "-", stdin=text)
    data = json.loads(proc.stdout)
    assert isinstance(data, list) and data[0]["date"] == "2022-03-07"


def test_bad_published_date_is_a_usage_error():
    proc = run("code", "--published", "16/12/2021", "-", stdin=b"x")
    assert proc.returncode == 2
    assert "YYYY-MM-DD" in proc.stderr.decode()


def test_table_and_explain(shared):
    proc = run("code", "--published", "2021-12-16", "--format", "table", "--explain",
               str(shared("seed", "russia-nato-talks.txt")))
    out = proc.stdout.decode()
    assert "events" in out and "REJECT" in out
    assert "lexicon" in out and "modality" in out


def test_eval_command(shared):
    proc = run("eval", "--published", "2021-12-16", "--format", "json",
               str(shared("seed", "expected.jsonl")), str(shared("seed", "russia-nato-talks.txt")))
    result = json.loads(proc.stdout)
    assert result["required"] == 13 and result["hits"] >= 11 and result["violations"] == 0
    assert {r["status"] for r in result["rows"]} <= {"hit", "miss", "optional-miss", "ok", "violated"}
    assert proc.returncode == 0


def test_help_teaches():
    out = run("--help").stdout.decode()
    for command in ("code", "demo", "eval"):
        assert command in out
    out = run("code", "--help").stdout.decode()
    assert "Examples" in out and "--published" in out and "--explain" in out
