"""Instrumentation for the throughput benchmarks only: wrap a function so its time adds up in `totals[key]`."""
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
