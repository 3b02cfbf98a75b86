"""Crash safety of `tocsin ingest`: 20 SIGKILLs while it writes, the same command again, nothing lost or doubled.

The input is 16 Guardian stories (their first sentences), each followed by
seven syndicated copies (the same text under other ids), and a broken line,
in two versions: version B changes the text of every other story and of its
copies. Ingesting one version over the other codes 8 stories, moves 56
copies to the new texts and removes the 8 replaced articles, in one write
batch for each 64-line block the ingester reads (two, then the broken line).
The versions alternate in one store; each run is killed with SIGKILL and then
run again to the end, and the store must then equal a clean ingest of that
version, row for row. After every kill the store must be consistent too.

When to kill: the store's write-ahead log (WAL) is written at every commit,
so the test watches it and kills inside the first or the second commit (as
soon as the WAL changes), a little after the first commit (a random delay
shorter than the coding of the next batch), or, one kill in five, at any
moment. A kill has landed while writing when the WAL had changed and the
store it leaves is not the finished one; at least 10 of 20 must land, and
at least 4 must leave a store half-way between the two versions.

The runs are the real CLI (`tocsin.cli.app`, `--workers 0`) in real
processes that get a real SIGKILL, forked from the test process, which has
loaded spaCy already: a run costs its coding, not 5-10 s of start-up. One of
the kills runs `python -m tocsin.cli ingest --workers 1` from scratch instead,
with its pool of worker processes, and the test checks that the workers exit
with their killed writer. `Forked` is also what tests/test_faults.py runs the CLI with.
"""
from __future__ import annotations

import csv
import gc
import itertools
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Callable

import pytest

from tocsin.cli import app
from tocsin.ingest.workers import BLOCK
from tocsin.store import Store, StoreError

TOCSIN = [sys.executable, "-m", "tocsin.cli"]
KILLS = 20
LANDED, HALF_WAY = 10, 4  # kills that must land while writing; of them, leaving a store between two versions
FRESH_PROCESS_KILLS = {3}  # these run `python -m tocsin.cli` with a worker pool, not a forked copy
COPIES = 7
STORIES = 2 * (BLOCK // (1 + COPIES))  # two read blocks of stories and their copies: two write batches
QUIET = 0.03  # seconds without a WAL change that end a commit (its writes come within a few ms)


# -- running the CLI -----------------------------------------------------------------
class Forked:
    """`tocsin ARGS` in a forked copy of this process: the CLI's own entry point, spaCy already loaded.

    `setup` runs in the child before the command (limits, a user to become). The
    interface is Popen's: poll, wait, send_signal, returncode; plus `stderr` text.
    Fork only with no store open in this process (see `warm`).
    """

    _numbers = itertools.count()

    def __init__(self, args: list[str], folder: Path, setup: Callable[[], None] | None = None):
        number = next(self._numbers)
        self.out, self.err = folder / f"run{number}.stdout", folder / f"run{number}.stderr"
        self.returncode: int | None = None
        sys.stdout.flush()
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:
            self._child(args, setup)

    def _child(self, args: list[str], setup) -> None:
        code = 70
        try:
            for fd, path in ((1, self.out), (2, self.err)):
                target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
                os.dup2(target, fd)
                os.close(target)
            sys.stdout = open(1, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
            if setup is not None:
                setup()
            app.main(args, prog_name="tocsin")
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        except BaseException:  # what the real command would print: a traceback
            traceback.print_exc()
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float = 120) -> int:
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            if time.monotonic() > deadline:
                self.send_signal(signal.SIGKILL)
                os.waitpid(self.pid, 0)
                raise AssertionError(f"tocsin did not finish in {timeout} s: {self.stderr}")
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)

    @property
    def stderr(self) -> str:
        return self.err.read_text("utf-8", errors="replace") if self.err.exists() else ""

    @property
    def stdout(self) -> str:
        return self.out.read_text("utf-8", errors="replace") if self.out.exists() else ""


class Spawned(Forked):
    """`python -m tocsin.cli ARGS` from scratch (its own process group, as a shell starts it)."""

    def __init__(self, args: list[str], folder: Path):
        number = next(self._numbers)
        self.out, self.err = folder / f"run{number}.stdout", folder / f"run{number}.stderr"
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.proc = subprocess.Popen(TOCSIN + args, stdout=out, stderr=err, start_new_session=True)
        self.pid = self.proc.pid

    def poll(self) -> int | None:
        return self.proc.poll()

    @property
    def returncode(self) -> int | None:
        return self.proc.returncode

    def wait(self, timeout: float = 120) -> int:
        return self.proc.wait(timeout)

    def send_signal(self, sig: int) -> None:
        self.proc.send_signal(sig)


@pytest.fixture(scope="module")
def warm(code):
    """spaCy, the lexicon and the actor tables loaded in this process, so every forked run has them.

    Also: no DuckDB connection left open by earlier tests (an unreachable one waits for the
    garbage collector). A child forked while this process holds one, with its threads, can hang
    in DuckDB; `Forked` runs must not be started with a store open in this process."""
    assert code("France and Germany held talks in Paris on Monday.", "2022-01-10")
    gc.collect()


# -- the corpus and the store ------------------------------------------------------------
def make_versions(shared, folder: Path) -> list[Path]:
    csv.field_size_limit(sys.maxsize)
    with open(shared("corpora", "guardian", "guardian_sdf_2019.csv"), newline="", encoding="utf-8") as handle:
        rows = list(itertools.islice(csv.DictReader(handle), STORIES))
    paths = []
    for version in (0, 1):
        lines = []
        for i, row in enumerate(rows):
            sentences = re.split(r"(?<=[.!?”])\s+", row["text"])
            start = 1 if version and i % 2 == 0 else 0  # version B: every other story changed
            story = {"title": f"Guardian story {i}", "text": " ".join(sentences[start:start + 3]),
                     "published": row["date"]}
            lines.append(json.dumps({"id": f"g{i}", **story}))
            lines += [json.dumps({"id": f"g{i}-wire{copy}", **story}) for copy in range(1, COPIES + 1)]
        lines.append('{"id": "broken", "text": ')  # always skipped: the exit code is 1
        path = folder / f"guardian-{'AB'[version]}.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def ingest_args(path: Path, db: Path, workers: int = 0) -> list[str]:
    return ["ingest", str(path), "--db", str(db), "--workers", str(workers), "--batch", "2", "--no-progress"]


def snapshot(db: Path) -> dict:
    """The store's rows, after checking that it is consistent: no partial article, no orphan."""
    with Store(db, read_only=True) as store:
        conn = store.conn
        q = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
        integrity = {
            "events without article": q("SELECT count(*) FROM events WHERE article_id NOT IN (SELECT id FROM articles)"),
            "actors without event": q("SELECT count(*) FROM actors WHERE event_id NOT IN (SELECT id FROM events)"),
            "sources without article": q("SELECT count(*) FROM sources WHERE article_id NOT IN (SELECT id FROM articles)"),
            "articles without source": q("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM sources)"),
            "event count mismatch": q("SELECT count(*) FROM articles a WHERE n_events <> "
                                      "(SELECT count(*) FROM events e WHERE e.article_id = a.id)"),
        }
        assert all(v == [(0,)] for v in integrity.values()), integrity
        return {
            "counts": store.counts(),
            "articles": sorted(q("SELECT id, source_id, n_events FROM articles")),
            "sources": sorted(q("SELECT source_id, article_id FROM sources")),
            "events": sorted(q("SELECT id, article_id, cameo, span_start FROM events")),
            "actors": sorted(q("SELECT event_id, part, code FROM actors")),
            "skipped": sorted(q("SELECT origin, line, reason FROM skipped")),
        }


def left_by_kill(db: Path) -> dict:
    """What a killed run left in the store (checked), or no rows when it died before making the tables."""
    try:
        return snapshot(db)
    except StoreError as err:
        if "is an empty store" not in str(err) and "no store at" not in str(err):
            raise
        return {"sources": [], "events": []}


def wal_state(db: Path):
    wal = db.with_name(db.name + ".wal")
    try:
        stat = wal.stat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


def commits_done(run, db: Path, commits: int) -> None:
    """Return once `commits` commits have written the WAL (a burst of changes, then quiet), or the run ended."""
    last, changed = wal_state(db), None
    while commits and run.poll() is None:
        time.sleep(0.002)
        now = wal_state(db)
        if now != last:
            last, changed = now, time.monotonic()
        elif changed is not None and time.monotonic() - changed > QUIET:
            commits, changed = commits - 1, None


def commit_starts(run, db: Path) -> None:
    """Return as soon as the WAL changes (a commit is being written), or the run ended."""
    last = wal_state(db)
    while run.poll() is None and wal_state(db) == last:
        time.sleep(0.002)


def finish(path: Path, db: Path, folder: Path) -> str:
    """The same command again, to the end; returns its stderr."""
    run = Forked(ingest_args(path, db), folder)
    assert run.wait() == 1, run.stderr  # the broken line is skipped every time
    return run.stderr


# -- the test ------------------------------------------------------------------------------
def test_sigkill_while_writing_loses_and_doubles_nothing(shared, tmp_path, warm):
    versions = make_versions(shared, tmp_path)
    reference, durations = [], []
    for i, path in enumerate(versions):
        started = time.monotonic()
        summary = finish(path, tmp_path / f"ref{i}.duckdb", tmp_path)
        durations.append(time.monotonic() - started)
        assert "1 skipped" in summary and "duplicate texts linked" in summary, summary
        reference.append(snapshot(tmp_path / f"ref{i}.duckdb"))
    assert all(r["counts"]["skipped"] == 1 for r in reference)
    assert reference[0]["counts"]["articles"] == STORIES and reference[0]["counts"]["sources"] == STORIES * (1 + COPIES)
    assert reference[0]["counts"]["events"] > 10 and reference[0]["events"] != reference[1]["events"]

    db = tmp_path / "crash.duckdb"
    rng = random.Random(int(os.environ.get("TOCSIN_CRASH_SEED", "7")))
    gap = min(durations) / 4  # coding one batch over the other version: half the stories of one of two blocks
    landed, half_way, spawned, log = 0, 0, [], []
    before: tuple = ([], [])  # (sources, events) before the run: an empty store at first
    for kill in range(KILLS):
        version, wal = kill % 2, wal_state(db)
        if kill in FRESH_PROCESS_KILLS:
            run = Spawned(ingest_args(versions[version], db, workers=1), tmp_path)
            spawned.append(run.pid)
        else:
            run = Forked(ingest_args(versions[version], db), tmp_path)
        kind = kill % 5
        if kind == 0:  # any moment: starting, reading, coding, writing, or done
            delay = rng.uniform(0.0, 2 * gap)
            how = f"at {delay:.2f} s"
            time.sleep(delay)
        elif kind in (1, 3):  # after the first batch, while the next one is coded
            commits_done(run, db, 1)
            delay = rng.uniform(0.0, 0.8 * gap)
            how = f"{delay:.2f} s after commit 1"
            time.sleep(delay)
        else:  # inside the first or the second commit
            commits_done(run, db, kind // 2 - 1)
            commit_starts(run, db)
            how = f"inside commit {kind // 2}"
        wrote = wal_state(db) != wal
        run.send_signal(signal.SIGKILL)  # the writer only, as `kill -9 PID` would
        run.wait()
        left = left_by_kill(db)
        expected = reference[version]
        state, done = (left["sources"], left["events"]), (expected["sources"], expected["events"])
        landed += wrote and state != done
        half_way += state not in (before, done)
        log.append(f"kill {kill} {how} (exit {run.returncode}): "
                   f"{'finished' if state == done else 'while writing' if wrote else 'before any commit'}"
                   f"{', half-way' if state not in (before, done) else ''}")

        finish(versions[version], db, tmp_path)
        state = snapshot(db)
        assert set(expected["skipped"]) <= set(state.pop("skipped")), log[-1]  # both versions' broken lines
        wanted = {k: v for k, v in expected.items() if k != "skipped"}
        wanted["counts"] = {**expected["counts"], "skipped": state["counts"]["skipped"]}
        assert state == wanted, log[-1]
        before = done

    report = "\n".join(log)
    print(report)
    assert landed >= LANDED and half_way >= HALF_WAY, f"too few kills landed while writing:\n{report}"

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(g) for g in spawned):
        time.sleep(0.2)
    stray = [g for g in spawned if _alive(g)]
    for group in stray:
        os.killpg(group, signal.SIGKILL)
    assert not stray, "worker processes outlived their killed writer"


def _alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("workers", ["0"])
def test_ingest_command_summary_and_exit_codes(tmp_path, workers):
    good = tmp_path / "good.txt"
    good.write_text("Talks in Paris\n\nFrance and Germany held talks in Paris on Monday.", encoding="utf-8")
    db = tmp_path / "c.duckdb"
    run = lambda *names: subprocess.run(TOCSIN + ["ingest", *names, "--db", str(db), "--workers", workers],  # noqa: E731
                                        capture_output=True, text=True, timeout=120)
    first = run(str(good))
    assert first.returncode == 0, first.stderr
    assert "1 article read, 1 coded" in first.stderr
    second = run(str(good), str(tmp_path / "missing.txt"))
    assert second.returncode == 1
    assert "skipped" in second.stderr and "missing.txt" in second.stderr and "1 unchanged" in second.stderr
    with Store(db, read_only=True) as store:
        assert store.counts()["articles"] == 1 and store.counts()["skipped"] == 1
