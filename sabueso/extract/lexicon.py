"""Cue-word lookups compiled from ``ontology.yaml`` for one language.

Phrases are matched on lower-cased token sequences; a :class:`PhraseIndex` finds every
occurrence of any phrase in a token list in one pass.
"""
from __future__ import annotations

from functools import lru_cache

from ..ontology import get_ontology

# Function words that may sit inside a proper name ("Tren de Ejemplo", "Los Chicos del 9").
NAME_CONNECTORS = {"de", "del", "la", "las", "los", "el", "da", "do", "dos", "das"}
# Quote characters that delimit nicknames and names.
OPEN_QUOTES = {"“": "”", '"': '"', "«": "»", "‘": "’", "'": "'", "„": "“"}
CLOSE_QUOTES = {"”", '"', "»", "’", "'", "“"}
ALIAS_CUES = {
    "en": ["alias", "known as", "also known as", "better known as", "nicknamed", "aka",
           "a.k.a.", "dubbed", "so-called", "called"],
    "es": ["alias", "conocido como", "conocida como", "conocidos como", "conocían como",
           "apodado", "apodada", "llamado", "llamada", "denominado", "denominada", "autodenominado",
           "también escrito", "mejor conocido como"],
}
ANAPHORA_PRONOUNS = {
    "en": {"he": "Person", "him": "Person", "his": "Person", "she": "Person", "her": "Person",
           "its": "CriminalGroup", "they": "CriminalGroup", "their": "CriminalGroup"},
    "es": {"él": "Person", "ella": "Person"},
}
DETERMINERS = {"en": {"the", "this", "that", "these", "those", "said"},
               "es": {"el", "la", "los", "las", "este", "esta", "esa", "ese", "dicha", "dicho", "la misma"}}


class PhraseIndex:
    """Maps phrases (tuples of lower-case words) to values; finds them in token lists."""

    def __init__(self, items: dict[str, object] | None = None):
        self.by_first: dict[str, list[tuple[tuple[str, ...], object]]] = {}
        for phrase, value in (items or {}).items():
            self.add(phrase, value)

    def add(self, phrase: str, value: object) -> None:
        words = tuple(str(phrase).lower().replace("’", "'").split())
        if words:
            bucket = self.by_first.setdefault(words[0], [])
            bucket.append((words, value))
            bucket.sort(key=lambda x: -len(x[0]))

    def match_at(self, words: list[str], i: int) -> tuple[int, object] | None:
        for phrase, value in self.by_first.get(words[i], ()):
            n = len(phrase)
            if tuple(words[i:i + n]) == phrase:
                return n, value
        return None

    def find(self, words: list[str]) -> list[tuple[int, int, object]]:
        """Non-overlapping matches, left to right, the longest phrase first at each word."""
        out: list[tuple[int, int, object]] = []
        by_first, end = self.by_first, 0
        for i in [i for i, w in enumerate(words) if w in by_first]:     # most words start none
            if i < end:
                continue
            m = self.match_at(words, i)
            if m:
                end = i + m[0]
                out.append((i, end, m[1]))
        return out


ENDINGS = {"ar": ("a", "an", "ó", "aron", "aba", "aban", "ará", "arán", "ado"),
           "er": ("e", "en", "ió", "ieron", "ía", "ían", "erá", "erán", "ido"),
           "ir": ("e", "en", "ió", "ieron", "ía", "ían", "irá", "irán", "ido")}


def conjugate(infinitive: str) -> set[str]:
    """Third-person forms of a regular Spanish verb (and its participle): 'señalar' ->
    señala, señalan, señaló, señalaron, señalaba, ... señalado."""
    v = infinitive.lower().strip()
    stem, end = v[:-2], v[-2:]
    return {stem + e for e in ENDINGS.get(end, ())}


def _multi(mapping: dict[str, tuple[str, ...]]) -> PhraseIndex:
    idx = PhraseIndex()
    for value, phrases in mapping.items():
        for p in phrases:
            idx.add(p, value)
    return idx


class Lexicon:
    def __init__(self, lang: str):
        o = get_ontology()
        self.lang = lang
        self.relation_cues = {name: _multi({name: r.cues.get(lang, ())})
                              for name, r in o.relations.items() if r.cues.get(lang)}
        self.activities = _multi({k: v.get(lang, ()) for k, v in o.activities.items()})
        self.events = _multi({k: v.get(lang, ()) for k, v in o.events.items()})
        self.roles = _multi({"role": o.roles.get(lang, ()) + o.roles.get("en", ())})
        self.commodities = _multi({"commodity": o.commodities(lang) + o.commodities("en")})
        att = o.modality["attribution"][lang]
        self.attribution_preps = _multi({"prep": tuple(att["preps"])})
        self.attribution_verbs = {w.lower() for w in att["verbs"]} | {
            f for v in att.get("verb_lemmas", ()) for f in conjugate(v)}
        self.source_heads = {w.lower() for w in att["source_heads"]}
        self.hedges = _multi({"hedge": tuple(o.modality["hedge"][lang])})
        self.denials = _multi({"denial": tuple(o.modality["denial"][lang])})
        self.alias_cues = _multi({"alias": tuple(ALIAS_CUES.get(lang, ALIAS_CUES["en"]))})
        self.type_heads = {t: set(o.heads(t, "es")) | set(o.heads(t, "en"))
                           for t in ("CriminalGroup", "Organization", "GovernmentBody", "Prison")}
        self.head_types: dict[str, list[str]] = {}          # head noun -> the types it names
        for typ, heads in self.type_heads.items():
            for w in heads:
                self.head_types.setdefault(w, []).append(typ)
        self.group_name_heads = set(o.name_heads("CriminalGroup"))
        self.place_kind_cues = {w: kind for kind, ws in o.place_kind_cues().items() for w in ws}
        q = o.quantities
        self.qualifiers = _multi({k: tuple(v.get(lang, [])) + tuple(v.get("en", []))
                                  for k, v in q["qualifiers"].items()})
        self.number_words = {**q["number_words"].get("en", {}), **q["number_words"].get(lang, {})}
        self.multipliers = {**q["multipliers"].get("en", {}), **q["multipliers"].get(lang, {})}
        self.measures = _multi({k: tuple(v.get(lang, [])) for k, v in q["measures"].items()})
        t = o.time
        self.months = {m: i + 1 for i, m in enumerate(t["months"][lang])}
        self.months.update({m: i + 1 for i, m in enumerate(t["months"]["en"])})
        self.since_words = set(t["since"][lang])
        self.until_words = set(t["until"][lang])
        self.between_words = set(t["between"][lang])
        self.pronouns = ANAPHORA_PRONOUNS.get(lang, {})
        self.determiners = DETERMINERS.get(lang, DETERMINERS["en"])


@lru_cache(maxsize=4)
def lexicon(lang: str) -> Lexicon:
    return Lexicon(lang if lang in ("en", "es") else "en")
