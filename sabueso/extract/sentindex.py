"""Sentence of a token in O(1): one pass over the sentence boundaries per doc.

``Token.sent`` / ``Span.sent`` walk the boundaries from the token each time (and ``Doc.sents``
re-walks the whole doc), so per-token lookups cost O(sentence) or O(doc) each: on a hostile
text with one huge sentence that is quadratic. :func:`sent_of` reads an array built once per doc
and cached in ``doc.user_data``; :func:`install` also routes spaCy's own ``tok.sent`` /
``span.sent`` through it (``user_token_hooks`` / ``user_span_hooks``), so code that still
writes ``doc[i].sent`` gets the same O(1) answer."""
from __future__ import annotations

from array import array

KEY = "sabueso_sent_index"


class SentIndex:
    __slots__ = ("doc_id", "n", "of_token", "spans")

    def __init__(self, doc):
        self.doc_id, self.n = id(doc), len(doc)
        self.spans = []
        self.of_token = array("l", [0]) * len(doc)
        for k, sent in enumerate(doc.sents):
            self.spans.append(sent)
            for i in range(sent.start, sent.end):
                self.of_token[i] = k


def index(doc) -> SentIndex:
    """The doc's sentence index (built on first use; rebuilt if user_data was copied from
    another doc)."""
    idx = doc.user_data.get(KEY)
    if idx is None or idx.doc_id != id(doc) or idx.n != len(doc):
        idx = SentIndex(doc)
        doc.user_data[KEY] = idx
    return idx


def sent_of(doc, i: int):
    """The sentence (a Span) holding token i."""
    idx = index(doc)
    return idx.spans[idx.of_token[i]]


def install(doc) -> None:
    """Build the index and make ``tok.sent`` and ``span.sent`` use it."""
    index(doc)
    doc.user_token_hooks["sent"] = lambda tok: sent_of(tok.doc, tok.i)
    doc.user_span_hooks["sent"] = lambda span: sent_of(span.doc, span.start)
