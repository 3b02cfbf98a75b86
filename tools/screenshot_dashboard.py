"""Screenshots of the dashboard for docs/ and the README, in headless Debian Chromium.

    python tools/screenshot_dashboard.py                      # build a demo store from RUWA, then shoot
    python tools/screenshot_dashboard.py --db news.duckdb     # shoot an existing store (its stories are built)

The demo store is every RUWA headline (../shared/corpora/ruwa/ruwa_2022.csv) dated in
--since..--until, ingested with `tocsin ingest` and merged with `tocsin stories`. The
server is the real `tocsin serve` on a free loopback port. Two pictures are written:

  docs/dashboard.png            the overview: the RUS -> UKR series with its strongest alert opened
  docs/dashboard-evidence.png   the event table of that alert's period, evidence highlighted
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import (
    api_url,
    build_store,
    get_json,
    missing_browser,
    serve,
    start_browser,
    tocsin,
    write_csv,
)

RUWA = ROOT.parent / "shared" / "corpora" / "ruwa" / "ruwa_2022.csv"


def ruwa_window(path: Path, since: dt.date, until: dt.date) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = []
        for row in csv.DictReader(handle):
            try:
                day = dt.datetime.strptime(row.get("Date") or "", "%m/%d/%Y").date()
            except ValueError:
                continue
            if since <= day <= until and (row.get("title") or row.get("desc") or "").strip():
                rows.append(row)
    return rows


def wait_settled(driver, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    script = "return document.body.dataset.ready === '1' && document.body.dataset.busy === '0'"
    while not driver.execute_script(script):
        if time.monotonic() > deadline:
            raise SystemExit("screenshot_dashboard: the dashboard did not finish loading in time")
        time.sleep(0.1)
    time.sleep(0.3)  # let the last layout settle


def shoot(base: str, out: Path, source: str, target: str) -> list[Path]:
    alerts = [a for a in get_json(api_url(base, "/api/alerts", by="week"))["items"]
              if (a["source"], a["target"]) == (source, target)]
    fragment = f"source={source}&target={target}"
    if alerts:
        alert = max(alerts, key=lambda a: (a["peak"], a["z"]))
        end = (dt.date.fromisoformat(alert["end"]) + dt.timedelta(days=6)).isoformat()
        fragment += f"&period={alert['start']}..{end}"
    driver = start_browser(1440, 1330, extra=("--hide-scrollbars",))
    try:
        driver.get(f"{base}/#{fragment}")
        wait_settled(driver)
        overview = out / "dashboard.png"
        driver.save_screenshot(str(overview))
        table = driver.find_element("id", "events-card")
        driver.set_window_size(1440, 1600)
        driver.execute_script("arguments[0].scrollIntoView()", table)
        wait_settled(driver)
        evidence = out / "dashboard-evidence.png"
        rows = driver.find_elements("css selector", "#events tbody tr")
        # the card's head and its first rows: enough to read, small enough for a README
        bottom = rows[min(len(rows), 8) - 1].rect if rows else table.rect
        top = table.rect
        height = int(bottom["y"] + bottom["height"] - top["y"] + 12)
        driver.execute_script("window.scrollTo(0, arguments[0])", top["y"] - 8)
        time.sleep(0.3)
        png = driver.get_screenshot_as_png()
        _crop(png, evidence, (int(top["x"]) - 8, 0, int(top["x"] + top["width"]) + 8, min(height + 16, 1600)))
        return [overview, evidence]
    finally:
        driver.quit()


def _crop(png: bytes, path: Path, box: tuple[int, int, int, int]) -> None:
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        image.crop((max(0, box[0]), max(0, box[1]), min(image.width, box[2]), min(image.height, box[3]))).save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--db", type=Path, help="an existing store to shoot (its stories are built first)")
    parser.add_argument("--since", type=dt.date.fromisoformat, default=dt.date(2022, 1, 1),
                        help="first RUWA date of the demo store (default 2022-01-01)")
    parser.add_argument("--until", type=dt.date.fromisoformat, default=dt.date(2022, 4, 30),
                        help="last RUWA date of the demo store (default 2022-04-30)")
    parser.add_argument("--workers", type=int, default=2, help="coding processes for the demo store (default 2)")
    parser.add_argument("--dyad", default="RUS,UKR", help="the dyad shown, SOURCE,TARGET (default RUS,UKR)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNGs (default docs/)")
    args = parser.parse_args(argv)
    reason = missing_browser()
    if reason:
        parser.error(reason)
    source, target = (part.strip().upper() for part in args.dyad.split(",", 1))
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tocsin-shots-") as tmp:
        folder = Path(tmp)
        if args.db:
            if not args.db.is_file():
                parser.error(f"--db {args.db}: no such store; build one with `tocsin ingest --db {args.db} ...`")
            db = args.db
            tocsin("stories", "--db", str(db))
        else:
            if not RUWA.is_file():
                parser.error(f"{RUWA} not found: give --db with a store of your own")
            rows = ruwa_window(RUWA, args.since, args.until)
            started = time.monotonic()
            db = build_store(folder, [write_csv(rows, folder / "ruwa.csv")], workers=args.workers,
                             allow_skipped=True)
            print(f"demo store: {len(rows):,} RUWA headlines {args.since} to {args.until} "
                  f"coded and merged in {time.monotonic() - started:.0f} s", file=sys.stderr)
        with serve(db, folder / "server.log") as base:
            for path in shoot(base, args.out, source, target):
                print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
