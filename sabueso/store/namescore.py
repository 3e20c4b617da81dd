"""How well a normalised name answers a search query (pure functions, no database).

Each query word takes the best word of the name: the same word (1.0), a word it
begins (three letters or more: 0.85 to 1.0, by how much of the word it covers) or, from four
letters, a word within its edit budget (one edit below eight letters, two from eight;
adjacent transpositions count one): 0.9 for one edit, 0.8 for two. The score, out of 100,
is 80 x the share of the query's letters matched (weighted by each word's similarity) plus
20 x the share of the name's letters matched, so a name fully covered ranks above a longer
one holding the same words. Only the exact name scores 100. A match needs one matched query
word of three letters or more (so "de" alone finds nothing) and a score of ``CUTOFF`` (65: half of a two-word query is not enough).
"""
from __future__ import annotations

from rapidfuzz.distance import OSA

CUTOFF = 65.0
PREFIX_FROM = 3
FUZZY_FROM = 4
LONG = 8


def budget(word: str) -> int:
    return 2 if len(word) >= LONG else 1


def similarity(q: str, w: str) -> float:
    """How well query word ``q`` matches name word ``w`` (0 when it does not)."""
    if q == w:
        return 1.0
    if len(q) >= PREFIX_FROM and w.startswith(q):
        return 0.85 + 0.15 * len(q) / len(w)
    if len(q) >= FUZZY_FROM and len(w) >= FUZZY_FROM - 1:
        d = OSA.distance(q, w, score_cutoff=budget(q))
        if d <= budget(q):
            return 1.0 - 0.1 * d
    return 0.0


def combine(qwords: list[str], norm: str, found: dict[int, tuple[float, str]],
            cutoff: float = CUTOFF) -> tuple[float, set[str]]:
    """(score out of 100, the name's words that matched) of ``norm`` given ``found``: query
    word position -> (similarity, the name's word it matched); (0, empty) below ``cutoff``."""
    if not qwords or not found:
        return 0.0, set()
    if qwords == norm.split():
        return 100.0, set(qwords)
    if not any(len(qwords[i]) >= PREFIX_FROM for i in found):
        return 0.0, set()
    words = {w for _s, w in found.values()}
    query_share = sum(s * len(qwords[i]) for i, (s, _w) in found.items()) / sum(map(len, qwords))
    name_share = min(1.0, sum(map(len, words)) / max(1, len(norm) - norm.count(" ")))
    value = min(99.9, 100 * (0.8 * query_share + 0.2 * name_share))
    return (round(value, 1), words) if value >= cutoff else (0.0, set())


def score(qwords: list[str], norm: str, cache: dict | None = None) -> tuple[float, set[str]]:
    """:func:`combine` for one name, each query word taking its best word of ``norm``
    (``cache``: similarities already computed, by (query word, name word))."""
    cache = {} if cache is None else cache
    found: dict[int, tuple[float, str]] = {}
    for i, q in enumerate(qwords):
        best = (0.0, "")
        for w in norm.split():
            s = cache.get((q, w))
            if s is None:
                s = cache[(q, w)] = similarity(q, w)
            if s > best[0]:
                best = (s, w)
        if best[0] > 0:
            found[i] = best
    return combine(qwords, norm, found)
