"""`tocsin ingest`, `tocsin events`, `tocsin export`: the event store from the command line."""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Iterator

import click

from ..ingest.plain import one_line, parse_date
from ..ingest.sources import ReadOptions, read_sources
from ..ingest.tabular import parse_columns
from ..nlp import MODELS, ModelNotInstalled
from ..output import FORMATS as EVENT_FORMATS
from ..store import DEFAULT_PATH, EXPORT_FORMATS, EventFilter, Store, StoreError
from .code_cmd import published_option


def _date(ctx, param, value):
    try:
        return parse_date(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None


def db_option(f):
    return click.option("--db", "db", default=lambda: os.environ.get("TOCSIN_DB", DEFAULT_PATH),
                        show_default="./tocsin.duckdb or $TOCSIN_DB", metavar="PATH",
                        help="The store file (DuckDB).")(f)


def filter_options(f):
    options = [
        click.option("--source", multiple=True, metavar="CODE", help="Source actor: a country (RUS, NATO) or an actor code (RUSMIL). Repeatable."),
        click.option("--target", multiple=True, metavar="CODE", help="Target actor, as --source."),
        click.option("--type", "types", multiple=True, metavar="TYPE", help="PLOVER event type (ASSAULT, PROTEST, ...). Repeatable."),
        click.option("--cameo", multiple=True, metavar="CODE", help="CAMEO code prefix (19, 036). Repeatable."),
        click.option("--quad", multiple=True, type=click.IntRange(1, 4), help="QuadClass 1-4. Repeatable."),
        click.option("--since", callback=_date, metavar="YYYY-MM-DD", help="Events on or after this date (event date, else publication)."),
        click.option("--until", callback=_date, metavar="YYYY-MM-DD", help="Events on or before this date."),
        click.option("--modality", multiple=True, metavar="M", help="asserted, said, intended, negated, ... Repeatable."),
        click.option("--text", metavar="WORDS", help="Words that must all appear in the evidence sentence."),
        click.option("--article", metavar="ID", help="One article: its id, path, JSON Lines id or URL."),
        click.option("--limit", type=click.IntRange(min=0), help="At most this many events."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def make_filter(source, target, types, cameo, quad, since, until, modality, text, article, limit) -> EventFilter:
    split = lambda values: [v for value in values for v in value.split(",") if v.strip()]  # noqa: E731
    return EventFilter(source=split(source), target=split(target), type=split(types), cameo=split(cameo),
                       quad=list(quad), since=since, until=until, modality=split(modality), text=text,
                       article=article, limit=limit)


@contextmanager
def open_store(db: str, read_only: bool = False) -> Iterator[Store]:
    """`with open_store(db) as store:` a store error, opening or later (full disk, damaged file), is one line."""
    try:
        with Store(db, read_only=read_only) as store:
            yield store
    except StoreError as err:
        raise click.ClickException(str(err)) from None


class Progress:
    """A live line on a terminal (articles/s, events, skipped); nothing otherwise."""

    def __init__(self, enabled: bool):
        self.bar = None
        if enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress as Bar, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.bar = Bar(SpinnerColumn(), TextColumn("ingest"), BarColumn(bar_width=16), TextColumn("{task.description}"),
                           TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self.task = self.bar.add_task("starting workers…", total=None)
            self.bar.start()

    def __call__(self, s) -> None:
        if self.bar:
            self.bar.update(self.task, description=(
                f"{s.read:,} read · {s.coded:,} coded ({s.rate:.1f}/s) · {s.events:,} events · "
                f"{s.unchanged + s.linked:,} already stored · {len(s.skipped):,} skipped"))

    def stop(self) -> None:
        if self.bar:
            self.bar.stop()


def summary_line(s, db: str) -> str:
    parts = [f"{s.read:,} article{'s' if s.read != 1 else ''} read", f"{s.coded:,} coded ({s.rate:.1f}/s)"]
    if s.unchanged:
        parts.append(f"{s.unchanged:,} unchanged")
    if s.linked:
        parts.append(f"{s.linked:,} duplicate text{'s' if s.linked != 1 else ''} linked")
    if s.replaced:
        parts.append(f"{s.replaced:,} replaced")
    parts.append(f"{s.events:,} events")
    if s.skipped:
        parts.append(f"{len(s.skipped):,} skipped")
    return f"tocsin: {', '.join(parts)} in {s.seconds:.1f} s -> {db}"


def _names():
    """CAMEO code -> name and country code -> name, for ICEWS rows."""
    import csv
    from importlib import resources

    from ..coding.ontology import all_codes

    text = resources.files("tocsin.actors").joinpath("data/countries.tsv").read_text("utf-8")
    countries = {row["code"]: row["name"] for row in csv.DictReader(text.splitlines(), delimiter="\t")}
    return {code: c.name for code, c in all_codes().items()}, countries


def _parquet(store, output, flt) -> None:
    """Write the filtered events as Parquet (a file is required: Parquet is not streamed)."""
    if not output:
        raise click.UsageError("--format parquet needs --output FILE")
    count = store.export("parquet", output, flt)
    click.echo(f"tocsin: {count:,} events -> {output}", err=True)


def register(app: click.Group) -> None:
    @app.command("ingest")
    @click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
    @db_option
    @click.option("--workers", type=click.IntRange(min=0), default=lambda: os.cpu_count() or 1,
                  show_default="the number of cores", help="Coding processes (0: code in this process).")
    @published_option
    @click.option("--column", "columns", multiple=True, metavar="FIELD=COLUMN",
                  help="CSV column for a field (text, title, desc, published, id, url, outlet); repeatable or comma-separated.")
    @click.option("--date-format", metavar="FORMAT", help="CSV date format, e.g. %d/%m/%Y (ISO dates need none).")
    @click.option("--follow-links", is_flag=True, help="For feeds: fetch each entry's page instead of its summary.")
    @click.option("--timeout", type=float, default=20.0, show_default=True, help="Seconds before a URL is given up.")
    @click.option("--max-bytes", type=int, default=5_000_000, show_default=True, help="Largest page or feed fetched.")
    @click.option("--interval", type=float, default=1.0, show_default=True, help="Seconds between two requests to one host.")
    @click.option("--model", type=click.Choice(sorted(MODELS)), default="sm", show_default=True,
                  help="spaCy pipeline (*-no-ner: without spaCy's NER, ~1.7x faster, fewer dates and places).")
    @click.option("--batch", type=click.IntRange(min=1), default=64, show_default=True, help="Articles a write transaction.")
    @click.option("--progress/--no-progress", default=None, help="Live progress [default: on a terminal].")
    @click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
                  help="local: worker processes on this machine; ray: a Ray cluster, one coding actor a "
                       "worker (--workers; default: the cluster's CPUs). Needs pip install 'tocsin[ray]'.")
    @click.option("--address", metavar="HOST:PORT",
                  help="With --engine ray: the head of a running cluster (what `ray start --head` prints) "
                       "[default: a local cluster for this run].")
    @click.option("--parquet", metavar="DIR",
                  help="With --engine ray: the workers write the coded articles as Parquet partitions in DIR "
                       "(a new folder; on several machines one they all reach: NFS, s3://, gs://), "
                       "which are then loaded into the store and kept for DuckDB, Spark or BigQuery.")
    def ingest_cmd(sources, db, workers, published, columns, date_format, follow_links, timeout, max_bytes,
                   interval, model, batch, progress, engine, address, parquet):
        """Read, code and store articles: files, directories, URLs, feeds.

        \b
        SOURCE is a file (.txt, .html/.htm, .jsonl, .csv/.tsv, RSS/Atom .xml),
        a directory (read recursively by extension), an http(s) URL (a page,
        a feed, JSON Lines) or - for stdin. Articles already stored are not
        coded again; a source whose text changed has its events replaced; an
        interrupted run (even kill -9) is finished by running it again.
        Inputs that cannot be read or coded are stored with their reason
        (see `tocsin events --help` to query) and the exit code is then 1.

        \b
        Bounds (see `tocsin code --help` for encodings and what else is skipped):
        a text or HTML file over 8 MB, a JSON line over 8 MB, a CSV over 2 GB,
        a feed over 50 MB are not read; a feed gives its first 1,000 entries;
        a URL is given up after --timeout seconds without data, 3 x --timeout
        in all, or --max-bytes; redirects stop after 20. The caps are
        constants in tocsin/ingest/ (plain.py, sources.py, feeds.py).

        \b
        With --engine ray the articles are coded on a Ray cluster (Ray Data,
        one actor a worker, spaCy loaded once an actor) and the events are
        the same, with the same ids, as with the local engine. This machine
        reads the sources and writes the store.

        \b
        Examples:
          tocsin ingest articles/ --published 2021-12-16
          tocsin ingest dump.jsonl --db news.duckdb --workers 4
          tocsin ingest guardian.csv --column text=body,title=headline,published=date
          tocsin ingest https://example.org/world/rss.xml --follow-links
          tocsin ingest dump.jsonl --engine ray --address 10.0.0.5:6379 --parquet /mnt/shared/coded
        """
        from ..ingest.workers import ingest

        try:
            mapping = parse_columns(columns)
        except ValueError as err:
            raise click.BadParameter(str(err), param_hint="--column") from None
        if engine == "local" and (address or parquet):
            raise click.UsageError(f"{'--address' if address else '--parquet'} needs --engine ray")
        explicit = click.get_current_context().get_parameter_source("workers") != click.core.ParameterSource.DEFAULT
        if engine == "ray" and explicit and workers == 0:
            raise click.BadParameter("0 (code in this process) has no meaning with --engine ray", param_hint="--workers")
        options = ReadOptions(published=published, columns=mapping, date_format=date_format, follow=follow_links,
                              timeout=timeout, max_bytes=max_bytes, interval=interval)
        with open_store(db) as store:
            live = Progress(sys.stderr.isatty() if progress is None else progress)
            try:
                if engine == "ray":
                    from ..ingest.ray_engine import ParquetError, RayUnavailable, ingest_ray

                    try:
                        summary = ingest_ray(read_sources(sources, options), store, address=address,
                                             workers=workers if explicit else None, model=model, batch=batch,
                                             parquet=parquet, progress=live)
                    except (RayUnavailable, ParquetError) as err:
                        raise click.ClickException(str(err)) from None
                else:
                    summary = ingest(read_sources(sources, options), store, workers=workers, model=model,
                                     batch=batch, progress=live)
            except ModelNotInstalled as err:
                raise click.ClickException(str(err)) from None
            finally:
                live.stop()
        for item in summary.skipped[:50]:
            click.echo(f"tocsin: skipped {one_line(item.message())}", err=True)
        if len(summary.skipped) > 50:
            click.echo(f"tocsin: ... and {len(summary.skipped) - 50} more skipped (all are in the store's skipped table)", err=True)
        click.echo(summary_line(summary, db), err=True)
        sys.exit(1 if summary.skipped else 0)

    @app.command("events")
    @db_option
    @filter_options
    @click.option("--format", "fmt", type=click.Choice(EVENT_FORMATS + ("parquet",)), default=None,
                  help="Output format [default: table on a terminal, jsonl otherwise].")
    @click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to this file (needed for parquet).")
    @click.option("--explain", is_flag=True, help="Show why each event was coded.")
    def events_cmd(db, fmt, output, explain, **filters):
        """Query stored events.

        \b
        Filters combine (all must hold); a repeated or comma-separated filter
        means any of its values. Dates are the event date, else the article's
        publication date. A table shows at most 200 events unless --limit.

        \b
        Examples:
          tocsin events --source RUS --target UKR --quad 4 --since 2022-02-24
          tocsin events --type ASSAULT,COERCE --format csv > conflict.csv
          tocsin events --text "ceasefire talks" --modality said --limit 20
          tocsin events --format parquet --output events.parquet
        """
        from ..output import EventWriter

        flt = make_filter(filters.pop("source"), filters.pop("target"), filters.pop("types"), **filters)
        with open_store(db, read_only=True) as store:
            if fmt == "parquet":
                _parquet(store, output, flt)
                return
            handle = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
            fmt = fmt or ("table" if handle.isatty() else "jsonl")
            if fmt == "table" and flt.limit is None:
                flt.limit = 200
            writer = EventWriter(handle, fmt, explain)
            writer.write(store.iter_events(flt))
            writer.close()
            if output:
                handle.close()
                click.echo(f"tocsin: {writer.count:,} events -> {output}", err=True)

    @app.command("export")
    @db_option
    @click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
                  help="gdelt or icews (tab-separated rows), plover (JSON Lines), parquet (flat columns).")
    @click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to this file (needed for parquet).")
    @click.option("--header/--no-header", default=True, show_default=True, help="A header line (gdelt, icews).")
    @filter_options
    def export_cmd(db, fmt, output, header, **filters):
        """Export stored events as GDELT-style, ICEWS-style, PLOVER or Parquet.

        \b
        The mapping of each column is documented in docs/exports.md. The
        filters of `tocsin events` apply.

        \b
        Examples:
          tocsin export --format gdelt > events.gdelt.tsv
          tocsin export --format icews --since 2022-01-01 -o icews.tsv
          tocsin export --format plover --source RUS > plover.jsonl
          tocsin export --format parquet -o events.parquet
        """
        from .. import __version__

        flt = make_filter(filters.pop("source"), filters.pop("target"), filters.pop("types"), **filters)
        with open_store(db, read_only=True) as store:
            if fmt == "parquet":
                _parquet(store, output, flt)
                return
            cameo_names, country_names = _names() if fmt == "icews" else ({}, {})
            target = output or sys.stdout
            count = store.export(fmt, target, flt, header=header, cameo_names=cameo_names,
                                 country_names=country_names, **({"version": __version__} if fmt == "plover" else {}))
        click.echo(f"tocsin: {count:,} events exported" + (f" -> {output}" if output else ""), err=True)
