"""Our own sentence templates for profiles (never the articles' sentences).

A sentence is a list of segments: ``str`` (prose) or ``{"cite": [claim/event dicts]}`` (a
footnote marker pointing at each item's evidence). The modality decides the wording of claims,
events and figures alike: asserted -> stated; reported -> "according to ..."; hedged -> "may
..."; denied -> "Denied by ...: ..." or "The text denies that ...", never stated as fact. An
event or figure read as denied quotes the words that deny (a few, never the whole sentence)
and says whether they deny the event or figure itself or something else of the sentence.
Types and activities are named in words from ``ontology.yaml``, never by their codes.
"""
from __future__ import annotations

import re

import networkx as nx

from ...ontology import get_ontology
from ..wording import denial_clause, denial_scope, is_low, label, sources_text
from .figures import MEASURE_DEFAULT, MEASURES, figure

# relation -> (third person, base form after "may"); "{o}" is where the object(s) go.
RELATIONS = {
    "LEADER_OF": ("leads {o}", "lead {o}"),
    "MEMBER_OF": ("is a member of {o}", "be a member of {o}"),
    "FOUNDED_BY": ("was founded by {o}", "have been founded by {o}"),
    "BASED_IN": ("is based in {o}", "be based in {o}"),
    "OPERATES_IN": ("operates in {o}", "operate in {o}"),
    "CONTROLS": ("controls {o}", "control {o}"),
    "ACTIVITY": ("is involved in {o}", "be involved in {o}"),
    "TRAFFICS": ("traffics {o}", "traffic {o}"),
    "AFFILIATED_WITH": ("is affiliated with {o}", "be affiliated with {o}"),
    "LOCATED_IN": ("is located in {o}", "be located in {o}"),
    "IMPRISONED_IN": ("has been imprisoned in {o}", "have been imprisoned in {o}"),
    "ESCAPED_FROM": ("escaped from {o}", "have escaped from {o}"),
    "HOLDS_POSITION": ("has held the position of {role} in {o}",
                       "have held the position of {role} in {o}"),
    "FAMILY_OF": ("is a relative of {o}", "be a relative of {o}"),
    "PARTNER_OF": ("is the partner of {o}", "be the partner of {o}"),
    "ATTACKED": ("attacked {o}", "have attacked {o}"),
    "ALLY_OF": ("is allied with {o}", "be allied with {o}"),
    "RIVAL_OF": ("is a rival of {o}", "be a rival of {o}"),
    "LINKED_TO": ("has links to {o}", "have links to {o}"),
}
DEFAULT = ("is connected to {o} ({rel})", "be connected to {o} ({rel})")
POINT_IN_TIME = {"ESCAPED_FROM", "ATTACKED", "FOUNDED_BY"}
NO_EVIDENCE = ("there is no evidence", "no evidence", "without evidence", "no hay pruebas",
               "no hay evidencia", "sin pruebas", "has not been proven")
UNSOURCED = "sources cited in the reporting"


def join(parts: list[list]) -> list:
    """['a'], ['b'], ['c'] -> a, b and c (segment lists)."""
    out: list = []
    for i, part in enumerate(parts):
        if i:
            out.append(" and " if i == len(parts) - 1 else ", ")
        out += part
    return out


def when(since: str | None, until: str | None, rel: str = "") -> str:
    if since and until and since != until:
        return f" between {since} and {until}"
    if since:
        return f" in {since}" if rel in POINT_IN_TIME or since == until else f" since {since}"
    return f" until {until}" if until else ""


def date_phrase(date: str | None) -> str:
    if not date:
        return ""
    if len(date) == 10 and date[4] == "-":
        return f" on {date}"
    return f" in the {date}" if date.endswith("s") else f" in {date}"


def source_phrase(sources: list[str]) -> str:
    """Tidy attributions (:func:`~sabueso.report.wording.sources_text`); none: unnamed sources."""
    return sources_text(sources) or UNSOURCED


def _cap(segs: list) -> list:
    segs = [s for s in segs if s != ""]
    if segs and isinstance(segs[0], str) and segs[0]:
        segs[0] = segs[0][0].upper() + segs[0][1:]
    return segs


def modal(subject: list, third: str, base: str, objects: list, tail: str, modality: str,
          sources: list[str], note: str = "", evidence: str | None = None) -> list:
    """Wrap '<subject> <verb> <objects><tail>' in the wording its modality asks for: stated;
    'according to S, ...'; '... may ...'; 'Denied by S: ...' or 'The text denies that ...'
    ('... says there is no evidence that ...' when that is how it denies). ``note`` ('low
    confidence') goes before the full stop."""
    verb = base if modality == "hedged" else third
    before, _, after = verb.partition("{o}")
    core = subject + [(" may " if modality == "hedged" else " ") + before] + objects + [after + tail]
    end = [f" ({note})." if note else "."]
    if modality == "denied":
        if sources:
            return _cap([f"denied by {source_phrase(sources)}: "] + core + end)
        quote = (denial_clause(evidence) or "").lower()
        lead = "the text says there is no evidence that " if quote.startswith(NO_EVIDENCE) \
            else "the text denies that "
        return _cap([lead] + core + end)
    prefix = f"according to {source_phrase(sources)}, " if sources or modality == "reported" else ""
    return _cap([prefix] + core + end)


def _article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _written_in(place: str, items: list[dict]) -> bool:
    """Whether a sentence says the event happened *in* the place ('in Cartagena', 'en
    Cartagena'), not only names it ('Washington designated ...')."""
    pattern = re.compile(r"\b(in|at|near|inside|en|cerca de|dentro de)\s+((the|la|el|los|las)\s+)?"
                         + re.escape(place) + r"\b", re.I)
    return any(pattern.search(i.get("evidence") or "") for i in items)


def _sources(items: list[dict]) -> list[str]:
    return list(dict.fromkeys(i["attributed_to"] for i in items if i.get("attributed_to")))


def low_note(items: list[dict]) -> str:
    """'low confidence' when every item has a learned score below the threshold."""
    scores = [i.get("confidence") for i in items]
    return "low confidence" if scores and all(is_low(c) for c in scores) else ""


class Phraser:
    """Names entities (aliases on first use) and phrases facts, events and figures."""

    def __init__(self, g: nx.MultiDiGraph, node: str):
        self.g, self.node, self.seen = g, node, {node}

    def name(self, eid: str | None) -> str:
        if not eid:
            return "an unnamed party"
        if eid not in self.g:
            return str(eid)
        data = self.g.nodes[eid]
        name, aliases = data.get("name") or eid, data.get("aliases") or []
        if eid in self.seen or not aliases or data.get("type") in ("Place", "Prison", "Commodity"):
            return name
        self.seen.add(eid)
        return f"{name} (also known as {', '.join('“' + a + '”' for a in aliases)})"

    def obj(self, fact: dict) -> list:
        name = self.name(fact["object"]) if fact["object"] else label(str(fact["value"]))
        segs: list = [name, {"cite": fact["claims"]}]
        if len(fact["docs"]) > 1:
            segs.append(f" (reported in {len(fact['docs'])} documents)")
        return segs

    def facts(self, facts: list[dict]) -> list:
        """One sentence for facts that differ only in their object (same subject and wording)."""
        f = facts[0]
        third, base = RELATIONS.get(f["type"], DEFAULT)
        fill = {"o": "{o}", "rel": label(f["type"]),
                "role": f["qualifiers"].get("role") or "an official"}
        q, tail = f["qualifiers"], ""
        if q.get("from"):
            tail += f" from {self.name(q['from'])}"
        if q.get("to"):
            tail += f" to {self.name(q['to'])}"
        tail += when(f["since"], f["until"], f["type"])
        claims = [c for x in facts for c in x["claims"]]
        return modal([self.name(f["subject"])], third.format(**fill), base.format(**fill),
                     join([self.obj(x) for x in facts]), tail, f["modality"], f["attributed_to"],
                     low_note(claims), next((c.get("evidence") for c in claims), None))

    def event(self, v: dict, items: list[dict] | None = None) -> list:
        """'The text records an arrest in Puerto Niebla in 2021 involving X.'; reported:
        'According to S, there was ...'; hedged: 'There may have been ...'; denied: what the
        sentence denies, quoted, and whether that is the event or something else."""
        items = items or [v]
        people = [p for p in v.get("participants") or [] if p in self.g]
        place = self.name(v["place"]) if v.get("place") else None
        inside = place is not None and _written_in(place, items)
        core: list = [_article(label(v["type"])) + (f" in {place}" if inside else "")
                      + date_phrase(v.get("date"))]
        if people:
            core += [" involving "] + join([[self.name(p)] for p in people])
        if v.get("casualties"):
            core.append(f", with {v['casualties']} killed")
        if place and not inside:
            core.append(f" (the sentence also names {place})")
        docs = {i.get("doc_id") for i in items}
        end: list = [{"cite": items}] + ([f" (reported in {len(docs)} documents)"] if len(docs) > 1 else []) + ["."]
        sources = _sources(items)
        who = source_phrase(sources) if sources else ""
        modality = v.get("modality") or "asserted"
        if modality == "reported":
            return _cap([f"according to {who or UNSOURCED}, there was "] + core + end)
        if modality == "hedged":
            return _cap([f"according to {who}, " if who else ""] + ["there may have been "] + core + end)
        if modality == "denied":
            quote, itself = denial_scope(v, "event")
            if quote and itself:
                lead = f"denied by {who}: there was " if who else "the text denies that there was "
                return _cap([lead] + core + [f" (“{quote}”)"] + end)
            if quote:
                return _cap(["the text records "] + core + ["; what its sentence denies is something "
                                                           f"else: “{quote}”"] + end)
            return _cap(["the text records "] + core + [", in a sentence that also holds a denial"] + end)
        return _cap(["the text records "] + core + end)

    def quantity(self, q: dict, items: list[dict]) -> list:
        third, base = MEASURES.get(q["measure"], MEASURE_DEFAULT)
        fill = {"s": self.name(q["subject"]), "n": figure(q["value"], q.get("qualifier")),
                "m": label(q["measure"])}
        docs = {i.get("doc_id") for i in items}
        note = low_note(items)
        end: list = [{"cite": items}] + ([f" (reported in {len(docs)} documents)"] if len(docs) > 1 else []) \
            + [f" ({note})." if note else "."]
        sources = _sources(items)
        modality = q.get("modality") or "asserted"
        if modality == "hedged":
            return _cap([f"according to {source_phrase(sources)}, " if sources else "", base.format(**fill)] + end)
        if modality == "reported":
            return _cap([f"according to {source_phrase(sources)}, ", third.format(**fill)] + end)
        if modality == "denied":
            quote, itself = denial_scope(q, "figure")
            if quote and not itself:
                return _cap(["the text records that ", third.format(**fill)]
                            + [f"; what its sentence denies is something else: “{quote}”"] + end)
            lead = f"denied by {source_phrase(sources)}: " if sources else "the text denies that "
            return _cap([lead, third.format(**fill)] + end)
        return _cap([third.format(**fill)] + end)

    def identity(self, entity: dict, citations: list[dict]) -> list:
        spec = get_ontology().entity_types.get(entity["type"], {})
        kind = str(spec.get("label") or entity["type"]).lower()
        article = "an" if kind[:1] in "aeiou" else "a"
        segs: list = [f"{entity['name']} is recorded as {article} {kind}"]
        if entity.get("aliases"):
            segs.append(", also known as " + ", ".join(f"“{a}”" for a in entity["aliases"]))
        return segs + ([{"cite": citations}] if citations else []) + ["."]
