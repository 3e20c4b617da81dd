"""Server-rendered pages: home, search, entities, entity (profile, network, map, timeline,
claims), documents (evidence highlighted) and the API docs (the review queue: routes_review).

Everything readable is rendered on the server (JavaScript only adds the interactive network
and the map); review actions are plain HTML forms carrying the CSRF token, answered by a
redirect back (303), so they work with JavaScript disabled. With tokens configured
(:mod:`.auth`), ``/login`` sets the session cookie and ``/logout`` clears it.
"""
from __future__ import annotations

from typing import Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse

from ..report.profile import nothing_on
from ..report.wording import LOW_CONFIDENCE, kept
from . import docview, queries, searching, views
from .app import render
from .auth import COOKIE as SESSION, SESSION_SECONDS, OPEN, csrf_for, current_user
from .review import MODALITY_ORDER
from .security import check_token, safe_next

router = APIRouter(include_in_schema=False)
PAGE = 50
MAX_PAGE = 10**9           # page * PAGE stays far below SQLite's 2**63 (was an HTTP 500)


def _state(request: Request):
    return request.app.state.web


def _check_csrf(request: Request, token: str | None) -> None:
    if not check_token(csrf_for(request), token):
        raise HTTPException(403, "The form has expired or did not come from this app: reload "
                                 "the page and try again.")


@router.get("/")
def home(request: Request):
    store = _state(request).store
    groups = store.list_entities("CriminalGroup")[:25]
    people = store.list_entities("Person")[:15]
    docs, total_docs = queries.list_documents(store, limit=10)
    return render(request, "home.html", {"stats": store.stats(), "groups": groups,
                                         "people": people, "documents": docs,
                                         "total_docs": total_docs})


@router.get("/search")
def search(request: Request, q: str = Query("", max_length=500),
           type: Optional[str] = Query(None, max_length=64),
           country: Optional[str] = Query(None, max_length=64)):
    state = _state(request)
    choices = searching.facets(state)
    type = type if type in choices["types"] else None
    country = country if country in {c for c, _ in choices["countries"]} else None
    found = searching.run(state, q, 25, type=type, country=country) if q.strip() else {}
    hits = found.get("hits", {})
    statuses = state.snapshot().statuses if hits.get("claim") else {}
    # no entity of that name or alias: say so, with the closest names (never a silent pick)
    named = [h for h in hits.get("entity", []) if h.get("exact")]
    closest = [h for h in hits.get("entity", []) if h.get("score") and not h.get("exact")][:5]
    return render(request, "search.html", {
        "q": q, "hits": hits, "statuses": statuses, "named": named, "closest": closest,
        "did_you_mean": found.get("did_you_mean"), "type": type,
        "did_you_mean_href": "/search?" + urlencode({k: v for k, v in (
            ("q", found.get("did_you_mean")), ("type", type), ("country", country)) if v}), "country": country,
        "choices": choices, "country_label": dict(choices["countries"]).get(country),
        "engine": "FTS5" if state.search.fts else "LIKE"})


@router.get("/entities")
def entities(request: Request, type: Optional[str] = None, q: Optional[str] = None):
    store = _state(request).store
    if q and q.strip():
        items = [e for e in store.find_entities(q, limit=100) if not type or e["type"] == type]
    else:
        items = store.list_entities(type or None)
    types = sorted({e["type"] for e in store.list_entities()})
    return render(request, "entities.html", {"items": items[:1000], "total": len(items),
                                             "type": type, "q": q or "", "types": types})


@router.get("/entity/{entity_id}")
def entity(request: Request, entity_id: str, merged: Optional[str] = None,
           low: str = Query("show", pattern="^(show|hide)$")):
    """``low=hide`` leaves out claims and figures the learned scorer gives less than
    :data:`~sabueso.report.wording.LOW_CONFIDENCE` (they are shown, marked, by default)."""
    state = _state(request)
    e = state.store.entity(entity_id)
    if e is None:
        raise HTTPException(404, f"No entity {entity_id}.")
    if e["id"] != entity_id:          # an id merged away since: its entity now
        return RedirectResponse(f"/entity/{e['id']}", status_code=307)
    snap = state.snapshot()
    if entity_id not in snap.graph:
        raise HTTPException(404, f"No entity {entity_id}.")
    hide = LOW_CONFIDENCE if low == "hide" else None
    prof = views.profile(snap, entity_id, state.store, hide)
    claims = [{**c, "review": snap.statuses.get(c["id"])}
              for c in state.store.entity_claims(entity_id) if kept(c.get("confidence"), hide)]
    claims.sort(key=lambda c: (c["type"], MODALITY_ORDER.get(c["modality"] or "asserted", 9)))
    same_type = state.store.merge_candidates(e)
    places = views.places(snap.graph, entity_id)
    empty = prof["empty"] + ([] if places["points"] or places["unplaced"] else ["places"])
    return render(request, "entity.html", {
        "entity": e, "profile": prof, "claims": claims, "places": places,
        "nothing": nothing_on(empty),
        "same_type": same_type, "merged": merged, "low": low, "low_bar": LOW_CONFIDENCE,
        "graph_api": f"/api/entities/{entity_id}/graph"})


@router.get("/documents")
def documents(request: Request, page: int = Query(1, ge=1, le=MAX_PAGE)):
    items, total = queries.list_documents(_state(request).store, PAGE, (page - 1) * PAGE)
    return render(request, "documents.html", {"items": items, "total": total, "page": page,
                                              "pages": max(1, -(-total // PAGE))})


@router.get("/document/{doc_id}")
def document(request: Request, doc_id: str, start: Optional[int] = Query(None, ge=0),
             end: Optional[int] = Query(None, ge=0), claim: Optional[str] = None):
    state = _state(request)
    d = state.store.document(doc_id)
    if d is None:
        raise HTTPException(404, f"No document {doc_id}.")
    text = d.get("text") or ""
    evidence = None
    if claim:
        c = queries.claim(state.store, claim)
        if c and c["doc_id"] == doc_id:
            start, end, evidence = c["start"], c["end"], c["evidence"]
    span = views.evidence_span(text, start, end, evidence)
    ments = docview.document_mentions(state.store, doc_id, len(text))
    statuses = state.snapshot().statuses
    doc_claims = docview.document_claims(state.store, doc_id, statuses)
    return render(request, "document.html", {
        "doc": {**d, "url": views.safe_url(d.get("url"))},
        "body": docview.markup(text, ments, doc_claims, span), "span": span,
        "claims": doc_claims, "types": docview.legend_types(ments),
        "entities": queries.document_entities(state.store, doc_id)})


@router.get("/docs")
def api_docs(request: Request):
    return render(request, "docs.html", {})


# -- login (only meaningful with tokens configured; see auth.py) ------------------------------
def _login_page(request: Request, status: int = 200, **context):
    return render(request, "login.html", {"next": "/", "error": None, "user": None, **context},
                  status_code=status)


@router.get("/login")
def login_form(request: Request, next: str = Query("/", max_length=2000)):
    user = getattr(request.state, "user", None) if request.app.state.auth else OPEN
    return _login_page(request, next=safe_next(next), user=user)


@router.post("/login")
def login(request: Request, token: str = Form(""), csrf: str = Form(""), next: str = Form("/")):
    tokens = request.app.state.auth
    if not (check_token(_state(request).csrf, csrf) or check_token(csrf_for(request), csrf)):
        return _login_page(request, 403, next=safe_next(next),
                           error="The form has expired: reload the page and try again.")
    user = tokens.check(token.strip()) if tokens else OPEN
    if user is None:
        return _login_page(request, 401, next=safe_next(next), error="Unknown token.")
    resp = RedirectResponse(safe_next(next), status_code=303)
    if tokens is not None:
        resp.set_cookie(SESSION, tokens.session(user), max_age=SESSION_SECONDS, httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")
    return resp


@router.get("/logout")
def logout_form(request: Request):
    return _login_page(request, user=current_user(request))


@router.post("/logout")
def logout(request: Request, csrf: str = Form("")):
    _check_csrf(request, csrf)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION, httponly=True, samesite="strict")
    return resp
