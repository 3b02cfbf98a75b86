"""`Store`: one DuckDB file of articles, events, actors and skipped inputs.

    >>> from tocsin.store import Store
    >>> with Store("tocsin.duckdb") as store:
    ...     store.events(source="RUS", target="UKR", quad=4, since="2022-02-24")   # a DataFrame

Reads return pandas DataFrames (`events`, `articles`, `sources`, `skipped`,
`actors`) or `Event` objects (`iter_events`); `write` is the one way in and
is what `tocsin ingest` calls; `export` writes GDELT/ICEWS/PLOVER/Parquet.
One process writes a store file at a time (DuckDB's own lock says so).

When the file itself fails (a full disk, a file size limit, a read-only file
or folder, a damaged or foreign file), every method raises one `StoreError`
whose message names the file, the cause and what to do; a failed write also
says what this `Store` had written before it, which stays stored: each batch
is one transaction, so the file is left at the last batch that committed.
"""
from __future__ import annotations

import json
import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator

from ..model import Article, Event, Skipped
from . import exports, queries
from .queries import EventFilter
from .schema import StoreError, applied, migrate
from .writer import Written, write_batch

DEFAULT_PATH = "tocsin.duckdb"


class StoreLocked(StoreError):
    """Another process has the store file open for writing."""


class StoreWriteFailed(StoreError):
    """A write did not reach the file: the disk is full, a size limit, a read-only file or folder."""


class StoreDamaged(StoreError):
    """The file is not a DuckDB database, or part of it fails its checksum."""


# The operating system's words for a failed write (strerror, as DuckDB quotes them): the cause, what to do.
_AGAIN = "run the same command again to carry on from there"
_WRITABLE = "make the file and its folder writable, or give another --db"
WRITE_FAILURES = {
    "No space left on device": ("the disk is full", f"free some space and {_AGAIN}"),
    "Disk quota exceeded": ("the disk quota is used up", f"free some space (or raise the quota) and {_AGAIN}"),
    "File too large": ("the file size limit is reached", f"raise the limit (ulimit -f) and {_AGAIN}"),
    "Permission denied": ("permission denied", _WRITABLE),
    "Read-only file system": ("the file system is read-only", _WRITABLE),
    "Operation not permitted": ("the operation is not permitted", _WRITABLE),
}
NOT_DUCKDB = "not a valid DuckDB database file"
DAMAGED = ("Corrupt database file", "Could not read enough bytes")


class Store:
    """A tocsin event store; `path=":memory:"` for a throw-away one."""

    def __init__(self, path: str | os.PathLike = DEFAULT_PATH, read_only: bool = False):
        import duckdb

        self.path = str(path)
        self.read_only = read_only
        self.batches = 0  # batches this Store has written, and what they changed
        self.stored = Written()
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"no store at {self.path}: run `tocsin ingest` first (or give --db)")
        if _cut_short(self.path):  # a store whose creation was killed before DuckDB wrote a byte
            if read_only:
                raise StoreError(f"{self.path} is an empty store: run `tocsin ingest` (or give another --db)")
            try:
                os.remove(self.path)  # nothing in it: start it again
            except OSError as err:
                raise StoreWriteFailed(f"cannot write to {self.path}: {err.strerror}; {_WRITABLE}") from None
        try:
            self.conn = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as err:
            if "Could not set lock" in str(err):  # (not any "lock": a damaged block's message has "block")
                raise StoreLocked(f"{self.path} is in use by another process (one writer at a time)") from None
            raise self._failure(err) or _open_error(self.path, err) from None
        try:
            with self._io():
                if read_only:
                    if "0001_initial" not in _applied_read_only(self.conn):
                        raise StoreError(_not_a_store(self.path, self.conn))
                else:
                    migrate(self.conn)
        except BaseException:
            self.conn.close()  # not a store we can use: let go of the file (and DuckDB's lock on it)
            raise

    # -- lifecycle --------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, kind, *exc) -> None:
        if kind is None:
            self.close()
            return
        try:
            self.close()
        except Exception:  # closing a store whose file failed can fail again: the first error is the one to tell
            pass

    # -- what went wrong with the file -----------------------------------
    @contextmanager
    def _io(self):
        """DuckDB errors that are the file's fault, as one StoreError naming it; others (bugs) unchanged."""
        import duckdb

        try:
            yield
        except duckdb.Error as err:
            failure = self._failure(err)
            if failure is None:
                raise
            raise failure from err

    def _failure(self, err: BaseException) -> StoreError | None:
        """The StoreError for a full disk, an unwritable or a damaged file (seen anywhere in err's
        context: a failed COMMIT makes the ROLLBACK after it fail too); None for anything else."""
        seen = err
        while seen is not None:
            message = str(seen)
            for words, (cause, todo) in WRITE_FAILURES.items():  # as in 'Could not write file "x.wal": <words>'
                if self.read_only and words == "Permission denied":
                    continue  # a store opened to read: see _open_error
                if re.search(f'file "[^"]*": {words}', message):
                    return StoreWriteFailed(f"cannot write to {self.path}: {cause} ({_detail(message)}). "
                                            f"{self._kept()}; {todo}.")
            if NOT_DUCKDB in message:
                return StoreDamaged(f"{self.path} is not a DuckDB database (or its header is damaged): "
                                    "give another --db, or move this file away to start a new store there")
            if any(words in message for words in DAMAGED):
                return StoreDamaged(f"{self.path} is damaged ({_detail(message)}): restore it from a backup, "
                                    "or ingest the sources again into a new --db")
            seen = seen.__cause__ or seen.__context__
        return None

    def _kept(self) -> str:
        if not self.batches:
            return "Nothing was written and the store is as it was"
        s, one = self.stored, self.batches == 1
        return (f"{'The batch' if one else f'The {self.batches:,} batches'} written before it ({s.articles:,} "
                f"article{'s' if s.articles != 1 else ''}, {s.events:,} events) {'is' if one else 'are'} kept "
                "and the store is consistent")

    def migrations(self) -> list[str]:
        return applied(self.conn) if not self.read_only else _applied_read_only(self.conn)

    # -- writing ----------------------------------------------------------
    def lookup(self, pairs: list[tuple[str, str]]) -> tuple[set[str], set[tuple[str, str]]]:
        """For (source id, article key) pairs: keys already stored, pairs already linked."""
        with self._io():
            return queries.lookup(self.conn, pairs)

    def write(self, coded: Iterable[tuple[str, Article, list[Event]]] = (),
              links: Iterable[tuple[str, Article]] = (), skipped: Iterable[Skipped] = (),
              model: str | None = None) -> Written:
        """Store one batch atomically: coded articles with their events, links, skipped inputs.

        Raises StoreWriteFailed when the file cannot take it (full disk, read-only): that batch
        is not stored, the batches before it are, and running the same ingest again finishes.
        """
        with self._io():
            written = write_batch(self.conn, list(coded), list(links), list(skipped), model)
        self.batches += 1
        self.stored.articles += written.articles
        self.stored.events += written.events
        self.stored.removed += written.removed
        return written

    # -- reading ----------------------------------------------------------
    def counts(self) -> dict[str, int]:
        with self._io():
            return queries.counts(self.conn)

    def _df(self, sql: str, params: list | None = None):
        with self._io():
            return self.conn.execute(sql, params or []).df()

    def events(self, flt: EventFilter | None = None, **filters):
        """Events as a DataFrame, one row an event, actors flattened (see EventFilter for filters)."""
        sql, params = queries.events_sql(flt or EventFilter.of(**filters))
        return self._df(sql, params)

    def iter_events(self, flt: EventFilter | None = None, **filters) -> Iterator[Event]:
        """Events as `Event` objects, exactly as coded (with their explanations)."""
        sql, params = queries.event_json_sql(flt or EventFilter.of(**filters))
        with self._io():
            cursor = self.conn.execute(sql, params)
            while rows := cursor.fetchmany(1000):
                for (text,) in rows:
                    yield Event.from_dict(json.loads(text))

    def articles(self):
        return self._df(queries.ARTICLES_SQL)

    def sources(self):
        return self._df(queries.SOURCES_SQL)

    def skipped(self):
        return self._df(queries.SKIPPED_SQL)

    def actors(self, flt: EventFilter | None = None, **filters):
        """Actor mentions (source, target, speaker) of the selected events."""
        clause, params = queries.where(flt or EventFilter.of(**filters))
        sql = f"SELECT r.* FROM actors r WHERE r.event_id IN (SELECT e.id FROM events e{clause}) ORDER BY r.event_id, r.part"
        return self._df(sql, params)

    def article_text(self, article_id: str) -> str | None:
        with self._io():
            row = self.conn.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
        return row[0] if row else None

    # -- exports ----------------------------------------------------------
    def export(self, fmt: str, out: IO[str] | str | os.PathLike, flt: EventFilter | None = None, **options) -> int:
        """Export the selected events as gdelt, icews, plover (to a text stream) or parquet (to a path).

        Options: header (TSV header line), cameo_names and country_names (code -> name
        mappings for the ICEWS Event Text and country columns), version.
        """
        with self._io():
            if fmt == "parquet":
                if not isinstance(out, (str, os.PathLike)):
                    raise ValueError("parquet needs a file path")
                return exports.export_parquet(self.conn, str(out), flt)
            if isinstance(out, (str, os.PathLike)):
                with open(out, "w", encoding="utf-8", newline="") as handle:
                    return exports.export(self.conn, fmt, handle, flt, **options)
            return exports.export(self.conn, fmt, out, flt, **options)


def _detail(message: str) -> str:
    """DuckDB's message without its class prefixes: 'Could not write file "x.wal": No space left on device'."""
    message = " ".join(message.split())
    return re.sub(r"^(?:[\w ]*Error: |Failed to commit: )+", "", message)


def _open_error(path: str, err: BaseException) -> StoreError:
    """Why a store file could not be opened, beyond a full disk or a damaged file."""
    message = str(err)
    if "No such file or directory" in message:
        return StoreError(f"cannot create {path}: its folder does not exist: create it first or give another --db")
    if "Is a directory" in message:
        return StoreError(f"{path} is a directory: give --db a file path, e.g. {os.path.join(path, DEFAULT_PATH)}")
    if "Permission denied" in message:  # read-only opens (a write is a WRITE_FAILURES case)
        return StoreError(f"cannot read {path}: permission denied: make it readable, or give another --db")
    return StoreError(f"cannot open {path}: {_detail(message)}")


def _cut_short(path: str) -> bool:
    """An empty file and no WAL beside it: what a kill leaves between creating a store file and writing it."""
    try:
        return os.path.getsize(path) == 0 and not os.path.exists(f"{path}.wal")
    except OSError:
        return False


def _not_a_store(path: str, conn) -> str:
    tables = conn.execute("SELECT count(*) FROM duckdb_tables()").fetchone()[0]
    if not tables:  # a first ingest killed before it made the tables
        return f"{path} is an empty store: run `tocsin ingest` (or give another --db)"
    return f"{path} is not a tocsin store (a DuckDB database with other tables): give another --db"


def _applied_read_only(conn) -> list[str]:
    import duckdb

    try:
        return [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY applied_at, name").fetchall()]
    except duckdb.CatalogException:  # no migrations table: some other DuckDB database (a damaged one raises)
        return []
