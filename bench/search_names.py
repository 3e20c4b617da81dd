"""Typo-tolerant name search on a big store: latency, recall, and the index's cost.

The store (cached at ``/tmp/sabueso_bench_names_<N>.db``) holds N invented entities, each
with one to three names of two to four words drawn from a Zipf-distributed vocabulary of
pronounceable invented words (so some words, like real "de" or "cartel", are in thousands of
names). Its name index is built by :func:`sabueso.store.namesearch.rebuild` (timed).

Queries: 200 stored names (the same seed every run), each with one typo in one word of five
letters or more (a substitution, an adjacent transposition, a deletion or an insertion).
Reported: p50/p95 latency of ``Store.find_entities(query, 5)`` and how often the name is
in those five (some names are held by several invented entities); the same for the search this index replaced (rapidfuzz WRatio over every
stored name, cutoff 85) on the first 20 queries; and the time to index 1,000 new names into
the big index (what saving documents adds).

    python -m bench.search_names [N]
"""
from __future__ import annotations

import itertools
import random
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import insert, select

ONSETS = "b c d f g h j l m n p r s t v z br tr ch gr pl".split()
VOWELS = "a e i o u ia ue".split()
TYPES = ("Person", "CriminalGroup", "Place", "Organization", "GovernmentBody")


def vocabulary(rng: random.Random, n: int) -> list[str]:
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(rng.randint(1, 4))))
    return sorted(out)


def typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("sub", "swap", "del", "ins"))
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    if kind == "sub":
        return word[:i] + letter + word[i + 1:]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "del":
        return word[:i] + word[i + 1:]
    return word[:i] + letter + word[i:]


def build(path: Path, n: int, seed: int = 3) -> float:
    from sabueso.store import Store
    from sabueso.store.namesearch import rebuild
    from sabueso.store.schema import aliases, entities
    rng = random.Random(seed)
    vocab = vocabulary(rng, max(2000, n // 4))
    cum = list(itertools.accumulate(1.0 / (i + 1) for i in range(len(vocab))))
    tmp = path.with_suffix(".building")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    store = Store.open(tmp)
    ents, names, seen = [], [], set()
    for i in range(n):
        eid = f"n{i:015x}"
        forms = {" ".join(rng.choices(vocab, cum_weights=cum, k=rng.randint(2, 4)))
                 for _ in range(rng.randint(1, 3))}
        first = sorted(forms)[0]
        ents.append({"id": eid, "type": TYPES[i % 5], "name": first.title(), "created_at": "2024"})
        for f in sorted(forms):
            if (eid, f) not in seen:
                seen.add((eid, f))
                names.append({"entity_id": eid, "alias": f.title(), "norm": f})
    with store.engine.begin() as conn:
        for i in range(0, len(ents), 50_000):
            conn.execute(insert(entities), ents[i:i + 50_000])
        for i in range(0, len(names), 50_000):
            conn.execute(insert(aliases), names[i:i + 50_000])
        t0 = time.perf_counter()
        rebuild(conn)
        took = time.perf_counter() - t0
    store.close()
    tmp.rename(path)
    return took


def old_find(pairs: list[tuple[str, str]], query: str, limit: int = 5) -> list[str]:
    """The search this index replaced: WRatio over every stored name (cutoff 85)."""
    from rapidfuzz import fuzz, process

    from sabueso.resolve.names import norm_name
    scores: dict[str, float] = {}
    for _c, s, idx in process.extract(norm_name(query), [p[0] for p in pairs], scorer=fuzz.WRatio,
                                      score_cutoff=85, limit=None):
        eid = pairs[idx][1]
        scores[eid] = max(scores.get(eid, 0), s)
    return sorted(scores, key=lambda e: -scores[e])[:limit]


def _p(xs: list[float], q: int) -> float:
    return statistics.quantiles(xs, n=100)[q - 1] if len(xs) > 1 else xs[0]


def run(n: int = 200_000, samples: int = 200) -> dict:
    from sabueso.resolve.names import norm_name
    from sabueso.store import Store
    from sabueso.store.namesearch import index_norms
    from sabueso.store.schema import aliases
    path = Path(f"/tmp/sabueso_bench_names_{n}.db")
    built = build(path, n) if not path.exists() else float("nan")
    store = Store.open(path)
    with store.engine.connect() as conn:
        pairs = [(r.norm, r.entity_id) for r in conn.execute(select(aliases.c.norm,
                                                                    aliases.c.entity_id))]
    rng = random.Random(5)
    queries = []
    while len(queries) < samples:
        norm, eid = rng.choice(pairs)
        words = norm.split()
        long = [i for i, w in enumerate(words) if len(w) >= 5]
        if long:
            i = rng.choice(long)
            words[i] = typo(rng, words[i])
            queries.append((" ".join(words), norm))
    store.find_entities(queries[0][0], 5)                   # warm the caches
    times, hits = [], []
    for q, norm in queries:
        t0 = time.perf_counter()
        found = store.find_entities(q, 5)
        times.append(time.perf_counter() - t0)
        hits.append(norm in {norm_name(f["matched"]) for f in found})
    old_times, old_hits = [], 0
    holders: dict[str, set[str]] = {}
    for n, e in pairs:
        holders.setdefault(n, set()).add(e)
    for q, norm in queries[:20]:
        t0 = time.perf_counter()
        found = old_find(pairs, q)
        old_times.append(time.perf_counter() - t0)
        old_hits += bool(holders[norm] & set(found))
    new_norms = [" ".join(vocabulary(random.Random(i), 3)) + f" zz{i}" for i in range(1000)]
    with store.engine.begin() as conn:
        t0 = time.perf_counter()
        index_norms(conn, new_norms)
        add = time.perf_counter() - t0
        conn.rollback()
    counts = store.table_counts()
    store.close()
    return {"entities": counts["entities"], "names": len(pairs), "postings": counts["name_postings"],
            "terms": counts["name_terms"], "build_s": built,
            "p50_ms": 1000 * _p(times, 50), "p95_ms": 1000 * _p(times, 95),
            "recall": sum(hits) / len(queries), "recall20": sum(hits[:20]) / 20, "old_p50_ms": 1000 * statistics.median(old_times),
            "old_recall": old_hits / len(old_times), "index_1000_ms": 1000 * add}


if __name__ == "__main__":
    r = run(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
    print(f"{r['entities']:,} entities, {r['names']:,} names; index: {r['postings']:,} postings, "
          f"{r['terms']:,} term keys, built in {r['build_s']:.1f} s")
    print(f"typo queries: p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, "
          f"name in top 5: {r['recall']:.0%} ({r['recall20']:.0%} on the first 20)")
    print(f"replaced full scan (WRatio >= 85, 20 queries): p50 {r['old_p50_ms']:.0f} ms, "
          f"name in top 5: {r['old_recall']:.0%}")
    print(f"indexing 1,000 new names: {r['index_1000_ms']:.0f} ms")
