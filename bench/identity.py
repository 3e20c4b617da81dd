"""Cross-document identity on the annotated articles: B-cubed precision/recall of the Person
and CriminalGroup entities of one store holding them all (see sabueso/analyze/identity.py).

    python bench/identity.py                       # ../shared/eval and tests/corpus
    python bench/identity.py --db keep.db DIR ...  # chosen folders, store kept
    python bench/identity.py --db keep.db --reuse  # measure a store already filled (same files)
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sabueso.analyze.identity import gold_files, ingest, measure, report
from sabueso.store import Store

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT.parent / "shared" / "eval", ROOT / "tests" / "corpus"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", default=DEFAULT)
    ap.add_argument("--db", help="store file (default: a temporary one)")
    ap.add_argument("--reuse", action="store_true", help="do not ingest: the store holds them")
    args = ap.parse_args(argv)
    golds = gold_files(args.paths)
    db = args.db or str(Path(tempfile.mkdtemp()) / "identity.db")
    t = time.perf_counter()
    with Store.open(db) as store:
        if args.reuse:
            from sabueso.analyze.identity import document_ids
            docs = document_ids(golds)
            store.resolve()
        else:
            docs = ingest(store, golds)
        print(report(measure(store, docs)))
    print(f"{len(golds)} articles, {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
