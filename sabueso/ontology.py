"""Loader for ``ontology.yaml``: the schema and every cue vocabulary, as data."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

LANGS = ("en", "es")


@dataclass(frozen=True)
class RelationType:
    name: str
    domain: tuple[str, ...]
    range: tuple[str, ...] | str
    symmetric: bool
    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    qualifiers: tuple[str, ...] = ()
    siblings: dict[str, tuple[str, ...]] = field(default_factory=dict)   # 'brothers': a list of kin

    def accepts(self, subj_type: str, obj_type: str | None) -> bool:
        if subj_type not in self.domain:
            return False
        if isinstance(self.range, str):
            return True
        return obj_type in self.range


def _cues(block: Any) -> dict[str, tuple[str, ...]]:
    block = block or {}
    return {lang: tuple(str(w).lower() for w in block.get(lang, []) or []) for lang in LANGS}


class Ontology:
    def __init__(self, data: dict):
        self.data = data
        self.entity_types: dict[str, dict] = data["entity_types"]
        self.relations: dict[str, RelationType] = {}
        for name, spec in data["relations"].items():
            rng = spec.get("range")
            self.relations[name] = RelationType(
                name=name, domain=tuple(spec.get("domain", [])),
                range=rng if isinstance(rng, str) else tuple(rng or []),
                symmetric=bool(spec.get("symmetric")), cues=_cues(spec.get("cues")),
                qualifiers=tuple(spec.get("qualifiers", [])), siblings=_cues(spec.get("siblings")))
        self.activities = {k: _cues(v) for k, v in data["activities"].items()}
        self.events = {k: _cues(v) for k, v in data["events"].items()}
        self.modality = data["modality"]
        self.time = data["time"]
        self.quantities = data["quantities"]
        self.roles = _cues(data["roles"])
        self._labels: dict[str, dict[str, str]] = {}
        for block in ("entity_types", "activities", "events", "relations"):   # later wins
            for code, spec in (data.get(block) or {}).items():
                found = (spec or {}).get("label") if isinstance(spec, dict) else None
                if isinstance(found, str):
                    found = {"en": found}
                if found:
                    self._labels[code] = {k: str(v) for k, v in found.items()}

    # -- plain words ----------------------------------------------------------------------
    def label(self, code: str | None, lang: str = "en") -> str:
        """What a relation type, event type, activity or entity type is called in plain
        ``lang`` words (``OPERATES_IN`` -> 'operates in', ``security_operation`` -> 'security
        operation', ``CriminalGroup`` -> 'Criminal group'); English where ``lang`` has none; a
        code the ontology does not know reads as its own words in lower case."""
        if not code:
            return ""
        found = self._labels.get(str(code))
        if found:
            return found.get(lang) or found.get("en") or next(iter(found.values()))
        words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(code)).replace("_", " ")
        return " ".join(words.split()).lower()

    # -- entity types ---------------------------------------------------------------------
    def compatible(self, a: str, b: str) -> bool:
        return a == b or b in self.entity_types.get(a, {}).get("compatible", [])

    def heads(self, entity_type: str, lang: str) -> tuple[str, ...]:
        heads = self.entity_types.get(entity_type, {}).get("heads") or {}
        return tuple(str(w).lower() for w in heads.get(lang, []) or [])

    def name_heads(self, entity_type: str) -> tuple[str, ...]:
        return tuple(self.entity_types.get(entity_type, {}).get("name_heads") or [])

    def commodities(self, lang: str) -> tuple[str, ...]:
        lex = self.entity_types["Commodity"].get("lexicon") or {}
        return tuple(str(w).lower() for w in lex.get(lang, []) or [])

    def commodity_class_words(self, lang: str) -> frozenset[str]:
        """Words for a class of goods, or for people ('drugs', 'armas', 'migrants'): commodity
        entities only where a claim names them."""
        words = self.entity_types["Commodity"].get("class_words") or {}
        return frozenset(str(w).lower() for w in words.get(lang, []) or [])

    def commodity_activity(self, commodity: str) -> str | None:
        """The activity that trafficking ``commodity`` amounts to (cocaine -> drug_trafficking)."""
        table = self.entity_types["Commodity"].get("activity_of") or {}
        for activity, items in table.items():
            if commodity.lower() in (str(i).lower() for i in items):
                return activity
        return None

    def place_kind_cues(self) -> dict[str, list[str]]:
        return self.entity_types["Place"].get("kind_cues") or {}

    # -- vocabularies ---------------------------------------------------------------------
    def relation_cues(self, relation: str, lang: str) -> tuple[str, ...]:
        return self.relations[relation].cues.get(lang, ())

    def modality_words(self, kind: str, lang: str) -> Any:
        return self.modality[kind][lang]

    @property
    def symmetric(self) -> set[str]:
        return {r.name for r in self.relations.values() if r.symmetric}

    @property
    def event_types(self) -> list[str]:
        return list(self.events)

    @property
    def activity_labels(self) -> list[str]:
        return list(self.activities)


@lru_cache(maxsize=1)
def get_ontology() -> Ontology:
    text = resources.files("sabueso").joinpath("ontology.yaml").read_text(encoding="utf-8")
    return Ontology(yaml.safe_load(text))


def relation_label(code: str | None, lang: str = "en") -> str:
    """A relation type (or activity) in plain words, for people: ``OPERATES_IN`` -> 'operates
    in'. The ontology's own label where it has one (``Ontology.label``), else the code's words
    in lower case. Every page and command that names a relation type asks here."""
    o = get_ontology()
    label = getattr(o, "label", None)
    if label is not None:
        return label(code, lang)
    return " ".join(str(code or "").replace("_", " ").split()).lower()
