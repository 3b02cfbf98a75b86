"""Plots of dyad series (matplotlib, Agg backend: no display needed), alerts marked.

    >>> from tocsin.analysis.plots import Panel, plot_panels
    >>> plot_panels([Panel("RUS -> UKR", series, alerts)], "rus-ukr.png", title="stories a week")

Each panel shows the counts a period by QuadClass (stacked bars: cooperation
in greens, conflict in oranges and reds), the mean Goldstein score on a
second axis, and every alert as a shaded span with its onset count.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

import pandas as pd

from .alerts import Alert

COLOURS = {1: "#9ecf8f", 2: "#3d9a4f", 3: "#f2a541", 4: "#c8352b"}
LABELS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


@dataclass
class Panel:
    label: str
    series: pd.DataFrame  # from series.dyad_series
    alerts: list[Alert] = field(default_factory=list)


def plot_panels(panels: list[Panel], path: str | os.PathLike, title: str | None = None, by: str = "week") -> str:
    """Write the panels, one above the other, to a PNG (or any format matplotlib knows by suffix)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    width = 0.8 if by == "day" else 5.6
    fig, axes = plt.subplots(len(panels), 1, figsize=(11, 3.6 * len(panels)), squeeze=False, sharex=True)
    for ax, panel in zip(axes[:, 0], panels):
        series = panel.series
        x = [p.to_pydatetime() for p in series.index]
        bottom = [0] * len(series)
        for q in (1, 2, 3, 4):
            values = list(series[f"q{q}"]) if len(series) else []
            ax.bar(x, values, width=width, bottom=bottom, color=COLOURS[q], label=LABELS[q], align="edge")
            bottom = [b + v for b, v in zip(bottom, values)]
        top = max(bottom, default=0) or 1
        step = dt.timedelta(days=1 if by == "day" else 7)
        for alert in panel.alerts:
            start = dt.datetime.combine(alert.start, dt.time())
            end = dt.datetime.combine(alert.end, dt.time()) + step
            ax.axvspan(start, end, color="#7b1fa2", alpha=0.15, lw=0)
            ax.annotate(f"alert: {alert.count} vs {alert.baseline_median:g}", (start, top * 0.97), fontsize=8,
                        color="#7b1fa2", va="top", ha="left", rotation=90)
        ax.set_ylabel("count a " + by)
        ax.set_title(panel.label, loc="left", fontsize=11)
        ax.set_ylim(0, top * 1.08)
        ax.grid(axis="y", alpha=0.3)
        if len(series) and series["goldstein_mean"].notna().any():
            twin = ax.twinx()
            twin.plot(x, list(series["goldstein_mean"]), color="#333333", lw=1.2, marker=".", label="mean Goldstein")
            twin.set_ylim(-10.5, 10.5)
            twin.axhline(0, color="#999999", lw=0.6, ls=":")
            twin.set_ylabel("mean Goldstein")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    if handles:
        axes[0, 0].legend(handles, labels, loc="upper right", fontsize=8, ncol=2)
    if title:
        fig.suptitle(title)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return str(path)
