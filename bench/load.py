"""Bounded load test of ``sabueso serve`` on loopback.

Usage: python bench/load.py [--clients 50] [--seconds 30] [--auth] [--json]

Ingests four short invented articles into a temporary database, starts ``sabueso serve`` on a
free 127.0.0.1 port (with ``--auth``: behind a reader token, sent by every client), then runs
N concurrent clients (httpx.AsyncClient, keep-alive) for a fixed time, each issuing a mix of
GETs: entity page, API entity, search page, API search. Prints requests/s, latency p50/p95/
p99/max and the errors (any status >= 400, or a failed connection). Everything stops at the
deadline; the server is stopped at the end, also on errors.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

ARTICLES = {  # invented names and places, written for this benchmark
    "halcones.txt": "Los Halcones Grises is a criminal gang based in Puerto Niebla. The gang is "
    "led by Ramiro Vellano Tusca, alias \"El Tejón\", according to police investigators. The "
    "group allegedly extorts shopkeepers in Villa Señal and traffics cocaine through the port. "
    "Prosecutors say Los Halcones Grises is a rival of La Banda del Muelle. In 2021, members of "
    "Los Halcones Grises attacked a police post in Puerto Niebla. The gang has more than 300 "
    "members.",
    "muelle.txt": "La Banda del Muelle controls the fish market of Puerto Niebla, according to "
    "the regional prosecutor. Its leader, Tomasa Quiroga Mendaro, was arrested in 2022 in Cerro "
    "Alto. The group reportedly launders money through two transport companies and is allied "
    "with Los Zorzales.",
    "zorzales.txt": "Los Zorzales is a drug trafficking network that operates in Cerro Alto and "
    "Bahía Quieta. Police say the network is led by Celio Ibarlucea. In 2020 the network "
    "allegedly bribed officials of the Bahía Quieta customs office. Los Zorzales denied any "
    "link with La Banda del Muelle.",
    "garzas.txt": "Las Garzas Negras, a prison gang, was founded in the San Ulpiano prison in "
    "2015. Its leader, Brunilda Soroche, is serving a sentence there. The gang reportedly runs "
    "extortion from inside the prison and has about 120 members in Villa Señal.",
}
TOKEN = "bench-reader-token-0123456789"
SEARCHES = ["niebla", "halcones", "tejon", "prison", "cocaine", "muelle zorzales", "extortion"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "sabueso.cli", *args]


def build_db(folder: Path) -> Path:
    articles = folder / "articles"
    articles.mkdir()
    for name, text in ARTICLES.items():
        (articles / name).write_text(text, encoding="utf-8")
    db = folder / "load.db"
    subprocess.run(cli("ingest", str(articles), "--db", str(db)), check=True, timeout=600,
                   stdout=subprocess.DEVNULL)
    return db


def start_server(db: Path, port: int, auth: bool) -> subprocess.Popen:
    env = dict(os.environ)
    env.pop("SABUESO_TOKENS", None)
    if auth:
        env["SABUESO_TOKENS"] = f"reader:{TOKEN}"
    proc = subprocess.Popen(cli("serve", "--host", "127.0.0.1", "--port", str(port),
                                "--db", str(db)), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    headers = {"Authorization": f"Bearer {TOKEN}"} if auth else {}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", headers=headers,
                         timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop(proc)
    raise SystemExit("the server did not start within 120 s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(15)


def urls_for(base: str, headers: dict) -> list[str]:
    items = httpx.get(f"{base}/api/entities", headers=headers, timeout=10).json()["items"]
    ids = [e["id"] for e in items if e["type"] in ("CriminalGroup", "Person", "Place")][:12]
    if not ids:
        raise SystemExit("no entities were extracted")
    return ([f"/entity/{i}" for i in ids] + [f"/api/entities/{i}" for i in ids]
            + [f"/search?q={q}" for q in SEARCHES] + [f"/api/search?q={q}" for q in SEARCHES])


async def client(n: int, http: httpx.AsyncClient, urls: list[str], deadline: float,
                 latencies: list[float], errors: Counter) -> None:
    rng = random.Random(n)
    while time.monotonic() < deadline:
        url = rng.choice(urls)
        t0 = time.perf_counter()
        try:
            r = await http.get(url)
            if r.status_code >= 400:
                errors[f"HTTP {r.status_code} {url.split('?')[0].rsplit('/', 1)[0]}"] += 1
        except httpx.HTTPError as exc:
            errors[type(exc).__name__] += 1
        latencies.append(time.perf_counter() - t0)


async def run(base: str, headers: dict, urls: list[str], clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: Counter = Counter()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits,
                                 timeout=30) as http:
        start = time.monotonic()
        await asyncio.gather(*(client(i, http, urls, start + seconds, latencies, errors)
                               for i in range(clients)))
        elapsed = time.monotonic() - start
    latencies.sort()

    def pct(p: float) -> float:
        return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)
    return {"clients": clients, "seconds": round(elapsed, 1), "requests": len(latencies),
            "requests_per_s": round(len(latencies) / elapsed, 1), "p50_ms": pct(0.50),
            "p95_ms": pct(0.95), "p99_ms": pct(0.99), "max_ms": pct(1.0),
            "errors": sum(errors.values()), "error_kinds": dict(errors)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--auth", action="store_true", help="serve behind a reader token")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args()
    clients, seconds = max(1, min(args.clients, 500)), max(1.0, min(args.seconds, 600.0))
    with tempfile.TemporaryDirectory(prefix="sabueso-load-") as tmp:
        db = build_db(Path(tmp))
        port = free_port()
        proc = start_server(db, port, args.auth)
        try:
            base = f"http://127.0.0.1:{port}"
            headers = {"Authorization": f"Bearer {TOKEN}"} if args.auth else {}
            urls = urls_for(base, headers)
            result = asyncio.run(run(base, headers, urls, clients, seconds))
        finally:
            stop(proc)
    result["auth"] = args.auth
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['clients']} clients, {result['seconds']} s, auth {'on' if args.auth else 'off'}: "
          f"{result['requests']} requests, {result['requests_per_s']} req/s; latency p50 "
          f"{result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms, max "
          f"{result['max_ms']} ms; errors {result['errors']} {result['error_kinds'] or ''}")


if __name__ == "__main__":
    main()
