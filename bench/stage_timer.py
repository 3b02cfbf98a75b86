"""Instrumentation for the throughput benchmarks only: wrap a function so its time adds up in `totals[key]`,
and one timed pass of the coder split into its stages (bench/post_parse.py, scale.py, throughput.py)."""
from __future__ import annotations

import time


def timed(function, key: str, totals: dict):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[key] += time.perf_counter() - started
    return wrapper


def instrumented_pass(coder, parsed: list) -> tuple[dict[str, float], float]:
    """One pass of `coder.code` over parsed articles with the stages timed.

    Returns ({"actors", "dates", "places"}: seconds, the pass's total seconds); the rest of the
    total is extraction and coding. The wrapped functions are restored afterwards.
    """
    import tocsin.coder as coder_module
    from tocsin.actors.resolver import ArticleActors

    split = {"actors": 0.0, "dates": 0.0, "places": 0.0}
    hooks = [(ArticleActors, "read_sentence", "actors"), (coder_module, "event_date", "dates"),
             (coder_module, "event_place", "places")]
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in hooks]
    for (owner, name, key), (_, _, function) in zip(hooks, saved):
        setattr(owner, name, timed(function, key, split))
    try:
        started = time.perf_counter()
        for article, paragraphs in parsed:
            coder.code(article, paragraphs)
        total = time.perf_counter() - started
    finally:
        for owner, name, function in saved:
            setattr(owner, name, function)
    return split, total
