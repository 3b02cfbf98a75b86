"""Coding articles on a Ray cluster with Ray Data: `tocsin ingest --engine ray`.

The driver (the calling process) reads the sources with tocsin's own readers and asks
the sink which texts it already holds, exactly as the local engine does
(`tocsin.ingest.workers`). The new articles become a Ray dataset, a window of `window`
articles at a time; a stateful actor per worker (`ArticleCoder`: the spaCy pipeline and
tocsin's tables load once per actor) codes each batch with `workers.code_chunk`, the
function the local engine's processes call, so the events and their content-hash ids
are the same.

With `parquet=DIR` the coded articles are written by the workers as Parquet partitions,
`DIR/window=00000/*.parquet` (one row an article: the article, its events as JSON, or
why it could not be coded), and the store is loaded from those files; DuckDB, Spark or
BigQuery can read them too. On a cluster of several machines DIR must be storage that
every node and the driver reach (an NFS path, s3://, gs://). Without `parquet` the
coded rows stream back to the driver and into the store.

Ray is an optional extra (`pip install 'tocsin[ray]'`) and is imported only here, only
when this engine runs.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
from typing import Callable, Iterable, Iterator

from ..model import Article, Event, Skipped
from .workers import BLOCK, CHUNK, Summary, _blocks, code_chunk, sort_block

WINDOW = 10_000  # articles a dataset holds: bounds the driver's memory; each window starts its actors once
NOT_INSTALLED = "tocsin[ray] is not installed: pip install 'tocsin[ray]'"


class RayUnavailable(RuntimeError):
    """Ray is not installed, or the cluster cannot be reached."""


class ParquetError(RuntimeError):
    """The Parquet folder cannot be used, or does not hold what the workers wrote."""


def _import_ray():
    try:
        import pyarrow  # noqa: F401
        import ray
        import ray.data
    except ImportError:
        raise RayUnavailable(NOT_INSTALLED) from None
    return ray


# -- the worker side ---------------------------------------------------------
def _schema():
    import pyarrow as pa

    return pa.schema([
        ("article_id", pa.string()), ("source_id", pa.string()), ("origin", pa.string()), ("url", pa.string()),
        ("outlet", pa.string()), ("title", pa.string()), ("published", pa.date32()), ("language", pa.string()),
        ("text", pa.string()), ("model", pa.string()), ("n_events", pa.int32()), ("error", pa.string()),
        ("event_ids", pa.list_(pa.string())), ("events", pa.list_(pa.string())),
    ])


def event_json(event: Event) -> str:
    """An event as its JSON (with the explanation), the confidence unrounded: `Event.from_dict` gives it back."""
    return json.dumps({**event.to_dict(explain=True), "confidence": event.confidence}, ensure_ascii=False)


def _row_article(row: dict) -> Article:
    """The article of a dataset row, known by its key (as the local engine's workers know it)."""
    published = row["published"]
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    return Article(id=row["article_id"], text=row["text"], title=row["title"], url=row["url"],
                   outlet=row["outlet"], published=published, language=row["language"], origin=row["origin"])


class ArticleCoder:
    """A Ray Data actor: loads the pipeline once, then codes one batch of articles a call.

    The engine gives Ray a subclass with MODEL set (a class needs no constructor arguments).
    """

    MODEL = "sm"

    def __init__(self):
        from ..coder import Coder
        from ..nlp import load

        self.model = self.MODEL
        load(self.model)  # spaCy once per actor (ModelNotInstalled stops the run with its hint)
        Coder()  # and the lexicon and actor tables

    def __call__(self, batch):
        import pyarrow as pa

        rows = batch.to_pylist()
        results = {key: (events, error) for key, events, error in code_chunk([_row_article(r) for r in rows], self.model)}
        out = {name: [] for name in _schema().names}
        for row in rows:
            events, error = results[row["article_id"]]
            for name in ("article_id", "source_id", "origin", "url", "outlet", "title", "language", "text"):
                out[name].append(row[name])
            out["published"].append(dt.date.fromisoformat(row["published"]) if row["published"] else None)
            out["model"].append(self.model)
            out["n_events"].append(len(events) if events is not None else None)
            out["error"].append(error)
            out["event_ids"].append([e.id for e in events] if events is not None else None)
            out["events"].append([event_json(e) for e in events] if events is not None else None)
        return pa.Table.from_pydict(out, schema=_schema())


# -- the driver side ---------------------------------------------------------
def connect(address: str | None, cpus: int | None = None) -> bool:
    """Join the cluster at `address`, or start a local one; True when this call started Ray here.

    A Ray already initialised in this process (a notebook, a test) is used as it is.
    """
    ray = _import_ray()
    if ray.is_initialized():
        return False
    if address and address != "auto":
        why = _unreachable(address)
        if why:  # ray.init itself would wait for minutes
            raise RayUnavailable(f"cannot reach a Ray cluster at {address} ({why}): start one with "
                                 "`ray start --head` there, or leave out --address for a local cluster")
    quiet = {"log_to_driver": False, "logging_level": logging.WARNING}
    try:
        if address:
            ray.init(address=address, **quiet)
        else:
            ray.init(address="local", num_cpus=cpus or os.cpu_count() or 1, include_dashboard=False, **quiet)
    except (ConnectionError, TimeoutError, ValueError, RuntimeError) as err:
        where = f"at {address}" if address else "on this machine"
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        hint = ("start one with `ray start --head` there, or leave out --address for a local cluster" if address
                else "see `ray start --help`")
        raise RayUnavailable(f"cannot start or reach a Ray cluster {where} ({first}): {hint}") from None
    return True


def _unreachable(address: str, seconds: float = 5.0) -> str | None:
    """None when something answers at HOST:PORT (or ray://HOST:PORT), else why not."""
    import socket

    host, sep, port = address.split("://", 1)[-1].rpartition(":")
    if not sep or not host or not port.isdigit():
        return "expected HOST:PORT, e.g. 10.0.0.5:6379"
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=seconds):
            return None
    except OSError as err:
        return err.strerror or str(err) or type(err).__name__


def _dataset_row(key: str, article: Article) -> dict:
    return {"article_id": key, "source_id": article.id, "origin": article.origin, "url": article.url,
            "outlet": article.outlet, "title": article.title, "language": article.language, "text": article.text,
            "published": article.published.isoformat() if article.published else None}


def _join(folder: str, name: str) -> str:
    return folder.rstrip("/") + "/" + name


def _filesystem(folder: str):
    """(pyarrow filesystem, path in it) for a local folder or a URI (s3://, gs://, hdfs://)."""
    from pyarrow import fs

    if "://" not in folder:
        folder = os.path.abspath(folder)
    try:
        return fs.FileSystem.from_uri(folder)
    except (ValueError, OSError, NotImplementedError) as err:  # unknown scheme, no credentials, ...
        raise ParquetError(f"cannot use {folder} for Parquet ({err})") from None


def check_parquet_folder(folder: str) -> str:
    """The folder as given (absolute when local); it must be new or empty, so only this run's partitions load."""
    from pyarrow import fs

    filesystem, path = _filesystem(folder)
    info = filesystem.get_file_info(path)
    if info.type == fs.FileType.File:
        raise ParquetError(f"{folder} is a file: --parquet needs a folder")
    if info.type == fs.FileType.Directory and filesystem.get_file_info(fs.FileSelector(path, recursive=False)):
        raise ParquetError(f"{folder} is not empty: give a new folder for the Parquet partitions")
    return folder if "://" in folder else os.path.abspath(folder)


def _coded_rows(ray, todo: list[tuple[str, Article]], model: str, actors: int, chunk: int,
                parquet: str | None) -> Iterator[dict]:
    """The coded rows of one window (one dict an article), through the cluster."""
    import pyarrow.dataset as pads

    context = ray.data.DataContext.get_current()
    log = logging.getLogger("ray.data")
    saved = (context.execution_options.preserve_order, log.level)
    context.execution_options.preserve_order = True
    log.setLevel(logging.ERROR)  # no progress lines in tocsin's output: it has its own
    try:
        rows = [_dataset_row(key, article) for key, article in todo]
        blocks = min(len(rows), max(actors, min(-(-len(rows) // chunk), 2_000)))  # work for every actor
        dataset = ray.data.from_items(rows, override_num_blocks=blocks)
        coder = type(f"ArticleCoder_{model.replace('-', '_')}", (ArticleCoder,), {"MODEL": model})
        coded = dataset.map_batches(coder, batch_size=chunk, batch_format="pyarrow",
                                    compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1)
        if parquet is None:
            for table in coded.iter_batches(batch_size=None, batch_format="pyarrow"):
                yield from table.to_pylist()
            return
        coded.write_parquet(parquet)
    finally:
        context.execution_options.preserve_order = saved[0]
        log.setLevel(saved[1])
    filesystem, path = _filesystem(parquet)
    for table in pads.dataset(path, filesystem=filesystem, format="parquet", schema=_schema()).to_batches():
        yield from table.to_pylist()


def _events(row: dict) -> list[Event]:
    return [Event.from_dict(json.loads(text)) for text in row["events"] or []]


def ingest_ray(items: Iterable[Article | Skipped], sink, *, address: str | None = None, workers: int | None = None,
               model: str = "sm", batch: int = 64, chunk: int = CHUNK, parquet: str | None = None,
               window: int = WINDOW, progress: Callable[[Summary], None] | None = None) -> Summary:
    """Code and store every new article in `items` on a Ray cluster; returns what happened.

    `sink` is the local engine's (`lookup`, `write`); `workers` is the number of coding
    actors [default: the cluster's CPUs]; `parquet` a new folder for the partitions.
    """
    import time

    from ..nlp import check_installed

    started = time.monotonic()  # the cluster's start counts, as the local engine's pool start does
    ray = _import_ray()
    check_installed(model)  # here first (the workers need it too: a worker without it stops the run)
    if parquet is not None:
        parquet = check_parquet_folder(parquet)
    started_here = connect(address, workers)
    try:
        actors = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        return _drive(ray, items, sink, model, actors, batch, chunk, parquet, window, progress, started)
    except Exception as err:
        _reraise_cause(err)
        raise
    finally:
        if started_here:
            ray.shutdown()


def _reraise_cause(err: Exception) -> None:
    """A worker's ModelNotInstalled reaches the driver wrapped in Ray's errors: raise it as itself."""
    from ..nlp import ModelNotInstalled

    seen = 0
    cause: BaseException | None = err
    while cause is not None and seen < 20:
        if isinstance(cause, ModelNotInstalled):
            raise ModelNotInstalled(str(cause)) from None
        text = str(cause)
        if "ModelNotInstalled" in text:
            line = next((s for s in text.splitlines() if "ModelNotInstalled:" in s), text)
            raise ModelNotInstalled(line.split("ModelNotInstalled:", 1)[-1].strip()) from None
        cause = getattr(cause, "cause", None) or cause.__cause__
        seen += 1


def _drive(ray, items, sink, model, actors, batch, chunk, parquet, window, progress, started) -> Summary:
    import time

    summary = Summary()
    waiting: dict[str, list[Article]] = {}  # key to code -> other sources with the same text
    todo: list[tuple[str, Article]] = []
    out_links: list[tuple[str, Article]] = []
    out_skipped: list[Skipped] = []
    windows = 0

    def write(coded: list[tuple[str, Article, list[Event]]]) -> None:
        nonlocal out_links, out_skipped
        if not (coded or out_links or out_skipped):
            return
        summary.count(sink.write(coded, out_links, out_skipped, model), out_skipped)
        out_links, out_skipped = [], []
        summary.seconds = time.monotonic() - started
        if progress:
            progress(summary)

    def code_window() -> None:
        nonlocal windows, todo
        if not todo:
            return
        folder = _join(parquet, f"window={windows:05d}") if parquet else None
        by_key = dict(todo)
        coded: list[tuple[str, Article, list[Event]]] = []
        seen: set[str] = set()
        for row in _coded_rows(ray, todo, model, actors, chunk, folder):
            key = row["article_id"]
            if key not in by_key or key in seen:
                continue
            seen.add(key)
            article, others = by_key[key], waiting.pop(key, [])
            if row["error"] is not None:
                out_skipped.append(Skipped(article.origin or article.id, row["error"]))
                out_skipped.extend(Skipped(o.origin or o.id, f"same text as {article.origin}, which {row['error']}")
                                   for o in others)
            else:
                coded.append((key, article, _events(row)))
                out_links.extend((key, other) for other in others)
                summary.linked += len(others)
            if len(coded) + len(out_links) + len(out_skipped) >= batch:
                write(coded)
                coded = []
        missing = len(by_key) - len(seen)
        if missing:
            where = (f" in {folder}: on a cluster of several machines --parquet must be storage every node "
                     "reaches (NFS, s3://, gs://)") if folder else ""
            raise ParquetError(f"{missing:,} of {len(by_key):,} articles sent to the cluster came back uncoded{where}")
        write(coded)
        windows += 1
        todo = []

    for block in _blocks(items, BLOCK):
        todo.extend(sort_block(block, sink, waiting, summary, out_skipped, out_links))
        if len(todo) >= window:
            code_window()
    code_window()
    write([])
    summary.seconds = time.monotonic() - started
    return summary


