"""One article written by us in English and in Spanish gives the same graph (within a margin)."""
from __future__ import annotations

from sabueso.analyze.evaluate import name_key
from sabueso.core import Document
from sabueso.extract import extract_document

from .conftest import CORPUS


def graph(path, lang):
    out = extract_document(Document(text=path.read_text(encoding="utf-8"))).to_format(path.name)
    assert out["lang"] == lang          # language identification routes each twin
    names = {e["id"]: name_key(e["name"]) for e in out["entities"]}
    rels = {(r["type"], names[r["subject"]], names.get(r["object"], r["object"])) for r in out["relations"]}
    actors = {(name_key(e["name"]), e["type"]) for e in out["entities"] if e["type"] in ("Person", "CriminalGroup")}
    return actors, rels


def test_twin_articles_give_the_same_actors_and_mostly_the_same_relations():
    en_actors, en_rels = graph(CORPUS / "en" / "twin_cartel.txt", "en")
    es_actors, es_rels = graph(CORPUS / "es" / "twin_cartel.txt", "es")
    assert en_actors == es_actors
    jaccard = len(en_rels & es_rels) / len(en_rels | es_rels)
    assert jaccard >= 0.5, (jaccard, sorted(en_rels ^ es_rels))
