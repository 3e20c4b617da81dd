"""PDF files → Document, with pypdf. Page texts are joined with blank lines."""
from __future__ import annotations

import io
import logging

from sabueso.core import Document, normalise_text

from .errors import IngestError, exc_reason
from .textfile import title_from_text

NO_TEXT = "PDF has no extractable text (scanned?)"

# pypdf logs each repair it makes to a broken file ("incorrect startxref pointer(2)") as a
# warning; with no logging configured Python prints those on stderr as extra lines naming no
# file. A handler on pypdf's logger stops that fallback (an application that configures
# logging still receives them); what went wrong with a file is said in its IngestError.
logging.getLogger("pypdf").addHandler(logging.NullHandler())


def _first_problem(data: bytes, exc: Exception) -> str:
    """The lenient parser fails late with vague messages ("Stream has ended unexpectedly");
    the strict one stops at the first real problem ("EOF marker not found")."""
    from pypdf import PdfReader

    try:
        PdfReader(io.BytesIO(data), strict=True)
    except Exception as strict_exc:
        return exc_reason(strict_exc)
    return exc_reason(exc)


def _open(data: bytes, path: str):
    from pypdf import PdfReader

    if not data.strip():
        raise IngestError(path, "empty file")
    try:
        reader = PdfReader(io.BytesIO(data))
    except Exception as exc:  # pypdf raises PdfReadError, but also ValueError, KeyError, …
        raise IngestError(path, f"not a valid PDF ({_first_problem(data, exc)})") from None
    if reader.is_encrypted:
        try:
            decrypted = reader.decrypt("")
        except Exception as exc:  # e.g. AES without the `cryptography` package
            raise IngestError(path, f"encrypted PDF, cannot decrypt ({exc_reason(exc)})") from None
        if not decrypted:
            raise IngestError(path, "encrypted PDF (password required)")
    return reader


def _metadata(reader) -> tuple[str, str | None]:
    """Title and creation date (YYYY-MM-DD) from the document info, when readable."""
    title, published = "", None
    try:
        info = reader.metadata
        if info is not None:
            title = " ".join(str(info.title or "").split())
            created = info.creation_date
            published = created.date().isoformat() if created else None
    except Exception:  # malformed info dictionaries and dates are common; they are optional
        pass
    return title, published


def read_pdf(data: bytes, path: str) -> Document:
    reader = _open(data, path)
    try:
        pages = list(reader.pages)
    except Exception as exc:
        raise IngestError(path, f"not a valid PDF ({exc_reason(exc)})") from None
    if not pages:
        raise IngestError(path, "PDF has no pages")
    texts: list[str] = []
    first_error: Exception | None = None
    for page in pages:
        try:
            page_text = normalise_text(page.extract_text() or "")
        except Exception as exc:  # one broken content stream should not lose the others
            first_error = first_error or exc
            continue
        if page_text:
            texts.append(page_text)
    if not texts:
        if first_error is not None:
            raise IngestError(path, f"could not extract text from PDF ({exc_reason(first_error)})")
        raise IngestError(path, NO_TEXT)
    text = normalise_text("\n\n".join(texts))
    title, published = _metadata(reader)
    return Document(text=text, title=title or title_from_text(text), path=path,
                    published=published)
