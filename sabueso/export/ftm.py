"""FollowTheMoney entities as JSON lines, built and validated with the ``followthemoney`` library.

Schemata come from ``ftm:`` in ``ontology.yaml``: criminal groups and organisations become
``Organization``, government bodies ``PublicBody``, people ``Person``, places and prisons
``Address``; commodities have no FtM schema and appear as notes. Each source document is an
``Article`` (a kind of ``Document``). Claims become ``Membership`` (MEMBER_OF, LEADER_OF, HOLDS_POSITION to an
organisation), ``Family`` (FAMILY_OF, PARTNER_OF), ``Associate`` (ALLY_OF, RIVAL_OF, LINKED_TO
between two people) or ``UnknownLink`` (everything else), with ``proof`` (the Article),
``sourceUrl``, ``publisher`` and a ``description`` saying in words what is claimed and how sure
the text is of it ("according to police", "denied by ...", "low confidence") with the quoted
evidence. Label claims (ACTIVITY) and trafficking become ``notes``; events ``Event``.
"""
from __future__ import annotations

import json
from pathlib import Path

from followthemoney import model

from ..analyze.graph import read_store
from ..ontology import get_ontology
from ..report.wording import confidence_words, label, status_words

ORGS = {"Organization", "PublicBody"}
PEOPLE_LINKS = {"ALLY_OF": "ally", "RIVAL_OF": "rival", "LINKED_TO": "linked to"}


def _schema_of(entity_type: str) -> str | None:
    return get_ontology().entity_types.get(entity_type, {}).get("ftm")


def _cite(c: dict, docs: dict, kind: str = "claim") -> str:
    """'according to police sources; low confidence (0.31). Evidence: “...” (title)'"""
    doc = docs.get(c["doc_id"], {})
    title = doc.get("title") or doc.get("path") or c["doc_id"]
    low = confidence_words(c.get("confidence"))
    return (f"{status_words(c, kind)}{'; ' + low if low else ''}. "
            f"Evidence: “{' '.join(c['evidence'].split())}” ({title})")


def _sourced(proxy, c: dict, docs: dict) -> None:
    doc = docs.get(c["doc_id"], {})
    proxy.add("proof", c["doc_id"])
    proxy.add("sourceUrl", doc.get("url"))
    proxy.add("publisher", doc.get("publisher"))


def _entity(e: dict):
    schema = _schema_of(e["type"])
    if not schema:
        return None
    proxy = model.make_entity(schema)
    proxy.id = e["id"]
    if schema == "Address":
        proxy.add("full", e["name"])
        proxy.add("latitude", e.get("lat"))
        proxy.add("longitude", e.get("lon"))
    proxy.add("name", e["name"])
    proxy.add("alias", e["aliases"])
    proxy.add("country", e.get("country"))
    if e["type"] == "CriminalGroup":
        proxy.add("topics", "crime")
    return proxy


def _link(c: dict, subj, obj, docs: dict):
    """The FtM relationship entity of one entity-to-entity claim."""
    rtype, s_schema, o_schema = c["type"], subj.schema.name, obj.schema.name
    q = c.get("qualifiers") or {}
    if rtype in ("MEMBER_OF", "LEADER_OF", "HOLDS_POSITION") and o_schema in ORGS \
            and subj.schema.is_a("LegalEntity"):
        link = model.make_entity("Membership")
        link.add("member", subj.id)
        link.add("organization", obj.id)
        link.add("role", q.get("role") or {"LEADER_OF": "leader"}.get(rtype, "member"))
        link.add("status", c["modality"])
    elif rtype in ("FAMILY_OF", "PARTNER_OF") and s_schema == o_schema == "Person":
        link = model.make_entity("Family")
        link.add("person", subj.id)
        link.add("relative", obj.id)
        link.add("relationship", "partner" if rtype == "PARTNER_OF" else "relative")
    elif rtype in PEOPLE_LINKS and s_schema == o_schema == "Person":
        link = model.make_entity("Associate")
        link.add("person", subj.id)
        link.add("associate", obj.id)
        link.add("relationship", PEOPLE_LINKS[rtype])
    else:
        link = model.make_entity("UnknownLink")
        link.add("subject", subj.id)
        link.add("object", obj.id)
        link.add("role", label(rtype) + (f" ({q['role']})" if q.get("role") else ""))
        link.add("status", c["modality"])
    link.id = c["id"]
    link.add("startDate", c.get("since"))
    link.add("endDate", c.get("until"))
    link.add("description", f"{subj.caption} {label(rtype)} {obj.caption} — " + _cite(c, docs))
    _sourced(link, c, docs)
    return link


def entities(data: dict) -> list:
    """Every FtM entity proxy of the store's data (see the module docstring)."""
    docs, names = data["documents"], {e["id"]: e["name"] for e in data["entities"]}
    out = {}
    for d in docs.values():
        doc = model.make_entity("Article")
        doc.id = d["id"]
        doc.add("title", d.get("title") or d.get("path") or d["id"])
        doc.add("sourceUrl", d.get("url"))
        doc.add("publisher", d.get("publisher"))
        doc.add("publishedAt", d.get("published"))
        doc.add("language", d.get("lang"))
        out[doc.id] = doc
    for e in data["entities"]:
        proxy = _entity(e)
        if proxy is not None:
            out[proxy.id] = proxy
    for c in data["claims"]:
        subj, obj = out.get(c["subject"]), out.get(c["object"]) if c["object"] else None
        if subj is None:
            continue
        if obj is not None:
            out[c["id"]] = _link(c, subj, obj, docs)
            continue
        what = label(c["object_value"]) if c["object_value"] else names.get(c["object"], c["object"])
        route = "".join(f" {k} {names.get(v, v)}" for k, v in (c.get("qualifiers") or {}).items()
                        if k in ("from", "to"))
        subj.add("notes", f"{label(c['type'])} {what}{route} — " + _cite(c, docs))
    for v in data["events"]:
        event = model.make_entity("Event")
        event.id = v["id"]
        event.add("name", label(v["type"]) + (f" ({v['date']})" if v["date"] else ""))
        event.add("date", v["date"])
        event.add("involved", [p for p in v["participants"]
                               if p in out and out[p].schema.is_a("LegalEntity")])
        if v["place"] in out and out[v["place"]].schema.name == "Address":
            event.add("addressEntity", v["place"])
            event.add("location", names.get(v["place"]))
        event.add("description", _cite(v, docs, "event") +
                  (f" Casualties: {v['casualties']}." if v.get("casualties") else ""))
        _sourced(event, v, docs)
        out[event.id] = event
    return list(out.values())


def validate(data: dict) -> dict:
    """Load one JSON entity with followthemoney and validate it; raises on invalid data."""
    proxy = model.get_proxy(data, cleaned=False)
    proxy.schema.validate(data)
    missing = [p for p in proxy.schema.required if not proxy.get(p)]
    if missing:
        raise ValueError(f"{proxy.id}: {proxy.schema.name} lacks required {missing}")
    return proxy.to_dict()


def write_ftm(store, path: str | Path, data: dict | None = None) -> int:
    """Write validated FtM entities as JSON lines to ``path``; returns how many."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for proxy in entities(data if data is not None else read_store(store)):
            fh.write(json.dumps(validate(proxy.to_dict()), ensure_ascii=False,
                                sort_keys=True) + "\n")
            n += 1
    return n


def read_ftm(path: str | Path) -> list:
    """The entity proxies of a JSON lines file, each validated by followthemoney."""
    with Path(path).open(encoding="utf-8") as fh:
        return [model.get_proxy(validate(json.loads(line)), cleaned=False)
                for line in fh if line.strip()]
