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


def _publisher():
    """A claim's publisher key: its document's publisher, trimmed and lower-cased by the
    database; a document with no publisher is its own publisher."""
    return func.coalesce(func.lower(func.trim(documents.c.publisher)),
                         literal("doc:") + claims.c.doc_id)


def fact_columns():
    """Columns ``s``, ``o`` (the fact's canonical ends) and ``publisher_key`` of a claim joined
    with its document, for :func:`tally`."""
    s, o = _ends()
    return s, o, _publisher().label("publisher_key")


def tally(rows) -> dict[tuple, dict[str, int]]:
    """(type, s, o) -> {documents, publishers, denied_documents} over ``rows`` (each with
    ``type``, ``s``, ``o``, ``doc_id``, ``modality`` and ``publisher_key``, see
    :func:`fact_columns`): the same counts as :func:`support_query` when ``rows`` hold every
    claim of those facts. A claim with no modality is counted neither way, as in SQL."""
    groups: dict[tuple, list] = {}
    for r in rows:
        groups.setdefault((r.type, r.s, r.o), []).append(r)
    out = {}
    for key, rs in groups.items():
        stated = [r for r in rs if r.modality is not None and r.modality != DENIED]
        out[key] = {"documents": len({r.doc_id for r in stated}),
                    "publishers": len({r.publisher_key for r in stated}),
                    "denied_documents": len({r.doc_id for r in rs if r.modality == DENIED})}
    return out


def support_query(entity_ids: list[str] | None = None):
    """Select: type, s, o, documents, publishers, denied_documents (one row per fact).
    With ``entity_ids``, only facts touching those entities are grouped (index lookups)."""
    s, o = _ends()
    stated = claims.c.modality != DENIED
    publisher = _publisher()
    return (select(claims.c.type, s, o,
                   func.count(func.distinct(case((stated, claims.c.doc_id)))).label("documents"),
                   func.count(func.distinct(case((stated, publisher)))).label("publishers"),
                   func.count(func.distinct(case((~stated, claims.c.doc_id))))
                   .label("denied_documents"))
            .join(documents, documents.c.id == claims.c.doc_id)
            .where(or_(claims.c.subject_id.in_(entity_ids), claims.c.object_id.in_(entity_ids))
                   if entity_ids is not None else true())
            .group_by(claims.c.type, s, o))


CHUNK = 500


def claim_support(conn: Connection, claim_ids: Iterable[str]) -> dict[str, dict[str, int]]:
    """claim id -> {documents, publishers, denied_documents} of its fact.

    Every claim of a fact has the asked claim's subject at one end and the same type, so only
    those claims are read (by index) and tallied, not every fact of both ends."""
    ids = list(dict.fromkeys(claim_ids))
    if not ids:
        return {}
    s, o, publisher = fact_columns()
    mine: dict[str, tuple] = {}
    anchors: set[tuple[str, str]] = set()
    for part in [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]:
        for cid, t, subj, ss, oo in conn.execute(select(claims.c.id, claims.c.type,
                                                        claims.c.subject_id, s, o)
                                                 .where(claims.c.id.in_(part))):
            mine[cid] = (t, ss, oo)
            anchors.add((t, subj))
    wanted = set(mine.values())
    facts: dict[tuple, dict[str, int]] = {}
    anchors_l = sorted(anchors)
    for part in [anchors_l[i:i + CHUNK // 2] for i in range(0, len(anchors_l), CHUNK // 2)]:
        near = or_(*[and_(claims.c.type == t, end == e) for t, e in part
                     for end in (claims.c.subject_id, claims.c.object_id)])
        q = (select(claims.c.type, claims.c.doc_id, claims.c.modality, s, o, publisher)
             .join(documents, documents.c.id == claims.c.doc_id).where(near))
        rows = [r for r in conn.execute(q) if (r.type, r.s, r.o) in wanted]
        for key, counts in tally(rows).items():
            facts.setdefault(key, counts)
    none = {"documents": 0, "publishers": 0, "denied_documents": 0}
    return {cid: dict(facts.get(k, none)) for cid, k in mine.items()}


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

