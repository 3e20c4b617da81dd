"""Client side of the parallel ingest: read, skip what is stored, submit, commit in order.

The client reads the inputs (cheap), skips documents already in the store *before*
submitting them (so an interrupted run resumes without redoing committed documents) and
keeps a bounded window of extraction tasks in flight. Results are committed by this one
process, one transaction per document, in input order: the head of the window is awaited
while the workers go on with the rest. Entity resolution is incremental, so committing in
the same order as a single-process run gives the same database.
"""
from __future__ import annotations

import logging
import threading
from collections import deque
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..core import Document
from .tasks import extract_batch_task, warm_up

Problem = Callable[[str, str], None]
BATCH = 8              # documents per task: fewer tasks, yet a short tail when the input ends
WINDOW_PER_WORKER = 4  # tasks in flight per worker thread
COMMIT_MAX = 16        # documents committed in one transaction at most
#: Dask settings for the LocalCluster this module starts: the workers' statistical profiler
#: (a stack sample every 10 ms, for the dashboard, which is off) and the frequent event-loop
#: ticks and system and memory polls cost an idle worker ~40 ms of CPU a second and the
#: client ~50: cores the extraction and the writer share.
QUIET = {"distributed.worker.profile.enabled": False,
         "distributed.admin.tick.interval": "500ms",
         "distributed.admin.system-monitor.interval": "2s",
         "distributed.worker.memory.monitor-interval": "1s"}


@contextmanager
def open_client(workers: int = 0, scheduler: str | None = None) -> Iterator:
    """A ``distributed.Client``: to ``scheduler`` if given, else a LocalCluster of
    ``workers`` processes with one thread each (closed on exit)."""
    import dask
    from distributed import Client, LocalCluster
    if scheduler:
        client = Client(scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    with dask.config.set(QUIET):
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()


def _documents(paths: Iterable[Path], problem: Problem, max_chars: int) -> Iterator[Document]:
    from ..ingest import IngestError, iter_sources, read_path
    sources = list(iter_sources(paths))
    if not sources:
        problem("skipped", f"no supported files found in {', '.join(map(str, paths))}")
    for source in sources:
        for item in ([source] if isinstance(source, IngestError) else read_path(source)):
            if isinstance(item, IngestError):
                problem("skipped", str(item))
            elif len(item.text) > max_chars:
                problem("skipped", f"{item.path}: text too long to extract ({len(item.text):,} "
                                   f"characters; the limit is {max_chars:,}): split it into "
                                   "smaller files")
            else:
                yield item


def warm_writer() -> None:
    """Load what this process needs to write (the ontology, the gazetteer) before the first
    commit, rather than in the middle of the run while the workers wait."""
    from ..ontology import get_ontology
    from ..resolve.places import gazetteer
    get_ontology()
    gazetteer().country_record("VE")          # builds its index by gazetteer id


def ingest_parallel(paths: Iterable[Path], store, problem: Problem, *, workers: int = 0,
                    scheduler: str | None = None, extractor: str = "rules",
                    max_chars: int = 1_000_000, client=None) -> tuple[int, int]:
    """Ingest ``paths`` into ``store`` with Dask; returns (added, already stored).

    ``problem(label, message)`` is called for each bad input or failed document (it may
    raise to stop the run). ``client``: an open ``distributed.Client`` to use instead.
    """
    if client is None:
        with open_client(workers, scheduler) as own:
            return ingest_parallel(paths, store, problem, extractor=extractor,
                                   max_chars=max_chars, client=own)
    nworkers = max(1, sum(client.nthreads().values()))
    loading = threading.Thread(target=warm_writer, daemon=True)
    loading.start()                           # meanwhile, one model load per worker
    client.run(warm_up)
    loading.join()
    added = skipped = 0
    seen: set[str] = set()
    pending: deque = deque()                  # (documents, future), in input order
    batch: list[Document] = []

    def submit() -> None:
        """Submit the batch, less its documents already stored (one look-up for them all)."""
        nonlocal skipped
        stored = store.stored_ids([d.id for d in batch])
        todo = [d for d in batch if d.id not in stored]
        skipped += len(batch) - len(todo)
        batch.clear()
        if todo:
            pending.append((todo, client.submit(extract_batch_task, todo, extractor, pure=False)))

    def commit() -> None:
        """Commit the head of the window, with every result already back after it (one
        transaction; if it fails, one document at a time so only the culprit fails)."""
        nonlocal added, skipped
        ready: list = []                      # extractions, in input order
        while pending and (not ready or pending[0][1].done()) and len(ready) < COMMIT_MAX:
            docs, future = pending.popleft()
            results = future.result()
            future.release()
            for doc, (status, value) in zip(docs, results):
                if status != "ok":
                    problem("failed", f"{doc.path}: {value}")
                else:
                    ready.append(value)
        if not ready:
            return
        try:
            saved = store.save_extractions(ready)
        except Exception:
            saved = [store.save_extraction(x) for x in ready]
        for result in saved:
            if result is None:
                skipped += 1                  # stored meanwhile (e.g. by another run)
            else:
                added += 1

    try:
        for doc in _documents(paths, problem, max_chars):
            if doc.id in seen:
                skipped += 1
                continue
            seen.add(doc.id)
            batch.append(doc)
            if len(batch) >= BATCH:
                submit()
            while len(pending) >= nworkers * WINDOW_PER_WORKER:
                commit()
        if batch:
            submit()
        while pending:
            commit()
    finally:
        for _docs, future in pending:         # interrupted: drop what was not committed
            future.cancel()
    return added, skipped
