"""The dashboard's browser harness: a store of real coded articles, the real server, headless Chromium.

Used by tests/test_dashboard_browser.py and tools/screenshot_dashboard.py. Everything runs
offline: Debian's chromium and chromedriver (never a driver or browser download: the
service path is given and Selenium Manager is told to stay offline), the server on
127.0.0.1, articles from ../shared/corpora.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

TOCSIN = [sys.executable, "-m", "tocsin.cli"]
CHROMIUM = Path(os.environ.get("TOCSIN_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("TOCSIN_CHROMEDRIVER", "/usr/bin/chromedriver"))
BROWSER_ARGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--window-size=1400,1000")
SERVER_START = 60.0  # seconds the server may take to answer /api/health

# A hostile article: its text, title, outlet and URL carry markup and script; its sentences
# still code as RUS -> UKR assaults, so the payloads reach the event table. The emoji before
# the second event's actors are outside the Basic Multilingual Plane: offsets count code
# points (Python), not UTF-16 units (JavaScript strings).
HOSTILE = {
    "id": "hostile-1",
    "title": 'Breaking <script>window.__pwned=1</script> news <img src=x onerror="window.__pwned=2">',
    "outlet": "Evil <script>window.__pwned=3</script> Times",
    "url": "javascript:window.__pwned=4",
    "published": "2022-03-01",
    "text": ('Russian troops attacked Ukrainian positions near <img src=x onerror="window.__pwned=2"> Kharkiv on '
             "Monday. In Kharkiv \N{FIRE}\N{FIRE}, Russia <script>window.__pwned=1</script> shelled the Ukrainian city "
             "on Tuesday."),
}

_RUSSIA = re.compile(r"\bRussia(n|ns)?\b")
_UKRAINE = re.compile(r"Ukrain|Kyiv|Kharkiv|Mariupol")
_FORCE = re.compile(r"attack|shell|strike|missile|bomb|invad|invasion|troops", re.IGNORECASE)


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not (path.is_file() and os.access(path, os.X_OK)):
            return f"{path} not found: apt-get install chromium chromium-driver (CI's .ci/run does)"
    return None


def start_browser(width: int = 1400, height: int = 1000, extra: tuple[str, ...] = ()):
    """Headless Debian Chromium through Debian's chromedriver; browser console logs kept."""
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never download a driver or browser
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in BROWSER_ARGS:
        options.add_argument(arg if not arg.startswith("--window-size") else f"--window-size={width},{height}")
    for arg in extra:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    return driver


# ---------------------------------------------------------------- the store

def _day(row: dict) -> dt.date | None:
    try:
        return dt.datetime.strptime(row.get("Date") or "", "%m/%d/%Y").date()
    except ValueError:
        return None


def ruwa_selection(ruwa_csv: Path, weeks=(dt.date(2022, 1, 10), dt.date(2022, 2, 20)),
                   surge=(dt.date(2022, 2, 24), dt.date(2022, 2, 27)), surge_items: int = 10) -> list[dict]:
    """RUWA headlines naming Russia and Ukraine and the use of force: the first of each week in
    `weeks` (a quiet baseline), then the first `surge_items` of the `surge` days (the invasion),
    so the RUS -> UKR dyad has a series with a jump. Order: date, then URL."""
    with open(ruwa_csv, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle)
                if _day(r) and _RUSSIA.search(r.get("title") or "") and _UKRAINE.search(r.get("title") or "")
                and _FORCE.search(r.get("title") or "")]
    rows.sort(key=lambda r: (_day(r), r.get("src") or ""))
    picked, seen = [], set()
    for row in rows:
        day = _day(row)
        week = day - dt.timedelta(days=day.weekday())
        if weeks[0] <= day <= weeks[1] and week not in seen:
            seen.add(week)
            picked.append(row)
    picked += [r for r in rows if surge[0] <= _day(r) <= surge[1]][:surge_items]
    return picked


def write_csv(rows: list[dict], path: Path) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0].keys()))
        writer.writeheader()
        writer.writerows(rows)
    return path


def tocsin(*args: str, timeout: float = 1800, ok=(0,)) -> subprocess.CompletedProcess:
    """The real command line; raises with its stderr when its exit code is not in `ok`."""
    proc = subprocess.run(TOCSIN + list(args), capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode not in ok:
        raise RuntimeError(f"tocsin {' '.join(args)} exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    return proc


def build_store(folder: Path, sources: list[Path], workers: int = 0, allow_skipped: bool = False) -> Path:
    """Ingest `sources` into folder/store.duckdb with `tocsin ingest`, then build its stories.
    `allow_skipped`: inputs that cannot be coded (ingest's exit code 1) are no failure."""
    db = folder / "store.duckdb"
    tocsin("ingest", "--db", str(db), "--workers", str(workers), "--no-progress", *map(str, sources),
           ok=(0, 1) if allow_skipped else (0,))
    tocsin("stories", "--db", str(db))
    return db


def build_test_store(folder: Path, ruwa_csv: Path) -> Path:
    """The browser tests' store: the RUWA selection above and the hostile article."""
    rows = ruwa_selection(ruwa_csv)
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    return build_store(folder, [write_csv(rows, folder / "ruwa.csv"), hostile])


# ---------------------------------------------------------------- the server

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str, timeout: float = 30.0) -> dict:
    """GET a JSON document; an HTTP error's JSON body is returned too (with its status)."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as err:
        return {"_status": err.code, **json.loads(err.read().decode("utf-8") or "{}")}


def api_url(base: str, path: str, **params) -> str:
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}{path}?{query}" if query else f"{base}{path}"


@contextlib.contextmanager
def serve(db: Path, log: Path):
    """`tocsin serve --db DB` on a free loopback port; yields its base URL; stopped on exit."""
    port = free_port()
    with open(log, "w", encoding="utf-8") as err:
        proc = subprocess.Popen(TOCSIN + ["serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port),
                                          "--log-level", "warning"],
                                stdout=err, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"tocsin serve exited {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                if get_json(f"{base}/api/health", timeout=2).get("status") == "ok":
                    break
            except (OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"tocsin serve did not answer in {SERVER_START:.0f} s: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
