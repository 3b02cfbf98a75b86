"""Reading one web page (a saved .html file or a fetched URL) into an Article.

trafilatura finds the article body and drops navigation, banners, comments
and footers; it also gives the title, the date, the site name and the page's
canonical URL when the page declares them. A page with no article text is
skipped with the reason, never dropped silently.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Iterator

from ..model import Article, Skipped
from .plain import decode, make_article, parse_date


def _extract(markup: str, url: str | None) -> dict | None:
    import trafilatura

    result = trafilatura.extract(
        markup, url=url, output_format="json", with_metadata=True, include_comments=False,
        include_tables=False, favor_precision=True,
    )
    return json.loads(result) if result else None


def read_html(data: bytes | str, origin: str, *, url: str | None = None, id: str | None = None,
              published: dt.date | None = None) -> Iterator[Article | Skipped]:
    """One article from an HTML page; `published` is used when the page gives no date."""
    try:
        markup = data if isinstance(data, str) else decode(data)
    except ValueError as err:
        yield Skipped(origin, str(err))
        return
    if not markup.strip():
        yield Skipped(origin, "empty page")
        return
    try:
        found = _extract(markup, url)
    except Exception as err:  # lxml raises several kinds on broken markup
        yield Skipped(origin, f"cannot parse the page ({type(err).__name__}: {err})")
        return
    if not found or not (found.get("text") or "").strip():
        yield Skipped(origin, "no article text found in the page (navigation or boilerplate only)")
        return
    try:
        date = parse_date(found.get("date")) or published
    except ValueError:
        date = published
    page_url = url or found.get("url") or None
    item = make_article(
        origin,
        found["text"],
        found.get("title"),
        id=id or page_url or origin,
        url=page_url,
        outlet=found.get("sitename") or found.get("hostname") or None,
        published=date,
    )
    yield item
