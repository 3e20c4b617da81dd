"""The one error type of the ingest package.

Readers never let library exceptions escape: anything that goes wrong while reading a file
becomes an :class:`IngestError` that names the file (and, for JSONL, the line) and says why
in one human-readable line, e.g. ``samples/x.pdf: not a valid PDF (EOF marker not found)``.
"""
from __future__ import annotations

import re
from pathlib import Path

_MAX_REASON = 300
# C0 and C1 controls, DEL, lone surrogates (the undecodable bytes of a file name), the bidi
# overrides and isolates that reorder what a terminal shows, line and paragraph separators
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:          # os.fsdecode's stand-in for an undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    return char.encode("unicode_escape").decode("ascii")


def printable(text: object) -> str:
    """``text`` with control characters written as escapes (``\\x1b``, ``\\n``, ``\\u202e``)
    and the undecodable bytes of a file name as ``\\xff``: safe to print on a terminal, one
    line, always valid UTF-8. Backslashes are kept as they are (Windows paths)."""
    return _UNPRINTABLE.sub(_escape, str(text))


def without_surrogates(text: str) -> str:
    """``text`` as valid Unicode that any database stores: the undecodable bytes of a file name
    (Python's lone surrogates) written as ``\\xff``; control characters are kept."""
    return _SURROGATES.sub(_escape, text)


def one_line(message: object, limit: int = _MAX_REASON) -> str:
    """Collapse whitespace so an exception message fits on one line, escape control characters
    (:func:`printable`) and cap its length."""
    text = printable(re.sub(r"\s+", " ", str(message)).strip())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def exc_reason(exc: BaseException) -> str:
    """A short description of an exception: its message, or its class name if it has none."""
    return one_line(exc) or type(exc).__name__


class IngestError(Exception):
    """A file (or one JSONL line) that could not be turned into a Document.

    Attributes: ``path`` (str, as given), ``line`` (1-based int or None), ``reason`` (str).
    """

    def __init__(self, path: str | Path, reason: str, line: int | None = None) -> None:
        self.path = str(path)
        self.reason = one_line(reason) or "unknown error"
        self.line = line
        super().__init__(self.path, self.reason, line)

    @property
    def location(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"

    def __str__(self) -> str:
        return f"{printable(self.location)}: {self.reason}"

    def __repr__(self) -> str:
        return f"IngestError({self.path!r}, {self.reason!r}, line={self.line!r})"

    def __reduce__(self):  # keep it picklable (multiprocessing) despite the custom __init__
        return (type(self), (self.path, self.reason, self.line))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IngestError):
            return NotImplemented
        return (self.path, self.line, self.reason) == (other.path, other.line, other.reason)

    def __hash__(self) -> int:
        return hash((self.path, self.line, self.reason))
