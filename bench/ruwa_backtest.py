"""Backtest of stories, dyad series and alerts on the Russia-Ukraine war headlines of 2022.

    python bench/ruwa_backtest.py                        # ingest ruwa_2022.csv into a temp store (minutes)
    python bench/ruwa_backtest.py --db ruwa.duckdb       # reuse (or create) a store: iterate faster
    python bench/ruwa_backtest.py --by day --plot /tmp/x.png --json /tmp/x.json

Reports: events, stories, how many events the stories merged (and the
ratio), the RUS->UKR and UKR->RUS weekly series, when alerts fire, and the
seconds taken by ingestion, story merging and the series + alerts
computation. Writes the plot (docs/ruwa-rus-ukr.png) and the figures as JSON
(docs/ruwa-backtest.json).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("TOCSIN_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpora" / "ruwa" / "ruwa_2022.csv"
DYADS = (("RUS", "UKR"), ("UKR", "RUS"))

from tocsin.analysis.alerts import AlertOptions, find_alerts  # noqa: E402
from tocsin.analysis.plots import Panel, plot_panels  # noqa: E402
from tocsin.analysis.series import dyad_series, load_units, render_series  # noqa: E402
from tocsin.analysis.stories import StoryOptions, build_stories  # noqa: E402
from tocsin.store import Store  # noqa: E402
from tocsin.store.stories import StoryStore  # noqa: E402


def ingest_corpus(store: Store, corpus: Path, workers: int) -> dict:
    from tocsin.ingest.sources import ReadOptions, read_sources
    from tocsin.ingest.workers import ingest

    started = time.perf_counter()
    summary = ingest(read_sources([str(corpus)], ReadOptions()), store, workers=workers)
    return {"read": summary.read, "coded": summary.coded, "linked": summary.linked, "events": summary.events,
            "skipped": len(summary.skipped), "seconds": round(time.perf_counter() - started, 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="A store to reuse (ingested into first when it has no articles).")
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--by", choices=("day", "week"), default="week")
    parser.add_argument("--since", default="2022-01-03", help="First period of the series and the plot.")
    parser.add_argument("--plot", default=str(ROOT / "docs" / "ruwa-rus-ukr.png"))
    parser.add_argument("--json", default=str(ROOT / "docs" / "ruwa-backtest.json"))
    args = parser.parse_args(argv)
    since = dt.date.fromisoformat(args.since)

    tmp = None
    if not args.db:
        tmp = tempfile.TemporaryDirectory(prefix="ruwa-")
        args.db = os.path.join(tmp.name, "ruwa.duckdb")
    figures: dict = {"corpus": args.corpus, "db": args.db, "by": args.by}
    with Store(args.db) as store:
        if store.counts()["articles"] == 0:
            print(f"ingesting {args.corpus} with {args.workers} workers ...", file=sys.stderr)
            figures["ingest"] = ingest_corpus(store, Path(args.corpus), args.workers)
            print(f"  {figures['ingest']}", file=sys.stderr)
        counts = store.counts()

        options = StoryOptions()
        built = build_stories(store, rebuild=True, options=options)
        stories = StoryStore(store)
        all_stories = stories.stories()
        figures["stories"] = {
            "articles": counts["articles"], "sources": counts["sources"], "events": counts["events"],
            "events_in_stories": built.events, "stories": built.stories, "merged_events": built.merged,
            "events_per_story": round(built.events / built.stories, 3) if built.stories else None,
            "multi_report_stories": int((all_stories["n_articles"] > 1).sum()),
            "multi_outlet_stories": int((all_stories["n_outlets"] > 1).sum()),
            "options": options.to_dict(), "seconds": round(built.seconds, 2),
        }

        started = time.perf_counter()
        series, units_by = {}, {}
        for source, target in DYADS:
            units = load_units(store, source, target, since=since)
            units_by[(source, target)] = units
            series[(source, target)] = dyad_series(units, args.by, since)
        alerts = find_alerts(store, since=since, by=args.by, options=AlertOptions())
        series_seconds = time.perf_counter() - started
        raw = {d: len(load_units(store, *d, unit="events", since=since)) for d in DYADS}

    dyad_alerts = {d: [a for a in alerts if (a.source, a.target) == d] for d in DYADS}
    figures["series_alerts_seconds"] = round(series_seconds, 2)
    figures["alerts_all_dyads"] = len(alerts)
    figures["dyads"] = {}
    for d in DYADS:
        frame = series[d]
        figures["dyads"]["->".join(d)] = {
            "stories": int(frame["total"].sum()), "events": raw[d],
            "conflict_stories": int(frame["conflict"].sum()),
            "weekly" if args.by == "week" else "daily": [
                {"period": p.date().isoformat(), **{k: (None if v != v else v) for k, v in row.items()
                                                    if not k.startswith("type:")}}
                for p, row in frame.to_dict("index").items()],
            "alerts": [{"start": a.start.isoformat(), "end": a.end.isoformat(), "count": a.count, "peak": a.peak,
                        "baseline_median": a.baseline_median, "z": a.z, "p": a.p,
                        "top_story": a.stories[0]["evidence"] if a.stories else None} for a in dyad_alerts[d]],
        }
        marks = {p: "!" for p in frame.index for a in dyad_alerts[d] if a.start <= p.date() <= a.end}
        print(render_series(frame, f"\n{d[0]} -> {d[1]}: stories a {args.by}", marks, types=3))
        for a in dyad_alerts[d]:
            print("\n" + a.explain())
    plot_panels([Panel(f"{s} -> {t} (stories a {args.by})", series[(s, t)], dyad_alerts[(s, t)]) for s, t in DYADS],
                args.plot, title="ruwa 2022 headlines: stories by QuadClass, alerts shaded", by=args.by)
    Path(args.json).write_text(json.dumps(figures, indent=1, default=str) + "\n", encoding="utf-8")

    s = figures["stories"]
    print(f"\nevents {s['events']:,}; in stories {s['events_in_stories']:,} -> {s['stories']:,} stories "
          f"({s['merged_events']:,} merged, {s['events_per_story']} events a story; "
          f"{s['multi_outlet_stories']:,} stories from 2+ outlets); merging {s['seconds']} s; "
          f"series + alerts {figures['series_alerts_seconds']} s; {len(alerts)} alerts over all dyads")
    for d in DYADS:
        print(f"{'->'.join(d)} alerts: " + (", ".join(
            f"{a.start}" + (f"..{a.end}" if a.end != a.start else "") for a in dyad_alerts[d]) or "none"))
    print(f"plot -> {args.plot}; figures -> {args.json}")
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
