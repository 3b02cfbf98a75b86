"""The server's hold on the store: one DuckDB file, opened once, read-write.

The server owns the file while it runs (DuckDB's lock keeps other processes
out), so reads and writes both go through here:

  * `read()`   a `Store` over a cursor of its own, one a request (a thread);
               DuckDB's MVCC gives each read transaction a snapshot of what
               was committed, so a read never waits for a write in progress;
  * `ingest()` codes and stores articles through the same pipeline as
               `tocsin ingest` (`ingest.workers.ingest`, in this process, into
               `Store.write`, i.e. `store.writer.write_batch`), then brings
               the stories up to date. One ingest at a time (a lock): writes
               are serialised, spaCy is used by one thread.
"""
from __future__ import annotations

import copy
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from itertools import takewhile

from ..analysis.stories import StoryOptions, build_stories
from ..ingest.workers import Summary, ingest
from ..model import Article, Skipped
from ..store import Store
from ..store.stories import StoryStore

CHUNK = 2  # articles coded at once: small, so what is coded is written (and readable) soon
BATCH = 2  # items a write transaction


class Busy(Exception):
    """Another ingest holds the store's write side for longer than the caller would wait."""


def cursor_view(store: Store, lock: threading.Lock) -> Store:
    """The open `store` seen through a cursor of its own: what one thread reads and writes through.

    A shallow copy keeps whatever state the Store has (path, mode, its error
    reporting); only the connection differs, and closing the view closes that cursor.
    """
    view = copy.copy(store)
    with lock:
        view.conn = store.conn.cursor()
    return view


def story_options(store: Store) -> StoryOptions:
    """The options the store's stories were last built with (`tocsin stories --window ...`), else the defaults:
    an update keeps them instead of rebuilding every story with other ones."""
    saved = StoryStore(store).meta().get("options") or {}
    known = {f.name for f in fields(StoryOptions)}
    given = {k: tuple(v) if isinstance(v, list) else v for k, v in saved.items() if k in known}
    return StoryOptions(**given)


class StoreOwner:
    """The store file, held read-write while the server runs."""

    def __init__(self, path: str | os.PathLike, model: str = "sm"):
        self.store = Store(path)  # read-write: migrates, and holds the file while the server runs
        self.path, self.model = self.store.path, model
        self._cursor_lock = threading.Lock()
        self._writer = threading.Lock()
        self._closed = False
        try:
            build_stories(self.store, options=story_options(self.store))  # current before the first read
        except BaseException:
            self.store.close()
            raise

    @contextmanager
    def read(self) -> Iterator[Store]:
        view = cursor_view(self.store, self._cursor_lock)
        try:
            yield view
        finally:
            view.close()

    def ingest(self, items: Iterable[Article | Skipped], *, wait: float | None = None,
               stop: Callable[[], bool] | None = None) -> Summary:
        """Code and store the new articles among `items`, record the skipped ones, update the stories.

        `wait`: seconds to wait for an ingest already running (else `Busy`); `stop`:
        called between items, True ends the ingest early (what was coded is kept).
        """
        if not self._writer.acquire(timeout=-1 if wait is None else wait):
            raise Busy(f"another ingest has been writing for over {wait:g} s")
        try:
            if self._closed:
                raise Busy("the server is shutting down")
            if stop is not None:
                items = takewhile(lambda _: not stop(), items)
            with self.read() as store:
                summary = ingest(items, store, workers=0, model=self.model, batch=BATCH, chunk=CHUNK)
                if summary.coded or summary.replaced:
                    build_stories(store, options=story_options(store))
            return summary
        finally:
            self._writer.release()

    def close(self, wait: float = 60.0) -> None:
        """Close the store once no ingest is running (waits up to `wait` seconds for one to end)."""
        got = self._writer.acquire(timeout=wait)
        try:
            if not self._closed:
                self._closed = True
                self.store.close()
        finally:
            if got:
                self._writer.release()
