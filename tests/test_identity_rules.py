"""Identity rules of issue 19 on invented names: short person names inside one document,
brothers kept apart, a type that differs between documents."""
from __future__ import annotations

from pathlib import Path

import pytest

from sabueso.core import Document, Entity, Extraction
from sabueso.resolve.short_names import short_name_owners
from sabueso.store import Store


def doc(text: str, *ents: Entity) -> Extraction:
    return Extraction(Document(text=text, title=text[:20]), entities=list(ents))


def E(i, name, *aliases, t="Person") -> Entity:
    return Entity(f"e{i}", t, name, list(aliases))


@pytest.fixture
def store(tmp_path: Path):
    s = Store.open(tmp_path / "i.db")
    yield s
    s.close()


def people(store: Store) -> dict[str, set[str]]:
    return {e["name"]: {n.casefold() for n in [e["name"], *(e.get("aliases") or [])]}
            for e in store.list_entities("Person")}


def test_short_name_owners():
    f = short_name_owners
    assert f([("a", ["Héctor Oporto"]), ("b", ["Oporto"])]) == {"b": "a"}
    assert f([("a", ["Héctor Oporto Lid"]), ("b", ["Oporto Lid"]), ("c", ["Lid"])]) == \
        {"b": "a", "c": "a"}
    # a short form of the full name is the same person, not a second candidate
    assert f([("a", ["Héctor Oporto"]), ("b", ["Héctor Oporto Lid"]), ("c", ["Oporto"])]) == \
        {"a": "b", "c": "b"}
    # two brothers: the bare surname (and the two surnames) fit both, so neither
    assert f([("a", ["Juan Oporto Lid"]), ("b", ["Dario Oporto Lid"]), ("c", ["Oporto"]),
              ("d", ["Oporto Lid"])]) == {}
    # a nickname with the surname
    assert f([("a", ["Ariel Tomás Oporto", "Gato"]), ("b", ["Luis Oporto"]),
              ("c", ["Gato Oporto"])]) == {"c": "a"}
    assert f([("a", ["Oporto"])]) == {}


def test_bare_surname_joins_the_one_full_name_of_its_document(store):
    store.save_extraction(doc("s1 Héctor Oporto Lid ... Oporto said", E(1, "Héctor Oporto Lid"),
                              E(2, "Oporto"), E(3, "Banda Gris", t="CriminalGroup")))
    store.save_extraction(doc("s2 the brothers", E(1, "Juan Quintal Roca"),
                              E(2, "Dario Quintal Roca"), E(3, "Quintal")))
    found = people(store)
    assert "oporto" in found["Héctor Oporto Lid"] and "Oporto" not in found
    # two candidates: the bare surname stays its own entity (for a reviewer), the brothers two
    assert {"Juan Quintal Roca", "Dario Quintal Roca", "Quintal"} <= set(found)


def test_brothers_sharing_surnames_and_a_nickname_stay_apart(store):
    store.save_extraction(doc("b1", E(1, "Juan Quintal Roca", "El Ciego")))
    store.save_extraction(doc("b2", E(1, "Dario Quintal Roca", "El Ciego")))
    store.save_extraction(doc("b3", E(1, "Quintal Roca")))
    store.resolve()
    found = people(store)
    assert {"Juan Quintal Roca", "Dario Quintal Roca"} <= set(found)
    assert "dario quintal roca" not in found["Juan Quintal Roca"]


def test_a_group_typed_organization_elsewhere_joins_by_name(store):
    store.save_extraction(doc("g1", E(1, "Frente Zafiro", "FZ", t="CriminalGroup")))
    store.save_extraction(doc("g2", E(1, "Frente Zafiro", t="Organization")))
    store.save_extraction(doc("g3", E(1, "FZ", t="GovernmentBody")))
    for _ in range(2):                   # incremental, then every key at once
        groups = store.list_entities("CriminalGroup")
        assert [g["name"] for g in groups] == ["Frente Zafiro"], store.list_entities()
        assert groups[0]["documents"] == 3
        assert not store.list_entities("Organization") and not store.list_entities("GovernmentBody")
        store.resolve()


def test_same_name_person_and_group_stay_apart(store):
    store.save_extraction(doc("p1", E(1, "Zafiro Negro"), E(2, "Zafiro Negro", t="CriminalGroup")))
    assert len(store.find_entities("Zafiro Negro")) == 2


def test_world_regions_have_no_country_and_acronyms_no_town(store):
    store.save_extraction(doc("r1", E(1, "Colombia", t="Place"),
                              Entity("e2", "Place", "Europe", country="CO"),
                              Entity("e3", "Place", "Caribe", country="CO"),
                              Entity("e4", "Place", "EGC", country="CO")))
    store.save_extraction(doc("r2", E(1, "Brasil", t="Place"),
                              Entity("e2", "Place", "Europa", country="BR"),
                              Entity("e3", "Place", "the Caribbean")))
    places = {e["name"]: e for e in store.list_entities("Place")}
    europe = [e for e in places.values() if e["name"] in ("Europe", "Europa")]
    assert len(europe) == 2          # two names (no translation), but neither in a country
    assert all(e["country"] is None and e["lat"] is None for e in europe)
    assert places["Caribe"]["country"] is None and places["the Caribbean"]["country"] is None
    assert places["EGC"]["lat"] is None                 # no town whose code it is
    again = doc("r3", E(1, "Perú", t="Place"), Entity("e2", "Place", "Europe", country="PE"))
    store.save_extraction(again)
    assert len([e for e in store.list_entities("Place") if e["name"] == "Europe"]) == 1


def test_show_exact_alias_or_id_else_no_entity_with_suggestions(tmp_path):
    import json

    from typer.testing import CliRunner

    from sabueso.cli import app
    db = str(tmp_path / "show.db")
    with Store.open(db) as s:
        s.save_extraction(doc("w1", E(1, "Frente Zafiro", "FZ", t="CriminalGroup"),
                              E(2, "Ramiro Quintal", "El Gordo")))
    run = CliRunner().invoke
    for query in ("Frente Zafiro", "frente zafiro", "FZ"):
        r = run(app, ["show", query, "--db", db])
        assert r.exit_code == 0 and "Frente Zafiro" in r.output, (query, r.output)
    listed = json.loads(run(app, ["entities", "--json", "--db", db]).output)
    gid = next(e["id"] for e in listed if e["name"] == "Frente Zafiro")
    r = run(app, ["show", gid, "--db", db])
    assert r.exit_code == 0 and "Frente Zafiro" in r.output
    r = run(app, ["show", "Frente Zafira", "--db", db])        # no silent fuzzy pick
    assert r.exit_code == 1 and "no entity named 'Frente Zafira'" in r.output
    assert "Closest names: Frente Zafiro" in " ".join(r.output.split())
    r = run(app, ["profile", "Frente Zafira", "--db", db])
    assert r.exit_code == 1 and "no entity named" in r.output
    r = run(app, ["show", "Nadie Nunca", "--db", db])
    assert r.exit_code == 1 and "try `sabueso entities`" in r.output


def test_resolve_report_lists_merges_and_near_misses(tmp_path):
    import json

    from typer.testing import CliRunner

    from sabueso.cli import app
    db = str(tmp_path / "rep.db")
    with Store.open(db) as s:
        s.save_extraction(doc("q1", E(1, "Frente Zafiro", t="CriminalGroup"),
                              E(2, "Juan Quintal Roca"), E(3, "Dario Quintal Roca")))
        s.save_extraction(doc("q2", E(1, "Frente Zafiro", t="Organization"), E(2, "Quintal")))
    r = CliRunner().invoke(app, ["resolve", "--report", "--json", "--db", db])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)["report"]
    merged = [x for x in rows if x["joined"]]
    assert [(x["rule"], x["a"]["name"]) for x in merged] == [("same_name", "frente zafiro")]
    apart = [x for x in rows if not x["joined"]]
    assert [(x["rule"], x["a"]["name"]) for x in apart] == [("bare_name", "quintal")]
    assert "ambiguous" in apart[0]["why"]
    r = CliRunner().invoke(app, ["resolve", "--report", "--db", db])
    assert "Merges made (1)" in r.output and "Left apart (1)" in r.output
