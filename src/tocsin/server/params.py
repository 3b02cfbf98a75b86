"""Query values as the API takes them: lists (repeated and/or comma-separated), dates, codes.

Each parser raises `ApiError(422, "invalid_parameter", ...)` naming the
parameter and saying what it must be; the value itself is never put in SQL
(the store's queries take it as a parameter).
"""
from __future__ import annotations

import datetime as dt
import re

from .errors import ApiError, quoted

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CODE = re.compile(r"^[A-Za-z]{2,8}$")
MAX_VALUES = 100  # values of one list parameter


def invalid(name: str, message: str) -> ApiError:
    return ApiError(422, "invalid_parameter", f"query parameter '{name}': {message}")


def values(name: str, given: list[str] | None) -> list[str]:
    """`?source=RUS&source=UKR,BLR` -> ["RUS", "UKR", "BLR"] (blanks dropped)."""
    found = [part.strip() for value in given or () for part in value.split(",") if part.strip()]
    if len(found) > MAX_VALUES:
        raise invalid(name, f"at most {MAX_VALUES} values, not {len(found):,}")
    return found


def upper(name: str, given: list[str] | None) -> list[str]:
    return [v.upper() for v in values(name, given)]


def quads(given: list[str] | None) -> list[int]:
    out = []
    for value in values("quad", given):
        if value not in ("1", "2", "3", "4"):
            raise invalid("quad", f"a QuadClass is 1, 2, 3 or 4, not {quoted(value)}")
        out.append(int(value))
    return out


def date(name: str, value: str | None) -> dt.date | None:
    """YYYY-MM-DD, or None when absent or blank."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if _DATE.match(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise invalid(name, f"a date is YYYY-MM-DD (e.g. 2022-02-24), not {quoted(value)}")


def dates(since: str | None, until: str | None) -> tuple[dt.date | None, dt.date | None]:
    first, last = date("since", since), date("until", until)
    if first and last and first > last:
        raise invalid("until", f"{last} is before since={first}: give since <= until")
    return first, last


def code(name: str, value: str, where: str = "path parameter") -> str:
    """A country or organisation code: 2-8 letters (RUS, NATO), upper-cased."""
    if not _CODE.match(value):
        raise ApiError(422, "invalid_parameter", f"{where} '{name}': a country or organisation code is "
                                                 f"2-8 letters A-Z (RUS, NATO), not {quoted(value)}")
    return value.upper()
