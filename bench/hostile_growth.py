"""Growth of extraction time with text length on hostile inputs (issue 22).

Usage: python bench/hostile_growth.py [--sizes 10000,50000,200000] [--only a,b,c,d]

For each input kind, times ``extract_document`` at each size and prints the time per character
and its growth ratio from one size to the next (1.0 = linear). Target: per-character time at
200k at most 1.5x that at 50k, and no kind over 3x the per-character time of real prose.

(a) real prose: the files in samples/ repeated; (b) punctuation runs '#%!?' (random order, no
spaces); (c) text without spaces (random letters); (d) Markdown with thousands of '[' read
through the ingest reader (``read_markdown``, timed with the extraction).
"""
from __future__ import annotations

import argparse
import random
import resource
import time
from pathlib import Path

from sabueso.core import Document
from sabueso.extract import extract_document
from sabueso.ingest.textfile import read_markdown
from sabueso.nlp import get_nlp

ROOT = Path(__file__).resolve().parent.parent


def prose(n: int) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
    out, k = [], 0
    while sum(map(len, out)) < n:
        out.append(texts[k % len(texts)] + "\n\n")
        k += 1
    return "".join(out)[:n]


def punctuation(n: int) -> str:
    rnd = random.Random(n)
    return "".join(rnd.choice("#%!?") for _ in range(n))


def no_spaces(n: int) -> str:
    rnd = random.Random(n)
    return "".join(rnd.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                   for _ in range(n))


def markdown(n: int) -> str:
    rnd = random.Random(n)
    unit = "# Report\n\nThe [Foo gang](http://example.org/foo) operates in **Lima**. "
    parts, size = [], 0
    while size < n:
        part = rnd.choice([unit, "[" * rnd.randint(50, 400) + "\n\n", "![x [y [z " * 20 + "\n\n"])
        parts.append(part)
        size += len(part)
    return "".join(parts)[:n]


KINDS = {"a": ("real prose", prose, False), "b": ("punctuation runs", punctuation, False),
         "c": ("no spaces", no_spaces, False), "d": ("markdown brackets", markdown, True)}


def run(text: str, md: bool) -> float:
    t0 = time.perf_counter()
    if md:
        doc = read_markdown(text.encode("utf-8"), "bench.md")
        doc.lang = "en"
    else:
        doc = Document(text=text, lang="en")
    extract_document(doc)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,50000,200000")
    ap.add_argument("--only", default="a,b,c,d")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    get_nlp("en")
    extract_document(Document(text=prose(2000), lang="en"))          # warm caches
    print(f"{'input':<18} {'chars':>8} {'seconds':>8} {'µs/char':>8} {'growth':>7} {'maxrss MB':>9}")
    per_char_prose: dict[int, float] = {}
    worst = []
    for key in args.only.split(","):
        name, make, md = KINDS[key]
        prev = None
        for n in sizes:
            secs = run(make(n), md)
            pc = secs / n
            if key == "a":
                per_char_prose[n] = pc
            growth = f"{pc / prev:.2f}x" if prev else "-"
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            vs = f"  ({pc / per_char_prose[n]:.1f}x prose)" if key != "a" and n in per_char_prose else ""
            print(f"{name:<18} {n:>8} {secs:>8.2f} {pc * 1e6:>8.1f} {growth:>7} {rss:>9.0f}{vs}", flush=True)
            if prev:
                worst.append((pc / prev, name, n))
            prev = pc
    if worst:
        g, name, n = max(worst)
        print(f"worst growth per size step: {g:.2f}x ({name} at {n}); target <= 1.5x")


if __name__ == "__main__":
    main()
