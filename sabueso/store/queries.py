"""Read queries of the store; every function takes an open connection and returns plain dicts."""
from __future__ import annotations

import json
from typing import Any, Iterable

from rapidfuzz import fuzz, process
from sqlalchemy import Connection, func, or_, select, union

from ..resolve.names import norm_name
from .evidence import fact_columns, tally
from .schema import aliases, claims, documents, entities, entity_records, events, mentions, quantities

CHUNK = 500          # ids per IN list (bound parameters are limited per statement)
GAZ = "gazetteer"


def _doc_counts(ids: list[str] | None = None):
    """Subquery: entity_id -> number of distinct documents naming it (records, mentions,
    claims; what the gazetteer adds about a place's state and country does not count).
    With ``ids``, each branch is restricted to those entities (index lookups, not scans)."""
    own = claims.c.extractor.is_(None) | (claims.c.extractor != GAZ)

    def only(col):
        return col.in_(ids) if ids is not None else True
    pairs = union(
        select(entity_records.c.entity_id.label("eid"), entity_records.c.doc_id)
        .where((entity_records.c.origin.is_(None) | (entity_records.c.origin != GAZ))
               & only(entity_records.c.entity_id)),
        select(mentions.c.entity_id.label("eid"), mentions.c.doc_id).where(only(mentions.c.entity_id)),
        select(claims.c.subject_id.label("eid"), claims.c.doc_id).where(own & only(claims.c.subject_id)),
        select(claims.c.object_id.label("eid"), claims.c.doc_id).where(own & only(claims.c.object_id)),
    ).subquery()
    return (select(pairs.c.eid, func.count(func.distinct(pairs.c.doc_id)).label("n"))
            .where(pairs.c.eid.is_not(None)).group_by(pairs.c.eid).subquery())


def _entity_select(ids: list[str] | None = None):
    counts = _doc_counts(ids)
    return (select(entities, func.coalesce(counts.c.n, 0).label("documents"))
            .outerjoin(counts, counts.c.eid == entities.c.id))


def _to_dicts(conn: Connection, rows: Iterable[Any]) -> list[dict]:
    rows = list(rows)
    names: dict[str, list[str]] = {r.id: [] for r in rows}
    if names:
        q = (select(aliases.c.entity_id, aliases.c.alias).where(aliases.c.entity_id.in_(names))
             .order_by(aliases.c.id))
        for eid, alias in conn.execute(q):
            names[eid].append(alias)
    return [{"id": r.id, "type": r.type, "name": r.name, "aliases": names[r.id],
             "place_kind": r.place_kind, "country": r.country, "lat": r.lat, "lon": r.lon,
             "geo_id": r.geo_id, "admin_level": r.admin_level,
             "documents": int(r.documents)} for r in rows]


def entities_by_id(conn: Connection, ids: Iterable[str]) -> dict[str, dict]:
    ids = list(dict.fromkeys(i for i in ids if i))
    if not ids:
        return {}
    rows = conn.execute(_entity_select(ids).where(entities.c.id.in_(ids)))
    return {d["id"]: d for d in _to_dicts(conn, rows)}


def current_id(conn: Connection, entity_id: str) -> str:
    """The id of the entity now holding ``entity_id`` (an older id is one of its name keys)."""
    if conn.scalar(select(entities.c.id).where(entities.c.id == entity_id)) is not None:
        return entity_id
    eid = conn.scalar(select(entity_records.c.entity_id)
                      .where(entity_records.c.key == entity_id).limit(1))
    return eid or entity_id


def entity(conn: Connection, entity_id: str) -> dict | None:
    """An entity by id; an id merged away since leads to the entity that absorbed it."""
    entity_id = current_id(conn, entity_id)
    return entities_by_id(conn, [entity_id]).get(entity_id)


def list_entities(conn: Connection, type: str | None = None) -> list[dict]:
    q = _entity_select()
    if type:
        q = q.where(entities.c.type == type)
    q = q.order_by(q.selected_columns.documents.desc(), entities.c.name, entities.c.id)
    return _to_dicts(conn, conn.execute(q))


def find_entities(conn: Connection, query: str, limit: int = 10, type: str | None = None,
                  country: str | None = None) -> list[dict]:
    """Exact normalised name or alias matches first (score 100), then typo-tolerant ones
    through the name index (:func:`.namefind.find`: a word typed with one or two slips, a
    prefix, a missing short word), best first; optionally of one ``type`` and ``country``."""
    from .namefind import find
    return find(conn, query, limit, type, country)


def lookup(conn: Connection, query: str, suggest: int = 5) -> tuple[list[dict], list[dict]]:
    """(entities named ``query``, closest other names): an id (or one merged away since), an
    exact name or alias (after normalisation: case, accents, a leading article), else no
    entity and up to ``suggest`` fuzzy suggestions, never picked silently."""
    query = (query or "").strip()
    if not query:
        return [], []
    by_id = entity(conn, query)
    if by_id is not None:
        return [{**by_id, "score": 100.0}], []
    found = find_entities(conn, query, limit=max(suggest, 1) + 5)
    exact = [f for f in found if f["score"] >= 100.0]
    return (exact, []) if exact else ([], found[:suggest])


def merge_candidates(conn: Connection, entity: dict, limit: int = 300) -> list[dict]:
    """Entities of ``entity``'s type to offer for a merge (id, name): the names most like its
    own first (rapidfuzz over that type's aliases), then the others by name. No document
    counts: cheap on a store of any size."""
    same = select(aliases.c.norm, aliases.c.entity_id).join(
        entities, entities.c.id == aliases.c.entity_id).where(entities.c.type == entity["type"])
    pairs = [(n, e) for n, e in conn.execute(same) if e != entity["id"]]
    key = norm_name(entity["name"]) or entity["name"].casefold()
    ranked: list[str] = []
    for _c, _score, idx in process.extract(key, [n for n, _ in pairs], scorer=fuzz.WRatio,
                                           score_cutoff=70, limit=limit):
        if pairs[idx][1] not in ranked:
            ranked.append(pairs[idx][1])
    rest = conn.execute(select(entities.c.id).where(entities.c.type == entity["type"],
                                                    entities.c.id != entity["id"])
                        .order_by(entities.c.name, entities.c.id).limit(limit)).scalars()
    ids = list(dict.fromkeys([*ranked, *rest]))[:limit]
    names = entity_names(conn, ids)
    return [{"id": i, "name": names[i]["name"]} for i in ids if i in names]


def _doc_fields(row: Any) -> dict:
    return {"doc_id": row.doc_id, "doc_title": row.doc_title, "doc_path": row.doc_path,
            "doc_url": row.doc_url, "publisher": row.publisher}


def _with_doc(table):
    return (select(table, documents.c.title.label("doc_title"),
                   documents.c.path.label("doc_path"), documents.c.url.label("doc_url"),
                   documents.c.publisher)
            .join(documents, documents.c.id == table.c.doc_id))


def _ref(ents: dict[str, dict], eid: str | None) -> dict | None:
    if not eid:
        return None
    e = ents.get(eid, {})
    return {"id": eid, "name": e.get("name"), "type": e.get("type")}


def _json_object(value: str | None) -> dict:
    return {} if not value or value == "{}" else json.loads(value)


def entity_names(conn: Connection, ids: Iterable[str]) -> dict[str, dict]:
    """id -> {name, type} of the given entities (what a claim's or event's other end shows;
    no aliases or document counts, which would mean reading every claim of a hub neighbour)."""
    ids = list(dict.fromkeys(i for i in ids if i))
    out: dict[str, dict] = {}
    for part in [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]:
        q = select(entities.c.id, entities.c.name, entities.c.type).where(entities.c.id.in_(part))
        out.update({r.id: {"name": r.name, "type": r.type} for r in conn.execute(q)})
    return out


def entity_claims(conn: Connection, entity_id: str) -> list[dict]:
    """Every claim with ``entity_id`` at either end, oldest document first, each with its
    other ends' names and the corroboration (``support``) of its fact.

    Every claim of a fact touching the entity has the entity at one end, so the support is
    tallied from these same rows (:func:`~sabueso.store.evidence.tally`), not by grouping
    the claims of every neighbour."""
    fact_s, fact_o, publisher = fact_columns()
    q = (_with_doc(claims).add_columns(fact_s, fact_o, publisher)
         .where(or_(claims.c.subject_id == entity_id, claims.c.object_id == entity_id))
         .order_by(documents.c.published, claims.c.doc_id, claims.c.start, claims.c.id))
    rows = conn.execute(q).all()
    ents = entity_names(conn, [i for r in rows for i in (r.subject_id, r.object_id)])
    facts = tally(rows)
    out = []
    for r in rows:
        obj = _ref(ents, r.object_id) or {"id": None, "name": r.object_value, "type": None}
        out.append({
            "id": r.id, "type": r.type, "subject": _ref(ents, r.subject_id),
            "object": {**obj, "value": r.object_value}, "object_value": r.object_value,
            "modality": r.modality, "attributed_to": r.attributed_to, "since": r.since,
            "until": r.until, "qualifiers": _json_object(r.qualifiers),
            "evidence": r.evidence, "start": r.start, "end": r.end,
            "extractor": r.extractor, "confidence": r.confidence,
            "support": dict(facts[(r.type, r.s, r.o)]),
            **_doc_fields(r)})
    return out


def entity_events(conn: Connection, entity_id: str) -> list[dict]:
    like = "%" + json.dumps(entity_id) + "%"
    # an event's participants are named in its document: look only at those documents
    docs = union(select(mentions.c.doc_id).where(mentions.c.entity_id == entity_id),
                 select(claims.c.doc_id).where(claims.c.subject_id == entity_id),
                 select(claims.c.doc_id).where(claims.c.object_id == entity_id)).subquery()
    q = (_with_doc(events)
         .where(or_(events.c.place_id == entity_id,
                    events.c.doc_id.in_(select(docs.c.doc_id)) & events.c.participants.like(like)))
         .order_by(events.c.date, events.c.doc_id, events.c.start, events.c.id))
    rows = [(r, json.loads(r.participants or "[]")) for r in conn.execute(q)]
    rows = [(r, ps) for r, ps in rows if r.place_id == entity_id or entity_id in ps]
    ents = entity_names(conn, [i for r, ps in rows for i in (r.place_id, *ps)])
    return [{"id": r.id, "type": r.type, "date": r.date, "place": _ref(ents, r.place_id),
             "participants": [_ref(ents, p) for p in ps], "casualties": r.casualties,
             "modality": r.modality, "attributed_to": r.attributed_to, "evidence": r.evidence,
             "start": r.start, "end": r.end, "extractor": r.extractor, **_doc_fields(r)}
            for r, ps in rows]


def entity_quantities(conn: Connection, entity_id: str) -> list[dict]:
    q = (_with_doc(quantities).where(quantities.c.subject_id == entity_id)
         .order_by(quantities.c.doc_id, quantities.c.start, quantities.c.id))
    return [{"id": r.id, "subject_id": r.subject_id, "measure": r.measure, "value": r.value,
             "qualifier": r.qualifier, "evidence": r.evidence, "start": r.start, "end": r.end,
             "extractor": r.extractor, "confidence": r.confidence,
             "modality": r.modality or "asserted", "attributed_to": r.attributed_to,
             **_doc_fields(r)} for r in conn.execute(q)]


def document(conn: Connection, doc_id: str) -> dict | None:
    row = conn.execute(select(documents).where(documents.c.id == doc_id)).first()
    return dict(row._mapping) if row else None
