"""The review queue's pages and forms: ``/review`` (ordered by what a judgement is worth,
paged, filtered by status, entity, relation type, modality and document), the claim actions
(confirm, reject, correct the type or modality), undo, merge and the reviewer's name.

Forms are plain HTML carrying the CSRF token, answered by a redirect (303), so they work
without JavaScript. After an action on the review page the redirect carries ``done=ID``: the
page then says what was done, with an Undo button that deletes that judgement. The reviewer's
name is asked once and kept in a cookie; rows carry no name box.
"""
from __future__ import annotations

from typing import Optional
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse

from ..core import MODALITIES
from ..ontology import get_ontology, relation_label
from . import queries
from .app import render
from .auth import csrf_for, reviewer_for
from .review import DONE, ReviewError, clean_reviewer, describe, feedback, merge_entities, \
    model_info, review_claim, undo
from .views import doc_href
from .security import check_token, safe_next

router = APIRouter(include_in_schema=False)
COOKIE = "sabueso_reviewer"
PAGE = 25
MAX_PAGE = 10**9
STATUSES = (("open", "To review"), ("confirmed", "Confirmed"), ("corrected", "Corrected"),
            ("rejected", "Rejected"), ("all", "All"))
FEEDBACK = ("done", "undone", "claim")
CLAIM_KINDS = ("confirm", "reject", "correct_type", "correct_modality")
#: judgement kinds in words (the recent judgements table)
KINDS = {**DONE, "merge": "Merged", "not_same": "Kept apart", "split": "Split",
         "correct_type": "Relation corrected", "correct_modality": "Modality corrected"}


def _state(request: Request):
    return request.app.state.web


def _check_csrf(request: Request, token: str | None) -> None:
    if not check_token(csrf_for(request), token):
        raise HTTPException(403, "The form has expired or did not come from this app: reload "
                                 "the page and try again.")


def _back(target: str, reviewer: str | None) -> RedirectResponse:
    resp = RedirectResponse(target, status_code=303)
    if reviewer:
        resp.set_cookie(COOKIE, reviewer, httponly=True, samesite="strict",
                        max_age=3600 * 24 * 365)
    return resp


def _reviewer(request: Request, given: str | None) -> str | None:
    """The form's name, else the remembered one (cookie), else the server's default; a named
    token's name always wins."""
    return reviewer_for(request, (given or "").strip() or request.cookies.get(COOKIE)
                        or _state(request).reviewer)


def with_params(target: str, **params) -> str:
    """``target`` (a local path) without earlier feedback parameters, plus ``params``."""
    parts = urlsplit(target)
    kept = [(k, v) for k, v in parse_qsl(parts.query) if k not in FEEDBACK and k not in params]
    kept += [(k, str(v)) for k, v in params.items() if v is not None]
    return parts.path + ("?" + urlencode(kept) if kept else "")


def _relation_types() -> list[tuple[str, str]]:
    return sorted(((k, relation_label(k)) for k in get_ontology().relations), key=lambda t: t[1])


def _entity_filter(store, ref: str | None) -> tuple[list[str] | None, list[dict]]:
    """Entity ids an entity filter names (an id, or a name or alias written in full)."""
    ref = (ref or "").strip()
    if not ref:
        return None, []
    e = store.entity(ref)
    if e is not None:
        return [e["id"]], [e]
    found = [f for f in store.find_entities(ref, limit=20) if f.get("score") == 100]
    return [f["id"] for f in found], found


def _item(c: dict, review: dict | None, rtypes: list[tuple[str, str]]) -> dict:
    """A queue row: the claim in plain words, its verdict, the relation types it may be
    corrected to (those that fit its subject's and object's types)."""
    relations = get_ontology().relations
    fits = [(k, label) for k, label in rtypes if c["object"].get("id") and k not in (
        "ACTIVITY", c["type"]) and relations[k].accepts(c["subject"]["type"], c["object"]["type"])]
    if review and review.get("type"):
        review = {**review, "type_label": relation_label(review["type"])}
    return {**c, "review": review, "label": relation_label(c["type"]), "fits": fits}


def _recent(store, rows: list[dict]) -> list[dict]:
    """The newest judgements, newest first, each claim's described in words."""
    out = []
    for j in reversed(rows):
        c = queries.claim(store, j["a"]) if j["kind"] in CLAIM_KINDS else None
        out.append({**j, "about": describe(c) if c else None,
                    "href": doc_href(c["doc_id"], c["start"], c["end"]) if c else None})
    return out


def _pages(page: int, pages: int) -> list[int | None]:
    """Page numbers to link: the first, the last and two either side (None: a gap)."""
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


@router.get("/review")
def review_page(request: Request, status: str = Query("open"),
                modality: Optional[str] = None, type: Optional[str] = Query(None, max_length=64),
                entity: Optional[str] = Query(None, max_length=300),
                doc: Optional[str] = Query(None, max_length=64),
                page: int = Query(1, ge=1, le=MAX_PAGE), done: Optional[int] = Query(None, ge=1),
                undone: Optional[str] = Query(None, max_length=32),
                claim: Optional[str] = Query(None, max_length=64)):
    state = _state(request)
    status = status if status in dict(STATUSES) else "open"
    modality = modality if modality in MODALITIES else None
    rtype = type if type in get_ontology().relations else None
    doc = doc or None
    entity_ids, entity_found = _entity_filter(state.store, entity)
    snap = state.snapshot()
    items, total = queries.review_queue(state.store, snap.statuses, status, modality, PAGE,
                                        (page - 1) * PAGE, rtype=rtype, entity_ids=entity_ids,
                                        doc_id=doc)
    rtypes = _relation_types()
    items = [_item(c, snap.statuses.get(c["id"]), rtypes) for c in items]
    filters = {"status": status, "modality": modality, "type": rtype, "entity": entity or None,
               "doc": doc}
    pages = max(1, -(-total // PAGE))

    def link(**change) -> str:
        params = {k: v for k, v in {**filters, "page": None, **change}.items() if v}
        return "/review" + ("?" + urlencode(params) if params else "")

    docs, _ = queries.list_documents(state.store, limit=300)
    return render(request, "review.html", {
        "items": items, "total": total, "page": page, "pages": pages,
        "page_links": [(n, link(page=n) if n else None) for n in _pages(page, pages)],
        "link": link, "filters": filters, "statuses": STATUSES, "modalities": MODALITIES,
        "relation_types": rtypes, "documents": docs,
        "entity_found": entity_found, "entity_missing": bool(entity and not entity_ids),
        "feedback": feedback(state.store, done, undone, claim),
        "recent": _recent(state.store, snap.judgements[-15:]), "model": model_info(),
        "kind_labels": KINDS, "relation_label": relation_label,
        "here": link(page=page if page > 1 else None)})


@router.post("/review/claims/{claim_id}")
def review_claim_form(request: Request, claim_id: str, action: str = Form(...),
                      value: str = Form(""), reviewer: str = Form(""), note: str = Form(""),
                      csrf: str = Form(""), next: str = Form("/review")):
    _check_csrf(request, csrf)
    state = _state(request)
    try:
        out = review_claim(state.store, claim_id, action, _reviewer(request, reviewer), note,
                           value or None)
    except ReviewError as exc:
        raise HTTPException(404 if "no claim" in str(exc) else 400, str(exc))
    state.invalidate()
    target = safe_next(next, "/review")
    if urlsplit(target).path == "/review":       # the queue says what was done, with Undo
        return _back(with_params(target.split("#")[0], done=out["id"]) + "#feedback",
                     out["reviewer"])
    return _back(f"{target.split('#')[0]}#claim-{claim_id}", out["reviewer"])


@router.post("/review/undo/{jid}")
def undo_form(request: Request, jid: int, csrf: str = Form(""), next: str = Form("/review")):
    """Delete a judgement (the reviewer's Undo); back to the page, saying so."""
    _check_csrf(request, csrf)
    state = _state(request)
    try:
        out = undo(state.store, jid)
    except ReviewError as exc:
        raise HTTPException(404, str(exc))
    state.invalidate()
    claim_id = out["a"] if out["kind"] not in ("merge", "not_same", "split") else None
    target = safe_next(next, "/review").split("#")[0]
    return _back(with_params(target, undone=out["kind"], claim=claim_id) + "#feedback", None)


@router.post("/review/merge")
def merge_form(request: Request, a: str = Form(...), b: str = Form(...),
               reviewer: str = Form(""), note: str = Form(""), csrf: str = Form(""),
               next: str = Form("/review")):
    _check_csrf(request, csrf)
    state = _state(request)
    try:
        out = merge_entities(state.store, a, b, _reviewer(request, reviewer), note)
    except ReviewError as exc:
        raise HTTPException(400, str(exc))
    state.invalidate()
    now = (out.get("now") or [None])[0]
    target = f"/entity/{now}?merged=1" if now else safe_next(next, "/review")
    return _back(target, out["reviewer"])


@router.post("/review/reviewer")
def set_reviewer(request: Request, reviewer: str = Form(""), csrf: str = Form(""),
                 next: str = Form("/review")):
    """Remember who is reviewing (a cookie), so that no action form asks again."""
    _check_csrf(request, csrf)
    try:
        name = clean_reviewer(reviewer_for(request, reviewer))
    except ReviewError as exc:
        raise HTTPException(400, str(exc))
    return _back(safe_next(next, "/review"), name)
