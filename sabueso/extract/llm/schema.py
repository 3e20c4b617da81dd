"""The JSON the model must return: a JSON Schema generated from ``ontology.yaml``, and a
structural validator.

The schema's enums (entity types, relation types, modalities, activity labels, event types,
place kinds) all come from the ontology, so a new type in the YAML reaches the prompt without
code changes. :func:`validate` only checks *structure* (objects, lists, strings, numbers): a
structurally broken reply is an :class:`LLMError`, while a value outside the vocabulary (or a
missing modality) is the grounding guard's business: dropped and counted, see ``grounding.py``.
"""
from __future__ import annotations

from typing import Any

from ...core import MODALITIES
from ...ontology import get_ontology
from .client import LLMError

_NULL_STR = {"type": ["string", "null"]}


def response_schema() -> dict:
    onto = get_ontology()
    place_kinds = onto.entity_types.get("Place", {}).get("place_kinds", [])
    entity = {"type": "object", "required": ["id", "type", "name"], "properties": {
        "id": {"type": "string", "description": "local id: e1, e2, ..."},
        "type": {"enum": list(onto.entity_types)},
        "name": {"type": "string", "description": "the name exactly as written in the text"},
        "aliases": {"type": "array", "items": {"type": "string"}},
        "place_kind": {"enum": [*place_kinds, None]},
        "country": {**_NULL_STR, "description": "ISO 3166-1 alpha-2 code"}}}
    relation = {"type": "object", "required": ["type", "subject", "object", "modality", "evidence"],
                "properties": {
        "type": {"enum": list(onto.relations)},
        "subject": {"type": "string", "description": "entity id"},
        "object": {"type": "string", "description": "entity id; for ACTIVITY one of: "
                   + ", ".join(onto.activity_labels)},
        "modality": {"enum": list(MODALITIES)},
        "attributed_to": {**_NULL_STR, "description": "the source, as written, when reported"},
        "since": {**_NULL_STR, "description": "YYYY, YYYY-MM or YYYY-MM-DD"},
        "until": _NULL_STR,
        "qualifiers": {"type": "object"},
        "evidence": {"type": "string", "description": "verbatim sentence copied from the text"}}}
    event = {"type": "object", "required": ["type", "modality", "evidence"], "properties": {
        "type": {"enum": onto.event_types},
        "date": _NULL_STR,
        "place": {**_NULL_STR, "description": "entity id"},
        "participants": {"type": "array", "items": {"type": "string"}},
        "casualties": {"type": ["integer", "null"]},
        "modality": {"enum": list(MODALITIES)},
        "attributed_to": _NULL_STR,
        "evidence": {"type": "string"}}}
    quantity = {"type": "object", "required": ["subject", "measure", "value", "evidence"],
                "properties": {
        "subject": {"type": "string", "description": "entity id"},
        "measure": {"type": "string", "examples": list(onto.quantities.get("measures", {}))},
        "value": {"type": "number"},
        "qualifier": {"enum": [*onto.quantities.get("qualifiers", {}), None]},
        "modality": {"enum": [*MODALITIES, None]},
        "attributed_to": _NULL_STR,
        "evidence": {"type": "string"}}}
    return {"type": "object", "required": ["entities", "relations", "events", "quantities"],
            "properties": {
                "entities": {"type": "array", "items": entity},
                "relations": {"type": "array", "items": relation},
                "events": {"type": "array", "items": event},
                "quantities": {"type": "array", "items": quantity}}}


# -- structural validation ----------------------------------------------------------------
_STR, _OPT_STR, _NUM, _OPT_NUM = "str", "str?", "num", "num?"
_SHAPES: dict[str, dict[str, Any]] = {
    "entities": {"id": _STR, "type": _STR, "name": _STR, "aliases": list, "place_kind": _OPT_STR,
                 "country": _OPT_STR},
    "relations": {"type": _STR, "subject": _STR, "object": _STR, "modality": _OPT_STR,
                  "attributed_to": _OPT_STR, "since": _OPT_STR, "until": _OPT_STR,
                  "qualifiers": dict, "evidence": _STR},
    "events": {"type": _STR, "date": _OPT_STR, "place": _OPT_STR, "participants": list,
               "casualties": _OPT_NUM, "modality": _OPT_STR, "attributed_to": _OPT_STR,
               "evidence": _STR},
    "quantities": {"subject": _STR, "measure": _STR, "value": _NUM, "qualifier": _OPT_STR,
                   "modality": _OPT_STR, "attributed_to": _OPT_STR, "evidence": _STR},
}
_REQUIRED = {"entities": ("id", "type", "name"), "relations": ("type", "subject", "object", "evidence"),
             "events": ("type", "evidence"), "quantities": ("subject", "measure", "value", "evidence")}


def _ok(kind: Any, value: Any) -> bool:
    if value is None:
        return kind in (_OPT_STR, _OPT_NUM, list, dict)
    if kind in (_STR, _OPT_STR):
        return isinstance(value, (str, int)) and not isinstance(value, bool)
    if kind in (_NUM, _OPT_NUM):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, kind)


def validate(payload: Any, model: str = "") -> dict:
    """Check the reply's structure; return it with ids as strings and missing lists as []."""
    who = f"Model {model!r}" if model else "The model"
    if not isinstance(payload, dict):
        raise LLMError(f"{who} returned JSON that is not an object ({type(payload).__name__})")
    if "entities" not in payload:
        raise LLMError(f"{who} returned an object without 'entities' (keys: {sorted(payload)[:8]})")
    out: dict[str, list] = {}
    for section, shape in _SHAPES.items():
        items = payload.get(section) or []
        if not isinstance(items, list):
            raise LLMError(f"{who}: '{section}' must be a list, got {type(items).__name__}")
        clean = []
        for n, item in enumerate(items):
            where = f"{who}: {section}[{n}]"
            if not isinstance(item, dict):
                raise LLMError(f"{where} is not an object")
            missing = [k for k in _REQUIRED[section] if item.get(k) is None]
            if missing:
                raise LLMError(f"{where} lacks {', '.join(missing)}")
            bad = [k for k, kind in shape.items() if k in item and not _ok(kind, item[k])]
            if bad:
                raise LLMError(f"{where} has a value of the wrong type for {', '.join(bad)}")
            row = dict(item)
            for k, kind in shape.items():
                if kind in (_STR, _OPT_STR) and isinstance(row.get(k), int):
                    row[k] = str(row[k])
            if any(not isinstance(a, str) for a in row.get("aliases") or []) or \
               any(not isinstance(p, (str, int)) for p in row.get("participants") or []):
                raise LLMError(f"{where}: aliases and participants must be lists of strings")
            clean.append(row)
        out[section] = clean
    return out
