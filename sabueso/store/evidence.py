"""Corroboration and conflicts across documents.

A *fact* is a claim's type with its canonical ends: subject, and object entity or value
(the ends of a symmetric relation in a fixed order). :func:`support_query` counts, per fact,
the distinct documents and publishers that state it in any voice but denial (a document with
no publisher counts as its own publisher) and the documents that deny it.

:func:`conflicts` lists contradictions: a fact stated in one document and denied in another
(one that does not also state it),
and two different leaders of one group over overlapping periods (a missing bound is open;
claims with no date at all only with ``undated=True``, as they overlap everything).
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import Connection, and_, case, func, literal, or_, select, true

from ..ontology import get_ontology
from .schema import claims, documents

DENIED = "denied"
EXCLUSIVE = ("LEADER_OF",)


def _ends():
    sym = sorted(get_ontology().symmetric)
    obj = func.coalesce(claims.c.object_id, literal("=") + func.coalesce(claims.c.object_value, ""))
    swap = and_(claims.c.type.in_(sym), claims.c.subject_id > obj)
    return (case((swap, obj), else_=claims.c.subject_id).label("s"),
            case((swap, claims.c.subject_id), else_=obj).label("o"))


def support_query(entity_ids: list[str] | None = None):
    """Select: type, s, o, documents, publishers, denied_documents (one row per fact).
    With ``entity_ids``, only facts touching those entities are grouped (index lookups)."""
    s, o = _ends()
    stated = claims.c.modality != DENIED
    publisher = func.coalesce(func.lower(func.trim(documents.c.publisher)),
                              literal("doc:") + claims.c.doc_id)
    return (select(claims.c.type, s, o,
                   func.count(func.distinct(case((stated, claims.c.doc_id)))).label("documents"),
                   func.count(func.distinct(case((stated, publisher)))).label("publishers"),
                   func.count(func.distinct(case((~stated, claims.c.doc_id))))
                   .label("denied_documents"))
            .join(documents, documents.c.id == claims.c.doc_id)
            .where(or_(claims.c.subject_id.in_(entity_ids), claims.c.object_id.in_(entity_ids))
                   if entity_ids is not None else true())
            .group_by(claims.c.type, s, o))


def claim_support(conn: Connection, claim_ids: Iterable[str]) -> dict[str, dict[str, int]]:
    """claim id -> {documents, publishers, denied_documents} of its fact."""
    ids = list(dict.fromkeys(claim_ids))
    if not ids:
        return {}
    s, o = _ends()
    mine = {}
    for part in [ids[i:i + 500] for i in range(0, len(ids), 500)]:
        for cid, t, ss, oo in conn.execute(select(claims.c.id, claims.c.type, s, o)
                                           .where(claims.c.id.in_(part))):
            mine[cid] = (t, ss, oo)
    subjects = sorted({k[1] for k in mine.values()})
    facts = {}
    for part in [subjects[i:i + 500] for i in range(0, len(subjects), 500)]:
        sq = support_query(part).subquery()
        for r in conn.execute(select(sq).where(sq.c.s.in_(part))):
            facts[(r.type, r.s, r.o)] = {"documents": r.documents, "publishers": r.publishers,
                                        "denied_documents": r.denied_documents}
    return {cid: facts.get(k, {"documents": 0, "publishers": 0, "denied_documents": 0})
            for cid, k in mine.items()}


def _claim(r) -> dict:
    return {"id": r.id, "doc_id": r.doc_id, "doc_title": r.title, "publisher": r.publisher,
            "modality": r.modality, "evidence": r.evidence, "since": r.since, "until": r.until}


def _with_doc():
    return select(claims, documents.c.title, documents.c.publisher).join(
        documents, documents.c.id == claims.c.doc_id)


def _bound(value: str | None, high: bool) -> str:
    if not value or not value[:4].isdigit():
        return "9999" if high else ""
    return (value + "-99-99")[:10] if high else value


def _overlap(a, b) -> bool:
    return (_bound(a.since, False) <= _bound(b.until, True)
            and _bound(b.since, False) <= _bound(a.until, True))


def conflicts(conn: Connection, undated: bool = False) -> list[dict]:
    out: list[dict] = []
    sq = support_query().subquery()
    disputed = conn.execute(select(sq).where(sq.c.documents > 0, sq.c.denied_documents > 0)).all()
    s, o = _ends()
    for f in disputed:
        rows = conn.execute(_with_doc().where(claims.c.type == f.type, s == f.s, o == f.o)
                            .order_by(claims.c.doc_id, claims.c.start)).all()
        stated = [r for r in rows if r.modality != DENIED]
        denied = [r for r in rows if r.modality == DENIED]
        said = {r.doc_id for r in stated}
        if not said or not {r.doc_id for r in denied} - said:
            continue        # every denying document also states it: not between sources
        out.append({"kind": "denied", "type": f.type, "subject": rows[0].subject_id,
                    "object": rows[0].object_id, "object_value": rows[0].object_value,
                    "stated": [_claim(r) for r in stated], "denied": [_claim(r) for r in denied]})
    for rel in EXCLUSIVE:
        rows = conn.execute(_with_doc().where(claims.c.type == rel, claims.c.modality != DENIED,
                                              claims.c.object_id.is_not(None))
                            .order_by(claims.c.object_id, claims.c.subject_id, claims.c.id)).all()
        by_group: dict[str, list] = {}
        for r in rows:
            by_group.setdefault(r.object_id, []).append(r)
        for group, rs in by_group.items():
            seen = set()
            for i, a in enumerate(rs):
                for b in rs[i + 1:]:
                    pair = (a.subject_id, b.subject_id)
                    dated = bool((a.since or a.until) and (b.since or b.until))
                    if (a.subject_id == b.subject_id or pair in seen or not _overlap(a, b)
                            or not (dated or undated)):
                        continue
                    seen.add(pair)
                    out.append({"kind": "leaders", "type": rel, "object": group,
                                "subjects": list(pair), "claims": [_claim(a), _claim(b)],
                                "dated": dated})
    return out

