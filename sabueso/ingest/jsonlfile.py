"""JSON Lines files → one Document per line.

Each line is an object with a required ``text`` and optional ``title``, ``url``,
``published``, ``publisher`` and ``lang``. A broken line becomes an IngestError naming the
file and the 1-based line number; the other lines still produce their documents. Blank lines
are skipped. ``Document.path`` is ``<file>#L<line>``.
"""
from __future__ import annotations

import codecs
import json
from collections.abc import Iterator

from sabueso.core import Document, normalise_text

from .decoding import looks_binary
from .errors import IngestError

OPTIONAL_FIELDS = ("title", "url", "published", "publisher", "lang")


def _optional(obj: dict, name: str) -> str | None:
    value = obj.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f'field "{name}" must be a string, not {type(value).__name__}')
    return " ".join(str(value).split()) or None


def parse_line(raw: bytes, path: str, lineno: int) -> Document:
    """One JSONL line → Document. Raises IngestError (with the line number) on any problem."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(path, f"not valid UTF-8 ({exc.reason} at byte {exc.start})",
                          lineno) from None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise IngestError(path, f"invalid JSON ({exc.msg})", lineno) from None
    except RecursionError:
        raise IngestError(path, "invalid JSON (nested too deeply)", lineno) from None
    if not isinstance(obj, dict):
        raise IngestError(path, f"expected a JSON object, got {type(obj).__name__}", lineno)
    try:        # '\ud800' is valid JSON but no Unicode text: it would fail later, outside the line
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start:exc.end].encode("unicode_escape").decode("ascii")
        raise IngestError(path, f"invalid JSON string (lone surrogate escape {bad}, not Unicode text)",
                          lineno) from None
    text = obj.get("text")
    if not isinstance(text, str):
        reason = 'missing "text" field' if text is None else '"text" field must be a string'
        raise IngestError(path, reason, lineno)
    text = normalise_text(text)
    if not text:
        raise IngestError(path, 'empty "text" field', lineno)
    try:
        fields = {name: _optional(obj, name) for name in OPTIONAL_FIELDS}
    except ValueError as exc:
        raise IngestError(path, str(exc), lineno) from None
    return Document(text=text, title=fields.pop("title") or "", path=f"{path}#L{lineno}",
                    **fields)


def iter_jsonl(data: bytes, path: str) -> Iterator[Document | IngestError]:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    found = False
    for lineno, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            doc: Document | IngestError = parse_line(raw, path, lineno)
        except IngestError as err:
            doc = err
        if not found and isinstance(doc, IngestError) and looks_binary(data):
            # the first line is garbage and the file looks binary: one error, not thousands
            yield IngestError(path, "binary file, not text")
            return
        found = True
        yield doc
    if not found:
        yield IngestError(path, "empty file")
