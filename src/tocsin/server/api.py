"""The JSON API's routes (`/api/...`). Each parses its query, calls one library function, shapes JSON.

Reads run in FastAPI's thread pool, each over its own cursor (`StoreOwner.read`);
`POST /api/articles` codes in that pool too, so the event loop never waits on spaCy.
"""
from __future__ import annotations

import hmac
import threading
from typing import Annotated, Literal

import pandas as pd
from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from ..analysis.alerts import find_alerts
from ..analysis.series import dyad_series, load_units
from ..nlp import ModelNotInstalled
from ..store import StoreError
from ..store import pages as reads
from ..store.queries import EventFilter
from . import params
from .articles import REQUEST_BODY, read_articles
from .errors import ApiError
from .owner import Busy, StoreOwner

router = APIRouter(prefix="/api")
MAX_PERIODS = 50_000  # periods in one series (137 years by day)
WRITE_WAIT = 30.0  # seconds a POST waits for an ingest already running before answering 503
WRITES = threading.BoundedSemaphore(4)  # POSTs in the thread pool at once (one codes, the rest wait): reads keep the rest

Codes = Annotated[list[str] | None, Query(description="Country or actor codes (RUS, NATO, RUSMIL); repeatable and/or "
                                                      "comma-separated: any of them.")]
Since = Annotated[str | None, Query(description="From this date on (YYYY-MM-DD), inclusive.")]
Until = Annotated[str | None, Query(description="Up to this date (YYYY-MM-DD), inclusive.")]
Limit = Annotated[int, Query(ge=1, le=1000, description="Items a page (1-1000).")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000, description="Items to skip before the page.")]
By = Annotated[Literal["week", "day"], Query(description="Period: week (starting Monday) or day.")]
Unit = Annotated[Literal["stories", "events"], Query(description="Count stories (duplicates merged) or raw events.")]


def owner(request: Request) -> StoreOwner:
    return request.app.state.owner


@router.get("/health", summary="Liveness and the store's row counts")
def health(request: Request) -> dict:
    with owner(request).read() as store:
        counts = store.counts()
        counts["stories"] = reads.story_count(store.conn)
    return {"status": "ok", "counts": counts}


@router.get("/events", summary="Events with their article, filtered and paged (ordered by date, then id)")
def events(request: Request, source: Codes = None, target: Codes = None,
           types: Annotated[list[str] | None, Query(alias="type", description="PLOVER types (ASSAULT, PROTEST).")] = None,
           cameo: Annotated[list[str] | None, Query(description="CAMEO code prefixes (19, 036).")] = None,
           quad: Annotated[list[str] | None, Query(description="QuadClasses 1-4.")] = None,
           modality: Annotated[list[str] | None, Query(description="asserted, said, intended, negated, ...")] = None,
           since: Since = None, until: Until = None,
           text: Annotated[str | None, Query(max_length=1000, description="Words that must all be in the evidence.")] = None,
           article: Annotated[str | None, Query(max_length=4000, description="An article id or source id (path, URL).")] = None,
           limit: Limit = 50, offset: Offset = 0) -> dict:
    first, last = params.dates(since, until)
    flt = EventFilter(source=params.upper("source", source), target=params.upper("target", target),
                      type=params.upper("type", types), cameo=params.values("cameo", cameo), quad=params.quads(quad),
                      since=first, until=last, modality=params.values("modality", modality),
                      text=text or None, article=article or None)
    with owner(request).read() as store:
        total, items = reads.event_page(store.conn, flt, limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "items": items}


@router.get("/stories", summary="Stories (one real event however many reports), most recent first")
def stories(request: Request, source: Codes = None, target: Codes = None,
            types: Annotated[list[str] | None, Query(alias="type", description="PLOVER type or CAMEO root (CAMEO19).")] = None,
            since: Since = None, until: Until = None, limit: Limit = 50, offset: Offset = 0) -> dict:
    first, last = params.dates(since, until)
    with owner(request).read() as store:
        total, items = reads.story_page(store.conn, params.upper("source", source), params.upper("target", target),
                                        params.upper("type", types), first, last, limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "items": items}


@router.get("/dyads", summary="Directed country dyads by events, busiest first (for a dyad picker)")
def dyads(request: Request, limit: Annotated[int, Query(ge=1, le=1000, description="Dyads at most.")] = 200) -> dict:
    with owner(request).read() as store:
        return {"items": reads.dyads(store.conn, limit)}


@router.get("/dyads/{source}/{target}/series", summary="A dyad's counts a week or a day, with its alerts")
def series(request: Request, source: str, target: str, by: By = "week", unit: Unit = "stories",
           since: Since = None, until: Until = None) -> dict:
    a, b = params.code("source", source), params.code("target", target)
    first, last = params.dates(since, until)
    with owner(request).read() as store:
        units = load_units(store, a, b, unit=unit, since=first, until=last)
    out = {"source": a, "target": b, "by": by, "unit": unit, "periods": [], "alerts": []}
    if units.empty:
        return out
    start = first or pd.Timestamp(units["date"].min()).date()
    end = last or pd.Timestamp(units["date"].max()).date()
    count = (end - start).days // (1 if by == "day" else 7) + 1
    if count > MAX_PERIODS:
        raise params.invalid("since", f"{start} to {end} is {count:,} {by}s, over {MAX_PERIODS:,}: "
                                      "narrow since/until or use by=week")
    with owner(request).read() as store:
        # the alerts of /api/alerts, judged against the baseline before `since` too
        found = find_alerts(store, since=first, until=last, by=by, source=[a], target=[b], unit=unit)
    frame = dyad_series(units, by, start, end)
    out["periods"] = [_period(period, row) for period, row in frame.iterrows()]
    out["alerts"] = [alert.to_dict() for alert in found]
    return out


def _period(period: pd.Timestamp, row: pd.Series) -> dict:
    mean = row["goldstein_mean"]
    return {"period": period.date().isoformat(), **{f"q{q}": int(row[f"q{q}"]) for q in (1, 2, 3, 4)},
            "total": int(row["total"]), "conflict": int(row["conflict"]),
            "conflict_share": float(row["conflict_share"]), "goldstein_sum": float(row["goldstein_sum"]),
            "goldstein_mean": None if pd.isna(mean) else float(mean)}


@router.get("/alerts", summary="Dyads whose conflict jumps above their own baseline, each with its explanation")
def alerts(request: Request, by: By = "week", since: Since = None, until: Until = None, source: Codes = None,
           target: Codes = None, unit: Unit = "stories") -> dict:
    first, last = params.dates(since, until)
    with owner(request).read() as store:
        found = find_alerts(store, since=first, until=last, by=by, source=params.upper("source", source),
                            target=params.upper("target", target), unit=unit)
    return {"items": [alert.to_dict() for alert in found]}


@router.get("/actors", summary="The busiest actors, and the country -> country network of events")
def actors(request: Request, since: Since = None, until: Until = None,
           limit: Annotated[int, Query(ge=1, le=1000, description="Actors (and edges) at most.")] = 100) -> dict:
    first, last = params.dates(since, until)
    with owner(request).read() as store:
        items, edges = reads.actors(store.conn, first, last, limit)
    return {"items": items, "edges": edges}


def check_token(request: Request) -> None:
    """When the server has a token, a write must carry it (Authorization: Bearer T, or X-Tocsin-Token: T)."""
    token: str | None = request.app.state.token
    if token is None:
        return
    given = request.headers.get("x-tocsin-token")
    auth = request.headers.get("authorization", "")
    if given is None and auth[:7].lower() == "bearer ":
        given = auth[7:].strip()
    if not given:
        raise ApiError(401, "token_required", "this server needs a token for writes: send 'Authorization: Bearer "
                                              "TOKEN' or 'X-Tocsin-Token: TOKEN'", {"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8")):
        raise ApiError(403, "token_invalid", "wrong token: send the one the server was started with "
                                             "(--token or TOCSIN_TOKEN)")


@router.post("/articles", status_code=201, openapi_extra={"requestBody": REQUEST_BODY},
             summary="Code and store articles sent as JSON (a token is needed when the server has one)")
async def post_articles(request: Request) -> dict:
    check_token(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise ApiError(415, "unsupported_media_type", f"send the articles as JSON with 'Content-Type: "
                                                      f"application/json' (not {kind or 'none'!r})")
    data = await request.body()  # capped by middleware.Guard
    if not WRITES.acquire(blocking=False):
        raise ApiError(503, "busy", "too many article requests at once: try again in a minute", {"Retry-After": "60"})
    try:
        return await run_in_threadpool(_store_articles, owner(request), data)
    finally:
        WRITES.release()


def _store_articles(store_owner: StoreOwner, data: bytes) -> dict:
    items = read_articles(data)
    try:
        summary = store_owner.ingest(items, wait=WRITE_WAIT)
    except Busy as err:
        raise ApiError(503, "busy", f"{err}: try again in a minute", {"Retry-After": "60"}) from None
    except ModelNotInstalled as err:
        raise ApiError(503, "model_missing", str(err).splitlines()[0]) from None
    except StoreError as err:  # the file failed (a full disk, read-only): what was written before is kept
        raise ApiError(503, "store_failed", str(err).splitlines()[0]) from None
    return {"stored": summary.coded, "events": summary.events, "unchanged": summary.unchanged,
            "linked": summary.linked,
            "skipped": [{"origin": s.origin, "line": s.line, "reason": s.reason} for s in summary.skipped]}
