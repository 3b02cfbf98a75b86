"""Dyad series, alerts, plots and the `stories`/`trend`/`alerts` commands, on small synthetic stores."""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from test_stories import report, write
from tocsin.analysis.alerts import AlertOptions, find_alerts, judge, poisson_tail
from tocsin.analysis.plots import Panel, plot_panels
from tocsin.analysis.series import dyad_series, load_units, sparkline
from tocsin.analysis.stories import build_stories
from tocsin.cli import app
from tocsin.store import Store

START = dt.date(2022, 1, 3)  # a Monday
PLACES = ["Kharkiv", "Odesa", "Mariupol", "Kherson", "Sumy", "Lviv", "Dnipro", "Mykolaiv", "Irpin", "Bucha",
          "Izium", "Chernihiv", "Poltava", "Zhytomyr", "Vinnytsia", "Lutsk", "Rivne", "Uman", "Kramatorsk",
          "Sloviansk", "Bakhmut", "Avdiivka", "Severodonetsk", "Lysychansk", "Enerhodar", "Nikopol", "Kupiansk",
          "Balakliia", "Vuhledar", "Pokrovsk"]


def conflict_weeks(counts: list[int], source="RUS", target="UKR", cooperation: int = 1):
    """Reports making `counts[i]` distinct conflict stories in week i (plus some cooperation)."""
    reports = []
    for week, count in enumerate(counts):
        monday = START + dt.timedelta(weeks=week)
        for n in range(count):
            day = (monday + dt.timedelta(days=n % 5)).isoformat()
            place = PLACES[n % len(PLACES)]
            reports.append(report(f"{place} {week}w{n}", "a", day, source=source,
                                  target=target))
        for n in range(cooperation):
            reports.append(report(f"Talks on grain corridor round {week} {n}", "b", monday.isoformat(),
                                  source=source, target=target, type_="CONSULT", cameo="040", quad=1, goldstein=1.0))
    return reports


def store_with(counts, **kw) -> Store:
    store = Store(":memory:")
    write(store, *conflict_weeks(counts, **kw))
    build_stories(store)
    return store


FLAT = [4, 5, 4, 6, 5, 4, 5, 6, 4, 5, 5, 4]


def test_series_counts_quads_goldstein_and_empty_weeks():
    counts = [3, 0, 2]
    with store_with(counts) as store:
        units = load_units(store, "RUS", "UKR")
        series = dyad_series(units, "week")
    assert list(series.index.date) == [START + dt.timedelta(weeks=i) for i in range(3)]
    assert list(series["q4"]) == counts and list(series["q1"]) == [1, 1, 1]
    assert list(series["total"]) == [4, 1, 3]
    assert list(series["conflict_share"]) == [0.75, 0.0, 0.667]
    assert list(series["goldstein_sum"]) == [-29.0, 1.0, -19.0]
    assert series["goldstein_mean"].iloc[0] == pytest.approx(-7.25)
    assert list(series["type:ASSAULT"]) == counts
    daily = dyad_series(units, "day")
    assert len(daily) == 16 and daily["total"].sum() == 8  # Monday 3 January to Tuesday 18 January


def test_series_from_events_counts_duplicates_and_actor_takes_both_sides():
    with Store(":memory:") as store:
        text = "Russian forces shell Kharkiv, killing five civilians"
        write(store, report(text, "a", "2022-03-01"), report(text, "b", "2022-03-01", published="2022-03-02"),
              report("Ukraine strikes a Russian convoy near Belgorod", "c", "2022-03-02", source="UKR",
                     target="RUS"))
        build_stories(store)
        assert load_units(store, "RUS", "UKR")["id"].size == 1
        assert load_units(store, "RUS", "UKR", unit="events")["id"].size == 2
        assert load_units(store, "RUS", "UKR", both_ways=True)["id"].size == 2
        assert load_units(store, "RUS")["id"].size == 2
        assert load_units(store, "USA", "UKR").empty


def test_sparkline():
    assert sparkline([0, 4, 8]) == "▁▅█"
    assert sparkline([0, 0]) == "▁▁"


def test_poisson_tail():
    assert poisson_tail(0, 3.0) == 1.0
    assert poisson_tail(1, 2.0) == pytest.approx(1 - 0.1353352832, rel=1e-6)
    assert poisson_tail(10, 2.0) == pytest.approx(4.649807e-05, rel=1e-4)
    assert 0 < poisson_tail(2000, 100.0) < 1e-300 or poisson_tail(2000, 100.0) == 0.0


def test_an_injected_jump_raises_exactly_one_alert_that_explains_itself():
    counts = FLAT[:9] + [25] + FLAT[9:]
    with store_with(counts) as store:
        alerts = find_alerts(store, by="week")
    assert len(alerts) == 1
    (alert,) = alerts
    assert (alert.source, alert.target, alert.count) == ("RUS", "UKR", 25)
    assert alert.start == START + dt.timedelta(weeks=9) == alert.end
    assert alert.baseline == FLAT[1:9] and alert.baseline_median == 5.0
    assert alert.baseline_from == START + dt.timedelta(weeks=1) and alert.baseline_to == START + dt.timedelta(weeks=8)
    assert alert.z >= 3 and alert.p < 1e-4
    assert len(alert.stories) == 3 and all(s["evidence"].split()[0] in PLACES for s in alert.stories)
    text = alert.explain()
    assert "baseline median of 5" in text and "jump +20" in text
    assert all(s["evidence"] in text for s in alert.stories)


def test_a_flat_series_raises_none_and_minimum_volume_is_respected():
    with store_with(FLAT) as store:
        assert find_alerts(store) == []
    low = [0, 1, 0, 0, 1, 0, 0, 0, 4, 0]  # a real jump against its baseline, but only 4 stories
    with store_with(low, cooperation=0) as store:
        assert find_alerts(store, options=AlertOptions(min_count=5)) == []
        assert len(find_alerts(store, options=AlertOptions(min_count=4))) == 1


def test_judge_merges_nothing_and_needs_history():
    options = AlertOptions()
    assert judge([30, 2, 2, 2], options) == [None] * 4  # no history for the spike
    verdicts = judge([2, 2, 2, 2, 2, 2, 12, 2], options)
    assert [v is not None for v in verdicts] == [False] * 6 + [True, False]


def test_a_step_is_one_alert_and_since_filters_onsets():
    counts = [4, 5, 4, 5, 4, 5, 20, 21, 22, 20, 21, 20]
    with store_with(counts) as store:
        alerts = find_alerts(store)
        assert len(alerts) == 1 and alerts[0].start == START + dt.timedelta(weeks=6)
        assert alerts[0].end > alerts[0].start and alerts[0].peak == 22
        assert find_alerts(store, since=START + dt.timedelta(weeks=7)) == []
        assert find_alerts(store, source=["UKR"]) == []


def test_plot_writes_a_png(tmp_path):
    counts = FLAT[:9] + [25] + FLAT[9:]
    with store_with(counts) as store:
        series = dyad_series(load_units(store, "RUS", "UKR"), "week")
        alerts = find_alerts(store)
    path = plot_panels([Panel("RUS -> UKR", series, alerts), Panel("empty", series.iloc[:0], [])],
                       tmp_path / "plot.png", title="test")
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
    from PIL import Image

    with Image.open(path) as image:
        image.verify()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "t.duckdb"
    with Store(path) as store:
        text = "Russian forces shell Kharkiv, killing five civilians"
        write(store, *conflict_weeks(FLAT[:9] + [25]), report(text, "x", "2022-03-07"),
              report("Russian forces shell Kharkiv: five civilians killed", "y", "2022-03-07"))
    return str(path)


def invoke(*args):
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return result


def test_cli_trend_before_stories_says_what_to_do(db):
    result = invoke("trend", "RUS", "UKR", "--db", db)
    assert result.exit_code != 0 and "tocsin stories" in result.output


def test_cli_stories_trend_alerts(db, tmp_path):
    built = invoke("stories", "--db", db, "--format", "jsonl", "--source", "RUS")
    assert built.exit_code == 0, built.output
    rows = [json.loads(line) for line in built.stdout.splitlines() if line.startswith("{")]
    assert len(rows) == sum(FLAT[:9]) + 25 + 10 + 1
    merged = [r for r in rows if r["n_outlets"] == 2]
    assert len(merged) == 1 and merged[0]["first_date"] == "2022-03-07"
    assert invoke("stories", "--db", db, "--type", "CONSULT", "--format", "csv").stdout.count("\n") == 11
    table = invoke("stories", "--db", db, "--since", "2022-03-07")
    assert "Kharkiv" in table.stdout and "2022-03-07" in table.stdout

    plot = tmp_path / "t.png"
    trend = invoke("trend", "RUS", "UKR", "--db", db, "--plot", str(plot))
    assert trend.exit_code == 0, trend.output
    assert "q4 material confl." in trend.stdout and "▁" in trend.stdout and "█" in trend.stdout
    assert "2022-03-07" in trend.stdout and "baseline median of 5" in trend.stdout
    assert open(plot, "rb").read(4) == b"\x89PNG"
    raw = invoke("trend", "RUS", "UKR", "--db", db, "--events", "--format", "csv", "--by", "day")
    frame = pd.read_csv(__import__("io").StringIO(raw.stdout))
    assert frame["q4"].sum() == sum(FLAT[:9]) + 25 + 2  # raw events: the duplicate counts twice

    alerts = invoke("alerts", "--db", db, "--since", "2022-01-01", "--format", "jsonl")
    (alert,) = [json.loads(line) for line in alerts.stdout.splitlines()]
    assert alert["start"] == "2022-03-07" and alert["count"] == 26 and alert["baseline_median"] == 5.0
    assert "Kharkiv" in alert["stories"][0]["evidence"] and alert["stories"][0]["n_outlets"] == 2
    assert invoke("alerts", "--db", db, "--min-count", "30").stderr.strip() == "tocsin: no alerts"
