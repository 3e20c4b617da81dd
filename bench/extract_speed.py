"""Extraction speed relative to bare spaCy on the same texts (issue: within 2x).

Usage: python bench/extract_speed.py [FILES...]   (default: samples/ and tests/corpus/en)
Prints words/s for bare `nlp.pipe` and for the full extractor, and their ratio.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from sabueso.core import Document
from sabueso.extract import extract_document
from sabueso.nlp import get_nlp
from sabueso.nlp.pipeline import bare_nlp

ROOT = Path(__file__).resolve().parent.parent


def main(paths: list[str]) -> None:
    files = [Path(p) for p in paths] or sorted((ROOT / "samples").glob("*.txt")) + \
        sorted((ROOT / "tests" / "corpus" / "en").glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files] * 3
    words = sum(len(t.split()) for t in texts)
    bare = bare_nlp("en")
    get_nlp("en")
    extract_document(Document(text=texts[0], lang="en"))      # warm caches (gazetteer, lexicon)
    t0 = time.perf_counter()
    for _ in bare.pipe(texts):
        pass
    t_bare = time.perf_counter() - t0
    t0 = time.perf_counter()
    for t in texts:
        extract_document(Document(text=t, lang="en"))
    t_full = time.perf_counter() - t0
    print(f"documents {len(texts)}, words {words}")
    print(f"bare spaCy   {words / t_bare:9.0f} words/s")
    print(f"full extract {words / t_full:9.0f} words/s")
    print(f"ratio full/bare time: {t_full / t_bare:.2f}x  (target <= 2x)")


if __name__ == "__main__":
    main(sys.argv[1:])
