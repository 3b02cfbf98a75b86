"""The HTTP API (`tocsin serve`): every endpoint, paging, the one error shape, --watch, the real server.

The store is built once per session from real articles (RUWA headlines on
the Russia-Ukraine war, two from each outlet, plus one hostile article)
through the same ingest pipeline as `tocsin ingest`; each test module serves
its own copy of the file (the server owns the file it serves). Requests go
through FastAPI's TestClient (httpx), and one test starts `tocsin serve` as a
process on a free loopback port.
"""
from __future__ import annotations

import csv
import datetime as dt
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from tocsin.analysis.alerts import find_alerts
from tocsin.analysis.stories import StoryOptions, build_stories
from tocsin.cli import app as cli
from tocsin.cli.serve_cmd import check_exposure, is_loopback
from tocsin.ingest.plain import make_article
from tocsin.ingest.workers import ingest
from tocsin.model import Article
from tocsin.server import Watch, create_app
from tocsin.server.watch import parse_every, read_feeds_file
from tocsin.store import Store
from tocsin.store.stories import StoryStore

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
SQL_DROP = "'; DROP TABLE events; --"
HOSTILE_ID = f"hostile {XSS_SCRIPT}"
HOSTILE_TITLE = f"Russia shells Kharkiv {XSS_SCRIPT} {SQL_DROP}"
HOSTILE_OUTLET = f"{XSS_IMG} Daily {SQL_DROP}"
STATIC = Path(__file__).resolve().parents[1] / "src" / "tocsin" / "server" / "static"
_BUILT: dict[str, Path] = {}  # the base store, built once per session whichever module asks first


def ruwa_articles(shared, per_site: int = 2, sites: int = 5) -> list[Article]:
    """Real dated headlines with their description that name both Russia and Ukraine, a few an outlet."""
    path = shared("corpora", "ruwa", "ruwa_2022.csv")
    by_site: dict[str, list[dict]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["title"] and row["desc"] and "Russia" in row["title"] and "Ukrain" in row["title"]:
                by_site.setdefault(row["Site"], []).append(row)
    articles = []
    for site in sorted(by_site)[:sites]:
        for row in by_site[site][:per_site]:
            month, day, year = (int(part) for part in row["Date"].split("/"))
            articles.append(make_article("ruwa", row["desc"], row["title"], id=row["src"], url=row["src"],
                                         outlet=row["Site"], published=dt.date(year, month, day)))
    assert all(isinstance(a, Article) for a in articles)
    return articles


def guardian_articles(shared, count: int) -> list[Article]:
    path = shared("corpora", "guardian", "guardian_sdf_2019.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:count]
    return [make_article("guardian", row["text"], None, id=f"guardian-{row['']}", outlet="The Guardian",
                         published=dt.date.fromisoformat(row["date"])) for row in rows]


def hostile_article() -> Article:
    body = (f"Russian forces shelled Kharkiv on Monday {XSS_SCRIPT}, Ukrainian officials said.\n\n"
            f"Ukraine accused Russia of war crimes in Bucha {XSS_IMG} {SQL_DROP}\n")
    article = make_article("hostile", body, HOSTILE_TITLE, id=HOSTILE_ID, url=f"https://example.org/{XSS_IMG}",
                           outlet=HOSTILE_OUTLET, published=dt.date(2022, 3, 7))
    assert isinstance(article, Article)
    return article


def base_store(shared, root: Path) -> Path:
    """The session's store file: real articles and the hostile one, coded, stored, with stories."""
    if "path" not in _BUILT:
        path = root / "base.duckdb"
        with Store(path) as store:
            summary = ingest(ruwa_articles(shared) + [hostile_article()], store, workers=0)
            assert summary.coded == 11 and not summary.skipped
            build_stories(store)
        _BUILT["path"] = path
    return _BUILT["path"]


def copy_store(shared, tmp_path_factory, name: str) -> Path:
    base = base_store(shared, tmp_path_factory.getbasetemp())
    target = tmp_path_factory.mktemp(name) / "served.duckdb"
    shutil.copy(base, target)
    return target


def is_error(response: httpx.Response, status: int, code: str | None = None) -> dict:
    """The response is the one error shape with this status (and code); returns the error."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}, body
    error = body["error"]
    assert error["status"] == status and isinstance(error["code"], str) and error["code"]
    assert error["message"] and "\n" not in error["message"] and "Traceback" not in error["message"]
    if code:
        assert error["code"] == code, error
    return error


@pytest.fixture(scope="module")
def db(shared, tmp_path_factory) -> Path:
    return copy_store(shared, tmp_path_factory, "api")


@pytest.fixture(scope="module")
def expected(db) -> dict:
    """What the store holds, read through the library (before the app takes the file)."""
    with Store(db, read_only=True) as store:
        events = store.events()
        return {"counts": store.counts(), "events": events,
                "texts": {a: store.article_text(a) for a in set(events["article_id"])},
                "stories": store.conn.execute("SELECT count(*) FROM stories").fetchone()[0]}


@pytest.fixture(scope="module")
def client(db, expected):
    app = create_app(db)
    yield TestClient(app, raise_server_exceptions=False)
    app.state.owner.close()


def all_events(client, **query) -> list[dict]:
    response = client.get("/api/events", params={**query, "limit": 1000})
    assert response.status_code == 200, response.text
    return response.json()["items"]


# -- reads -------------------------------------------------------------------------------------------
def test_health_gives_the_store_counts(client, expected):
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["counts"] == {**expected["counts"], "stories": expected["stories"]}
    assert body["counts"]["articles"] == 11 and body["counts"]["events"] > 11


def test_events_are_the_stored_events_with_their_article_and_offsets(client, expected):
    items = all_events(client)
    assert len(items) == len(expected["events"]) == client.get("/api/events").json()["total"]
    assert {i["id"] for i in items} == set(expected["events"]["id"])
    for item in items:
        assert {"id", "article_id", "sentence_index", "evidence", "span", "source", "target", "type", "cameo",
                "goldstein", "quad_class", "modality", "date", "date_precision", "confidence", "rule",
                "trigger", "article"} <= set(item)
        article = item["article"]
        assert set(article) >= {"id", "title", "outlet", "url", "published"} and article["id"] == item["article_id"]
        text = expected["texts"][item["article_id"]]
        start, end = item["span"]
        assert text[start:end] == item["evidence"]  # offsets are in the article text
        for role in ("source", "target"):
            actor = item[role]
            if actor and actor["start"] is not None:  # the mention, in the article text (and its sentence)
                assert start <= actor["start"] < actor["end"] <= end
                mention = text[actor["start"]:actor["end"]]
                assert set(mention.lower().split()) & set(actor["text"].lower().split()), (mention, actor)
    outlets = {i["article"]["outlet"] for i in items}
    assert {"aljazeera.com", "censor.net", "ukrinform.net"} <= outlets


def test_events_are_ordered_by_date_and_paged_without_gap_or_overlap(client):
    everything = all_events(client)
    dates = [item["date"] or item["article"]["published"] for item in everything]
    assert dates == sorted(dates)
    total, pages = len(everything), []
    for offset in range(0, total + 4, 4):  # up to one page past the end
        page = client.get("/api/events", params={"limit": 4, "offset": offset}).json()
        assert page["total"] == total and page["limit"] == 4 and page["offset"] == offset
        pages.append([item["id"] for item in page["items"]])
    assert pages[-1] == [] and all(len(p) == 4 for p in pages[:-2])
    ids = [i for page in pages for i in page]
    assert ids == [item["id"] for item in everything] and len(set(ids)) == total


def test_event_filters_match_the_store_and_lists_take_commas_or_repeats(client, expected):
    events = expected["events"]
    rus_ukr = all_events(client, source="RUS", target="UKR")
    assert rus_ukr and all(i["source"]["country"] == "RUS" and i["target"]["country"] == "UKR" for i in rus_ukr)
    assert len(rus_ukr) == len(events[(events.source_country == "RUS") & (events.target_country == "UKR")])
    repeated = client.get("/api/events?source=RUS&source=UKR&limit=1000").json()
    commas = client.get("/api/events?source=RUS,UKR&limit=1000").json()
    assert repeated == commas
    assert repeated["total"] == len(all_events(client, source="RUS")) + len(all_events(client, source="UKR"))
    conflict = all_events(client, quad="3,4")
    assert conflict and {i["quad_class"] for i in conflict} <= {3, 4}
    assert len(conflict) == int(events.quad_class.isin([3, 4]).sum())
    march = all_events(client, since="2022-03-01", until="2022-03-31")
    assert march and all("2022-03-01" <= (i["date"] or i["article"]["published"]) <= "2022-03-31" for i in march)
    assert len(march) < len(events)
    kind = rus_ukr[0]["type"]
    assert {i["type"] for i in all_events(client, type=kind.lower())} == {kind}
    hostile = all_events(client, article=HOSTILE_ID)
    assert hostile and {i["article"]["title"] for i in hostile} == {HOSTILE_TITLE}
    word = rus_ukr[0]["evidence"].split()[0]
    assert all(word.lower() in i["evidence"].lower() for i in all_events(client, text=word))


def test_stories_paged_and_filtered(client, expected):
    first = client.get("/api/stories", params={"limit": 3}).json()
    assert first["total"] == expected["stories"] > 3 and len(first["items"]) == 3
    rest = client.get("/api/stories", params={"limit": 1000, "offset": 3}).json()["items"]
    ids = [s["id"] for s in first["items"] + rest]
    assert len(ids) == len(set(ids)) == expected["stories"]
    story = first["items"][0]
    assert {"id", "source_country", "target_country", "kind", "quad_class", "goldstein", "first_date", "last_date",
            "n_events", "n_articles", "n_outlets", "evidence"} <= set(story)
    assert dt.date.fromisoformat(story["first_date"]) and "built_at" not in story
    firsts = [s["first_date"] for s in first["items"] + rest]
    assert firsts == sorted(firsts, reverse=True)  # most recent first, as `tocsin stories`
    rus = client.get("/api/stories", params={"source": "rus", "limit": 1000}).json()
    assert rus["total"] and all(s["source_country"] == "RUS" for s in rus["items"])


def test_dyads_busiest_first_agree_with_events(client):
    items = client.get("/api/dyads").json()["items"]
    assert items and [d["events"] for d in items] == sorted((d["events"] for d in items), reverse=True)
    pairs = {(d["source"], d["target"]): d for d in items}
    rus_ukr = pairs[("RUS", "UKR")]
    events = all_events(client, source="RUS", target="UKR")
    assert rus_ukr["events"] == len(events)
    assert rus_ukr["conflict"] == sum(e["quad_class"] in (3, 4) for e in events)
    assert 1 <= rus_ukr["stories"] <= rus_ukr["events"]
    assert len(client.get("/api/dyads?limit=1").json()["items"]) == 1


def test_series_of_a_dyad_counts_its_stories_and_events(client):
    dyad = {(d["source"], d["target"]): d for d in client.get("/api/dyads").json()["items"]}[("RUS", "UKR")]
    body = client.get("/api/dyads/rus/ukr/series").json()
    assert (body["source"], body["target"], body["by"], body["unit"]) == ("RUS", "UKR", "week", "stories")
    periods = body["periods"]
    assert periods and all(dt.date.fromisoformat(p["period"]).weekday() == 0 for p in periods)
    steps = {(dt.date.fromisoformat(b["period"]) - dt.date.fromisoformat(a["period"])).days
             for a, b in zip(periods, periods[1:])}
    assert steps <= {7}  # every week, empty ones included
    assert sum(p["total"] for p in periods) == dyad["stories"]
    for p in periods:
        assert p["total"] == p["q1"] + p["q2"] + p["q3"] + p["q4"]
        assert (p["goldstein_mean"] is None) == (p["total"] == 0)
    assert isinstance(body["alerts"], list)
    events = client.get("/api/dyads/RUS/UKR/series", params={"unit": "events", "by": "day"}).json()
    assert sum(p["total"] for p in events["periods"]) == dyad["events"]
    assert sum(p["q3"] + p["q4"] for p in events["periods"]) == dyad["conflict"]
    unknown = client.get("/api/dyads/ZZZ/QQQ/series")
    assert unknown.status_code == 200 and unknown.json()["periods"] == []


def test_actors_and_their_network(client):
    body = client.get("/api/actors").json()
    items, edges = body["items"], body["edges"]
    assert items and edges
    weight = [a["as_source"] + a["as_target"] for a in items]
    assert weight == sorted(weight, reverse=True)
    assert {"country", "sector", "name", "as_source", "as_target"} == set(items[0])
    rus_ukr = next(e for e in edges if (e["source"], e["target"]) == ("RUS", "UKR"))
    events = all_events(client, source="RUS", target="UKR")
    assert rus_ukr["events"] == len(events)
    assert rus_ukr["goldstein_sum"] == pytest.approx(sum(e["goldstein"] for e in events), abs=0.01)
    limited = client.get("/api/actors", params={"limit": 2}).json()
    assert len(limited["items"]) == 2 and len(limited["edges"]) <= 2
    none = client.get("/api/actors", params={"since": "2030-01-01"}).json()
    assert none == {"items": [], "edges": []}


def test_alerts_are_the_library_alerts(tmp_path):
    from test_series_alerts import FLAT, conflict_weeks
    from test_stories import write

    path = tmp_path / "alerts.duckdb"
    with Store(path) as store:
        write(store, *conflict_weeks(FLAT[:9] + [25] + FLAT[9:]))
        build_stories(store)
        want = [a.to_dict() for a in find_alerts(store)]
    assert len(want) == 1
    app = create_app(path)
    try:
        client = TestClient(app)
        assert client.get("/api/alerts").json() == {"items": want}
        assert client.get("/api/alerts", params={"source": "UKR"}).json() == {"items": []}
        assert client.get("/api/alerts", params={"since": "2030-01-01"}).json() == {"items": []}
        series = client.get("/api/dyads/RUS/UKR/series").json()
        assert [a["start"] for a in series["alerts"]] == [want[0]["start"]]
        assert series["alerts"][0]["explanation"] == want[0]["explanation"]
        # with a date filter the chart's alerts are still judged against the baseline before it
        since = {"since": want[0]["start"]}
        filtered = client.get("/api/dyads/RUS/UKR/series", params=since).json()["alerts"]
        assert filtered == client.get("/api/alerts", params=since).json()["items"] == want
    finally:
        app.state.owner.close()


# -- errors: one shape -------------------------------------------------------------------------------
@pytest.mark.parametrize("method,url,status,code,names", [
    ("GET", "/api/nope", 404, "not_found", "/api/nope"),
    ("GET", "/api/dyads/RUS", 404, "not_found", "/api/dyads/RUS"),
    ("POST", "/api/events", 405, "method_not_allowed", "GET"),
    ("DELETE", "/api/articles", 405, "method_not_allowed", "POST"),
    ("GET", "/api/events?limit=0", 422, "invalid_parameter", "limit"),
    ("GET", "/api/events?limit=1001", 422, "invalid_parameter", "limit"),
    ("GET", "/api/events?limit=ten", 422, "invalid_parameter", "limit"),
    ("GET", "/api/events?offset=-1", 422, "invalid_parameter", "offset"),
    ("GET", "/api/events?since=2022-02-30", 422, "invalid_parameter", "since"),
    ("GET", "/api/events?until=yesterday", 422, "invalid_parameter", "until"),
    ("GET", "/api/events?since=20220224", 422, "invalid_parameter", "since"),
    ("GET", "/api/events?since=2022-03-01&until=2022-02-01", 422, "invalid_parameter", "until"),
    ("GET", "/api/events?quad=5", 422, "invalid_parameter", "quad"),
    ("GET", "/api/stories?limit=5000", 422, "invalid_parameter", "limit"),
    ("GET", "/api/stories?since=03/01/2022", 422, "invalid_parameter", "since"),
    ("GET", "/api/dyads?limit=0", 422, "invalid_parameter", "limit"),
    ("GET", "/api/dyads/R1/UKR/series", 422, "invalid_parameter", "source"),
    ("GET", "/api/dyads/RUS/UKRAINIAN/series", 422, "invalid_parameter", "target"),
    ("GET", "/api/dyads/RUS/UKR/series?by=month", 422, "invalid_parameter", "by"),
    ("GET", "/api/dyads/RUS/UKR/series?unit=articles", 422, "invalid_parameter", "unit"),
    ("GET", "/api/dyads/RUS/UKR/series?by=day&since=0001-01-01", 422, "invalid_parameter", "since"),
    ("GET", "/api/alerts?by=year", 422, "invalid_parameter", "by"),
    ("GET", "/api/alerts?until=2022-13-01", 422, "invalid_parameter", "until"),
    ("GET", "/api/actors?limit=-3", 422, "invalid_parameter", "limit"),
])
def test_every_error_has_the_one_shape_and_names_the_problem(client, method, url, status, code, names):
    error = is_error(client.request(method, url), status, code)
    assert names in error["message"]


def test_a_failure_inside_is_a_500_in_the_same_shape(shared, tmp_path_factory):
    app = create_app(copy_store(shared, tmp_path_factory, "broken"))
    app.state.owner.close()  # the database is gone under the server: every read fails
    response = TestClient(app, raise_server_exceptions=False).get("/api/health")
    error = is_error(response, 500, "internal_error")
    assert "duckdb" not in error["message"].lower() and "closed" not in error["message"].lower()
    assert response.headers["x-content-type-options"] == "nosniff"


# -- docs, dashboard -----------------------------------------------------------------------------------
def test_openapi_and_an_offline_docs_page(client):
    spec = client.get("/api/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/health", "/api/events", "/api/stories", "/api/dyads", "/api/dyads/{source}/{target}/series",
            "/api/alerts", "/api/actors", "/api/articles"} <= paths
    assert "requestBody" in spec["paths"]["/api/articles"]["post"]
    page = client.get("/api/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "<script" not in html and "http://" not in html and "https://" not in html  # nothing from a CDN
    assert all(path in html for path in paths) and "/api/openapi.json" in html
    for old in ("/docs", "/redoc"):
        is_error(client.get(old), 404)


def test_dashboard_files_are_served_when_installed(client):
    index = client.get("/")
    if (STATIC / "index.html").is_file():
        assert index.status_code == 200 and index.headers["content-type"].startswith("text/html")
        assert index.headers["content-security-policy"].startswith("default-src 'self'")
        for name in ("dashboard.js", "dashboard.css"):
            if (STATIC / name).is_file():
                assert client.get(f"/static/{name}").content == (STATIC / name).read_bytes()
    else:
        is_error(index, 404)
    is_error(client.get("/static/nothing-here.js"), 404)


# -- writing -------------------------------------------------------------------------------------------
def test_post_articles_codes_stores_and_is_idempotent(shared, tmp_path_factory):
    app = create_app(copy_store(shared, tmp_path_factory, "post"))
    client = TestClient(app)
    try:
        before = client.get("/api/health").json()["counts"]
        (article,) = guardian_articles(shared, 1)
        one = {"id": article.id, "title": "Guardian story", "text": article.text, "outlet": "The Guardian",
               "url": "https://example.org/g1", "published": "2019-04-10"}
        response = client.post("/api/articles", json=one)
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["stored"] == 1 and body["events"] > 0 and body["skipped"] == []
        after = client.get("/api/health").json()["counts"]
        assert after["articles"] == before["articles"] + 1 and after["events"] == before["events"] + body["events"]
        mine = all_events(client, article=article.id)
        assert len(mine) == body["events"] and {e["article"]["outlet"] for e in mine} == {"The Guardian"}
        assert {e["article"]["published"] for e in mine} == {"2019-04-10"}
        again = client.post("/api/articles", json={"articles": [one]}).json()
        assert again["stored"] == 0 and again["unchanged"] == 1
        german = ("Die Bundesregierung hat am Montag beschlossen, dass die Soldaten noch bis zum Ende des Jahres in "
                  "der Region bleiben werden. Der Sprecher des Ministeriums sagte, man werde die Lage pruefen.")
        mixed = client.post("/api/articles", json={"articles": [
            {"id": "de-1", "text": german}, {"id": "short-1", "text": "France and Germany held talks in Berlin on "
                                                                      "Friday.", "published": "2022-03-04"}]})
        assert mixed.status_code == 201
        result = mixed.json()
        assert result["stored"] == 1
        assert [(s["origin"], s["line"]) for s in result["skipped"]] == [("de-1", 1)]
        assert "English" in result["skipped"][0]["reason"]
    finally:
        app.state.owner.close()


def test_an_update_keeps_the_stores_story_options(shared, tmp_path_factory):
    db = copy_store(shared, tmp_path_factory, "options")
    with Store(db) as store:
        build_stories(store, rebuild=True, options=StoryOptions(window_days=5, similarity=0.4))
    app = create_app(db)
    try:
        client = TestClient(app)
        stored = client.post("/api/articles", json={"text": "Russian forces shelled Kharkiv on Monday.",
                                                    "published": "2022-03-07", "id": "kharkiv-1"}).json()
        assert stored["stored"] == 1 and stored["events"] >= 1
    finally:
        app.state.owner.close()
    with Store(db, read_only=True) as store:
        options = StoryStore(store).meta()["options"]
        assert (options["window_days"], options["similarity"]) == (5, 0.4)
        assert not StoryStore(store).dirty_keys(options["modalities"])  # the new event is in a story


def test_a_write_during_another_ingest_waits_then_is_503(shared, tmp_path_factory, monkeypatch):
    from tocsin.server import api

    monkeypatch.setattr(api, "WRITE_WAIT", 0.3)
    app = create_app(copy_store(shared, tmp_path_factory, "busy"))
    gate = threading.Event()

    def held():  # an ingest whose input is slow to come: it holds the write side meanwhile
        gate.wait(30)
        yield from ()

    running = threading.Thread(target=app.state.owner.ingest, args=(held(),))
    running.start()
    try:
        client = TestClient(app)
        response = client.post("/api/articles", json={"text": "Talks were held in Berlin on Friday."})
        assert "try again" in is_error(response, 503, "busy")["message"]
        assert response.headers["retry-after"] == "60"
        assert client.get("/api/health").status_code == 200  # reads go on
    finally:
        gate.set()
        running.join(30)
        app.state.owner.close()
    assert not running.is_alive()


@pytest.mark.parametrize("body,code,names", [
    (b'{"text": ', "invalid_json", "JSON"),
    (b"[1, 2]", "invalid_article", "articles"),
    (b'{"body": "Russia attacked."}', "invalid_article", "'body'"),
    (b'{"text": 42}', "invalid_article", "articles[0].text"),
    (b'{"text": "Russia attacked.", "published": "yesterday"}', "invalid_article", "articles[0].published"),
    (b'{"articles": []}', "invalid_article", "articles"),
    (b'{"articles": [{"text": "a"}, {"text": "b", "title": ["x"]}]}', "invalid_article", "articles[1].title"),
    (b"[" * 100_000 + b"]" * 100_000, "invalid_json", "JSON"),
])
def test_a_malformed_article_is_refused_whole_in_the_one_shape(client, expected, body, code, names):
    response = client.post("/api/articles", content=body, headers={"content-type": "application/json"})
    assert names in is_error(response, 422, code)["message"]
    assert client.get("/api/health").json()["counts"]["articles"] == expected["counts"]["articles"]


# -- --watch -------------------------------------------------------------------------------------------
class FeedHandler(BaseHTTPRequestHandler):
    feed = b""
    hits = 0

    def do_GET(self):
        if self.path != "/feed.xml":
            self.send_error(404)
            return
        type(self).hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(self.feed)))
        self.end_headers()
        self.wfile.write(self.feed)

    def log_message(self, *args):
        pass


def rss(articles: list[Article]) -> bytes:
    items = "".join(
        f"<item><title>Wire story {n}</title><link>https://example.org/{n}</link><guid>feed-{n}</guid>"
        f"<pubDate>{a.published.strftime('%a, %d %b %Y')} 09:00:00 GMT</pubDate>"
        f"<description>{escape(a.text)}</description></item>"
        for n, a in enumerate(articles))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test wire</title>'
            f"{items}</channel></rss>").encode("utf-8")


@pytest.fixture
def feed_server(shared):
    FeedHandler.feed, FeedHandler.hits = rss(guardian_articles(shared, 2)), 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_watch_polls_feeds_in_the_background_and_stops_with_the_server(shared, tmp_path_factory, feed_server,
                                                                       caplog, tmp_path):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# the test wire\n{feed_server}/feed.xml\n\n{feed_server}/gone.xml\n", encoding="utf-8")
    watch = Watch(read_feeds_file(feeds), every=parse_every("1s"), timeout=5.0, interval=0.0)
    db = copy_store(shared, tmp_path_factory, "watch")
    with Store(db, read_only=True) as store:
        before = store.counts()["articles"]
    app = create_app(db, watch=watch)
    caplog.set_level("INFO", logger="tocsin.server")
    with TestClient(app) as client:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            counts = client.get("/api/health").json()["counts"]
            if counts["articles"] == before + 2 and FeedHandler.hits >= 2 and app.state.watcher.polls >= 2:
                break
            time.sleep(0.2)
        assert counts["articles"] == before + 2, counts
        assert FeedHandler.hits >= 2  # polled again: nothing new the second time
        assert "Test wire" in {e["article"]["outlet"] for e in all_events(client)}
        watcher = app.state.watcher
        assert watcher.running
    assert not watcher.running  # stopped with the server
    with Store(db, read_only=True) as store:  # and the file is released
        skipped = store.skipped()
        assert store.counts()["articles"] == before + 2
    gone = skipped[skipped.origin == f"{feed_server}/gone.xml"]
    assert len(gone) == 1 and "404" in gone.iloc[0]["reason"] and gone.iloc[0]["times"] >= 2
    lines = [r.getMessage() for r in caplog.records if "poll" in r.getMessage()]
    assert lines and "2 new" in lines[0] and all("\n" not in line for line in lines)


def test_watch_durations_and_feeds_files(tmp_path):
    assert [parse_every(v) for v in ("30s", "15m", "1h", "2H")] == [30, 900, 3600, 7200]
    for bad in ("15", "0m", "-1m", "1d", "m", "", "1.5h"):
        with pytest.raises(ValueError, match="--every"):
            parse_every(bad)
    path = tmp_path / "feeds.txt"
    path.write_text("# comment\nhttps://example.org/rss#frag\n\n  http://x.test/feed  \n", encoding="utf-8")
    assert read_feeds_file(path) == ["https://example.org/rss#frag", "http://x.test/feed"]
    path.write_text("https://ok.test/rss\nfile:///etc/passwd\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"feeds.txt:2: not a feed URL"):
        read_feeds_file(path)
    path.write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no feed URLs"):
        read_feeds_file(path)


# -- the command ---------------------------------------------------------------------------------------
def test_serve_refuses_bad_values_with_one_line(tmp_path, monkeypatch):
    monkeypatch.delenv("TOCSIN_TOKEN", raising=False)
    db = str(tmp_path / "never.duckdb")
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("https://example.org/rss\n", encoding="utf-8")
    cases = [
        (["--host", "0.0.0.0"], "token"),
        (["--host", "192.168.1.20", "--token", "short"], "at least 16"),
        (["--watch", str(feeds), "--every", "5x"], "--every"),
        (["--every", "5m"], "--watch"),
        (["--watch", str(tmp_path / "missing.txt")], "missing.txt"),
    ]
    for args, words in cases:
        result = CliRunner().invoke(cli, ["serve", "--db", db, *args])
        assert result.exit_code == 2, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("tocsin: ") and words in lines[0], (args, result.output)
    assert not Path(db).exists()  # refused before the store was touched


def test_loopback_rule():
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.3.4.5", "localhost", "::1", "[::1]"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.20", "example.org", "localhost.evil.test"))
    check_exposure("127.0.0.1", None)
    check_exposure("0.0.0.0", "x" * 24)
    with pytest.raises(Exception, match="token"):
        check_exposure("0.0.0.0", None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_tocsin_serve_runs_as_a_process_and_watches_feeds(shared, tmp_path_factory, expected, feed_server,
                                                         tmp_path):
    db = copy_store(shared, tmp_path_factory, "process")
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{feed_server}/feed.xml\n", encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tocsin.cli", "serve", "--db", str(db), "--port", str(port),
                             "--watch", str(feeds), "--every", "1h", "--log-level", "info"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline, health = time.monotonic() + 60, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                health = httpx.get(f"{base}/api/health", timeout=2.0)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert health is not None and health.status_code == 200, proc.stderr.read().decode() if proc.poll() else ""
        assert health.json()["counts"]["events"] >= expected["counts"]["events"]
        page = httpx.get(f"{base}/api/events", params={"source": "RUS", "limit": 2}, timeout=10.0)
        assert page.status_code == 200 and len(page.json()["items"]) == 2
        assert page.headers["x-content-type-options"] == "nosniff" and "server" not in page.headers
        is_error(httpx.get(f"{base}/api/nope", timeout=10.0), 404)
        rebinding = httpx.get(f"{base}/api/health", headers={"Host": "attacker.example"}, timeout=10.0)
        is_error(rebinding, 400, "bad_host")
        with pytest.raises(Exception, match="in use"):
            Store(db)  # the server owns the file while it runs
        articles = expected["counts"]["articles"]
        while time.monotonic() < deadline + 60 and articles < expected["counts"]["articles"] + 2:
            time.sleep(0.3)  # the first poll runs at start: the feed's two entries are coded in the server
            articles = httpx.get(f"{base}/api/health", timeout=10.0).json()["counts"]["articles"]
        assert articles == expected["counts"]["articles"] + 2
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    assert proc.returncode is not None
    stderr = proc.stderr.read().decode()
    assert f"serving {db} on http://127.0.0.1:{port}" in stderr
    assert "tocsin watch: poll 1: 1 feed, 2 entries read, 2 new" in stderr
    with Store(db, read_only=True) as store:  # released on exit
        assert store.counts()["articles"] == expected["counts"]["articles"] + 2
