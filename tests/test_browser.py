"""The web app in a real browser: Playwright drives Debian's Chromium (/usr/bin/chromium,
``make browser-deps``) against ``sabueso serve``'s app on a free loopback port and a temporary
database holding a small invented article (ours, invented names) and, when
``../shared/eval/seed`` is beside the repo, the seed profile.

Checks: the entity page shows the leader, draws the network (canvas) and the map (markers);
clicking a node expands it; confirming a claim survives a reload; markup injected in an
article stays inert; the seed entity page loads in under a second (printed and written to
test-output/render-time.txt). Screenshots go to test-output/ (git-ignored).
"""
from __future__ import annotations

from contextlib import contextmanager

import json
import socket
import threading
import time
from pathlib import Path

import pytest

from .conftest import ROOT, SEED_TXT

CHROMIUM = Path("/usr/bin/chromium")
OUT = ROOT / "test-output"
VENDOR = ROOT / "sabueso" / "web" / "static" / "vendor"

sync_api = pytest.importorskip("playwright.sync_api",
                               reason="playwright is not installed (pip install playwright)")
pytest.importorskip("fastapi", reason="the web dependencies (fastapi, uvicorn) are not installed")
pytest.importorskip("uvicorn", reason="the web dependencies (fastapi, uvicorn) are not installed")
if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (make browser-deps)",
                allow_module_level=True)
if not (VENDOR / "cytoscape" / "cytoscape.min.js").exists() or not (
        VENDOR / "leaflet" / "leaflet.js").exists():
    pytest.skip("front-end libraries missing in sabueso/web/static/vendor (make frontend)",
                allow_module_level=True)

GROUP = "Los Halcones Grises"
LEADER = "Ramiro Vellano Tusca"
PAYLOAD = "<script>window.__pwned = 1; alert('pwned')</script><img src=x onerror=\"window.__pwned = 2\">"
# Written for this test; every name of a person or group is invented.
ARTICLE = f"""Los Halcones Grises: a new gang on the coast

Los Halcones Grises is a criminal group based in Cartagena, Colombia. The gang is led by Ramiro Vellano Tusca, alias "El Tejón", according to police investigators. The group reportedly operates in Barranquilla and Santa Marta, where it allegedly extorts shopkeepers. Prosecutors say Los Halcones Grises is a rival of La Banda del Muelle. In 2021, members of Los Halcones Grises attacked a police station in Cartagena.

A note pinned to the station door read {PAYLOAD} and nothing more.
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(app):
    """The app on a free loopback port in a background thread; yields its base URL."""
    import uvicorn
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 15
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from sabueso.core import Document
    from sabueso.extract import extract_document
    from sabueso.store import Store
    from sabueso.web.app import create_app, loopback_hosts

    store = Store.open(tmp_path_factory.mktemp("browser") / "browser.db")
    store.save_extraction(extract_document(Document(text=ARTICLE, title="Harbour gangs (test)")))
    seed = None
    if SEED_TXT.exists():
        doc = Document(text=SEED_TXT.read_text(encoding="utf-8"), title=SEED_TXT.name,
                       path=str(SEED_TXT))
        store.save_extraction(extract_document(doc))
        seed = doc.id
    app = create_app(store=store, reviewer="", allowed_hosts=loopback_hosts("127.0.0.1"))
    with serving(app) as base:
        yield {"base": base, "store": store, "seed": seed}
    store.close()


@pytest.fixture(scope="module")
def browser():
    OUT.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                              args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.problems = []          # console errors, CSP violations, page errors
    pg.dialogs = []
    pg.on("console", lambda m: pg.problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))

    def dialog(d):
        pg.dialogs.append(d.message)
        d.dismiss()
    pg.on("dialog", dialog)
    yield pg
    context.close()


def entity_id(store, name: str) -> str:
    found = [e for e in store.find_entities(name) if e["name"] == name]
    assert found, f"{name} was not extracted"
    return found[0]["id"]


def open_entity(page, server, eid: str) -> None:
    page.goto(f"{server['base']}/entity/{eid}", wait_until="load")
    page.wait_for_selector("#cy[data-ready='1']", timeout=15000)


def test_entity_page_shows_leader_network_and_map(server, page) -> None:
    gid = entity_id(server["store"], GROUP)
    open_entity(page, server, gid)
    assert page.locator("#entity-name").inner_text() == GROUP
    leadership = page.locator("#p-leadership + ul.facts").inner_text()
    assert LEADER in leadership and "police investigators" in leadership
    # network: Cytoscape drew on canvas, with the leader among the nodes
    assert page.locator("#cy canvas").count() >= 1
    labels = page.evaluate("() => window.sabuesoNetwork.nodes().map(n => n.data('label'))")
    assert LEADER in labels and GROUP in labels
    # map: one marker per placed location, drawn by Leaflet as SVG
    page.wait_for_selector("#map[data-ready='1']")
    markers = int(page.get_attribute("#map", "data-markers"))
    assert markers >= 1 and page.locator("#map path.leaflet-interactive").count() >= markers
    assert "Cartagena" in page.locator(".place-list").inner_text()
    page.locator("#network").scroll_into_view_if_needed()
    page.screenshot(path=str(OUT / "entity-network.png"))
    page.locator("#places").scroll_into_view_if_needed()
    page.screenshot(path=str(OUT / "entity-map.png"))
    assert not page.problems, page.problems


def test_entity_page_reads_without_javascript(server, browser) -> None:
    gid = entity_id(server["store"], GROUP)
    context = browser.new_context(java_script_enabled=False)
    try:
        pg = context.new_page()
        pg.goto(f"{server['base']}/entity/{gid}")
        assert LEADER in pg.locator("#p-leadership + ul.facts").inner_text()
        assert pg.locator("#cy .fallback").is_visible()          # the network says why not
        assert pg.locator("sup.cite a").count() >= 1 and pg.locator(".claim button.confirm").count()
        assert "Cartagena" in pg.locator(".place-list").inner_text()
    finally:
        context.close()


def test_clicking_a_node_expands_it(server, page) -> None:
    gid = entity_id(server["store"], GROUP)
    open_entity(page, server, gid)
    page.evaluate("() => document.getElementById('cy').scrollIntoView({block: 'center'})")
    page.wait_for_timeout(100)
    target = page.evaluate("""() => {
        const cy = window.sabuesoNetwork, box = cy.container().getBoundingClientRect();
        const others = cy.nodes().filter(n => !n.data('center'));
        let best = null, room = -1;
        others.forEach(n => {            // the node farthest from any other: nothing covers it
            const p = n.renderedPosition();
            const d = Math.min(...cy.nodes().filter(m => m !== n).map(m => {
                const q = m.renderedPosition(); return Math.hypot(p.x - q.x, p.y - q.y); }));
            if (d > room) { room = d; best = n; }
        });
        const p = best.renderedPosition();
        return {id: best.id(), label: best.data('label'), x: box.left + p.x, y: box.top + p.y,
                nodes: cy.nodes().length};
    }""")
    page.mouse.click(target["x"], target["y"])
    page.wait_for_timeout(200)
    page.screenshot(path=str(OUT / "network-click.png"))
    page.wait_for_function("id => (document.getElementById('cy').dataset.expanded || '')"
                           ".split(' ').includes(id)", arg=target["id"], timeout=10000)
    assert target["label"] in page.locator("#cy-info").inner_text()
    # filtering by modality hides the edges of that modality
    before = int(page.get_attribute("#cy", "data-visible-edges"))
    page.locator("#modality-filter input[value='asserted']").uncheck()
    after = int(page.get_attribute("#cy", "data-visible-edges"))
    assert after < before
    page.screenshot(path=str(OUT / "network-expanded.png"))
    assert not page.problems, page.problems


def test_confirming_a_claim_persists_after_reload(server, page) -> None:
    gid = entity_id(server["store"], GROUP)
    page.goto(f"{server['base']}/entity/{gid}#claims")
    page.fill(".reviewer-form input[name=reviewer]", "Prueba Revisora")
    with page.expect_navigation():
        page.click(".reviewer-form button")
    claims = page.evaluate("() => [...document.querySelectorAll('.claim')].map(li => "
                           "({id: li.id, rel: li.querySelector('.rel').dataset.type}))")
    leader = [c for c in claims if c["rel"] == "LEADER_OF"] or claims
    cid = leader[0]["id"]
    with page.expect_navigation():
        page.click(f"#{cid} button.confirm")
    page.reload()
    item = page.locator(f"#{cid}")
    assert "status-confirmed" in item.get_attribute("class")
    assert "confirmed by Prueba Revisora" in item.inner_text()
    stored = [j for j in server["store"].judgements() if j["a"] == cid.removeprefix("claim-")]
    assert stored and stored[-1]["kind"] == "confirm" and stored[-1]["reviewer"] == "Prueba Revisora"
    item.scroll_into_view_if_needed()
    page.screenshot(path=str(OUT / "claim-confirmed.png"))
    assert not page.problems, page.problems


def test_injected_markup_stays_inert(server, page) -> None:
    doc = [d for d in json.loads(page.request.get(f"{server['base']}/api/documents").text())["items"]
           if d["title"] == "Harbour gangs (test)"][0]
    page.goto(f"{server['base']}/document/{doc['id']}")
    page.wait_for_timeout(300)
    text = page.locator("#doctext").inner_text()
    assert "<script>window.__pwned" in text and "onerror=" in text       # shown as text
    assert page.locator("#doctext script, #doctext img").count() == 0
    assert page.evaluate("() => window.__pwned === undefined")
    assert not page.dialogs
    results = page.goto(f"{server['base']}/search?q=pinned+station")
    assert results.ok and page.locator(".results-document mark").count() >= 1
    assert page.evaluate("() => window.__pwned === undefined") and not page.dialogs
    page.screenshot(path=str(OUT / "search-escaped.png"))
    assert not page.problems, page.problems


def test_citation_opens_highlighted_sentence(server, page) -> None:
    gid = entity_id(server["store"], GROUP)
    page.goto(f"{server['base']}/entity/{gid}")
    link = page.locator("#p-leadership + ul.facts sup.cite a").first
    with page.expect_navigation():
        link.click()
    mark = page.locator("mark#ev")
    assert LEADER in mark.inner_text()
    assert page.evaluate("() => { const r = document.getElementById('ev').getBoundingClientRect();"
                         " return r.top >= 0 && r.bottom <= window.innerHeight; }")
    page.screenshot(path=str(OUT / "document-evidence.png"))
    assert not page.problems, page.problems


def test_docs_page_works_offline(server, page) -> None:
    if not (VENDOR / "swagger-ui" / "swagger-ui-bundle.js").exists():
        pytest.skip("swagger-ui-dist not copied (make frontend)")
    page.goto(f"{server['base']}/docs")
    page.wait_for_selector(".opblock", timeout=15000)
    assert page.locator(".opblock").count() >= 10
    assert not page.problems, page.problems


def test_seed_entity_page_renders_within_a_second(server, page) -> None:
    store = server["store"]
    if server["seed"]:
        # the seed's main group: the criminal group with the most claims from the seed
        counts = {e["id"]: sum(c["doc_id"] == server["seed"] for c in store.entity_claims(e["id"]))
                  for e in store.list_entities("CriminalGroup")}
        gid = max(counts, key=counts.get)
        label = "seed"
    else:
        gid, label = entity_id(store, GROUP), "invented (no ../shared seed)"
    leaders = {c["subject"]["name"] for c in store.entity_claims(gid)
               if c["type"] == "LEADER_OF" and c["object"]["id"] == gid}
    open_entity(page, server, gid)                       # warm-up: caches the libraries
    page.goto(f"{server['base']}/entity/{gid}", wait_until="load")
    page.wait_for_function("() => performance.getEntriesByType('navigation')[0].loadEventEnd > 0")
    nav = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
        return {response: n.responseEnd, dom: n.domContentLoadedEventEnd, load: n.loadEventEnd}; }""")
    page.wait_for_selector("#cy[data-ready='1']", timeout=15000)
    drawn = page.evaluate("() => performance.now()")
    line = (f"{label} entity page: HTML received {nav['response']:.0f} ms, DOMContentLoaded "
            f"{nav['dom']:.0f} ms, load {nav['load']:.0f} ms, network drawn {drawn:.0f} ms")
    print("\n" + line)
    (OUT / "render-time.txt").write_text(line + "\n", encoding="utf-8")
    page.screenshot(path=str(OUT / "seed-entity.png"))
    assert leaders, "no leader extracted for the group"
    assert any(name in page.locator("#p-leadership + ul.facts").inner_text() for name in leaders)
    assert nav["load"] < 1000, line
    assert not page.problems, page.problems

