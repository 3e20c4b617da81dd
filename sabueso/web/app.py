"""The FastAPI application: JSON API (OpenAPI at ``/docs``) and server-rendered pages.

``create_app(db)`` opens the store (``--db`` URL or file, ``$SABUESO_DB``, ``./sabueso.db``),
refreshes the full-text index and mounts ``static/``. Pages are Jinja2 templates with
autoescaping on; every response carries the strict Content-Security-Policy of
:mod:`.security`, request bodies are limited to ``max_body`` bytes, and with ``auth`` (the
:class:`.auth.Tokens` of ``sabueso serve --auth``) every request needs a token or a login.
The front-end libraries (Cytoscape.js, Leaflet, Swagger UI) are copied into ``static/vendor``
by ``make frontend``; without them the pages still work (the network and map show their
server-rendered lists).
"""
from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..report.wording import confidence_words, label, modality_words, status_words
from .auth import LOGIN_PAGE, AuthMiddleware, Tokens, csrf_for, current_user
from .security import LOOPBACK, MAX_BODY, SecurityMiddleware
from .state import STATIC, WebState

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "templates"


def templates_env() -> Environment:
    loader = ChoiceLoader([FileSystemLoader(str(TEMPLATES)),
                           DictLoader({"login.html": LOGIN_PAGE})])
    env = Environment(loader=loader,
                      autoescape=select_autoescape(["html", "xml"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    from .views import doc_href
    env.globals["doc_href"] = doc_href
    # plain words for codes and modalities (sabueso.report.wording), usable by every page
    env.filters["label"] = label
    env.filters["modality_words"] = modality_words
    env.filters["status_words"] = status_words
    env.filters["low_confidence"] = confidence_words
    env.filters["short"] = lambda v, n=80: (v if v is None or len(v) <= n else v[:n - 1] + "…")
    return env


def create_app(db=None, store=None, reviewer: str | None = None,
               allowed_hosts: tuple[str, ...] | None = None, auth: Tokens | None = None,
               max_body: int = MAX_BODY) -> FastAPI:
    """The app over ``store`` (or the store opened from ``db``).

    ``allowed_hosts``: Host header names accepted (None: any; ``sabueso serve`` passes the
    loopback names and the host it binds). ``auth``: the tokens that may use the app (None:
    anyone who can reach it). ``max_body``: the largest request body accepted (413 beyond).
    """
    if store is None:
        from ..store import Store, resolve_db_url
        store = Store.open(resolve_db_url(db))
    state = WebState(store, reviewer=reviewer)
    try:
        state.search.refresh()
    except Exception as exc:  # a broken index never stops the app: search falls back
        log.warning("could not build the search index: %s", exc)
        state.search.fts = False

    app = FastAPI(title="Sabueso", version=__version__,
                  description="Evidence-backed knowledge graphs from reporting on organized "
                              "crime. Every claim keeps its document, sentence and modality.",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.state.web = state
    app.state.auth = auth
    app.state.templates = templates_env()
    app.add_middleware(AuthMiddleware, tokens=auth)              # inner: runs second
    app.add_middleware(SecurityMiddleware, allowed_hosts=allowed_hosts, max_body=max_body)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    from . import routes_api, routes_pages, routes_review
    app.include_router(routes_api.router)
    app.include_router(routes_pages.router)
    app.include_router(routes_review.router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith(("/api/", "/static/")) or exc.status_code < 400:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        return render(request, "error.html", {"status": exc.status_code, "message": exc.detail},
                      status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.errors()}, status_code=422)
        return render(request, "error.html", {"status": 422, "message": "Invalid request: " +
                                              "; ".join(str(e.get("msg")) for e in exc.errors())},
                      status_code=422)

    return app


def render(request: Request, template: str, context: dict, status_code: int = 200
           ) -> HTMLResponse:
    """Render a page template (autoescaped) with the app's common context."""
    state: WebState = request.app.state.web
    env: Environment = request.app.state.templates
    user = current_user(request)
    ctx = {"request": request, "csrf": csrf_for(request), "vendor": state.vendor(),
           "reviewer": user.name or request.cookies.get("sabueso_reviewer") or state.reviewer,
           "user": user, "auth": request.app.state.auth is not None,
           "path": request.url.path + (("?" + request.url.query) if request.url.query else ""),
           **context}
    return HTMLResponse(env.get_template(template).render(ctx), status_code=status_code)


def loopback_hosts(host: str) -> tuple[str, ...] | None:
    """Host names to accept when serving on ``host``: loopback names, plus ``host`` itself;
    None (any) when bound to every interface."""
    if host in ("0.0.0.0", "::", ""):
        return None
    return tuple(dict.fromkeys((*LOOPBACK, host)))
