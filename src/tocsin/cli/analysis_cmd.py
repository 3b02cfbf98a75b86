"""`tocsin stories`, `tocsin trend`, `tocsin alerts`: from stored events to early warning."""
from __future__ import annotations

import csv
import json
import sys

import click

from .store_cmd import _date, db_option, open_store


def _codes(values) -> list[str]:
    return [v.strip().upper() for value in values for v in value.split(",") if v.strip()]


def _jsonable(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _write_rows(rows: list[dict], fmt: str) -> None:
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps({k: _jsonable(v) for k, v in row.items()}, ensure_ascii=False))
    elif fmt == "csv" and rows:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _jsonable(v) for k, v in row.items()} for row in rows)


def _stories_ready(store, story_store) -> None:
    """Stop with a hint when the store has no stories; warn when events wait outside them."""
    from ..analysis.stories import StoryOptions

    if not story_store.ready() or not story_store.meta():
        raise click.ClickException(f"{store.path} has no stories yet: run `tocsin stories --db {store.path}` first")
    options = story_store.meta().get("options") or StoryOptions().to_dict()
    waiting = story_store.dirty_keys(options["modalities"])
    if waiting:
        click.echo(f"tocsin: {len(waiting):,} dyad/type keys have events not yet in stories: "
                   f"run `tocsin stories --db {store.path}`", err=True)


def register(app: click.Group) -> None:
    @app.command("stories")
    @db_option
    @click.option("--rebuild", is_flag=True, help="Rebuild every story (default: only where events changed).")
    @click.option("--window", type=click.IntRange(min=0), default=2, show_default=True,
                  help="Days a story may span from its first event date.")
    @click.option("--similarity", type=click.FloatRange(0, 1), default=0.25, show_default=True,
                  help="Least Jaccard similarity of evidence shingles to join a story.")
    @click.option("--source", multiple=True, metavar="CODE", help="Source country (RUS, NATO). Repeatable.")
    @click.option("--target", multiple=True, metavar="CODE", help="Target country. Repeatable.")
    @click.option("--type", "types", multiple=True, metavar="TYPE",
                  help="PLOVER type (ASSAULT) or CAMEO root (CAMEO01). Repeatable.")
    @click.option("--since", callback=_date, metavar="YYYY-MM-DD", help="Stories starting on or after this date.")
    @click.option("--until", callback=_date, metavar="YYYY-MM-DD", help="Stories starting on or before this date.")
    @click.option("--limit", type=click.IntRange(min=0), help="At most this many stories [default: 50 in a table].")
    @click.option("--format", "fmt", type=click.Choice(("table", "jsonl", "csv")), default="table", show_default=True,
                  help="table for people, jsonl or csv for programs.")
    def stories_cmd(db, rebuild, window, similarity, source, target, types, since, until, limit, fmt):
        """Merge duplicate reports into stories, then list them (most recent first).

        \b
        A story is one real event however many articles and outlets reported
        it: same source country, target country and PLOVER type (or CAMEO
        root), event dates within --window days, alike evidence sentences.
        Stories are kept in the store and are what `tocsin trend` and
        `tocsin alerts` count; only keys with new or removed events are
        rebuilt unless --rebuild (or changed --window/--similarity).

        \b
        Examples:
          tocsin stories --db news.duckdb
          tocsin stories --source RUS --target UKR --type ASSAULT --since 2022-04-01
          tocsin stories --rebuild --window 3 --format jsonl > stories.jsonl
        """
        from ..analysis.stories import StoryOptions, build_stories
        from ..store.stories import StoryStore

        with open_store(db) as store:
            report = build_stories(store, rebuild, StoryOptions(window_days=window, similarity=similarity))
            how = "rebuilt" if report.full else "updated"
            click.echo(f"tocsin: stories {how}: {report.keys:,} keys, {report.events:,} events in "
                       f"{report.stories:,} stories ({report.merged:,} merged) in {report.seconds:.1f} s", err=True)
            if fmt == "table" and limit is None:
                limit = 50
            frame = StoryStore(store).stories(_codes(source), _codes(target), _codes(types), since, until, limit)
        rows = frame.to_dict("records")
        if fmt != "table":
            _write_rows(rows, fmt)
            return
        click.echo(f"{'first':<10}  {'last':<10}  {'source':<6} {'target':<6} {'type':<10} q  "
                   f"{'rep':>4} {'out':>3}  evidence")
        for r in rows:
            click.echo(f"{str(r['first_date'])[:10]}  {str(r['last_date'])[:10]}  {r['source_country'] or '-':<6} "
                       f"{r['target_country'] or '-':<6} {r['kind']:<10} {r['quad_class']}  {r['n_articles']:>4} "
                       f"{r['n_outlets']:>3}  {(r['evidence'] or '')[:110]}")

    @app.command("trend")
    @click.argument("actor", metavar="SOURCE")
    @click.argument("other", metavar="[TARGET]", required=False)
    @db_option
    @click.option("--by", type=click.Choice(("day", "week")), default="week", show_default=True,
                  help="Period of the series (weeks start on Monday).")
    @click.option("--events", "raw", is_flag=True, help="Count raw coded events instead of stories.")
    @click.option("--both-ways", is_flag=True, help="Count TARGET -> SOURCE too.")
    @click.option("--since", callback=_date, metavar="YYYY-MM-DD", help="From this date.")
    @click.option("--until", callback=_date, metavar="YYYY-MM-DD", help="Up to this date.")
    @click.option("--plot", type=click.Path(dir_okay=False), help="Also draw the series to this PNG.")
    @click.option("--format", "fmt", type=click.Choice(("table", "jsonl", "csv")), default="table", show_default=True,
                  help="table for people, jsonl or csv for programs.")
    def trend_cmd(actor, other, db, by, raw, both_ways, since, until, plot, fmt):
        """Counts a day or a week for a dyad (SOURCE -> TARGET) or an actor (SOURCE alone: either side).

        \b
        Columns: stories by QuadClass (q1 verbal cooperation, q2 material
        cooperation, q3 verbal conflict, q4 material conflict), total, share
        of conflict (q3+q4), Goldstein sum and mean, the busiest types, and
        the periods where `tocsin alerts` would fire for a dyad ("!").
        Under the table, one sparkline a QuadClass.

        \b
        Examples:
          tocsin trend RUS UKR --by week
          tocsin trend RUS UKR --events --since 2022-02-01 --plot rus-ukr.png
          tocsin trend NATO --by day --format csv
        """
        from ..analysis.alerts import AlertOptions, dyad_alerts
        from ..analysis.series import dyad_series, load_units, period_start, render_series
        from ..store.stories import StoryStore

        unit = "events" if raw else "stories"
        source, target = actor.upper(), other.upper() if other else None
        with open_store(db, read_only=True) as store:
            if unit == "stories":
                _stories_ready(store, StoryStore(store))
            units = load_units(store, source, target, unit=unit, both_ways=both_ways, since=since, until=until)
        series = dyad_series(units, by, since, until)
        alerts = []
        if len(series):
            conflict = units[units["quad_class"].isin([3, 4])]
            conflict = conflict.assign(period=period_start(conflict["date"], by).values)
            label_target = target or "*"
            alerts = dyad_alerts(series["conflict"], conflict, source, label_target, by, AlertOptions(), unit)
        marks = {}
        for alert in alerts:
            for period in series.index:
                if alert.start <= period.date() <= alert.end:
                    marks[period] = "!"
        title = (f"{source} -> {target}" + (" and back" if both_ways else "") if target else f"{source} (either side)")
        title += f": {unit} a {by}"
        if fmt == "table":
            click.echo(render_series(series, title, marks))
            for alert in alerts:
                click.echo("\n" + alert.explain())
        else:
            rows = [{"period": p.date().isoformat(), **row, "alert": p in marks}
                    for p, row in series.to_dict("index").items()]
            _write_rows(rows, fmt)
        if plot:
            from ..analysis.plots import Panel, plot_panels

            plot_panels([Panel(title, series, alerts)], plot, by=by)
            click.echo(f"tocsin: plot -> {plot}", err=True)

    @app.command("alerts")
    @db_option
    @click.option("--since", callback=_date, metavar="YYYY-MM-DD", help="Alerts from this date on.")
    @click.option("--until", callback=_date, metavar="YYYY-MM-DD", help="Data up to this date.")
    @click.option("--by", type=click.Choice(("day", "week")), default="week", show_default=True,
                  help="Period of the series (weeks start on Monday).")
    @click.option("--min-count", type=click.IntRange(min=1), default=5, show_default=True,
                  help="Fewest conflict stories in a flagged period.")
    @click.option("--window", type=click.IntRange(min=2), default=8, show_default=True,
                  help="Trailing periods that make the baseline.")
    @click.option("--z", "z", type=float, default=3.0, show_default=True, help="Least robust z-score.")
    @click.option("--source", multiple=True, metavar="CODE", help="Only dyads with this source. Repeatable.")
    @click.option("--target", multiple=True, metavar="CODE", help="Only dyads with this target. Repeatable.")
    @click.option("--events", "raw", is_flag=True, help="Count raw coded events instead of stories.")
    @click.option("--format", "fmt", type=click.Choice(("table", "jsonl")), default="table", show_default=True,
                  help="table for people, jsonl for programs.")
    def alerts_cmd(db, since, until, by, min_count, window, z, source, target, raw, fmt):
        """Dyads whose conflict (QuadClass 3+4 stories) jumps above their own baseline.

        \b
        Each period's count is set against the --window periods before it:
        robust z = (count - median) / max(1.4826 MAD, sqrt(median), 1), and
        the Poisson tail probability of the count given the median. A period
        is flagged when count >= --min-count, z >= --z and p <= 0.01;
        consecutive flagged periods are one alert. Each alert says its
        baseline, its jump and the stories that drove it.

        \b
        Examples:
          tocsin alerts --since 2022-03-01
          tocsin alerts --by day --min-count 3 --source RUS --format jsonl
        """
        from ..analysis.alerts import AlertOptions, find_alerts
        from ..store.stories import StoryStore

        unit = "events" if raw else "stories"
        options = AlertOptions(window=window, min_history=min(4, window), min_count=min_count, z=z)
        with open_store(db, read_only=True) as store:
            if unit == "stories":
                _stories_ready(store, StoryStore(store))
            alerts = find_alerts(store, since=since, until=until, by=by, source=_codes(source),
                                 target=_codes(target), unit=unit, options=options)
        if fmt == "jsonl":
            for alert in alerts:
                click.echo(json.dumps(alert.to_dict(), ensure_ascii=False))
            return
        if not alerts:
            click.echo("tocsin: no alerts", err=True)
        for alert in alerts:
            click.echo(alert.explain() + "\n")
