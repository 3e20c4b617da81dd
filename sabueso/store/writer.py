"""Writing one :class:`~sabueso.core.Extraction` into the store (called inside a transaction).

Every local entity ("e1") becomes an ``entity_records`` row under its name key (type +
normalised name, plus the country for places; see :mod:`.records`), and is resolved across
documents by :func:`.resolution.incremental`: exact names and aliases of compatible types,
acronyms, partial person names, typos and gazetteer links, within the reviewers' judgements.
Mentions, claims, events and quantities are then written with the canonical entity ids and
the local ids they came with (so a later re-resolution can repoint them).
"""
from __future__ import annotations

import json
from typing import Any, Iterable

from sqlalchemy import Connection, Table, bindparam, select

from ..core import Extraction, stable_id
from ..ontology import get_ontology
from . import canon, records, resolution
from .bulk import insert_rows
from .canon import now
from .refs import claim_refs
from .schema import claims, documents, entity_records, events, mentions, quantities

__all__ = ["now", "save_extraction", "save_claims"]


def _label_relations() -> set[str]:
    """Relations whose object is a label (e.g. ACTIVITY), not an entity."""
    onto = get_ontology()
    return {"ACTIVITY"} | {n for n, r in onto.relations.items() if isinstance(r.range, str)}


def _insert_unique(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert the rows of a document saved in this transaction, each id once. Every id hashes
    the document id, and the document row was new (its insert would have failed otherwise),
    so none can be stored already: no look-up needed."""
    unique: dict[str, dict[str, Any]] = {}
    for row in rows:
        unique.setdefault(row["id"], row)
    if unique:
        insert_rows(conn, table, list(unique.values()))
    return len(unique)


def save_document(conn: Connection, x: Extraction) -> None:
    d = x.document
    insert_rows(conn, documents, [dict(
        id=d.id, title=d.title, path=d.path, url=d.url, publisher=d.publisher,
        published=d.published, lang=d.lang, text=d.text, ingested_at=now())])


def save_records(conn: Connection, rows: list[dict]) -> dict[str, int]:
    """Insert the records, resolve them; returns counts (``created``: new entities)."""
    if not rows:
        return {"created": 0}
    insert_rows(conn, entity_records, rows)
    settled, joined = resolution.settle(conn, rows)
    keys = {r["key"] for r in rows} - settled
    if not keys:
        canon.refresh(conn, joined)
        return {"created": 0}
    # the documents' references are written after this, with the resolved ids: no remap
    return resolution.incremental(conn, keys, fresh={r["doc_id"] for r in rows}, refresh=joined)


_LOCAL_IDS = select(entity_records.c.local_id, entity_records.c.entity_id).where(
    entity_records.c.doc_id == bindparam("doc"))


def local_ids(conn: Connection, doc_id: str) -> dict[str, str]:
    return {local: eid for local, eid in conn.execute(_LOCAL_IDS, {"doc": doc_id})}


def save_mentions(conn: Connection, x: Extraction, idmap: dict[str, str]) -> int:
    doc_id = x.document.id
    rows = [{"id": stable_id(doc_id, m.start, m.end, m.entity, prefix="m"), "doc_id": doc_id,
             "entity_id": idmap.get(m.entity), "start": m.start, "end": m.end,
             "text": m.text, "kind": m.kind, "local_id": m.entity or None} for m in x.mentions]
    return _insert_unique(conn, mentions, rows)


def _qualifiers(q: dict[str, Any], idmap: dict[str, str]) -> str:
    out = dict(q or {})
    for key in ("from", "to"):
        if isinstance(out.get(key), str) and out[key] in idmap:
            out[key] = idmap[out[key]]
    return json.dumps(out, ensure_ascii=False, sort_keys=True)


def save_claims(conn: Connection, x: Extraction, idmap: dict[str, str],
                extra: Iterable = ()) -> tuple[int, int]:
    """Insert claims; returns (inserted, skipped: subject not among the entities)."""
    doc_id, labels, rows, skipped = x.document.id, _label_relations(), [], 0
    for c in [*x.claims, *extra]:
        if not c.id:
            c.finalise(doc_id)
        subject = idmap.get(c.subject)
        if subject is None:
            skipped += 1
            continue
        is_entity = c.type not in labels and c.object in idmap
        rows.append({
            "id": c.id, "doc_id": doc_id, "type": c.type, "subject_id": subject,
            "object_id": idmap[c.object] if is_entity else None,
            "object_value": None if is_entity else c.object,
            "modality": c.modality, "attributed_to": c.attributed_to, "since": c.since,
            "until": c.until, "qualifiers": _qualifiers(c.qualifiers, idmap),
            "evidence": c.evidence, "start": c.start, "end": c.end, "extractor": c.extractor,
            "confidence": c.confidence,
            "refs": claim_refs(c.subject, c.object if is_entity else None, c.qualifiers or {},
                               set(idmap))})
    return _insert_unique(conn, claims, rows), skipped


def save_events(conn: Connection, x: Extraction, idmap: dict[str, str]) -> int:
    doc_id, rows = x.document.id, []
    for v in x.events:
        if not v.id:
            v.finalise(doc_id)
        people = [p for p in v.participants if p in idmap]
        place = v.place if v.place in idmap else None
        rows.append({
            "id": v.id, "doc_id": doc_id, "type": v.type, "date": v.date,
            "place_id": idmap.get(place) if place else None,
            "participants": json.dumps(list(dict.fromkeys(idmap[p] for p in people))),
            "casualties": v.casualties, "modality": v.modality,
            "attributed_to": v.attributed_to, "evidence": v.evidence,
            "start": v.start, "end": v.end, "extractor": v.extractor,
            "refs": json.dumps({"place": place, "participants": people})})
    return _insert_unique(conn, events, rows)


def save_quantities(conn: Connection, x: Extraction, idmap: dict[str, str]) -> int:
    doc_id, rows = x.document.id, []
    for q in x.quantities:
        if not q.id:
            q.finalise(doc_id)
        subject = q.subject if q.subject in idmap else None
        rows.append({
            "id": q.id, "doc_id": doc_id, "subject_id": idmap.get(subject) if subject else None,
            "measure": q.measure, "value": float(q.value), "qualifier": q.qualifier,
            "evidence": q.evidence, "start": q.start, "end": q.end, "extractor": q.extractor,
            "confidence": q.confidence, "modality": q.modality, "attributed_to": q.attributed_to,
            "refs": json.dumps({"subject": subject})})
    return _insert_unique(conn, quantities, rows)


def save_extraction(conn: Connection, x: Extraction) -> dict[str, int]:
    """Write everything of one extraction on ``conn`` (the caller owns the transaction)."""
    save_document(conn, x)
    rows, hierarchy = records.build(x)
    resolved = save_records(conn, rows)
    idmap = local_ids(conn, x.document.id)
    n_mentions = save_mentions(conn, x, idmap)
    n_claims, skipped = save_claims(conn, x, idmap, hierarchy)
    return {"documents": 1, "entities": resolved.get("created", 0),
            "entities_resolved": len({idmap[e.id] for e in x.entities if e.id in idmap}),
            "mentions": n_mentions, "claims": n_claims, "claims_skipped": skipped,
            "events": save_events(conn, x, idmap),
            "quantities": save_quantities(conn, x, idmap)}
