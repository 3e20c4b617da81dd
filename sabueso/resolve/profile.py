"""What resolution knows under one name key (:class:`Profile`), and which types may be one.

A profile gathers all records of one type with one normalised name (for places, one country).
Types that the ontology's ``compatible`` lists join share a class, the prefix of every block,
so only names that may be one entity are ever compared.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import AbstractSet

from rigour.text import metaphone

from ..ontology import get_ontology

EMPTY: frozenset[str] = frozenset()   # shared by profiles without aliases (most of them)


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


#: Types that one name may join across documents: what one document's typer calls a
#: CriminalGroup another may call an Organization or a GovernmentBody ("Ejército X de Y");
#: the type is evidence (the entity's type is its records' vote), not a wall. Only an equal
#: name or alias joins them (:func:`joinable`); acronym, partial-name and typo rules keep to
#: the ontology's ``compatible`` types.
NAMED_BODIES = frozenset({"CriminalGroup", "Organization", "GovernmentBody"})


@lru_cache(maxsize=None)
def type_class(t: str) -> str:
    """Types joined by the ontology's ``compatible`` lists, or all in ``NAMED_BODIES``,
    share a class (a blocking prefix)."""
    onto = get_ontology()
    seen, todo = {t}, [t]
    while todo:
        a = todo.pop()
        for b in onto.entity_types:
            if b not in seen and (onto.compatible(a, b) or onto.compatible(b, a)
                                  or joinable(a, b)):
                seen.add(b)
                todo.append(b)
    return min(seen)


@lru_cache(maxsize=None)
def compatible(a: str, b: str) -> bool:
    onto = get_ontology()
    return onto.compatible(a, b) or onto.compatible(b, a)


@lru_cache(maxsize=None)
def joinable(a: str, b: str) -> bool:
    """Whether an equal name (or alias) may make one entity of types ``a`` and ``b``."""
    return compatible(a, b) or (a in NAMED_BODIES and b in NAMED_BODIES)


# rigour's ``metaphone`` is a bounded LRU cache over a fast native function: with more distinct
# name tokens than it holds (a few hundred thousand at a million mentions) nearly every call
# misses, evicts and re-inserts, a cost per token that grows with the run; the native call alone
# costs the same for any number of tokens (and no memory).
phonetic = getattr(metaphone, "__wrapped__", metaphone)
