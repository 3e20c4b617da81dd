"""Parallel ingest on Dask (``sabueso ingest --workers N``) gives the single-process result.

Starts a local cluster of two worker processes once for the module (a few seconds: each
worker loads the spaCy model once).
"""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="dask[distributed] is not installed")

from sqlalchemy import text  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from sabueso.cli import app  # noqa: E402
from sabueso.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = [ROOT / "samples", ROOT / "tests" / "corpus" / "en"]
N_SAMPLES = len(list(CORPUS[0].glob("*.txt")))
N_DOCS = N_SAMPLES + len(list(CORPUS[1].glob("*.txt")))      # the corpus grows: counted, not fixed
runner = CliRunner()

FACTS = text("""
    SELECT c.type, s.name, COALESCE(o.name, c.object_value), c.modality
    FROM claims c JOIN entities s ON s.id = c.subject_id
    LEFT JOIN entities o ON o.id = c.object_id""")


def snapshot(db: Path) -> tuple[dict, set]:
    with Store.open(db) as store:
        with store.engine.connect() as conn:
            facts = {tuple(r) for r in conn.execute(FACTS)}
        return store.table_counts(), facts


def ingest(db: Path, *args: str, paths=CORPUS):
    return runner.invoke(app, ["ingest", *map(str, paths), "--db", str(db), *args])


@pytest.fixture(scope="module")
def single(tmp_path_factory) -> tuple[dict, set]:
    db = tmp_path_factory.mktemp("single") / "one.db"
    res = ingest(db)
    assert res.exit_code == 0, res.output
    return snapshot(db)


def test_two_workers_equal_single_process(tmp_path: Path, single) -> None:
    db = tmp_path / "two.db"
    res = ingest(db, "--workers", "2")
    assert res.exit_code == 0, res.output
    counts, facts = snapshot(db)
    assert counts == single[0]
    assert counts["documents"] == N_DOCS and counts["claims"] > 0
    assert facts == single[1]
    res = ingest(db, "--workers", "2")                   # everything is stored: nothing to do
    assert res.exit_code == 0 and f"0 added, {N_DOCS} already stored" in res.output
    assert snapshot(db)[0] == counts


def test_resume_skips_committed_documents(tmp_path: Path, single) -> None:
    db = tmp_path / "resume.db"
    assert ingest(db, paths=[CORPUS[0]]).exit_code == 0  # an "interrupted" run: samples/ only
    from distributed import Client, LocalCluster
    from sabueso.distributed import ingest_parallel
    problems: list = []
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client, Store.open(db) as store:
        submitted: list[str] = []
        real_submit = client.submit

        def spy(fn, docs, *a, **kw):              # each task is a batch of documents
            submitted.extend(d.id for d in docs)
            return real_submit(fn, docs, *a, **kw)
        client.submit = spy
        added, skipped = ingest_parallel(CORPUS, store, lambda *p: problems.append(p), client=client)
    assert (added, skipped, problems) == (N_DOCS - N_SAMPLES, N_SAMPLES, [])
    assert len(submitted) == N_DOCS - N_SAMPLES                          # the stored four were never submitted
    assert snapshot(db) == single


def test_bad_inputs_are_reported(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("Corvan Melk leads the Banda Quiral in Puerto Velo.\n",
                                     encoding="utf-8")
    res = ingest(tmp_path / "bad.db", "--workers", "1", paths=[tmp_path])
    assert res.exit_code == 2
    assert "empty.txt" in res.output and "1 added" in res.output


def test_one_failing_document_fails_alone_in_its_batch(monkeypatch) -> None:
    """A batch task whose joint parse fails extracts each document on its own: the good ones
    come back "ok" in order, the bad one as an error line."""
    import sabueso.extract as extract
    import sabueso.extract.llm as llm
    from sabueso.core import Document
    from sabueso.distributed.tasks import extract_batch_task

    def broken_batch(docs, batch_size=32):
        raise ValueError("batch parse broke")
    real = llm.extract_with

    def one(doc, extractor):
        if "Broken" in doc.text:
            raise RuntimeError("cannot read this one")
        return real(doc, extractor)
    monkeypatch.setattr(extract, "extract_documents", broken_batch)
    monkeypatch.setattr(llm, "extract_with", one)
    docs = [Document(text="Corvan Melk leads the Banda Quiral in Puerto Velo.", lang="en"),
            Document(text="Broken text.", lang="en"),
            Document(text="The Banda Quiral operates in San Tolmo.", lang="en")]
    out = extract_batch_task(docs)
    assert [s for s, _ in out] == ["ok", "error", "ok"]
    assert out[1][1] == "RuntimeError: cannot read this one"
    assert out[0][1].document is docs[0] and out[2][1].document is docs[2]
