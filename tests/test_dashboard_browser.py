"""The dashboard in real headless Chromium, over the real server and a store of real coded articles.

One store (16 RUWA headlines around the invasion plus one hostile article, through
`tocsin ingest` and `tocsin stories`), one `tocsin serve`, one browser for the module.
Every figure the page shows is checked against the API answering the same question.
Skipped, with the reason, where Debian's chromium or chromedriver is missing (CI installs both).
"""
from __future__ import annotations

import re

import pytest
from browser import (
    HOSTILE,
    api_url,
    build_test_store,
    get_json,
    missing_browser,
    serve,
    start_browser,
)
from conftest import shared_path

pytestmark = pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))

WAIT = 20  # seconds any page state may take to appear


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dashboard")
    db = build_test_store(folder, shared_path("corpora", "ruwa", "ruwa_2022.csv"))
    with serve(db, folder / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def driver():
    browser = start_browser()
    try:
        yield browser
    finally:
        browser.quit()


def api(base, path, **params) -> dict:
    return get_json(api_url(base, path, **params))


def wait(driver, condition, message: str, timeout: float = WAIT):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(condition, message)


def settled(driver) -> bool:
    return driver.execute_script("return document.body.dataset.ready === '1' && document.body.dataset.busy === '0'")


def open_page(driver, base: str, fragment: str = "") -> None:
    """A fresh load of the dashboard (a blank page first, so a hash-only change still reloads)."""
    driver.get("about:blank")
    driver.get(f"{base}/#{fragment}" if fragment else f"{base}/")
    wait(driver, settled, "the dashboard did not finish loading")


def console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def text(driver, css: str) -> str:
    return driver.find_element("css selector", css).text


def count(driver, css: str) -> int:
    return driver.execute_script("return document.querySelectorAll(arguments[0]).length", css)


def events_total(driver) -> int:
    wait(driver, lambda d: re.fullmatch(r"[\d,]+ events", text(d, "#events-count")), "no event count shown")
    return int(text(driver, "#events-count").split()[0].replace(",", ""))


def test_page_loads_offline_without_console_errors(driver, base):
    open_page(driver, base)
    health = api(base, "/api/health")
    assert f"{health['counts']['events']:,} events" in text(driver, "#store-info")
    values = driver.execute_script("return [...document.querySelectorAll('#dyad option')].map(o => o.value)")
    assert "RUS>UKR" in values
    assert len(values) == 1 + len(api(base, "/api/dyads")["items"])
    # CSP-clean: no inline style attributes, no inline scripts, nothing from another origin
    assert count(driver, "[style]") == 0
    assert driver.execute_script(
        "return [...document.scripts].every(s => s.src && new URL(s.src).origin === location.origin)")
    assert driver.execute_script(
        "return performance.getEntriesByType('resource').every(r => new URL(r.name).origin === location.origin)")
    assert console_errors(driver) == []


def test_picking_a_dyad_draws_its_series(driver, base):
    from selenium.webdriver.support.ui import Select

    open_page(driver, base)
    assert count(driver, "#series svg") == 0  # nothing chosen yet: an invitation, not a chart
    Select(driver.find_element("id", "dyad")).select_by_value("RUS>UKR")
    wait(driver, lambda d: "source=RUS" in d.current_url and "target=UKR" in d.current_url, "the URL kept no dyad")
    wait(driver, lambda d: count(d, "#series svg.series-svg g.bar") > 0, "no chart drawn")
    wait(driver, settled, "still loading")
    series = api(base, "/api/dyads/RUS/UKR/series")
    periods = series["periods"]
    assert count(driver, "#series g.bar") == len(periods)
    cells = sum(1 for p in periods for q in ("q1", "q2", "q3", "q4") if p[q] > 0)
    assert count(driver, "#series rect.seg") == cells
    # bar heights are proportional to the period totals
    heights = driver.execute_script("""return [...document.querySelectorAll('#series g.bar')].map(g =>
        [...g.querySelectorAll('rect.seg')].reduce((s, r) => s + Number(r.getAttribute('height')), 0))""")
    scale = {round(h / p["total"], 6) for h, p in zip(heights, periods) if p["total"]}
    assert len(scale) == 1 and all(h == 0 for h, p in zip(heights, periods) if not p["total"])
    assert count(driver, "#series rect.alert-band") == len(series["alerts"])
    assert "RUS → UKR" in text(driver, "#series-title")
    assert console_errors(driver) == []


def test_alert_list_matches_the_api_and_opens_an_alert(driver, base):
    open_page(driver, base)
    alerts = api(base, "/api/alerts", by="week")["items"]
    ours = [a for a in alerts if (a["source"], a["target"]) == ("RUS", "UKR")]
    assert ours, "the test store is built to have a RUS->UKR jump (quiet weeks, then the invasion)"
    assert count(driver, "#alerts li.alert") == len(alerts)
    listed = driver.execute_script(
        "return [...document.querySelectorAll('#alerts .alert-dyad')].map(e => e.textContent)")
    assert sorted(listed) == sorted(f"{a['source']} → {a['target']}" for a in alerts)
    alert = ours[0]
    button = next(b for b in driver.find_elements("css selector", "#alerts li.alert")
                  if b.find_element("css selector", ".alert-dyad").text == "RUS → UKR"
                  and alert["start"] in b.find_element("css selector", ".alert-when").text)
    assert alert["stories"][0]["evidence"] in button.text
    button.find_element("css selector", "button").click()
    wait(driver, lambda d: f"period={alert['start']}" in d.current_url, "the alert did not set the period")
    wait(driver, lambda d: count(d, "#series rect.alert-band.selected") == 1, "the alert's period is not highlighted")
    wait(driver, settled, "still loading")
    assert "source=RUS" in driver.current_url and "target=UKR" in driver.current_url
    assert alert["start"] in text(driver, "#chips")
    assert count(driver, "#alerts li.alert.selected") == 1
    start, end = re.search(r"period=([\d-]+)\.\.([\d-]+)", driver.current_url).groups()
    expected = api(base, "/api/events", source="RUS", target="UKR", since=start, until=end, limit=1)["total"]
    assert events_total(driver) == expected > 0
    dates = driver.execute_script("return [...document.querySelectorAll('#events td.date')].map(e => e.firstChild.textContent)")
    assert dates and all(start <= d <= end for d in dates)
    assert console_errors(driver) == []


def _slice(evidence: str, base: int, start, end) -> str:
    if start is None or end is None:
        return ""
    return evidence[max(0, start - base):max(0, min(len(evidence), end - base))]


ROWS_JS = """return [...document.querySelectorAll('#events tbody tr')].map(tr => {
  const cell = (css) => (tr.querySelector(css) || {}).textContent || '';
  const marks = (kind) => [...tr.querySelectorAll('.sentence mark.' + kind)].map(m => m.textContent);
  return {sentence: cell('.sentence'), meta: cell('.meta'), source: cell('td.actor'), kind: cell('td.kind'),
          modality: cell('td.modality'), src: marks('src'), tgt: marks('tgt'), pred: marks('pred')};
})"""


def test_event_rows_show_evidence_with_highlighted_source_target_and_predicate(driver, base):
    open_page(driver, base, "source=RUS&target=UKR")
    page = api(base, "/api/events", source="RUS", target="UKR", limit=25)
    rows = driver.execute_script(ROWS_JS)
    assert len(rows) == len(page["items"]) > 0
    assert events_total(driver) == page["total"]
    complete = 0
    for row, event in zip(rows, page["items"]):
        evidence, first = event["evidence"], event["span"][0]
        assert row["sentence"] == evidence  # marking never changes the text
        source, target, trigger = event["source"] or {}, event["target"] or {}, event["trigger"] or [None, None]
        expected = {"src": _slice(evidence, first, source.get("start"), source.get("end")),
                    "tgt": _slice(evidence, first, target.get("start"), target.get("end")),
                    "pred": _slice(evidence, first, trigger[0], trigger[1])}
        for kind, want in expected.items():
            assert row[kind] in ([], [want]), (kind, row[kind], want, evidence)
        if row["src"] and row["tgt"] and row["pred"]:
            complete += 1
        article = event["article"]
        assert article["title"] in row["meta"] and article["outlet"] in row["meta"]
        assert source["country"] in row["source"]
        assert (event["type"] or "STATEMENT") in row["kind"] and event["cameo"] in row["kind"]
        assert event["modality"] in row["modality"]
    assert complete >= len(rows) // 2, "most rows mark all three of source, predicate and target"
    # the plain cases agree with the actor text the API gives
    assert any(row["src"] == [event["source"]["text"]] for row, event in zip(rows, page["items"]))
    assert console_errors(driver) == []


def test_actor_network_has_weighted_coloured_edges_and_picks_a_dyad(driver, base):
    open_page(driver, base)
    edges = [e for e in api(base, "/api/actors", limit=200)["edges"] if e["source"] != e["target"]]
    countries = {c for e in edges for c in (e["source"], e["target"])}
    wait(driver, lambda d: count(d, "#network svg g.edge") > 0, "no network drawn")
    assert count(driver, "#network g.node") == min(14, len(countries))
    assert count(driver, "#network g.edge") == min(36, len(edges))
    ours = next(e for e in edges if (e["source"], e["target"]) == ("RUS", "UKR"))
    edge = driver.find_element("css selector", '#network g.edge[aria-label^="RUS to UKR:"]')
    red, _, blue = map(int, re.findall(r"\d+", edge.find_element("css selector", "path").get_attribute("stroke")))
    assert (red > blue) == (ours["goldstein_mean"] < 0)
    widths = driver.execute_script("""return [...document.querySelectorAll('#network g.edge')].map(g =>
        [g.getAttribute('aria-label').split(':')[0], Number(g.querySelector('path').getAttribute('stroke-width'))])""")
    busiest = max(edges, key=lambda e: e["events"])
    assert max(widths, key=lambda w: w[1])[0] == f"{busiest['source']} to {busiest['target']}"
    driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", edge)
    wait(driver, lambda d: "source=RUS" in d.current_url and "target=UKR" in d.current_url, "the edge set no dyad")
    wait(driver, lambda d: count(d, "#series g.bar") > 0, "no chart after picking the edge")
    assert count(driver, "#network g.edge.current") == 1
    assert console_errors(driver) == []


def test_filters_change_the_table_and_live_in_the_url(driver, base):
    from selenium.webdriver.support.ui import Select

    open_page(driver, base)
    everything = api(base, "/api/events", limit=1)["total"]
    assert events_total(driver) == everything > 25  # more than a page
    assert text(driver, "#page-info") == f"1–25 of {everything}"
    driver.find_element("id", "next").click()
    wait(driver, lambda d: "page=1" in d.current_url and text(d, "#page-info").startswith("26–"), "no second page")
    second = [e["evidence"] for e in api(base, "/api/events", limit=25, offset=25)["items"]]
    assert driver.execute_script(
        "return [...document.querySelectorAll('#events .sentence')].map(e => e.textContent)") == second
    assert driver.find_element("id", "next").get_attribute("disabled") == ("true" if everything <= 50 else None)
    driver.find_element("id", "prev").click()
    wait(driver, lambda d: text(d, "#page-info").startswith("1–"), "no way back to the first page")
    assaults = api(base, "/api/events", type="ASSAULT", limit=1)["total"]
    assert 0 < assaults < everything
    Select(driver.find_element("id", "type")).select_by_value("ASSAULT")
    driver.find_element("css selector", "#filters button[type=submit]").click()
    wait(driver, lambda d: "type=ASSAULT" in d.current_url, "the type filter is not in the URL")
    wait(driver, lambda d: events_total(d) == assaults, "the type filter did not narrow the table")
    kinds = driver.execute_script("return [...document.querySelectorAll('#events td.kind .type')].map(e => e.textContent)")
    assert set(kinds) == {"ASSAULT"}
    Select(driver.find_element("id", "modality")).select_by_value("asserted")
    driver.find_element("id", "since").send_keys("02242022")  # the date input takes mm/dd/yyyy keystrokes
    driver.find_element("css selector", "#filters button[type=submit]").click()
    wait(driver, lambda d: "modality=asserted" in d.current_url and "since=2022-02-24" in d.current_url,
         "modality and date filters are not in the URL")
    narrowed = api(base, "/api/events", type="ASSAULT", modality="asserted", since="2022-02-24", limit=1)["total"]
    wait(driver, lambda d: events_total(d) == narrowed, "modality and date filters did not narrow the table")
    assert narrowed < assaults
    # a shared URL restores the view
    shared = driver.current_url
    driver.get("about:blank")
    driver.get(shared)
    wait(driver, settled, "the shared view did not load")
    assert driver.find_element("id", "type").get_attribute("value") == "ASSAULT"
    assert driver.find_element("id", "modality").get_attribute("value") == "asserted"
    assert driver.find_element("id", "since").get_attribute("value") == "2022-02-24"
    assert events_total(driver) == narrowed
    driver.find_element("id", "reset").click()
    wait(driver, lambda d: events_total(d) == everything, "reset did not clear the filters")
    assert driver.find_element("id", "type").get_attribute("value") == ""
    assert console_errors(driver) == []


def test_hostile_article_shows_as_text_and_runs_nothing(driver, base):
    open_page(driver, base, "source=RUS&target=UKR&text=pwned")
    wait(driver, lambda d: count(d, "#events tbody tr td.evidence") == 2, "the hostile events are not listed")
    page = driver.execute_script("return document.body.textContent")
    for payload in ('<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=2">',
                    HOSTILE["outlet"], HOSTILE["title"]):
        assert payload in page
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    assert count(driver, "img") == 0
    assert count(driver, "[onerror]") == 0
    assert driver.execute_script("return [...document.scripts].map(s => new URL(s.src).pathname)") == [
        "/static/dashboard.js"]
    assert count(driver, 'a[href^="javascript:" i]') == 0
    assert count(driver, "#events .meta a") == 0  # its javascript: URL is no link
    marks = driver.execute_script("return [...document.querySelectorAll('#events mark')].map(m => m.textContent)")
    # the emoji before "Russia" are one code point each in the API's offsets, two UTF-16 units in JavaScript
    assert {"Russian troops", "attacked", "shelled", "the Ukrainian city"} <= set(marks)
    assert console_errors(driver) == []


def test_empty_and_error_states_are_clear(driver, base):
    open_page(driver, base, "source=RUS&target=UKR&since=2030-01-01")
    assert "No stories for RUS → UKR in this period" in text(driver, "#series")
    assert "No events match these filters" in text(driver, "#events tbody")
    assert "No alerts" in text(driver, "#alerts")
    assert "No events between two different actors" in text(driver, "#network")
    assert console_errors(driver) == []
    # the API refuses since > until: its message reaches the page, in the one error shape
    open_page(driver, base, "source=RUS&target=UKR&since=2022-03-01&until=2022-02-01")
    refusal = api(base, "/api/events", since="2022-03-01", until="2022-02-01")
    assert refusal["_status"] == 422
    error = text(driver, "#series .error")
    assert refusal["error"]["message"] in error and "HTTP 422" in error
    assert refusal["error"]["message"] in text(driver, "#events .error")
    assert all("422" in m for m in console_errors(driver))  # the failed requests, nothing else


HIGHLIGHT_JS = """const done = arguments[arguments.length - 1];
import('/static/dashboard.js').then(m => done(arguments[0].map(event => {
  const p = document.createElement('p');
  p.append(m.highlightEvidence(event));
  return [p.textContent, [...p.querySelectorAll('mark')].map(k => [k.className, k.textContent]), p.innerHTML];
}))).catch(e => done(String(e)));"""


def test_highlighting_clamps_and_skips_bad_spans(driver, base):
    open_page(driver, base)
    evidence = "\N{FIRE} Russia shelled <b>Kharkiv</b> today."  # starts at 100 in its article

    def actor(start, end):
        return {"start": start, "end": end, "text": "x"}

    cases = [
        # plain: offsets in the article, counted in code points
        ({"source": actor(102, 108), "trigger": [109, 116], "target": actor(120, 127)},
         [["src", "Russia"], ["pred", "shelled"], ["tgt", "Kharkiv"]]),
        # overlapping spans: the first wins, the overlapping one is dropped
        ({"source": actor(102, 116), "trigger": [109, 116], "target": None}, [["src", "Russia shelled"]]),
        # out of range: clamped to the sentence; wholly outside or empty: dropped
        ({"source": actor(90, 108), "trigger": [500, 510], "target": actor(120, 999)},
         [["src", "\N{FIRE} Russia"], ["tgt", "Kharkiv</b> today."]]),
        # missing, null or nonsense offsets: no marks, the text intact
        ({"source": {"text": "x"}, "trigger": ["a", None], "target": actor(108, 102)}, []),
    ]
    events = [{"evidence": evidence, "span": [100, 100 + len(evidence)], **spans} for spans, _ in cases]
    results = driver.execute_async_script(HIGHLIGHT_JS, events)
    assert isinstance(results, list), results
    for (text_content, marks, html), (_, expected) in zip(results, cases):
        assert text_content == evidence
        assert marks == expected
        assert "<b>" not in html and "&lt;b&gt;" in html
    assert console_errors(driver) == []
