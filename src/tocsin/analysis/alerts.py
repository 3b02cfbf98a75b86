"""Alerts: periods where a dyad's conflict rises well above its own recent baseline.

For each directed dyad (source country -> target country) the conflict
count (stories of QuadClass 3 or 4, a day or a week) of each period is set
against the `window` periods before it (at least `min_history` of them):

  robust z   = (count - median) / max(1.4826 * MAD, sqrt(median), 1)
  Poisson p  = P(X >= count) for X ~ Poisson(max(median, 0.5))

A period is flagged when count >= `min_count`, z >= `z` and p <= `p`. The
scale's floor keeps a flat, low series (MAD 0) from flagging every small
wobble; the median and MAD keep one earlier spike from hiding the next.
Consecutive flagged periods make one alert (its onset is the first, its
peak the largest); each alert carries its explanation: the baseline, the
jump, and the stories that drove it (most reported first).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from ..store.stories import StoryStore
from .series import dyad_series, period_index, period_start


@dataclass
class AlertOptions:
    window: int = 8  # trailing periods that make the baseline
    min_history: int = 4  # fewest trailing periods before a period can be judged
    min_count: int = 5  # fewest conflict units in a flagged period
    z: float = 3.0  # least robust z-score
    p: float = 0.01  # largest Poisson tail probability
    top: int = 3  # stories named in an explanation


@dataclass
class Alert:
    source: str
    target: str
    by: str  # day | week
    start: dt.date  # first flagged period
    end: dt.date  # last flagged period (start when one period)
    count: int  # conflict units in the onset period
    peak: int  # most conflict units in a flagged period
    baseline_median: float
    baseline_mad: float
    baseline: list[int]  # the trailing counts the onset was judged against
    baseline_from: dt.date
    baseline_to: dt.date
    z: float
    p: float
    unit: str = "stories"
    stories: list[dict] = field(default_factory=list)  # id, date, kind, quad_class, n_articles, n_outlets, evidence

    def explain(self) -> str:
        span = self.start.isoformat() if self.end == self.start else f"{self.start} to {self.end} (peak {self.peak})"
        lines = [
            f"{self.source}->{self.target} conflict {self.unit} in the {self.by} of {span}: {self.count}, against a "
            f"baseline median of {self.baseline_median:g} (MAD {self.baseline_mad:g}) over the {len(self.baseline)} "
            f"{self.by}s {self.baseline_from} to {self.baseline_to} {self.baseline}; "
            f"jump +{self.count - self.baseline_median:g}, robust z {self.z:.1f}, Poisson p {self.p:.2g}."]
        for s in self.stories:
            lines.append(f"  {s['date']} {s['kind']} q{s['quad_class']} ({s['n_articles']} reports, "
                         f"{s['n_outlets']} outlets): {s['evidence']}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        d = asdict(self)
        for key in ("start", "end", "baseline_from", "baseline_to"):
            d[key] = d[key].isoformat()
        d["explanation"] = self.explain()
        return d


def poisson_tail(count: int, mean: float) -> float:
    """P(X >= count) for X ~ Poisson(mean), summed in log space (no underflow for large counts)."""
    if count <= 0:
        return 1.0
    log_term = lambda k: -mean + k * math.log(mean) - math.lgamma(k + 1)  # noqa: E731
    if count <= mean:
        return max(0.0, 1.0 - sum(math.exp(log_term(k)) for k in range(count)))
    total, k = 0.0, count
    while True:
        term = math.exp(log_term(k))
        total += term
        if term < 1e-17 * max(total, 1e-300) or k > count + 10_000:
            return min(1.0, total)
        k += 1


def judge(counts: list[int], options: AlertOptions) -> list[dict | None]:
    """For each period: None, or the figures that flag it against its trailing window."""
    out: list[dict | None] = []
    for i, count in enumerate(counts):
        history = counts[max(0, i - options.window):i]
        if len(history) < options.min_history or count < options.min_count:
            out.append(None)
            continue
        median = float(np.median(history))
        mad = float(np.median(np.abs(np.array(history) - median)))
        scale = max(1.4826 * mad, math.sqrt(median), 1.0)
        z = (count - median) / scale
        p = poisson_tail(int(count), max(median, 0.5))
        out.append({"median": median, "mad": mad, "z": z, "p": p, "history": history}
                   if z >= options.z and p <= options.p else None)
    return out


def dyad_alerts(series: pd.Series, units: pd.DataFrame, source: str, target: str, by: str,
                options: AlertOptions, unit: str = "stories") -> list[Alert]:
    """Alerts of one dyad from its conflict series (indexed by period start) and its conflict units."""
    verdicts = judge([int(v) for v in series.values], options)
    periods = list(series.index)
    step = dt.timedelta(days=1 if by == "day" else 7)
    alerts: list[Alert] = []
    i = 0
    while i < len(verdicts):
        onset = verdicts[i]
        if onset is None:
            i += 1
            continue
        j = i
        while j + 1 < len(verdicts) and verdicts[j + 1] is not None:
            j += 1
        start, end = periods[i].date(), periods[j].date()
        hist = onset["history"]
        chosen = units[(units["period"] >= periods[i]) & (units["period"] <= periods[j])] if len(units) else units
        chosen = chosen.sort_values(["n_articles", "n_outlets", "date", "id"], ascending=[False, False, True, True])
        stories = [{"id": r.id, "date": pd.Timestamp(r.date).date().isoformat(), "kind": r.kind,
                    "quad_class": int(r.quad_class), "n_articles": int(r.n_articles), "n_outlets": int(r.n_outlets),
                    "evidence": r.evidence} for r in chosen.head(options.top).itertuples()]
        alerts.append(Alert(source=source, target=target, by=by, start=start, end=end, count=int(series.iloc[i]),
                            peak=int(series.iloc[i:j + 1].max()), baseline_median=onset["median"],
                            baseline_mad=onset["mad"], baseline=[int(v) for v in hist],
                            baseline_from=start - step * len(hist), baseline_to=start - step,
                            z=round(onset["z"], 2), p=float(f"{onset['p']:.3g}"), unit=unit, stories=stories))
        i = j + 1
    return alerts


def find_alerts(store, *, since: dt.date | None = None, until: dt.date | None = None, by: str = "week",
                source=(), target=(), unit: str = "stories", options: AlertOptions | None = None) -> list[Alert]:
    """Alerts of every directed dyad (both sides a country or organisation), onset on or after `since`."""
    options = options or AlertOptions()
    stories = StoryStore(store)
    first, last = stories.date_range(unit)
    if first is None:
        return []
    step = dt.timedelta(days=1 if by == "day" else 7)
    load_from = max(first, since - step * (options.window + 1)) if since else first
    end = min(last, until) if until else last
    units = stories.units(unit, list(source), list(target), quads=(3, 4), since=load_from, until=end)
    units = units[units["source_country"].notna() & units["target_country"].notna()]
    if units.empty:
        return []
    units = units.assign(period=period_start(units["date"], by).values)
    index = period_index(load_from, end, by)
    alerts: list[Alert] = []
    for (src, tgt), group in units.groupby(["source_country", "target_country"], sort=True):
        if len(group) < options.min_count:
            continue
        conflict = dyad_series(group, by, index[0], index[-1])["conflict"]
        found = dyad_alerts(conflict, group, src, tgt, by, options, unit)
        alerts.extend(a for a in found if not since or a.start >= period_start([since], by).iloc[0].date())
    return sorted(alerts, key=lambda a: (a.start, -a.z, a.source, a.target))
