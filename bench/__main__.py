"""All benchmarks in one table: ``python -m bench`` (``--quick`` for a fast smoke run).

(a) full pipeline vs bare spaCy words/s, (b) entity-resolution scaling, (c) 1M-claim store
queries, (d) streaming ingest peak RSS, (e) Dask 2 workers vs 1, (f) typo-tolerant name
search on 200k entities. ``--only a,c`` runs some.
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FULL = {"a": 2000, "b": [100_000, 200_000, 400_000, 800_000, 1_000_000], "c": 1_000_000, "d": (1500, 100_000), "e": 200, "f": 200_000}
QUICK = {"a": 200, "b": [50_000, 100_000], "c": 100_000, "d": (150, 100_000), "e": 24, "f": 20_000}


def machine() -> str:
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    except (ValueError, OSError):
        mem = float("nan")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{platform.processor() or platform.machine()}, {cpus} CPUs usable "
            f"({os.cpu_count()} online), {mem:.1f} GiB RAM, Python {platform.python_version()}, "
            f"load average {os.getloadavg()[0]:.1f}")


def part_a(size):
    from .pipeline_speed import run
    r = run(size)
    return [("a", f"full / bare spaCy words/s ({r['documents']} docs, {r['words']:,} words)",
             f"{r['ratio']:.2f} ({r['full_wps']:.0f} / {r['bare_wps']:.0f})", ">= 0.8", r["ratio"] >= 0.8)]


def part_b(sizes):
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "resolution.py"), "--repeat", "1",
                          *map(str, sizes)], capture_output=True, text=True, cwd=ROOT)
    print(out.stdout.rstrip(), file=sys.stderr)
    rows = [ln.split() for ln in out.stdout.splitlines() if ln.split() and ln.split()[0].isdigit()]
    overall = next((ln for ln in out.stdout.splitlines() if ln.startswith("overall")), "")
    return [("b", f"resolution {int(r[0]):,} mentions: CPU s, B3 P/R", f"{r[2]} s, {r[7]}/{r[8]}", "", None)
            for r in rows] + ([("b", "resolution CPU growth " + overall.split(":")[0][8:],
                                overall.split(":")[1].strip(), "~2 (linear)", None)] if overall else [])


def part_c(n):
    from .store_queries import run
    r = run(n)
    note = f" (built in {r['built_s']:.0f} s)" if r["built_s"] else " (cached)"
    return [("c", f"neighbourhood p95, {n:,} claims, 200 entities{note}",
             f"{r['neigh_p95_ms']:.1f} ms (p50 {r['neigh_p50_ms']:.1f})", "< 20 ms", r["neigh_p95_ms"] < 20),
            ("c", f"profile p95 (entity, claims, events, quantities, name citations), {r['profile_samples']} entities",
             f"{r['profile_p95_ms']:.0f} ms (p50 {r['profile_p50_ms']:.0f})", "< 200 ms",
             r["profile_p95_ms"] < 200)]


def part_d(args):
    from .streaming import run
    limit, total = args
    r = run(limit, total)
    meas = ", ".join(f"{m['docs']:,} docs: {m['rss_mb']:.0f} MB in {m['seconds']:.0f} s" for m in r["measured"])
    how = "extrapolated from " if r["extrapolated"] else "measured: "
    return [("d", f"streaming {total:,} docs peak RSS ({how}{meas})", f"{r['rss_mb']:.0f} MB", "< 1.5 GB",
             r["rss_mb"] < 1536),
            ("d", f"streaming {total:,} docs wall time ({'extrapolated' if r['extrapolated'] else 'measured'})",
             f"{r['seconds'] / 60:.0f} min", "", None)]


def part_e(n):
    from .dask_speedup import run
    r = run(n)
    return [("e", f"Dask 2 workers vs 1, {n} articles, best of {len(r['runs'][1])} "
                  f"({r['one_worker_s']:.1f} s / {r['two_workers_s']:.1f} s)",
             f"{r['speedup']:.2f}x", ">= 1.6x", r["speedup"] >= 1.6)]


def part_f(n):
    from .search_names import run
    r = run(n)
    return [("f", f"name search with a typo, p95, {r['entities']:,} entities ({r['names']:,} names); "
                  f"name in top 5: {r['recall']:.0%}",
             f"{r['p95_ms']:.0f} ms (p50 {r['p50_ms']:.0f})", "< 100 ms", r["p95_ms"] < 100),
            ("f", f"the full scan it replaced (WRatio over every name), p50, 20 queries",
             f"{r['old_p50_ms']:.0f} ms", "", None)]


PARTS = {"a": part_a, "b": part_b, "c": part_c, "d": part_d, "e": part_e, "f": part_f}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke run, a few minutes)")
    ap.add_argument("--only", default="abcdef", help="which parts, e.g. 'a,c' (default: all)")
    args = ap.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    rows = []
    for key in [k for k in args.only if k in PARTS]:
        t0 = time.perf_counter()
        print(f"[bench] running ({key}) ...", file=sys.stderr, flush=True)
        try:
            rows += PARTS[key](sizes[key])
        except Exception as exc:  # one broken part does not hide the others
            rows.append((key, "failed", f"{type(exc).__name__}: {exc}"[:60], "", False))
        print(f"[bench] ({key}) took {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    print(f"\nmachine: {machine()}" + ("  [--quick sizes]" if args.quick else ""))
    w = max(len(r[1]) for r in rows) if rows else 10
    print(f"{'':2} {'measure':<{w}} {'result':>24} {'target':>9}  ok")
    for key, what, value, target, ok in rows:
        mark = "" if ok is None else ("yes" if ok else "NO")
        print(f"{key:2} {what:<{w}} {value:>24} {target:>9}  {mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
