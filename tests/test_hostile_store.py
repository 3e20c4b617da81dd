"""Hostile input at the store (issue 22): processes racing to create a new database, and NUL
characters, which SQLite stores and PostgreSQL refuses. The PostgreSQL twins of these tests
are in ``test_postgres.py``. Every text is invented."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from sabueso.cli import app

# A child process: imports the store, says it is ready, then at each go<k> signal opens (and
# so creates) database k; one result line per database.
_OPENER = """
import pathlib, sys, time
from sabueso.store import Store
signals, out, urls = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3:]
out.write_text("")
for k, url in enumerate(urls):
    while not (signals / f"go{k}").exists():
        time.sleep(0.001)
    try:
        Store.open(url).close()
        result = "ok"
    except Exception as exc:
        result = (type(exc).__name__ + ": " + str(exc)).splitlines()[0]
    with out.open("a") as fh:
        fh.write(result + "\\n")
"""


def race_open(urls: list[str], folder: Path, processes: int = 3) -> list[str]:
    """Start ``processes`` processes that each open every URL of ``urls`` at the same moment
    as the others (one database after another); their result lines, all together."""
    outs = [folder / f"opener{i}.out" for i in range(processes)]
    children = [subprocess.Popen([sys.executable, "-c", _OPENER, str(folder), str(out), *urls])
                for out in outs]
    try:
        _wait(lambda: all(out.exists() for out in outs))
        for k in range(len(urls)):
            (folder / f"go{k}").touch()
            _wait(lambda: all(len(out.read_text().splitlines()) > k for out in outs))
    finally:
        for child in children:
            child.wait(timeout=60)
    return [line for out in outs for line in out.read_text().splitlines()]


def _wait(done, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "the opener processes did not answer"
        time.sleep(0.005)


def test_processes_creating_one_new_sqlite_file_at_once_all_succeed(tmp_path) -> None:
    """Python's sqlite3 runs DDL outside a transaction: 3 runs in 7 of two processes failed
    with 'table documents already exists', 'table alembic_version already exists' or
    'database is locked'."""
    dbs = [tmp_path / f"race{k}.db" for k in range(5)]
    results = race_open([str(db) for db in dbs], tmp_path)
    assert results == ["ok"] * (3 * len(dbs)), results
    for db in dbs:
        con = sqlite3.connect(db)
        try:
            versions = con.execute("SELECT version_num FROM alembic_version").fetchall()
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            con.close()
        assert len(versions) == 1 and {"documents", "claims", "entities"} <= tables


# -- NUL characters: dropped at ingest, so both stores keep the same document -------------------

NUL_LINES = [
    {"text": "The Grey Herons gang\u0000 operates in Puerto Niebla. Its leader is Ramiro "
             "Vellano Tusca, police said.", "title": "Herons\u0000 report"},
    {"text": "\u0000\u0000"},
    {"text": "The Blue Pumas clan operates in Villa Señal.", "publisher": "Diario\u0000 Test"},
]


def write_nul_jsonl(folder: Path) -> Path:
    f = folder / "nul.jsonl"
    f.write_text("\n".join(json.dumps(row) for row in NUL_LINES) + "\n", encoding="utf-8")
    return f


def ingest_nul_jsonl(folder: Path, db: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, ["ingest", str(write_nul_jsonl(folder)), "--db", db])
    return r.exit_code, r.stderr


def stored_documents(store) -> list[tuple]:
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT title, text, publisher, path FROM documents").fetchall()
    return sorted(tuple(row) for row in rows)


def test_nul_characters_in_jsonl_are_dropped(tmp_path) -> None:
    from sabueso.store import Store
    db = tmp_path / "nul.db"
    code, err = ingest_nul_jsonl(tmp_path, str(db))
    assert code == 2 and err.count("nul.jsonl:2: empty \"text\" field") == 1, err
    with Store.open(db) as store:
        docs = stored_documents(store)
    assert [d[:3] for d in docs] == [
        ("", "The Blue Pumas clan operates in Villa Señal.", "Diario Test"),
        ("Herons report", NUL_LINES[0]["text"].replace("\x00", ""), None)]
    assert not any("\x00" in str(v) for d in docs for v in d)
