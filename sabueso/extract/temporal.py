"""Dates in text ("May 4, 2019", "el 4 de mayo de 2019", "June 2022", "the 2000s") and
time bounds of facts ("since at least 2015", "between 2008 and 2012", "desde 2015")."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import Lexicon

YEAR = r"(1[89]\d\d|20\d\d)"
_ANY_YEAR = re.compile(YEAR)      # every pattern below needs one: most sentences have none


@dataclass
class DateMention:
    start: int          # character offsets in the text searched
    end: int
    value: str          # ISO: YYYY-MM-DD, YYYY-MM, YYYY or YYYYs (decade)

    @property
    def year(self) -> str:
        return self.value[:4]


def _month_re(lex: Lexicon) -> str:
    return "|".join(sorted(lex.months, key=len, reverse=True))


def find_dates(text: str, lex: Lexicon) -> list[DateMention]:
    if not _ANY_YEAR.search(text):
        return []
    months = _month_re(lex)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(m, value: str) -> None:
        if any(s < m.end() and m.start() < e for s, e in taken):
            return
        taken.append((m.start(), m.end()))
        found.append(DateMention(m.start(), m.end(), value))

    def mon(name: str) -> int:
        return lex.months[name.lower()]

    for m in re.finditer(rf"\b({months})\.? (\d{{1,2}})(?:st|nd|rd|th)?,? {YEAR}\b", text, re.I):
        add(m, f"{m.group(3)}-{mon(m.group(1)):02d}-{int(m.group(2)):02d}")
    for m in re.finditer(rf"\b(\d{{1,2}})(?: de)? ({months})(?: de(?:l)?)? {YEAR}\b", text, re.I):
        add(m, f"{m.group(3)}-{mon(m.group(2)):02d}-{int(m.group(1)):02d}")
    for m in re.finditer(rf"\b({months})(?: de(?:l)?| of)? {YEAR}\b", text, re.I):
        add(m, f"{m.group(2)}-{mon(m.group(1)):02d}")
    for m in re.finditer(rf"\b(?:the )?{YEAR}s\b", text):
        add(m, m.group(1) + "s")
    for m in re.finditer(rf"\bdécada de {YEAR}\b", text):
        add(m, m.group(1) + "s")
    for m in re.finditer(rf"(?<![\d.,]){YEAR}(?![\d.,]\d)", text):
        add(m, m.group(1))
    found.sort(key=lambda d: d.start)
    return found


def time_bounds(text: str, lex: Lexicon) -> tuple[str | None, str | None]:
    """since/until for a fact stated in ``text`` (a clause or sentence)."""
    if not _ANY_YEAR.search(text):
        return None, None
    low = text.lower()
    words = "|".join(sorted(lex.between_words, key=len, reverse=True))
    m = re.search(rf"\b(?:{words}) (?:\w+ )?{YEAR}(?:s)? (?:and|y|e|to|a) (?:\w+ )?{YEAR}\b", low)
    if m:
        return m.group(1), m.group(2)
    m = re.search(rf"\b(?:from|de|desde) {YEAR} (?:to|until|a|hasta) {YEAR}\b", low)
    if m:
        return m.group(1), m.group(2)
    since = "|".join(sorted(lex.since_words, key=len, reverse=True))
    m = re.search(rf"\b(?:{since}) (?:at least |al menos |por lo menos |hace |early |late |finales de |principios de )?(?:(?:\w+ )?(?:of |de )?)?{YEAR}\b", low)
    if m:
        return m.group(1), None
    until = "|".join(sorted(lex.until_words, key=len, reverse=True))
    m = re.search(rf"\b(?:{until}) (?:\w+ )?{YEAR}\b", low)
    if m:
        return None, m.group(1)
    years = [d.year for d in find_dates(text, lex)]
    if len(years) == 1:
        return years[0], None
    if len(years) == 2 and years[0] != years[1]:
        return min(years), max(years)
    return None, None
