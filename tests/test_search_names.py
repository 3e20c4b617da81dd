"""The store's name index (sabueso/store/namesearch.py, namescore.py, namefind.py) and the
search page built on it: typos, accents, prefixes, "did you mean", highlights of the matched
words only, modality badges on claims, filters by type and country. Invented names only."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from sabueso.core import Claim, Document, Entity, Extraction, Mention
from sabueso.store import Store
from sabueso.store import namescore, namesearch
from sabueso.store.schema import name_postings, name_terms

TEXT = ("Los Halcones Grises operate in Puerto Velo. Ramiro Vellano Tusca, alias El Tejón, "
        "leads Los Halcones Grises. The Banda del Muelle allegedly operates in Villa Serrana. "
        "La Ñapa Dorada is based in Cumbre Alta.")


def extraction() -> Extraction:
    doc = Document(text=TEXT, title="Harbour gangs (names test)")
    i = TEXT.index
    return Extraction(doc, entities=[
        Entity("g1", "CriminalGroup", "Los Halcones Grises"),
        Entity("p1", "Person", "Ramiro Vellano Tusca", ["El Tejón"]),
        Entity("g2", "CriminalGroup", "Banda del Muelle"),
        Entity("g3", "CriminalGroup", "La Ñapa Dorada"),
        Entity("c1", "Place", "Puerto Velo", country="XA"),
        Entity("c2", "Place", "Villa Serrana", country="XB"),
        Entity("c3", "Place", "Cumbre Alta", country="XB")],
        mentions=[Mention(0, 19, "Los Halcones Grises", "CriminalGroup", "g1")],
        claims=[Claim("OPERATES_IN", "g1", "c1", TEXT[:43], 0, 43),
                Claim("LEADER_OF", "p1", "g1", TEXT[44:112], 44, 112),
                Claim("OPERATES_IN", "g2", "c2", TEXT[113:173], 113, 173, modality="hedged"),
                Claim("BASED_IN", "g3", "c3", TEXT[i("La Ñapa"):], i("La Ñapa"), len(TEXT))])


@pytest.fixture
def store(tmp_path: Path):
    s = Store.open(tmp_path / "names.db")
    s.save_extraction(extraction())
    yield s
    s.close()


def names(found: list[dict]) -> list[str]:
    return [f["name"] for f in found]


@pytest.mark.parametrize("query, expected", [
    ("Halcones Grisez", "Los Halcones Grises"),      # a substitution
    ("Halcoens Grises", "Los Halcones Grises"),      # two letters swapped
    ("Halcons", "Los Halcones Grises"),              # a letter left out, one word of three
    ("Vellanno", "Ramiro Vellano Tusca"),            # a letter doubled
    ("el tejon", "Ramiro Vellano Tusca"),            # an alias, accents and case aside
    ("napa dorada", "La Ñapa Dorada"),               # ñ typed as n
    ("Banda del Muele", "Banda del Muelle"),
    ("Ramiro Vell", "Ramiro Vellano Tusca"),         # the start of a word
])
def test_typos_accents_and_prefixes_find_the_entity(store, query, expected) -> None:
    found = store.find_entities(query, 5)
    assert found and found[0]["name"] == expected, (query, found)
    folded = query in ("el tejon", "napa dorada")     # the same name once accents are folded
    assert found[0]["score"] == 100 if folded else 65 <= found[0]["score"] < 100


def test_exact_names_score_100_and_short_or_unknown_words_find_nothing(store) -> None:
    assert store.find_entities("los halcones grises")[0]["score"] == 100
    assert store.find_entities("El Tejón")[0]["score"] == 100
    assert store.find_entities("del") == [] or all(f["score"] < 100 for f in store.find_entities("del"))
    assert store.find_entities("de") == []                  # a short word alone matches nothing
    assert store.find_entities("Completely Unrelated") == []
    assert store.find_entities("Halcones Zorzal Quebrada") == []   # one word of three is not enough


def test_matched_words_are_reported_for_highlighting(store) -> None:
    hit = store.find_entities("Halcones Grisez")[0]
    assert hit["matched"] == "Los Halcones Grises"
    assert hit["matched_words"] == ["grises", "halcones"]
    alias = store.find_entities("Tejon")[0]
    assert alias["name"] == "Ramiro Vellano Tusca" and alias["matched"] == "El Tejón"


def test_filters_by_type_and_country(store) -> None:
    assert names(store.find_entities("Halcones", type="Person")) == []
    assert names(store.find_entities("Halcones", type="CriminalGroup")) == ["Los Halcones Grises"]
    # a group's country is that of the places its claims tie it to
    assert names(store.find_entities("Banda Muelle", country="XB")) == ["Banda del Muelle"]
    assert names(store.find_entities("Banda Muelle", country="XA")) == []
    assert store.facets()["countries"] == ["XA", "XB"]
    ids = {f["id"]: f["name"] for f in store.find_entities("Halcones") + store.find_entities("Muelle")}
    assert {ids[i] for i in store.filter_entities(ids, country="XA")} == {"Los Halcones Grises"}


def test_index_follows_new_names_and_rebuilds_the_same(store) -> None:
    assert store.find_entities("Zorzal Quebrado") == []
    store.save_extraction(Extraction(Document(text="El Zorzal Quebrado runs a crew."),
                                     [Entity("e1", "Person", "El Zorzal Quebrado")]))
    assert names(store.find_entities("Zorzal Quebardo")) == ["El Zorzal Quebrado"]

    def snapshot():
        with store.engine.connect() as conn:
            return (set(conn.execute(select(name_postings)).all()),
                    set(conn.execute(select(name_terms)).all()))
    before = snapshot()
    assert store.reindex_names() > 0
    assert snapshot() == before


def test_a_common_word_does_not_hide_a_rare_one(tmp_path) -> None:
    """Each query word reads at most POSTINGS names; a name holding a common word and a
    rare, mistyped one is still found through the rare one, and ranked first."""
    s = Store.open(tmp_path / "common.db")
    try:
        with s.engine.begin() as conn:
            namesearch.index_norms(conn, [f"banda norte {i}" for i in range(namesearch.POSTINGS + 50)])
        s.save_extraction(Extraction(Document(text="Banda Quimbaya Norte is small."),
                                     [Entity("e1", "CriminalGroup", "Banda Quimbaya Norte")]))
        with s.engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(name_postings)
                               .where(name_postings.c.term == "banda")) > namesearch.POSTINGS
        assert names(s.find_entities("banda quimbaia norte", 3)) == ["Banda Quimbaya Norte"]
    finally:
        s.close()


def test_scoring_rules() -> None:
    assert namescore.similarity("aragwa", "aragua") == pytest.approx(0.9)     # one edit
    assert namescore.similarity("abcdefgh", "abcdfegx") == pytest.approx(0.8)  # two, long word
    assert namescore.similarity("abcd", "abxy") == 0.0                        # too far
    assert namescore.similarity("de", "del") == 0.0                           # too short
    assert namescore.score(["tren", "de", "aragua"], "tren de aragua")[0] == 100
    full, _ = namescore.score(["aragwa"], "aragua")
    part, _ = namescore.score(["aragwa"], "tren de aragua")
    assert full > part >= namescore.CUTOFF                    # a name fully covered ranks first


# -- the search page and API ----------------------------------------------------------------
@pytest.fixture
def client(store):
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from sabueso.web.app import create_app
    store.save_extraction(Extraction(Document(text="Un informe de la fiscalía del puerto.",
                                              title="Informe")))
    return TestClient(create_app(store=store, reviewer="tester"))


def test_search_page_suggests_and_highlights_only_matched_words(client) -> None:
    page = client.get("/search", params={"q": "Halcones Grisez"}).text
    assert 'id="did-you-mean"' in page and ">Los Halcones Grises</a>?" in page
    assert "Los <mark>Halcones</mark> <mark>Grises</mark>" in page      # "Los" is not marked
    assert 'href="/search?q=Los+Halcones+Grises"' in page
    exact = client.get("/search", params={"q": "Los Halcones Grises"}).text
    assert 'id="did-you-mean"' not in exact and 'id="no-entity"' not in exact
    doc = client.get("/search", params={"q": "de"}).text
    assert "<mark>de</mark>" in doc and "<mark>del</mark>" not in doc    # whole words only


def test_search_claims_carry_modality_and_filters_apply(client) -> None:
    page = client.get("/search", params={"q": "operates"}).text
    hedged = page.split('data-claim="')[1:]
    assert any("modality-hedged" in h.split("</li>")[0] and "Banda del Muelle" in h.split("</li>")[0]
               for h in hedged)
    only = client.get("/search", params={"q": "operates", "country": "XA"}).text
    claims = only.split('id="results-claim"')[1]
    assert "Los Halcones Grises" in claims and "Banda del Muelle" not in claims
    assert "tied to XA" in only              # no country name known for an invented code
    assert 'id="results-document"' in only and "Harbour gangs" in only   # it names the group
    api = client.get("/api/search", params={"q": "Halcons", "type": "CriminalGroup"}).json()
    assert api["did_you_mean"] == "Los Halcones Grises"
    assert [h["title"] for h in api["results"]["entity"]] == ["Los Halcones Grises"]
    none = client.get("/api/search", params={"q": "Halcons", "type": "Person"}).json()
    assert none["results"]["entity"] == [] and none["did_you_mean"] is None


def test_check_reports_names_missing_from_the_index(store) -> None:
    from sabueso.analyze.integrity import check_store
    report = check_store(store)
    assert "names" in report.checks and not [f for f in report.findings if f.check == "names"]
    with store.engine.begin() as conn:
        conn.execute(name_postings.delete().where(name_postings.c.norm == "halcones grises"))
    assert store.find_entities("Halcones Grisez") == []          # the index is what searches
    found = [f for f in check_store(store).findings if f.check == "names"]
    assert found and found[0].level == "warning" and found[0].examples == ["halcones grises"]
    store.reindex_names()
    assert not [f for f in check_store(store).findings if f.check == "names"]
    assert names(store.find_entities("Halcones Grisez")) == ["Los Halcones Grises"]
