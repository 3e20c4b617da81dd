"""(d) Streaming ingest of short JSONL documents: peak RSS of ``sabueso ingest`` (subprocess).

Writes ``/tmp/sabueso_stream_<N>.jsonl`` (N short synthetic articles, 2-4 sentences each) and
runs the real CLI (``sabueso ingest FILE --db TMP.db``, single process) in a child process
that reports its own peak RSS (``resource.getrusage``) and time. Extracting 100k documents
takes long on a small machine, so ``run(limit=...)`` ingests the first ``limit`` documents at
two sizes (limit/3 and limit) and extrapolates time and RSS linearly to the full count; the
result says which numbers were measured and which extrapolated.

    python -m bench.streaming [LIMIT [TOTAL]]
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .pipeline_speed import articles


def write_jsonl(n: int) -> Path:
    path = Path(f"/tmp/sabueso_stream_{n}.jsonl")
    if not path.exists():
        tmp = path.with_suffix(".part")
        with tmp.open("w", encoding="utf-8") as out:
            for i, t in enumerate(articles(n, seed=3, sentences=(2, 4))):
                out.write(json.dumps({"text": t, "title": f"Brief {i}", "url": f"https://example.org/{i}"})
                          + "\n")
        tmp.rename(path)
    return path


def child(jsonl: str, db: str) -> None:
    """Run the CLI ingest in this process; print {"rss_mb", "seconds", "exit"} as JSON."""
    from sabueso.cli import app
    t0 = time.perf_counter()
    try:
        app(["ingest", jsonl, "--db", db], standalone_mode=False)
        code = 0
    except SystemExit as exc:
        code = exc.code
    took = time.perf_counter() - t0
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss     # KiB on Linux
    print(json.dumps({"rss_mb": rss_kb / 1024, "seconds": took, "exit": code}))


def measure(n: int) -> dict:
    path = write_jsonl(n)
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([sys.executable, "-m", "bench.streaming", "--child", str(path),
                               os.path.join(tmp, "s.db")], capture_output=True, text=True,
                              cwd=Path(__file__).resolve().parent.parent)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        raise RuntimeError(f"streaming child failed: {proc.stderr[-2000:]}")
    return {"docs": n, **json.loads(lines[-1])}


def run(limit: int | None = 3000, total: int = 100_000) -> dict:
    if not limit or limit >= total:
        m = measure(total)
        return {"total": total, "measured": [m], "rss_mb": m["rss_mb"], "seconds": m["seconds"],
                "extrapolated": False}
    small, big = measure(max(50, limit // 3)), measure(limit)
    per_doc_rss = max(0.0, (big["rss_mb"] - small["rss_mb"]) / (big["docs"] - small["docs"]))
    per_doc_s = (big["seconds"] - small["seconds"]) / (big["docs"] - small["docs"])
    return {"total": total, "measured": [small, big], "extrapolated": True,
            "rss_mb": big["rss_mb"] + per_doc_rss * (total - big["docs"]),
            "seconds": big["seconds"] + per_doc_s * (total - big["docs"]),
            "rss_mb_per_1k_docs": per_doc_rss * 1000}


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3])
    else:
        args = [int(a) for a in sys.argv[1:]]
        print(json.dumps(run(*args), indent=1))
