"""Tests of sabueso.store (and the name key it resolves entities with). Invented names only."""
from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from sabueso.core import Claim, Document, Entity, Event, Extraction, Mention, Quantity
from sabueso.resolve import norm_name
from sabueso.store import TABLES, Store, resolve_db_url, writer
from sabueso.store.schema import metadata

TEXT1 = ("Jorvik Pell leads the Banda Zafiro, known as Los Zafiros. "
         "The Banda Zafiro runs extortion rackets in Puerto Velo. "
         "Amara Pell was arrested. About 300 members.")
TEXT2 = "Los Zafiros clashed with police in Puerto Velo, said the Ministerio de Orden."


def doc1() -> Extraction:
    d = Document(text=TEXT1, title="Zafiro rising", path="/tmp/zafiro.txt",
                 url="https://example.org/zafiro", publisher="Example Post", lang="en")
    return Extraction(
        d,
        entities=[Entity("e1", "Person", "Jorvik Pell"),
                  Entity("e2", "CriminalGroup", "Banda Zafiro", ["Los Zafiros"]),
                  Entity("e3", "Place", "Puerto Velo", place_kind="city", country="XX"),
                  Entity("e4", "Person", "Amara Pell"),
                  Entity("e5", "Commodity", "cocaine")],
        mentions=[Mention(0, 11, "Jorvik Pell", "Person", "e1"),
                  Mention(22, 34, "Banda Zafiro", "CriminalGroup", "e2")],
        claims=[Claim("LEADER_OF", "e1", "e2", "Jorvik Pell leads the Banda Zafiro", 0, 34),
                Claim("ACTIVITY", "e2", "extortion",
                      "The Banda Zafiro runs extortion rackets", 57, 96),
                Claim("TRAFFICS", "e2", "e5", "Banda Zafiro", 22, 34,
                      qualifiers={"from": "e3", "to": "elsewhere"}),
                Claim("MEMBER_OF", "e4", "e2", "Amara Pell was arrested", 113, 136)],
        events=[Event("ARREST", "Amara Pell was arrested", 113, 136, place="e3",
                      participants=["e4"])],
        quantities=[Quantity("e2", "members", 300, "About 300 members", 138, 155)])


def doc2(group_type: str = "CriminalGroup", group_name: str = "los zafiros") -> Extraction:
    return Extraction(
        Document(text=TEXT2, title="Clash in Puerto Velo", lang="en"),
        entities=[Entity("e1", group_type, group_name),
                  Entity("e2", "Place", "Puerto Velo", lat=1.5, lon=-2.5),
                  Entity("e3", "GovernmentBody", "Ministerio de Orden")],
        mentions=[Mention(0, 11, "Los Zafiros", group_type, "e1")],
        claims=[Claim("OPERATES_IN", "e1", "e2", "Los Zafiros clashed with police in Puerto Velo",
                      0, 47, modality="reported", attributed_to="e3")])


@pytest.fixture
def store(tmp_path: Path):
    s = Store.open(tmp_path / "db" / "test.db")
    yield s
    s.close()


def ids_named(store: Store, name: str) -> set[str]:
    return {e["id"] for e in store.list_entities() if norm_name(e["name"]) == norm_name(name)}


@pytest.mark.parametrize("raw, expected", [
    ("The Tren de Aragua’s", "tren de aragua"),
    ("Niño Guerrero", "nino guerrero"),
    ("  LOS   Zafiros!! ", "zafiros"),
    ("el «Clan» del Golfo", "clan del golfo"),
    ("Banda Zafiro's men", "banda zafiro men"),
    ("Banda Zafiro‘s", "banda zafiro"),
    ("Puerto-Velo, S.A.", "puerto velo sa"),
    ("A Tropa", "tropa"),
    ("Os Gemeos", "gemeos"),
    ("La", "la"),                      # a lone article is kept
    ("Dvořák  Ñúñez", "dvorak nunez"),
    ("", ""),
])
def test_norm_name(raw: str, expected: str) -> None:
    assert norm_name(raw) == expected


def test_migrations_create_all_tables(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "m.db"
    s = Store.open(str(path))
    try:
        assert path.exists()
        assert set(inspect(s.engine).get_table_names()) == set(TABLES) | {"alembic_version"}
        assert set(TABLES) == {"documents", "entities", "aliases", "mentions", "claims",
                               "events", "quantities", "judgements",
                               "entity_records", "name_blocks", "name_postings",
                               "name_terms"}
        with s.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0007"
            # the Core schema used by queries matches what the migrations built
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        assert s.stats() == {t: 0 for t in TABLES}
    finally:
        s.close()
    again = Store.open(f"sqlite:///{path}")     # re-opening re-runs migrations harmlessly
    assert again.stats() == {t: 0 for t in TABLES}
    again.close()


def test_save_twice_changes_nothing(store: Store) -> None:
    first = store.save_extraction(doc1())
    assert first is not None
    assert first["documents"] == 1 and first["entities"] == 5 and first["claims"] == 4
    assert first["events"] == 1 and first["quantities"] == 1 and first["mentions"] == 2
    counts = store.stats()
    assert all(counts[t] > 0 for t in TABLES if t != "judgements")
    assert store.has_document(doc1().document.id)
    assert store.save_extraction(doc1()) is None
    assert store.stats() == counts
    assert store.table_counts() == counts


def test_same_name_compatible_types_merge(store: Store) -> None:
    store.save_extraction(doc1())
    before = store.stats()["entities"]
    out = store.save_extraction(doc2())
    assert out is not None
    # "los zafiros" (an alias in doc 1) and "Puerto Velo" are reused; only the ministry is new
    assert store.stats()["entities"] == before + 1
    group = ids_named(store, "Banda Zafiro")
    assert len(group) == 1
    (gid,) = group
    ent = store.entity(gid)
    assert ent["documents"] == 2 and ent["type"] == "CriminalGroup"
    place = store.find_entities("Puerto Velo")[0]
    assert (place["lat"], place["lon"], place["country"]) == (1.5, -2.5, "XX")  # filled in
    # a surname shared by two persons does not merge them
    assert len({e["id"] for e in store.list_entities("Person")}) == 2


def test_incompatible_types_stay_apart(store: Store) -> None:
    store.save_extraction(doc1())
    store.save_extraction(doc2(group_type="Person", group_name="Banda Zafiro"))
    found = store.find_entities("Banda Zafiro")
    assert sorted(e["type"] for e in found if e["score"] == 100) == ["CriminalGroup", "Person"]
    assert len(ids_named(store, "Banda Zafiro")) == 2


def test_organization_and_government_body_are_compatible(store: Store) -> None:
    store.save_extraction(doc2())
    x = Extraction(Document(text="The Ministerio de Orden spoke."),
                   entities=[Entity("e1", "Organization", "The Ministerio de Orden")])
    assert store.save_extraction(x)["entities"] == 0
    assert len(store.list_entities("GovernmentBody")) == 1
    assert store.list_entities("Organization") == []


def test_failure_mid_save_leaves_no_trace(store: Store, monkeypatch) -> None:
    store.save_extraction(doc1())
    before = store.stats()
    aliases_before = {e["id"]: e["aliases"] for e in store.list_entities()}

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(writer, "save_claims", boom)
    x = doc2(group_name="Zafiro Clan")      # doc 2 brings a new alias... until it fails
    x.entities[0].aliases.append("Los Zafiros")
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.save_extraction(x)
    assert not store.has_document(x.document.id)
    assert store.document(x.document.id) is None
    assert store.stats() == before
    assert {e["id"]: e["aliases"] for e in store.list_entities()} == aliases_before
    monkeypatch.undo()
    assert store.save_extraction(x) is not None          # and it can be saved afterwards
    assert store.has_document(x.document.id)


def test_find_entities_by_alias_and_misspelling(store: Store) -> None:
    store.save_extraction(doc1())
    by_alias = store.find_entities("los zafiros")
    assert by_alias and by_alias[0]["name"] == "Banda Zafiro"
    assert by_alias[0]["aliases"] == ["Banda Zafiro", "Los Zafiros"]
    assert by_alias[0]["score"] == 100
    typo = store.find_entities("Banda Zafrio")
    assert typo and typo[0]["name"] == "Banda Zafiro" and 85 <= typo[0]["score"] < 100
    assert store.find_entities("Jorvk Pel")[0]["name"] == "Jorvik Pell"
    assert store.find_entities("Completely Unrelated") == []
    assert len(store.find_entities("Pell", limit=1)) == 1


def test_entity_claims_events_quantities(store: Store) -> None:
    store.save_extraction(doc1())
    store.save_extraction(doc2())
    gid = store.find_entities("Banda Zafiro")[0]["id"]
    place = store.find_entities("Puerto Velo")[0]["id"]
    claims = store.entity_claims(gid)
    by_type = {c["type"]: c for c in claims}
    assert set(by_type) == {"LEADER_OF", "ACTIVITY", "TRAFFICS", "MEMBER_OF", "OPERATES_IN"}
    lead = by_type["LEADER_OF"]
    assert lead["evidence"] == "Jorvik Pell leads the Banda Zafiro"
    assert lead["doc_title"] == "Zafiro rising" and lead["publisher"] == "Example Post"
    assert lead["doc_url"] == "https://example.org/zafiro"
    assert lead["subject"]["name"] == "Jorvik Pell" and lead["object"]["id"] == gid
    assert by_type["ACTIVITY"]["object_value"] == "extortion"
    assert by_type["ACTIVITY"]["object"]["id"] is None
    assert by_type["TRAFFICS"]["qualifiers"] == {"from": place, "to": "elsewhere"}
    ops = by_type["OPERATES_IN"]
    assert ops["doc_title"] == "Clash in Puerto Velo" and ops["modality"] == "reported"
    assert ops["object"]["id"] == place
    events = store.entity_events(place)
    assert [v["type"] for v in events] == ["ARREST"]
    assert events[0]["participants"][0]["name"] == "Amara Pell"
    assert events[0]["doc_title"] == "Zafiro rising"
    qty = store.entity_quantities(gid)
    assert [(q["measure"], q["value"], q["doc_title"]) for q in qty] == [
        ("members", 300.0, "Zafiro rising")]
    assert store.entity_claims("n-missing") == [] and store.entity("n-missing") is None
    doc = store.document(doc1().document.id)
    assert doc["title"] == "Zafiro rising" and doc["text"] == TEXT1


def test_list_entities_order_and_filter(store: Store) -> None:
    store.save_extraction(doc1())
    store.save_extraction(doc2())
    listed = store.list_entities()
    assert listed[0]["name"] == "Banda Zafiro" and listed[0]["documents"] == 2
    docs = [e["documents"] for e in listed]
    assert docs == sorted(docs, reverse=True)
    assert {e["type"] for e in store.list_entities("Person")} == {"Person"}


def test_add_judgement(store: Store) -> None:
    jid = store.add_judgement("merge", "n1", "n2", reviewer="ana", note="same gang")
    assert store.stats()["judgements"] == 1 and jid >= 1
    with pytest.raises(ValueError):
        store.add_judgement("maybe", "n1")
    assert store.stats()["judgements"] == 1


def test_resolve_db_url(tmp_path: Path, monkeypatch) -> None:
    tmp_path = tmp_path.resolve()
    env_db = tmp_path / "env" / "from_env.db"
    monkeypatch.setenv("SABUESO_DB", str(env_db))
    assert resolve_db_url(None) == f"sqlite:///{env_db}"
    assert resolve_db_url("postgresql://u@h/db") == "postgresql://u@h/db"
    assert resolve_db_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    s = Store.open(None)
    s.close()
    assert env_db.exists()
    monkeypatch.delenv("SABUESO_DB")
    monkeypatch.chdir(tmp_path)
    assert resolve_db_url() == f"sqlite:///{tmp_path / 'sabueso.db'}"


def test_merge_candidates_same_type_similar_names_first(store: Store) -> None:
    store.save_extraction(doc1())
    store.save_extraction(Extraction(
        Document(text="Jorvic Pel and Zolda Brin met in Puerto Velo.", lang="en"),
        entities=[Entity("e1", "Person", "Jorvic Pel"), Entity("e2", "Person", "Zolda Brin"),
                  Entity("e3", "Place", "Puerto Velo")]))
    jorvik = store.find_entities("Jorvik Pell")[0]
    offered = store.merge_candidates(jorvik)
    names = [c["name"] for c in offered]
    assert names[0] == "Jorvic Pel"                       # the near-duplicate comes first
    assert set(names) == {"Jorvic Pel", "Amara Pell", "Zolda Brin"}   # persons only, not itself
    assert jorvik["id"] not in {c["id"] for c in offered}
    assert len(store.merge_candidates(jorvik, limit=1)) == 1


def test_save_extractions_in_one_transaction(store: Store) -> None:
    out = store.save_extractions([doc1(), doc2(), doc1()])
    assert out[0]["documents"] == 1 and out[1]["documents"] == 1
    assert out[2] is None                                 # the same document again: skipped
    assert store.table_counts()["documents"] == 2


def test_a_repeated_record_joins_its_entity_and_a_new_alias_is_resolved(tmp_path, monkeypatch):
    """A record that repeats a stored one exactly is settled without re-resolution (and the
    entity's attributes follow the new counts); one bringing a new alias goes through
    incremental resolution; the store ends as a full re-resolution would leave it."""
    from sabueso.store import resolution

    def doc(text, *entities):
        return Extraction(Document(text=text, path=f"{text[:8]}.txt"), list(entities))

    calls: list[set] = []
    real = resolution.incremental
    monkeypatch.setattr(resolution, "incremental", lambda conn, keys, **kw: calls.append(set(keys)) or real(conn, keys, **kw))
    with Store.open(str(tmp_path / "s.db")) as store:
        store.save_extraction(doc("Uno. Banda Roja opera.", Entity("e1", "CriminalGroup", "La Banda Roja")))
        assert len(calls) == 1
        store.save_extraction(doc("Dos. Banda Roja sigue.", Entity("e1", "CriminalGroup", "Banda Roja")))
        store.save_extraction(doc("Tres. Banda Roja otra vez.", Entity("e1", "CriminalGroup", "Banda Roja")))
        assert len(calls) == 2                  # the third repeats the second: settled
        groups = store.list_entities("CriminalGroup")
        assert len(groups) == 1 and groups[0]["name"] == "Banda Roja"   # 2 of 3 records
        store.save_extraction(doc("Cuatro. Los Rojos.", Entity("e1", "CriminalGroup", "Banda Roja",
                                                              aliases=["Los Rojos"])))
        assert len(calls) == 3                  # a new alias: resolved
        groups = store.list_entities("CriminalGroup")
        assert len(groups) == 1 and "Los Rojos" in groups[0]["aliases"]
        before = {(x["id"], x["name"], tuple(sorted(x["aliases"]))) for x in store.list_entities()}
        store.resolve()
        assert {(x["id"], x["name"], tuple(sorted(x["aliases"]))) for x in store.list_entities()} == before


def test_a_popular_entity_s_name_is_chosen_from_scaled_votes() -> None:
    from collections import namedtuple

    from rigour.names import pick_name

    from sabueso.store import canon
    Row = namedtuple("Row", "name n")
    rows = [Row("Banda Zafiro", 40000), Row("banda zafiro", 3), Row("La Banda Zafiro", 9000)]
    votes = canon._votes(rows)
    assert len(votes) <= canon.MAX_VOTES + len(rows) and votes.count("banda zafiro") == 1
    assert votes.count("Banda Zafiro") > votes.count("La Banda Zafiro") > 1
    assert pick_name(votes) == pick_name([r.name for r in rows for _ in range(r.n)])
    few = [Row("Banda Zafiro", 2), Row("La Banda Zafiro", 3)]
    assert canon._votes(few) == ["Banda Zafiro"] * 2 + ["La Banda Zafiro"] * 3
