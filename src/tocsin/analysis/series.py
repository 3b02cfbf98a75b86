"""Dyad series: counts a day or a week by QuadClass and PLOVER type, Goldstein, share of conflict.

    >>> from tocsin.analysis.series import load_units, dyad_series
    >>> units = load_units(store, "RUS", "UKR")                 # stories of RUS -> UKR
    >>> series = dyad_series(units, by="week")                  # one row a week, empty weeks included

The unit of counting is the story (one real event however many outlets
reported it); `unit="events"` counts the raw coded events instead. A dyad is
directed (source -> target); `both_ways` adds the reverse direction; with no
target, the series is of every event the actor takes part in, on either side.

Columns of a series (indexed by the first day of each period, Monday for weeks):
  q1 q2 q3 q4        counts by QuadClass (verbal/material cooperation, verbal/material conflict)
  total              all units
  conflict           q3 + q4
  conflict_share     conflict / total (0 when total is 0)
  goldstein_sum      sum of the units' Goldstein scores (a story's is its reports' mean)
  goldstein_mean     goldstein_sum / total (NaN when total is 0)
  type:KIND          counts by PLOVER type (or CAMEO root), one column each
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from ..store.stories import StoryStore

PERIODS = ("day", "week")
QUADS = (1, 2, 3, 4)
BARS = "▁▂▃▄▅▆▇█"


def period_start(dates, by: str) -> pd.Series:
    """The first day (a Timestamp) of the day or week (Monday) each date falls in."""
    if by not in PERIODS:
        raise ValueError(f"by must be one of {', '.join(PERIODS)}, not {by!r}")
    stamps = pd.to_datetime(pd.Series(dates)).dt.normalize()
    if by == "week":
        stamps = stamps - pd.to_timedelta(stamps.dt.day_of_week, unit="D")
    return stamps


def period_index(start, end, by: str) -> pd.DatetimeIndex:
    """Every period from the one holding `start` to the one holding `end`."""
    first, last = period_start([start, end], by)
    return pd.date_range(first, last, freq="D" if by == "day" else "7D", name="period")


def load_units(store, source: str | None, target: str | None = None, *, unit: str = "stories",
               both_ways: bool = False, quads=(), since: dt.date | None = None,
               until: dt.date | None = None) -> pd.DataFrame:
    """The counting units of a dyad (source -> target) or of an actor (no target: either side)."""
    stories = StoryStore(store)
    src = [source] if source else []
    if not target:
        return stories.units(unit, src, (), either=bool(src), quads=quads, since=since, until=until)
    frames = [stories.units(unit, src, [target], quads=quads, since=since, until=until)]
    if both_ways:
        frames.append(stories.units(unit, [target], src, quads=quads, since=since, until=until))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return stories.units(unit, src, [target], quads=quads, since=since, until=until)
    return pd.concat(frames, ignore_index=True).sort_values(["date", "id"], ignore_index=True)


def dyad_series(units: pd.DataFrame, by: str = "week", start=None, end=None) -> pd.DataFrame:
    """Aggregate units (from `load_units`) into one row a period, from `start` to `end`
    (default: the first and last unit), empty periods included as zeros."""
    dates = units["date"] if not units.empty else pd.Series([], dtype="datetime64[ns]")
    start = start if start is not None else (dates.min() if len(dates) else None)
    end = end if end is not None else (dates.max() if len(dates) else None)
    columns = [f"q{q}" for q in QUADS] + ["total", "conflict", "conflict_share", "goldstein_sum", "goldstein_mean"]
    if start is None or end is None:
        return pd.DataFrame(columns=columns, index=pd.DatetimeIndex([], name="period"))
    index = period_index(start, end, by)
    frame = units.copy()
    frame["period"] = period_start(frame["date"], by).values if len(frame) else pd.Series(dtype="datetime64[ns]")
    frame = frame[(frame["period"] >= index[0]) & (frame["period"] <= index[-1])]
    out = pd.DataFrame(index=index)
    quads = frame.groupby(["period", "quad_class"]).size().unstack(fill_value=0) if len(frame) else pd.DataFrame()
    for q in QUADS:
        out[f"q{q}"] = quads[q].reindex(index, fill_value=0) if q in quads.columns else 0
    out["total"] = frame.groupby("period").size().reindex(index, fill_value=0)
    out["conflict"] = out["q3"] + out["q4"]
    out["conflict_share"] = (out["conflict"] / out["total"].where(out["total"] > 0)).fillna(0.0).round(3)
    out["goldstein_sum"] = frame.groupby("period")["goldstein"].sum().reindex(index, fill_value=0.0).round(2)
    out["goldstein_mean"] = (out["goldstein_sum"] / out["total"].where(out["total"] > 0)).round(2)
    kinds = frame.groupby(["period", "kind"]).size().unstack(fill_value=0) if len(frame) else pd.DataFrame()
    for kind in sorted(kinds.columns, key=lambda k: (-int(kinds[k].sum()), k)):
        out[f"type:{kind}"] = kinds[kind].reindex(index, fill_value=0)
    for name in out.columns:
        if name.startswith(("q", "type:")) or name in ("total", "conflict"):
            out[name] = out[name].astype(int)
    out.index.name = "period"
    return out


def sparkline(values) -> str:
    """One block character a value, scaled to the largest (a blank-ish ▁ for zero)."""
    values = [float(v) for v in values]
    top = max(values, default=0.0)
    if top <= 0:
        return BARS[0] * len(values)
    return "".join(BARS[min(len(BARS) - 1, int(round(v / top * (len(BARS) - 1))))] for v in values)


def render_series(series: pd.DataFrame, title: str, marks: dict | None = None, types: int = 4) -> str:
    """A text table (one line a period) and a sparkline a QuadClass; `marks`: period -> a marker."""
    marks = marks or {}
    type_columns = [c for c in series.columns if c.startswith("type:")][:types]
    head = ["period", "q1", "q2", "q3", "q4", "total", "confl%", "gold_sum", "gold_mean"]
    head += [c[5:] for c in type_columns] + ["alert"]
    rows = []
    for period, row in series.iterrows():
        mean = row["goldstein_mean"]
        rows.append([period.date().isoformat(), *(str(int(row[f"q{q}"])) for q in QUADS), str(int(row["total"])),
                     f"{100 * row['conflict_share']:.0f}", f"{row['goldstein_sum']:.1f}",
                     "" if pd.isna(mean) else f"{mean:.2f}", *(str(int(row[c])) for c in type_columns),
                     marks.get(period, "")])
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)]
    lines = [title, "  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w) in enumerate(zip(head, widths)))]
    lines += ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    labels = {1: "q1 verbal coop.  ", 2: "q2 material coop.", 3: "q3 verbal confl. ", 4: "q4 material confl."}
    lines.append("")
    for q in QUADS:
        values = list(series[f"q{q}"]) if len(series) else []
        lines.append(f"{labels[q]:<18} {sparkline(values)}  max {max(values, default=0)}")
    if marks:
        line = "".join("!" if p in marks else " " for p in series.index)
        lines.append(f"{'alerts':<18} {line}")
    return "\n".join(lines)
