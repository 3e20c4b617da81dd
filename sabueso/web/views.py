"""View models of the pages and of the graph/map/timeline JSON, built from a snapshot.

The entity page reuses the cited profile of :mod:`sabueso.report.profile` (the same sections,
sentences and footnotes as ``sabueso profile``), adding to each footnote the link to its
document with the evidence highlighted and the reviewers' verdict on the claims it cites.
"""
from __future__ import annotations

import hashlib
import re
from urllib.parse import urlencode

import networkx as nx

from ..analyze.graph import ego
from ..analyze.timeline import timeline
from ..core import MODALITIES
from ..report.profile import build
from ..report.wording import label, modality_words, status_words

PLACE_TYPES = ("Place", "Prison")
MAX_NODES = 200
STRENGTH = {m: i for i, m in enumerate(MODALITIES)}  # asserted strongest, denied weakest


def safe_url(url: str | None) -> str | None:
    """Only http(s) links reach a page (never ``javascript:`` or ``data:``)."""
    return url if url and re.match(r"(?i)^https?://", url) else None


def doc_href(doc_id: str | None, start: int | None = None, end: int | None = None) -> str:
    """The document page, its evidence span highlighted and scrolled to (``#ev``)."""
    if not doc_id:
        return "#"
    if start is None or end is None:
        return f"/document/{doc_id}"
    return f"/document/{doc_id}?{urlencode({'start': start, 'end': end})}#ev"


# -- entity profile -------------------------------------------------------------------------
def _span_claims(g: nx.MultiDiGraph, node: str) -> dict[tuple, list[str]]:
    """(doc_id, start, end) -> ids of the claims with that evidence, near ``node``."""
    out: dict[tuple, list[str]] = {}
    for n in [node, *nx.all_neighbors(g, node)] if node in g else []:
        for v in g.nodes[n].get("values", []):
            out.setdefault((v.get("doc_id"), v.get("start"), v.get("end")), []).append(v["id"])
        for _u, _v, d in g.out_edges(n, data=True):
            out.setdefault((d.get("doc_id"), d.get("start"), d.get("end")), []).append(d["id"])
    return out


def profile(snap, node: str, store, min_confidence: float | None = None) -> dict:
    """The profile of ``node`` (rejected claims left out) with links and review verdicts;
    ``min_confidence`` leaves out claims and figures whose learned score is below it."""
    g = snap.graph
    p = build(g, node, store, min_confidence)
    spans = _span_claims(g, node)
    for f in p["footnotes"]:
        f["href"] = doc_href(f["doc_id"], f["start"], f["end"])
        verdicts = [snap.statuses[c] for c in spans.get((f["doc_id"], f["start"], f["end"]), [])
                    if c in snap.statuses]
        f["confirmed"] = next((v for v in verdicts if v["status"] == "confirmed"), None)
    notes = {f["n"]: f for f in p["footnotes"]}
    entries = timeline(g, node, min_confidence)
    sections = []
    for title, sentences in p["sections"]:
        rows = [{"parts": s, "refs": [notes[n] for part in s for n in part.get("refs", [])]}
                for s in sentences]
        if title == "Timeline" and len(entries) == len(rows):
            for row, entry in zip(rows, entries):
                row["date"] = entry["date"]
                row["modality"] = entry["modality"]
                row["kind"] = label(entry["type"])
                row["status"] = status_words({**entry, "evidence": entry["items"][0].get("evidence")},
                                             entry["kind"])
                prefix = f"{entry['date']}: "
                if row["parts"] and row["parts"][0].get("text") == prefix:
                    row["parts"] = row["parts"][1:]
        sections.append({"title": title, "id": title.lower().replace(" ", "-"), "rows": rows})
    return {**p, "sections": sections, "notes": notes}


# -- network --------------------------------------------------------------------------------
def graph_json(g: nx.MultiDiGraph, center: str, statuses: dict, depth: int = 1) -> dict:
    """Cytoscape elements around ``center``: one edge per (ends, relation, modality), with its
    claims; ``truncated`` when nodes were dropped (at most 200, nearest first)."""
    depth = max(1, min(int(depth), 3))
    sub = ego(g, center, depth)
    order = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), center,
                                                  cutoff=depth)
    keep = sorted(sub.nodes, key=lambda n: (order.get(n, 99), g.nodes[n].get("name", n)))
    truncated = len(keep) > MAX_NODES
    keep = set(keep[:MAX_NODES])
    nodes = [{"data": {"id": n, "label": sub.nodes[n].get("name", n),
                       "type": sub.nodes[n].get("type"),
                       "kind": label(sub.nodes[n].get("type")), "center": n == center,
                       "href": f"/entity/{n}", "api": f"/api/entities/{n}/graph"}}
             for n in sorted(keep, key=lambda n: (n != center, n))]
    edges: dict[tuple, dict] = {}
    for u, v, d in sub.edges(data=True):
        if u not in keep or v not in keep:
            continue
        key = (u, v, d.get("type"), d.get("modality") or "asserted")
        eid = "e" + hashlib.sha1("\x1f".join(map(str, key)).encode()).hexdigest()[:16]
        e = edges.setdefault(key, {"id": eid, "source": u, "target": v, "type": key[2],
                                   "label": label(key[2]), "modality": key[3], "claims": [],
                                   "attributed_to": [],
                                   "confirmed": False, "evidence": d.get("evidence"),
                                   "href": doc_href(d.get("doc_id"), d.get("start"),
                                                    d.get("end"))})
        e["claims"].append(d.get("id"))
        if d.get("attributed_to") and d["attributed_to"] not in e["attributed_to"]:
            e["attributed_to"].append(d["attributed_to"])
        if statuses.get(d.get("id"), {}).get("status") == "confirmed":
            e["confirmed"] = True
    return {"center": center, "depth": depth, "truncated": truncated, "nodes": nodes,
            "edges": [{"data": {**e, "count": len(e["claims"]),
                                "status": modality_words(e["modality"], e["attributed_to"])}}
                      for e in edges.values()]}


# -- map --------------------------------------------------------------------------------------
def _coords(g: nx.MultiDiGraph, place: str) -> tuple[float | None, float | None, str | None]:
    """(lat, lon, approximated from) of a place: its own, else of a place it lies in."""
    attrs = g.nodes[place]
    if attrs.get("lat") is not None and attrs.get("lon") is not None:
        return attrs["lat"], attrs["lon"], None
    for _u, parent, d in g.out_edges(place, data=True):
        p = g.nodes[parent]
        if d.get("type") == "LOCATED_IN" and p.get("lat") is not None and p.get("lon") is not None:
            return p["lat"], p["lon"], p.get("name")
    return None, None, None


def places(g: nx.MultiDiGraph, node: str) -> dict:
    """Places tied to ``node`` by a claim or an event: ``points`` (with coordinates, for the
    map) and ``unplaced`` (no coordinates known), each with its relations and modality."""
    if node not in g:
        return {"points": [], "unplaced": []}
    found: dict[str, dict] = {}

    def add(place: str, relation: str, modality: str | None, href: str) -> None:
        if place not in g or g.nodes[place].get("type") not in PLACE_TYPES:
            return
        modality = modality or "asserted"
        p = found.setdefault(place, {"id": place, "name": g.nodes[place].get("name", place),
                                     "type": g.nodes[place].get("type"), "relations": [],
                                     "modality": modality, "href": f"/entity/{place}",
                                     "evidence": href})
        words = f"{relation} ({modality_words(modality)})"
        if words not in p["relations"]:
            p["relations"].append(words)
        if STRENGTH.get(modality, 9) < STRENGTH.get(p["modality"], 9):
            p["modality"], p["evidence"] = modality, href
    if g.nodes[node].get("type") in PLACE_TYPES:
        add(node, "this place", "asserted", f"/entity/{node}")
    for u, v, d in [*g.out_edges(node, data=True), *g.in_edges(node, data=True)]:
        other = v if u == node else u
        add(other, label(d.get("type", "")), d.get("modality"),
            doc_href(d.get("doc_id"), d.get("start"), d.get("end")))
    for ev in g.graph.get("events", []):
        if node in ev.get("participants", []) and ev.get("place"):
            add(ev["place"], f"{label(ev['type'])} {ev.get('date') or ''}".strip(), ev.get("modality"),
                doc_href(ev.get("doc_id"), ev.get("start"), ev.get("end")))
    points, unplaced = [], []
    for p in found.values():
        lat, lon, near = _coords(g, p["id"])
        if lat is None:
            unplaced.append(p)
        else:
            points.append({**p, "lat": lat, "lon": lon, "approximate": near})
    key = lambda p: (STRENGTH.get(p["modality"], 9), p["name"])  # noqa: E731
    return {"points": sorted(points, key=key), "unplaced": sorted(unplaced, key=key)}


# -- documents --------------------------------------------------------------------------------
def _squash(text: str) -> str:
    return " ".join(text.split())


def evidence_span(text: str, start: int | None, end: int | None,
                  evidence: str | None = None) -> tuple[int, int] | None:
    """The span to highlight: (start, end) when it holds the evidence (spacing aside), else
    where the evidence occurs in the text, else the given span if it is valid."""
    valid = (start is not None and end is not None and 0 <= start < end <= len(text))
    if valid and (not evidence or _squash(text[start:end]) == _squash(evidence)):
        return start, end
    if evidence and evidence.strip():
        words = [re.escape(w) for w in evidence.split()]
        m = re.search(r"\s+".join(words), text)
        if m:
            return m.start(), m.end()
    return (start, end) if valid else None
