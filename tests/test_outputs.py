"""Analyst outputs (issue 6): profile, network, timeline and exports.

A small store is built from hand-made extractions with invented names; one test reads the
shared seed article (skipped when ../shared is absent).
"""
from __future__ import annotations

import csv
import json
import re

import networkx as nx
import pytest
from typer.testing import CliRunner

from sabueso.cli import app
from sabueso.core import Claim, Document, Entity, Event, Extraction, Mention, Quantity
from sabueso.store import Store

from .conftest import SEED_TXT

runner = CliRunner()
SECTIONS = ("Overview", "History", "Leadership", "Geography", "Criminal activities",
            "Trafficking routes", "Allies and enemies", "Links to officials", "Timeline",
            "Sources")
GROUP, LEADER, OFFICIAL = "Banda del Cóndor Azul", "Rogelio Quintana Vela", "Marta Lince Ruiz"
SCRIPT = "<script>alert('x')</script>"

DOC1 = (f"The {GROUP}, known as Los Cóndores, is led by {LEADER}, alias El Halcón, since 2016. "
        "The gang is based in the Piedra Alta prison. "
        "Police sources said the gang operates in Valle Seco. "
        f"It lives off extortion. The gang may also run kidnappings {SCRIPT}. "
        "It moves gold from Valle Seco to Puerto Niebla. "
        "The Clan Marea Negra is its main rival. "
        f"The gang may have ties to commander {OFFICIAL} of the Regional Guard. "
        "There is no evidence that the gang has links to the Regional Guard itself. "
        "On 4 May 2019 the gang attacked a rival camp and three people died. "
        "The gang was founded in 2008 and has more than 500 members.")
DOC2 = (f"{LEADER} heads the {GROUP}. "
        f"{LEADER} was arrested in February 2021 in Puerto Niebla. "
        "On 4 May 2019 the condor gang raided a camp of the Clan Marea Negra.")


def _span(text: str, piece: str) -> tuple[int, int, str]:
    start = text.index(piece)
    end = text.find(". ", start)
    end = len(text) if end < 0 else end + 1
    sent_start = text.rfind(". ", 0, start)
    sent_start = 0 if sent_start < 0 else sent_start + 2
    return sent_start, end, text[sent_start:end]


def _claim(text, piece, type_, s, o, **kw) -> Claim:
    start, end, sentence = _span(text, piece)
    return Claim(type=type_, subject=s, object=o, evidence=sentence, start=start, end=end, **kw)


def _extractions() -> list[Extraction]:
    d1 = Document(text=DOC1, title="Ficticia Daily: the condor gang", url="https://example.org/a1",
                  publisher="Ficticia Daily", published="2022-01-10", lang="en")
    ents = [Entity("e1", "CriminalGroup", GROUP, ["Los Cóndores"]),
            Entity("e2", "Person", LEADER, ["El Halcón"]),
            Entity("e3", "Prison", "Piedra Alta", ["Piedra Alta prison"], place_kind="prison"),
            Entity("e4", "Place", "Valle Seco", place_kind="city", country="CO"),
            Entity("e5", "Person", OFFICIAL),
            Entity("e6", "GovernmentBody", "Regional Guard"),
            Entity("e7", "CriminalGroup", "Clan Marea Negra"),
            Entity("e8", "Commodity", "gold"),
            Entity("e9", "Place", "Puerto Niebla", place_kind="city", country="CO")]
    t = DOC1
    claims = [
        _claim(t, "is led by", "LEADER_OF", "e2", "e1", since="2016"),
        _claim(t, "Piedra Alta prison", "BASED_IN", "e1", "e3"),
        _claim(t, "Police sources", "OPERATES_IN", "e1", "e4", modality="reported",
               attributed_to="Police sources"),
        _claim(t, "extortion", "ACTIVITY", "e1", "extortion"),
        _claim(t, "kidnappings", "ACTIVITY", "e1", "kidnapping", modality="hedged"),
        _claim(t, "moves gold", "TRAFFICS", "e1", "e8", qualifiers={"from": "e4", "to": "e9"}),
        _claim(t, "main rival", "RIVAL_OF", "e7", "e1"),
        _claim(t, "may have ties", "LINKED_TO", "e1", "e5", modality="hedged"),
        _claim(t, "may have ties", "HOLDS_POSITION", "e5", "e6", qualifiers={"role": "commander"}),
        _claim(t, "no evidence", "LINKED_TO", "e1", "e6", modality="denied"),
    ]
    s, e, sent = _span(t, "On 4 May 2019")
    events = [Event("attack", sent, s, e, date="2019-05-04", participants=["e1", "e7"],
                    casualties=3)]
    s, e, sent = _span(t, "founded in 2008")
    events.append(Event("founding", sent, s, e, date="2008", participants=["e1"]))
    quantities = [Quantity("e1", "members", 500, sent, s, e, qualifier="more than")]
    mentions = [Mention(t.index(GROUP), t.index(GROUP) + len(GROUP), GROUP, "CriminalGroup", "e1"),
                Mention(t.index("Los Cóndores"), t.index("Los Cóndores") + 12, "Los Cóndores",
                        "CriminalGroup", "e1", kind="alias")]
    x1 = Extraction(d1, ents, mentions, claims, events, quantities)
    d2 = Document(text=DOC2, title="Second paper", publisher="Otro Diario", lang="en")
    ents2 = [Entity("e1", "Person", LEADER), Entity("e2", "CriminalGroup", GROUP),
             Entity("e3", "Place", "Puerto Niebla", place_kind="city", country="CO"),
             Entity("e4", "CriminalGroup", "Clan Marea Negra")]
    c2 = [_claim(DOC2, "heads the", "LEADER_OF", "e1", "e2")]
    s, e, sent = _span(DOC2, "was arrested")
    ev2 = [Event("arrest", sent, s, e, date="2021-02", place="e3", participants=["e1"])]
    s, e, sent = _span(DOC2, "On 4 May 2019")
    ev2.append(Event("attack", sent, s, e, date="2019-05-04", participants=["e2", "e4"]))
    return [x1, Extraction(d2, ents2, [], c2, ev2, [])]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("outputs") / "fict.db"
    s = Store.open(str(path))
    for x in _extractions():
        assert s.save_extraction(x)
    yield s
    s.close()


@pytest.fixture(scope="module")
def graph(store):
    from sabueso.analyze.graph import build_graph
    return build_graph(store)


def _id(store, name: str) -> str:
    return store.find_entities(name, limit=1)[0]["id"]


def _prose(md: str) -> list[str]:
    """Bullet lines of every section except Sources."""
    out, section = [], None
    for line in md.splitlines():
        if line.startswith("## "):
            section = line[3:]
        elif line.startswith("- ") and section != "Sources":
            out.append(line)
    return out


@pytest.fixture(scope="module")
def profile_md(store, graph):
    from sabueso.report.profile import render_profile
    return render_profile(store, _id(store, GROUP), "md", graph)


def test_graph_has_entities_as_nodes_and_claims_as_edges(store, graph):
    assert graph.number_of_nodes() == store.table_counts()["entities"]
    label_claims = sum(len(d["values"]) for _, d in graph.nodes(data=True))
    assert graph.number_of_edges() + label_claims == store.table_counts()["claims"]
    gid = _id(store, GROUP)
    assert graph.nodes[gid]["type"] == "CriminalGroup" and "Los Cóndores" in graph.nodes[gid]["aliases"]
    mods = {d["modality"] for _, _, d in graph.edges(data=True)}
    assert {"asserted", "reported", "hedged", "denied"} <= mods


def test_profile_has_every_section_in_order(profile_md):
    heads = [l[3:] for l in profile_md.splitlines() if l.startswith("## ")]
    assert heads == list(SECTIONS)


def test_every_prose_sentence_is_cited_and_every_marker_defined(profile_md):
    prose = _prose(profile_md)
    assert len(prose) >= 10
    for line in prose:
        if line == "- _No facts recorded._":
            continue
        for sentence in re.split(r"(?<=[.])\s+(?=[A-Z])", line[2:]):
            assert re.search(r"\[\^\d+\]", sentence), sentence
    used = set(re.findall(r"\[\^(\d+)\](?!:)", profile_md))
    defined = set(re.findall(r"^\[\^(\d+)\]:", profile_md, re.M))
    assert used and used == defined


def test_prose_is_our_own_words_and_quotes_stay_in_footnotes(profile_md):
    prose = "\n".join(_prose(profile_md))
    for sentence in re.split(r"(?<=\.) ", DOC1 + " " + DOC2):
        assert sentence.strip(" .") not in prose
    notes = [l for l in profile_md.splitlines() if l.startswith("[^")]
    assert any("The gang is based in the Piedra Alta prison." in n for n in notes)
    assert any("Ficticia Daily: the condor gang" in n for n in notes)
    assert "<script>" not in profile_md and r"\<script\>" in profile_md  # no raw HTML in md
    identity = next(l for l in prose.splitlines() if "recorded as a criminal group" in l)
    assert len(re.findall(r"\[\^\d+\]", identity)) == 1  # name and alias: the same sentence


def test_modalities_are_worded_as_such(profile_md):
    prose = _prose(profile_md)
    kidnap = next(l for l in prose if "kidnapping" in l)
    assert " may " in kidnap and "extortion" not in kidnap
    official = next(l for l in prose if OFFICIAL in l and "links" in l)
    assert "may have links" in official
    denied = next(l for l in prose if "Regional Guard" in l and "links" in l and OFFICIAL not in l)
    assert denied.startswith("- The text says there is no evidence that")
    reported = next(l for l in prose if "Valle Seco" in l and "operates" in l)
    assert reported.startswith("- According to police sources,")


def test_leader_cited_by_two_documents_with_alias(profile_md):
    line = next(l for l in _prose(profile_md) if "leads" in l)
    assert LEADER in line and "El Halcón" in line
    assert "reported in 2 documents" in line
    assert len(re.findall(r"\[\^\d+\]", line)) >= 2


def test_profile_sections_hold_their_facts(profile_md):
    def section(name):
        return profile_md.split(f"## {name}\n", 1)[1].split("\n## ", 1)[0]
    assert "Puerto Niebla" in section("Trafficking routes") and "gold" in section("Trafficking routes")
    assert "Clan Marea Negra" in section("Allies and enemies")
    assert "commander" in section("Links to officials")
    assert "more than 500 members" in section("Overview")
    assert "Los Cóndores" in section("Overview")
    assert "Ficticia Daily" in section("Sources") and "Second paper" in section("Sources")
    attack = next(l for l in section("Timeline").splitlines() if "attack" in l)
    assert "reported in 2 documents" in attack and len(re.findall(r"\[\^\d+\]", attack)) == 2


def test_html_is_escaped_and_self_contained(store, graph):
    from sabueso.report.profile import render_profile
    html = render_profile(store, _id(store, GROUP), "html", graph)
    assert "&lt;script&gt;" in html and "<script" not in html
    assert "<link" not in html and "src=" not in html
    assert html.count("<h2") == len(SECTIONS) + 1  # the sections and the notes
    refs = set(re.findall(r'href="#fn(\d+)"', html))
    assert refs and refs == set(re.findall(r'<li id="fn(\d+)"', html))


def test_network_centrality_communities_and_image(store, graph, tmp_path):
    from sabueso.analyze.network import analyze, draw
    gid = _id(store, GROUP)
    result = analyze(graph, gid, depth=1)
    nodes = set(result["graph"])
    assert gid in nodes and _id(store, LEADER) in nodes
    assert _id(store, "Puerto Niebla") not in nodes  # only an event place: no claim links it
    from sabueso.analyze.network import ACTORS
    actors = {n for n in nodes if graph.nodes[n].get("type") in ACTORS}
    assert set(result["degree"]) == actors == set(result["betweenness"])   # places not ranked
    assert {n for n, _ in result["context"]} == nodes - actors
    assert max(result["betweenness"], key=result["betweenness"].get) == gid
    assert result["brokers"][0] == gid
    assert all(graph.nodes[n].get("type") in ACTORS for n in result["brokers"])
    assert sorted(n for c in result["communities"] for n in c) == sorted(nodes)
    assert result["method"].split()[0] in ("leiden", "louvain", "greedy")
    png = draw(result["graph"], tmp_path / "ego.png", gid)
    svg = draw(result["graph"], tmp_path / "ego.svg", gid)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in svg.read_text(encoding="utf-8")[:2000]


def test_a_shared_place_is_context_not_a_broker():
    import networkx as nx

    from sabueso.analyze.network import analyze
    g = nx.MultiDiGraph()
    for n, t in (("g1", "CriminalGroup"), ("g2", "CriminalGroup"), ("g3", "CriminalGroup"),
                 ("boss", "Person"), ("land", "Place")):
        g.add_node(n, type=t, name=n)
    for grp in ("g1", "g2", "g3"):             # three groups active in one country
        g.add_edge(grp, "land", type="OPERATES_IN", modality="asserted", id=f"c-{grp}")
    g.add_edge("boss", "g1", type="LEADER_OF", modality="asserted", id="c-b1")
    g.add_edge("boss", "g2", type="LEADER_OF", modality="asserted", id="c-b2")
    result = analyze(g)
    assert "land" not in result["degree"] and "land" not in result["brokers"]
    assert result["brokers"] == ["boss"]        # the person joining two groups, not the place
    assert result["betweenness"]["g3"] == 0.0 and result["degree"]["g3"] == 0.0
    assert result["context"] == [("land", 3)]


def test_ego_depth_limits_the_network(store, graph):
    from sabueso.analyze.graph import ego
    official = _id(store, OFFICIAL)
    one, two = ego(graph, official, 1), ego(graph, official, 2)
    assert _id(store, "Clan Marea Negra") not in one and _id(store, "Clan Marea Negra") in two


def test_timeline_is_chronological_with_evidence(store, graph):
    from sabueso.analyze.timeline import date_key, timeline
    entries = timeline(graph, _id(store, GROUP))
    dates = [e["date"] for e in entries]
    assert dates[:2] == ["2008", "2016"] and "2019-05-04" in dates
    assert [date_key(d) for d in dates] == sorted(date_key(d) for d in dates)
    assert all(i["evidence"] and i["doc_title"] for e in entries for i in e["items"])
    attack = next(e for e in entries if e["type"] == "attack")
    assert len({i["doc_id"] for i in attack["items"]}) == 2  # one event told by two documents
    assert date_key("2000s") < date_key("2008") < date_key("2019-05-04") < date_key("late 2019")
    assert date_key(None) > date_key("2030")


def test_cli_profile_network_timeline(store, tmp_path):
    db = store.url
    r = runner.invoke(app, ["profile", "Los Cóndores", "--db", db, "--format", "html",
                            "--output", str(tmp_path / "p.html")])
    assert r.exit_code == 0, r.output
    assert "&lt;script&gt;" in (tmp_path / "p.html").read_text(encoding="utf-8")
    r = runner.invoke(app, ["network", GROUP, "--db", db, "--output", str(tmp_path / "n.png")],
                      terminal_width=200)
    assert r.exit_code == 0, r.output
    assert "Brokers" in r.output and "Communities" in r.output and (tmp_path / "n.png").stat().st_size > 1000
    r = runner.invoke(app, ["network", "--db", db], terminal_width=200)
    assert r.exit_code == 0 and "whole graph" in r.output and "Centrality" in r.output
    r = runner.invoke(app, ["profile", LEADER, "--db", db])
    assert r.exit_code == 0 and r.output.startswith(f"# {LEADER}\n") and "## Sources" in r.output
    r = runner.invoke(app, ["timeline", LEADER, "--db", db], terminal_width=300)
    assert r.exit_code == 0, r.output
    assert r.output.index("2016") < r.output.index("2021-02")
    r = runner.invoke(app, ["profile", "Nobody Atall Xyzzy", "--db", db])
    assert r.exit_code != 0


def test_export_ftm_loads_and_validates(store, tmp_path):
    from followthemoney import model
    from sabueso.export import export
    out = tmp_path / "ftm.jsonl"
    n = export(store, "ftm", out)[str(out)]
    lines = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == n > 0
    proxies = []
    for data in lines:
        proxy = model.get_proxy(data, cleaned=False)
        assert proxy.schema.validate(data) is None
        assert all(proxy.get(p) for p in proxy.schema.required), data
        proxies.append(proxy)
    by_schema = {}
    for p in proxies:
        by_schema.setdefault(p.schema.name, []).append(p)
    assert {"Organization", "Person", "PublicBody", "Address", "Membership", "Event",
            "UnknownLink", "Article"} <= set(by_schema)
    leaders = [m for m in by_schema["Membership"] if "leader" in m.get("role")]
    assert len(leaders) == 2 and all(m.get("proof") and m.get("description") for m in leaders)
    denied = [u for u in by_schema["UnknownLink"] if "denied" in u.get("status")]
    assert denied and "no evidence" in denied[0].get("description")[0]
    ids = {p.id for p in proxies}
    assert all(ref in ids for p in proxies for ref in p.get("proof"))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_graph_formats_round_trip(store, graph, tmp_path, fmt):
    from sabueso.export import export
    from sabueso.export.graphml import read_back
    out = tmp_path / f"g.{fmt}"
    summary = export(store, fmt, out)
    back = read_back(out)
    assert (back.number_of_nodes(), back.number_of_edges()) == \
        (graph.number_of_nodes(), graph.number_of_edges()) == (summary["nodes"], summary["edges"])
    reread = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert reread.number_of_nodes() == graph.number_of_nodes()
    modalities = {d.get("modality") for _, _, d in back.edges(data=True)}
    assert "denied" in modalities and "hedged" in modalities


def test_export_csv_tables(store, tmp_path):
    from sabueso.export import export
    from sabueso.export.csvs import COLUMNS
    export(store, "csv", tmp_path / "csv")
    counts = store.table_counts()
    for name, table in (("entities.csv", "entities"), ("claims.csv", "claims"),
                        ("events.csv", "events"), ("quantities.csv", "quantities"),
                        ("documents.csv", "documents")):
        with (tmp_path / "csv" / name).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == COLUMNS[name]
        assert len(rows) - 1 == counts[table], name


def test_export_neo4j_files(store, tmp_path):
    r = runner.invoke(app, ["export", "--format", "neo4j", "--output", str(tmp_path / "neo"),
                            "--db", store.url])
    assert r.exit_code == 0, r.output
    with (tmp_path / "neo" / "nodes.csv").open(encoding="utf-8") as fh:
        nodes = list(csv.DictReader(fh))
    with (tmp_path / "neo" / "relationships.csv").open(encoding="utf-8") as fh:
        rels = list(csv.DictReader(fh))
    assert list(nodes[0])[:2] == ["id:ID", ":LABEL"]
    assert list(rels[0])[:3] == [":START_ID", ":END_ID", ":TYPE"]
    ids = {n["id:ID"] for n in nodes}
    assert all(r[":START_ID"] in ids and r[":END_ID"] in ids for r in rels)
    assert {"LEADER_OF", "INVOLVES", "ACTIVITY"} <= {r[":TYPE"] for r in rels}
    script = (tmp_path / "neo" / "load.cypher").read_text(encoding="utf-8")
    assert "LOAD CSV WITH HEADERS" in script and "[r:LEADER_OF]" in script


def test_export_rejects_unknown_format(store, tmp_path):
    r = runner.invoke(app, ["export", "--format", "xls", "--output", str(tmp_path / "x"),
                            "--db", store.url])
    assert r.exit_code != 0 and "unknown format" in r.output


# -- the seed article (../shared) ----------------------------------------------------------------
# Items the seed profile must state in its prose (footnotes excluded).
SEED_ITEMS = [
    pytest.param("leader name", r"Héctor Rusthenford Guerrero Flores", id="leader"),
    pytest.param("leader alias", r"Niño Guerrero", id="alias"),
    pytest.param("prison", r"Tocorón", id="tocoron"),
    pytest.param("enclave", r"San Vicente", id="san-vicente"),
    pytest.param("Brazil", r"Brazil", id="brazil"),
    pytest.param("Colombia", r"Colombia", id="colombia"),
    pytest.param("Peru", r"Peru", id="peru"),
    pytest.param("activity", r"extortion", id="extortion"),
    pytest.param("commodity", r"\bgold\b", id="gold"),
    pytest.param("route", r"Trinidad and Tobago", id="trinidad"),
    pytest.param("ally", r"Tren del Llano", id="tren-del-llano"),
    pytest.param("rival", r"Los Carajitos Locos del 19", id="carajitos"),
    pytest.param("hedged or denied link", r"(may have links to|there is no evidence that [^\n]*links)",
                 id="hedged-link"),
    pytest.param("year", r"\b2019\b", id="2019"),
]


@pytest.fixture(scope="module")
def seed_profile(tmp_path_factory):
    if not SEED_TXT.exists():
        pytest.skip("../shared/eval/seed/tren-de-aragua.txt is not present beside the repo")
    from sabueso.extract import extract_document
    from sabueso.report.profile import render_profile
    doc = Document(text=SEED_TXT.read_text(encoding="utf-8"), title=SEED_TXT.name,
                   path=str(SEED_TXT))
    with Store.open(str(tmp_path_factory.mktemp("seed") / "seed.db")) as s:
        s.save_extraction(extract_document(doc))
        found = s.find_entities("Tren de Aragua", limit=1)
        assert found and found[0]["type"] == "CriminalGroup"
        md = render_profile(s, found[0]["id"], "md")
    prose = "\n".join(l for l in md.splitlines() if not l.startswith("[^"))
    return md, prose.replace("\\", "")


@pytest.mark.parametrize("what, pattern", SEED_ITEMS)
def test_seed_profile_mentions(seed_profile, what, pattern):
    md, prose = seed_profile
    assert re.search(pattern, prose), f"seed profile prose lacks the {what} ({pattern!r})"
    if what == "hedged or denied link":
        line = next(l for l in prose.splitlines() if re.search(pattern, l))
        assert re.search(r"\[\^\d+\]", line)


def test_seed_profile_is_cited_throughout(seed_profile):
    md, prose = seed_profile
    lines = [l for l in _prose(md) if l != "- _No facts recorded._"]
    assert lines and all(re.search(r"\[\^\d+\]", l) for l in lines)
