"""The body of `POST /api/articles`: one article object, or {"articles": [...]}.

Each article: `text` (required), `id`, `title`, `url`, `outlet` (strings),
`published` (YYYY-MM-DD). Unknown fields are refused (a typo such as "body"
would otherwise store an article without its text). Articles then go through
`ingest.plain.make_article`, as every other input does: line endings,
boilerplate, title first, size, sentence length and language checks; an
article that fails those is not an error but a skip with its reason.
"""
from __future__ import annotations

import json

from ..ingest.plain import make_article, parse_date
from ..model import Article, Skipped
from .errors import ApiError, quoted

MAX_ARTICLES = 100  # articles one request may carry
MAX_FIELD = 2_000  # characters of id, title, url, outlet
FIELDS = ("text", "id", "title", "url", "outlet", "published")

ARTICLE_SCHEMA = {
    "type": "object", "required": ["text"], "additionalProperties": False,
    "properties": {
        "text": {"type": "string", "description": "The article's body (the title is put first when not in it)."},
        "id": {"type": "string", "description": "Your id for it (default: a hash of url+outlet, else of the text)."},
        "title": {"type": "string"}, "url": {"type": "string"}, "outlet": {"type": "string"},
        "published": {"type": "string", "format": "date", "description": "YYYY-MM-DD"},
    },
}
REQUEST_BODY = {
    "required": True,
    "content": {"application/json": {"schema": {"oneOf": [
        ARTICLE_SCHEMA,
        {"type": "object", "required": ["articles"], "additionalProperties": False,
         "properties": {"articles": {"type": "array", "minItems": 1, "maxItems": MAX_ARTICLES,
                                     "items": ARTICLE_SCHEMA}}},
    ]}}},
}


def invalid(message: str) -> ApiError:
    return ApiError(422, "invalid_article", message)


def parse_body(data: bytes) -> list[dict]:
    """The article objects of a request body (each still unchecked)."""
    try:
        body = json.loads(data)
    except (ValueError, RecursionError) as err:
        where = f" at line {err.lineno} column {err.colno}" if isinstance(err, json.JSONDecodeError) else ""
        raise ApiError(422, "invalid_json", f"the body is not valid JSON{where}: send one article object or "
                                            '{"articles": [...]}') from None
    if isinstance(body, dict) and "articles" in body:
        extra = sorted(set(body) - {"articles"})
        if extra:
            raise invalid(f"unknown field {quoted(extra[0])} beside 'articles': send {{\"articles\": [...]}} alone")
        body = body["articles"]
        if not isinstance(body, list) or not body:
            raise invalid("'articles' must be a non-empty list of article objects")
    elif isinstance(body, dict):
        body = [body]
    else:
        raise invalid('send one article object {"text": ...} or {"articles": [...]}')
    if len(body) > MAX_ARTICLES:
        raise ApiError(413, "too_many_articles", f"{len(body):,} articles in one request: send at most "
                                                 f"{MAX_ARTICLES} a request")
    return body


def to_item(number: int, record) -> Article | Skipped:
    """One checked article object as an Article (or a Skipped with its reason); ApiError when malformed."""
    where = f"articles[{number - 1}]"
    if not isinstance(record, dict):
        raise invalid(f"{where} must be an object with 'text'")
    extra = sorted(set(record) - set(FIELDS))
    if extra:
        raise invalid(f"{where}: unknown field {quoted(extra[0])} (fields: {', '.join(FIELDS)})")
    text = record.get("text")
    if not isinstance(text, str):
        raise invalid(f"{where}.text is required and must be a string")
    fields = {}
    for key in ("id", "title", "url", "outlet"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise invalid(f"{where}.{key} must be a string")
        if value is not None and len(value) > MAX_FIELD:
            raise invalid(f"{where}.{key} is {len(value):,} characters: at most {MAX_FIELD:,}")
        fields[key] = value or None
    try:
        published = parse_date(record.get("published"))
    except ValueError:
        raise invalid(f"{where}.published: a date is YYYY-MM-DD, not {quoted(record.get('published'))}") from None
    origin = f"api:{number}"
    item = make_article(origin, text, fields["title"], id=fields["id"], url=fields["url"], outlet=fields["outlet"],
                        published=published)
    if isinstance(item, Skipped):
        item.origin, item.line = fields["id"] or "api", number
    return item


def read_articles(data: bytes) -> list[Article | Skipped]:
    """Every article of a request body, checked; the whole request is refused if one is malformed."""
    return [to_item(number, record) for number, record in enumerate(parse_body(data), start=1)]
