"""Cross-document resolution in memory: records -> profiles -> rule links -> clusters.

A *record* is one entity as one document names it: type, name, aliases, and for places the
country and gazetteer record. Records with one :func:`~.names.name_key` form a
:class:`~.matching.Profile`; :func:`resolve` links profiles by the rules of :mod:`.matching`,
applies reviewers' judgements (:mod:`.cluster`) and returns the clusters. The store runs it on
all stored records (``sabueso resolve``) or on the neighbourhood of a new document's records;
``bench/resolution.py`` runs it on synthetic mentions.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from functools import lru_cache
from typing import Collection, Iterable, Iterator, Sequence

from .cluster import choose_ids, cluster, fold
from .matching import Profile, candidate_links
from .names import PLACE_TYPES, acronym, is_generic, name_key, norm_name

__all__ = ["Profile", "record_key", "add_record", "resolve", "choose_ids", "paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside (bulk resolution allocates millions of small
    objects and no cycles; collections would make its cost grow faster than linearly)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _norm(name: str) -> str:
    return norm_name(name) or (name or "").strip().casefold()


@lru_cache(maxsize=1 << 18)
def record_key(type: str, name: str, country: str | None = None, doc: str | None = None) -> str:
    """The name key of a record of document ``doc`` (see :func:`~.names.name_key`)."""
    return name_key(type, _norm(name), country if type in PLACE_TYPES else None,
                    doc if doc and is_generic(type, name) else None)


def add_record(profiles: dict[str, Profile], type: str, name: str,
               aliases: Sequence[str] = (), country: str | None = None,
               geo: str | None = None, key: str | None = None,
               memo: dict | None = None) -> str:
    """Add one record to ``profiles`` (key -> profile); returns its name key. ``memo``: a
    dict kept across the calls of one bulk run (name keys and normalised forms computed once
    per distinct string, however many records repeat it)."""
    country = country if type in PLACE_TYPES and country else None
    if key is None:
        rk = (type, name, country)
        key = memo.get(rk) if memo is not None else None
        if key is None:
            key = record_key(type, name, country)
            if memo is not None:
                memo[rk] = key
    p = profiles.get(key)
    if p is None:
        p = profiles[key] = Profile(key, type, _norm(name), country=country, geo=geo,
                                    generic=is_generic(type, name))
    p.weight += 1
    if geo and not p.geo:
        p.geo = geo
    for surface in (name, *aliases):
        if not surface:
            continue
        forms = memo.get(surface) if memo is not None else None
        if forms is None:
            forms = (norm_name(surface), acronym(surface))
            if memo is not None:
                memo[surface] = forms
        if forms[0] and forms[0] != p.norm and forms[0] not in p.aliases:
            if not isinstance(p.aliases, set):      # the shared empty set: own one now
                p.aliases = set()
            p.aliases.add(forms[0])
        if forms[1] and forms[1] not in p.acronyms:
            if not isinstance(p.acronyms, set):
                p.acronyms = set()
            p.acronyms.add(forms[1])
    return key


def resolve(profiles: dict[str, Profile],
            judgements: Iterable[tuple[str, str, str | None, Sequence[str]]] = (),
            groups: Iterable[Sequence[str]] = (), focus: Collection[str] | None = None,
            extra: Iterable[str] = ()) -> dict[str, list[str]]:
    """Clusters (root -> member keys) of ``profiles``.

    ``judgements``: ``(kind, a, b, keys)`` oldest first (see :func:`~.cluster.fold`);
    ``groups``: key lists united first when no judgement forbids it (the current entities, for
    incremental resolution); ``focus``: only links from blocks holding one of these keys;
    ``extra``: keys without a loaded profile that still take part (through ``groups``).
    """
    with paused_gc():
        merges, cannot = fold(judgements)
        links = candidate_links(profiles.values(), focus)
        attr = {k: p.country for k, p in profiles.items() if p.country}
        return cluster({*profiles, *extra}, links, merges, cannot, attr, groups)
