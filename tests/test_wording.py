"""Truthful wording (issue 21): figures and events carry modality and attribution like claims;
``show``, ``profile``, the entity page and the exports say how sure the text is, in words;
types and activities read as plain words (never codes); low-confidence facts are marked and can
be hidden; empty sections collapse; ``sabueso entities`` shows full ids.

Extraction tests parse invented sentences (rule pass, and the learned path's figure choice);
the rendering tests use a store of hand-made extractions, so they do not depend on the models.
"""
from __future__ import annotations

import csv
import json
import re

import pytest
from typer.testing import CliRunner

from sabueso.cli import app
from sabueso.core import Claim, Document, Entity, Event, Extraction, Mention, Quantity
from sabueso.store import Store

runner = CliRunner()
CODE = re.compile(r"\b[A-Z_]{5,}\b|\b[a-z]+_[a-z_]+\b")     # OPERATES_IN, sexual_exploitation
GROUP, LEADER, SPARSE = "Los Halcones Grises", "Ramiro Vellano Tusca", "La Banda del Muelle"
S = ["Los Halcones Grises is a criminal group based in Puerto Ceniza.",
     "According to prosecutors, Ramiro Vellano Tusca leads Los Halcones Grises.",
     "The gang may have several thousand members.",
     "According to police, the group has 300 members.",
     "His lawyers denied that Ramiro Vellano Tusca has links to the Guardia Costera.",
     "There is no evidence that the gang extorts shopkeepers.",
     "Officials denied that the gang still exists, months after the raid on Puerto Ceniza in 2022.",
     "The gang reportedly operates in Valle Hondo.",
     "The gang exploits migrants sexually.",
     "In 2023 the Oficina Federal sanctioned Los Halcones Grises, and Puerto Ceniza police welcomed it.",
     "La Banda del Muelle is a rival of Los Halcones Grises."]
TEXT = " ".join(S)


def _at(i: int) -> tuple[str, int, int]:
    start = TEXT.index(S[i])
    return S[i], start, start + len(S[i])


def _claim(i, type_, s, o, **kw) -> Claim:
    ev, a, b = _at(i)
    return Claim(type_, s, o, ev, a, b, **kw)


def extraction() -> Extraction:
    doc = Document(text=TEXT, title="Invented coast report", publisher="Invented Gazette", lang="en")
    ents = [Entity("e1", "CriminalGroup", GROUP, ["Halcones Grises"]),
            Entity("e2", "Person", LEADER),
            Entity("e3", "Place", "Puerto Ceniza"), Entity("e4", "GovernmentBody", "Guardia Costera"),
            Entity("e5", "GovernmentBody", "Oficina Federal"), Entity("e6", "Place", "Valle Hondo"),
            Entity("e7", "CriminalGroup", SPARSE)]
    claims = [_claim(0, "BASED_IN", "e1", "e3"),
              _claim(1, "LEADER_OF", "e2", "e1", modality="reported", attributed_to="prosecutors"),
              _claim(4, "LINKED_TO", "e2", "e4", modality="denied", attributed_to="His lawyers"),
              _claim(5, "ACTIVITY", "e1", "extortion", modality="denied"),
              _claim(7, "OPERATES_IN", "e1", "e6", modality="hedged", confidence=0.9),
              _claim(8, "ACTIVITY", "e1", "sexual_exploitation", confidence=0.3),
              _claim(10, "RIVAL_OF", "e7", "e1")]
    ev, a, b = _at(6)
    events = [Event("security_operation", ev, a, b, date="2022", place="e3", participants=["e1"],
                    modality="denied")]
    ev, a, b = _at(9)
    events.append(Event("sanction", ev, a, b, date="2023", place="e3", participants=["e5", "e1"]))
    ev, a, b = _at(2)
    quantities = [Quantity("e1", "members", 1000, ev, a, b, qualifier="several", modality="hedged",
                           confidence=0.8)]
    ev, a, b = _at(3)
    quantities.append(Quantity("e1", "members", 300, ev, a, b, modality="reported",
                               attributed_to="police", confidence=0.35))
    g = TEXT.index(GROUP)
    mentions = [Mention(g, g + len(GROUP), GROUP, "CriminalGroup", "e1"),
                Mention(TEXT.index(SPARSE), TEXT.index(SPARSE) + len(SPARSE), SPARSE, "CriminalGroup", "e7")]
    return Extraction(doc, ents, mentions, claims, events, quantities)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store.open(str(tmp_path_factory.mktemp("wording") / "w.db"))
    assert s.save_extraction(extraction())
    yield s
    s.close()


def _id(store, name: str) -> str:
    return next(e["id"] for e in store.list_entities() if e["name"] == name)


def _cli(store, *args) -> str:
    r = runner.invoke(app, [*args, "--db", store.url], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    return r.output


# -- extraction: figures and events get the modality machinery of relations ------------------
def _rule_pass(text: str):
    from sabueso.extract.pipeline import rule_pass
    from sabueso.nlp import get_nlp
    from sabueso.nlp.langid import detect_language
    doc = Document(text=text)
    doc.lang = detect_language(text)
    return rule_pass(doc, get_nlp(doc.lang)(text))


@pytest.mark.parametrize("text, value, modality, source", [
    ("Los Halcones Grises is a gang based in Cartagena. The gang may have several thousand members.",
     1000, "hedged", None),
    ("Los Halcones Grises is a criminal group based in Cartagena. According to police, the group has "
     "300 members.", 300, "reported", "police"),
    ("Los Halcones Grises is a criminal group based in Cartagena. There is no evidence that the "
     "group has 300 members.", 300, "denied", None),
    # a cue among the figure's own words ('no fewer than') denies nothing
    ("Los Halcones Grises is a criminal group based in Cartagena. The group has no fewer than 300 "
     "members.", 300, "asserted", None),
    ("La banda Los Halcones Grises opera en Cartagena. La banda tendría unos 3.000 miembros.",
     3000, "hedged", None),
    ("La banda Los Halcones Grises opera en Cartagena. Según la Fiscalía, el grupo tiene 300 "
     "integrantes.", 300, "reported", "la Fiscalía"),
    ("La banda Los Halcones Grises opera en Cartagena. No hay pruebas de que el grupo tenga 300 "
     "integrantes.", 300, "denied", None),
])
def test_figures_get_modality_and_source(text, value, modality, source):
    from sabueso.extract.learned.quantities import choose_quantities, quantity_candidates
    state = _rule_pass(text)
    figures = [q for q in state.quantities if q.value == value]
    assert figures, state.quantities
    assert (figures[0].modality, figures[0].attributed_to) == (modality, source)
    # the learned layer builds its own figures: they are read the same way
    cands = quantity_candidates(state)
    for c in cands:
        c.score = 1.0 if c.value == value and c.subj == figures[0].subject else 0.0
    learned = [q for q in choose_quantities(state, cands, 0.5) if q.value == value]
    assert [(q.modality, q.attributed_to) for q in learned] == [(modality, source)]


def test_several_thousand_and_qualifiers_read_right():
    state = _rule_pass("Los Halcones Grises is a gang based in Cartagena. The gang may have "
                       "several thousand members. It has no fewer than 40 cells.")
    quals = {q.value: q.qualifier for q in state.quantities}
    assert quals[1000] == "several"
    assert quals.get(40, "at least") == "at least"        # not 'less than' ('fewer than')


@pytest.mark.parametrize("text, source", [
    ("Los Halcones Grises is a criminal group based in Cartagena. Police said Los Halcones Grises "
     "attacked a police station in Cartagena in 2021.", "Police"),
    ("La banda Los Halcones Grises opera en Cartagena. Según la Fiscalía, la banda atacó una "
     "estación de policía en 2021.", "la Fiscalía"),
])
def test_events_carry_their_source(text, source):
    attacks = [v for v in _rule_pass(text).events if v.type == "attack"]
    assert attacks and (attacks[0].modality, attacks[0].attributed_to) == ("reported", source)


def test_json_output_has_the_new_keys():
    out = extraction().to_format()
    assert out["quantities"][0]["modality"] == "hedged" and "attributed_to" in out["quantities"][0]
    assert out["quantities"][1]["attributed_to"] == "police" and "confidence" in out["quantities"][1]
    assert "attributed_to" in out["events"][0] and out["events"][0]["modality"] == "denied"


def test_store_keeps_figure_and_event_modality(store):
    qs = {q["value"]: q for q in store.entity_quantities(_id(store, GROUP))}
    assert (qs[1000]["modality"], qs[300]["modality"], qs[300]["attributed_to"]) == \
        ("hedged", "reported", "police")
    from sabueso.analyze.graph import read_store
    data = read_store(store)
    assert {q["modality"] for q in data["quantities"]} == {"hedged", "reported"}
    assert all("attributed_to" in v for v in data["events"])


def test_migration_adds_the_columns_to_an_old_database(tmp_path):
    from sqlalchemy import inspect, text
    from sabueso.store import make_engine, migrate
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrate(engine, "0005")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO documents (id, text) VALUES ('d1', 'x')"))
        conn.execute(text("INSERT INTO quantities (id, doc_id, measure, value) VALUES "
                          "('q1', 'd1', 'members', 5)"))
    engine.dispose()
    with Store.open(url) as s:
        cols = {c["name"] for c in inspect(s.engine).get_columns("quantities")}
        assert {"modality", "attributed_to"} <= cols
        assert "attributed_to" in {c["name"] for c in inspect(s.engine).get_columns("events")}
        from sabueso.analyze.graph import read_store
        assert read_store(s)["quantities"][0]["modality"] == "asserted"   # old rows: as stated


# -- labels ----------------------------------------------------------------------------------
def test_every_type_and_activity_has_plain_words_in_both_languages():
    from sabueso.ontology import get_ontology
    o = get_ontology()
    for block in ("relations", "events", "activities"):
        for code, spec in o.data[block].items():
            for lang in ("en", "es"):
                words = o.label(code, lang)
                assert words == spec["label"][lang] and not CODE.search(words), (code, lang, words)
    assert o.label("OPERATES_IN") == "operates in" and o.label("OPERATES_IN", "es") == "opera en"
    assert o.label("security_operation") == "security operation"
    assert o.label("CriminalGroup") == "Criminal group"
    assert o.label("no_such_code") == "no such code"


# -- show ------------------------------------------------------------------------------------
def test_show_words_modality_sources_and_labels(store):
    out = _cli(store, "show", GROUP)
    assert not CODE.search(out), CODE.findall(out)
    assert "according to prosecutors" in out                # reported claim
    assert "hedged: the text says it may be so" in out      # hedged claim and figure
    assert "the text says it is not so" in out              # denied, no source
    assert "members: several thousand" in out and "members: 300" in out
    assert "low confidence (0.30)" in out and "low confidence (0.35)" in out
    assert "is involved in" in out and "sexual exploitation" in out and "Security operation" in out
    # the denied event: the words that deny, and that they deny something else
    assert "its sentence denies something else: “denied that the gang still exists”" in out
    leader = _cli(store, "show", LEADER)
    assert "denied by his lawyers" in leader and not CODE.search(leader)


def test_show_hides_low_confidence_on_request(store):
    out = _cli(store, "show", GROUP, "--hide-low-confidence")
    assert "sexual exploitation" not in out and "members: 300" not in out
    assert "2 claims or figures scored below 0.50 hidden" in out
    assert "members: 300" in _cli(store, "show", GROUP, "--min-confidence", "0.3")


def test_show_of_a_sparse_entity_prints_no_empty_sections(store):
    out = _cli(store, "show", SPARSE)
    assert "Events" not in out and "Figures" not in out and "No facts" not in out
    assert "La Banda del Muelle is a rival of" in out


# -- profile ---------------------------------------------------------------------------------
def test_profile_wording(store):
    md = _cli(store, "profile", GROUP)
    prose = "\n".join(l for l in md.splitlines() if l.startswith("- "))
    assert not CODE.search(prose), CODE.findall(prose)
    assert "- Los Halcones Grises may have several thousand members[^" in prose
    assert "According to police, Los Halcones Grises has 300 members" in prose
    assert "(low confidence)." in prose
    assert "According to prosecutors, Ramiro Vellano Tusca leads Los Halcones Grises" in prose
    assert "The text says there is no evidence that Los Halcones Grises is involved in extortion" in prose
    assert "Los Halcones Grises may operate in Valle Hondo" in prose
    assert "is involved in sexual exploitation" in prose
    # the denial of something else is not worded as a denied operation
    op = next(l for l in prose.splitlines() if "security operation" in l)
    assert "what its sentence denies is something else: “denied that the gang still exists”" in op
    assert not re.search(r"no evidence that .*security operation", op)
    # no "took place in <a place the sentence only names>"
    sanction = next(l for l in prose.splitlines() if "sanction" in l)
    assert "took place" not in sanction and "(the sentence also names Puerto Ceniza)" in sanction
    assert "involving Oficina Federal and Los Halcones Grises" in sanction
    leader = _cli(store, "profile", LEADER)
    assert "Denied by his lawyers: Ramiro Vellano Tusca has links to Guardia Costera" in leader


def test_profile_hides_low_confidence(store):
    md = _cli(store, "profile", GROUP, "--hide-low-confidence")
    assert "sexual exploitation" not in md and "has 300 members" not in md
    assert "several thousand" in md


def test_empty_profile_sections_collapse_into_one_line(store):
    md = _cli(store, "profile", SPARSE)
    heads = [l[3:] for l in md.splitlines() if l.startswith("## ")]
    assert heads == ["Overview", "Allies and enemies", "Sources"]
    assert "No facts recorded" not in md
    assert "_Nothing recorded on history, leadership, geography, criminal activities, trafficking " \
           "routes, links to officials or timeline._" in md
    html = _cli(store, "profile", SPARSE, "--format", "html")
    assert html.count("<h2") == 4 and "Nothing recorded on history" in html     # and Notes


# -- entities --------------------------------------------------------------------------------
def test_entities_table_shows_full_ids_countries_and_aliases(store, tmp_path):
    s = Store.open(str(tmp_path / "e.db"))
    doc = Document(text="Los Halcones Grises operan en Cartagena.", lang="es")
    aliases = ["Halcones Grises", "Los Grises", "Banda Gris", "HG", "Los Halcones"]
    s.save_extraction(Extraction(doc, [Entity("e1", "CriminalGroup", GROUP, aliases, country="CO")]))
    r = runner.invoke(app, ["entities", "--db", s.url], env={"COLUMNS": "80"})
    (row,) = s.list_entities()
    stored = [a for a in row["aliases"] if a != GROUP]
    assert len(stored) == 4
    assert r.exit_code == 0 and row["id"] in r.output and "CO" in r.output and "Criminal" in r.output
    assert "(+1" in r.output and "more)" in r.output           # three aliases, the fourth counted
    wide = runner.invoke(app, ["entities", "--wide", "--db", s.url], env={"COLUMNS": "80"})
    line = next(l for l in wide.output.splitlines() if row["id"] in l)
    assert all(a in line for a in stored) and "Criminal group" in line and "more)" not in line
    s.close()


# -- exports ---------------------------------------------------------------------------------
def test_exports_word_modality(store, tmp_path):
    from sabueso.export import export
    export(store, "ftm", tmp_path / "f.jsonl")
    texts = [t for line in (tmp_path / "f.jsonl").read_text(encoding="utf-8").splitlines()
             for k in ("description", "notes", "role", "name")
             for t in json.loads(line)["properties"].get(k, [])]
    joined = "\n".join(texts)
    assert "Ramiro Vellano Tusca leads Los Halcones Grises — according to prosecutors" in joined
    assert "is involved in sexual exploitation — stated in the text; low confidence (0.30)" in joined
    assert "its sentence denies something else: “denied that the gang still exists”" in joined
    assert not any(CODE.search(t.split(" Evidence: ")[0]) for t in texts), joined
    export(store, "csv", tmp_path / "csv")
    with (tmp_path / "csv" / "quantities.csv").open(encoding="utf-8", newline="") as fh:
        rows = {float(r["value"]): r for r in csv.DictReader(fh)}
    assert rows[300.0]["wording"] == "according to police; low confidence (0.35)"
    assert rows[1000.0]["modality"] == "hedged"


# -- the entity page -------------------------------------------------------------------------
def _page_text(html: str) -> str:
    import html as h
    body = re.sub(r"<script.*?</script>", " ", html.split("<main", 1)[-1], flags=re.S)
    return h.unescape(re.sub(r"<[^>]+>", " ", body))


def test_entity_page_words_labels_and_collapses(store):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient
    from sabueso.web import create_app
    client = TestClient(create_app(store=store, reviewer=""))
    gid = _id(store, GROUP)
    text = _page_text(client.get(f"/entity/{gid}").text)
    assert not CODE.search(text), CODE.findall(text)
    assert "may have several thousand members" in text
    assert "according to prosecutors" in text and "low confidence (0.30)" in text
    hidden = _page_text(client.get(f"/entity/{gid}", params={"low": "hide"}).text)
    assert "sexual exploitation" not in hidden and "Show low-confidence statements" in hidden
    sparse = client.get(f"/entity/{_id(store, SPARSE)}").text
    assert "No facts recorded" not in sparse and sparse.count("<h3 id=\"p-") == 2
    assert 'id="nothing-on"' in sparse and 'id="timeline"' not in sparse
