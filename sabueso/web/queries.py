"""Read-only queries the web app needs beyond the Store API (documents list, one claim,
the review queue, the entities a document names). SQLAlchemy Core over the store's tables."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from ..store.queries import _doc_counts
from ..store.schema import claims, documents, entities, judgements, mentions
from .review import MODALITY_ORDER


def all_judgements(store) -> list[dict]:
    """Every judgement, oldest first (``Store.judgements`` where the store has it)."""
    if hasattr(store, "judgements"):
        return store.judgements()
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(judgements)
                                                        .order_by(judgements.c.id))]


def claim_exists(store, claim_id: str) -> bool:
    with store.engine.connect() as conn:
        return conn.scalar(select(claims.c.id).where(claims.c.id == claim_id)) is not None


def _claim_dict(r, names: dict[str, dict]) -> dict:
    def ref(eid):
        if not eid:
            return None
        e = names.get(eid, {})
        return {"id": eid, "name": e.get("name", eid), "type": e.get("type")}
    obj = ref(r.object_id) or {"id": None, "name": r.object_value, "type": None}
    return {"id": r.id, "type": r.type, "subject": ref(r.subject_id),
            "object": {**obj, "value": r.object_value}, "object_value": r.object_value,
            "modality": r.modality or "asserted", "attributed_to": r.attributed_to,
            "since": r.since, "until": r.until, "qualifiers": json.loads(r.qualifiers or "{}"),
            "evidence": r.evidence, "start": r.start, "end": r.end, "extractor": r.extractor,
            "confidence": r.confidence,
            "doc_id": r.doc_id, "doc_title": r.doc_title or r.doc_path or r.doc_id}


def _names(conn, ids) -> dict[str, dict]:
    ids = sorted({i for i in ids if i})
    out: dict[str, dict] = {}
    for i in range(0, len(ids), 500):
        for r in conn.execute(select(entities.c.id, entities.c.name, entities.c.type)
                              .where(entities.c.id.in_(ids[i:i + 500]))):
            out[r.id] = {"name": r.name, "type": r.type}
    return out


def _claims_select():
    return (select(claims, documents.c.title.label("doc_title"),
                   documents.c.path.label("doc_path"))
            .join(documents, documents.c.id == claims.c.doc_id))


def claim(store, claim_id: str) -> dict | None:
    with store.engine.connect() as conn:
        r = conn.execute(_claims_select().where(claims.c.id == claim_id)).first()
        if r is None:
            return None
        return _claim_dict(r, _names(conn, [r.subject_id, r.object_id]))


def _cites(conn, ids) -> dict[str, int]:
    """Entity id -> number of documents citing it (as the entity pages count them)."""
    ids, out = sorted({i for i in ids if i}), {}
    for i in range(0, len(ids), 500):
        counts = _doc_counts(ids[i:i + 500])
        out.update({r.eid: int(r.n) for r in conn.execute(select(counts.c.eid, counts.c.n))})
    return out


def worth(confidence: float | None, cites: int, modality: str | None) -> tuple:
    """Sort key of the review queue: what a judgement is worth first. The scorer's least sure
    claims (confidence in steps of 0.1; unscored claims after scored ones), then within a step
    the claims about the entities the most documents cite, then hedged, reported, denied,
    asserted."""
    step = min(int(confidence * 10), 9) if confidence is not None else 10
    return (step, -cites, MODALITY_ORDER.get(modality or "asserted", 9))


def review_queue(store, statuses: dict[str, dict], status: str = "open",
                 modality: str | None = None, limit: int = 25, offset: int = 0,
                 rtype: str | None = None, entity_ids: list[str] | None = None,
                 doc_id: str | None = None) -> tuple[list[dict], int]:
    """One page of the claims to review, ordered by :func:`worth`, and the total matching.

    ``status``: ``open`` (not yet judged), ``confirmed``, ``corrected``, ``rejected`` or
    ``all``; ``modality``, ``rtype`` (relation type), ``entity_ids`` (subject or object) and
    ``doc_id`` narrow the queue. Each claim carries its ``confidence`` and ``cites`` (the most
    documents citing its subject or object).
    """
    mod = func.coalesce(claims.c.modality, "asserted")
    q = select(claims.c.id, claims.c.confidence, claims.c.subject_id, claims.c.object_id,
               mod.label("modality"), claims.c.doc_id, claims.c.start)
    if modality:
        q = q.where(mod == modality)
    if rtype:
        q = q.where(claims.c.type == rtype)
    if doc_id:
        q = q.where(claims.c.doc_id == doc_id)
    if entity_ids is not None:
        q = q.where(claims.c.subject_id.in_(entity_ids or [""]) |
                    claims.c.object_id.in_(entity_ids or [""]))
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
        if status == "open":
            rows = [r for r in rows if r.id not in statuses]
        elif status != "all":
            rows = [r for r in rows if statuses.get(r.id, {}).get("status") == status]
        cites = _cites(conn, [i for r in rows for i in (r.subject_id, r.object_id)])
        best = {r.id: max(cites.get(r.subject_id, 0), cites.get(r.object_id, 0)) for r in rows}
        rows.sort(key=lambda r: (*worth(r.confidence, best[r.id], r.modality),
                                 r.doc_id, r.start or 0, r.id))
        page = [r.id for r in rows[offset:offset + limit]]
        full = {r.id: r for r in conn.execute(_claims_select().where(claims.c.id.in_(page or [""])))}
        names = _names(conn, [i for r in full.values() for i in (r.subject_id, r.object_id)])
        items = [{**_claim_dict(full[i], names), "cites": best[i]} for i in page if i in full]
        return items, len(rows)


def list_documents(store, limit: int = 100, offset: int = 0) -> tuple[list[dict], int]:
    cols = (documents.c.id, documents.c.title, documents.c.path, documents.c.url,
            documents.c.publisher, documents.c.published, documents.c.lang,
            documents.c.ingested_at)
    with store.engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(documents))
        n_claims = (select(claims.c.doc_id, func.count().label("n")).group_by(claims.c.doc_id)
                    .subquery())
        q = (select(*cols, func.coalesce(n_claims.c.n, 0).label("claims"))
             .outerjoin(n_claims, n_claims.c.doc_id == documents.c.id)
             .order_by(documents.c.published.desc(), documents.c.title, documents.c.id)
             .limit(limit).offset(offset))
        return [dict(r._mapping) for r in conn.execute(q)], int(total or 0)


def document_entities(store, doc_id: str) -> list[dict]:
    """The entities a document names, most mentioned first."""
    with store.engine.connect() as conn:
        q = (select(entities.c.id, entities.c.name, entities.c.type,
                    func.count(mentions.c.id).label("mentions"))
             .join(mentions, mentions.c.entity_id == entities.c.id)
             .where(mentions.c.doc_id == doc_id)
             .group_by(entities.c.id, entities.c.name, entities.c.type)
             .order_by(func.count(mentions.c.id).desc(), entities.c.name))
        return [dict(r._mapping) for r in conn.execute(q)]
