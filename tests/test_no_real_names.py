"""No name of a real group or person is hard-coded in the package."""
import json
from pathlib import Path

from .conftest import CORPUS, SHARED

PKG = Path(__file__).resolve().parent.parent / "sabueso"


def test_package_holds_no_names_from_gold_files():
    names = set()
    golds = list(SHARED.rglob("*.gold.json")) + list(CORPUS.rglob("*.gold.json"))
    assert golds
    for g in golds:
        for e in json.loads(g.read_text(encoding="utf-8"))["entities"]:
            if e["type"] in ("Person", "CriminalGroup"):
                names.update(n for n in [e["name"], *e.get("aliases", [])] if len(n) >= 6)
    hits = []
    for f in PKG.rglob("*"):
        if "models" in f.relative_to(PKG).parts:
            continue   # a trained model's vocabulary (CoNLL newswire words), not a lexicon or rule
        if f.suffix in (".py", ".yaml", ".json", ".cfg", ".txt") and f.is_file():
            text = f.read_text(encoding="utf-8", errors="ignore")
            hits += [(n, str(f)) for n in names if n in text]
    assert not hits, hits
