"""Finding entities by name or alias through the name index (:mod:`.namesearch`), with
optional filters by entity type and by country.

An entity's country, for the filter, is its own (places) or that of a place it is tied to by
a claim (a group operating in or based in it). Only the names the index finds are scored
(:mod:`.namescore`): first from the words the index found, then the best ``RESCORE`` in
full; at most ``SCORED`` of them, the best, are read back as entities.
"""
from __future__ import annotations

import heapq
from typing import Iterable

from sqlalchemy import Connection, select

from ..resolve.names import norm_name
from . import namescore
from .bulk import PART
from .namesearch import CHUNK, matches
from .schema import aliases, claims, entities, mentions

SCORED = 200        # best names read back as entities
READ = 60           # best entities whose document counts are read (ranking ties)
RESCORE = 300       # names scored in full
PLACES = ("Place", "Prison")

_ALIASES_OF = select(aliases.c.entity_id, aliases.c.alias, aliases.c.norm).where(
    aliases.c.norm.in_(PART))
_BASICS = select(entities.c.id, entities.c.type, entities.c.country).where(entities.c.id.in_(PART))
_PLACE_COUNTRIES = (select(claims.c.subject_id, entities.c.country)
                    .join(entities, entities.c.id == claims.c.object_id)
                    .where(claims.c.subject_id.in_(PART), entities.c.type.in_(PLACES),
                           entities.c.country.is_not(None)).distinct())


def _chunks(items: list) -> Iterable[list]:
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


def countries_of(conn: Connection, ids: Iterable[str]) -> dict[str, set[str]]:
    """entity id -> its country and those of the places its claims tie it to."""
    ids = sorted(set(ids))
    out: dict[str, set[str]] = {i: set() for i in ids}
    for part in _chunks(ids):
        for eid, _type, country in conn.execute(_BASICS, {"part": part}):
            if country:
                out[eid].add(country)
        for eid, country in conn.execute(_PLACE_COUNTRIES, {"part": part}):
            out[eid].add(country)
    return out


def passing(conn: Connection, ids: Iterable[str], type: str | None = None,
            country: str | None = None) -> set[str]:
    """Those of ``ids`` of ``type`` and tied to ``country`` (either filter None: any)."""
    ids = sorted({i for i in ids if i})
    if not type and not country:
        return set(ids)
    keep: set[str] = set()
    for part in _chunks(ids):
        keep.update(eid for eid, t, _c in conn.execute(_BASICS, {"part": part})
                    if not type or t == type)
    if country:
        tied = countries_of(conn, keep)
        keep = {i for i in keep if country in tied.get(i, ())}
    return keep


def find(conn: Connection, query: str, limit: int = 10, type: str | None = None,
         country: str | None = None) -> list[dict]:
    """Entities whose name or an alias matches ``query``, best first: exact normalised
    matches score 100, others less (see :mod:`.namescore`). Each result is an entity dict
    (as :func:`.queries.entities_by_id`) with ``score``, ``matched`` (the alias that matched)
    and ``matched_words`` (its normalised words that matched, for highlighting)."""
    from .queries import entities_by_id
    key = norm_name(query) or (query or "").strip().casefold()
    if not key or limit <= 0:
        return []
    qwords, found = matches(conn, query)
    # a first, cheap score (the query's letters matched) picks the names scored in full
    size = [len(q) for q in qwords]
    best = heapq.nlargest(RESCORE, (n for n in found if n != key), key=lambda n: (
        sum(s * size[i] for i, (s, _w) in found[n].items()), -len(n), n))
    scored: dict[str, tuple[float, set[str]]] = {key: (100.0, set(key.split()))}
    for n in best:
        s, words = namescore.combine(qwords, n, found[n])
        if s > 0:
            scored[n] = (s, words)
    best_norms = sorted(scored, key=lambda n: (-scored[n][0], n))[:SCORED]
    hits: dict[str, tuple[float, str, str]] = {}
    for part in _chunks(best_norms):
        for eid, alias, norm in conn.execute(_ALIASES_OF, {"part": part}):
            s = scored[norm][0]
            if eid not in hits or s > hits[eid][0]:
                hits[eid] = (s, alias, norm)
    if type or country:
        keep = passing(conn, hits, type, country)
        hits = {e: h for e, h in hits.items() if e in keep}
    top = sorted(hits, key=lambda e: (-hits[e][0], e))[:max(READ, limit)]
    found = entities_by_id(conn, top)
    ranked = sorted(found.values(), key=lambda d: (-hits[d["id"]][0], -d["documents"], d["name"]))
    out = []
    for d in ranked[:limit]:
        s, alias, norm = hits[d["id"]]
        out.append({**d, "score": s, "matched": alias, "matched_words": sorted(scored[norm][1])})
    return out


def docs_naming(conn: Connection, doc_ids: Iterable[str], type: str | None = None,
                country: str | None = None) -> set[str]:
    """Those of ``doc_ids`` that name an entity of ``type`` tied to ``country``."""
    doc_ids = sorted(set(doc_ids))
    if not type and not country:
        return set(doc_ids)
    named: dict[str, set[str]] = {}
    q = select(mentions.c.doc_id, mentions.c.entity_id).distinct().where(
        mentions.c.doc_id.in_(PART), mentions.c.entity_id.is_not(None))
    for part in _chunks(doc_ids):
        for doc, eid in conn.execute(q, {"part": part}):
            named.setdefault(doc, set()).add(eid)
    keep = passing(conn, {e for es in named.values() for e in es}, type, country)
    return {d for d, es in named.items() if es & keep}


def facets(conn: Connection) -> dict[str, list[str]]:
    """The entity types and the countries stored, for the search filters."""
    types = sorted(t for t in conn.scalars(select(entities.c.type).distinct()) if t)
    countries = sorted(c for c in conn.scalars(select(entities.c.country).distinct()) if c)
    return {"types": types, "countries": countries}
