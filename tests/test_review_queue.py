"""The review queue through FastAPI's TestClient: ordered by what a judgement is worth (the
least sure claims first, then those about the most-cited entities), paged 25 a page with
page links, filtered by entity, relation type, modality and document; after an action it
says what was done and offers an Undo that deletes the judgement; the reviewer's name is
asked once; corrections of type and modality; relation types in plain words; the number of
judgements the extractor was trained with. Hand-made extractions with invented names."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")
from fastapi.testclient import TestClient  # noqa: E402

from sabueso.core import Claim, Document, Entity, Extraction, Mention  # noqa: E402
from sabueso.ontology import relation_label as label  # noqa: E402
from sabueso.store import Store  # noqa: E402
from sabueso.web import create_app  # noqa: E402

GROUP = "Los Halcones Grises"
TOWNS = [f"Villa {a}{b}" for a in ("Alta", "Baja", "Seca", "Roja", "Azul", "Gris")
         for b in ("mar", "sol", "luz", "paz", "mar del Sur")][:28]
LEAD = "Ramiro Vellano Tusca leads Los Halcones Grises, police say."
OTHER = "Los Muelleros, a dockside crew, work the fish market of Puerto Niebla with Los Halcones Grises."


def article_one() -> Extraction:
    """28 towns the group operates in (claims scored 0.95 down to 0.14), and its leader."""
    sentences = [f"Los Halcones Grises reportedly operates in {t}." for t in TOWNS] + [LEAD]
    text = "\n".join(sentences)
    doc = Document(text=text, title="Halcones towns (invented)", lang="en")
    ents = [Entity("g", "CriminalGroup", GROUP), Entity("p", "Person", "Ramiro Vellano Tusca")]
    ents += [Entity(f"t{k}", "Place", t) for k, t in enumerate(TOWNS)]
    claims = []
    for k, (t, s) in enumerate(zip(TOWNS, sentences)):
        start = text.index(s)
        claims.append(Claim("OPERATES_IN", "g", f"t{k}", s, start, start + len(s),
                            modality="hedged" if k % 2 else "asserted",
                            confidence=round(0.95 - 0.03 * k, 2)))
    start = text.index(LEAD)
    claims.append(Claim("LEADER_OF", "p", "g", LEAD, start, start + len(LEAD), modality="reported",
                        attributed_to="police", confidence=0.55))
    g0 = text.index(GROUP)
    return Extraction(doc, ents, [Mention(g0, g0 + len(GROUP), GROUP, "CriminalGroup", "g")], claims)


def article_two() -> Extraction:
    """A second document naming the group: claims about it are the most cited."""
    doc = Document(text=OTHER, title="Dockside crews (invented)", lang="en")
    ents = [Entity("m", "CriminalGroup", "Los Muelleros"), Entity("n", "Place", "Puerto Niebla"),
            Entity("g", "CriminalGroup", GROUP)]
    return Extraction(doc, ents, [], [
        Claim("OPERATES_IN", "m", "n", OTHER, 0, len(OTHER), confidence=0.52),
        Claim("ALLY_OF", "m", "g", OTHER, 0, len(OTHER), confidence=0.58)])


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "queue.db"
    with Store.open(path) as s:
        s.save_extraction(article_one())
        s.save_extraction(article_two())
    return str(path)


@pytest.fixture
def client(db, monkeypatch):
    for var in ("USER", "USERNAME"):          # no default reviewer: the name is asked once
        monkeypatch.delenv(var, raising=False)
    with TestClient(create_app(db, reviewer="")) as c:
        yield c


class Page(HTMLParser):
    """The visible text and the start tags of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def csrf(client, url: str = "/review") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(url).text).group(1)


def rows(html: str) -> list[str]:
    """Claim ids of the queue's rows, in order."""
    return re.findall(r'<li id="claim-([^"]+)"', html)


def queue(client, **params) -> dict:
    return client.get("/api/review/queue", params={"limit": 500, **params}).json()


def test_order_is_least_sure_first_then_most_cited_entities(client) -> None:
    items = queue(client)["items"]
    assert len(items) == 31
    steps = [min(int(c["confidence"] * 10), 9) for c in items]
    assert steps == sorted(steps) and items[0]["confidence"] == 0.14
    # in one step of confidence (0.5x), the claim about the group both documents cite comes
    # before a less sure one about entities only one document names
    ally = next(c for c in items if c["type"] == "ALLY_OF")
    dock = next(c for c in items if c["subject"]["name"] == "Los Muelleros" and c["type"] == "OPERATES_IN")
    assert ally["cites"] == 2 and dock["cites"] == 1 and ally["confidence"] > dock["confidence"]
    assert items.index(ally) < items.index(dock)
    assert items.index(dock) == max(k for k, s in enumerate(steps) if s == 5)
    # the page shows the same order, with what the order rests on
    page = client.get("/review").text
    assert rows(page) == [c["id"] for c in items[:25]]
    assert "extractor's confidence 0.14" in Page(page).visible()


def test_pages_of_25_with_links_that_keep_the_filters(client) -> None:
    page1 = client.get("/review", params={"modality": "hedged"}).text
    hedged = queue(client, modality="hedged")
    assert hedged["total"] == 14 and len(rows(page1)) == 14      # one page: no pager
    assert 'class="pager"' not in page1
    page1 = client.get("/review").text
    assert len(rows(page1)) == 25 and "31 claims; page 1 of 2" in Page(page1).visible()
    links = [a["href"] for t, a in Page(page1).tags if t == "a" and "page=" in a.get("href", "")]
    assert "/review?status=open&page=2" in links
    page2 = client.get("/review", params={"page": 2}).text
    assert len(rows(page2)) == 6 and not set(rows(page1)) & set(rows(page2))
    assert rows(page1) + rows(page2) == [c["id"] for c in queue(client)["items"]]
    typed = client.get("/review", params={"type": "OPERATES_IN", "entity": GROUP}).text
    links = [a["href"] for t, a in Page(typed).tags if t == "a" and "page=" in a.get("href", "")]
    assert links and all("type=OPERATES_IN" in h and "entity=Los+Halcones+Grises" in h for h in links)


def test_filters_by_entity_type_modality_and_document(client) -> None:
    ally = [c for c in queue(client)["items"] if c["type"] == "ALLY_OF"][0]
    by_name = client.get("/review", params={"entity": "Los Muelleros"}).text
    assert len(rows(by_name)) == 2                                   # subject or object
    gid = ally["object"]["id"]
    by_id = client.get("/review", params={"entity": gid}).text
    assert len(rows(by_id)) == 25 and "30 claims; page 1 of 2" in Page(by_id).visible()
    assert len(rows(client.get("/review", params={"type": "LEADER_OF"}).text)) == 1
    reported = client.get("/review", params={"modality": "reported"}).text
    assert rows(reported) == [c["id"] for c in queue(client, modality="reported")["items"]] and \
        len(rows(reported)) == 1
    doc = client.get("/review", params={"doc": ally["doc_id"]}).text
    assert set(rows(doc)) == {c["id"] for c in queue(client)["items"] if c["doc_id"] == ally["doc_id"]}
    assert len(rows(doc)) == 2
    missing = client.get("/review", params={"entity": "Nadie Conocido"}).text
    assert rows(missing) == [] and "No entity is named" in missing
    both = client.get("/review", params={"type": "OPERATES_IN", "doc": ally["doc_id"]}).text
    assert len(rows(both)) == 1
    assert queue(client, type="LEADER_OF", entity=gid)["total"] == 1    # the API filters too


def test_reviewer_asked_once_then_confirm_says_so_and_undo_reverts(client, db) -> None:
    page = client.get("/review").text
    assert "reviewer-needed" in page and "Give your name above to judge" in page
    first = rows(page)[0]
    token = csrf(client)
    r = client.post(f"/review/claims/{first}", data={"action": "confirm", "csrf": token},
                    follow_redirects=False)
    assert r.status_code == 400                       # no name yet: refused, nothing stored
    r = client.post("/review/reviewer", data={"reviewer": "Ana Revisora", "csrf": token,
                                               "next": "/review?type=OPERATES_IN"},
                    follow_redirects=False)
    assert r.status_code == 303 and "sabueso_reviewer" in r.headers["set-cookie"]
    page = client.get("/review", params={"type": "OPERATES_IN"}).text
    tags = Page(page).tags
    assert not [a for t, a in tags if t == "input" and a.get("name") == "reviewer"
                and a.get("type") != "text"]          # no name box or hidden name per row
    assert len([a for t, a in tags if t == "input" and a.get("name") == "reviewer"]) == 1
    target = rows(page)[0]
    r = client.post(f"/review/claims/{target}", follow_redirects=False,
                    data={"action": "confirm", "csrf": token, "next": "/review?type=OPERATES_IN"})
    assert r.status_code == 303
    location = r.headers["location"]
    assert location.startswith("/review?") and location.endswith("#feedback")
    jid = int(parse_qs(urlsplit(location).query)["done"][0])
    assert parse_qs(urlsplit(location).query)["type"] == ["OPERATES_IN"]
    with Store.open(db) as store:
        assert [(j["id"], j["kind"], j["a"], j["reviewer"]) for j in store.judgements()] == [
            (jid, "confirm", target, "Ana Revisora")]
    page = client.get(location).text
    feedback = Page("<div " + page.split('<div id="feedback"')[1].split("</div>")[0]).visible()
    assert feedback.startswith(f"Confirmed: Los Halcones Grises {label('OPERATES_IN')} Villa")
    assert feedback.endswith("Undo")
    assert target not in rows(page)                                  # left the open queue
    assert f'action="/review/undo/{jid}"' in page
    r = client.post(f"/review/undo/{jid}", data={"csrf": token, "next": location},
                    follow_redirects=False)
    assert r.status_code == 303 and "undone=confirm" in r.headers["location"]
    with Store.open(db) as store:
        assert store.judgements() == []                              # really gone
    page = client.get(r.headers["location"]).text
    assert f"Undone (confirmed): Los Halcones Grises {label('OPERATES_IN')} Villa" in Page(page).visible()
    assert target in rows(page) and "/review/undo/" not in page
    assert client.post(f"/review/undo/{jid}", data={"csrf": token}).status_code == 404
    assert client.post(f"/review/undo/{jid}", data={"csrf": "forged"}).status_code == 403


def test_corrections_of_type_and_modality(client, db) -> None:
    token = csrf(client)
    client.post("/review/reviewer", data={"reviewer": "Ana Revisora", "csrf": token})
    ally = [c for c in queue(client)["items"] if c["type"] == "ALLY_OF"][0]
    page = client.get("/review", params={"type": "ALLY_OF"}).text
    row = page.split(f'id="claim-{ally["id"]}"')[1].split("</li>")[0]
    options = re.findall(r'<option value="([A-Z_]+)">', row)
    assert "RIVAL_OF" in options and "ALLY_OF" not in options and "BASED_IN" not in options
    r = client.post(f"/review/claims/{ally['id']}", follow_redirects=False, data={
        "action": "correct_type", "value": "RIVAL_OF", "csrf": token, "next": "/review"})
    assert r.status_code == 303
    said = f"Type corrected: Los Muelleros {label('ALLY_OF')} Los Halcones Grises → {label('RIVAL_OF')}"
    assert said in Page(client.get(r.headers["location"]).text).visible()
    bad = client.post(f"/review/claims/{ally['id']}", data={
        "action": "correct_type", "value": "BASED_IN", "csrf": token})
    assert bad.status_code == 400 and "does not relate a CriminalGroup to a CriminalGroup" in bad.text
    out = client.post(f"/api/claims/{ally['id']}/review", json={
        "action": "correct_modality", "value": "hedged", "reviewer": "Beto"})
    assert out.status_code == 200 and out.json()["status"] == "corrected"
    review = client.get(f"/api/claims/{ally['id']}").json()["review"]
    assert review["type"] == "RIVAL_OF" and review["modality"] == "hedged"
    corrected = client.get("/review", params={"status": "corrected"}).text
    assert rows(corrected) == [ally["id"]]
    assert f"Corrected to “{label('RIVAL_OF')}”, as hedged." in Page(corrected).visible()
    # the graph shows the claim as corrected
    edges = client.get(f"/api/entities/{ally['object']['id']}/graph").json()["edges"]
    assert [(e["data"]["type"], e["data"]["modality"]) for e in edges
            if ally["id"] in e["data"]["claims"]] == [("RIVAL_OF", "hedged")]
    undo = client.post(f"/api/judgements/{review['id']}/undo", json={})
    assert undo.status_code == 200 and undo.json()["kind"] == "correct_modality"
    assert client.get(f"/api/claims/{ally['id']}").json()["review"]["modality"] is None


def test_relation_types_read_as_words_and_the_model_count_shows(client, tmp_path, monkeypatch) -> None:
    from sabueso.extract.learned.linear import LinearModel
    text = Page(client.get("/review").text).visible()
    assert label("OPERATES_IN") in text and "OPERATES_IN" not in text and "LEADER_OF" not in text
    model = LinearModel(["0", "1"], [0.0], {}, meta={"articles": 3, "judgements": 7})
    model.save(tmp_path / "relations.json.gz")
    monkeypatch.setenv("SABUESO_MODELS", str(tmp_path))
    text = Page(client.get("/review").text).visible()
    assert "trained on 3 annotated articles and 7 reviewer judgements" in text
    monkeypatch.setenv("SABUESO_MODELS", str(tmp_path / "none"))
    assert "No trained extractor model is in use" in Page(client.get("/review").text).visible()
