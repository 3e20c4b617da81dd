#!/usr/bin/env python3
"""Smoke test of the product as users install it (issue 20); not collected by pytest.

    python tests/smoke/smoke_wheel.py            # builds the wheel first (needs `build`, npm)
    python tests/smoke/smoke_wheel.py WHEEL      # checks a wheel already built

In a fresh temporary folder it creates a virtual environment, installs the wheel there (not
editable, no dev extras) with ordinary `pip install`, its dependencies resolved from the wheel's
own metadata at the versions of requirements.lock (constraints, so a dependency missing from
pyproject.toml is missing here too), and then, with that environment's `sabueso`, run from the
temporary folder so the source tree cannot be imported:

- ingests one file of every supported format: .txt .md .html .pdf .jsonl and a .gz;
- extracts one file with `sabueso extract FILE --json`;
- serves the web app on 127.0.0.1 (a free port) and fetches an entity page and the graph
  (Cytoscape.js) and map (Leaflet) scripts and styles it references, each must answer 200;
- exports every format (ftm, graphml, gexf, csv, neo4j), each with non-zero counts.

It also checks that the wheel holds the front-end libraries, the trained model and the ontology,
that every installed distribution is pinned by requirements.lock at the same version, `pip check`,
`sabueso --version`, and that building printed no setuptools deprecation warning.
Exit code 0 when everything passed; each failure is one line starting with FAIL.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"
FORMATS = ("ftm", "graphml", "gexf", "csv", "neo4j")
WHEEL_MUST_HOLD = ("sabueso/ontology.yaml", "sabueso/web/static/vendor/cytoscape/cytoscape.min.js",
                   "sabueso/web/static/vendor/leaflet/leaflet.js",
                   "sabueso/web/static/vendor/leaflet/leaflet.css",
                   "sabueso/models/es_ner/meta.json", "sabueso/models/es_ner/ner/model",
                   "sabueso/configs/ner_es.cfg", "sabueso/web/templates/entity.html")

# Our own invented text (no real group or person).
GROUP, LEADER, PLACE = "Banda del Zorro Gris", "Aurelio Montaña Brea", "Valdecruz"
EN = (f"The {GROUP} is led by {LEADER}, according to police. The gang is based in {PLACE} "
      "and is involved in extortion and drug trafficking. In March 2021 police arrested "
      "twelve members of the gang in Puerto Almena.")
ES = (f"La {GROUP} es liderada por {LEADER}, según la policía. La banda opera en {PLACE} y se "
      "dedica a la extorsión y al tráfico de drogas. En marzo de 2021 la policía detuvo a doce "
      "miembros de la banda en Puerto Almena.")

failures: list[str] = []


def fail(message: str) -> None:
    failures.append(message)
    print(f"FAIL {message}", flush=True)


def step(message: str) -> None:
    print(f"--- {message}", flush=True)


def run(cmd: list[str], *, cwd: Path, env: dict | None = None, timeout: int = 900,
        check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        fail(f"{' '.join(map(str, cmd[:4]))} ... exited {result.returncode}:\n"
             f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def make_pdf(lines: list[str]) -> bytes:
    """A minimal valid one-page PDF written by hand (Helvetica, Latin-1 text)."""
    shown = " ".join("(%s) Tj T*" % line.replace("\\", r"\\").replace("(", r"\(")
                     .replace(")", r"\)") for line in lines)
    stream = f"BT /F1 11 Tf 72 720 Td 14 TL {shown} ET"
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
               "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
               f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream",
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return out


def write_inputs(folder: Path) -> list[Path]:
    folder.mkdir()
    files = {
        "article.txt": EN.encode("utf-8"),
        "nota.md": f"# Operativo en {PLACE}\n\n{ES}\n".encode("utf-8"),
        "page.html": (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                      f"<title>Police operation in {PLACE}</title></head><body><header>Menu</header>"
                      f"<article><h1>Police operation in {PLACE}</h1><p>{EN}</p>"
                      f"<p>Officials said the {GROUP} remains active in the region.</p>"
                      "</article><footer>Contact</footer></body></html>").encode("utf-8"),
        "informe.pdf": make_pdf([f"Informe sobre la {GROUP}", *re.split(r"(?<=\.) ", ES)]),
        "items.jsonl": "\n".join(json.dumps(d, ensure_ascii=False) for d in [
            {"text": EN.replace("March 2021", "June 2020"), "title": "One", "lang": "en",
             "url": "https://example.org/one", "published": "2020-06-02"},
            {"text": ES.replace("marzo de 2021", "junio de 2020"), "title": "Dos", "lang": "es"},
        ]).encode("utf-8") + b"\n",
        "archivo.txt.gz": gzip.compress(ES.replace("doce", "quince").encode("utf-8")),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [folder / name for name in files]


def build_wheel(outdir: Path) -> Path:
    step("building the wheel")
    if not (ROOT / "sabueso/web/static/vendor/cytoscape/cytoscape.min.js").exists():
        run(["make", "frontend"], cwd=ROOT)
    shutil.rmtree(ROOT / "build", ignore_errors=True)     # no stale build/lib in the wheel
    result = run([sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir)], cwd=ROOT)
    noise = [line for line in (result.stdout + result.stderr).splitlines()
             if re.search(r"Deprecat|SetuptoolsWarning|is deprecated", line)]
    if noise:
        fail("building printed packaging warnings:\n  " + "\n  ".join(noise[:10]))
    wheels = sorted(outdir.glob("sabueso-*.whl"))
    if not wheels:
        raise SystemExit("FAIL no wheel was built")
    return wheels[-1]


def locked_pins() -> dict[str, str]:
    norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()  # noqa: E731
    return {norm(m.group(1)): m.group(2) for m in
            re.finditer(r"^([A-Za-z0-9_.\-]+)==(\S+)", LOCK.read_text(encoding="utf-8"), re.M)}


def install(wheel: Path, work: Path) -> Path:
    step(f"installing {wheel.name} into a fresh venv in {work}")
    venv = work / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    run([base, "-m", "venv", str(venv)], cwd=work)
    pins = locked_pins()
    constraints = work / "constraints.txt"
    constraints.write_text("".join(f"{n}=={v}\n" for n, v in sorted(pins.items())), encoding="utf-8")
    python = venv / "bin" / "python"
    # Python 3.11's bundled pip 23.2 warns that lxml lacks the extra "html_clean" (justext asks
    # for lxml[html_clean]; lxml spells it html-clean): current pips normalise extras (PEP 685)
    run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip>=24.2"], cwd=work)
    result = run([str(python), "-m", "pip", "install", "--quiet", "-c", str(constraints), str(wheel)],
                 cwd=work, timeout=1800)
    if result.returncode:
        raise SystemExit("FAIL the wheel did not install")
    warnings = [line for line in result.stderr.splitlines()
                if line.startswith("WARNING") and "is ignored" not in line]   # (local index config)
    if warnings:
        fail("installing the wheel printed warnings:\n  " + "\n  ".join(warnings[:10]))
    run([str(python), "-m", "pip", "check"], cwd=work)
    frozen = run([str(python), "-m", "pip", "list", "--format=json"], cwd=work).stdout
    norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()  # noqa: E731
    for dist in json.loads(frozen):
        name, version = norm(dist["name"]), dist["version"]
        if name in ("sabueso", "pip", "setuptools", "wheel"):
            continue
        if name not in pins:
            fail(f"{name} {version} is installed by the wheel but not in requirements.lock: "
                 "run `make lock`")
        elif pins[name] != version:
            fail(f"{name} {version} installed, {pins[name]} locked")
    return venv


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def serve_and_fetch(sabueso: str, db: Path, work: Path, env: dict, entity: dict) -> None:
    port = free_port()
    step(f"serving on 127.0.0.1:{port}, entity {entity['name']!r}")
    log = (work / "serve.log").open("w")
    server = subprocess.Popen([sabueso, "serve", "--host", "127.0.0.1", "--port", str(port),
                               "--db", str(db)], cwd=work, env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            if server.poll() is not None:
                break
            try:
                if get(base + "/", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            fail("the web app did not answer within 60 s")
            return
        if server.poll() is not None:
            fail(f"sabueso serve exited {server.returncode}: {(work / 'serve.log').read_text()[-2000:]}")
            return
        status, body = get(f"{base}/entity/{entity['id']}")
        page = body.decode("utf-8", "replace")
        if status != 200:
            fail(f"/entity/{entity['id']} answered {status}")
            return
        if entity["name"] not in page:
            fail("the entity page does not name its entity")
        assets = re.findall(r'<(?:script[^>]*\bsrc|link[^>]*\bhref)="(/static/[^"]+)"', page)
        for needed in ("/static/vendor/cytoscape/cytoscape.min.js",
                       "/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/leaflet.css"):
            if needed not in assets:
                fail(f"the entity page does not reference {needed} (front-end missing from the wheel?)")
        for asset in assets:
            status, body = get(base + asset)
            if status != 200 or not body:
                fail(f"{asset} answered {status} ({len(body)} bytes)")
        print(f"    entity page: 200, {len(assets)} assets, all 200", flush=True)
        status, body = get(f"{base}/api/entities/{entity['id']}/graph")
        if status != 200 or not json.loads(body).get("nodes"):
            fail(f"/api/entities/{entity['id']}/graph answered {status} without nodes")
        status, body = get(f"{base}/docs")
        scripts = re.findall(r'src="(/static/vendor/[^"]+)"', body.decode("utf-8", "replace"))
        if status != 200 or not scripts or any(get(base + s)[0] != 200 for s in scripts):
            fail(f"/docs answered {status} or its API browser scripts {scripts} are missing")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def main(argv: list[str]) -> int:
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="sabueso-smoke-"))
    keep = os.environ.get("SMOKE_KEEP")
    try:
        wheel = Path(argv[0]).resolve() if argv else build_wheel(work / "dist")
        names = set(zipfile.ZipFile(wheel).namelist())
        for member in WHEEL_MUST_HOLD:
            if member not in names:
                fail(f"the wheel lacks {member}")
        venv = install(wheel, work)
        sabueso = str(venv / "bin" / "sabueso")
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONPATH", "VIRTUAL_ENV", "SABUESO_DB")}
        env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '')}"
        env["COLUMNS"] = "200"
        where = run([str(venv / "bin" / "python"), "-c", "import sabueso; print(sabueso.__file__)"],
                    cwd=work, env=env).stdout.strip()
        if not where.startswith(str(venv)):
            fail(f"sabueso was imported from {where}, not from the venv")
        version = run([sabueso, "--version"], cwd=work, env=env).stdout.strip()
        if not re.fullmatch(r"sabueso \S+", version) or version.split()[1] not in wheel.name:
            fail(f"`sabueso --version` printed {version!r} for {wheel.name}")

        inputs = write_inputs(work / "in")
        db = work / "smoke.db"
        step("ingesting " + " ".join(p.name for p in inputs))
        result = run([sabueso, "ingest", *map(str, inputs), "--db", str(db)], cwd=work, env=env,
                     check=False)
        expected = len(inputs) + 1                      # the JSONL file holds two documents
        summary = f"{expected} added, 0 already stored, 0 failed or skipped"
        if result.returncode != 0 or summary not in result.stdout:
            fail(f"ingest exited {result.returncode}, expected {summary!r}:\n"
                 f"{result.stdout[-2000:]}{result.stderr[-3000:]}")
        else:
            print(f"    {summary}", flush=True)

        step("sabueso extract article.txt --json")
        result = run([sabueso, "extract", str(work / "in" / "article.txt"), "--json"], cwd=work, env=env)
        try:
            data = json.loads(result.stdout)
            names = {e["name"] for e in data["entities"]}
            if GROUP not in names or not data["relations"]:
                fail(f"extract found entities {sorted(names)} and {len(data['relations'])} relations")
            else:
                print(f"    {len(data['entities'])} entities, {len(data['relations'])} relations",
                      flush=True)
        except (ValueError, KeyError) as exc:
            fail(f"extract --json did not print the JSON object ({exc}): {result.stdout[:500]}")

        entities = json.loads(run([sabueso, "entities", "--json", "--db", str(db)], cwd=work,
                                  env=env).stdout or "[]")
        groups = ([e for e in entities if e["type"] == "CriminalGroup"]
                  or [e for e in entities if e.get("lat") is not None] or entities)
        if not groups:
            fail("no entity was stored")
        else:
            serve_and_fetch(sabueso, db, work, env, groups[0])

        for fmt in FORMATS:
            out = work / "export" / (fmt if fmt in ("csv", "neo4j") else f"graph.{fmt}")
            result = run([sabueso, "export", "--format", fmt, "--output", str(out), "--db", str(db)],
                         cwd=work, env=env)
            counts = [int(n) for n in re.findall(r": (\d+)", result.stdout)]
            empty = [p for p in ([out] if out.is_file() else list(out.glob("*")))
                     if p.stat().st_size == 0]
            if result.returncode or not counts or 0 in counts or not out.exists() or empty:
                fail(f"export --format {fmt}: counts {counts}, empty files {empty}:\n{result.stdout}")
            else:
                print(f"    export {fmt}: " + "; ".join(
                    line.split("/")[-1] for line in result.stdout.splitlines()[1:]), flush=True)
    finally:
        if keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    took = time.monotonic() - started
    if failures:
        print(f"SMOKE TEST FAILED: {len(failures)} problem(s) in {took:.0f} s")
        return 1
    print(f"smoke test passed in {took:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
