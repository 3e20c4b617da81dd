"""Security headers and request checks of the web app.

* A strict Content-Security-Policy on every response: scripts, styles, images, fonts and
  fetches from this server only; no inline script or style, no eval, no framing, forms post
  back here only. All JavaScript lives in ``static/``.
* Writes (POST, PUT, PATCH, DELETE) are refused when the ``Origin`` header names another
  site (an opaque ``null`` origin is left to the next two checks). HTML forms must carry the app's CSRF token (a hidden ``csrf`` field); the JSON API
  must be called with ``Content-Type: application/json`` (which a foreign page cannot send
  without a CORS preflight, and this app answers none).
* The Host header is checked against the allowed names (loopback by default) to stop DNS
  rebinding.
"""
from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
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


class SecurityMiddleware(BaseHTTPMiddleware):
    def __init__(self, app, allowed_hosts: tuple[str, ...] | None = None):
        super().__init__(app)
        self.allowed_hosts = {host_only(h) for h in allowed_hosts} if allowed_hosts else None

    async def dispatch(self, request: Request, call_next):
        host = host_only(request.headers.get("host", ""))
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            return self._secure(PlainTextResponse("Invalid host header", status_code=400))
        if request.method in WRITES:
            origin = request.headers.get("origin")
            if origin and origin != "null" and host_only(urlsplit(origin).netloc) != host:
                return self._secure(PlainTextResponse("Cross-origin request refused",
                                                      status_code=403))
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if request.url.path.startswith("/api/") and ctype != "application/json":
                return self._secure(PlainTextResponse(
                    "The JSON API takes Content-Type: application/json", status_code=415))
        return self._secure(await call_next(request))

    @staticmethod
    def _secure(response):
        for k, v in HEADERS.items():
            response.headers.setdefault(k, v)
        return response
