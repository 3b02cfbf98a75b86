"""The event store: a DuckDB file of articles, events, actors and skipped inputs.

All of tocsin's SQL lives in this package: `schema` (named migrations),
`writer` (one transaction a batch), `queries` (named, parametrised reads),
`exports` (GDELT, ICEWS, PLOVER, Parquet); `Store` is the face over them.
This package imports only `tocsin.model`.
"""
from .database import DEFAULT_PATH, Store, StoreDamaged, StoreLocked, StoreWriteFailed
from .exports import FORMATS as EXPORT_FORMATS
from .queries import EventFilter
from .schema import StoreError

__all__ = ["DEFAULT_PATH", "EXPORT_FORMATS", "EventFilter", "Store", "StoreDamaged", "StoreError", "StoreLocked",
           "StoreWriteFailed"]
