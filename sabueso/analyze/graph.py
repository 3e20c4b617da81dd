"""The store as a networkx ``MultiDiGraph``: one node per entity, one edge per claim.

Nodes carry ``type``, ``name``, ``aliases`` (list), ``country``, ``place_kind``, ``lat``/``lon``
and ``values``: the claims whose object is a label, not an entity (ACTIVITY and the like).
Edges are keyed by claim id and carry ``type``, ``modality``, ``attributed_to``, ``since``,
``until``, ``qualifiers`` (dict), ``evidence``, ``start``/``end``, ``confidence``, ``doc_id`` and
``doc_title``. Events and quantities carry ``modality`` and ``attributed_to`` too.
``graph.graph`` holds ``documents`` (id -> metadata, no text), ``events`` and ``quantities``.

Reads go straight to the tables of :mod:`sabueso.store.schema` (SQLAlchemy Core, read only).
"""
from __future__ import annotations

import json
from typing import Any

import networkx as nx
from sqlalchemy import select

from ..store.schema import aliases, claims, documents, entities, events, quantities

DOC_COLUMNS = ("id", "title", "path", "url", "publisher", "published", "lang")


def _documents(conn) -> dict[str, dict]:
    cols = [documents.c[k] for k in DOC_COLUMNS]
    return {r.id: dict(r._mapping) for r in conn.execute(select(*cols).order_by(documents.c.id))}


def _claim(r: Any, docs: dict[str, dict]) -> dict:
    doc = docs.get(r.doc_id, {})
    return {"id": r.id, "type": r.type, "subject": r.subject_id, "object": r.object_id,
            "object_value": r.object_value, "modality": r.modality or "asserted",
            "attributed_to": r.attributed_to, "since": r.since, "until": r.until,
            "qualifiers": json.loads(r.qualifiers or "{}"), "evidence": r.evidence or "",
            "start": r.start, "end": r.end, "extractor": r.extractor, "confidence": r.confidence,
            "doc_id": r.doc_id, "doc_title": doc.get("title") or doc.get("path") or r.doc_id,
            "doc_url": doc.get("url")}


def read_store(store) -> dict[str, Any]:
    """Every entity, claim, event and quantity of the store as plain dicts."""
    with store.engine.connect() as conn:
        docs = _documents(conn)
        names: dict[str, list[str]] = {}
        for eid, alias in conn.execute(select(aliases.c.entity_id, aliases.c.alias)
                                       .order_by(aliases.c.id)):
            names.setdefault(eid, []).append(alias)
        ents = []
        for r in conn.execute(select(entities).order_by(entities.c.id)):
            own = [a for a in names.get(r.id, []) if a.casefold() != r.name.casefold()]
            ents.append({"id": r.id, "type": r.type, "name": r.name,
                         "aliases": list(dict.fromkeys(own)), "place_kind": r.place_kind,
                         "country": r.country, "lat": r.lat, "lon": r.lon})
        cls = [_claim(r, docs) for r in conn.execute(
            select(claims).order_by(claims.c.doc_id, claims.c.start, claims.c.id))]
        evs = []
        for r in conn.execute(select(events).order_by(events.c.date, events.c.doc_id,
                                                      events.c.start, events.c.id)):
            doc = docs.get(r.doc_id, {})
            evs.append({"id": r.id, "type": r.type, "date": r.date, "place": r.place_id,
                        "participants": json.loads(r.participants or "[]"),
                        "casualties": r.casualties, "modality": r.modality or "asserted",
                        "attributed_to": r.attributed_to, "evidence": r.evidence or "", "start": r.start, "end": r.end,
                        "extractor": r.extractor, "doc_id": r.doc_id,
                        "doc_title": doc.get("title") or doc.get("path") or r.doc_id,
                        "doc_url": doc.get("url")})
        qts = []
        for r in conn.execute(select(quantities).order_by(quantities.c.doc_id, quantities.c.start,
                                                          quantities.c.id)):
            doc = docs.get(r.doc_id, {})
            qts.append({"id": r.id, "subject": r.subject_id, "measure": r.measure,
                        "value": r.value, "qualifier": r.qualifier, "evidence": r.evidence or "",
                        "modality": r.modality or "asserted", "attributed_to": r.attributed_to,
                        "confidence": r.confidence, "start": r.start, "end": r.end,
                        "extractor": r.extractor,
                        "doc_id": r.doc_id,
                        "doc_title": doc.get("title") or doc.get("path") or r.doc_id,
                        "doc_url": doc.get("url")})
    return {"documents": docs, "entities": ents, "claims": cls, "events": evs, "quantities": qts}


def build_graph(store=None, data: dict | None = None) -> nx.MultiDiGraph:
    """The knowledge graph of ``store`` (or of ``data`` from :func:`read_store`)."""
    data = data if data is not None else read_store(store)
    g = nx.MultiDiGraph(documents=data["documents"], events=data["events"],
                        quantities=data["quantities"])
    for e in data["entities"]:
        g.add_node(e["id"], **{k: v for k, v in e.items() if k != "id"}, values=[])
    for c in data["claims"]:
        if c["subject"] not in g:
            continue
        attrs = {k: v for k, v in c.items() if k not in ("subject", "object", "id")}
        if c["object"] and c["object"] in g:
            g.add_edge(c["subject"], c["object"], key=c["id"], id=c["id"], **attrs)
        else:
            g.nodes[c["subject"]]["values"].append({"id": c["id"], **attrs})
    return g


def label(g: nx.MultiDiGraph, node: str | None) -> str:
    """The display name of a node (the id itself when unknown)."""
    if not node:
        return ""
    return g.nodes[node].get("name", node) if node in g else str(node)


def ego(g: nx.MultiDiGraph, center: str, depth: int = 1) -> nx.MultiDiGraph:
    """Nodes within ``depth`` hops of ``center`` (either direction), with all their edges."""
    depth = max(0, int(depth))
    lengths = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), center,
                                                    cutoff=depth)
    sub = g.subgraph(lengths).copy()
    sub.graph = dict(g.graph)
    return sub


def claims_of(g: nx.MultiDiGraph, node: str, min_confidence: float | None = None) -> list[dict]:
    """Every claim touching ``node``: edges in both directions plus its label claims; with
    ``min_confidence``, not those whose learned score is below it (rule-only claims stay).

    Each dict is the edge data plus ``subject``/``object`` ids (``object`` is None for labels).
    """
    out = [{**d, "subject": node, "object": None} for d in g.nodes[node].get("values", [])]
    for u, v, d in g.out_edges(node, data=True):
        out.append({**d, "subject": u, "object": v})
    for u, v, d in g.in_edges(node, data=True):
        if u != node:
            out.append({**d, "subject": u, "object": v})
    if min_confidence is not None:
        out = [c for c in out if c.get("confidence") is None or c["confidence"] >= min_confidence]
    return out
