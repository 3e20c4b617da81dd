"""Reviewers' judgements as training examples (``sabueso judgements export``).

One example per judged claim, its judgements folded into one verdict
(:func:`.claim_judging.verdicts`): the document (id, title, language and full text, so a
file of examples is enough to train from), the evidence sentence and its character offsets,
the subject and object as this document names them (every name and alias, the type, the
character spans of their mentions), the claim as extracted, and the judged label
(``valid``: confirmed or corrected / rejected; the corrected ``type`` and ``modality``, or the
claim's own where not corrected). One example per merge and not-same judgement: the two names
with their types and whether they are the same entity. See ``docs/judgements.md``.
"""
from __future__ import annotations

import json
from typing import Iterator

from sqlalchemy import Connection, select

from .claim_judging import verdicts
from .judging import list_judgements
from .schema import claims, documents, entity_records, mentions

FORMAT = "sabueso-judgement/1"
CHUNK = 500


def _side(conn: Connection, doc_id: str, local_id: str | None, entity_id: str | None) -> dict | None:
    if not local_id and not entity_id:
        return None
    q = select(entity_records).where(entity_records.c.doc_id == doc_id)
    q = q.where(entity_records.c.local_id == local_id) if local_id else \
        q.where(entity_records.c.entity_id == entity_id)
    r = conn.execute(q.limit(1)).first()
    if r is None:
        return {"name": None, "names": [], "type": None, "entity_id": entity_id, "mentions": []}
    names = list(dict.fromkeys([r.name, *json.loads(r.aliases or "[]")]))
    spans = [[s, e] for s, e in conn.execute(
        select(mentions.c.start, mentions.c.end).where(mentions.c.doc_id == doc_id,
                                                       mentions.c.local_id == r.local_id)
        .order_by(mentions.c.start))]
    return {"name": r.name, "names": names, "type": r.type, "entity_id": r.entity_id,
            "local_id": r.local_id, "mentions": spans}


def claim_examples(conn: Connection, stats: dict | None = None) -> Iterator[dict]:
    """One example per judged claim still stored, by document; ``stats`` counts what was
    left out (``missing``: judged claims no longer in the store)."""
    judged = verdicts(list_judgements(conn))
    ids = sorted(judged)
    rows = []
    for i in range(0, len(ids), CHUNK):
        rows += conn.execute(select(claims).where(claims.c.id.in_(ids[i:i + CHUNK]))).all()
    if stats is not None:
        stats["missing"] = len(ids) - len(rows)
    rows.sort(key=lambda r: (r.doc_id, r.start or 0, r.id))
    doc = None
    for r in rows:
        if doc is None or doc["id"] != r.doc_id:
            d = conn.execute(select(documents.c.id, documents.c.title, documents.c.path,
                                    documents.c.lang, documents.c.text)
                             .where(documents.c.id == r.doc_id)).first()
            doc = {"id": d.id, "title": d.title or d.path, "lang": d.lang, "text": d.text}
        v = judged[r.id]
        refs = json.loads(r.refs or "{}")
        yield {
            "format": FORMAT, "kind": "claim", "document": doc,
            "evidence": r.evidence, "start": r.start, "end": r.end,
            "subject": _side(conn, r.doc_id, refs.get("subject"), r.subject_id),
            "object": _side(conn, r.doc_id, refs.get("object"), r.object_id),
            "claim": {"id": r.id, "type": r.type, "modality": r.modality or "asserted",
                      "attributed_to": r.attributed_to, "object_value": r.object_value,
                      "confidence": r.confidence, "extractor": r.extractor},
            "label": {"valid": v["valid"], "status": v["status"],
                      "type": v["type"] or r.type,
                      "modality": v["modality"] or r.modality or "asserted"},
            "judgements": v["ids"], "reviewer": v["reviewer"], "at": v["at"], "note": v["note"],
        }


def _named(conn: Connection, key: str | None) -> dict | None:
    if not key:
        return None
    r = conn.execute(select(entity_records.c.name, entity_records.c.type,
                            entity_records.c.aliases, entity_records.c.entity_id)
                     .where(entity_records.c.key == key).limit(1)).first()
    if r is None:
        return {"key": key, "name": None, "names": [], "type": None}
    return {"key": key, "name": r.name, "type": r.type, "entity_id": r.entity_id,
            "names": list(dict.fromkeys([r.name, *json.loads(r.aliases or "[]")]))}


def entity_examples(conn: Connection) -> Iterator[dict]:
    """One example per merge / not-same judgement (the names judged one entity, or not)."""
    for j in list_judgements(conn):
        if j["kind"] in ("merge", "not_same"):
            yield {"format": FORMAT, "kind": "entity_pair", "a": _named(conn, j["a"]),
                   "b": _named(conn, j["b"]), "label": {"same": j["kind"] == "merge"},
                   "judgements": [j["id"]], "reviewer": j["reviewer"], "at": j["created_at"],
                   "note": j["note"]}
