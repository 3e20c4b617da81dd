"""Optional login for the web app: bearer tokens with roles, and a session cookie.

Tokens come from ``sabueso serve --auth FILE`` (one ``ROLE:TOKEN`` or ``ROLE:TOKEN:NAME`` per
line, ``#`` comments), ``--auth-token ROLE:TOKEN`` options or ``$SABUESO_TOKENS`` (the same
specs, separated by commas or whitespace). Roles, each including the ones before it:

* ``reader``: every page and every read of the API;
* ``editor``: also review actions (confirm/reject a claim, merge entities);
* ``admin``: also maintenance (rebuild the search index, the integrity check).

With tokens configured, every request but the login page and ``static/`` must carry
``Authorization: Bearer TOKEN`` or the ``sabueso_session`` cookie set by ``/login``
(HttpOnly, SameSite=Strict, signed with a per-process secret, so a restart logs everyone
out). Without one the API answers 401 and pages redirect to ``/login``; a role too low for
the request is answered 403. Writes need ``editor`` unless listed otherwise, so a new write
route is closed to readers by default. A token with a NAME records judgements under that
name, whatever the form says. Without tokens (the default, on loopback) everyone is admin.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse

from .security import WRITES

ROLES = ("reader", "editor", "admin")
ENV_VAR = "SABUESO_TOKENS"
COOKIE = "sabueso_session"
SESSION_SECONDS = 12 * 3600
MIN_TOKEN = 16
ADMIN_PATHS = ("/api/search/reindex", "/api/admin/check")
_TOKEN = re.compile(r"^[A-Za-z0-9._~+/=-]+$")


class AuthConfigError(ValueError):
    """A token specification that cannot be used (unknown role, short or odd token)."""


@dataclass(frozen=True)
class User:
    role: str
    name: str | None = None
    index: int = -1

    def can(self, role: str) -> bool:
        return self.role in ROLES and ROLES.index(self.role) >= ROLES.index(role)


OPEN = User("admin")          # everyone, when no tokens are configured
ANONYMOUS = User("none")      # not logged in, with tokens configured: may do nothing


def parse_spec(spec: str, where: str = "token") -> tuple[str, str, str | None]:
    """``ROLE:TOKEN[:NAME]`` → (role, token, name)."""
    role, _, rest = spec.strip().partition(":")
    token, _, name = rest.partition(":")
    role, token, name = role.strip().lower(), token.strip(), " ".join(name.split()) or None
    if role not in ROLES:
        raise AuthConfigError(f"{where}: unknown role {role!r} (use {', '.join(ROLES)}; "
                              "the form is ROLE:TOKEN or ROLE:TOKEN:NAME)")
    if len(token) < MIN_TOKEN or not _TOKEN.match(token):
        raise AuthConfigError(f"{where}: a token needs at least {MIN_TOKEN} characters from "
                              "A-Z a-z 0-9 . _ ~ + / = - (try: python -c \"import secrets; "
                              "print(secrets.token_urlsafe(24))\")")
    return role, token, name


class Tokens:
    """The configured tokens (kept as SHA-256 digests) and the session signer."""

    def __init__(self, specs: list[tuple[str, str, str | None]]):
        if not specs:
            raise AuthConfigError("no tokens given")
        if len({t for _, t, _ in specs}) != len(specs):
            raise AuthConfigError("the same token is given twice")
        self._entries = [(hashlib.sha256(t.encode()).digest(), User(r, n, i))
                         for i, (r, t, n) in enumerate(specs)]
        self._secret = secrets.token_bytes(32)

    def __len__(self) -> int:
        return len(self._entries)

    def roles(self) -> list[str]:
        return sorted({u.role for _, u in self._entries}, key=ROLES.index)

    def check(self, token: str | None) -> User | None:
        if not token:
            return None
        digest = hashlib.sha256(token.encode()).digest()
        found = None
        for known, user in self._entries:       # compare with every entry: constant time
            if hmac.compare_digest(known, digest):
                found = user
        return found

    def _sign(self, index: int, expires: int) -> str:
        msg = f"{index}.{expires}.".encode() + self._entries[index][0]
        return hmac.new(self._secret, msg, hashlib.sha256).hexdigest()

    def session(self, user: User, now: float | None = None) -> str:
        expires = int((time.time() if now is None else now) + SESSION_SECONDS)
        return f"{user.index}.{expires}.{self._sign(user.index, expires)}"

    def from_session(self, value: str | None, now: float | None = None) -> User | None:
        parts = (value or "").split(".")
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
            return None
        index, expires = int(parts[0]), int(parts[1])
        if index >= len(self._entries) or expires < (time.time() if now is None else now):
            return None
        if not hmac.compare_digest(self._sign(index, expires), parts[2]):
            return None
        return self._entries[index][1]

    def identify(self, headers: Headers, cookies: dict[str, str]) -> User | None:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return self.check(token.strip())
        return self.from_session(cookies.get(COOKIE))


def load_tokens(file: str | os.PathLike | None = None, specs: list[str] | tuple = (),
                env: str | None = None) -> Tokens | None:
    """Tokens from a file, ``ROLE:TOKEN`` specs and the environment value; None when none."""
    found: list[tuple[str, str, str | None]] = []
    if file:
        path = Path(file)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise AuthConfigError(f"{path}: cannot read the tokens file ({exc})") from None
        for n, line in enumerate(lines, 1):
            if line.strip() and not line.lstrip().startswith("#"):
                found.append(parse_spec(line, f"{path}:{n}"))
    found += [parse_spec(s, "--auth-token") for s in specs]
    found += [parse_spec(s, f"${ENV_VAR}") for s in re.split(r"[\s,]+", env or "") if s]
    return Tokens(found) if found else None


def required_role(method: str, path: str) -> str | None:
    """The least role a request needs (None: open to anyone)."""
    if path.startswith("/static/") or path == "/login":
        return None
    if path in ADMIN_PATHS:
        return "admin"
    if path == "/logout":
        return "reader"
    return "editor" if method in WRITES else "reader"


def current_user(request: Request) -> User:
    user = getattr(request.state, "user", None)
    if user is not None:
        return user
    return OPEN if request.app.state.auth is None else ANONYMOUS


def csrf_for(request: Request) -> str:
    """The CSRF token of forms: bound to the login session when there is one."""
    base = request.app.state.web.csrf
    session = request.cookies.get(COOKIE)
    if request.app.state.auth is None or not session:
        return base
    return hmac.new(base.encode(), session.encode(), hashlib.sha256).hexdigest()


def reviewer_for(request: Request, given: str | None) -> str | None:
    """Judgements of a named token are recorded under its name."""
    return current_user(request).name or given


class AuthMiddleware:
    """Sets ``request.state.user``; answers 401/redirect/403 before any route runs."""

    def __init__(self, app, tokens: Tokens | None):
        self.app, self.tokens = app, tokens

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.tokens is None:
            if scope["type"] == "http":
                scope.setdefault("state", {})["user"] = OPEN
            return await self.app(scope, receive, send)
        request = Request(scope)
        user = self.tokens.identify(request.headers, request.cookies)
        scope.setdefault("state", {})["user"] = user
        need = required_role(scope["method"], scope["path"])
        api = scope["path"].startswith("/api/") or scope["path"] == "/openapi.json"
        if need is None or (user is not None and user.can(need)):
            return await self.app(scope, receive, send)
        if user is None:
            if not api and scope["method"] in ("GET", "HEAD"):
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                response = RedirectResponse(f"/login?next={quote(target, safe='')}", 303)
            else:
                response = _refusal(request, api, 401, "Authentication required: log in at "
                                    "/login or send Authorization: Bearer TOKEN.")
                response.headers["WWW-Authenticate"] = 'Bearer realm="sabueso"'
        else:
            response = _refusal(request, api, 403, f"This needs the {need} role; your token "
                                f"has the {user.role} role.")
        await response(scope, receive, send)


def _refusal(request: Request, api: bool, status: int, message: str):
    if api:
        return JSONResponse({"detail": message}, status_code=status)
    from .app import render
    return render(request, "error.html", {"status": status, "message": message},
                  status_code=status)


LOGIN_PAGE = """{% extends "base.html" %}
{% block title %}Log in — Sabueso{% endblock %}
{% block main %}
<h1>Log in</h1>
{% if error %}<p class="error">{{ error }}</p>{% endif %}
{% if user %}<p>Logged in as {{ user.name or user.role }} ({{ user.role }}).</p>
<form method="post" action="/logout"><input type="hidden" name="csrf" value="{{ csrf }}">
<button type="submit">Log out</button></form>
{% else %}<form method="post" action="/login">
  <input type="hidden" name="csrf" value="{{ csrf }}"><input type="hidden" name="next" value="{{ next }}">
  <label>Access token <input type="password" name="token" required autocomplete="current-password"></label>
  <button type="submit">Log in</button>
</form>{% endif %}
{% endblock %}
"""
