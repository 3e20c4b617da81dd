"""The web app through FastAPI's TestClient: JSON API, pages, search, review actions that
persist as judgements, and escaping of markup in article text. Invented names only; the
store is filled with hand-made extractions so the tests do not depend on the extractor."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

fastapi = pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")
from fastapi.testclient import TestClient  # noqa: E402

from sabueso.core import Claim, Document, Entity, Event, Extraction, Mention, Quantity  # noqa: E402
from sabueso.store import Store  # noqa: E402
from sabueso.web import create_app  # noqa: E402
from sabueso.web.search import SearchIndex, fts_query  # noqa: E402

PAYLOAD = "<script>alert('pwned')</script><img src=x onerror=alert(1)>"
S1 = "Los Halcones Grises is a criminal gang based in Puerto Niebla, on the coast."
S2 = ('The gang is led by Ramiro Vellano Tusca, alias "El Tejón", according to police '
      'investigators.')
S3 = f"A leaflet found by the harbour read {PAYLOAD} and nothing else."
S4 = "The group allegedly operates in Cartagena, where it extorts shopkeepers."
S5 = "In 2021, members of Los Halcones Grises attacked a police post in Puerto Niebla."
S6 = "Prosecutors say Los Halcones Grises is a rival of La Banda del Muelle."
S7 = "The gang has more than 300 members."
TEXT = "\n\n".join([S1, S2, S3, S4, S5, S6, S7])
TEXT2 = "Los Muelleros, a dockside crew, control the fish market of Puerto Niebla."


def span(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return start, start + len(sentence)


def claim(text, type_, s, o, sentence, **kw) -> Claim:
    start, end = span(text, sentence)
    return Claim(type_, s, o, sentence, start, end, **kw)


def extraction_one() -> Extraction:
    doc = Document(text=TEXT, title=f"Harbour gangs {PAYLOAD}", publisher="Invented Gazette",
                   published="2024-03-01", url="javascript:alert(2)")
    ents = [Entity("e1", "CriminalGroup", "Los Halcones Grises", ["Halcones Grises"]),
            Entity("e2", "Person", "Ramiro Vellano Tusca", ["El Tejón"]),
            Entity("e3", "Place", "Puerto Niebla"),
            Entity("e4", "Place", "Cartagena", country="CO", lat=10.39972, lon=-75.51444),
            Entity("e5", "CriminalGroup", "La Banda del Muelle")]
    g0 = TEXT.index("Los Halcones Grises")
    mentions = [Mention(g0, g0 + len("Los Halcones Grises"), "Los Halcones Grises",
                        "CriminalGroup", "e1")]
    claims = [
        claim(TEXT, "BASED_IN", "e1", "e3", S1),
        claim(TEXT, "LEADER_OF", "e2", "e1", S2, modality="reported",
              attributed_to="police investigators"),
        claim(TEXT, "OPERATES_IN", "e1", "e4", S4, modality="hedged"),
        claim(TEXT, "ACTIVITY", "e1", "extortion", S4, modality="hedged"),
        claim(TEXT, "RIVAL_OF", "e1", "e5", S6, modality="reported", attributed_to="Prosecutors"),
        claim(TEXT, "LINKED_TO", "e1", "e2", S3),          # carries the payload as evidence
    ]
    s5 = span(TEXT, S5)
    s7 = span(TEXT, S7)
    events = [Event("attack", S5, *s5, date="2021", place="e3", participants=["e1"])]
    quantities = [Quantity("e1", "members", 300, S7, *s7, qualifier="more than")]
    return Extraction(doc, ents, mentions, claims, events, quantities)


def extraction_two() -> Extraction:
    doc = Document(text=TEXT2, title="Dockside crews", publisher="Invented Weekly")
    ents = [Entity("e1", "CriminalGroup", "Los Muelleros"), Entity("e2", "Place", "Puerto Niebla")]
    return Extraction(doc, ents, [], [claim(TEXT2, "CONTROLS", "e1", "e2", TEXT2)])


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "web.db"
    with Store.open(path) as s:
        s.save_extraction(extraction_one())
        s.save_extraction(extraction_two())
    return str(path)


@pytest.fixture
def client(db):
    app = create_app(db, reviewer="")
    with TestClient(app) as c:
        yield c


def find(client, name: str, type_: str | None = None) -> str:
    items = client.get("/api/entities", params={"q": name}).json()["items"]
    items = [e for e in items if e["name"] == name and (type_ is None or e["type"] == type_)]
    assert len(items) == 1, items
    return items[0]["id"]


def claim_of(client, entity_id: str, type_: str) -> dict:
    found = [c for c in client.get(f"/api/entities/{entity_id}").json()["claims"]
             if c["type"] == type_]
    assert found, type_
    return found[0]


class Tags(HTMLParser):
    """Every start tag of a page, as a browser's parser would see it."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def token(client, url: str = "/review") -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', client.get(url).text)
    assert m
    return m.group(1)


# -- JSON API -------------------------------------------------------------------------------
def test_api_entities_detail_documents(client) -> None:
    groups = client.get("/api/entities", params={"type": "CriminalGroup"}).json()
    assert {"Los Halcones Grises", "La Banda del Muelle", "Los Muelleros"} <= {
        e["name"] for e in groups["items"]}
    gid = find(client, "Los Halcones Grises")
    detail = client.get(f"/api/entities/{gid}").json()
    leader = [c for c in detail["claims"] if c["type"] == "LEADER_OF"]
    assert leader and leader[0]["modality"] == "reported"
    assert leader[0]["subject"]["name"] == "Ramiro Vellano Tusca" and leader[0]["review"] is None
    assert [e["type"] for e in detail["events"]] == ["attack"]
    assert detail["quantities"][0]["value"] == 300
    docs = client.get("/api/documents").json()
    assert docs["total"] == 2
    one = client.get(f"/api/documents/{leader[0]['doc_id']}").json()
    assert one["text"] == TEXT and any(e["id"] == gid for e in one["entities"])
    assert client.get("/api/entities/nope").status_code == 404
    assert client.get("/api/documents/nope").status_code == 404


def test_api_graph_places_timeline(client) -> None:
    gid = find(client, "Los Halcones Grises")
    g = client.get(f"/api/entities/{gid}/graph").json()
    names = {n["data"]["label"] for n in g["nodes"]}
    assert {"Los Halcones Grises", "Ramiro Vellano Tusca", "La Banda del Muelle"} <= names
    assert [n["data"]["id"] for n in g["nodes"] if n["data"]["center"]] == [gid]
    edges = {(e["data"]["type"], e["data"]["modality"]) for e in g["edges"]}
    assert ("LEADER_OF", "reported") in edges and ("BASED_IN", "asserted") in edges
    # depth 2 reaches the other crew through the shared place
    deep = client.get(f"/api/entities/{gid}/graph", params={"depth": 2}).json()
    assert "Los Muelleros" in {n["data"]["label"] for n in deep["nodes"]}
    assert "Los Muelleros" not in names
    places = client.get(f"/api/entities/{gid}/places").json()
    points = {p["name"]: p for p in places["points"]}
    assert "Cartagena" in points and points["Cartagena"]["modality"] == "hedged"
    assert abs(points["Cartagena"]["lat"] - 10.4) < 0.2
    assert "Puerto Niebla" in {p["name"] for p in places["unplaced"]}
    tl = client.get(f"/api/entities/{gid}/timeline").json()
    assert [(e["date"], e["type"]) for e in tl] == [("2021", "attack")]


def test_openapi_and_docs_page_offline(client) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/entities", "/api/entities/{entity_id}", "/api/entities/{entity_id}/graph",
                 "/api/documents", "/api/search", "/api/claims/{claim_id}/review",
                 "/api/entities/merge", "/api/review/queue"):
        assert path in spec["paths"], path
    page = client.get("/docs")
    assert page.status_code == 200 and "/openapi.json" in page.text
    for src in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page.text):
        assert src.startswith(("/", "data:")), src          # nothing from a CDN


# -- pages ----------------------------------------------------------------------------------
def test_pages_render_and_security_headers(client) -> None:
    gid = find(client, "Los Halcones Grises")
    for url in ("/", "/entities", "/entities?type=Person", "/documents", "/review",
                "/search?q=niebla", f"/entity/{gid}", "/docs"):
        r = client.get(url)
        assert r.status_code == 200, url
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp and r.headers["x-content-type-options"] == "nosniff"
        # no inline script anywhere: every <script> has a src on this site
        for tag in re.findall(r"<script\b[^>]*>", r.text):
            assert re.search(r'src="/static/', tag), (url, tag)
        assert not re.search(r"<script\b[^>]*>[^<]", r.text), url          # no inline code
        assert " style=" not in r.text and "<style" not in r.text, url
    missing = client.get("/entity/nope")
    assert missing.status_code == 404 and "No entity" in missing.text


def test_entity_page_profile_cites_highlighted_sentences(client) -> None:
    gid = find(client, "Los Halcones Grises")
    page = client.get(f"/entity/{gid}").text
    leadership = page.split('id="p-leadership"')[1].split("<h3")[0]
    assert "Ramiro Vellano Tusca" in leadership and "police investigators" in leadership
    assert 'id="cy"' in page and 'id="map"' in page and 'class="timeline"' in page
    links = re.findall(r'href="(/document/[^"]+\?start=\d+&amp;end=\d+#ev)"', page)
    assert links
    target = [u for u in links if f"start={TEXT.index(S2)}&amp;" in u]
    assert target, "the leader's citation links to its sentence"
    doc = client.get(target[0].replace("&amp;", "&"))
    marked = re.search(r'<mark id="ev"[^>]*>(.*?)</mark>', doc.text, re.S)
    assert marked and marked.group(1) == S2.replace('"', "&#34;")
    assert 'src="/static/js/document.js"' in doc.text           # scrolls it into view


def test_search_fts_and_like_fallback(client, db) -> None:
    r = client.get("/api/search", params={"q": "tejon"}).json()   # accents folded
    assert r["engine"] == "fts5"
    assert [h["title"] for h in r["results"]["entity"]] == ["Ramiro Vellano Tusca"]
    r = client.get("/api/search", params={"q": "shopkeep"}).json()  # prefixes
    assert r["results"]["claim"] and "<mark>shopkeep" in r["results"]["claim"][0]["snippet"]
    assert r["results"]["document"] and not r["results"]["entity"]
    r = client.get("/api/search", params={"q": 'leaflet" (harbour* -'}).json()  # FTS syntax
    assert r["results"]["document"]                                              # is neutral
    r = client.get("/api/search", params={"q": "leaflet OR nowhere"})
    assert r.status_code == 200 and not r.json()["results"]["document"]          # all words
    assert fts_query('a"b c*') == '"a"* "b"* "c"*'
    page = client.get("/search", params={"q": "leaflet"}).text
    assert "<mark>" in page and "<script>alert" not in page and "&lt;script&gt;" in page
    assert 'id="no-entity"' in page                   # no entity is named "leaflet"
    page = client.get("/search", params={"q": "Ramiro Velano Tusca"}).text   # a typo
    assert "No entity named" in page and ">Ramiro Vellano Tusca</a>" in page
    page = client.get("/search", params={"q": "Ramiro Vellano Tusca"}).text
    assert 'id="no-entity"' not in page
    with Store.open(db) as store:                     # the portable LIKE path
        like = SearchIndex(store)
        like.fts = False
        hits = like.search("Tejón")
        assert [h["title"] for h in hits["entity"]] == ["Ramiro Vellano Tusca"]
        hits = like.search("shopkeepers cartagena")
        assert hits["claim"] and "<mark>" in hits["claim"][0]["snippet"]
        assert "<script>" not in str(like.search("leaflet")["document"][0]["snippet"])


def test_search_index_refreshes_after_ingest(client, db) -> None:
    assert not client.get("/api/search", params={"q": "zorzal"}).json()["results"]["entity"]
    with Store.open(db) as store:
        store.save_extraction(Extraction(Document(text="El Zorzal runs a small crew."),
                                         [Entity("e1", "Person", "El Zorzal")]))
    hits = client.get("/api/search", params={"q": "zorzal"}).json()["results"]["entity"]
    assert [h["title"] for h in hits] == ["El Zorzal"]


# -- escaping -------------------------------------------------------------------------------
def test_article_markup_is_escaped_everywhere(client) -> None:
    gid = find(client, "Los Halcones Grises")
    doc_id = claim_of(client, gid, "LINKED_TO")["doc_id"]
    for url in (f"/document/{doc_id}", f"/entity/{gid}", "/review?status=all", "/documents",
                "/search?q=leaflet+harbour"):
        html = client.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html, url
        tags = Tags(html).found
        assert not [t for t, _ in tags if t == "img"], url
        assert all(a.get("src", "").startswith("/static/") for t, a in tags if t == "script"), url
        assert not [(t, k) for t, a in tags for k in a if k.startswith("on")], url
        assert "&lt;script&gt;" in html or "&lt;img" in html, url
    doc = client.get(f"/document/{doc_id}").text
    assert "javascript:" not in doc                      # unsafe document URL dropped


# -- review actions -------------------------------------------------------------------------
def test_confirm_and_reject_persist_and_show_everywhere(client, db) -> None:
    gid = find(client, "Los Halcones Grises")
    leader = claim_of(client, gid, "LEADER_OF")
    rival = claim_of(client, gid, "RIVAL_OF")
    csrf = token(client, f"/entity/{gid}")
    r = client.post(f"/review/claims/{leader['id']}", follow_redirects=False,
                    data={"action": "confirm", "reviewer": "Ana Revisora", "csrf": csrf,
                          "next": f"/entity/{gid}"})
    assert r.status_code == 303 and r.headers["location"] == f"/entity/{gid}#claim-{leader['id']}"
    assert "sabueso_reviewer" in r.headers.get("set-cookie", "")
    r = client.post(f"/review/claims/{rival['id']}", follow_redirects=False,
                    data={"action": "reject", "reviewer": "Ana Revisora", "csrf": csrf,
                          "note": "wrong group"})
    assert r.status_code == 303
    # stored as judgements, with reviewer and time
    with Store.open(db) as store:
        js = {j["a"]: j for j in store.judgements() if j["kind"] in ("confirm", "reject")}
    assert js[leader["id"]]["kind"] == "confirm" and js[leader["id"]]["reviewer"] == "Ana Revisora"
    assert js[rival["id"]]["kind"] == "reject" and js[rival["id"]]["note"] == "wrong group"
    assert js[leader["id"]]["created_at"]
    # reflected at once: API, entity page, profile, graph, review queue
    assert client.get(f"/api/claims/{leader['id']}").json()["review"]["status"] == "confirmed"
    page = client.get(f"/entity/{gid}").text
    item = page.split(f'id="claim-{leader["id"]}"')[1].split("</li>")[0]
    assert "confirmed by Ana Revisora" in item
    item = page.split(f'id="claim-{rival["id"]}"')[1].split("</li>")[0]
    assert "status-rejected" in page and "<del>" in item and "rejected by Ana Revisora" in item
    profile = page.split('id="profile"')[1].split('id="network"')[0]
    assert "La Banda del Muelle" not in profile          # the rejected fact left the profile
    assert "cite confirmed" in profile                    # the confirmed one is marked
    g = client.get(f"/api/entities/{gid}/graph").json()
    assert "RIVAL_OF" not in {e["data"]["type"] for e in g["edges"]}
    assert [e["data"]["confirmed"] for e in g["edges"] if e["data"]["type"] == "LEADER_OF"] == [True]
    open_ids = {c["id"] for c in client.get("/api/review/queue").json()["items"]}
    assert leader["id"] not in open_ids and rival["id"] not in open_ids
    rejected = client.get("/api/review/queue", params={"status": "rejected"}).json()
    assert [c["id"] for c in rejected["items"]] == [rival["id"]]
    # persisted: a new app over the same database shows the same
    with TestClient(create_app(db)) as fresh:
        assert fresh.get(f"/api/claims/{rival['id']}").json()["review"]["status"] == "rejected"
    # a later confirm undoes the reject
    out = client.post(f"/api/claims/{rival['id']}/review",
                      json={"action": "confirm", "reviewer": "Beto"})
    assert out.status_code == 200 and out.json()["status"] == "confirmed"
    assert client.get(f"/api/claims/{rival['id']}").json()["review"]["reviewer"] == "Beto"
    assert "La Banda del Muelle" in client.get(f"/entity/{gid}").text.split('id="network"')[0]


def test_review_queue_puts_most_cited_then_hedged_and_reported_first(client) -> None:
    # no claim has a score here: the claims about Puerto Niebla (named by both documents)
    # come first, then hedged, reported, denied and asserted ones
    items = client.get("/api/review/queue", params={"limit": 100}).json()["items"]
    cited = [c for c in items if c["cites"] == 2]
    assert cited and {"Puerto Niebla"} <= {c["object"]["name"] for c in cited}
    assert items[:len(cited)] == cited and all(c["cites"] == 1 for c in items[len(cited):])
    order = [c["modality"] for c in items[len(cited):]]
    assert order[0] == "hedged" and order.index("asserted") > order.index("reported")
    assert order == sorted(order, key=["hedged", "reported", "denied", "asserted"].index)
    hedged = client.get("/api/review/queue", params={"modality": "hedged"}).json()
    assert {c["modality"] for c in hedged["items"]} == {"hedged"} and hedged["total"] == 2


def test_merge_two_entities(client, db) -> None:
    a, b = find(client, "La Banda del Muelle"), find(client, "Los Muelleros")
    csrf = token(client)
    r = client.post("/review/merge", follow_redirects=False,
                    data={"a": a, "b": b, "reviewer": "Ana Revisora", "csrf": csrf})
    assert r.status_code == 303
    merged = r.headers["location"].split("?")[0].rsplit("/", 1)[1]
    assert merged in (a, b)
    page = client.get(r.headers["location"])
    assert page.status_code == 200 and "Merged" in page.text
    gone = b if merged == a else a
    assert client.get(f"/entity/{gone}", follow_redirects=False).status_code == 307
    detail = client.get(f"/api/entities/{merged}").json()
    assert {"La Banda del Muelle", "Los Muelleros"} <= set(detail["aliases"]) | {detail["name"]}
    with Store.open(db) as store:
        kinds = [(j["kind"], j["reviewer"]) for j in store.judgements()]
    assert ("merge", "Ana Revisora") in kinds
    bad = client.post("/api/entities/merge", json={"a": merged, "b": "no such entity at all",
                                                    "reviewer": "Ana"})
    assert bad.status_code == 400


def test_writes_need_token_json_and_same_origin(client) -> None:
    gid = find(client, "Los Halcones Grises")
    cid = claim_of(client, gid, "BASED_IN")["id"]
    form = {"action": "reject", "reviewer": "Mallory"}
    assert client.post(f"/review/claims/{cid}", data=form).status_code == 403   # no token
    assert client.post(f"/review/claims/{cid}", data={**form, "csrf": "forged"}).status_code == 403
    csrf = token(client)
    r = client.post(f"/review/claims/{cid}", data={**form, "csrf": csrf},
                    headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    r = client.post(f"/api/claims/{cid}/review", data=form)                    # not JSON
    assert r.status_code == 415
    r = client.post(f"/api/claims/{cid}/review", json={"action": "reject", "reviewer": ""})
    assert r.status_code == 422
    r = client.post("/api/claims/nope/review", json={"action": "confirm", "reviewer": "Ana"})
    assert r.status_code == 404
    r = client.post(f"/review/claims/{cid}", data={**form, "csrf": csrf, "next": "//evil.example/"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/review?done=")
    assert client.get(f"/api/claims/{cid}").json()["review"]["reviewer"] == "Mallory"


def test_host_header_checked_when_serving_on_loopback(db) -> None:
    from sabueso.web.app import loopback_hosts
    app = create_app(db, allowed_hosts=loopback_hosts("127.0.0.1"))
    with TestClient(app, base_url="http://127.0.0.1:8000") as ok:
        assert ok.get("/api/stats").status_code == 200
    with TestClient(app, base_url="http://attacker.example") as bad:
        assert bad.get("/api/stats").status_code == 400
    assert loopback_hosts("0.0.0.0") is None


def test_serve_command_is_registered() -> None:
    from typer.testing import CliRunner

    from sabueso.cli import app
    out = CliRunner().invoke(app, ["serve", "--help"])
    assert out.exit_code == 0
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.output)
    assert "--host" in text and "--port" in text and "--db" in text
