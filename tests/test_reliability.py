"""Bad input through ``sabueso ingest`` (in-process, typer's CliRunner) and ``sabueso check``.

Each bad item gets exactly one line naming the file (and line) and why; the rest of the batch
is still stored and the exit code is non-zero; ``--strict`` stops at the first. Every text is
invented for these tests.
"""
from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sabueso.cli import MAX_EXTRACT_CHARS, app
from sabueso.core import Claim, Document, Entity, Extraction, Mention
from sabueso.store import Store

runner = CliRunner()
GOOD = ("Los Halcones Grises is a criminal gang based in Puerto Niebla. The gang is led by "
        "Ramiro Vellano Tusca, according to police investigators.")
LATIN = "La banda Los Tejones Rojos opera en Villa Señal. Su jefe es Tomás Ibáñez Cuervo."


def ingest(*args) -> tuple[int, str, str]:
    r = runner.invoke(app, ["ingest", *map(str, args)])
    return r.exit_code, r.stdout, r.stderr


def stored(db: Path) -> list[dict]:
    con = sqlite3.connect(db)
    try:
        return [{"path": p, "text": t} for p, t in con.execute("SELECT path, text FROM documents")]
    finally:
        con.close()


def good_file(tmp_path: Path) -> Path:
    f = tmp_path / "good.txt"
    f.write_text(GOOD, encoding="utf-8")
    return f


def lines_naming(output: str, name: str) -> list[str]:
    return [line for line in output.splitlines() if name in line]


# -- refused kinds: one line each, the good file still stored, exit code 2 ----------------------
def _pdf_broken(p: Path) -> None:
    p.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthis is not a pdf")


def _html_scripts_only(p: Path) -> None:
    p.write_text("<html><head><script>var a = 'Los Pumas Azules';</script></head><body>"
                 + "<script>document.write('x')</script>" * 50 + "</body></html>")


BAD = {  # kind: (file name, writer, words the line must contain)
    "empty": ("bad.txt", lambda p: p.write_bytes(b""), "empty file"),
    "blank": ("bad.md", lambda p: p.write_text("  \n\n\t \n"), "empty file"),
    "binary": ("bad.txt", lambda p: p.write_bytes(bytes(range(256)) * 40), "binary file"),
    "binary-pdf": ("bad.pdf", lambda p: p.write_bytes(b"\x00\x01\x02" * 300), "not a valid pdf"),
    "malformed-pdf": ("bad.pdf", _pdf_broken, "not a valid pdf"),
    "html-only-scripts": ("bad.html", _html_scripts_only, "no article text"),
    "missing": ("bad.txt", None, "no such file"),
    "unsupported": ("bad.docx", lambda p: p.write_bytes(b"PK\x03\x04"), "unsupported file type"),
    "corrupt-gzip": ("bad.txt.gz", lambda p: p.write_bytes(b"\x1f\x8b\x08garbage"), "corrupt gzip"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_input_one_line_rest_of_batch_stored(tmp_path, kind) -> None:
    name, write, words = BAD[kind]
    bad = tmp_path / name
    if write:
        write(bad)
    db = tmp_path / "x.db"
    code, out, err = ingest(bad, good_file(tmp_path), "--db", db)
    assert code == 2, (out, err)
    named = lines_naming(err, name)
    assert len(named) == 1, err                        # one line, naming the file...
    assert words in named[0].lower(), named            # ...and saying why
    assert [d["path"] for d in stored(db)] == [str(tmp_path / "good.txt")]
    assert "1 added, 0 already stored, 1 failed or skipped" in out


def test_jsonl_with_one_broken_line_names_the_line(tmp_path) -> None:
    f = tmp_path / "batch.jsonl"
    rows = [json.dumps({"text": GOOD, "title": "one"}), '{"text": "broken',
            json.dumps({"text": LATIN, "title": "three"}), json.dumps({"title": "no text"})]
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / "x.db"
    code, out, err = ingest(f, "--db", db)
    assert code == 2
    named = lines_naming(err, "batch.jsonl")
    assert len(named) == 2, err
    assert "batch.jsonl:2: invalid JSON" in named[0] and "batch.jsonl:4:" in named[1]
    assert sorted(d["path"] for d in stored(db)) == [f"{f}#L1", f"{f}#L3"]
    assert "2 added, 0 already stored, 2 failed or skipped" in out


def test_strict_stops_at_the_first_bad_input(tmp_path) -> None:
    empty = tmp_path / "a_empty.txt"
    empty.write_bytes(b"")
    later = tmp_path / "z_later.txt"
    later.write_text(LATIN, encoding="utf-8")
    db = tmp_path / "x.db"
    code, out, err = ingest(good_file(tmp_path), empty, later, "--db", db, "--strict")
    assert code != 0 and "a_empty.txt: empty file" in err and "--strict" in err
    assert [d["path"] for d in stored(db)] == [str(tmp_path / "good.txt")]   # z_later never read
    code, out, err = ingest(good_file(tmp_path), empty, later, "--db", db)   # without: all read
    assert code == 2 and len(stored(db)) == 2


def test_extractor_failure_is_one_line_and_the_batch_goes_on(tmp_path, monkeypatch) -> None:
    import sabueso.cli as cli_module
    real = cli_module._run_extractor

    def flaky(document, extractor):
        if "Tejones" in document.text:
            raise ValueError("boom\nsecond line [bold]x[/bold]")
        return real(document, extractor)
    monkeypatch.setattr(cli_module, "_run_extractor", flaky)
    latin = tmp_path / "a_latin.txt"
    latin.write_text(LATIN, encoding="utf-8")
    db = tmp_path / "x.db"
    code, out, err = ingest(latin, good_file(tmp_path), "--db", db)
    assert code == 2 and lines_naming(err, "a_latin.txt") == [
        f"failed {latin}: ValueError: boom second line [bold]x[/bold]"]
    assert [Path(d["path"]).name for d in stored(db)] == ["good.txt"]
    code, out, err = ingest(latin, tmp_path / "z.txt", "--db", tmp_path / "y.db", "--strict")
    assert code == 2 and "z.txt" not in err and not stored(tmp_path / "y.db")


def test_markup_in_file_names_is_printed_verbatim(tmp_path) -> None:
    bad = tmp_path / "[red]odd[dim].txt"
    bad.write_bytes(b"")
    code, _, err = ingest(bad, "--db", tmp_path / "x.db")
    assert code == 2 and "[red]odd[dim].txt: empty file" in err


# -- accepted, though unusual -----------------------------------------------------------------
def test_invalid_utf8_and_latin1_are_ingested(tmp_path) -> None:
    broken = tmp_path / "broken_utf8.txt"
    broken.write_bytes(GOOD.encode("utf-8") + b" Se\xf1al \xff\xfe final. " + "Señal ñandú.".encode())
    latin = tmp_path / "latin1.txt"
    latin.write_bytes(LATIN.encode("latin-1"))
    db = tmp_path / "x.db"
    code, out, err = ingest(broken, latin, "--db", db)
    assert code == 0, err
    texts = {Path(d["path"]).name: d["text"] for d in stored(db)}
    assert "Villa Señal" in texts["latin1.txt"] and "Tomás Ibáñez" in texts["latin1.txt"]
    assert texts["broken_utf8.txt"].startswith(GOOD) and "Señal ñandú" in texts["broken_utf8.txt"]
    assert "\ufffd" in texts["broken_utf8.txt"]        # the broken bytes are marked, not guessed


def test_html_full_of_scripts_keeps_only_the_article(tmp_path) -> None:
    page = tmp_path / "page.html"
    noise = "<script>var crew = 'Los Pumas Azules'; document.write('<b>x</b>');</script>" * 30
    page.write_text(f"<html><head><title>Harbour</title>{noise}<style>p{{color:red}}</style>"
                    f"</head><body>{noise}<article><p>{GOOD}</p><p>{LATIN}</p></article>"
                    f"<noscript>Enable scripts</noscript>{noise}</body></html>", encoding="utf-8")
    db = tmp_path / "x.db"
    code, _, err = ingest(page, "--db", db)
    assert code == 0, err
    (doc,) = stored(db)
    assert "Ramiro Vellano Tusca" in doc["text"]
    assert "Pumas Azules" not in doc["text"] and "document.write" not in doc["text"]
    with Store.open(db) as s:
        names = {e["name"] for e in s.list_entities()}
    assert "Los Pumas Azules" not in names


def test_100_mb_text_is_refused_quickly_with_a_clear_line(tmp_path) -> None:
    huge = tmp_path / "huge.txt"
    line = (GOOD + "\n").encode()
    with huge.open("wb") as fh:
        block = line * (1_000_000 // len(line))
        while fh.tell() < 100_000_000:
            fh.write(block)
    db = tmp_path / "x.db"
    t0 = time.monotonic()
    code, out, err = ingest(huge, good_file(tmp_path), "--db", db)
    elapsed = time.monotonic() - t0
    named = lines_naming(err, "huge.txt")
    assert code == 2 and len(named) == 1, err
    assert "too long to extract" in named[0] and f"{MAX_EXTRACT_CHARS:,}" in named[0]
    assert [Path(d["path"]).name for d in stored(db)] == ["good.txt"]
    assert elapsed < 60, f"100 MB took {elapsed:.1f}s"
    print(f"\n100 MB text refused after {elapsed:.1f}s")


# -- sabueso check ----------------------------------------------------------------------------
def extraction(text: str, group: str, place: str) -> Extraction:
    doc = Document(text=text, title=group)
    start = text.index(group)
    return Extraction(doc, [Entity("e1", "CriminalGroup", group), Entity("e2", "Place", place)],
                      [Mention(start, start + len(group), group, "CriminalGroup", "e1")],
                      [Claim("BASED_IN", "e1", "e2", text, 0, len(text))])


@pytest.fixture
def checked_db(tmp_path) -> Path:
    db = tmp_path / "c.db"
    with Store.open(db) as s:
        s.save_extraction(extraction("Los Halcones Grises are based in Puerto Niebla.",
                                     "Los Halcones Grises", "Puerto Niebla"))
        s.save_extraction(extraction("La Banda del Muelle is based in Villa Señal.",
                                     "La Banda del Muelle", "Villa Señal"))
    return db


def check(db: Path) -> tuple[int, dict]:
    r = runner.invoke(app, ["check", "--db", str(db), "--json"])
    return r.exit_code, (json.loads(r.stdout) if r.stdout.strip() else {})


def test_check_clean_database(checked_db) -> None:
    code, report = check(checked_db)
    assert code == 0 and report["ok"] and report["errors"] == 0, report
    assert {"sqlite", "orphans", "dangling", "empty-documents"} <= set(report["checks"])
    assert report["counts"]["documents"] == 2
    r = runner.invoke(app, ["check", "--db", str(checked_db)])
    assert r.exit_code == 0 and "0 error(s)" in r.stdout


def test_check_finds_orphans_dangling_ids_and_empty_documents(checked_db) -> None:
    con = sqlite3.connect(checked_db)          # another tool, foreign keys off
    doc_id, = con.execute("SELECT id FROM documents WHERE title = 'Los Halcones Grises'").fetchone()
    con.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
    eid, = con.execute("SELECT id FROM entities WHERE name = 'Villa Señal'").fetchone()
    con.execute("DELETE FROM entities WHERE id = ?", (eid,))
    con.execute("INSERT INTO documents (id, title, text) VALUES ('d-lonely', 'x', 'Nothing here.')")
    con.commit()
    con.close()
    code, report = check(checked_db)
    assert code == 1 and not report["ok"]
    found = {(f["check"], f["level"]) for f in report["findings"]}
    assert {("orphans", "error"), ("dangling", "error"), ("empty-documents", "warning")} <= found
    orphans = " ".join(f["message"] for f in report["findings"] if f["check"] == "orphans")
    assert "mentions" in orphans and "claims" in orphans
    dangling = [f for f in report["findings"] if f["check"] == "dangling"]
    assert any("object_id" in f["message"] for f in dangling)
    empty = [f for f in report["findings"] if f["check"] == "empty-documents"]
    assert "d-lonely" in empty[0]["examples"]
    r = runner.invoke(app, ["check", "--db", str(checked_db)])
    assert r.exit_code == 1 and "error: [orphans]" in r.stdout


def test_check_search_index_sync(checked_db) -> None:
    from sabueso.web.search import SearchIndex
    with Store.open(checked_db) as s:
        SearchIndex(s).refresh(force=True)
    code, report = check(checked_db)
    assert code == 0 and "search" in report["checks"] and not report["findings"], report
    con = sqlite3.connect(checked_db)          # the index loses a row, fingerprint unchanged
    con.execute("DELETE FROM web_search WHERE kind = 'entity' AND rowid = "
                "(SELECT min(rowid) FROM web_search WHERE kind = 'entity')")
    con.commit()
    con.close()
    code, report = check(checked_db)
    assert code == 1 and [f["check"] for f in report["findings"]] == ["search"]
    with Store.open(checked_db) as s:           # new data: stale, only a warning
        s.save_extraction(extraction("Los Zorzales are based in Cerro Alto.", "Los Zorzales",
                                     "Cerro Alto"))
    code, report = check(checked_db)
    assert code == 0 and [(f["check"], f["level"]) for f in report["findings"]] == [
        ("search", "warning")]


def test_check_missing_or_broken_database(tmp_path) -> None:
    r = runner.invoke(app, ["check", "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 2 and "no database" in r.stderr and not (tmp_path / "none.db").exists()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not an sqlite database at all" * 100)
    r = runner.invoke(app, ["check", "--db", str(junk)])
    assert r.exit_code == 2 and "cannot open" in r.stderr
    code, _, err = ingest(good_file(tmp_path), "--db", junk)
    assert code == 2 and "cannot open the database" in err and len(err.strip().splitlines()) == 1
    (tmp_path / "nothing").mkdir()
    code, out, err = ingest(tmp_path / "nothing", "--db", tmp_path / "y.db")
    assert code == 2 and "no supported files found" in err
