"""One JSON error shape for every error the server sends.

    {"error": {"status": 422, "code": "invalid_parameter", "message": "one line: what and what to do"}}

`ApiError` is what the routes raise; `install(app)` turns it, Starlette's
HTTP errors (404 unknown route, 405 wrong method) and FastAPI's validation
errors (422) into that shape. Unexpected exceptions become a 500 in the same
shape in `middleware.Guard`, which also sets the security headers. Messages
never carry a traceback; a value the client sent is quoted, shortened and
JSON-escaped like every other string (see `SafeJSONResponse`).
"""
from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

CODES = {400: "bad_request", 401: "token_required", 403: "token_invalid", 404: "not_found",
         405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type", 422: "invalid_parameter",
         500: "internal_error", 503: "busy"}


class ApiError(Exception):
    """An error the client can act on: an HTTP status, a stable code and one line saying what to do."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


class SafeJSONResponse(JSONResponse):
    """JSON with <, > and & escaped (\\u003c ...): the same strings once parsed, never markup if
    someone serves or sniffs the bytes as HTML. NaN is refused (it is not JSON)."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode("utf-8")


def error_body(status: int, code: str, message: str) -> dict:
    return {"error": {"status": status, "code": code, "message": message}}


def error_response(status: int, code: str | None, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return SafeJSONResponse(error_body(status, code or CODES.get(status, f"http_{status}"), message),
                            status_code=status, headers=headers)


def quoted(value: Any, limit: int = 60) -> str:
    """A client's value for a message: repr-quoted and cut to `limit` characters."""
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return repr(text if len(text) <= limit else text[:limit] + "…")


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    method, path = request.method, request.url.path
    if exc.status_code == 404:
        message = (f"no such endpoint: {method} {quoted(path, 80)}; the API is listed at /api/docs"
                   if exc.detail in (None, "Not Found") else str(exc.detail))
    elif exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        message = f"{method} is not allowed on {quoted(path, 80)}" + (f": use {allowed}" if allowed else "")
    else:
        message = str(exc.detail)
    headers = {k: v for k, v in (exc.headers or {}).items() if k.lower() == "allow"}
    return error_response(exc.status_code, None, message, headers or None)


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """The first problem, as one line naming the parameter (`limit`, `by`) and what it must be."""
    problems = exc.errors()
    first = problems[0] if problems else {}
    loc = [str(part) for part in first.get("loc", ())]
    where, name = (loc[0], ".".join(loc[1:])) if len(loc) > 1 else ("request", ".".join(loc))
    kind = {"query": "query parameter", "path": "path parameter", "header": "header", "body": "body field"}.get(where, where)
    if first.get("type") == "missing":
        message = f"{kind} '{name}' is required"
    else:
        message = f"{kind} '{name}': {first.get('msg', 'invalid value')}"
        if "input" in first:
            message += f" (got {quoted(first['input'])})"
    if len(problems) > 1:
        message += f"; and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''}"
    return error_response(422, "invalid_parameter", message)


async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc.status, exc.code, exc.message, exc.headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
