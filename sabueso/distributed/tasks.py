"""What runs on a Dask worker: extraction of documents (no database access there).

The spaCy pipeline is cached per process (:func:`sabueso.nlp.get_nlp` is an ``lru_cache``),
so each worker loads the model once, on its first document (or in :func:`warm_up`).
"""
from __future__ import annotations

from ..core import Document, Extraction

Result = tuple[str, "Extraction | str"]


def warm_up(lang: str = "en") -> bool:
    """Load the pipeline and lexicon in this worker before the first real document."""
    from ..extract import extract_document
    extract_document(Document(text="Warm up.", lang=lang))
    return True


def extract_task(document: Document, extractor: str = "rules") -> Result:
    """("ok", Extraction) or ("error", "ExcType: message"): a failing document never
    raises on the worker, so Dask neither retries it nor logs a traceback."""
    from ..extract.llm import extract_with
    from ..ingest.errors import one_line
    try:
        result, _report = extract_with(document, extractor)
        return "ok", result
    except Exception as exc:  # reported by the client, the batch goes on
        return "error", f"{type(exc).__name__}: {one_line(exc)}"


def extract_batch_task(documents: list[Document], extractor: str = "rules") -> list[Result]:
    """:func:`extract_task` for several documents, in order. The rule extractor parses them
    together (``nlp.pipe``, as a single-process ingest does); if that fails, each document is
    extracted on its own, so one bad document only fails itself."""
    if extractor == "rules" and len(documents) > 1:
        from ..extract import extract_documents
        try:
            return [("ok", x) for x in extract_documents(documents, batch_size=len(documents))]
        except Exception:  # find the culprit below
            pass
    return [extract_task(d, extractor) for d in documents]
