"""Read-only queries the web app needs beyond the Store API (documents list, one claim,
the review queue, the entities a document names). SQLAlchemy Core over the store's tables."""
from __future__ import annotations

import json

from sqlalchemy import case, func, select

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


def review_queue(store, statuses: dict[str, dict], status: str = "open",
                 modality: str | None = None, limit: int = 50, offset: int = 0
                 ) -> tuple[list[dict], int]:
    """Claims to review: hedged, then reported, denied and asserted; unreviewed first.

    ``status``: ``open`` (not yet reviewed), ``confirmed``, ``rejected`` or ``all``.
    Returns (one page of claims, the total matching).
    """
    order = case(MODALITY_ORDER, value=func.coalesce(claims.c.modality, "asserted"), else_=9)
    q = _claims_select()
    if modality:
        q = q.where(func.coalesce(claims.c.modality, "asserted") == modality)
    reviewed = sorted(statuses)
    wanted = sorted(k for k, v in statuses.items() if v["status"] == status)
    if status == "open" and reviewed:
        q = q.where(claims.c.id.not_in(reviewed))
    elif status in ("confirmed", "rejected"):
        q = q.where(claims.c.id.in_(wanted or [""]))
    q = q.order_by(order, claims.c.doc_id, claims.c.start, claims.c.id)
    with store.engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(q.subquery()))
        rows = conn.execute(q.limit(limit).offset(offset)).all()
        names = _names(conn, [i for r in rows for i in (r.subject_id, r.object_id)])
        return [_claim_dict(r, names) for r in rows], int(total or 0)


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
