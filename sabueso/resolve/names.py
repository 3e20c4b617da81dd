"""Name normalisation: the matching key under which entity names and aliases are compared.

:func:`norm_name` is deliberately conservative: it only removes differences of spelling that
never distinguish two real-world things (case, accents, quote style, punctuation, spacing, a
possessive ending, a leading article). It never drops name *parts*, so a bare surname does not
collide with a full name ("guerrero" != "nino guerrero").

The other helpers derive what cross-document resolution compares: :func:`name_key` (the stable
id of a type + normalised name, which judgements refer to), :func:`acronym` /
:func:`acronym_variants` (an all-caps "FAES" against "Fuerzas de Acciones Especiales") and
:func:`sub_names` / :func:`person_compatible` (partial person names).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rigour.names import tokenize_name
from rigour.text import ascii_text, is_stopword

from ..core import stable_id

#: Leading articles dropped from a name (English, Spanish, Portuguese).
ARTICLES = frozenset({"the", "el", "la", "los", "las", "o", "os", "a", "as"})
#: Types whose name key also carries the country (two "San Vicente" are two places).
PLACE_TYPES = frozenset({"Place", "Prison"})
#: Types whose lower-case names ("police", "the government") are common nouns: each document
#: means its own, so such a name is keyed per document and only joins a proper name it equals.
SCOPED_TYPES = frozenset({"Person", "CriminalGroup", "Organization", "GovernmentBody"})

# Every apostrophe / single-quote look-alike becomes a plain ASCII apostrophe.
_QUOTES = str.maketrans({c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u02bb"
                                          "\u02b9\u00b4\u0060\uff07"})
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")
_ACRONYM = re.compile(r"[A-Z]{2,8}")


@lru_cache(maxsize=1 << 18)
def norm_name(name: str | None) -> str:
    """Matching key of a name.

    Steps: unify quotes/apostrophes, transliterate to ASCII (strips accents), casefold, drop a
    possessive ``'s``, drop punctuation and collapse spaces (rigour's name tokeniser), drop
    leading articles (only while another word remains, so "La" alone stays "la").

    >>> norm_name("The Banda Zafiro’s")
    'banda zafiro'
    >>> norm_name("Niño Ficticio")
    'nino ficticio'
    """
    if not name:
        return ""
    text = name.translate(_QUOTES)
    if not text.isascii():     # accents by decomposition; other scripts by rigour's translit
        plain = "".join(c for c in unicodedata.normalize("NFKD", text)
                        if not unicodedata.combining(c))
        text = plain if plain.isascii() else ascii_text(text)
    text = text.casefold()
    text = _POSSESSIVE.sub("", text)
    tokens = tokenize_name(text)
    while len(tokens) > 1 and tokens[0] in ARTICLES:
        tokens = tokens[1:]
    return " ".join(tokens)


def is_generic(type: str, name: str) -> bool:
    """A common noun ("police") rather than a proper name, for the types that take both."""
    return type in SCOPED_TYPES and not any(c.isupper() for c in name)


def name_key(type: str, norm: str, country: str | None = None, scope: str | None = None) -> str:
    """Stable id of one (type, normalised name[, country for places][, document for a
    generic name]): ``n`` + 16 hex digits.

    Every entity id is the name key of one of its records, and judgements store name keys,
    so they keep their meaning when the data is deleted and ingested again.
    """
    if scope:
        return stable_id(type, norm, "doc", scope, prefix="n")
    if type in PLACE_TYPES and country:
        return stable_id(type, norm, country.upper(), prefix="n")
    return stable_id(type, norm, prefix="n")


def acronym(surface: str) -> str | None:
    """The lower-cased acronym if ``surface`` is written as one ("FAES", "F.A.E.S."), else None."""
    text = surface.replace(".", "").strip()
    return text.lower() if _ACRONYM.fullmatch(text) else None


@lru_cache(maxsize=1 << 16)
def _stop(token: str) -> bool:
    return is_stopword(token)


@lru_cache(maxsize=1 << 18)
def acronym_variants(norm: str) -> frozenset[str]:
    """Acronyms a multiword name may be shortened to: the initials of its content words, with
    one word giving two letters ("fuerzas de acciones especiales" -> "fae", "faes", "fuae", ...),
    and the same with the small words' initials included ("fdae")."""
    tokens = norm.split()
    content = [t for t in tokens if not _stop(t)]
    if len(content) < 2:
        return frozenset()
    out: set[str] = set()
    for words in (content, tokens) if len(content) < len(tokens) else (content,):
        base = [w[0] for w in words]
        out.add("".join(base))
        for i, w in enumerate(words):
            if len(w) > 1 and not _stop(w):
                out.add("".join(base[:i]) + w[:2] + "".join(base[i + 1:]))
    return frozenset(a for a in out if 2 <= len(a) <= 8)


def sub_names(tokens: tuple[str, ...]) -> list[str]:
    """Shorter forms of a person's name that keep the first name: "hector x y" ->
    "hector x", "hector y" (first + each later part, and each longer prefix)."""
    if len(tokens) < 3:
        return []
    first, rest = tokens[0], tokens[1:]
    out = {f"{first} {t}" for t in rest}
    out.update(" ".join(tokens[:k]) for k in range(3, len(tokens)))
    out.discard(" ".join(tokens))
    return sorted(out)


def person_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two person names that can name one person: same first part, and the shorter one's parts
    appear in the longer one in order ("hector x" ~ "hector x y"; "hector x" !~ "luis x")."""
    if not a or not b or a[0] != b[0]:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    it = iter(long_)
    return all(t in it for t in short)
