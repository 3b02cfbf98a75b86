"""`tocsin ingest --engine ray`: on a local Ray cluster of 2 CPUs, the same store as the local engine.

Real articles from ../shared/corpora (BBC politics, Guardian), one duplicate text under
another id and one malformed line go through the local engine (in-process) and through
the Ray engine (the real CLI, Ray Data actors, Parquet partitions): the event ids, every
event, actor, article and source row, and the skipped inputs must be identical.
"""
from __future__ import annotations

import csv
import json
import sys
import time

import pytest
from click.testing import CliRunner

pytest.importorskip("ray", reason="tocsin[ray] is not installed: pip install 'tocsin[ray]'")

from tocsin.cli import app  # noqa: E402
from tocsin.ingest.ray_engine import NOT_INSTALLED, ingest_ray  # noqa: E402
from tocsin.ingest.sources import read_sources  # noqa: E402
from tocsin.ingest.workers import ingest  # noqa: E402
from tocsin.store import Store  # noqa: E402

BBC_IDS = ("politics/007.txt", "politics/014.txt", "politics/058.txt", "politics/136.txt")
GUARDIAN_ROWS = 2

# every column of every table, less the wall-clock stamps of the run
TABLES = {
    "events": "SELECT * FROM events ORDER BY id",
    "actors": "SELECT * FROM actors ORDER BY event_id, part",
    "articles": "SELECT * EXCLUDE (ingested_at) FROM articles ORDER BY id",
    "sources": "SELECT * EXCLUDE (seen_at) FROM sources ORDER BY source_id",
    "skipped": "SELECT * EXCLUDE (first_seen, last_seen) FROM skipped ORDER BY id",
}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, shared):
    """A JSON Lines file (4 BBC articles, one again under another id, a malformed line) and a Guardian CSV."""
    folder = tmp_path_factory.mktemp("ray-inputs")
    lines = {}
    with open(shared("corpora", "bbc", "bbc_2225.jsonl"), encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record["id"] in BBC_IDS:
                lines[record["id"]] = record
    assert len(lines) == len(BBC_IDS)
    again = dict(lines[BBC_IDS[0]], id="copy-of-007")
    jsonl = folder / "bbc.jsonl"
    jsonl.write_text("\n".join([*(json.dumps(r) for r in lines.values()), json.dumps(again), "{not json"]) + "\n",
                     encoding="utf-8")
    csv.field_size_limit(10**8)
    with open(shared("corpora", "guardian", "guardian_sdf_2019.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[: GUARDIAN_ROWS + 1]
    guardian = folder / "guardian.csv"
    with open(guardian, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return [str(jsonl), str(guardian)]


@pytest.fixture(scope="module")
def cluster():
    import ray

    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="WARNING")
    yield ray
    ray.shutdown()


def tables(path) -> dict[str, list[tuple]]:
    with Store(path, read_only=True) as store:
        return {name: store.conn.execute(sql).fetchall() for name, sql in TABLES.items()}


def test_ray_options_need_the_ray_engine(tmp_path, inputs):
    result = CliRunner().invoke(app, ["ingest", inputs[0], "--db", str(tmp_path / "x.duckdb"), "--address", "h:6379"])
    assert result.exit_code == 2 and "--address needs --engine ray" in result.output


def test_a_used_parquet_folder_is_refused_before_any_work(tmp_path, inputs):
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "old.parquet").write_bytes(b"PAR1")
    result = CliRunner().invoke(app, ["ingest", inputs[0], "--db", str(tmp_path / "x.duckdb"), "--engine", "ray",
                                      "--parquet", str(tmp_path / "parts")])
    assert result.exit_code == 1
    assert "is not empty: give a new folder for the Parquet partitions" in result.output
    with Store(tmp_path / "x.duckdb", read_only=True) as store:
        assert store.counts()["articles"] == 0


def test_without_ray_one_line_says_what_to_install(tmp_path, inputs, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # as on a machine without the extra: `import ray` fails
    result = CliRunner().invoke(app, ["ingest", inputs[0], "--db", str(tmp_path / "x.duckdb"), "--engine", "ray"])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {NOT_INSTALLED}"


def test_an_unreachable_cluster_is_one_line_not_a_hang(tmp_path, inputs):
    import socket

    import ray

    assert not ray.is_initialized()  # runs before the cluster fixture starts one
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    result = CliRunner().invoke(app, ["ingest", inputs[0], "--db", str(tmp_path / "x.duckdb"), "--engine", "ray",
                                      "--address", f"127.0.0.1:{port}"])
    assert result.exit_code == 1 and time.monotonic() - started < 30
    assert result.output.startswith(f"Error: cannot reach a Ray cluster at 127.0.0.1:{port} (")
    assert "ray start --head" in result.output and len(result.output.strip().splitlines()) == 1


def test_ray_engine_stores_what_the_local_engine_stores(tmp_path, inputs, cluster):
    local_db, ray_db, parts = tmp_path / "local.duckdb", tmp_path / "ray.duckdb", tmp_path / "parts"
    with Store(local_db) as store:
        local = ingest(read_sources(inputs), store, workers=0)
    result = CliRunner().invoke(app, ["ingest", *inputs, "--db", str(ray_db), "--engine", "ray",
                                      "--parquet", str(parts), "--no-progress"])
    assert result.exit_code == 1, result.output  # 1: the malformed line is skipped (and stored as such)
    assert f"{local.coded:,} coded" in result.output and f"{local.events:,} events" in result.output
    assert "1 duplicate text linked" in result.output and "1 skipped" in result.output

    expected, got = tables(local_db), tables(ray_db)
    assert local.coded == len(BBC_IDS) + GUARDIAN_ROWS and local.events >= 10
    assert [row[0] for row in got["events"]] == [row[0] for row in expected["events"]]  # the same event ids
    for name in TABLES:
        assert got[name] == expected[name], f"{name} differ between the engines"

    # the partitions the workers wrote hold every coded article and every event
    import duckdb

    parquet = f"read_parquet('{parts / '*' / '*.parquet'}')"
    with duckdb.connect() as conn:
        n_rows, n_events = conn.execute(f"SELECT count(*), sum(n_events) FROM {parquet}").fetchone()
        ids = {row[0] for row in conn.execute(f"SELECT unnest(event_ids) FROM {parquet}").fetchall()}
        evidence = conn.execute(f"SELECT json_extract_string(unnest(events), '$.evidence') FROM {parquet}").fetchall()
    assert (n_rows, n_events) == (local.coded, local.events)
    assert ids == {row[0] for row in expected["events"]}
    assert sorted(r[0] for r in evidence) == sorted(r[-2] for r in expected["events"])

    # a second run codes nothing: every source is already stored under the same text
    with Store(ray_db) as store:
        again = ingest_ray(read_sources(inputs), store)
    assert (again.read, again.unchanged, again.coded, again.events) == (local.read, local.read, 0, 0)
    assert tables(ray_db)["events"] == expected["events"]
