"""Candidate links between name keys: blocking, then conservative type-aware rules.

A :class:`Profile` is everything known under one name key (all records of one type with one
normalised name, and for places one country). :func:`block_keys` files each profile under a
few keys; only profiles sharing a block are compared, so the cost grows with the number of
profiles, not its square (blocks are read in one pass; only typo blocks and disagreeing alias
holders are compared pairwise, within ``MAX_TYPO`` / ``CAP``).

Rules, by block kind (each link is ``(score, key_a, key_b, rule, needs)``; a link whose
``needs`` keys are not all in one cluster by the time it comes is skipped):

- ``x`` same normalised string: two names (compatible types), or a name and another's alias,
  unless the alias is held by several incompatible entities; alias shared by two entities
  (persons: only with compatible names, "hector x" ~ "hector x y"). A lower-case common noun
  ("police", keyed per document) only joins a proper name it equals, never another noun.
- ``a`` acronym: an all-caps alias equal to the initials of one multiword entity.
- ``p`` partial person name: "hector x" and the one longer person extending it.

"One entity" is checked late: with several candidate names (typo variants of one name, or
really different ones) the link is *pending* (weakest) and needs them all in one cluster.
- ``f`` typo: same tokens but one, that one within 1 (2 if 9+ letters) Levenshtein edits
  (rapidfuzz) and sharing its first letter or its metaphone key (rigour); each name links to
  the first earlier one that qualifies.
- ``g`` the same gazetteer record (places).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import AbstractSet, Collection, Iterable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from rigour.text import metaphone

from ..ontology import get_ontology
from .names import acronym_variants, person_compatible, sub_names

EMPTY: frozenset[str] = frozenset()   # shared by profiles without aliases (most of them)
CAP = 64           # alias holders compared pairwise when their names disagree
MAX_TYPO = 4000    # names compared for typos in one block
SCORES = {"same_name": 1.0, "geo": 0.97, "name_alias": 0.95, "shared_alias": 0.9,
          "acronym": 0.9, "typo": 0.85, "partial_name": 0.8, "pending": 0.7}


@dataclass(slots=True)
class Profile:
    key: str
    type: str
    norm: str
    aliases: AbstractSet[str] = EMPTY     # alias norms, the name's own excluded
    acronyms: AbstractSet[str] = EMPTY    # lower-cased all-caps surface forms
    country: str | None = None
    geo: str | None = None
    weight: int = 0                       # number of records
    generic: bool = False                 # a common noun (lower case)

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(self.norm.split())


@lru_cache(maxsize=None)
def type_class(t: str) -> str:
    """Types joined by the ontology's ``compatible`` lists share a class (a blocking prefix)."""
    onto = get_ontology()
    seen, todo = {t}, [t]
    while todo:
        a = todo.pop()
        for b in onto.entity_types:
            if b not in seen and (onto.compatible(a, b) or onto.compatible(b, a)):
                seen.add(b)
                todo.append(b)
    return min(seen)


@lru_cache(maxsize=None)
def compatible(a: str, b: str) -> bool:
    onto = get_ontology()
    return onto.compatible(a, b) or onto.compatible(b, a)


@lru_cache(maxsize=1 << 16)
def _phonetic(token: str) -> str:
    return metaphone(token)


def _names(p: Profile, c: str, toks: tuple[str, ...]) -> list[str]:
    if p.generic:
        return [f"x|{c}|{p.norm}"]
    return [f"x|{c}|{p.norm}", *(f"x|{c}|{a}" for a in p.aliases)]


def _shapes(p: Profile, c: str, toks: tuple[str, ...]) -> list[str]:
    """Acronym, partial-name and gazetteer blocks."""
    if p.generic:
        return []
    out = [f"g|{p.geo}"] if p.geo else []
    if p.type == "Person":
        if len(toks) >= 2:
            out.append(f"p|{p.norm}")
            out.extend(f"p|{s}" for s in sub_names(toks))
    else:
        out.extend(f"a|{c}|{a}" for a in p.acronyms | acronym_variants(p.norm))
    return out


def _typos(p: Profile, c: str, toks: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    if not p.generic and len(toks) >= 2 and len(p.norm) >= 8:
        for i, t in enumerate(toks):
            if len(t) >= 5:
                rest = " ".join(toks[:i] + toks[i + 1:])
                out.append(f"f|{c}|{len(toks)}|{i}|{t[0]}|{rest}")
                out.append(f"f|{c}|{len(toks)}|{i}|~{_phonetic(t)}|{rest}")
    return out


PASSES = (_names, _shapes, _typos)


def block_keys(p: Profile) -> list[str]:
    c, toks = type_class(p.type), p.tokens
    return [b for fn in PASSES for b in fn(p, c, toks)]


def _chain(members: list[Profile], score: float, rule: str, out: list) -> None:
    for q in members[1:]:
        if compatible(members[0].type, q.type):
            out.append((score, members[0].key, q.key, rule, ()))


def _names_agree(ps: list[Profile]) -> bool:
    """Non-persons always; persons when each name fits the longest one ("hector x",
    "hector y" and "hector x y" agree; "hector x" and "luis x" do not)."""
    people = [p for p in ps if p.type == "Person"]
    if not people:
        return True
    longest = max(people, key=lambda p: (len(p.tokens), p.key))
    return all(p is longest or person_compatible(p.tokens, longest.tokens) for p in people)


def _exact(s: str, ms: list[Profile], out: list) -> None:
    named = [p for p in ms if p.norm == s and not p.generic]
    generic = [p for p in ms if p.norm == s and p.generic]
    alias = [p for p in ms if p.norm != s]
    _chain(named, SCORES["same_name"], "same_name", out)
    agree = not alias or _names_agree(alias)
    # the alias holders' names disagree ("hector x y" and its typo "hector x yy", or two
    # different "El Gordo"): links wait until the holders are found to be one entity
    need = () if agree else tuple(p.key for p in alias)
    score = SCORES["name_alias" if agree else "pending"]
    target = named[0] if named else (alias[0] if alias else None)
    for g in generic:     # a common noun ("los zafiros" in lower case) joins a proper name
        if target is not None and compatible(g.type, target.type):
            out.append((score if not named else SCORES["name_alias"], g.key, target.key,
                        "name_alias", () if named else need))
    if named:
        for a in alias:
            if compatible(a.type, named[0].type):
                out.append((score, a.key, named[0].key, "name_alias", need))
    elif len(s) >= 3:
        for a in alias[1:]:
            if compatible(a.type, alias[0].type):
                out.append((SCORES["shared_alias"] if agree else score, a.key, alias[0].key,
                            "shared_alias", need))
    if not agree:          # holders whose names agree share the alias anyway
        for i, a in enumerate(alias[:CAP]):
            for b in alias[i + 1:CAP]:
                if _names_agree([a, b]):
                    out.append((SCORES["shared_alias"], a.key, b.key, "shared_alias", ()))


def _unique(rule: str, short: list[Profile], longs: list[Profile], out: list) -> None:
    """Link ``short`` to the one entity ``longs`` stand for (pending if several names)."""
    need = tuple(p.key for p in longs) if len({p.norm for p in longs}) > 1 else ()
    for p in short:
        if p is not longs[0] and compatible(p.type, longs[0].type):
            out.append((SCORES["pending" if need else rule], p.key, longs[0].key, rule, need))


def _acronym(s: str, ms: list[Profile], out: list) -> None:
    holders = [p for p in ms if s in p.acronyms]
    longs = [p for p in ms if s in acronym_variants(p.norm)]
    if holders and longs:
        _unique("acronym", holders, longs, out)


def _partial(s: str, ms: list[Profile], out: list) -> None:
    short = [p for p in ms if p.norm == s]
    longs = [p for p in ms if p.norm != s]
    if short and longs:
        _unique("partial_name", short, longs, out)


def _typo(index: int, ms: list[Profile], out: list) -> None:
    """Each name links to the first earlier one within its edit budget (big blocks: the
    distance matrix from rapidfuzz's ``cdist``)."""
    if len(ms) > MAX_TYPO:
        return
    toks = [p.tokens[index] for p in ms]
    matrix = (process.cdist(toks, toks, scorer=Levenshtein.distance, score_cutoff=2)
              if len(ms) > 32 else None)
    for i, a in enumerate(ms):
        for j in range(i):
            b, ta, tb = ms[j], toks[i], toks[j]
            d = matrix[i, j] if matrix is not None else Levenshtein.distance(ta, tb, score_cutoff=2)
            if ta == tb or d > (2 if min(len(ta), len(tb)) >= 9 else 1):
                continue
            if compatible(a.type, b.type):
                out.append((SCORES["typo"], a.key, b.key, "typo", ()))
                break


def candidate_links(profiles: Iterable[Profile], focus: Collection[str] | None = None
                    ) -> list[tuple[float, str, str, str, tuple]]:
    """Rule links among ``profiles``, strongest first (ties by keys: deterministic); with
    ``focus``, only from blocks holding one of those keys (incremental resolution)."""
    profiles = list(profiles)
    out: list[tuple[float, str, str, str, tuple]] = []
    for fn in PASSES:                 # one family of blocks at a time: less memory
        blocks: dict[str, list[Profile]] = defaultdict(list)
        for p in profiles:
            for b in fn(p, type_class(p.type), p.tokens):
                blocks[b].append(p)
        for b, ms in blocks.items():
            if len(ms) < 2 or (focus is not None and not any(p.key in focus for p in ms)):
                continue
            kind, _, rest = b.partition("|")
            if kind == "x":
                _exact(rest.partition("|")[2], ms, out)
            elif kind == "a":
                _acronym(rest.partition("|")[2], ms, out)
            elif kind == "p":
                _partial(rest, ms, out)
            elif kind == "f":
                _typo(int(rest.split("|")[2]), ms, out)
            elif kind == "g":
                _chain(ms, SCORES["geo"], "geo", out)
        del blocks
    out.sort(key=lambda e: (-e[0], e[1], e[2]))
    return out
