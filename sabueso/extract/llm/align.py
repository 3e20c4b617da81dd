"""Align a string the model wrote to a span of the source text (exact, normalised, fuzzy).

Like Google LangExtract's aligner: first an exact match, then an exact match over a normalised
copy of the text (case, accents, quote and dash styles, runs of spaces), then a fuzzy match
(rapidfuzz ``partial_ratio_alignment``, score >= threshold) widened to whole words and scored
again. Every span is returned as offsets into the *original* text.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

THRESHOLD = 90.0
MIN_FUZZY = 6          # needles shorter than this (after normalisation) must match exactly
_STYLE = str.maketrans({**{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4`"},
                        **{c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb"},
                        **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"}})


def _fold(ch: str) -> str:
    ch = ch.translate(_STYLE)
    out = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return out.casefold()


def normalise(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters, the index of the source character."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                where.append(i)
            continue
        for c in _fold(ch):
            chars.append(c)
            where.append(i)
    return "".join(chars), where


@dataclass
class Span:
    start: int
    end: int
    text: str
    score: float


class Aligner:
    """Aligns needles to ``text``; spans are shifted by ``offset`` (the text's place in a document)."""

    def __init__(self, text: str, offset: int = 0, threshold: float = THRESHOLD):
        self.text, self.offset, self.threshold = text, offset, threshold
        self.norm, self.where = normalise(text)

    def _span(self, ns: int, ne: int, score: float) -> Span:
        s, e = self.where[ns], self.where[ne - 1] + 1
        return Span(self.offset + s, self.offset + e, self.text[s:e], score)

    def _bounded(self, ns: int, ne: int) -> bool:
        before = self.norm[ns - 1] if ns > 0 else " "
        after = self.norm[ne] if ne < len(self.norm) else " "
        return not before.isalnum() and not after.isalnum()

    def find_all(self, needle: str, word: bool = True) -> list[Span]:
        """Every exact occurrence of the normalised needle (whole words when ``word``)."""
        key = normalise(needle.strip())[0].strip()
        out, i = [], self.norm.find(key) if key else -1
        while i >= 0:
            if not word or self._bounded(i, i + len(key)):
                out.append(self._span(i, i + len(key), 100.0))
            i = self.norm.find(key, i + 1)
        return out

    def find(self, needle: str | None, word: bool = False) -> Span | None:
        """The best span for ``needle``, or None when nothing scores >= the threshold."""
        raw = (needle or "").strip()
        if not raw:
            return None
        i = self.text.find(raw)
        while i >= 0:
            j = i + len(raw)
            ok = not word or ((i == 0 or not self.text[i - 1].isalnum()) and
                              (j == len(self.text) or not self.text[j].isalnum()))
            if ok:
                return Span(self.offset + i, self.offset + j, raw, 100.0)
            i = self.text.find(raw, i + 1)
        hits = self.find_all(raw, word=word)
        if hits:
            return hits[0]
        key = normalise(raw)[0].strip()
        if len(key) < MIN_FUZZY or len(key) > len(self.norm):
            return None
        res = fuzz.partial_ratio_alignment(key, self.norm, score_cutoff=self.threshold)
        if res is None:
            return None
        ns, ne = res.dest_start, res.dest_end
        while ns > 0 and self.norm[ns - 1].isalnum() and self.norm[ns].isalnum():
            ns -= 1
        while ne < len(self.norm) and self.norm[ne].isalnum() and self.norm[ne - 1].isalnum():
            ne += 1
        while ns < ne and self.norm[ns] == " ":
            ns += 1
        while ne > ns and self.norm[ne - 1] == " ":
            ne -= 1
        if ne <= ns:
            return None
        score = fuzz.ratio(key, self.norm[ns:ne])
        if score < self.threshold:
            return None
        return self._span(ns, ne, score)
