"""Faults of the store's file through the real CLI: a full disk, a read-only file or folder, a damaged file.

Each fault must give one line on stderr naming the store file, the cause and
what to do, a non-zero exit and no traceback; and it must leave the store as
consistent as a kill -9 does (tests/test_crash.py): every stored article
with all its events, no orphan rows, and the same command run again (once
the fault is gone) ends at exactly what a clean ingest gives.

A full disk is made two ways: a file size limit (RLIMIT_FSIZE, so a write
fails with EFBIG, "File too large"), which works for any user anywhere, and
a real one (ENOSPC) on a small tmpfs, which needs root and is skipped where
mounting is not allowed. The room left is half-way between the size the
store's write-ahead log has after the first batch of a clean run and at its
end, so a write fails in the middle of the run, after a batch is stored.
A read-only file or folder is read-only for the user the command runs as:
root writes anything, so as root the command drops to `nobody`.

The commands run in processes forked from the test process (spaCy loaded
once): `Forked` from tests/test_crash.py.
"""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from test_crash import Forked, ingest_args, make_versions, snapshot, wal_state, warm  # noqa: F401

from tocsin.store import Store
from tocsin.store.database import StoreDamaged

NOBODY = 65534
TALKS = "Talks in Paris\n\nFrance and Germany held talks in Paris on Monday.\n"


# -- helpers ------------------------------------------------------------------------------
def first_batch_and_end(run, db: Path) -> tuple[int, int]:
    """Watching a run's WAL: its size after the first batch (the write followed by the longest pause,
    the coding of the next batch) and at the end (before it is checkpointed into the store and goes)."""
    changes, last = [], wal_state(db)
    while run.poll() is None:
        now = wal_state(db)
        if now != last and now is not None:
            changes.append((time.monotonic(), now[0]))
        last = now
        time.sleep(0.002)
    assert len(changes) >= 2, f"expected two batches or more, saw the WAL grow {changes}"
    pauses = [(after[0] - at, size) for (at, size), after in zip(changes, changes[1:])]
    return max(pauses)[1], changes[-1][1]


def file_size_limit(limit: int):
    """A child setup: files may not grow beyond `limit` bytes; a write past it fails with EFBIG.

    The run's stderr is a file too: a limit under 1 kB would cut its one line short."""
    def setup():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an error to handle, not a signal that kills
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    return setup


def as_nobody():
    """A child setup: become a user who cannot write what root's chmod made read-only (root writes anything).

    What the command imports is imported first: Python itself may live where that user cannot read
    (here under /root); the test also loads spaCy before forking (`warm`)."""
    import duckdb  # noqa: F401

    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)


def one_error_line(run, *words: str) -> str:
    """The run failed with exit 1 and exactly one line on stderr, naming every one of `words`."""
    lines = run.stderr.splitlines()
    assert run.returncode == 1, run.stderr
    assert len(lines) == 1 and lines[0].startswith("Error: "), run.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def events_by_article(state: dict) -> dict[str, set]:
    found: dict[str, set] = {}
    for event in state["events"]:
        found.setdefault(event[1], set()).add(event)
    return found


@pytest.fixture(scope="module")
def corpus(shared, tmp_path_factory, warm):  # noqa: F811 - the fixture imported above
    """Version A of the crash corpus (two write batches and the broken line), its clean ingest
    (rows), and a WAL size that a run reaches in the middle of its second batch."""
    folder = tmp_path_factory.mktemp("corpus")
    path = make_versions(shared, folder)[0]
    db = folder / "clean.duckdb"
    Store(db).close()  # the tables first, so that every commit watched is a batch
    run = Forked(ingest_args(path, db), folder)
    first, end = first_batch_and_end(run, db)
    assert run.wait() == 1, run.stderr  # the broken line
    return path, snapshot(db), (first + end) // 2  # room for the first batch, not for the second


# -- a full disk ----------------------------------------------------------------------------
def test_full_disk_mid_run_keeps_the_batches_before_and_a_rerun_finishes(corpus, tmp_path):
    path, clean, limit = corpus
    db = tmp_path / "news.duckdb"
    Store(db).close()
    run = Forked(ingest_args(path, db), tmp_path, setup=file_size_limit(limit))
    run.wait()
    line = one_error_line(run, f"cannot write to {db}", "the file size limit is reached", "File too large",
                          "written before it", "is kept and the store is consistent",
                          "run the same command again to carry on")

    state = snapshot(db)  # consistent: no orphans, n_events match
    stored, wanted = events_by_article(state), events_by_article(clean)
    assert 0 < state["counts"]["articles"] < clean["counts"]["articles"], line  # the first batch, not all
    assert f"({state['counts']['articles']} articles, {state['counts']['events']} events)" in line
    for article, events in stored.items():
        assert events == wanted[article]  # no article without all its events
    assert set(state["sources"]) <= set(clean["sources"])

    rerun = Forked(ingest_args(path, db), tmp_path)
    assert rerun.wait() == 1, rerun.stderr  # the broken line only
    assert "unchanged" in rerun.stderr and "Error" not in rerun.stderr
    assert snapshot(db) == clean  # row for row what a clean ingest gives


def test_no_room_for_a_new_store(tmp_path):
    db = tmp_path / "new.duckdb"
    good = tmp_path / "talks.txt"
    good.write_text(TALKS, encoding="utf-8")
    run = Forked(["ingest", str(good), "--db", str(db), "--workers", "0"], tmp_path, setup=file_size_limit(4096))
    run.wait()
    one_error_line(run, f"cannot write to {db}", "file size limit", "Nothing was written")


def test_upgrading_a_store_on_a_full_disk(tmp_path):
    """An older store (first migration only) whose upgrade cannot be written: the failed COMMIT
    makes the migration's ROLLBACK fail too, and the line still says why."""
    import duckdb

    from tocsin.store.schema import MIGRATIONS, migrate

    db = tmp_path / "old.duckdb"
    conn = duckdb.connect(str(db))
    migrate(conn, MIGRATIONS[:1])
    conn.close()
    good = tmp_path / "talks.txt"
    good.write_text(TALKS, encoding="utf-8")
    run = Forked(["ingest", str(good), "--db", str(db), "--workers", "0"], tmp_path, setup=file_size_limit(1024))
    run.wait()
    one_error_line(run, f"cannot write to {db}", "file size limit", f'"{db}.wal": File too large',
                   "Nothing was written")
    with Store(db, read_only=True) as store:
        assert store.migrations() == [MIGRATIONS[0][0]]  # as it was


@pytest.fixture
def small_disk(tmp_path):
    """A 16 MB tmpfs at tmp_path/disk (root only; skipped where mounting is not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(folder: Path, leave: int) -> Path:
    """A file that leaves `leave` bytes free on folder's file system."""
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    filler = folder / "filler"
    with open(filler, "wb") as handle:
        handle.write(b"\0" * max(0, free - leave))
    return filler


def test_real_full_disk_says_disk_full_and_freeing_space_finishes(corpus, small_disk, tmp_path):
    path, clean, room = corpus
    db = small_disk / "news.duckdb"
    Store(db).close()
    filler = fill(small_disk, room)
    run = Forked(ingest_args(path, db), tmp_path)
    run.wait()
    line = one_error_line(run, f"cannot write to {db}", "the disk is full", "No space left on device",
                          "is kept and the store is consistent", "free some space and run the same command again")
    state = snapshot(db)
    assert 0 < state["counts"]["articles"] < clean["counts"]["articles"], line
    wanted = events_by_article(clean)
    assert all(events == wanted[article] for article, events in events_by_article(state).items())

    filler.unlink()  # free some space, run the same command again
    rerun = Forked(ingest_args(path, db), tmp_path)
    assert rerun.wait() == 1 and "Error" not in rerun.stderr, rerun.stderr
    assert snapshot(db) == clean  # row for row what a clean ingest gives


def test_full_disk_before_a_new_store_is_made(small_disk, tmp_path):
    db = small_disk / "new.duckdb"
    fill(small_disk, 0)
    good = tmp_path / "talks.txt"
    good.write_text(TALKS, encoding="utf-8")
    run = Forked(["ingest", str(good), "--db", str(db), "--workers", "0"], tmp_path)
    run.wait()
    one_error_line(run, f"cannot write to {db}", "the disk is full", "Nothing was written")


# -- a read-only file or folder -------------------------------------------------------------
@pytest.fixture
def shared_folder():
    """A folder `nobody` can enter (pytest's own tmp folders are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="tocsin-faults-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(folder)


@pytest.mark.parametrize("what", ["file", "folder", "new file in the folder"])
def test_read_only_store_one_line_and_nothing_changed(what, shared_folder, tmp_path, warm):  # noqa: F811
    data = shared_folder / "data"
    data.mkdir()
    db = data / ("new.duckdb" if what == "new file in the folder" else "news.duckdb")
    good = shared_folder / "talks.txt"
    good.write_text(TALKS, encoding="utf-8")
    good.chmod(0o644)
    if what != "new file in the folder":
        run = Forked(["ingest", str(good), "--db", str(db), "--workers", "0"], tmp_path)
        assert run.wait() == 0, run.stderr
        (data / "other.txt").write_text("Expulsions\n\nGermany expelled Russian diplomats on Tuesday.\n")
        good = data / "other.txt"  # something new to write, so the command has to write
        good.chmod(0o644)
    if what == "file":
        db.chmod(0o444)
    else:
        if db.exists() and os.geteuid() == 0:
            os.chown(db, NOBODY, NOBODY)  # the file is theirs: only the folder stops them
        data.chmod(0o555)
    before = db.read_bytes() if db.exists() else None

    run = Forked(["ingest", str(good), "--db", str(db), "--workers", "0"], tmp_path, setup=as_nobody)
    run.wait()
    line = one_error_line(run, f"cannot write to {db}", "permission denied", "Nothing was written",
                          "writable, or give another --db")
    assert (db.read_bytes() if db.exists() else None) == before, line
    assert not Path(f"{db}.wal").exists()
    if before is not None:
        with Store(db, read_only=True) as store:  # still readable, as it was
            assert store.counts()["articles"] == 1


# -- a damaged file or not a store at all -----------------------------------------------------
@pytest.fixture(scope="module")
def small_store(tmp_path_factory, warm):  # noqa: F811 - the fixture imported above
    folder = tmp_path_factory.mktemp("small")
    for i, text in enumerate([TALKS, "Expulsions\n\nGermany expelled Russian diplomats on Tuesday.\n",
                              "Sanctions\n\nThe United States imposed sanctions on Iran on Monday.\n"]):
        (folder / f"a{i}.txt").write_text(text, encoding="utf-8")
    db = folder / "small.duckdb"
    run = Forked(["ingest", str(folder), "--db", str(db), "--workers", "0"], folder)
    assert run.wait() == 0, run.stderr
    return db


def garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database\n" * 100)


def truncated(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(6000)  # inside the header blocks


def corrupt_blocks(path: Path) -> None:
    """Bytes flipped inside every 256 kB block but the first (DuckDB's blocks follow a 12 kB header)."""
    with open(path, "r+b") as handle:
        for offset in range(12288 + 262144 + 100, path.stat().st_size, 262144):
            handle.seek(offset)
            data = handle.read(64)
            handle.seek(offset)
            handle.write(bytes(b ^ 0xFF for b in data))


@pytest.mark.parametrize("damage,words", [
    (garbage, "is not a DuckDB database"),
    (truncated, "is damaged (Could not read enough bytes"),
    (corrupt_blocks, "is damaged (Corrupt database file"),
], ids=["garbage", "truncated", "corrupt-blocks"])
@pytest.mark.parametrize("command", ["ingest", "events", "export"])
def test_damaged_store_one_line(damage, words, command, small_store, tmp_path):
    db = tmp_path / "store.duckdb"
    shutil.copy(small_store, db)
    damage(db)
    good = tmp_path / "talks.txt"
    good.write_text(TALKS, encoding="utf-8")
    args = {"ingest": ["ingest", str(good), "--workers", "0"], "events": ["events", "--format", "jsonl"],
            "export": ["export", "--format", "plover"]}[command]
    run = Forked([*args, "--db", str(db)], tmp_path)
    run.wait()
    line = one_error_line(run, str(db), words)
    assert "restore it from a backup" in line or "give another --db" in line


def test_any_damaged_block_is_told_when_opened_or_when_read(small_store, tmp_path):
    """One block at a time damaged: StoreDamaged when the store is opened or read, never a raw DuckDB error."""
    where = []
    for offset in range(12288 + 100, small_store.stat().st_size, 262144):
        db = tmp_path / f"block-{offset}.duckdb"
        shutil.copy(small_store, db)
        with open(db, "r+b") as handle:
            handle.seek(offset)
            data = handle.read(64)
            handle.seek(offset)
            handle.write(bytes(b ^ 0xFF for b in data))
        stage = "open"
        try:
            with Store(db, read_only=True) as store:
                stage = "read"
                store.events(), store.articles(), store.sources(), list(store.iter_events())
            where.append("unused")
        except StoreDamaged as err:
            assert str(db) in str(err) and "Corrupt database file" in str(err)
            where.append(stage)
    assert "open" in where and "read" in where, where  # both ways of finding it are exercised


# -- a store that is not there to write, or someone else's ------------------------------------
def test_store_held_by_another_process_one_line(small_store, tmp_path):
    db = tmp_path / "store.duckdb"
    shutil.copy(small_store, db)
    hold = "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('open', flush=True); sys.stdin.read()"
    holder = subprocess.Popen([sys.executable, "-c", hold, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        good = tmp_path / "talks.txt"
        good.write_text(TALKS, encoding="utf-8")
        for args in (["ingest", str(good), "--workers", "0"], ["events"]):
            run = Forked([*args, "--db", str(db)], tmp_path)
            run.wait()
            one_error_line(run, f"{db} is in use by another process")
    finally:
        holder.communicate("", timeout=30)


@pytest.mark.parametrize("where,words", [
    ("missing/folder/news.duckdb", "its folder does not exist: create it first or give another --db"),
    (".", "is a directory: give --db a file path"),
], ids=["missing-folder", "a-directory"])
def test_store_path_that_cannot_be_a_store_one_line(where, words, tmp_path):
    db = tmp_path / where
    good = tmp_path / "talks.txt"
    good.write_text(TALKS, encoding="utf-8")
    run = Forked(["ingest", str(good), "--db", str(db), "--workers", "0"], tmp_path)
    run.wait()
    one_error_line(run, str(db), words)


def test_store_killed_before_it_had_tables_is_started_again(tmp_path):
    """What a kill in the first milliseconds of a first ingest leaves: an empty file, or a DuckDB file
    without tables. Reading says so; the same ingest again makes the store."""
    import duckdb

    good = tmp_path / "talks.txt"
    good.write_text(TALKS, encoding="utf-8")
    empty, bare = tmp_path / "empty.duckdb", tmp_path / "bare.duckdb"
    empty.touch()
    duckdb.connect(str(bare)).close()
    for db in (empty, bare):
        run = Forked(["events", "--db", str(db)], tmp_path)
        run.wait()
        one_error_line(run, f"{db} is an empty store: run `tocsin ingest`")
        run = Forked(["ingest", str(good), "--db", str(db), "--workers", "0"], tmp_path)
        assert run.wait() == 0, run.stderr
        with Store(db, read_only=True) as store:
            assert store.counts()["articles"] == 1 and store.counts()["events"] > 0
