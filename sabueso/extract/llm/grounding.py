"""The grounding guard: nothing the model says reaches an Extraction unless the text backs it.

Every entity name and alias must align to a span of the text; every relation, event and
quantity needs evidence that aligns to a span (its offsets and exact text replace what the model
wrote), ends that are grounded entities, and a type, modality and activity label that exist in
the ontology (relations also within its domain/range). Whatever fails is dropped and counted in
a :class:`GroundingReport`; fields that fail (a bad date, an ungrounded participant) are cleared
and counted.
"""
from __future__ import annotations

import math
import re

from ...core import MODALITIES, Claim, Document, Entity, Event, Extraction, Mention, Quantity
from ...ontology import get_ontology
from ...resolve import norm_name
from .align import Aligner
from .report import GroundingReport

MIN_EVIDENCE = 8
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _date(value, report: GroundingReport, what: str) -> str | None:
    if value in (None, ""):
        return None
    if _DATE.match(str(value).strip()):
        return str(value).strip()
    report.clear(f"{what} not YYYY[-MM[-DD]]")
    return None


def _source(item: dict, al: Aligner, report: GroundingReport, what: str) -> str | None:
    """An event's or figure's ``attributed_to`` as the text writes it; cleared (and counted)
    when it does not align to the text."""
    said = item.get("attributed_to")
    if not said:
        return None
    hit = al.find(str(said))
    if hit is None:
        report.clear(f"{what} attributed_to not in text")
        return None
    return hit.text


def ground(payload: dict, document: Document, start: int, end: int,
           report: GroundingReport) -> Extraction:
    """Ground one validated reply for ``document.text[start:end]``; ids are e1, e2, ..."""
    onto, text = get_ontology(), document.text
    al = Aligner(text[start:end], offset=start)
    out = Extraction(document=document)
    ids: dict[str, str] = {}       # model id -> our id
    by_name: dict[str, str] = {}   # norm_name -> our id
    types: dict[str, str] = {}     # our id -> entity type

    for e in payload["entities"]:
        name = str(e["name"])
        if e["type"] not in onto.entity_types:
            report.drop("entity", "entity type not in ontology", name)
            continue
        if str(e["id"]) in ids:
            report.drop("entity", "duplicate id", name)
            continue
        hit = al.find(name, word=True)
        if hit is None:
            report.drop("entity", "name not in text", name)
            continue
        eid = f"e{len(out.entities) + 1}"
        ent = Entity(id=eid, type=e["type"], name=hit.text)
        spans = [(hit, "name")]
        for alias in e.get("aliases") or []:
            a_hit = al.find(alias, word=True)
            if a_hit is None:
                report.drop("alias", "alias not in text", alias)
            elif norm_name(a_hit.text) not in {norm_name(x) for x in ent.names()}:
                ent.aliases.append(a_hit.text)
                spans.append((a_hit, "alias"))
        pk = e.get("place_kind")
        kinds = onto.entity_types.get("Place", {}).get("place_kinds", [])
        if pk and (ent.type not in ("Place", "Prison") or pk not in kinds):
            report.clear("place_kind not in ontology")
        else:
            ent.place_kind = pk or None
        cc = e.get("country")
        if cc and not re.fullmatch(r"[A-Za-z]{2}", str(cc)):
            report.clear("country not an ISO alpha-2 code")
        else:
            ent.country = str(cc).upper() if cc else None
        seen = set()
        for h, kind in spans:
            for m in [h, *al.find_all(h.text)]:
                if (m.start, m.end) not in seen:
                    seen.add((m.start, m.end))
                    out.mentions.append(Mention(m.start, m.end, m.text, ent.type, eid, kind))
        out.entities.append(ent)
        report.kept["entity"] += 1
        ids[str(e["id"])] = eid
        types[eid] = ent.type
        for nm in ent.names():
            by_name.setdefault(norm_name(nm), eid)

    def ref(value) -> str | None:
        if value is None:
            return None
        return ids.get(str(value)) or by_name.get(norm_name(str(value)))

    def evidence(item: dict, kind: str):
        ev = str(item.get("evidence") or "")
        if len(ev.strip()) < MIN_EVIDENCE:
            report.drop(kind, "evidence missing or too short", ev)
            return None
        hit = al.find(ev)
        if hit is None:
            report.drop(kind, "evidence not in text", ev)
        return hit

    for r in payload["relations"]:
        what = f"{r['type']} {r['subject']} -> {r['object']}"
        rt = onto.relations.get(r["type"])
        if rt is None:
            report.drop("relation", "relation type not in ontology", what)
            continue
        if r.get("modality") not in MODALITIES:
            report.drop("relation", "modality missing or not in ontology", what)
            continue
        subj = ref(r["subject"])
        if subj is None:
            report.drop("relation", "subject not a grounded entity", what)
            continue
        if isinstance(rt.range, str):
            obj, otype = str(r["object"]), None
            if obj not in onto.activities:
                report.drop("relation", "activity label not in ontology", what)
                continue
        else:
            obj = ref(r["object"])
            if obj is None:
                report.drop("relation", "object not a grounded entity", what)
                continue
            otype = types[obj]
        if not (rt.accepts(types[subj], otype) or (rt.symmetric and rt.accepts(otype, types[subj]))):
            report.drop("relation", "entity types outside the relation's domain/range", what)
            continue
        hit = evidence(r, "relation")
        if hit is None:
            continue
        attributed = r.get("attributed_to")
        if attributed:
            a_hit = al.find(str(attributed))
            if a_hit is None:
                report.drop("relation", "attributed_to not in text", what)
                continue
            attributed = a_hit.text
        quals = {}
        for k, v in (r.get("qualifiers") or {}).items():
            if k not in rt.qualifiers:
                report.clear("qualifier not in ontology")
                continue
            if v in (None, ""):
                continue
            if k in ("from", "to"):
                v = ref(v)
                if v is None:
                    report.clear("qualifier entity not grounded")
                    continue
            quals[k] = v if isinstance(v, (str, int, float)) else str(v)
        out.claims.append(Claim(
            type=rt.name, subject=subj, object=obj, evidence=hit.text, start=hit.start, end=hit.end,
            modality=r["modality"], attributed_to=attributed or None,
            since=_date(r.get("since"), report, "since"), until=_date(r.get("until"), report, "until"),
            qualifiers=quals, extractor="llm").finalise(document.id))
        report.kept["relation"] += 1

    for v in payload["events"]:
        modality = v.get("modality")
        if v["type"] not in onto.events:
            report.drop("event", "event type not in ontology", str(v["type"]))
            continue
        if modality not in MODALITIES:
            report.drop("event", "modality missing or not in ontology", str(v["type"]))
            continue
        hit = evidence(v, "event")
        if hit is None:
            continue
        parts = [p for p in (ref(x) for x in v.get("participants") or []) if p]
        if len(parts) < len(v.get("participants") or []):
            report.clear("event participant not grounded")
        place = ref(v.get("place"))
        if v.get("place") and place is None:
            report.clear("event place not grounded")
        cas = v.get("casualties")
        attributed = _source(v, al, report, "event")
        out.events.append(Event(
            type=v["type"], evidence=hit.text, start=hit.start, end=hit.end,
            date=_date(v.get("date"), report, "date"), place=place, participants=list(dict.fromkeys(parts)),
            casualties=int(cas) if isinstance(cas, (int, float)) and cas >= 0 else None,
            modality=modality, attributed_to=attributed, extractor="llm").finalise(document.id))
        report.kept["event"] += 1

    qualifiers = onto.quantities.get("qualifiers", {})
    for q in payload["quantities"]:
        what = f"{q['subject']} {q['measure']}={q['value']}"
        subj = ref(q["subject"])
        if subj is None:
            report.drop("quantity", "subject not a grounded entity", what)
            continue
        if not math.isfinite(float(q["value"])):
            report.drop("quantity", "value not a finite number", what)
            continue
        hit = evidence(q, "quantity")
        if hit is None:
            continue
        qual = q.get("qualifier")
        if qual and qual not in qualifiers:
            report.clear("quantity qualifier not in ontology")
            qual = None
        measure = re.sub(r"\s+", "_", str(q["measure"]).strip().lower())
        modality = q.get("modality") or "asserted"
        if modality not in MODALITIES:
            report.clear("quantity modality not in ontology")
            modality = "asserted"
        out.quantities.append(Quantity(
            subject=subj, measure=measure, value=float(q["value"]), evidence=hit.text,
            start=hit.start, end=hit.end, qualifier=qual or None, extractor="llm",
            modality=modality, attributed_to=_source(q, al, report, "quantity")).finalise(document.id))
        report.kept["quantity"] += 1
    return out
