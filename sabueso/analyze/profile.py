"""What a profile of one entity says, as data: facts grouped by section, each with its claims.

A *fact* merges every claim of the same relation between the same two ends with the same
modality (and route/role qualifiers): it keeps all supporting claims, the distinct documents,
every source it is attributed to and the widest since/until. Symmetric relations are turned so
the profiled entity is the subject. The wording lives in :mod:`sabueso.report.templates`.
"""
from __future__ import annotations

import re

import networkx as nx
from sqlalchemy import select

from ..ontology import get_ontology
from ..store.schema import documents, mentions
from .graph import claims_of
from .timeline import date_key, timeline

SECTIONS = ("Overview", "History", "Leadership", "Geography", "Criminal activities",
            "Trafficking routes", "Allies and enemies", "Links to officials", "Timeline",
            "Sources")
PLACE_TYPES = {"Place", "Prison"}
BY_TYPE = {
    "LEADER_OF": "Leadership", "MEMBER_OF": "Leadership", "FAMILY_OF": "Leadership",
    "PARTNER_OF": "Leadership", "FOUNDED_BY": "History", "IMPRISONED_IN": "History",
    "ESCAPED_FROM": "History", "BASED_IN": "Geography", "OPERATES_IN": "Geography",
    "LOCATED_IN": "Geography", "TRAFFICS": "Trafficking routes", "ALLY_OF": "Allies and enemies",
    "RIVAL_OF": "Allies and enemies", "ATTACKED": "Allies and enemies",
    "AFFILIATED_WITH": "Allies and enemies", "HOLDS_POSITION": "Links to officials",
}
HISTORY_EVENTS = {"founding", "expansion", "designation", "appointment", "truce", "escape",
                  "imprisonment", "arrest", "release", "extradition", "indictment", "sanction",
                  "transfer"}
ROUTE_QUALIFIERS = ("from", "to", "role")


def _is_official(g: nx.MultiDiGraph, node: str | None) -> bool:
    if not node or node not in g:
        return False
    if g.nodes[node].get("type") == "GovernmentBody":
        return True
    return any(d.get("type") == "HOLDS_POSITION" for _, _, d in g.out_edges(node, data=True))


def group_facts(g: nx.MultiDiGraph, node: str, claims: list[dict]) -> list[dict]:
    """Merge claims into facts (see the module docstring); order of first appearance."""
    symmetric = get_ontology().symmetric
    facts: dict[tuple, dict] = {}
    for c in claims:
        subj, obj = c["subject"], c["object"]
        if c["type"] in symmetric and obj == node:
            subj, obj = obj, subj
        quals = {k: v for k, v in (c.get("qualifiers") or {}).items() if k in ROUTE_QUALIFIERS}
        key = (c["type"], subj, obj or c.get("object_value"), c["modality"],
               tuple(sorted((k, str(v)) for k, v in quals.items())))
        f = facts.setdefault(key, {"type": c["type"], "subject": subj, "object": obj,
                                   "value": None if obj else c.get("object_value"),
                                   "modality": c["modality"], "qualifiers": quals,
                                   "attributed_to": [], "since": None, "until": None,
                                   "claims": [], "docs": set()})
        f["claims"].append(c)
        f["docs"].add(c.get("doc_id"))
        if c.get("attributed_to") and c["attributed_to"] not in f["attributed_to"]:
            f["attributed_to"].append(c["attributed_to"])
        if c.get("since") and (not f["since"] or date_key(c["since"]) < date_key(f["since"])):
            f["since"] = c["since"]
        if c.get("until") and (not f["until"] or date_key(c["until"]) > date_key(f["until"])):
            f["until"] = c["until"]
    return list(facts.values())


def section_of(g: nx.MultiDiGraph, node: str, fact: dict) -> str:
    other = fact["object"] if fact["subject"] == node else fact["subject"]
    other_type = g.nodes[other].get("type") if other in g else None
    if fact["object"] is None:
        return "Criminal activities"
    if fact["type"] == "CONTROLS":
        return "Geography" if other_type in PLACE_TYPES else "Leadership"
    if fact["type"] == "LINKED_TO":
        return "Links to officials" if _is_official(g, other) else "Allies and enemies"
    if fact["type"] in ("ALLY_OF", "AFFILIATED_WITH") and _is_official(g, other):
        return "Links to officials"
    return BY_TYPE.get(fact["type"], "History")


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int, str]:
    """(start, end, text) of the sentence of ``text`` holding a span (to cite a bare mention)."""
    left = max(text.rfind(ch, 0, start) for ch in (".", "!", "?", "\n")) + 1
    found = [i for i in (text.find(ch, end) for ch in (".", "!", "?", "\n")) if i >= 0]
    right = min(found) + 1 if found else len(text)
    while left < right and text[left].isspace():
        left += 1
    return left, right, re.sub(r"\s+", " ", text[left:right]).strip()


def name_evidence(store, g: nx.MultiDiGraph, node: str) -> list[dict]:
    """One citation per known name of ``node``: the first sentence where the name appears.

    The mentions are scanned without their documents' text; only the documents of the chosen
    mentions are read (a hub is mentioned in thousands of documents)."""
    names = [g.nodes[node]["name"], *g.nodes[node].get("aliases", [])]
    found: dict[str, dict] = {}
    if store is not None:
        q = (select(mentions.c.doc_id, mentions.c.start, mentions.c.end, mentions.c.text)
             .join(documents, documents.c.id == mentions.c.doc_id)
             .where(mentions.c.entity_id == node).order_by(mentions.c.doc_id, mentions.c.start))
        wanted = {name: name.casefold() for name in names}
        first: dict[str, object] = {}
        with store.engine.connect() as conn:
            result = conn.execute(q)
            for r in result:
                text = (r.text or "").casefold()
                for name, folded in wanted.items():
                    if name not in first and folded in text:
                        first[name] = r
                if len(first) == len(wanted):
                    break
            result.close()
            ids = sorted({r.doc_id for r in first.values()})
            texts = {d.id: d.text for d in conn.execute(
                select(documents.c.id, documents.c.text).where(documents.c.id.in_(ids)))}
        docs = g.graph.get("documents", {})
        for name, r in first.items():         # in the order the mentions were met
            d = docs.get(r.doc_id, {})
            start, end, sentence = _sentence_around(texts.get(r.doc_id) or "", r.start, r.end)
            found[name] = {"doc_id": r.doc_id, "start": start, "end": end, "evidence": sentence,
                           "doc_url": d.get("url"),
                           "doc_title": d.get("title") or d.get("path") or r.doc_id}
    if not found:  # no mention stored: cite the first claim about the entity
        first_claim = next(iter(claims_of(g, node)), None)
        if first_claim:
            found[names[0]] = first_claim
    return list(found.values())


def _events(g: nx.MultiDiGraph, node: str) -> list[dict]:
    """Events involving ``node``; the same event told by several sentences or documents once."""
    out: dict[tuple, dict] = {}
    for v in g.graph.get("events", []):
        if node in v.get("participants", []) or v.get("place") == node:
            key = (v["type"], v.get("date"), v.get("place"), tuple(sorted(v["participants"])),
                   v.get("modality"))
            out.setdefault(key, {"kind": "event", "event": v, "items": []})["items"].append(v)
    return list(out.values())


def collect(g: nx.MultiDiGraph, node: str, store=None, min_confidence: float | None = None) -> dict:
    """The profile of ``node`` as data: ``entity``, ``names`` (citations) and ``sections``.

    Each section is a list of items: ``{"kind": "fact", "fact": ...}``, ``{"kind": "event",
    "event": ..., "items": [...]}``, ``{"kind": "quantity", "quantity": ...}`` or
    ``{"kind": "timeline", "entry": ...}``; ``Overview`` starts with ``{"kind": "identity"}``.
    ``min_confidence`` leaves out the claims and figures whose learned score is below it.
    """
    sections: dict[str, list[dict]] = {s: [] for s in SECTIONS}
    sections["Overview"].append({"kind": "identity"})
    for q in g.graph.get("quantities", []):
        if q.get("subject") == node and q.get("value") is not None and (
                min_confidence is None or q.get("confidence") is None
                or q["confidence"] >= min_confidence):
            sections["Overview"].append({"kind": "quantity", "quantity": q})
    facts = group_facts(g, node, claims_of(g, node, min_confidence))
    officials: list[str] = []
    for f in facts:
        sec = section_of(g, node, f)
        sections[sec].append({"kind": "fact", "fact": f})
        other = f["object"] if f["subject"] == node else f["subject"]
        if sec == "Links to officials" and other != node and other not in officials:
            officials.append(other)
    for person in officials:  # the positions those officials hold (two hops away)
        held = [c for c in claims_of(g, person, min_confidence)
                if c.get("type") == "HOLDS_POSITION" and c["subject"] == person]
        sections["Links to officials"] += [{"kind": "fact", "fact": f}
                                           for f in group_facts(g, person, held)]
    sections["History"] += [e for e in _events(g, node) if e["event"]["type"] in HISTORY_EVENTS]
    sections["Timeline"] = [{"kind": "timeline", "entry": e}
                            for e in timeline(g, node, min_confidence)]
    return {"entity": {"id": node, **g.nodes[node]}, "names": name_evidence(store, g, node),
            "sections": sections}
