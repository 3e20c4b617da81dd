"""Merge extractions of one document (LLM chunks, or rules + LLM) without duplicates.

Entities are the same when one of their names or aliases has the same
:func:`sabueso.resolve.norm_name` key and their types are compatible in the ontology; the first
one keeps its id, type and name and gains the other's names as aliases. Claims are the same when
type, ends (either order for symmetric types) and modality agree; events when type and date
agree and their evidence spans overlap; quantities when subject, measure and value agree. The
first occurrence wins and keeps its ``extractor``.
"""
from __future__ import annotations

from copy import deepcopy

from ...core import Claim, Document, Entity, Event, Extraction
from ...ontology import get_ontology
from ...resolve import norm_name


def _overlap(a, b) -> bool:
    return a.start < b.end and b.start < a.end


class _Merger:
    def __init__(self, document: Document):
        self.onto = get_ontology()
        self.out = Extraction(document=document)
        self.index: dict[str, list[Entity]] = {}     # norm name -> entities having it
        self.claim_keys: set[tuple] = set()
        self.mention_keys: set[tuple] = set()
        self.quantity_keys: set[tuple] = set()

    def _next_id(self) -> str:
        used = {e.id for e in self.out.entities}
        n = len(self.out.entities) + 1
        while f"e{n}" in used:
            n += 1
        return f"e{n}"

    def _find(self, ent: Entity) -> Entity | None:
        for name in ent.names():
            for other in self.index.get(norm_name(name), []):
                if self.onto.compatible(ent.type, other.type) or self.onto.compatible(other.type, ent.type):
                    return other
        return None

    def _add(self, ent: Entity, keep_id: bool) -> Entity:
        new = deepcopy(ent)
        new.id = ent.id if keep_id else self._next_id()
        self.out.entities.append(new)
        for name in new.names():
            self.index.setdefault(norm_name(name), []).append(new)
        return new

    def _absorb(self, into: Entity, ent: Entity) -> None:
        have = {norm_name(n) for n in into.names()}
        for name in ent.names():
            if norm_name(name) not in have:
                into.aliases.append(name)
                have.add(norm_name(name))
                self.index.setdefault(norm_name(name), []).append(into)
        for attr in ("place_kind", "country", "lat", "lon"):
            if getattr(into, attr) is None and getattr(ent, attr) is not None:
                setattr(into, attr, getattr(ent, attr))

    def add(self, ext: Extraction, keep_ids: bool = False) -> None:
        ids: dict[str, str] = {}
        for ent in ext.entities:
            found = None if keep_ids else self._find(ent)
            if found is None:
                ids[ent.id] = self._add(ent, keep_ids).id
            else:
                self._absorb(found, ent)
                ids[ent.id] = found.id
        for m in ext.mentions:
            m = deepcopy(m)
            m.entity = ids.get(m.entity, m.entity)
            if (m.start, m.end, m.entity) not in self.mention_keys:
                self.mention_keys.add((m.start, m.end, m.entity))
                self.out.mentions.append(m)
        for c in ext.claims:
            self._claim(deepcopy(c), ids, keep_ids)
        for v in ext.events:
            self._event(deepcopy(v), ids, keep_ids)
        for q in ext.quantities:
            q = deepcopy(q)
            q.subject = ids.get(q.subject, q.subject)
            key = (q.subject, q.measure, float(q.value))
            if key in self.quantity_keys and not keep_ids:
                continue
            self.quantity_keys.add(key)
            self.out.quantities.append(q.finalise(self.out.document.id))

    def _claim(self, c: Claim, ids: dict[str, str], keep: bool) -> None:
        rt = self.onto.relations.get(c.type)
        c.subject = ids.get(c.subject, c.subject)
        if rt is None or not isinstance(rt.range, str):        # ACTIVITY objects are labels
            c.object = ids.get(c.object, c.object)
        c.qualifiers = {k: ids.get(v, v) if isinstance(v, str) and k in ("from", "to") else v
                        for k, v in c.qualifiers.items()}
        ends = (c.subject, c.object)
        if rt is not None and rt.symmetric:
            ends = tuple(sorted(ends))
        key = (c.type, *ends, c.modality)
        if key in self.claim_keys and not keep:
            return
        self.claim_keys.add(key)
        self.out.claims.append(c.finalise(self.out.document.id))

    def _event(self, v: Event, ids: dict[str, str], keep: bool) -> None:
        v.participants = list(dict.fromkeys(ids.get(p, p) for p in v.participants))
        v.place = ids.get(v.place, v.place) if v.place else None
        for old in [] if keep else self.out.events:
            if old.type == v.type and _overlap(old, v) and (old.date == v.date or None in (old.date, v.date)):
                old.date = old.date or v.date
                old.place = old.place or v.place
                old.participants += [p for p in v.participants if p not in old.participants]
                old.casualties = old.casualties if old.casualties is not None else v.casualties
                return
        self.out.events.append(v.finalise(self.out.document.id))


def merge(document: Document, parts: list[Extraction], keep_first_ids: bool = False) -> Extraction:
    """One extraction from ``parts`` (in order; earlier parts win). With ``keep_first_ids`` the
    first part is copied as is (its ids, entities, claims, events and quantities unchanged, even
    several claims of one fact with different evidence) and later parts merge into it."""
    m = _Merger(document)
    for n, part in enumerate(parts):
        m.add(part, keep_ids=keep_first_ids and n == 0)
    return m.out


def merge_rules_llm(rules: Extraction, llm: Extraction) -> Extraction:
    """Rules first (their ids and claims unchanged), then what the LLM adds."""
    return merge(rules.document, [rules, llm], keep_first_ids=True)
