"""Security headers and request checks of the web app (a pure ASGI middleware).

* A strict Content-Security-Policy on every response, errors included: scripts, styles,
  images, fonts and fetches from this server only; no inline script or style, no eval, no
  framing, forms post back here only. All JavaScript lives in ``static/``.
* Writes (POST, PUT, PATCH, DELETE) are refused when the ``Origin`` header names another
  site (an opaque ``null`` origin is left to the next two checks). HTML forms must carry the
  app's CSRF token (a hidden ``csrf`` field); the JSON API must be called with
  ``Content-Type: application/json`` (which a foreign page cannot send without a CORS
  preflight, and this app answers none).
* The Host header is checked against the allowed names (loopback by default) to stop DNS
  rebinding.
* Request bodies are limited (``MAX_BODY``, 1 MB by default): a larger ``Content-Length`` is
  answered 413 at once, and a chunked body is read at most that far before the same answer.
"""
from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse

CSP = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
])
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
MAX_BODY = 1024 * 1024


def host_only(value: str) -> str:
    value = (value or "").strip().lower()
    if value.startswith("["):                       # [::1]:8000
        return value.split("]")[0] + "]"
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def check_token(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


def safe_next(value: str | None, default: str = "/") -> str:
    """A redirect target on this site only (a path, never ``//host`` or a scheme)."""
    value = (value or "").strip()
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    if any(ord(ch) < 32 for ch in value):
        return default
    return value


class _TooLarge(Exception):
    pass


async def read_body(receive, limit: int) -> bytes | None:
    """The whole request body, or None when the client went away; _TooLarge past ``limit``."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        body = message.get("body", b"")
        size += len(body)
        if size > limit:
            raise _TooLarge
        chunks.append(body)
        if not message.get("more_body", False):
            return b"".join(chunks)


class SecurityMiddleware:
    """Host, origin, content-type and body-size checks; security headers on every answer."""

    def __init__(self, app, allowed_hosts: tuple[str, ...] | None = None,
                 max_body: int = MAX_BODY):
        self.app = app
        self.allowed_hosts = {host_only(h) for h in allowed_hosts} if allowed_hosts else None
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        static = scope["path"].startswith("/static/")
        started = False

        async def secure_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for k, v in HEADERS.items():
                    headers.setdefault(k, v)
                if not static:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        async def refuse(text: str, status: int):
            await PlainTextResponse(text, status_code=status)(scope, receive, secure_send)

        headers = Headers(scope=scope)
        host = host_only(headers.get("host", ""))
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            return await refuse("Invalid host header", 400)
        method = scope["method"]
        if method in WRITES:
            origin = headers.get("origin")
            if origin and origin != "null" and host_only(urlsplit(origin).netloc) != host:
                return await refuse("Cross-origin request refused", 403)
            ctype = headers.get("content-type", "").split(";")[0].strip().lower()
            if scope["path"].startswith("/api/") and ctype != "application/json":
                return await refuse("The JSON API takes Content-Type: application/json", 415)
        length = headers.get("content-length")
        if length is not None:
            if not length.strip().isdigit():
                return await refuse("Invalid Content-Length", 400)
            if int(length) > self.max_body:
                return await refuse(f"Request body too large (limit {self.max_body} bytes)", 413)
        if method in WRITES or length is not None or "transfer-encoding" in headers:
            try:
                body = await read_body(receive, self.max_body)
            except _TooLarge:
                return await refuse(f"Request body too large (limit {self.max_body} bytes)", 413)
            if body is None:
                return None
            receive = _replay(body, receive)
        try:
            await self.app(scope, receive, secure_send)
        except Exception:
            if not started:   # a 500 with the security headers; the error is still logged
                await refuse("Internal Server Error", 500)
            raise


def _replay(body: bytes, receive):
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()
    return replay
