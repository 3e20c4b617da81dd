"""What the model is told: a prompt built from ``ontology.yaml``, and the chunks it reads.

No vocabulary is written here: entity types, relation types with domain/range, activity labels,
event types, place kinds and the hedge/attribution/denial cue examples all come from the
ontology. Bump :data:`PROMPT_VERSION` when the wording changes (the cache key also holds a hash
of the rendered prompt, so an ontology edit invalidates cached replies by itself).
"""
from __future__ import annotations

import bisect
import hashlib
import json
import re
from functools import lru_cache

from ...core import MODALITIES
from ...ontology import get_ontology
from .schema import response_schema

PROMPT_VERSION = "sabueso-llm-1"
CHUNK_SIZE = 6000
CHUNK_OVERLAP = 800

# Used only when ontology.yaml has no ``modality: definitions:`` block.
_MODALITY_DEFINITIONS = {
    "asserted": "the text states it in its own voice",
    "reported": "the text attributes it to a named or described source; put that source, as "
                "written, in attributed_to",
    "hedged": "the text marks it as uncertain",
    "denied": "the text says it is not so, or that there is no evidence for it",
}
_MODALITY_CUES = {"reported": "attribution", "hedged": "hedge", "denied": "denial"}


def _examples(words, n: int = 8) -> str:
    flat = []
    for w in words if isinstance(words, list) else [x for v in (words or {}).values() for x in v]:
        if str(w) not in flat:
            flat.append(str(w))
    return ", ".join(f'"{w}"' for w in flat[:n])


@lru_cache(maxsize=4)
def system_prompt(lang: str = "en") -> str:
    onto = get_ontology()
    lines = ["You extract an evidence-backed knowledge graph about organized crime from ONE news "
             "text. Use only what this text says; never add knowledge from anywhere else.", "",
             "Entity types:"]
    for name, spec in onto.entity_types.items():
        heads = onto.heads(name, lang) or onto.heads(name, "en")
        if name == "Commodity":
            heads = onto.commodities(lang) or onto.commodities("en")
        extra = f" (e.g. {_examples(list(heads), 6)})" if heads else ""
        lines.append(f"- {name}: {spec.get('label', name)}{extra}")
    kinds = onto.entity_types.get("Place", {}).get("place_kinds", [])
    lines += [f"Place entities may set place_kind to one of: {', '.join(kinds)}.", "",
              "Relation types (subject type -> object type):"]
    for r in onto.relations.values():
        rng = "an activity label" if isinstance(r.range, str) else " | ".join(r.range)
        sym = " (symmetric)" if r.symmetric else ""
        quals = f"; qualifiers: {', '.join(r.qualifiers)}" if r.qualifiers else ""
        lines.append(f"- {r.name}{sym}: {' | '.join(r.domain)} -> {rng}{quals}")
    lines += ["TRAFFICS qualifiers from/to are entity ids of places; HOLDS_POSITION's role is the "
              "title as written.", "",
              f"Activity labels (the object of ACTIVITY): {', '.join(onto.activity_labels)}.",
              f"Event types: {', '.join(onto.event_types)}.", "",
              "Modality of every relation and event:"]
    defs = onto.modality.get("definitions") or _MODALITY_DEFINITIONS
    for m in MODALITIES:
        cue = onto.modality.get(_MODALITY_CUES.get(m, ""), {}).get(lang)
        words = _examples(cue) if cue else ""
        lines.append(f"- {m}: {defs.get(m, '')}" + (f" (cues such as {words})" if words else ""))
    lines += ["", "Rules:",
              "1. name and aliases: copy each exactly as it is spelled in the text. Aliases are other "
              "names or nicknames the text gives the same entity.",
              "2. evidence: copy the sentence that states the fact VERBATIM from the text, character "
              "for character; never paraphrase, translate, shorten with '...' or join sentences.",
              "3. subject, object, place, participants and qualifiers from/to are entity ids from "
              "your 'entities' list; every entity you refer to must be listed there.",
              "4. Never turn an allegation into a fact: choose the modality the text uses.",
              "5. Dates are YYYY, YYYY-MM or YYYY-MM-DD. Quantities: value is a number.",
              "6. If the text states nothing relevant, return empty lists.", "",
              "Answer with ONE JSON object and nothing else, valid against this JSON Schema:",
              json.dumps(response_schema(), ensure_ascii=False, separators=(",", ":"))]
    return "\n".join(lines)


def prompt_hash(lang: str = "en") -> str:
    return hashlib.sha256(system_prompt(lang).encode("utf-8")).hexdigest()[:16]


def build_messages(chunk: str, lang: str = "en", part: int = 0, parts: int = 1) -> list[dict]:
    where = f" (part {part + 1} of {parts} of a longer text)" if parts > 1 else ""
    return [{"role": "system", "content": system_prompt(lang)},
            {"role": "user", "content": f"Language: {lang}. Text{where}:\n\n{chunk}"}]


# -- chunking -----------------------------------------------------------------------------
_PARA = re.compile(r"\n\s*\n")
_SENT = re.compile(r"(?<=[.!?…:;])[\"'”’)\]]*\s+|\n")


def chunk_spans(text: str, size: int = CHUNK_SIZE, overlap: int = CHUNK_OVERLAP) -> list[tuple[int, int]]:
    """Character spans covering ``text``: cut at paragraph, else sentence, else word breaks;
    each chunk after the first starts at a sentence start within ``overlap`` of the last cut."""
    n = len(text)
    if n <= size:
        return [(0, n)]
    paras = [m.end() for m in _PARA.finditer(text)]
    sents = sorted({m.end() for m in _SENT.finditer(text)} | set(paras))
    words = [m.end() for m in re.finditer(r"\s+", text)]
    spans, start = [], 0
    while start < n:
        limit = start + size
        if limit >= n:
            spans.append((start, n))
            break
        cut = limit
        for marks in (paras, sents, words):
            i = bisect.bisect_right(marks, limit) - 1
            if i >= 0 and marks[i] > start + size // 2:
                cut = marks[i]
                break
        spans.append((start, cut))
        nxt = cut
        for marks in (sents, words):
            j = bisect.bisect_left(marks, cut - overlap)
            if j < len(marks) and marks[j] < cut:
                nxt = marks[j]
                break
        start = nxt if nxt > start else cut
    return spans
