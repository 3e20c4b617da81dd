"""Cross-document resolution, judgements, places, corroboration and conflicts. Invented names
of people and groups only (places are real: the gazetteer is under test)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sabueso.core import Claim, Document, Entity, Extraction
from sabueso.resolve.names import acronym, acronym_variants, norm_name
from sabueso.resolve.places import gazetteer
from sabueso.store import Store


def doc(text: str, *ents: Entity, claims=(), publisher: str | None = None) -> Extraction:
    return Extraction(Document(text=text, title=text[:20], publisher=publisher),
                      entities=list(ents), claims=list(claims))


def P(i, name, *aliases, t="Person", **kw) -> Entity:
    return Entity(f"e{i}", t, name, list(aliases), **kw)


@pytest.fixture
def store(tmp_path: Path):
    s = Store.open(tmp_path / "r.db")
    yield s
    s.close()


def eid(store: Store, name: str, type: str | None = None) -> str:
    found = [f for f in store.find_entities(name, limit=20)
             if f["score"] == 100 and (type is None or f["type"] == type)]
    assert len(found) == 1, (name, found)
    return found[0]["id"]


VARIANTS = [
    doc("d1", P(1, "Héctor Zamudio Ybarra", "Niño Zamudio"),
        P(2, "Banda del Ñandú", "Los Ñandúes", t="CriminalGroup"),
        P(3, "Brigada de Operaciones Especiales Nocturnas", t="GovernmentBody")),
    doc("d2", P(1, "Niño Zamudio"), P(2, "BOEN", t="GovernmentBody"),
        P(3, "The Banda del Nandu's", t="CriminalGroup")),
    doc("d3", P(1, "Hector Zamudio", "Niño Zamudio"), P(2, "los ñandúes", t="CriminalGroup")),
    doc("d4", P(1, "Héctor Zamudio Ybarrra"), P(2, "Brigada de Operaciones Especiales Nocturnas",
                                                   "BOEN", t="Organization")),
    doc("d5", P(1, "Hector Samudio Ybarra")),      # a typo changing the first letter
]


def test_name_helpers() -> None:
    assert norm_name("The Banda del Ñandú’s") == "banda del nandu" and acronym("Faes") is None
    assert acronym("F.A.E.S.") == "faes" in acronym_variants(norm_name("Fuerzas de Acciones Especiales"))
    assert acronym_variants("zafiro") == frozenset() == acronym_variants("banda de la")


def test_typo_variants_gather_around_one_spelling_and_never_chain(store: Store) -> None:
    # sogasi is one edit from sogase, sagasi one from sogasi but two from sogase: a chain of
    # typo links would make the three one group (among many short names: thousands of them)
    for i, name in enumerate(("Banda Sogase", "Banda Sogasi", "Banda Sagasi")):
        store.save_extraction(doc(f"t{i}", P(1, name, t="CriminalGroup")))
    for _ in range(2):                  # incremental, then every key resolved again at once
        first, typo, other = (eid(store, n) for n in ("Banda Sogase", "Banda Sogasi", "Banda Sagasi"))
        assert first == typo != other
        store.resolve()


def test_a_typo_links_one_spelling_even_when_two_are_within_reach(store: Store) -> None:
    # sogasi shares its first letter with sogase and its sound with zogasi, one edit from
    # each; sogase and zogasi are two apart and must not become one group through it
    for i, name in enumerate(("Banda Zogasi", "Banda Sogase", "Banda Sogasi")):
        store.save_extraction(doc(f"u{i}", P(1, name, t="CriminalGroup")))
    for _ in range(2):
        first, other, typo = (eid(store, n) for n in ("Banda Zogasi", "Banda Sogase", "Banda Sogasi"))
        assert first == typo != other
        store.resolve()


@pytest.mark.parametrize("order", [(0, 1, 2, 3, 4), (4, 3, 2, 1, 0), (1, 3, 0, 4, 2)])
def test_variants_land_on_one_entity(store: Store, order) -> None:
    for i in order:
        store.save_extraction(VARIANTS[i])
    person, group, unit = (eid(store, "Niño Zamudio"), eid(store, "Los Ñandúes"), eid(store, "BOEN"))
    assert {e["id"] for e in store.list_entities("Person")} == {person}
    assert {e["id"] for e in store.list_entities("CriminalGroup")} == {group}
    assert [e["id"] for e in store.list_entities() if e["type"] != "CriminalGroup"
            and e["type"] != "Person"] == [unit]
    assert store.entity(person)["name"] == "Héctor Zamudio Ybarra"
    assert store.entity(person)["documents"] == 5 and store.entity(group)["documents"] == 3
    before = {e["id"]: e["name"] for e in store.list_entities()}
    assert store.resolve()["moved"] == 0                    # the full pass agrees, ids stable
    assert {e["id"]: e["name"] for e in store.list_entities()} == before


def test_types_and_conflicting_names_stay_apart(store: Store) -> None:
    store.save_extraction(doc("a1", P(1, "Zafiro Negro"), P(2, "Zafiro Negro", t="CriminalGroup"),
                              P(3, "Ramiro Quintal", "El Gordo"), P(4, "police", t="GovernmentBody")))
    # (a bare "El Gordo" beside Tito Quintal in one document would be his: short_names)
    store.save_extraction(doc("a2", P(1, "Tito Quintal", "El Gordo"),
                              P(3, "police", t="GovernmentBody"), P(4, "cocaine", t="Commodity")))
    store.save_extraction(doc("a3", P(1, "cocaine", t="Commodity"), P(2, "Quintal"),
                              P(3, "El Gordo")))
    assert len(store.find_entities("Zafiro Negro")) == 2
    people = {e["name"] for e in store.list_entities("Person")}
    assert {"Ramiro Quintal", "Tito Quintal", "El Gordo", "Quintal"} <= people   # no link
    assert len(store.list_entities("GovernmentBody")) == 2    # two documents' "police"
    assert [e["documents"] for e in store.list_entities("Commodity")] == [2]


def three(store: Store) -> list[str]:
    for i, name in enumerate(("Ramiro Quintal", "Tito Oporto", "Ulises Varga")):
        store.save_extraction(doc(f"j{i}", P(1, name)))
    return [eid(store, n) for n in ("Ramiro Quintal", "Tito Oporto", "Ulises Varga")]


def test_merge_is_transitive_and_split_undoes_it(store: Store) -> None:
    a, b, c = three(store)
    out = store.merge(a, b, reviewer="ana", note="same man")
    assert out["reviewer"] == "ana" and len(out["now"]) == 1
    store.merge("Tito Oporto", c, reviewer="ana")          # by name, transitively
    assert len(store.list_entities("Person")) == 1
    merged = store.list_entities("Person")[0]
    assert store.entity(a)["id"] == store.entity(c)["id"] == merged["id"]  # old ids lead there
    assert store.resolve()["entities"] == 1
    store.split(merged["id"], reviewer="bo")
    assert len(store.list_entities("Person")) == 3
    store.merge(a, c)                                        # a later merge overrides the split
    assert store.entity(a)["id"] == store.entity(c)["id"] != store.entity(b)["id"]
    kinds = [(j["kind"], j["reviewer"]) for j in store.judgements()]
    assert kinds[:3] == [("merge", "ana"), ("merge", "ana"), ("split", "bo")]
    for bad in ((a, c), (a, "Nobody Known")):                # already one entity; unknown
        with pytest.raises(ValueError):
            store.merge(*bad)


def test_not_same_blocks_indirect_merges(store: Store) -> None:
    for i in (0, 1, 2):
        store.save_extraction(VARIANTS[i])
    assert len(store.list_entities("Person")) == 1           # joined through the nickname
    store.not_same("Héctor Zamudio Ybarra", "Hector Zamudio")
    people = store.list_entities("Person")
    assert len(people) == 2
    full, short = eid(store, "Héctor Zamudio Ybarra"), eid(store, "Hector Zamudio")
    assert full != short
    store.save_extraction(VARIANTS[3])                       # a typo variant arrives later
    store.resolve()
    assert eid(store, "Héctor Zamudio Ybarra") != eid(store, "Hector Zamudio")
    assert len(store.list_entities("Person")) == 2


def test_judgements_survive_reingest_and_resolve(store: Store) -> None:
    a, b, c = three(store)
    store.merge(a, b)
    for i in (0, 1, 2):
        store.save_extraction(VARIANTS[i])
    store.not_same("Héctor Zamudio Ybarra", "Hector Zamudio")
    docs = [doc(f"j{i}", P(1, n)) for i, n in enumerate(("Ramiro Quintal", "Tito Oporto",
                                                            "Ulises Varga"))] + VARIANTS[:3]

    def check() -> None:
        assert eid(store, "Ramiro Quintal") == eid(store, "Tito Oporto") != eid(store, "Ulises Varga")
        assert eid(store, "Héctor Zamudio Ybarra") != eid(store, "Hector Zamudio")

    check()
    store.clear_extracted()
    assert store.list_entities() == [] and len(store.judgements()) == 2
    for x in reversed(docs):
        store.save_extraction(x)
    check()
    store.resolve()
    check()


def test_places_linked_in_their_documents_context(store: Store) -> None:
    ve = P(9, "Venezuela", t="Place", place_kind="country")
    store.save_extraction(doc("p1", ve, P(1, "Aragua", t="Place", place_kind="state"),
                              P(2, "San Vicente", t="Place", place_kind="neighborhood")))
    store.save_extraction(doc("p2", P(1, "San Vicente", t="Place")))
    aragua = store.entity(eid(store, "Aragua"))
    assert aragua["country"] == "VE" and aragua["geo_id"] == "iso:VE-D"
    assert abs(aragua["lat"] - 10.2) < 1 and abs(aragua["lon"] + 67.3) < 1
    vicentes = {e["country"]: e for e in store.list_entities("Place") if e["name"] == "San Vicente"}
    assert set(vicentes) >= {"VE"} and len(vicentes) == 2      # inside Venezuela / elsewhere
    other = next(e for c, e in vicentes.items() if c != "VE")
    assert other["lat"] is not None and vicentes["VE"]["lat"] is None
    located = [c for c in store.entity_claims(aragua["id"]) if c["type"] == "LOCATED_IN"]
    assert [(c["object"]["name"], c["extractor"]) for c in located] == [("Venezuela", "gazetteer")]
    gaz = gazetteer()
    assert gaz.link("San Vicente", {"VE": 2}).country == "VE"
    assert gaz.link("San Vicente").country != "VE"
    assert [p.country for p in gaz.parents(gaz.link("Aragua"))] == ["VE"]
    assert gaz.lookup("Aragua", {"VE": 1}).kind == "state"     # the extractor's interface


def test_corroboration_counts(store: Store) -> None:
    g, h = P(1, "Banda Zafiro", t="CriminalGroup"), P(2, "Clan Ocelote", t="CriminalGroup")
    ally = lambda s, o, m="asserted": Claim("ALLY_OF", s, o, "allied", 0, 6, modality=m)  # noqa: E731
    store.save_extraction(doc("c1", g, h, claims=[ally("e1", "e2")], publisher="Diario Uno"))
    store.save_extraction(doc("c2", g, h, claims=[ally("e2", "e1", "reported")], publisher="Diario Uno"))
    store.save_extraction(doc("c3", g, h, claims=[ally("e1", "e2", "hedged")], publisher="Eco Sur"))
    store.save_extraction(doc("c4", g, h, claims=[ally("e1", "e2", "denied")], publisher="Eco Sur"))
    claims = store.entity_claims(eid(store, "Banda Zafiro"))
    assert len(claims) == 4
    assert {tuple(c["support"].values()) for c in claims} == {(3, 2, 1)}
    conflicts = store.conflicts()
    assert [(c["kind"], len(c["stated"]), len(c["denied"])) for c in conflicts] == [("denied", 3, 1)]


def test_leaders_overlapping_in_time_conflict(store: Store) -> None:
    g = P(1, "Banda Zafiro", t="CriminalGroup")
    lead = lambda s, since=None, until=None: Claim("LEADER_OF", s, "e1", "leads", 0, 5,  # noqa: E731
                                                   since=since, until=until)
    store.save_extraction(doc("l1", g, P(2, "Ramiro Quintal"), claims=[lead("e2", since="2015")]))
    store.save_extraction(doc("l2", g, P(2, "Tito Oporto"), claims=[lead("e2", since="2016-03")]))
    store.save_extraction(doc("l3", g, P(2, "Ulises Varga"), claims=[lead("e2", until="2014")]))
    store.save_extraction(doc("l4", g, P(2, "Vito Ancira"), claims=[lead("e2")]))
    out = store.conflicts()
    pairs = [sorted(store.entity(s)["name"] for s in c["subjects"]) for c in out]
    assert pairs == [["Ramiro Quintal", "Tito Oporto"]] and out[0]["dated"]
    assert len(store.conflicts(undated=True)) == 4          # the undated one overlaps all


def test_cli_judgements(store: Store, tmp_path: Path) -> None:
    from sabueso.cli import app
    a, b, _ = three(store)
    db = ["--db", str(tmp_path / "r.db")]
    run = CliRunner().invoke
    res = run(app, ["merge", a, b, "--reviewer", "ana", *db])
    assert res.exit_code == 0, res.output
    assert "by ana" in res.output and eid(store, "Ramiro Quintal") == eid(store, "Tito Oporto")
    assert run(app, ["not-same", a, "Ulises Varga", *db]).exit_code == 0
    assert run(app, ["split", eid(store, "Tito Oporto"), *db]).exit_code == 0
    assert eid(store, "Ramiro Quintal") != eid(store, "Tito Oporto")
    assert run(app, ["merge", a, "Nobody Known", *db]).exit_code == 1
    assert run(app, ["conflicts", *db]).output.strip() == "no conflicts"
    assert run(app, ["resolve", *db]).exit_code == 0
    listed = json.loads(run(app, ["judgements", "--json", *db]).output)
    assert [j["kind"] for j in listed] == ["merge", "not_same", "split"]


def test_merge_blocked_indirectly_by_not_same(store: Store) -> None:
    a, b, c = three(store)
    store.not_same(a, b)
    store.merge(b, c)
    out = store.merge(a, c)                  # would put a with b (through c)
    assert out["blocked"] and len(out["now"]) == 2
    assert store.entity(a)["id"] != store.entity(c)["id"] == store.entity(b)["id"]


def test_migration_backfills_old_rows(tmp_path: Path) -> None:
    from sqlalchemy import text
    from sabueso.store import make_engine, migrate
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrate(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO documents (id, text) VALUES ('d1', 'x'), ('d2', 'y')"))
        conn.execute(text("INSERT INTO entities (id, type, name) VALUES ('n1', 'Person', "
                          "'Ramiro Quintal'), ('n2', 'Person', 'Ramiro Quintall'), "
                          "('n3', 'CriminalGroup', 'Banda Zafiro')"))
        conn.execute(text("INSERT INTO aliases (entity_id, alias, norm) VALUES "
                          "('n1', 'Ramiro Quintal', 'ramiro quintal')"))
        conn.execute(text("INSERT INTO claims (id, doc_id, type, subject_id, object_id, modality) "
                          "VALUES ('c1', 'd1', 'LEADER_OF', 'n1', 'n3', 'asserted'), "
                          "('c2', 'd2', 'LEADER_OF', 'n2', 'n3', 'asserted')"))
    engine.dispose()
    with Store.open(url) as s:
        assert s.stats()["entity_records"] == 4
        s.resolve()                                  # the typo variant joins
        (person,) = s.list_entities("Person")
        assert {c["subject"]["id"] for c in s.entity_claims("n3")} == {person["id"]}
        assert s.entity("n2")["id"] == s.entity("n1")["id"] == person["id"]
