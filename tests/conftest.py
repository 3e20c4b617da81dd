"""Shared fixtures. Benchmark texts are read from ../shared (never copied into the repo)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
SEED_TXT = SHARED / "seed" / "tren-de-aragua.txt"
SEED_GOLD = SHARED / "seed" / "tren-de-aragua.gold.json"
CORPUS = Path(__file__).resolve().parent / "corpus"

needs_shared = pytest.mark.skipif(not SEED_TXT.exists(), reason="../shared/eval is not present beside the repo")


@pytest.fixture(scope="session")
def seed_prediction():
    if not SEED_TXT.exists():
        pytest.skip("../shared/eval is not present beside the repo")
    from sabueso.core import Document
    from sabueso.extract import extract_document
    doc = Document(text=SEED_TXT.read_text(encoding="utf-8"), title=SEED_TXT.name, path=str(SEED_TXT))
    return extract_document(doc).to_format(SEED_TXT.name)


@pytest.fixture(scope="session")
def seed_gold():
    if not SEED_GOLD.exists():
        pytest.skip("../shared/eval is not present beside the repo")
    return json.loads(SEED_GOLD.read_text(encoding="utf-8"))
