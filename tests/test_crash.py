"""Crash safety: ``sabueso ingest`` killed with SIGKILL mid-batch leaves only whole documents;
``sabueso check`` finds nothing wrong; running the same ingest again resumes and ends with
every document stored exactly once, each exactly as an uninterrupted run stores it. Also: WAL
mode, so readers are not blocked by a writer's open transaction. Invented texts only."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sabueso.cli import app
from sabueso.core import Document, Entity, Extraction
from sabueso.store import Store

runner = CliRunner()
N_DOCS = 30
FIRST = ["Ramiro", "Tomasa", "Celio", "Brunilda", "Anselmo", "Olegaria"]
LAST = ["Vellano", "Tusca", "Quiroga", "Mendaro", "Ibarlucea", "Soroche"]
CREWS = ["Halcones Grises", "Tejones Rojos", "Pumas Azules", "Garzas Negras", "Zorzales"]
PLACES = ["Puerto Niebla", "Villa Señal", "Cerro Alto", "Bahía Quieta", "San Ulpiano"]


def article(i: int) -> str:
    crew, place = CREWS[i % 5], PLACES[(i // 5) % 5]
    boss = f"{FIRST[i % 6]} {LAST[(i // 2) % 6]}"
    return (f"Report {i}: Los {crew} is a criminal gang based in {place}. The gang is led by "
            f"{boss}, according to police investigators. In 2019 the group allegedly extorted "
            f"shopkeepers in {PLACES[(i + 2) % 5]}, and prosecutors say it is a rival of "
            f"Los {CREWS[(i + 1) % 5]}.")


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    for i in range(N_DOCS):
        (folder / f"doc_{i:02d}.txt").write_text(article(i), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def reference(batch, tmp_path_factory) -> dict:
    """Per document (path → mentions, claims, events, quantities) of an uninterrupted run."""
    db = tmp_path_factory.mktemp("ref") / "ref.db"
    r = runner.invoke(app, ["ingest", str(batch), "--db", str(db)])
    assert r.exit_code == 0, r.output
    return per_document(db)


def per_document(db: Path) -> dict:
    con = sqlite3.connect(db)
    try:
        out = {}
        for doc_id, path in con.execute("SELECT id, path FROM documents"):
            out[Path(path).name] = tuple(
                con.execute(f"SELECT count(*) FROM {t} WHERE doc_id = ?", (doc_id,)).fetchone()[0]
                for t in ("mentions", "claims", "events", "quantities"))
        return out
    finally:
        con.close()


def count_documents(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:      # not created yet, or the schema is being migrated
        return 0


def test_sigkill_mid_batch_then_check_and_resume(batch, reference, tmp_path) -> None:
    db = tmp_path / "crash.db"
    proc = subprocess.Popen([sys.executable, "-m", "sabueso.cli", "ingest", str(batch),
                             "--db", str(db)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 180
        while count_documents(db) < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, f"ingest ended before the kill: {proc.stderr.read()!r}"
        assert count_documents(db) >= 3, "no documents were committed in time"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    committed = per_document(db)
    assert 3 <= len(committed) < N_DOCS, len(committed)
    for name, counts in committed.items():       # every stored document is whole
        assert counts == reference[name], name

    r = runner.invoke(app, ["check", "--db", str(db), "--json"])
    report = json.loads(r.stdout)
    assert r.exit_code == 0 and report["errors"] == 0, report
    assert not [f for f in report["findings"] if f["check"] in ("orphans", "dangling")]

    r = runner.invoke(app, ["ingest", str(batch), "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert f"{N_DOCS - len(committed)} added, {len(committed)} already stored, 0 failed" in r.stdout
    assert per_document(db) == reference                  # all 30, each once and whole
    con = sqlite3.connect(db)
    paths = [p for (p,) in con.execute("SELECT path FROM documents")]
    con.close()
    assert len(paths) == len(set(paths)) == N_DOCS
    r = runner.invoke(app, ["check", "--db", str(db), "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["errors"] == 0


def test_wal_readers_are_not_blocked_by_an_open_write(tmp_path) -> None:
    db = tmp_path / "wal.db"
    store = Store.open(db)
    store.save_extraction(Extraction(Document(text="Los Zorzales run a crew in Cerro Alto."),
                                     [Entity("e1", "CriminalGroup", "Los Zorzales")]))
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # a reader holds a read transaction (a snapshot) open
    reader = sqlite3.connect(db, isolation_level=None, timeout=0.5)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    # a writer's transaction is open (uncommitted insert) while another reader reads
    writer = store.engine.connect()
    tx = writer.begin()
    writer.exec_driver_sql("INSERT INTO documents (id, title, text) VALUES ('d-new', 't', 'x')")
    other = sqlite3.connect(db, timeout=0.5)
    t0 = time.monotonic()
    assert other.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert time.monotonic() - t0 < 0.4                      # read at once, not after a wait
    # the writer commits while the reader's snapshot is still open (blocks without WAL)
    done = threading.Event()
    threading.Thread(target=lambda: (tx.commit(), done.set()), daemon=True).start()
    assert done.wait(5), "the commit waited for the reader"
    assert reader.execute("SELECT count(*) FROM documents").fetchone()[0] == 1   # its snapshot
    reader.execute("COMMIT")
    assert reader.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    for c in (reader, other):
        c.close()
    writer.close()
    store.close()
