"""Name normalisation: the matching key under which entity names and aliases are compared.

:func:`norm_name` is deliberately conservative: it only removes differences of spelling that
never distinguish two real-world things (case, accents, quote style, punctuation, spacing, a
possessive ending, a leading article). It never drops name *parts*, so a bare surname does not
collide with a full name ("guerrero" != "nino guerrero").
"""
from __future__ import annotations

import re

from rigour.names import tokenize_name
from rigour.text import ascii_text

#: Leading articles dropped from a name (English, Spanish, Portuguese).
ARTICLES = frozenset({"the", "el", "la", "los", "las", "o", "os", "a", "as"})

# Every apostrophe / single-quote look-alike becomes a plain ASCII apostrophe.
_QUOTES = str.maketrans({c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u02bb"
                                          "\u02b9\u00b4\u0060\uff07"})
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")


def norm_name(name: str | None) -> str:
    """Matching key of a name.

    Steps: unify quotes/apostrophes, transliterate to ASCII (strips accents), casefold, drop a
    possessive ``'s``, drop punctuation and collapse spaces (rigour's name tokeniser), drop
    leading articles (only while another word remains, so "La" alone stays "la").

    >>> norm_name("The Tren de Ejemplo’s")
    'tren de aragua'
    >>> norm_name("Niño Ficticio")
    'nino guerrero'
    """
    if not name:
        return ""
    text = ascii_text(name.translate(_QUOTES)).casefold()
    text = _POSSESSIVE.sub("", text)
    tokens = tokenize_name(text)
    while len(tokens) > 1 and tokens[0] in ARTICLES:
        tokens = tokens[1:]
    return " ".join(tokens)
