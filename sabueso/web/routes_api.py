"""The JSON API (``/api/...``; OpenAPI schema at ``/openapi.json``, browsable at ``/docs``).

Reads: entities, one entity with its claims/events/quantities, its network neighbourhood,
places and timeline, documents, claims, search, the review queue and the judgements.
Writes (``Content-Type: application/json``): review a claim (confirm, reject, correct its
type or modality), undo a judgement, merge two entities (editor role when tokens are
configured), rebuild the search index (admin). Every review action is a
judgement with its reviewer and time. ``/api/whoami`` tells the caller's role;
``/api/admin/check`` runs the integrity checks of ``sabueso check`` (admin).
"""
from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter, HTTPException, Path, Query, Request
from pydantic import BaseModel, Field

from ..analyze.timeline import timeline
from . import queries, views
from .auth import current_user, reviewer_for
from .review import ReviewError, merge_entities, review_claim, undo
from .search import KINDS

#: beyond it SQLite overflows (HTTP 500); no store holds that many rows: 422 instead
MAX_OFFSET = 10**12

router = APIRouter(prefix="/api", tags=["api"])


class ClaimReview(BaseModel):
    action: Literal["confirm", "reject", "correct_type", "correct_modality"] = Field(
        description="confirm or reject the claim, or correct its relation type or modality")
    value: Optional[str] = Field(default=None, max_length=64, description=(
        "the corrected relation type (e.g. BASED_IN) or modality (asserted, reported, hedged, "
        "denied); only for correct_type and correct_modality"))
    reviewer: str = Field(min_length=1, max_length=100, description="who reviews")
    note: Optional[str] = Field(default=None, max_length=2000)


class MergeRequest(BaseModel):
    a: str = Field(min_length=1, description="entity id, older id or exact name")
    b: str = Field(min_length=1, description="entity id, older id or exact name")
    reviewer: str = Field(min_length=1, max_length=100)
    note: Optional[str] = Field(default=None, max_length=2000)


def _state(request: Request):
    return request.app.state.web


def _entity_or_404(state, entity_id: str) -> dict:
    e = state.store.entity(entity_id)
    if e is None:
        raise HTTPException(404, f"no entity {entity_id}")
    return e


def _with_review(items: list[dict], statuses: dict) -> list[dict]:
    return [{**c, "review": statuses.get(c["id"])} for c in items]


@router.get("/stats", summary="Row counts of the store's tables")
def stats(request: Request) -> dict:
    return _state(request).store.stats()


@router.get("/entities", summary="List entities (by type), or find them by name or alias")
def list_entities(request: Request, type: Optional[str] = None,
                  q: Optional[str] = Query(None, description="a name or alias (fuzzy)"),
                  limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> dict:
    store = _state(request).store
    if q:
        found = [e for e in store.find_entities(q, limit=limit + offset)
                 if not type or e["type"] == type]
        return {"total": len(found), "items": found[offset:offset + limit]}
    items = store.list_entities(type)
    return {"total": len(items), "items": items[offset:offset + limit]}


@router.get("/entities/{entity_id}", summary="One entity with its claims, events and quantities")
def entity(request: Request, entity_id: str) -> dict:
    state = _state(request)
    e = _entity_or_404(state, entity_id)
    snap = state.snapshot()
    return {**e, "claims": _with_review(state.store.entity_claims(e["id"]), snap.statuses),
            "events": state.store.entity_events(e["id"]),
            "quantities": state.store.entity_quantities(e["id"])}


@router.get("/entities/{entity_id}/graph",
            summary="Network neighbourhood (Cytoscape elements; rejected claims left out)")
def graph(request: Request, entity_id: str, depth: int = Query(1, ge=1, le=3)) -> dict:
    state = _state(request)
    e = _entity_or_404(state, entity_id)
    snap = state.snapshot()
    if e["id"] not in snap.graph:
        raise HTTPException(404, f"no entity {entity_id}")
    return views.graph_json(snap.graph, e["id"], snap.statuses, depth)


@router.get("/entities/{entity_id}/places", summary="Places tied to an entity, for the map")
def places(request: Request, entity_id: str) -> dict:
    state = _state(request)
    e = _entity_or_404(state, entity_id)
    return views.places(state.snapshot().graph, e["id"])


@router.get("/entities/{entity_id}/timeline", summary="Dated events and claims, oldest first")
def entity_timeline(request: Request, entity_id: str) -> list[dict]:
    state = _state(request)
    e = _entity_or_404(state, entity_id)
    g = state.snapshot().graph
    return timeline(g, e["id"]) if e["id"] in g else []


@router.get("/documents", summary="Documents, newest first")
def documents(request: Request, limit: int = Query(100, ge=1, le=1000),
              offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> dict:
    items, total = queries.list_documents(_state(request).store, limit, offset)
    return {"total": total, "items": items}


@router.get("/documents/{doc_id}", summary="One document with its text")
def document(request: Request, doc_id: str) -> dict:
    state = _state(request)
    d = state.store.document(doc_id)
    if d is None:
        raise HTTPException(404, f"no document {doc_id}")
    return {**d, "entities": queries.document_entities(state.store, doc_id)}


@router.get("/claims/{claim_id}", summary="One claim with its review status")
def claim(request: Request, claim_id: str) -> dict:
    state = _state(request)
    c = queries.claim(state.store, claim_id)
    if c is None:
        raise HTTPException(404, f"no claim {claim_id}")
    return {**c, "review": state.snapshot().statuses.get(claim_id)}


@router.post("/claims/{claim_id}/review",
             summary="Confirm, reject or correct (type, modality) a claim (a judgement)")
def review(request: Request, claim_id: str, body: ClaimReview) -> dict:
    state = _state(request)
    try:
        out = review_claim(state.store, claim_id, body.action, reviewer_for(request, body.reviewer),
                           body.note, body.value)
    except ReviewError as exc:
        raise HTTPException(404 if "no claim" in str(exc) else 400, str(exc))
    state.invalidate()
    return out


@router.post("/entities/merge", summary="Merge two entities (a judgement, applied at once)")
def merge(request: Request, body: MergeRequest) -> dict:
    state = _state(request)
    try:
        out = merge_entities(state.store, body.a, body.b, reviewer_for(request, body.reviewer),
                             body.note)
    except ReviewError as exc:
        raise HTTPException(400, str(exc))
    state.invalidate()
    return out


@router.get("/review/queue", summary="Claims to review: the least sure first, then the "
                                      "most-cited entities")
def queue(request: Request,
          status: Literal["open", "confirmed", "corrected", "rejected", "all"] = "open",
          modality: Optional[Literal["asserted", "reported", "hedged", "denied"]] = None,
          type: Optional[str] = Query(None, max_length=64, description="a relation type"),
          entity: Optional[str] = Query(None, max_length=64, description="an entity id "
                                                                        "(subject or object)"),
          doc: Optional[str] = Query(None, max_length=64, description="a document id"),
          limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> dict:
    state = _state(request)
    statuses = state.snapshot().statuses
    ids = None
    if entity:
        e = state.store.entity(entity)
        ids = [e["id"]] if e else []
    items, total = queries.review_queue(state.store, statuses, status, modality, limit, offset,
                                        rtype=type, entity_ids=ids, doc_id=doc)
    return {"total": total, "items": _with_review(items, statuses)}


@router.get("/judgements", summary="Every reviewer judgement, oldest first")
def judgements(request: Request) -> list[dict]:
    return queries.all_judgements(_state(request).store)


@router.post("/judgements/{jid}/undo", summary="Undo a judgement (deleted from the store)")
def undo_judgement(request: Request, jid: int = Path(ge=1, le=2**62)) -> dict:
    state = _state(request)
    try:
        out = undo(state.store, jid)
    except ReviewError as exc:
        raise HTTPException(404, str(exc))
    state.invalidate()
    return out


@router.get("/search", summary="Full-text search over documents, entities and claims")
def search(request: Request, q: str = Query(..., min_length=1, max_length=500),
           kind: Optional[Literal["entity", "document", "claim"]] = None,
           limit: int = Query(20, ge=1, le=200)) -> dict:
    state = _state(request)
    hits = state.search.search(q, limit, (kind,) if kind else KINDS)
    statuses = state.snapshot().statuses
    for c in hits.get("claim", []):
        c["review"] = statuses.get(c["ref"])
    return {"query": q, "engine": "fts5" if state.search.fts else "like",
            "results": {k: [{**h, "title_html": str(h["title_html"]),
                             "snippet": str(h["snippet"])} for h in v] for k, v in hits.items()}}


@router.post("/search/reindex", summary="Rebuild the full-text index now")
def reindex(request: Request) -> dict:
    state = _state(request)
    rebuilt = state.search.refresh(force=True)
    return {"engine": "fts5" if state.search.fts else "like", "rebuilt": rebuilt}


@router.get("/whoami", summary="The caller's role (and name, for a named token)")
def whoami(request: Request) -> dict:
    user = current_user(request)
    return {"role": user.role, "name": user.name, "auth": request.app.state.auth is not None}


@router.get("/admin/check", summary="Integrity checks of the database (as `sabueso check`)")
def integrity(request: Request) -> dict:
    from ..analyze.integrity import check_store
    return check_store(_state(request).store).to_dict()
