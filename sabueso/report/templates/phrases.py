"""Our own sentence templates for profiles (never the articles' sentences).

A sentence is a list of segments: ``str`` (prose) or ``{"cite": [claim/event dicts]}`` (a
footnote marker pointing at each item's evidence). The modality decides the wording:
asserted -> stated; reported -> "according to ..."; hedged -> "may ..."; denied -> "there is
no evidence that ... (denied in the source)", never stated as fact.
"""
from __future__ import annotations

import networkx as nx

from ...ontology import get_ontology

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
EVENT_NOUNS = {"attack": "an attack", "arrest": "an arrest", "escape": "an escape",
               "expansion": "an expansion", "extradition": "an extradition",
               "imprisonment": "an imprisonment", "indictment": "an indictment",
               "appointment": "an appointment", "armed_strike": "an armed strike"}
# measure -> sentence; {s}: the subject, {n}: the figure with its qualifier ("more than 20")
MEASURES = {"members": "{s} has {n} members", "cells": "{s} has {n} cells or factions",
            "principal_enclaves": "{s} has {n} principal enclaves",
            "states_present": "{s} is present in {n} states",
            "countries_present": "{s} is present in {n} countries",
            "neighborhoods": "{s} is linked to a figure of {n} neighborhoods",
            "killed": "{n} deaths are recorded in connection with {s}",
            "arrested": "{n} arrests are recorded in connection with {s}"}
MEASURE_DEFAULT = "{s} is associated with a figure of {n} ({m})"
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
    """Tidy attributions: cut parenthetical tails, lower-case generic heads ('Police sources')."""
    words = get_ontology().modality["attribution"]
    generic = {"the", "a", "an", *words["en"]["source_heads"], *words["es"]["source_heads"]}
    out = []
    for s in sources or [UNSOURCED]:
        s = " ".join(s.split("(")[0].split()).strip(" ,;:")
        if s and s.split()[0].casefold() in generic:
            s = s[0].lower() + s[1:]
        if s and s not in out:
            out.append(s)
    return " and ".join(out) if out else UNSOURCED


def _cap(segs: list) -> list:
    segs = [s for s in segs if s != ""]
    if segs and isinstance(segs[0], str) and segs[0]:
        segs[0] = segs[0][0].upper() + segs[0][1:]
    return segs


def modal(subject: list, third: str, base: str, objects: list, tail: str, modality: str,
          sources: list[str]) -> list:
    """Wrap '<subject> <verb> <objects><tail>' in the wording its modality asks for."""
    verb = base if modality == "hedged" else third
    before, _, after = verb.partition("{o}")
    core = subject + [(" may " if modality == "hedged" else " ") + before] + objects + [after + tail]
    prefix = f"according to {source_phrase(sources)}, " if sources or modality == "reported" else ""
    if modality == "denied":
        return _cap([prefix + "there is no evidence that "] + core + [" (denied in the source)."])
    return _cap([prefix] + core + ["."])


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
        label = self.name(fact["object"]) if fact["object"] else str(fact["value"]).replace("_", " ")
        segs: list = [label, {"cite": fact["claims"]}]
        if len(fact["docs"]) > 1:
            segs.append(f" (reported in {len(fact['docs'])} documents)")
        return segs

    def facts(self, facts: list[dict]) -> list:
        """One sentence for facts that differ only in their object (same subject and wording)."""
        f = facts[0]
        third, base = RELATIONS.get(f["type"], DEFAULT)
        fill = {"o": "{o}", "rel": f["type"].lower().replace("_", " "),
                "role": f["qualifiers"].get("role") or "an official"}
        q, tail = f["qualifiers"], ""
        if q.get("from"):
            tail += f" from {self.name(q['from'])}"
        if q.get("to"):
            tail += f" to {self.name(q['to'])}"
        tail += when(f["since"], f["until"], f["type"])
        return modal([self.name(f["subject"])], third.format(**fill), base.format(**fill),
                     join([self.obj(x) for x in facts]), tail, f["modality"], f["attributed_to"])

    def event(self, v: dict, items: list[dict] | None = None) -> list:
        noun = EVENT_NOUNS.get(v["type"], f"a {v['type'].replace('_', ' ')}")
        people = [p for p in v.get("participants") or [] if p in self.g]
        subject = [noun] + ([" involving "] + join([[self.name(p)] for p in people]) if people else [])
        place = f" in {self.name(v['place'])}" if v.get("place") else ""
        tail = place + date_phrase(v.get("date"))
        if v.get("casualties"):
            tail += f", with {v['casualties']} killed"
        docs = {i.get("doc_id") for i in items or [v]}
        if len(docs) > 1:
            tail += f" (reported in {len(docs)} documents)"
        cite = {"cite": items or [v]}
        return modal(subject, "took place{o}", "have taken place{o}", [cite], tail,
                     v.get("modality") or "asserted", [])

    def quantity(self, q: dict, items: list[dict]) -> list:
        value = int(q["value"]) if float(q["value"]).is_integer() else q["value"]
        qual = f"{q['qualifier']} " if q.get("qualifier") else ""
        text = MEASURES.get(q["measure"], MEASURE_DEFAULT).format(
            s=self.name(q["subject"]), n=f"{qual}{value:,}", m=q["measure"].replace("_", " "))
        segs = [text[0].upper() + text[1:], {"cite": items}]
        docs = {i.get("doc_id") for i in items}
        return segs + ([f" (reported in {len(docs)} documents)."] if len(docs) > 1 else ["."])

    def identity(self, entity: dict, citations: list[dict]) -> list:
        spec = get_ontology().entity_types.get(entity["type"], {})
        kind = str(spec.get("label") or entity["type"]).lower()
        article = "an" if kind[:1] in "aeiou" else "a"
        segs: list = [f"{entity['name']} is recorded as {article} {kind}"]
        if entity.get("aliases"):
            segs.append(", also known as " + ", ".join(f"“{a}”" for a in entity["aliases"]))
        return segs + ([{"cite": citations}] if citations else []) + ["."]
