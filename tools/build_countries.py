"""Refresh src/tocsin/actors/data/countries.tsv from pycountry (dev time only).

The TSV is the source of truth for the curated columns (``name``, ``names``,
``adjectives``, ``demonyms``, ``capitals``); this tool only

* adds a row for every ISO 3166-1 country that the file lacks, and
* rewrites the ``iso_names`` column from pycountry (name, official name, common name;
  "Korea, Republic of" is turned into "Republic of Korea").

Run:  .venv/bin/python tools/build_countries.py  [path/to/countries.tsv]

pycountry is LGPL-2.1; only facts (names and codes) are copied into the TSV.
The package never imports pycountry at run time.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pycountry

COLUMNS = ["code", "name", "iso_names", "names", "adjectives", "demonyms", "capitals"]
DEFAULT = Path(__file__).resolve().parents[1] / "src/tocsin/actors/data/countries.tsv"


def iso_forms(raw: str) -> list[str]:
    """Readable forms of one pycountry name."""
    forms = []
    inner = re.search(r"\(([^)]*)\)", raw)
    if inner:
        forms.append(inner.group(1).strip())
        raw = re.sub(r"\s*\([^)]*\)", "", raw).strip()
    if ", " in raw:
        head, tail = raw.split(", ", 1)
        if re.search(r"\bof( the)?$", tail) or " " not in tail:  # "Virgin Islands, British"
            forms.append(f"{tail} {head}")
        else:
            forms.append(head)
    else:
        forms.append(raw)
    return forms


def read_rows(path: Path) -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    if not path.exists():
        return rows
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    header = lines[0].split("\t")
    for line in lines[1:]:
        cells = line.split("\t") + [""] * len(header)
        row = dict(zip(header, cells))
        rows[row["code"]] = {col: row.get(col, "") for col in COLUMNS}
    return rows


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT
    rows = read_rows(path)
    for country in pycountry.countries:
        code = country.alpha_3
        raw = [country.name, getattr(country, "official_name", None), getattr(country, "common_name", None)]
        forms: list[str] = []
        for name in filter(None, raw):
            for form in iso_forms(name):
                if form not in forms:
                    forms.append(form)
        row = rows.setdefault(code, {col: "" for col in COLUMNS} | {"code": code})
        if not row["name"]:
            row["name"] = forms[0]
        row["iso_names"] = "|".join(f for f in forms if f != row["name"])
    out = ["\t".join(COLUMNS)]
    for code in sorted(rows):
        out.append("\t".join(rows[code][col] for col in COLUMNS))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{path}: {len(rows)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
