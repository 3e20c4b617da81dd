"""Parallel ingest on Dask: worker processes extract, the client process writes.

``sabueso ingest --workers N`` starts a local cluster (N processes, one thread each);
``--scheduler tcp://HOST:PORT`` uses a running one (its workers need Sabueso installed).
See :func:`ingest_parallel`.
"""
from .ingest import ingest_parallel, open_client
from .tasks import extract_task

__all__ = ["extract_task", "ingest_parallel", "open_client"]
