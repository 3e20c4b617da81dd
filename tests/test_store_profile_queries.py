"""The profile reads of the store (``entity_claims`` with its corroboration, ``entity_events``,
``claim_support``, a profile's name citations) against the plain definitions they replace:
support grouped over every fact of the store, names cited from the first matching mention.

On SQLite, and on PostgreSQL when one is reachable (``$SABUESO_TEST_PG``, default
``postgresql://postgres@127.0.0.1/test``; a throw-away database, skipped otherwise).
Invented names only.
"""
from __future__ import annotations

import json
import os
import random
import uuid
from pathlib import Path

import networkx as nx
import pytest
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

from sabueso.analyze.profile import name_evidence
from sabueso.store import Store, resolve_db_url
from sabueso.store.evidence import fact_columns, support_query
from sabueso.store.schema import claims, documents, entities, events, mentions

ADMIN_URL = os.environ.get("SABUESO_TEST_PG", "postgresql://postgres@127.0.0.1/test")
RELS = ("ALLY_OF", "RIVAL_OF", "LEADER_OF", "MEMBER_OF", "OPERATES_IN")   # two symmetric
MODS = ("asserted", "reported", "hedged", "denied", None)
PUBLISHERS = ("Diario Uno", " diario uno ", "DIARIO UNO", "Eco Sur", None)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path: Path):
    if request.param == "sqlite":
        s = Store.open(tmp_path / "p.db")
        yield s
        s.close()
        return
    pytest.importorskip("psycopg", reason="psycopg 3 is not installed")
    from sabueso.store.engine import driver_url
    admin = create_engine(driver_url(ADMIN_URL), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at {ADMIN_URL}: {type(exc).__name__}")
    name = f"sabueso_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = (make_url(resolve_db_url(ADMIN_URL)).set(database=name)
           .render_as_string(hide_password=False))
    s = Store.open(url)
    try:
        yield s
    finally:
        s.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _fill(store: Store, seed: int = 3) -> list[str]:
    """A small dense store: facts stated in both orders, by several documents and publishers
    (spelt differently), denied, with no modality, with label objects; one hub entity."""
    rng = random.Random(seed)
    ents = [f"n{i:03d}" for i in range(12)]
    docs = [f"d{i:03d}" for i in range(15)]
    with store.engine.begin() as conn:
        conn.execute(insert(documents), [
            {"id": d, "title": f"Article {i}", "path": f"/c/{i}.txt", "text": "x",
             "publisher": PUBLISHERS[i % len(PUBLISHERS)], "published": f"20{10 + i % 5}-01-01"}
            for i, d in enumerate(docs)])
        conn.execute(insert(entities), [{"id": e, "type": "CriminalGroup", "name": f"Group {i}"}
                                        for i, e in enumerate(ents)])
        rows = []
        for i in range(300):
            s = ents[0] if i % 3 == 0 else rng.choice(ents[:5])            # n000 is a hub
            label = rng.random() < 0.15
            o = None if label else rng.choice([e for e in ents[:6] if e != s])
            rows.append({"id": f"c{i:04d}", "doc_id": rng.choice(docs), "subject_id": s,
                         "type": "ACTIVITY" if label else rng.choice(RELS), "object_id": o,
                         "object_value": rng.choice(["extortion", "", None]) if label else None,
                         "modality": rng.choice(MODS),
                         "qualifiers": rng.choice(["{}", None, '{"to": "x"}']),
                         "evidence": f"sentence {i}", "start": i, "end": i + 5})
        conn.execute(insert(claims), rows)
        conn.execute(insert(events), [
            {"id": f"v{i:03d}", "doc_id": docs[i % 15], "type": "ARREST", "date": "2020",
             "place_id": ents[i % 3], "participants": json.dumps([ents[i % 5], ents[0]])}
            for i in range(20)])
    return ents


def _all_facts(store: Store) -> dict[tuple, dict]:
    with store.engine.connect() as conn:
        return {(r.type, r.s, r.o): {"documents": r.documents, "publishers": r.publishers,
                                     "denied_documents": r.denied_documents}
                for r in conn.execute(support_query())}


def test_claim_support_matches_grouping_every_fact(store: Store) -> None:
    ents = _fill(store)
    facts = _all_facts(store)
    s, o, _ = fact_columns()
    with store.engine.connect() as conn:
        rows = conn.execute(select(claims.c.id, claims.c.type, claims.c.subject_id,
                                   claims.c.object_id, s, o)).all()
    fact_of = {r.id: (r.type, r.s, r.o) for r in rows}
    assert any(v["denied_documents"] for v in facts.values())
    assert any(v["publishers"] < v["documents"] for v in facts.values())   # spellings merged
    seen = 0
    for e in ents:
        got = store.entity_claims(e)
        assert sorted(c["id"] for c in got) == sorted(r.id for r in rows
                                                      if e in (r.subject_id, r.object_id))
        for c in got:
            assert c["support"] == facts[fact_of[c["id"]]], c["id"]
            assert list(c["support"]) == ["documents", "publishers", "denied_documents"]
            for end in (c["subject"], c["object"]):
                if end["id"]:
                    assert end["name"] == f"Group {int(end['id'][1:])}"
            seen += 1
    assert seen > 300        # claims between two entities are seen from both ends
    ids = sorted(fact_of)[::7] + ["c-missing"]
    assert store.claim_support(ids) == {i: facts[fact_of[i]] for i in ids if i in fact_of}


def test_entity_events_names_participants(store: Store) -> None:
    ents = _fill(store)
    got = store.entity_events(ents[1])
    assert got and all(ents[1] in [p["id"] for p in v["participants"]]
                       or v["place"]["id"] == ents[1] for v in got)
    assert all(p["name"] == f"Group {int(p['id'][1:])}" for v in got for p in v["participants"])
    assert len(store.entity_events(ents[0])) == 20


def test_name_evidence_cites_first_mention_of_each_name(store: Store) -> None:
    texts = {"d1": "Nothing here. Los Zafiros attacked the port. Later more.",
             "d2": "The Banda Zafiro grew fast! Los Zafiros too.",
             "d3": "Banda Zafiro again."}
    with store.engine.begin() as conn:
        conn.execute(insert(documents), [{"id": d, "title": d.upper(), "text": t}
                                         for d, t in texts.items()])
        conn.execute(insert(entities), [{"id": "nz", "type": "CriminalGroup",
                                         "name": "Banda Zafiro"}])
        conn.execute(insert(mentions), [
            {"id": i, "doc_id": d, "entity_id": "nz", "start": a, "end": b, "text": t}
            for i, d, a, b, t in [("m3", "d3", 0, 12, "Banda Zafiro"),
                                  ("m2", "d2", 4, 16, "Banda Zafiro"),
                                  ("m2b", "d2", 28, 39, "Los Zafiros"),
                                  ("m1", "d1", 14, 25, "los zafiros")]])
    g = nx.MultiDiGraph(documents={"d2": {"url": "https://example.org/2", "title": "Two"}})
    g.add_node("nz", name="Banda Zafiro", aliases=["Los Zafiros", "Unseen Alias"])
    got = name_evidence(store, g, "nz")
    assert [(c["doc_id"], c["evidence"], c["doc_title"]) for c in got] == [
        ("d1", "Los Zafiros attacked the port.", "d1"),
        ("d2", "The Banda Zafiro grew fast!", "Two")]
    assert texts["d1"][got[0]["start"]:got[0]["end"]] == got[0]["evidence"]
    assert got[1]["doc_url"] == "https://example.org/2"
