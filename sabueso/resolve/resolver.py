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


#: The uncached normaliser, for bulk runs with a ``memo``: the memo already computes each
#: distinct string once, and also filling the bounded LRU caches with hundreds of thousands of
#: names only evicts (and re-inserts) entries, a cost per name that grows with the run.
_norm_name = norm_name.__wrapped__


def _forms(surface: str) -> tuple[str, str | None]:
    """(normalised form, acronym) of one surface form (uncached: see ``_norm_name``)."""
    return _norm_name(surface), acronym(surface)


@lru_cache(maxsize=1 << 18)
def record_key(type: str, name: str, country: str | None = None, doc: str | None = None) -> str:
    """The name key of a record of document ``doc`` (see :func:`~.names.name_key`)."""
    return name_key(type, _norm(name), country if type in PLACE_TYPES else None,
                    doc if doc and is_generic(type, name) else None)


#: ``memo[_OWNER]``: the profiles dict that the memo's name tables point into.
_OWNER = object()


def add_record(profiles: dict[str, Profile], type: str, name: str,
               aliases: Sequence[str] = (), country: str | None = None,
               geo: str | None = None, key: str | None = None,
               memo: dict | None = None) -> str:
    """Add one record to ``profiles`` (key -> profile); returns its name key. ``memo``: a
    dict kept across the calls of one bulk run into ``profiles`` (name keys and normalised
    forms computed once per distinct string, however many records repeat it). Without
    ``key``, it also maps each (type, country) and name (with its aliases, if any) to the
    profile: a repeated record costs one look-up (not one for the key, one for the profile
    and one per alias, in dicts that at a million records no longer fit the CPU caches)."""
    country = country if type in PLACE_TYPES and country else None
    surfaces: Sequence[str] = (name, *aliases)
    if key is None and memo is not None:
        if memo.get(_OWNER) is not profiles:    # name tables of another profiles dict: drop
            for k in [k for k in memo if k.__class__ is tuple]:
                del memo[k]
            memo[_OWNER] = profiles
        names = memo.get((type, country))
        if names is None:
            names = memo[(type, country)] = {}
        record = (name, *aliases) if aliases else name
        p = names.get(record)
        if p is not None:                 # seen before: its name and aliases are in already
            p.weight += 1
            if geo and not p.geo:
                p.geo = geo
            return p.key
        p = names.get(name) if aliases else None
        if p is None:
            norm = _norm_name(name) or (name or "").strip().casefold()
            key = name_key(type, norm, country)      # = record_key(type, name, country)
            p = profiles.get(key)
            if p is None:
                p = profiles[key] = Profile(key, type, norm, country=country,
                                            generic=is_generic(type, name))
            names[name] = p
            # the name's norm is the key's (never an alias): only its acronym counts, once
            if name and (acr := acronym(name)):
                _add_forms(p, ("", acr))
        if aliases:
            names[record] = p
        key, surfaces = p.key, aliases
    else:
        if key is None:
            key = record_key(type, name, country)
        p = profiles.get(key)
        if p is None:
            p = profiles[key] = Profile(key, type, _norm(name), country=country,
                                        generic=is_generic(type, name))
    p.weight += 1
    if geo and not p.geo:
        p.geo = geo
    for surface in surfaces:
        if not surface:
            continue
        if memo is None:
            _add_forms(p, (norm_name(surface), acronym(surface)))
            continue
        f = memo.get(surface)
        if f is None:
            f = memo[surface] = _forms(surface)
        _add_forms(p, f)
    return key


def _add_forms(p: Profile, forms: tuple[str, str | None]) -> None:
    norm, acr = forms
    if norm and norm != p.norm and norm not in p.aliases:
        if not isinstance(p.aliases, set):      # the shared empty set: own one now
            p.aliases = set()
        p.aliases.add(norm)
    if acr and acr not in p.acronyms:
        if not isinstance(p.acronyms, set):
            p.acronyms = set()
        p.acronyms.add(acr)


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
