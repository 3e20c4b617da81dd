"""The reading pages in a real browser (Playwright, Debian's Chromium at /usr/bin/chromium):
search that forgives typos, the document view, the map labels and the network's legend and
zoom, on the demo database (samples/ ingested as ``make demo`` does) plus an invented
article stored as a hand-made extraction (every name invented; its modalities and
coordinates fixed here, so the checks do not follow the extractor's tuning).

Checks: a typo finds the group and leads to its page; a hedged claim's passage is drawn as
hedged (class and colour) and judged in place; visible map labels never overlap, even with
eight places a few kilometres apart, and no view shows the world's edge; the legend names
the node types drawn; a one-node network is not blown up; no console errors; each page
loads in under a second (printed and written to test-output/reading-times.txt).
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT
from .test_browser import OUT, browser, page, serving  # noqa: F401  (fixtures; skips as it does)

GROUP = "Los Halcones Grises"
LONER = "Ovidio Quintanar Belmonte"          # named once, tied to nothing
TOWNS = ["Puerto Niebla", "Villa Serrana", "Cumbre Alta", "Playa Sombría", "Loma Verde",
         "Río Manso", "Caleta Honda", "San Telmo del Mar"]
SENTENCES = {
    "asserted": f"{GROUP} operates in Puerto Niebla and the nearby coast.",
    "reported": f"According to police, {GROUP} operates in Villa Serrana.",
    "hedged": f"{GROUP} allegedly operates in Cumbre Alta as well.",
    "denied": f"Officials denied that {GROUP} operates in Playa Sombría.",
}


def invented() -> "Extraction":
    from sabueso.core import Claim, Document, Entity, Extraction, Mention
    rest = " ".join(f"Its crews were also seen in {t}." for t in TOWNS[4:])
    text = f"Harbour crews\n\n{' '.join(SENTENCES.values())} {rest} {LONER} was named once."
    ents = [Entity("g", "CriminalGroup", GROUP), Entity("p", "Person", LONER)]
    claims, mentions = [], []
    for i, town in enumerate(TOWNS):          # eight places within ~15 km of each other
        ents.append(Entity(f"t{i}", "Place", town, place_kind="town", country="XC",
                           lat=10.40 + 0.03 * (i % 3), lon=-75.50 + 0.04 * (i // 3)))
    for i, (modality, sentence) in enumerate(SENTENCES.items()):
        s = text.index(sentence)
        claims.append(Claim("OPERATES_IN", "g", f"t{i}", sentence, s, s + len(sentence),
                            modality=modality,
                            attributed_to="police" if modality == "reported" else None))
    for i, town in enumerate(TOWNS[4:], start=4):
        sentence = f"Its crews were also seen in {town}."
        s = text.index(sentence)
        claims.append(Claim("OPERATES_IN", "g", f"t{i}", sentence, s, s + len(sentence)))
    at = text.index(GROUP)
    mentions.append(Mention(at, at + len(GROUP), GROUP, "CriminalGroup", "g"))
    at = text.index(LONER)
    mentions.append(Mention(at, at + len(LONER), LONER, "Person", "p"))
    return Extraction(Document(text=text, title="Harbour crews (invented)"), ents, mentions, claims)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from sabueso.store import Store
    from sabueso.web.app import create_app, loopback_hosts
    db = tmp_path_factory.mktemp("reading") / "demo.db"
    subprocess.run([sys.executable, "-c", "from sabueso.cli import app; app()", "ingest",
                    str(ROOT / "samples"), "--db", str(db)], check=True, capture_output=True)
    store = Store.open(db)
    x = invented()
    store.save_extraction(x)
    app = create_app(store=store, reviewer="", allowed_hosts=loopback_hosts("127.0.0.1"))
    with serving(app) as base:
        yield {"base": base, "store": store, "doc": x.document.id}
    store.close()


def eid(store, name: str) -> str:
    found = [e for e in store.find_entities(name) if e["name"] == name]
    assert found, name
    return found[0]["id"]


def test_a_typo_finds_the_group(server, page) -> None:
    page.goto(f"{server['base']}/search?q=Halcones+Grisez", wait_until="load")
    suggestion = page.locator("#did-you-mean a")
    assert suggestion.inner_text() == GROUP
    first = page.locator("#results-entity li.hit").first
    assert first.locator("a").inner_text() == GROUP
    assert first.locator("mark").all_inner_texts() == ["Halcones", "Grises"]   # not "Los"
    with page.expect_navigation():
        first.locator("a").click()
    assert page.locator("#entity-name").inner_text() == GROUP
    with page.expect_navigation():                       # "did you mean" runs the search
        page.goto(f"{server['base']}/search?q=Halcones+Grisez")
        page.locator("#did-you-mean a").click()
    assert page.locator("#results-claim .claim-hit").count() >= 4
    badges = page.locator("#results-claim .badge.modality")
    classes = {c for k in range(badges.count()) for c in badges.nth(k).get_attribute("class").split()}
    assert {"modality-asserted", "modality-reported", "modality-hedged", "modality-denied"} <= classes
    words = " ".join(badges.all_inner_texts())
    assert "according to" in words and "not so" in words        # the modality in words
    page.screenshot(path=str(OUT / "reading-search.png"))
    assert not page.problems, page.problems


def test_document_view_colours_claims_by_modality_and_judges_them(server, page) -> None:
    page.goto(f"{server['base']}/document/{server['doc']}", wait_until="load")
    page.wait_for_selector("#doctext[data-ready='1']")
    spans = {}
    for modality, sentence in SENTENCES.items():
        span = page.locator(f"#doctext .ev-span[data-modality='{modality}']",
                            has_text=sentence[-20:])
        assert span.count() == 1, modality
        spans[modality] = span
    style = spans["hedged"].evaluate("e => { const s = getComputedStyle(e); return "
                                     "[s.textDecorationColor, s.textDecorationStyle]; }")
    assert style == ["rgb(156, 66, 33)", "wavy"]                   # the hedged colour
    asserted = spans["asserted"].evaluate("e => getComputedStyle(e).textDecorationColor")
    assert asserted != style[0]
    assert "mod-hedged" in spans["hedged"].get_attribute("class")
    group = page.locator("#doctext .ment.type-CriminalGroup").first
    assert group.inner_text() == GROUP
    assert group.evaluate("e => getComputedStyle(e).borderTopColor") == "rgb(180, 35, 24)"
    # clicking the hedged passage lists its claim only; confirming it is stored and shown
    spans["hedged"].click()
    shown = page.locator("#doc-claims > li.claim:visible")
    assert shown.count() == 1 and "hedged" in shown.first.inner_text()
    page.fill(".reviewer-form input[name=reviewer]", "Prueba Lectora")
    shown.first.locator("button.confirm").click()
    page.wait_for_selector("#doc-claims li.claim.status-confirmed")
    assert "confirmed by Prueba Lectora" in shown.first.inner_text()
    assert "Confirmed" in page.locator("#panel-status").inner_text()
    cid = shown.first.get_attribute("id").removeprefix("claim-")
    stored = [j for j in server["store"].judgements() if j["a"] == cid]
    assert stored and stored[-1]["kind"] == "confirm" and stored[-1]["reviewer"] == "Prueba Lectora"
    page.screenshot(path=str(OUT / "reading-document.png"))
    page.locator("#show-all").click()
    assert page.locator("#doc-claims > li.claim:visible").count() == len(TOWNS)
    assert not page.problems, page.problems


def labels_apart(page) -> dict:
    return page.evaluate("""() => {
        const boxes = [...document.querySelectorAll('#map .map-label')]
          .filter(e => getComputedStyle(e).visibility !== 'hidden')
          .map(e => e.getBoundingClientRect());
        const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        let overlaps = 0;
        boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => { if (hit(a, b)) overlaps++; }));
        return {visible: boxes.length, overlaps,
                hidden: document.querySelectorAll('#map .map-label-hidden').length};
    }""")


def test_map_labels_do_not_overlap_and_the_world_does_not_wrap(server, page) -> None:
    page.goto(f"{server['base']}/entity/{eid(server['store'], GROUP)}", wait_until="load")
    page.wait_for_selector("#map[data-ready='1']")
    page.locator("#places").scroll_into_view_if_needed()
    before = labels_apart(page)
    assert before["visible"] >= 2 and before["overlaps"] == 0, before
    assert before["visible"] + before["hidden"] == len(TOWNS)
    page.locator("#places").screenshot(path=str(OUT / "reading-map.png"))
    for zoom in ("getMaxZoom()", "getMinZoom()"):
        page.evaluate(f"() => window.sabuesoMap.setZoom(window.sabuesoMap.{zoom}, {{animate: false}})")
        page.wait_for_timeout(150)
        now = labels_apart(page)
        assert now["overlaps"] == 0, (zoom, now)
    # zoomed out as far as it goes and dragged west: never past the date line
    page.evaluate("() => window.sabuesoMap.panBy([-3000, 0], {animate: false})")
    west, east = page.evaluate("() => { const b = window.sabuesoMap.getBounds(); "
                               "return [b.getWest(), b.getEast()]; }")
    assert west >= -180.5 and east <= 180.5, (west, east)
    assert not page.problems, page.problems


def test_network_legend_and_zoom_of_a_lone_node(server, page) -> None:
    page.goto(f"{server['base']}/entity/{eid(server['store'], GROUP)}", wait_until="load")
    page.wait_for_selector("#cy[data-ready='1']")
    drawn = set(page.evaluate("() => window.sabuesoNetwork.nodes().map(n => n.data('type'))"))
    keys = page.locator("#node-legend [data-type]")
    shown = {keys.nth(i).get_attribute("data-type") for i in range(keys.count())
             if keys.nth(i).is_visible()}
    assert shown == drawn == {"CriminalGroup", "Place"}
    page.goto(f"{server['base']}/entity/{eid(server['store'], LONER)}", wait_until="load")
    page.wait_for_selector("#cy[data-ready='1']")
    zoom, width = page.evaluate("() => { const cy = window.sabuesoNetwork; "
                                "return [cy.zoom(), cy.nodes()[0].renderedWidth()]; }")
    assert cy_nodes(page) == 1 and zoom <= 1.25 and width < 60, (zoom, width)
    assert not page.problems, page.problems


def cy_nodes(page) -> int:
    return page.evaluate("() => window.sabuesoNetwork.nodes().length")


def test_each_page_loads_within_a_second_without_errors(server, page) -> None:
    store = server["store"]
    groups = store.list_entities("CriminalGroup")
    top = max(groups, key=lambda e: len(store.entity_claims(e["id"])))
    counts: dict[str, int] = {}
    for c in store.entity_claims(top["id"]):
        counts[c["doc_id"]] = counts.get(c["doc_id"], 0) + 1
    pages = {"home": "/", "search (typo)": "/search?q=Halcones+Grisez",
             "entity": f"/entity/{top['id']}", "document": f"/document/{max(counts, key=counts.get)}",
             "review": "/review", "documents": "/documents", "entities": "/entities"}
    lines = []
    for label, path in pages.items():
        page.goto(server["base"] + path, wait_until="load")          # warm: caches, snapshot
        page.goto(server["base"] + path, wait_until="load")
        page.wait_for_function("() => performance.getEntriesByType('navigation')[0].loadEventEnd > 0")
        load = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
        lines.append((label, load))
    text = "\n".join(f"{label}: load {ms:.0f} ms" for label, ms in lines)
    print("\n" + text)
    (OUT / "reading-times.txt").write_text(text + "\n", encoding="utf-8")
    assert all(ms < 1000 for _l, ms in lines), text
    assert not page.problems, page.problems
