"""What runs on a Dask worker: extraction of one document (no database access there).

The spaCy pipeline is cached per process (:func:`sabueso.nlp.get_nlp` is an ``lru_cache``),
so each worker loads the model once, on its first document (or in :func:`warm_up`).
"""
from __future__ import annotations

from ..core import Document, Extraction


def warm_up(lang: str = "en") -> bool:
    """Load the pipeline and lexicon in this worker before the first real document."""
    from ..extract import extract_document
    extract_document(Document(text="Warm up.", lang=lang))
    return True


def extract_task(document: Document, extractor: str = "rules") -> tuple[str, Extraction | str]:
    """("ok", Extraction) or ("error", "ExcType: message"): a failing document never
    raises on the worker, so Dask neither retries it nor logs a traceback."""
    from ..extract.llm import extract_with
    from ..ingest.errors import one_line
    try:
        result, _report = extract_with(document, extractor)
        return "ok", result
    except Exception as exc:  # reported by the client, the batch goes on
        return "error", f"{type(exc).__name__}: {one_line(exc)}"
