"""CAMEO code table: names, Goldstein scores, QuadClass and PLOVER type/mode/context.

The table lives in ``data/cameo.tsv`` (see ``data/README.md`` for its sources and format).
Only the standard library is used; the table is read once, on first use.
"""
from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources

__all__ = ["CameoCode", "cameo", "all_codes", "QUAD_CLASS_NAMES"]

QUAD_CLASS_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}

_CODE_RE = re.compile(r"\d{2,4}")


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO code (root, 3- or 4-digit) with its scores and PLOVER mapping."""

    code: str  # "036"
    name: str  # "Express intent to meet or negotiate"
    goldstein: float
    quad_class: int  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    plover: str | None  # PLOVER type, e.g. "AGREE"; None for the 01x public-statement codes
    mode: str | None  # PLOVER mode or None
    context: str | None  # PLOVER context or None ("crime;corruption" when several)

    @property
    def root(self) -> str:
        """Two-digit CAMEO root ("03" for "036")."""
        return self.code[:2]

    @property
    def contexts(self) -> tuple[str, ...]:
        """The PLOVER contexts as a tuple (the table joins several with ';')."""
        return tuple(c for c in (self.context or "").split(";") if c)


def _read_text(name: str) -> str:
    return resources.files("tocsin.coding").joinpath("data", name).read_text(encoding="utf-8")


def _rows(text: str):
    """TSV rows with a header, skipping '#' comment lines and blank lines."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t",
                          quoting=csv.QUOTE_NONE)


@functools.cache
def all_codes() -> dict[str, CameoCode]:
    """Every CAMEO code in the table, keyed by code string ("01", "036", "0356")."""
    table: dict[str, CameoCode] = {}
    for row in _rows(_read_text("cameo.tsv")):
        code = row["code"].strip()
        table[code] = CameoCode(
            code=code,
            name=row["name"].strip(),
            goldstein=float(row["goldstein"]),
            quad_class=int(row["quad_class"]),
            plover=row["plover"].strip() or None,
            mode=(row.get("mode") or "").strip() or None,
            context=(row.get("context") or "").strip() or None,
        )
    return table


def cameo(code: str) -> CameoCode:
    """Look up a CAMEO code.

    An unknown 4-digit code falls back to its 3-digit parent, then to its root; an unknown
    3-digit code falls back to its root.  Raises ``KeyError`` only for strings that are not
    CAMEO-shaped (2-4 digits) or whose root does not exist.
    """
    if not isinstance(code, str):
        raise KeyError(code)
    key = code.strip()
    if not _CODE_RE.fullmatch(key):
        raise KeyError(code)
    table = all_codes()
    for cand in (key, key[:3], key[:2]):
        if cand in table:
            return table[cand]
    raise KeyError(code)
