"""Why the resolver joined what it joined and left apart what it left apart.

:func:`explain` replays :func:`~.resolver.resolve` on all profiles (the same judgements, links
and order as ``sabueso resolve``) and records, for each link that changed or could have
changed the clusters, its outcome:

- a *merge*: two clusters joined, by a reviewer or by a rule (``same_name``, ``name_alias``,
  ``shared_alias``, ``acronym``, ``partial_name``, ``typo``, ``geo``);
- a *near-miss* left apart: a rule link whose other candidates are not one entity (the name
  fits several: "ambiguous"), one a reviewer's not-same forbids, or places of two countries;
  and a bare one-word person name that fits several people's full names (no link at all).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from .cluster import Clusters, _split, fold
from .matching import Profile, candidate_links
from .resolver import paused_gc


@dataclass(frozen=True)
class Outcome:
    a: str                   # name key
    b: str
    rule: str
    joined: bool
    why: str


def explain(profiles: dict[str, Profile],
            judgements: Iterable[tuple[str, str, str | None, Sequence[str]]] = ()
            ) -> list[Outcome]:
    out: list[Outcome] = []
    with paused_gc():
        merges, cannot = fold(judgements)
        attr = {k: p.country for k, p in profiles.items() if p.country}
        uf = Clusters(profiles, cannot, attr)
        for a, b in merges:
            if a in uf and b in uf and uf.find(a) != uf.find(b):
                joined = uf.union(a, b, check_attr=False)
                out.append(Outcome(a, b, "reviewer", joined, "a reviewer's merge" if joined
                                   else "a reviewer's merge, against a not-same"))
        for _score, a, b, rule, needs in candidate_links(profiles.values()):
            ra, rb = uf.find(a), uf.find(b)
            if ra == rb:
                continue
            if needs and _split(needs, uf.node, uf.find):
                names = ", ".join(sorted({profiles[k].norm for k in needs if k in profiles}))
                out.append(Outcome(a, b, rule, False, f"ambiguous: also fits {names}"))
                continue
            xa, xb = uf.attr.get(ra), uf.attr.get(rb)
            if xa and xb and xa != xb:
                out.append(Outcome(a, b, rule, False, f"places in two countries ({xa}, {xb})"))
            elif not uf.union(a, b):
                out.append(Outcome(a, b, rule, False, "a reviewer judged them not the same"))
            else:
                out.append(Outcome(a, b, rule, True, _why(rule, profiles[a], profiles[b])))
    return out + bare_names(profiles)


def _why(rule: str, a: Profile, b: Profile) -> str:
    types = a.type if a.type == b.type else f"{a.type} and {b.type}"
    return {"same_name": f"the same name ({types})",
            "name_alias": f"one's name is the other's alias ({types})",
            "shared_alias": "a shared alias", "acronym": "an acronym of the other's name",
            "partial_name": "a shorter form of the only longer name",
            "typo": "a spelling variant (one or two letters)",
            "geo": "the same gazetteer place"}.get(rule, rule)


def bare_names(profiles: dict[str, Profile]) -> list[Outcome]:
    """One-word person names that are a word of several people's longer names: left apart."""
    by_token: dict[str, list[Profile]] = {}
    singles = []
    for p in profiles.values():
        if p.type != "Person" or p.generic:
            continue
        toks = p.tokens
        if len(toks) == 1:
            singles.append(p)
        else:
            for t in set(toks):
                by_token.setdefault(t, []).append(p)
    out = []
    for p in singles:
        fits = by_token.get(p.norm, [])
        if len(fits) > 1:
            names = ", ".join(sorted(q.norm for q in fits)[:6])
            out.append(Outcome(p.key, fits[0].key, "bare_name", False,
                               f"ambiguous: a word of {len(fits)} names ({names})"))
    return out
