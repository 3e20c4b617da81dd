"""The CLI end to end: ingest, idempotence, show, entities, bad input."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sabueso.cli import app

from .conftest import ROOT, SEED_TXT, needs_shared

runner = CliRunner()


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory):
    if not SEED_TXT.exists():
        pytest.skip("../shared/eval is not present beside the repo")
    db = tmp_path_factory.mktemp("db") / "seed.db"
    r = runner.invoke(app, ["ingest", str(SEED_TXT), "--db", str(db)])
    assert r.exit_code == 0, r.output
    return db


def _counts(db) -> dict:
    from sabueso.store import Store
    with Store.open(str(db)) as s:
        return s.table_counts()


@needs_shared
def test_ingesting_twice_changes_no_table(seeded_db):
    before = _counts(seeded_db)
    assert before["documents"] == 1 and before["claims"] > 20
    r = runner.invoke(app, ["ingest", str(SEED_TXT), "--db", str(seeded_db)])
    assert r.exit_code == 0, r.output
    assert "1 already stored" in r.output
    assert _counts(seeded_db) == before


@needs_shared
def test_show_group_names_leader_with_alias_and_quote(seeded_db):
    r = runner.invoke(app, ["show", "Tren de Aragua", "--db", str(seeded_db)], terminal_width=400)
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "… leads Tren de Aragua" in out and "LEADER_OF" not in out     # words, not codes
    assert "Héctor Rusthenford Guerrero Flores" in out
    assert "The leader of the Tren de Aragua is Héctor Rusthenford Guerrero Flores" in out


@needs_shared
def test_show_by_alias_finds_the_same_person(seeded_db):
    r1 = runner.invoke(app, ["show", "Niño Guerrero", "--db", str(seeded_db)], terminal_width=400)
    r2 = runner.invoke(app, ["show", "Héctor Rusthenford Guerrero Flores", "--db", str(seeded_db)], terminal_width=400)
    assert r1.exit_code == 0 and r2.exit_code == 0
    first = lambda out: next(l for l in out.splitlines() if "Person" in l)
    assert first(r1.output) == first(r2.output)
    assert "Niño Guerrero" in r1.output


@needs_shared
def test_entities_json_shape(seeded_db):
    r = runner.invoke(app, ["entities", "--json", "--db", str(seeded_db)])
    assert r.exit_code == 0
    rows = json.loads(r.output)
    assert rows and set(rows[0]) == {"id", "type", "name", "aliases", "country", "lat", "lon", "documents"}
    assert any(x["name"] == "Tren de Aragua" and x["type"] == "CriminalGroup" for x in rows)


def test_extract_json_carries_offsets(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("The Nueve Lunas gang is led by Mateo Arrieta, alias “Tiburón.” It operates in Honduras.",
                 encoding="utf-8")
    r = runner.invoke(app, ["extract", str(f), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    text = f.read_text(encoding="utf-8")
    assert data["relations"]
    for rel in data["relations"]:
        assert text[rel["start"]:rel["end"]] == rel["evidence"]


@pytest.mark.parametrize("kind", ["missing", "empty", "binary"])
def test_bad_input_gets_a_clear_error(tmp_path, kind):
    f = tmp_path / "bad.txt"
    if kind == "empty":
        f.write_text("")
    elif kind == "binary":
        f.write_bytes(bytes(range(256)) * 10)
    r = runner.invoke(app, ["extract", str(f), "--json"])
    assert r.exit_code != 0
    assert "bad.txt" in r.output
    words = {"missing": "no such file", "empty": "empty", "binary": "binary"}[kind]
    assert words in " ".join(r.output.lower().split())
    db = tmp_path / "x.db"
    r = runner.invoke(app, ["ingest", str(f), "--db", str(db)])
    assert r.exit_code != 0 and "bad.txt" in r.output


def test_samples_are_ingested_and_group_shown(tmp_path):
    db = tmp_path / "demo.db"
    r = runner.invoke(app, ["ingest", str(ROOT / "samples"), "--db", str(db)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["show", "Tren de Aragua", "--db", str(db)], terminal_width=300)
    assert r.exit_code == 0 and "Criminal group" in r.output and "CriminalGroup" not in r.output


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_llm_extractor_without_configuration_says_what_to_set(tmp_path, monkeypatch, command):
    for var in ("SABUESO_LLM_BASE_URL", "SABUESO_LLM_MODEL", "SABUESO_LLM_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SABUESO_CONFIG", str(tmp_path / "none.toml"))
    f = tmp_path / "a.txt"
    f.write_text("The Nueve Lunas gang operates in Honduras.", encoding="utf-8")
    args = [command, str(f), "--extractor", "llm"] + (["--db", str(tmp_path / "x.db")] if command == "ingest" else [])
    r = runner.invoke(app, args)
    assert r.exit_code == 2
    out = " ".join(r.output.split())
    assert "SABUESO_LLM_BASE_URL" in out and "SABUESO_LLM_MODEL" in out
    if command == "ingest":
        assert not (tmp_path / "x.db").exists() or "documents" not in out


def test_extract_refuses_a_text_over_the_length_cap(tmp_path, monkeypatch):
    import sabueso.cli as cli
    monkeypatch.setattr(cli, "MAX_EXTRACT_CHARS", 50)
    f = tmp_path / "long.txt"
    f.write_text("The Nueve Lunas gang operates in Honduras. " * 5, encoding="utf-8")
    r = runner.invoke(app, ["extract", str(f), "--json"])
    assert r.exit_code == 2
    assert "too long" in " ".join(r.output.split()) and "long.txt" in r.output
