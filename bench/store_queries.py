"""(c) Query latency on a SQLite store with 1M claims.

The store is built once (migrations, then synthetic rows bulk-inserted with SQLAlchemy Core
executemany: 50k documents, 100k entities with skewed popularity, 1M claims, mentions,
records, events, quantities) and cached at ``/tmp/sabueso_bench_<N>.db``. Timed over 200
random entities (the same seed every run):

- neighbourhood: the entity's claims with their other ends (one SQL union, both directions);
- profile: what one entity's profile asks of the store: ``Store.entity`` +
  ``entity_claims`` + ``entity_events`` + ``entity_quantities`` (the ``/api/entities/{id}``
  endpoint, ``sabueso show``), plus the name citations a rendered profile reads
  (:func:`sabueso.analyze.profile.name_evidence`, on a graph holding just that entity: the
  rest of a rendered profile comes from the in-memory graph, not from queries).

    python -m bench.store_queries [CLAIMS]
"""
from __future__ import annotations

import itertools
import json
import random
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import insert, text

CHUNK = 50_000
TYPES = ("Person", "CriminalGroup", "Place", "Organization", "GovernmentBody")
RELS = ("LEADER_OF", "MEMBER_OF", "OPERATES_IN", "ALLY_OF", "RIVAL_OF", "LINKED_TO", "TRAFFICS")
MODS = ("asserted", "asserted", "reported", "hedged", "denied")

NEIGHBOURHOOD = text("""
    SELECT c.id, c.type, c.modality, o.id AS other, o.name, o.type AS other_type
      FROM claims c JOIN entities o ON o.id = c.object_id WHERE c.subject_id = :e
    UNION ALL
    SELECT c.id, c.type, c.modality, s.id, s.name, s.type
      FROM claims c JOIN entities s ON s.id = c.subject_id WHERE c.object_id = :e""")


def cache_path(n_claims: int) -> Path:
    return Path(f"/tmp/sabueso_bench_{n_claims}.db")


def _chunks(table, rows, conn) -> None:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            conn.execute(insert(table), batch)
            batch = []
    if batch:
        conn.execute(insert(table), batch)


def build(path: Path, n_claims: int, seed: int = 11) -> None:
    from sabueso.store import Store
    from sabueso.store.schema import (aliases, claims, documents, entities, entity_records,
                                      events, mentions, quantities)
    rng = random.Random(seed)
    n_docs, n_ents = max(10, n_claims // 20), max(20, n_claims // 10)
    tmp = path.with_suffix(".building")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    store = Store.open(tmp)
    eids = [f"n{i:015x}" for i in range(n_ents)]
    cum = list(itertools.accumulate(1.0 / (i + 1) ** 0.8 for i in range(n_ents)))  # hubs + long tail
    dids = [f"d{i:015x}" for i in range(n_docs)]
    pick = lambda k: rng.choices(eids, cum_weights=cum, k=k)  # noqa: E731
    with store.engine.begin() as conn:
        _chunks(documents, ({"id": d, "title": f"Article {i}", "path": f"/corpus/{i}.txt",
                             "publisher": f"Outlet {i % 40}", "published": f"20{10 + i % 15}-01-01",
                             "lang": "en", "text": "x"} for i, d in enumerate(dids)), conn)
        _chunks(entities, ({"id": e, "type": TYPES[i % 5], "name": f"Name {i}",
                            "created_at": "2024"} for i, e in enumerate(eids)), conn)
        _chunks(aliases, ({"entity_id": e, "alias": f"Name {i}", "norm": f"name {i}"}
                          for i, e in enumerate(eids)), conn)
        _chunks(entity_records, ({"doc_id": dids[i // 8], "local_id": f"e{i % 8}", "key": e,
                                  "entity_id": e, "type": "Person", "name": "x"}
                                 for i, e in enumerate(pick(n_docs * 8))), conn)
        _chunks(mentions, ({"id": f"m{i:015x}", "doc_id": dids[i % n_docs], "entity_id": e,
                            "start": 0, "end": 5, "text": "x", "kind": "name"}
                           for i, e in enumerate(pick(n_claims // 2))), conn)

        def claim_rows():
            ends = pick(2 * n_claims)
            for i in range(n_claims):
                s, o = ends[2 * i], ends[2 * i + 1]
                label = rng.random() < 0.15
                yield {"id": f"c{i:015x}", "doc_id": dids[i // 20 % n_docs],
                       "type": "ACTIVITY" if label else rng.choice(RELS), "subject_id": s,
                       "object_id": None if label else o,
                       "object_value": "extortion" if label else None,
                       "modality": rng.choice(MODS), "qualifiers": "{}",
                       "evidence": "A sentence that states the claim.", "start": 0, "end": 30,
                       "extractor": "rules", "refs": json.dumps({"subject": "e1", "object": "e2"})}
        _chunks(claims, claim_rows(), conn)
        _chunks(events, ({"id": f"v{i:015x}", "doc_id": dids[i % n_docs], "type": "ARREST",
                          "date": "2020-01-01", "place_id": p, "participants": json.dumps([q]),
                          "modality": "asserted", "evidence": "x", "start": 0, "end": 1}
                         for i, (p, q) in enumerate(zip(pick(n_claims // 10), pick(n_claims // 10)))),
                conn)
        _chunks(quantities, ({"id": f"q{i:015x}", "doc_id": dids[i % n_docs], "subject_id": e,
                              "measure": "members", "value": 100.0, "evidence": "x", "start": 0,
                              "end": 1} for i, e in enumerate(pick(n_claims // 10))), conn)
    store.close()
    tmp.rename(path)


def _p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1] if len(xs) >= 2 else xs[0]


def profile(store, e: str) -> None:
    """The store queries of one entity's profile (see the module docstring)."""
    import networkx as nx

    from sabueso.analyze.profile import name_evidence
    ent = store.entity(e)
    store.entity_claims(e), store.entity_events(e), store.entity_quantities(e)
    g = nx.MultiDiGraph(documents={})
    g.add_node(e, **{k: v for k, v in ent.items() if k != "id"})
    name_evidence(store, g, e)


def run(n_claims: int = 1_000_000, samples: int = 200, profile_budget_s: float = 90.0) -> dict:
    """Neighbourhood over ``samples`` entities; profiles over the same ones until
    ``profile_budget_s`` is spent (at least 5; the count is reported)."""
    import sabueso.analyze.profile  # noqa: F401  (imported before the clock starts)
    from sabueso.store import Store
    path = cache_path(n_claims)
    built = 0.0
    if not path.exists():
        t0 = time.perf_counter()
        build(path, n_claims)
        built = time.perf_counter() - t0
    store = Store.open(path)
    n_ents = store.table_counts()["entities"]
    rng = random.Random(5)
    ids = [f"n{rng.randrange(n_ents):015x}" for _ in range(samples)]
    neigh, prof, sizes = [], [], []
    with store.engine.connect() as conn:
        conn.execute(NEIGHBOURHOOD, {"e": ids[0]}).all()           # warm the page cache
        for e in ids:
            t0 = time.perf_counter()
            sizes.append(len(conn.execute(NEIGHBOURHOOD, {"e": e}).all()))
            neigh.append(time.perf_counter() - t0)
    start = time.perf_counter()
    for e in ids:
        if len(prof) >= 5 and time.perf_counter() - start > profile_budget_s:
            break
        t0 = time.perf_counter()
        profile(store, e)
        prof.append(time.perf_counter() - t0)
    store.close()
    return {"claims": n_claims, "built_s": built, "neigh_p95_ms": _p95(neigh) * 1000,
            "neigh_p50_ms": statistics.median(neigh) * 1000, "profile_p95_ms": _p95(prof) * 1000,
            "profile_p50_ms": statistics.median(prof) * 1000, "profile_samples": len(prof),
            "median_claims": statistics.median(sizes), "max_claims": max(sizes)}


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000), indent=1))
