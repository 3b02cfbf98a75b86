"""Export views (GDELT, ICEWS, PLOVER, Parquet) and the `events`/`export` commands."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from click.testing import CliRunner

from tocsin.cli import app
from tocsin.model import Actor, Article, Event, Place
from tocsin.store import Store
from tocsin.store.exports import GDELT_COLUMNS, ICEWS_COLUMNS, gdelt_id


def _event(key, index, cameo, quad, type_, source, target, date=None, place=None, text="x"):
    return Event(
        article_id=key, sentence_index=index, evidence=text, span=(index * 100, index * 100 + len(text)),
        source=source, target=target, type=type_, mode=None, context="military;territory" if quad == 4 else None,
        cameo=cameo, goldstein=-10.0 if quad == 4 else 3.0, quad_class=quad, modality="asserted", date=date,
        date_precision="day" if date else "published", place=place, confidence=0.7, rule="lex:test",
        predicate="p", trigger=(index * 100, index * 100 + 3),
    )


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "t.duckdb"
    article = Article(id="src-1", text="Russia strikes Kharkiv\nLead paragraph.\nLater paragraph.", title="Russia strikes Kharkiv",
                      url="https://news.example/1", outlet="Example News", published=dt.date(2022, 3, 1), origin="d.jsonl:1")
    key = article.key
    events = [
        _event(key, 0, "195", 4, "ASSAULT", Actor("Russian forces", "RUS", "MIL"), Actor("Ukraine", "UKR"),
               date="2022-02-28", place=Place("Kharkiv", "UKR", 49.99, 36.23, feature="city"),
               text="Russian forces bombed Kharkiv."),
        _event(key, 2, "036", 1, "CONSULT", Actor("NATO", "NATO", "IGO", name="NATO"), Actor("Moscow", "RUS", "GOV"),
               text="NATO said it was ready to talk\twith Moscow."),
    ]
    with Store(path) as store:
        store.write([(key, article, events)], links=[(key, Article(id="src-2", text=article.text, outlet="Other"))])
    return str(path), key, events


def run(*args):
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return result


def test_gdelt(db):
    path, key, events = db
    with Store(path, read_only=True) as store:
        out = io.StringIO()
        assert store.export("gdelt", out) == 2
    lines = out.getvalue().splitlines()
    assert lines[0].split("\t") == GDELT_COLUMNS and len(GDELT_COLUMNS) == 58
    rows = [dict(zip(GDELT_COLUMNS, line.split("\t"))) for line in lines[1:]]
    assert all(len(line.split("\t")) == 58 for line in lines)
    strike, talk = rows
    assert strike["GLOBALEVENTID"] == str(gdelt_id(events[0].id))
    assert strike["SQLDATE"] == "20220228" and strike["MonthYear"] == "202202" and strike["Year"] == "2022"
    assert talk["SQLDATE"] == "20220301"  # no event date: the publication date
    assert (strike["Actor1Code"], strike["Actor1Name"], strike["Actor1CountryCode"], strike["Actor1Type1Code"]) == \
        ("RUSMIL", "Russian forces", "RUS", "MIL")
    assert (strike["Actor2Code"], strike["Actor2CountryCode"]) == ("UKR", "UKR")
    assert (talk["Actor1CountryCode"], talk["Actor1KnownGroupCode"], talk["Actor1Type1Code"]) == ("", "NATO", "IGO")
    assert (strike["EventCode"], strike["EventBaseCode"], strike["EventRootCode"]) == ("195", "195", "19")
    assert (strike["QuadClass"], strike["GoldsteinScale"], strike["IsRootEvent"], talk["IsRootEvent"]) == ("4", "-10", "1", "0")
    assert (strike["NumArticles"], strike["NumSources"], strike["NumMentions"]) == ("2", "2", "2")
    assert (strike["ActionGeo_Type"], strike["ActionGeo_FullName"], strike["ActionGeo_CountryCode"],
            strike["ActionGeo_Lat"], strike["ActionGeo_Long"]) == ("4", "Kharkiv", "UKR", "49.99", "36.23")
    assert strike["SOURCEURL"] == "https://news.example/1" and len(strike["DATEADDED"]) == 8


def test_icews_and_plover(db):
    path, key, events = db
    result = run("export", "--db", path, "--format", "icews")
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter="\t"))
    assert list(rows[0]) == ICEWS_COLUMNS
    strike = rows[0]
    assert strike["Event ID"] == events[0].id and strike["Event Date"] == "2022-02-28"
    assert (strike["Source Name"], strike["Source Sectors"], strike["Source Country"]) == ("Russian forces", "MIL", "Russia")
    assert strike["Event Text"] and strike["Event Text"] != "ASSAULT"  # the CAMEO name
    assert (strike["CAMEO Code"], strike["Intensity"], strike["Target Country"]) == ("195", "-10", "Ukraine")
    assert (strike["Story ID"], strike["Sentence Number"], strike["Publisher"]) == (key, "1", "Example News")
    assert (strike["City"], strike["Country"], strike["Latitude"]) == ("Kharkiv", "Ukraine", "49.99")
    assert "\t" not in rows[1]["Event Text"]
    result = run("export", "--db", path, "--format", "plover", "--quad", "4")
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["id"] == events[0].id and record["event"] == "ASSAULT" and record["date"] == "2022-02-28"
    assert record["context"] == ["military", "territory"]
    assert (record["source_actor"], record["source_agent"], record["target_actor"]) == ("RUS", "MIL", "UKR")
    assert (record["geolocation"], record["country"], record["latitude"]) == ("Kharkiv", "UKR", 49.99)
    assert record["text"] == "Russian forces bombed Kharkiv." and record["story_id"] == key
    assert record["headline"] == "Russia strikes Kharkiv" and record["url"] == "https://news.example/1"


def test_parquet_loads_back(db, tmp_path):
    pd = pytest.importorskip("pandas")
    pq = pytest.importorskip("pyarrow.parquet")
    path, key, events = db
    out = tmp_path / "e.parquet"
    result = run("export", "--db", path, "--format", "parquet", "--output", str(out))
    assert "2 events" in result.stderr
    frame = pd.read_parquet(out)
    assert frame["id"].tolist() == [e.id for e in events]
    assert frame["article_title"].tolist() == ["Russia strikes Kharkiv"] * 2
    table = pq.read_table(out)
    assert table.num_rows == 2 and "source_country" in table.column_names
    run("events", "--db", path, "--format", "parquet", "--output", str(out), "--source", "NATO")
    assert pd.read_parquet(out)["source_country"].tolist() == ["NATO"]
    assert run("export", "--db", path, "--format", "parquet").exit_code != 0  # needs --output


def test_events_command_formats_and_filters(db, tmp_path):
    path, key, events = db
    lines = run("events", "--db", path, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [e.id for e in events]
    rows = list(csv.DictReader(io.StringIO(run("events", "--db", path, "--format", "csv", "--type", "consult").stdout)))
    assert [r["cameo"] for r in rows] == ["036"]
    table = run("events", "--db", path, "--format", "table", "--source", "RUS", "--target", "UKR", "--quad", "4",
                "--since", "2022-02-01", "--until", "2022-02-28", "--text", "bombed").stdout
    assert "1 events" in table and "Russian forces" in table
    assert run("events", "--db", path, "--format", "jsonl", "--modality", "negated").stdout == ""
    assert run("events", "--db", path, "--format", "jsonl", "--article", "src-2", "--limit", "1").stdout.count("\n") == 1
    out = tmp_path / "e.csv"
    result = run("events", "--db", path, "--format", "csv", "--output", str(out))
    assert "2 events" in result.stderr and out.read_text().count("\n") >= 3
    missing = CliRunner().invoke(app, ["events", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 1 and "no store" in missing.output


def test_help_teaches():
    for command in ("ingest", "events", "export"):
        text = run(command, "--help").stdout
        assert "Examples:" in text and "--db" in text
