"""Visible text of HTML nested too deeply for lxml, read with the standard library's parser.

libxml2 (under lxml, and so under trafilatura) stops at 255 levels of nesting and keeps only
what came before: a page with 300 nested ``<div>`` lost its article without a word. The
standard library's parser keeps no tree, so depth costs it nothing; it sees every tag once.
"""
from __future__ import annotations

from html.parser import HTMLParser

from sabueso.core import normalise_text

_HIDDEN = frozenset(("script", "style", "noscript", "template", "iframe", "object", "svg", "head"))
_BLOCKS = frozenset(("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                     "article", "section", "blockquote"))


def too_deep(html: str) -> bool:
    """Whether libxml2 gives up on this page for its nesting depth (and drops the rest)."""
    import lxml.etree

    parser = lxml.etree.HTMLParser()
    try:
        lxml.etree.fromstring(html, parser)
    except Exception:  # empty or odd input: lxml raises; the regular readers report it
        return False
    return any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.hidden = 0                  # open hidden elements (their text is not shown)
        self.in_title = False

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "title":
            self.in_title = True
        elif tag in _HIDDEN:
            self.hidden += 1
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in _HIDDEN and self.hidden:
            self.hidden -= 1
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.hidden:
            self.parts.append(data)


def flat_text(html: str) -> tuple[str, str]:
    """(visible text, title) of any HTML, however deeply nested."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return normalise_text("\n".join(line for line in lines if line)), " ".join("".join(parser.title).split())
