"""Reading input files into :class:`sabueso.core.Document` records.

Supported: plain text (.txt), Markdown (.md), HTML (.html/.htm, main text via trafilatura),
PDF (.pdf, via pypdf) and JSON Lines (.jsonl, one document per line), each optionally
gzip-compressed (``.txt.gz`` …). Problems never escape as library exceptions: they come back
as :class:`IngestError` values (or are raised, with ``strict=True``)::

    for item in iter_documents(["samples/"]):
        if isinstance(item, IngestError):
            print(item)            # e.g. "samples/x.pdf: not a valid PDF (EOF marker not found)"
        else:
            handle(item)           # a Document
"""
from .errors import IngestError
from .sources import (MAX_FILE_BYTES, SUPPORTED_SUFFIXES, iter_documents, iter_sources,
                      read_bytes, read_path, suffix_of)
from .textfile import strip_markdown

__all__ = ["IngestError", "MAX_FILE_BYTES", "SUPPORTED_SUFFIXES", "iter_documents",
           "iter_sources", "read_bytes", "read_path", "strip_markdown", "suffix_of"]
