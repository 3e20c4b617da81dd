"""Entity records of one extraction: name keys, names and, for places, the gazetteer link.

Each local entity becomes one ``entity_records`` row. A Place is linked with
:meth:`~sabueso.resolve.places.Gazetteer.link` in its document's context (the countries the
document names, weighted, and the country the extractor gave it), which fills country,
coordinates, admin level and ``geo_id``; a Prison only takes the coordinates of a namesake town
in its own country. The containing state and country of a linked place become records too
(``origin = "gazetteer"``, unless the document already names them) with LOCATED_IN claims
citing the gazetteer: the place hierarchy. A person named by a shorter name that fits one
person of the document only (:mod:`~sabueso.resolve.short_names`) is recorded under the full name. A continent or world region (:mod:`~sabueso.resolve.regions`)
has no country and no coordinates; a name written as an acronym links only to a country.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

from ..core import Claim, Entity, Extraction
from ..resolve.names import acronym, is_generic
from ..resolve.places import RANK, Place, gazetteer
from ..resolve.regions import is_world_region
from ..resolve.resolver import record_key
from ..resolve.short_names import short_name_owners

GAZ = "gazetteer"


def doc_countries(x: Extraction) -> Counter:
    """Country context of a document: countries it names (2 each), other entities' (1)."""
    ctx: Counter = Counter()
    gaz = gazetteer()
    for e in x.entities:
        if e.type not in ("Place", "Prison") or _world_region(e):
            continue
        country = gaz.is_country(e.name) if e.place_kind in (None, "country") else None
        if country is not None:
            ctx[country.country] += 2
        elif e.country:
            ctx[e.country.upper()] += 1
    return ctx


def _link(e: Entity, ctx: Counter) -> Place | None:
    gaz = gazetteer()
    weights = dict(ctx)
    if e.country:
        weights[e.country.upper()] = weights.get(e.country.upper(), 0) + 3
    kind = None if e.type == "Prison" else e.place_kind
    within = e.country.upper() if e.country and gaz.country_record(e.country) else None
    for name in e.names():
        place = gaz.link(name, weights, kind, within)
        # an acronym ("EGC") is a country's code or nothing: not the town whose airport it names
        if place is not None and (place.kind == "country" or not acronym(name)):
            return place
    return None


def _world_region(e: Entity) -> bool:
    return e.type == "Place" and any(is_world_region(n) for n in e.names())


def _row(x: Extraction, e: Entity, place: Place | None, origin: str = "extracted") -> dict:
    country, lat, lon, geo, level = e.country, e.lat, e.lon, None, RANK.get(e.place_kind or "")
    kind = e.place_kind
    if place is not None and e.type == "Place":
        country, geo = place.country, place.geo_id or None
        level = place.level if place.level is not None else level
        kind = kind or place.kind
        if lat is None and place.lat is not None:
            lat, lon = place.lat, place.lon
    elif place is not None and place.geo_id and place.country == (e.country or place.country):
        country = country or place.country          # a prison: coordinates of its town
        if lat is None:
            lat, lon = place.lat, place.lon
    if e.type == "Prison":
        level = RANK["prison"]
    country = country.upper() if country else None
    return {"doc_id": x.document.id, "local_id": e.id,
            "key": record_key(e.type, e.name, country,
                              x.document.id if is_generic(e.type, e.name) else None), "type": e.type,
            "name": e.name,
            "aliases": json.dumps([a for a in e.aliases if a != e.name], ensure_ascii=False),
            "place_kind": kind, "country": country, "lat": lat, "lon": lon, "geo_id": geo,
            "admin_level": level, "origin": origin}


def full_names(entities: list[Entity]) -> list[Entity]:
    """The document's persons named by a shorter name ("Oporto") that fits one person's
    full name only, recorded under that full name (the short one kept as an alias)."""
    people = [e for e in entities if e.type == "Person"]
    owners = short_name_owners((e.id, e.names()) for e in people)
    if not owners:
        return entities
    by_id = {e.id: e for e in people}
    return [replace(e, name=by_id[owners[e.id]].name, aliases=e.names()) if e.id in owners
            else e for e in entities]


def build(x: Extraction) -> tuple[list[dict], list[Claim]]:
    """Record rows for ``x`` (its entities, then gazetteer parents) and hierarchy claims."""
    ctx = doc_countries(x)
    rows: list[dict] = []
    places: list[tuple[str, Place]] = []
    for e in full_names(x.entities):
        if _world_region(e):            # a continent or world region: no country, no map point
            e = replace(e, country=None, lat=None, lon=None, place_kind="region")
            rows.append(_row(x, e, None))
            continue
        place = _link(e, ctx) if e.type in ("Place", "Prison") else None
        rows.append(_row(x, e, place))
        if place is not None and e.type == "Place":
            places.append((e.id, place))
    by_geo = {r["geo_id"]: r["local_id"] for r in rows if r["geo_id"]}
    located = {(c.subject, c.object) for c in x.claims if c.type == "LOCATED_IN"}
    claims: list[Claim] = []
    gaz = gazetteer()
    while places:
        local, place = places.pop(0)
        parents = gaz.parents(place)
        if not parents:
            continue
        parent = parents[0]
        plocal = by_geo.get(parent.geo_id)
        if plocal is None:
            plocal = by_geo[parent.geo_id] = f"g:{parent.geo_id}"
            pe = Entity(plocal, "Place", parent.name, place_kind=parent.kind,
                        country=parent.country, lat=parent.lat, lon=parent.lon)
            rows.append(_row(x, pe, parent, origin=GAZ))
            places.append((plocal, parent))
        if plocal == local or (local, plocal) in located:
            continue
        located.add((local, plocal))
        claims.append(Claim(
            "LOCATED_IN", local, plocal,
            f"gazetteer: {place.name} ({place.geo_id or place.country}) is in "
            f"{parent.name} ({parent.geo_id})", None, None, extractor=GAZ,
            qualifiers={"source": GAZ, "geo_id": place.geo_id or None,
                        "parent_geo_id": parent.geo_id}))
    return rows, claims
