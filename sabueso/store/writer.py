"""Writing one :class:`~sabueso.core.Extraction` into the store (called inside a transaction).

Local entity ids ("e1") are resolved to global ones: an entity is reused when one of its names
normalises (:func:`~sabueso.resolve.names.norm_name`) to an alias norm of an existing entity of a
compatible type; otherwise a new entity ``stable_id(type, norm_name(name), prefix="n")`` is made.
Only whole normalised names match, so a shared surname never merges two people.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Iterable

from sqlalchemy import Connection, Table, insert, select, update

from ..core import Entity, Extraction, stable_id
from ..ontology import get_ontology
from ..resolve.names import norm_name
from .schema import aliases, claims, documents, entities, events, mentions, quantities


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _label_relations() -> set[str]:
    """Relations whose object is a label (e.g. ACTIVITY), not an entity."""
    onto = get_ontology()
    return {"ACTIVITY"} | {n for n, r in onto.relations.items() if isinstance(r.range, str)}


def _names(e: Entity) -> dict[str, str]:
    """norm -> first surface form, over the entity's name and aliases (empty norms dropped)."""
    out: dict[str, str] = {}
    for name in e.names():
        key = norm_name(name)
        if key and key not in out:
            out[key] = name
    return out


def _find_existing(conn: Connection, e: Entity, norms: dict[str, str]) -> str | None:
    if not norms:
        return None
    onto = get_ontology()
    rows = conn.execute(
        select(entities.c.id, entities.c.type, aliases.c.norm, entities.c.created_at)
        .join(aliases, aliases.c.entity_id == entities.c.id)
        .where(aliases.c.norm.in_(list(norms)))).all()
    main = norm_name(e.name)
    best = sorted((r for r in rows if onto.compatible(e.type, r.type)),
                  key=lambda r: (r.norm != main, r.type != e.type, r.created_at or "", r.id))
    return best[0].id if best else None


def _add_aliases(conn: Connection, entity_id: str, norms: dict[str, str]) -> int:
    have = set(conn.scalars(select(aliases.c.norm).where(aliases.c.entity_id == entity_id)))
    rows = [{"entity_id": entity_id, "alias": alias, "norm": key}
            for key, alias in norms.items() if key not in have]
    if rows:
        conn.execute(insert(aliases), rows)
    return len(rows)


def resolve_entity(conn: Connection, e: Entity) -> tuple[str, bool]:
    """Global id for a local entity, creating it if needed; returns (id, created)."""
    norms = _names(e)
    gid = _find_existing(conn, e, norms)
    created = False
    if gid is None:
        key = norm_name(e.name) or e.name.strip().casefold()
        gid = stable_id(e.type, key, prefix="n")
        if conn.scalar(select(entities.c.id).where(entities.c.id == gid)) is None:
            conn.execute(insert(entities).values(
                id=gid, type=e.type, name=e.name, place_kind=e.place_kind, country=e.country,
                lat=e.lat, lon=e.lon, created_at=now()))
            created = True
    if not created:  # fill attributes the stored entity still lacks
        row = conn.execute(select(entities).where(entities.c.id == gid)).one()
        fill = {k: getattr(e, k) for k in ("place_kind", "country", "lat", "lon")
                if getattr(row, k) is None and getattr(e, k) is not None}
        if fill:
            conn.execute(update(entities).where(entities.c.id == gid).values(**fill))
    _add_aliases(conn, gid, norms)
    return gid, created


def _insert_new(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows whose id is not stored yet (and not repeated in ``rows``): 'ignore dups'."""
    unique: dict[str, dict[str, Any]] = {}
    for row in rows:
        unique.setdefault(row["id"], row)
    if not unique:
        return 0
    ids = list(unique)
    have: set[str] = set()
    for i in range(0, len(ids), 500):
        have.update(conn.scalars(select(table.c.id).where(table.c.id.in_(ids[i:i + 500]))))
    new = [row for key, row in unique.items() if key not in have]
    if new:
        conn.execute(insert(table), new)
    return len(new)


def save_document(conn: Connection, x: Extraction) -> None:
    d = x.document
    conn.execute(insert(documents).values(
        id=d.id, title=d.title, path=d.path, url=d.url, publisher=d.publisher,
        published=d.published, lang=d.lang, text=d.text, ingested_at=now()))


def save_entities(conn: Connection, x: Extraction) -> tuple[dict[str, str], int]:
    idmap: dict[str, str] = {}
    created = 0
    for e in x.entities:
        idmap[e.id], new = resolve_entity(conn, e)
        created += new
    return idmap, created


def save_mentions(conn: Connection, x: Extraction, idmap: dict[str, str]) -> int:
    doc_id = x.document.id
    rows = [{"id": stable_id(doc_id, m.start, m.end, m.entity, prefix="m"), "doc_id": doc_id,
             "entity_id": idmap.get(m.entity), "start": m.start, "end": m.end,
             "text": m.text, "kind": m.kind} for m in x.mentions]
    return _insert_new(conn, mentions, rows)


def _qualifiers(q: dict[str, Any], idmap: dict[str, str]) -> str:
    out = dict(q or {})
    for key in ("from", "to"):
        if isinstance(out.get(key), str) and out[key] in idmap:
            out[key] = idmap[out[key]]
    return json.dumps(out, ensure_ascii=False, sort_keys=True)


def save_claims(conn: Connection, x: Extraction, idmap: dict[str, str]) -> tuple[int, int]:
    """Insert claims; returns (inserted, skipped: subject not among the entities)."""
    doc_id, labels, rows, skipped = x.document.id, _label_relations(), [], 0
    for c in x.claims:
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
            "evidence": c.evidence, "start": c.start, "end": c.end, "extractor": c.extractor})
    return _insert_new(conn, claims, rows), skipped


def save_events(conn: Connection, x: Extraction, idmap: dict[str, str]) -> int:
    doc_id, rows = x.document.id, []
    for v in x.events:
        if not v.id:
            v.finalise(doc_id)
        participants = [idmap[p] for p in v.participants if p in idmap]
        rows.append({
            "id": v.id, "doc_id": doc_id, "type": v.type, "date": v.date,
            "place_id": idmap.get(v.place) if v.place else None,
            "participants": json.dumps(list(dict.fromkeys(participants))),
            "casualties": v.casualties, "modality": v.modality, "evidence": v.evidence,
            "start": v.start, "end": v.end, "extractor": v.extractor})
    return _insert_new(conn, events, rows)


def save_quantities(conn: Connection, x: Extraction, idmap: dict[str, str]) -> int:
    doc_id, rows = x.document.id, []
    for q in x.quantities:
        if not q.id:
            q.finalise(doc_id)
        rows.append({
            "id": q.id, "doc_id": doc_id, "subject_id": idmap.get(q.subject),
            "measure": q.measure, "value": float(q.value), "qualifier": q.qualifier,
            "evidence": q.evidence, "start": q.start, "end": q.end, "extractor": q.extractor})
    return _insert_new(conn, quantities, rows)


def save_extraction(conn: Connection, x: Extraction) -> dict[str, int]:
    """Write everything of one extraction on ``conn`` (the caller owns the transaction)."""
    save_document(conn, x)
    idmap, created = save_entities(conn, x)
    n_mentions = save_mentions(conn, x, idmap)
    n_claims, skipped = save_claims(conn, x, idmap)
    return {"documents": 1, "entities": created, "entities_resolved": len(set(idmap.values())),
            "mentions": n_mentions, "claims": n_claims, "claims_skipped": skipped,
            "events": save_events(conn, x, idmap),
            "quantities": save_quantities(conn, x, idmap)}
