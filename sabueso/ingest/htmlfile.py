"""HTML files → Document, with trafilatura (main text + metadata) and an lxml fallback."""
from __future__ import annotations

import codecs
import re

from sabueso.core import Document, normalise_text

from .decoding import bom_encoding, decode_bytes, looks_binary, utf16_encoding
from .errors import IngestError
from .htmlflat import flat_text, too_deep

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*""",
                        re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg", "head")
_WINDOWS_1252_ALIASES = {"ascii", "latin_1", "iso8859_1"}  # as the HTML standard says


def decode_html(data: bytes, path: str) -> str:
    """BOM, then a ``<meta charset>`` declared in the first 4 KB, then the text heuristics."""
    if bom_encoding(data) or utf16_encoding(data):
        return decode_bytes(data, path)
    if looks_binary(data):
        raise IngestError(path, "binary file, not text")
    match = _META_CHARSET.search(data[:4096])
    if match:
        try:
            encoding = codecs.lookup(match.group(1).decode("ascii")).name
            if encoding.replace("-", "_") in _WINDOWS_1252_ALIASES:
                encoding = "cp1252"
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass  # wrong or unknown declaration: guess instead
    return decode_bytes(data, path)


def _fallback(html: str) -> tuple[str, str]:
    """Visible text and <title> with lxml, scripts/styles and friends removed."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(_XML_DECL.sub("", html, count=1))
    except Exception:  # lxml raises ParserError/ValueError on empty or odd input
        return "", ""
    title = ""
    title_el = root.find(".//title")
    if title_el is not None and title_el.text_content():
        title = " ".join(title_el.text_content().split())
    for el in list(root.iter(*_DROP_TAGS)):
        el.drop_tree()
    for el in root.iter("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"):
        el.tail = "\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return normalise_text("\n".join(line for line in lines if line)), title


def _extract(html: str):
    import trafilatura

    try:
        return trafilatura.bare_extraction(html, include_comments=False, include_tables=False,
                                           favor_precision=True, with_metadata=True)
    except Exception:  # trafilatura is best effort; the lxml fallback takes over
        return None


def _metadata(html: str):
    import trafilatura

    try:
        return trafilatura.extract_metadata(html)
    except Exception:
        return None


def read_html(data: bytes, path: str) -> Document:
    html = decode_html(data, path)
    if not html.strip():
        raise IngestError(path, "empty file")
    if too_deep(html):  # lxml (and trafilatura) would keep only what precedes level 255
        text, fallback_title = flat_text(html)
        meta = _metadata(html)
    else:
        result = _extract(html)
        text = normalise_text(result.text or "") if result is not None else ""
        meta = result if result is not None else _metadata(html)
        fallback_title = ""
        if not text:
            text, fallback_title = _fallback(html)
    if not text:
        raise IngestError(path, "no article text found in HTML")
    lang = _HTML_LANG.search(html[:4096])

    def field(name: str) -> str | None:
        value = getattr(meta, name, None) if meta is not None else None
        return (" ".join(str(value).split()) or None) if value else None

    return Document(
        text=text,
        title=field("title") or fallback_title,
        path=path,
        url=field("url"),
        publisher=field("sitename"),
        published=field("date"),
        lang=lang.group(1).lower() if lang else None,
    )
