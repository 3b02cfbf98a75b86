"""Coding articles in worker processes and handing the results to one writer.

`ingest(items, sink, ...)` reads `Article | Skipped` items in blocks, asks
the sink which texts it already holds, sends the new ones to a pool of
worker processes (each loads spaCy once and calls `tocsin.coder.code_articles`
on a chunk), and passes the results, in input order, to `sink.write` in
batches: one transaction a batch. The calling process is the only writer.

The sink is duck-typed (this package does not import the store):
  sink.lookup(pairs)  -> (keys stored, (source id, key) pairs linked)
  sink.write(coded, links, skipped, model)   coded: (key, article, events)

An article is known by `Article.key`: a hash of its text as coded and its
publication date. Its events carry that key as their article_id.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Iterator

from ..model import Article, Event, Skipped

BLOCK = 64  # items read and looked up at once
CHUNK = 8  # articles a worker codes at once (one nlp.pipe stream)
BATCH_SECONDS = 2.0  # a write batch is flushed at least this often


@dataclass
class Summary:
    read: int = 0  # articles read
    coded: int = 0  # articles coded and stored now
    unchanged: int = 0  # already stored under the same source id
    linked: int = 0  # same text as an article already stored: source recorded, not coded again
    replaced: int = 0  # stored articles removed because their source's text changed
    events: int = 0  # events stored now
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.coded / self.seconds if self.seconds else 0.0

    def count(self, written, skipped: list[Skipped]) -> None:
        """Add what one write to the sink stored (`written`: articles, events, removed) and its skips."""
        self.coded += written.articles
        self.events += written.events
        self.replaced += written.removed
        self.skipped.extend(skipped)


# -- the worker side ---------------------------------------------------------
_MODEL = "sm"


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:  # the writer died (even by kill -9): stop, do not linger
            os._exit(1)


def _init_worker(model: str, parent: int) -> None:
    global _MODEL
    _MODEL = model
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    from ..coder import Coder
    from ..nlp import load

    try:
        load(model)  # spaCy once per process
        Coder()  # and the lexicon and actor tables
    except Exception:  # raised again by the first chunk, in the writer (a failing initializer respawns forever)
        pass


def code_chunk(articles: list[Article], model: str | None = None) -> list[tuple[str, list[Event] | None, str | None]]:
    """(key, events, None) for each article of the chunk, or (key, None, error) for one that failed."""
    from ..coder import code_articles
    from ..nlp import ModelNotInstalled

    errors: dict[str, str] = {}

    def on_error(article: Article, err: Exception) -> None:
        errors[article.id] = f"could not be coded ({type(err).__name__}: {err})"

    found: dict[str, list[Event]] = {a.id: [] for a in articles}
    try:
        for event in code_articles(articles, model or _MODEL, on_error=on_error):
            found[event.article_id].append(event)
    except ModelNotInstalled:
        raise  # not the article's fault: stop the run with the install hint
    except Exception as err:  # the parse itself failed: code one by one to find the culprit
        if len(articles) == 1:
            return [(articles[0].id, None, f"could not be coded ({type(err).__name__}: {err})")]
        return [r for a in articles for r in code_chunk([a], model)]
    return [(key, None, errors[key]) if key in errors else (key, events, None) for key, events in found.items()]


# -- the writer side ---------------------------------------------------------
class _Pending:
    """A chunk sent for coding, with the sources waiting on its texts."""

    def __init__(self, articles: list[tuple[str, Article]], result):
        self.articles = articles
        self.result = result  # AsyncResult, or the list itself when coding in-process


def sort_block(block, sink, waiting: dict, summary: "Summary", skipped: list, links: list,
               unflushed=()) -> list[tuple[str, Article]]:
    """Sort a block of read items, as every engine does: skipped inputs go to `skipped`; an article
    the store holds under its id is unchanged; a text it holds (or one written but not yet
    committed, `unflushed`) under another id is linked; a text already waiting to be coded waits
    with it; the rest, (key, article) pairs, is returned to be coded."""
    articles = [item for item in block if isinstance(item, Article)]
    skipped.extend(item for item in block if isinstance(item, Skipped))
    summary.read += len(articles)
    keyed = [(a.key, a) for a in articles]
    stored, linked = sink.lookup([(a.id, key) for key, a in keyed])
    todo: list[tuple[str, Article]] = []
    for key, article in keyed:
        if (article.id, key) in linked:
            summary.unchanged += 1
        elif key in stored or key in unflushed:
            links.append((key, article))
            summary.linked += 1
        elif key in waiting:
            waiting[key].append(article)
        else:
            waiting[key] = []
            todo.append((key, article))
    return todo


def _blocks(items: Iterable[Article | Skipped], size: int) -> Iterator[list[Article | Skipped]]:
    block: list[Article | Skipped] = []
    for item in items:
        block.append(item)
        if len(block) >= size:
            yield block
            block = []
    if block:
        yield block


def ingest(items: Iterable[Article | Skipped], sink, *, workers: int = 1, model: str = "sm",
           batch: int = 64, chunk: int = CHUNK, progress: Callable[[Summary], None] | None = None) -> Summary:
    """Code and store every new article in `items`; returns what happened. `workers=0` codes in-process."""
    summary = Summary()
    started = time.monotonic()
    pool = None
    if workers > 0:
        ctx = multiprocessing.get_context("spawn")
        pool = ctx.Pool(workers, initializer=_init_worker, initargs=(model, os.getpid()))
    inflight: deque[_Pending] = deque()
    waiting: dict[str, list[Article]] = {}  # key being coded -> other sources with the same text
    unflushed: set[str] = set()  # keys coded, waiting in the next write batch
    out_coded: list[tuple[str, Article, list[Event]]] = []
    out_links: list[tuple[str, Article]] = []
    out_skipped: list[Skipped] = []
    last_flush = time.monotonic()

    def flush(force: bool = False) -> None:
        nonlocal last_flush, out_coded, out_links, out_skipped
        size = len(out_coded) + len(out_links) + len(out_skipped)
        if not size or (not force and size < batch and time.monotonic() - last_flush < BATCH_SECONDS):
            return
        summary.count(sink.write(out_coded, out_links, out_skipped, model), out_skipped)
        out_coded, out_links, out_skipped = [], [], []
        unflushed.clear()
        last_flush = time.monotonic()
        summary.seconds = time.monotonic() - started
        if progress:
            progress(summary)

    def collect(pending: _Pending) -> None:
        results = pending.result if isinstance(pending.result, list) else pending.result.get()
        by_key = dict(pending.articles)
        for key, events, error in results:
            article = by_key[key]
            others = waiting.pop(key, [])
            if error is not None:
                out_skipped.append(Skipped(article.origin or article.id, error))
                out_skipped.extend(Skipped(o.origin or o.id, f"same text as {article.origin}, which {error}")
                                   for o in others)
                continue
            out_coded.append((key, article, events))
            unflushed.add(key)
            out_links.extend((key, other) for other in others)
            summary.linked += len(others)
        flush()

    def submit(todo: list[tuple[str, Article]]) -> None:
        for start in range(0, len(todo), chunk):
            part = todo[start:start + chunk]
            keyed = [replace(article, id=key) for key, article in part]
            result = pool.apply_async(code_chunk, (keyed, model)) if pool else code_chunk(keyed, model)
            inflight.append(_Pending(part, result))

    try:
        for block in _blocks(items, BLOCK):
            todo = sort_block(block, sink, waiting, summary, out_skipped, out_links, unflushed)
            submit(todo)
            while len(inflight) > max(2, 2 * workers) or (inflight and _ready(inflight[0])):
                collect(inflight.popleft())
            flush()
        while inflight:
            collect(inflight.popleft())
        flush(force=True)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    summary.seconds = time.monotonic() - started
    return summary


def _ready(pending: _Pending) -> bool:
    return isinstance(pending.result, list) or pending.result.ready()
