"""What the search page and ``/api/search`` answer: the store's typo-tolerant name search
merged with the full-text hits of :mod:`.search`, filtered by entity type and country, each
claim with its modality and ends, and a "did you mean" when the exact search finds nothing.

Entity hits from the name index come first (exact names and aliases, then near ones, each
with the words that matched highlighted, accents and case aside), then full-text entity hits
not already listed. With a type or country filter, entity hits keep the entities of that
type tied to that country (their own, or a place a claim ties them to), claim hits keep the
claims about such an entity, document hits the documents naming one.
"""
from __future__ import annotations

import re

from markupsafe import Markup, escape
from sqlalchemy import select

from ..resolve.names import norm_name
from ..store.schema import claims, entities
from .search import KINDS

_WORD = re.compile(r"\w+", re.UNICODE)
OVERFETCH = 4           # full-text hits read per hit shown, when a filter may drop some


def highlight(text: str, words: list[str] | set[str]) -> Markup:
    """``text`` escaped, each word whose folded form is in ``words`` wrapped in ``<mark>``."""
    words = set(words)
    out, at = [], 0
    for m in _WORD.finditer(text or ""):
        if norm_name(m.group(0)) in words:
            out += [str(escape(text[at:m.start()])), "<mark>", str(escape(m.group(0))), "</mark>"]
            at = m.end()
    out.append(str(escape((text or "")[at:])))
    return Markup("".join(out))


def facets(state) -> dict[str, list]:
    """Types and countries (code, name) for the filters, cached with the graph snapshot."""
    snap = state.snapshot()
    cached = getattr(snap, "facets", None)
    if cached is None:
        raw = state.store.facets()
        cached = {"types": raw["types"],
                  "countries": sorted(((c, country_name(c)) for c in raw["countries"]),
                                      key=lambda x: x[1])}
        snap.facets = cached
    return cached


def country_name(code: str) -> str:
    try:
        import pycountry
        c = pycountry.countries.get(alpha_2=code)
    except (ImportError, KeyError, LookupError):
        c = None
    return (getattr(c, "common_name", None) or c.name) if c else code


def _name_hits(store, q: str, limit: int, type: str | None, country: str | None) -> list[dict]:
    out = []
    for e in store.find_entities(q, limit, type, country):
        matched = e.get("matched") or e["name"]
        words = set(e.get("matched_words") or ())
        out.append({"kind": "entity", "ref": e["id"], "title": e["name"],
                    "title_html": highlight(e["name"], words), "type": e["type"],
                    "matched": matched if norm_name(matched) != norm_name(e["name"]) else None,
                    "matched_html": highlight(matched, words), "score": e["score"],
                    "exact": e["score"] >= 100, "snippet": Markup(escape(e["type"])),
                    "doc_id": None, "start": None, "end": None})
    return out


def _types(store, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    with store.engine.connect() as conn:
        return dict(conn.execute(select(entities.c.id, entities.c.type)
                                 .where(entities.c.id.in_(ids))).all())


def claim_details(store, ids: list[str]) -> dict[str, dict]:
    """claim id -> modality, attribution, relation type and both ends (names, types)."""
    out: dict[str, dict] = {}
    with store.engine.connect() as conn:
        rows = conn.execute(select(claims.c.id, claims.c.type, claims.c.modality,
                                   claims.c.attributed_to, claims.c.subject_id,
                                   claims.c.object_id, claims.c.object_value)
                            .where(claims.c.id.in_(ids or [""]))).all()
        ends = {r.subject_id for r in rows} | {r.object_id for r in rows if r.object_id}
        names = {r.id: {"id": r.id, "name": r.name, "type": r.type} for r in conn.execute(
            select(entities.c.id, entities.c.name, entities.c.type)
            .where(entities.c.id.in_(sorted(ends) or [""])))}
    for r in rows:
        out[r.id] = {"relation": r.type, "modality": r.modality or "asserted",
                     "attributed_to": r.attributed_to, "subject": names.get(r.subject_id),
                     "object": names.get(r.object_id) or {"id": None, "name": r.object_value,
                                                          "type": None}}
    return out


def run(state, q: str, limit: int = 25, kinds: tuple[str, ...] = KINDS,
        type: str | None = None, country: str | None = None) -> dict:
    """``{"hits": {kind: [...]}, "did_you_mean": name or None, "exact": bool}``."""
    store = state.store
    filtered = bool(type or country)
    hits = state.search.search(q, min(200, limit * OVERFETCH) if filtered else limit, kinds)
    if filtered:
        keep = store.filter_entities([h["ref"] for h in hits.get("entity", [])], type, country)
        hits["entity"] = [h for h in hits.get("entity", []) if h["ref"] in keep]
    if hits.get("claim"):
        details = claim_details(store, [h["ref"] for h in hits["claim"]])
        hits["claim"] = [{**h, **details[h["ref"]]} for h in hits["claim"] if h["ref"] in details]
        if filtered:
            ends = {e["id"] for h in hits["claim"] for e in (h["subject"], h["object"])
                    if e and e.get("id")}
            keep = store.filter_entities(ends, type, country)
            hits["claim"] = [h for h in hits["claim"]
                             if any(e and e.get("id") in keep for e in (h["subject"], h["object"]))]
    if filtered and hits.get("document"):
        keep = store.docs_naming([h["ref"] for h in hits["document"]], type, country)
        hits["document"] = [h for h in hits["document"] if h["ref"] in keep]
    full_text = any(hits.get(k) for k in kinds)
    if "entity" in kinds:
        named = _name_hits(store, q, limit, type, country)
        seen = {h["ref"] for h in named}
        rest = [h for h in hits["entity"] if h["ref"] not in seen]
        types = _types(store, [h["ref"] for h in rest])
        hits["entity"] = named + [{**h, "type": types.get(h["ref"])} for h in rest]
    for k in kinds:
        hits[k] = hits.get(k, [])[:limit]
    exact = full_text or any(h.get("exact") for h in hits.get("entity", []))
    near = next((h for h in hits.get("entity", []) if h.get("score") and not h["exact"]), None)
    suggestion = None
    if not exact and near:
        suggestion = near["matched"] or near["title"]
    return {"hits": hits, "did_you_mean": suggestion, "exact": exact}
