"""Plain text and Markdown files → Document."""
from __future__ import annotations

import re

from sabueso.core import Document, normalise_text

from .decoding import decode_bytes
from .errors import IngestError

MAX_TITLE_CHARS = 200

_ESCAPABLE = "\\`*_{}[]()#+-.!>~|"
_ESCAPE = re.compile(r"\\([" + re.escape(_ESCAPABLE) + r"])")
_PLACEHOLDER_BASE = 0xE000  # private-use area: escaped characters hide here while we strip

_MD_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^[ \t]*(?:```|~~~).*$", re.M), ""),                          # code fences
    (re.compile(r"^[ \t]{0,3}(?:[-*_=][ \t]*){3,}$", re.M), ""),                 # rules, setext
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M), r"\1"),  # # heading
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*$", re.M), ""),                         # empty heading
    (re.compile(r"^(?:[ \t]{0,3}>[ \t]?)+", re.M), ""),                          # blockquotes
    (re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]+\S+.*$", re.M), ""),             # [ref]: url
    (re.compile(r"^([ \t]*)[*+-][ \t]+", re.M), r"\1"),                          # bullets
    # bracketed text stops at the next '[' and emphasis at its next delimiter, so each try scans
    # to the next opener only: linear on a line of thousands of '[' or '**' (was O(n²))
    (re.compile(r"!\[([^\[\]\n]*)\]\([^)\n]*\)"), r"\1"),                        # images
    (re.compile(r"\[([^\[\]\n]+)\]\([^)\n]*\)"), r"\1"),                         # [text](url)
    (re.compile(r"\[([^\[\]\n]+)\]\[[^\]\n]*\]"), r"\1"),                        # [text][ref]
    (re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>"), r"\1"),                   # <autolinks>
    (re.compile(r"(`+)(.+?)\1"), r"\2"),                                          # `code`
    (re.compile(r"(\*\*|__)(?=\S)((?:(?!\1).)+?)(?<=\S)\1"), r"\2"),              # **strong**
    (re.compile(r"~~(?=\S)((?:(?!~~).)+?)(?<=\S)~~"), r"\1"),                     # ~~strike~~
    (re.compile(r"\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*"), r"\1"),                  # *emphasis*
    (re.compile(r"(?<!\w)_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?!\w)"), r"\1"),       # _emphasis_
]


def strip_markdown(text: str) -> str:
    """Remove common Markdown markup, keeping the words and the paragraph structure.

    Headings lose their ``#``, emphasis loses ``*``/``_``, links keep their text, code fences
    and horizontal rules disappear. Backslash-escaped characters are kept literally.
    """
    text = _ESCAPE.sub(lambda m: chr(_PLACEHOLDER_BASE + ord(m.group(1))), text)
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group(0)) - _PLACEHOLDER_BASE), text)


def title_from_text(text: str) -> str:
    """The first non-empty line, if it is short enough to be a title."""
    for line in text.split("\n", 20)[:20]:
        line = line.strip()
        if line:
            return line if len(line) <= MAX_TITLE_CHARS else ""
    return ""


def read_text(data: bytes, path: str, markdown: bool = False) -> Document:
    """One Document from a .txt (or, with ``markdown=True``, a .md) file's bytes."""
    text = decode_bytes(data, path)
    if markdown:
        text = strip_markdown(text)
    text = normalise_text(text)
    if not text:
        raise IngestError(path, "empty file")
    title = title_from_text(text)
    if markdown:
        title = title.lstrip("#").strip()
    return Document(text=text, title=title, path=path)


def read_markdown(data: bytes, path: str) -> Document:
    return read_text(data, path, markdown=True)
