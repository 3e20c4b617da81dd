"""Ingesting the seed, the dev articles and our own corpus together: one entity per real thing."""
from __future__ import annotations

import json
from collections import defaultdict

import pytest

from sabueso.analyze.evaluate import name_key
from sabueso.core import Document
from sabueso.extract import extract_document
from sabueso.store import Store

from .conftest import CORPUS, SHARED

COMPATIBLE = {"Person": {"Person"}, "CriminalGroup": {"CriminalGroup"}}


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    if not SHARED.exists():
        pytest.skip("../shared/eval is not present beside the repo")
    golds = sorted(SHARED.rglob("*.gold.json")) + sorted(CORPUS.rglob("*.gold.json"))
    store = Store.open(str(tmp_path_factory.mktemp("x") / "all.db"))
    for g in golds:
        txt = g.with_name(g.name.replace(".gold.json", ".txt"))
        doc = Document(text=txt.read_text(encoding="utf-8"), title=txt.name, path=str(txt))
        store.save_extraction(extract_document(doc))
    yield store, golds
    store.close()


def test_entities_in_several_documents_are_one(corpus_store):
    store, golds = corpus_store
    seen = defaultdict(set)       # (normalised name, type) -> gold files naming it
    for g in golds:
        for e in json.loads(g.read_text(encoding="utf-8"))["entities"]:
            if e["type"] in COMPATIBLE:
                seen[(name_key(e["name"]), e["type"])].add(g.name)
    shared = [k for k, files in seen.items() if len(files) > 1]
    assert shared, "the corpus should name some people or groups in several documents"
    duplicates = {}
    for key, typ in shared:
        hits = [x for x in store.list_entities(typ)
                if key in {name_key(n) for n in [x["name"], *(x.get("aliases") or [])]}]
        if len(hits) > 1:
            duplicates[key] = [h["name"] for h in hits]
    assert not duplicates, duplicates


def test_places_land_on_the_map(corpus_store):
    store, _ = corpus_store
    aragua = [x for x in store.list_entities("Place") if name_key(x["name"]) == "aragua"]
    assert len(aragua) == 1
    a = aragua[0]
    assert a["country"] == "VE"
    assert a["lat"] is not None and abs(a["lat"] - 10.2) <= 1 and abs(a["lon"] + 67.3) <= 1
    san_vicente = [x for x in store.list_entities("Place") if name_key(x["name"]) == "san vicente"]
    # the seed's San Vicente (a Venezuelan story) and our Salvadoran article's San Vicente are two
    # places, each resolved by its document's country context
    assert sorted(x["country"] for x in san_vicente) == ["SV", "VE"]
