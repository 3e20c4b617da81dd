"""Screenshots of the web app on the demo database, for docs/screenshots/ (refresh them
after a change to the pages):

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--db FILE]

Without ``--db`` it ingests samples/ into a temporary database (as ``make demo`` does), serves
the app on a free loopback port and drives Debian's Chromium (/usr/bin/chromium, ``make
browser-deps``) with Playwright. The pages: the entity page of the criminal group with the
most claims (its top, its network and its map), the document with the most claims (a hedged
passage selected when there is one), the review queue, and a search with a typo in the
name of a group (the one with the most claims among those with a word of five letters). Nothing here names a group: the pages are chosen from the data.
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
VIEW = {"width": 1280, "height": 860}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demo_db(folder: Path) -> Path:
    db = folder / "demo.db"
    subprocess.run([sys.executable, "-c", "from sabueso.cli import app; app()", "ingest",
                    str(ROOT / "samples"), "--db", str(db)], check=True)
    return db


def serve(db: Path):
    import uvicorn

    from sabueso.web.app import create_app, loopback_hosts
    app = create_app(db=str(db), reviewer="", allowed_hosts=loopback_hosts("127.0.0.1"))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    if not server.started:
        raise SystemExit("the server did not start")
    return server, thread, f"http://127.0.0.1:{port}", app.state.web.store


def typo(name: str) -> str:
    """The name with two letters of its longest word swapped (a typing slip)."""
    words = name.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    w = words[i]
    if len(w) >= 4:
        words[i] = w[:-3] + w[-2] + w[-3] + w[-1]
    return " ".join(words)


def pick(store) -> tuple[dict, str]:
    groups = store.list_entities("CriminalGroup")
    group = max(groups, key=lambda e: (len(store.entity_claims(e["id"])), e["name"]))
    counts: dict[str, int] = {}
    for c in store.entity_claims(group["id"]):
        counts[c["doc_id"]] = counts.get(c["doc_id"], 0) + 1
    return group, max(counts, key=counts.get)


def shoot(base: str, store, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright
    group, doc = pick(store)
    written: list[Path] = []

    def save(page, name: str, element: str | None = None) -> None:
        path = out / f"{name}.png"
        if element:
            page.locator(element).screenshot(path=str(path))
        else:
            page.screenshot(path=str(path))
        written.append(path)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport=VIEW, device_scale_factor=1)
        page.goto(f"{base}/entity/{group['id']}", wait_until="load")
        page.wait_for_selector("#cy[data-ready='1']", timeout=20000)
        save(page, "entity")
        page.wait_for_selector("#map[data-ready='1']", timeout=20000)
        page.wait_for_timeout(600)                        # country outlines, label placement
        save(page, "graph", "#network")
        save(page, "map", "#places")
        page.goto(f"{base}/document/{doc}", wait_until="load")
        page.wait_for_selector("#doctext[data-ready='1']")
        hedged = page.locator("#doctext .ev-span[data-modality='hedged']")
        target = hedged if hedged.count() else page.locator("#doctext .ev-span")
        if target.count():
            target.first.click()
            target.first.evaluate("e => e.scrollIntoView({block: 'center'})")
        save(page, "document")
        page.goto(f"{base}/review", wait_until="load")
        save(page, "review")
        named = [g for g in store.list_entities("CriminalGroup")
                 if max(map(len, g["name"].split())) >= 5]
        slip = max(named, key=lambda e: (len(store.entity_claims(e["id"])), e["name"]))
        page.goto(f"{base}/search?q={typo(slip['name'])}", wait_until="load")
        save(page, "search")
        browser.close()
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--db", type=Path, help="an existing database (default: samples/ ingested)")
    args = ap.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit("Debian's chromium is missing at /usr/bin/chromium (make browser-deps)")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or demo_db(Path(tmp))
        server, thread, base, store = serve(db)
        try:
            for path in shoot(base, store, args.out):
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        finally:
            server.should_exit = True
            thread.join(10)


if __name__ == "__main__":
    main()
