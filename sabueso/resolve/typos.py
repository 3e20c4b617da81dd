"""Typo links: names that share every token but one, that one a few edits apart.

A typo block holds the names of one type class and token count that differ only in token
``i`` (:func:`typo_blocks`). Within it, two names are within reach when that token is within
the edit budget (1 edit, 2 from ``LONG_TOKEN`` letters; rapidfuzz's Levenshtein) and they share
its first letter or its sound (rigour's metaphone). Candidates are found through symmetric
deletions (:func:`deletions`), so the cost follows the names and their near neighbours, not
the square of a block; the store files names under the same deletion strings
(:func:`~sabueso.resolve.matching.index_keys`).
"""
from __future__ import annotations

from typing import Collection, Iterator

from rapidfuzz.distance import Levenshtein

from .profile import Profile, compatible, phonetic, type_class

MAX_TYPO = 4000    # names sharing one deletion string, compared for typos
TYPO_SCORE = 0.85


def typo_rests(p: Profile, c: str, toks: tuple[str, ...]) -> Iterator[tuple[int, str, str]]:
    """(i, "class|tokens|i", the name without token i) for each token ``i`` that a typo
    block may vary."""
    if not p.generic and len(toks) >= 2 and len(p.norm) >= 8:
        for i, t in enumerate(toks):
            if len(t) >= 5:
                yield i, f"{c}|{len(toks)}|{i}", " ".join(toks[:i] + toks[i + 1:])


def typo_blocks(p: Profile, c: str | None = None) -> list[str]:
    """The typo blocks of ``p`` ("class|tokens|i|the other tokens"): the names that share one
    differ only in token i."""
    return [f"{head}|{rest}" for _, head, rest in typo_rests(p, c or type_class(p.type), p.tokens)]


#: A token this long may vary by two edits in a typo (shorter ones by one).
LONG_TOKEN = 9


def budget(length: int) -> int:
    return 2 if length >= LONG_TOKEN else 1


def typo_keys(p: Profile, c: str, toks: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for i, head, rest in typo_rests(p, c, toks):
        t = toks[i]
        out.append(f"f|{head}|{t[0]}|{rest}")
        out.append(f"f|{head}|~{phonetic(t)}|{rest}")
    return out


def deletions(token: str, k: int) -> set[str]:
    """``token`` and every string ``k`` or fewer deletions make of it: two tokens within
    Levenshtein distance ``k`` always share one (symmetric deletion)."""
    out, frontier = {token}, {token}
    for _ in range(k):
        frontier = {t[:j] + t[j + 1:] for t in frontier for j in range(len(t))}
        out |= frontier
    return out


def typo_links(index: int, ms: list[Profile], out: list, focus: Collection[str] | None = None) -> None:
    """Typo links within ``ms``, the names that share every token but ``index`` (in order
    of appearance). Two names are within reach when that token is within the edit budget
    and they share its first letter or its sound (rigour's metaphone). Taking the names by
    weight (records), then appearance, each links to the first earlier one within its reach
    that has no earlier one within its own: variants gather around the most written
    spelling and never chain ("sogase" ~ "sogasi" ~ "sagasi" would join names two edits
    apart, and, among many short names, thousands of different ones). Whether a name is a
    variant depends only on the names within its reach (the store reads those:
    :func:`~sabueso.store.resolution.incremental`). With ``focus`` (the new names), only
    their own links: a stored name's link was chosen when it came, among names whose own
    neighbours may not be read now."""
    order = sorted(ms, key=lambda p: -p.weight)          # stable: then appearance
    near = _within_reach(order, index)
    for r in sorted(near):
        if focus is not None and order[r].key not in focus:
            continue
        for j in sorted(near[r]):
            if j not in near:             # the first one within reach that is no variant
                out.append((TYPO_SCORE, order[r].key, order[j].key, "typo", ()))
                break


def _reach(a: Profile, b: Profile, ta: str, tb: str) -> bool:
    """Whether two names of one typo block are within reach (their varying tokens ``ta`` and
    ``tb``): compatible types, the same first letter or sound, 1 to budget edits apart."""
    return (1 <= Levenshtein.distance(ta, tb, score_cutoff=2) <= budget(min(len(ta), len(tb)))
            and (ta[0] == tb[0] or phonetic(ta) == phonetic(tb))
            and compatible(a.type, b.type))


def _within_reach(order: list[Profile], index: int) -> dict[int, set[int]]:
    """Rank -> the ranks of the earlier names within reach. A few names are compared
    pairwise; more are paired through symmetric deletions (two tokens within ``k`` edits share
    a string that ``k`` or fewer deletions make of each), so the cost grows with the names
    and their near neighbours, not with the square of the block."""
    toks = [p.tokens[index] for p in order]
    near: dict[int, set[int]] = {}
    if len(order) <= 32:
        for i in range(1, len(order)):
            for j in range(i):
                if _reach(order[i], order[j], toks[i], toks[j]):
                    near.setdefault(i, set()).add(j)
        return near
    buckets: dict[str, list[int]] = {}
    for r, t in enumerate(toks):
        for d in deletions(t, budget(len(t))):
            buckets.setdefault(d, []).append(r)
    tried: set[tuple[int, int]] = set()
    for rs in buckets.values():
        if len(rs) < 2 or len(rs) > MAX_TYPO:
            continue
        for a in range(1, len(rs)):
            i = rs[a]
            for j in rs[:a]:
                if (i, j) not in tried:
                    tried.add((i, j))
                    if _reach(order[i], order[j], toks[i], toks[j]):
                        near.setdefault(i, set()).add(j)
    return near
