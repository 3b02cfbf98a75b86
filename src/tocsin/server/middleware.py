"""`Guard`: the outermost layer of the app, around every request.

  * security headers on every response (CSP, nosniff, no referrer), errors included;
  * the request body is capped: a Content-Length over `max_body` is answered
    413 before a byte is read, and a body that grows past it while streaming
    (chunked, or a lying Content-Length) stops with 413 when it does;
  * the Host header must be one of `allowed_hosts` when given (the CLI gives
    the loopback names when bound to loopback), so a web page on another
    site cannot reach the server through DNS rebinding;
  * an unexpected exception becomes a 500 in the one error shape (logged
    with its traceback here, never sent to the client).
"""
from __future__ import annotations

import logging

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import ApiError, error_response, quoted

log = logging.getLogger("tocsin.server")

SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "object-src 'none'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def too_large(limit: int) -> ApiError:
    return ApiError(413, "too_large", f"request body over {limit:,} bytes: send fewer or shorter articles "
                                      "per request (the server's --max-body)")


class Guard:
    def __init__(self, app: ASGIApp, max_body: int, allowed_hosts: tuple[str, ...] | None = None):
        self.app, self.max_body = app, max_body
        self.allowed_hosts = {h.lower() for h in allowed_hosts} if allowed_hosts else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        refusal = self._refusal(Headers(scope=scope))
        if refusal is not None:
            await error_response(refusal.status, refusal.code, refusal.message)(scope, receive, send_secured)
            return
        seen = 0

        async def receive_capped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise too_large(self.max_body)
            return message

        try:
            await self.app(scope, receive_capped, send_secured)
        except ApiError as err:  # raised by receive_capped outside a route's own handling
            if started:
                raise
            await error_response(err.status, err.code, err.message)(scope, receive, send_secured)
        except Exception:
            log.exception("tocsin server: unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = error_response(500, "internal_error", "the server failed on this request (a bug, logged "
                                                              "on the server); please report it")
            await response(scope, receive, send_secured)

    def _refusal(self, headers: Headers) -> ApiError | None:
        if self.allowed_hosts is not None:
            host = headers.get("host", "")
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name.lower() not in self.allowed_hosts:
                return ApiError(400, "bad_host", f"Host {quoted(host)} is not served here: open the server by "
                                                 f"its own address ({', '.join(sorted(self.allowed_hosts))})")
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                return ApiError(400, "bad_request", f"Content-Length {quoted(length)} is not a number")
            if int(length) > self.max_body:
                return too_large(self.max_body)
        return None
