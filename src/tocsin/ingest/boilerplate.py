"""Dropping site boilerplate lines ("Comments are closed.") from article text.

The list lives in `ingest/data/boilerplate.txt`; this module only applies it.
"""
from __future__ import annotations

import re
from functools import cache
from importlib import resources

_TRAIL = " \t.!:;|»>-–—"


@cache
def _rules() -> tuple[frozenset[str], tuple[re.Pattern, ...]]:
    exact: set[str] = set()
    patterns: list[re.Pattern] = []
    text = resources.files("tocsin.ingest").joinpath("data/boilerplate.txt").read_text("utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("re:"):
            patterns.append(re.compile(line[3:], re.IGNORECASE))
        else:
            exact.add(line.lower())
    return frozenset(exact), tuple(patterns)


def is_boilerplate(line: str) -> bool:
    """True when the whole line is site furniture rather than article text."""
    stripped = line.strip()
    if not stripped or len(stripped) > 160:
        return False
    exact, patterns = _rules()
    if stripped.lower().rstrip(_TRAIL) in exact:
        return True
    return any(p.match(stripped) for p in patterns)


def strip_boilerplate(text: str) -> str:
    """The text without boilerplate lines; other lines are kept byte for byte."""
    return "\n".join(line for line in text.split("\n") if not is_boilerplate(line))
