"""From events to early warning: stories (duplicate reports merged), dyad series, alerts, plots.

`stories.build_stories(store)` groups the stored events into stories (kept in
the store); `series.load_units` + `series.dyad_series` count them a day or a
week for a dyad or an actor; `alerts.find_alerts` flags conflict that rises
well above a dyad's own baseline, each alert with its explanation;
`plots.plot_panels` draws series with their alerts. Everything here reads and
writes through `tocsin.store` (no SQL in this package).
"""
from .alerts import Alert, AlertOptions, find_alerts
from .series import dyad_series, load_units, sparkline
from .stories import BuildReport, StoryOptions, build_stories

__all__ = ["Alert", "AlertOptions", "BuildReport", "StoryOptions", "build_stories", "dyad_series",
           "find_alerts", "load_units", "sparkline"]
