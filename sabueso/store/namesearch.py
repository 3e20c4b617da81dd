"""The store's name index: typo-tolerant, accent-insensitive search over entity names and
aliases, bounded on a store of any size.

Two tables, keyed by name strings (never by entity ids, so merges and splits leave them
valid; an entry whose name no alias carries any more simply finds nothing):

- ``name_postings`` (term, norm): each word of each normalised alias (``aliases.norm``:
  case, accents and a leading article folded by :func:`~sabueso.resolve.names.norm_name`);
- ``name_terms`` (key, term): each distinct word under itself and, for words of four letters
  or more, under every string one deletion makes of it (symmetric deletion: two words one
  edit apart always share a key, so "halcones", "halocnes" and "halcons" find each other
  by a few index probes, never by reading every name).

A query word is looked up exactly, as a prefix (three letters or more, at most
``PREFIX_TERMS`` words) and, from four letters, through its deletion keys, each candidate
checked by its edit distance (adjacent transpositions count one). Each word reads at most
``POSTINGS`` names (a common word is then looked up only among the names the others found);
only the names so found are scored (:mod:`.namescore`), from the similarities of their
words, never by reading the names again.
:func:`index_norms` is called wherever aliases are written (:func:`.canon.refresh`), and
:func:`rebuild` (migration 0006) indexes a store written before.
"""
from __future__ import annotations

import heapq
from typing import Iterable

from sqlalchemy import Connection, bindparam, select

from ..resolve.names import norm_name
from ..resolve.typos import deletions
from .bulk import PART, insert_rows
from .schema import aliases, name_postings, name_terms

CHUNK = 500
MAX_TERM = 64          # the key columns' width; longer words are not indexed
FUZZY_FROM = 4         # shorter words are matched exactly or as a prefix only
PREFIX_FROM = 3
PREFIX_TERMS = 30      # words read per prefix
POSTINGS = 1000        # names read per query word
MAX_WORDS = 8

_INDEXED = select(name_postings.c.norm).distinct().where(name_postings.c.norm.in_(PART))
_KNOWN_TERMS = select(name_terms.c.term).distinct().where(name_terms.c.key.in_(PART),
                                                          name_terms.c.key == name_terms.c.term)
_BY_KEYS = select(name_terms.c.term).distinct().where(name_terms.c.key.in_(PART))
_PREFIX = (select(name_terms.c.term)
           .where(name_terms.c.key >= bindparam("lo"), name_terms.c.key < bindparam("hi"),
                  name_terms.c.key == name_terms.c.term)
           .order_by(name_terms.c.key).limit(PREFIX_TERMS))
_NORMS_OF = (select(name_postings.c.term, name_postings.c.norm)
             .where(name_postings.c.term.in_(PART)).limit(POSTINGS))


def words(norm: str) -> list[str]:
    """The indexable words of a normalised name, in order."""
    return [w for w in norm.split() if len(w) <= MAX_TERM]


def query_words(query: str) -> list[str]:
    """The words of a search query, folded like the names (at most ``MAX_WORDS``)."""
    return words(norm_name(query) or (query or "").casefold())[:MAX_WORDS]


def _keys(term: str) -> set[str]:
    return deletions(term, 1) if len(term) >= FUZZY_FROM else {term}


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def index_norms(conn: Connection, norms: Iterable[str]) -> int:
    """Index the names among ``norms`` not indexed yet; returns how many were added."""
    wanted = sorted({n for n in norms if n and words(n)})
    have: set[str] = set()
    for part in _chunks(wanted):
        have.update(conn.scalars(_INDEXED, {"part": part}))
    new = [n for n in wanted if n not in have]
    if not new:
        return 0
    postings = sorted({(w, n) for n in new for w in words(n)})
    insert_rows(conn, name_postings, [{"term": w, "norm": n} for w, n in postings])
    terms = sorted({w for w, _ in postings})
    known: set[str] = set()
    for part in _chunks(terms):
        known.update(conn.scalars(_KNOWN_TERMS, {"part": part}))
    rows = sorted({(k, t) for t in terms if t not in known for k in _keys(t)})
    for part in _chunks(rows, 5000):
        insert_rows(conn, name_terms, [{"key": k, "term": t} for k, t in part])
    return len(new)


def rebuild(conn: Connection) -> int:
    """Index every stored alias afresh; returns the number of names indexed."""
    conn.execute(name_terms.delete())
    conn.execute(name_postings.delete())
    norms = list(conn.scalars(select(aliases.c.norm).distinct()))
    total = 0
    for part in _chunks(norms, 20000):
        total += index_norms(conn, part)
    return total


def _prefix(conn: Connection, word: str) -> set[str]:
    """Up to ``PREFIX_TERMS`` indexed words starting with ``word`` (an index range on SQLite,
    whose text order is by code point; a ``LIKE`` prefix elsewhere, whatever the collation)."""
    if len(word) < PREFIX_FROM:
        return set()
    if conn.dialect.name == "sqlite":
        return set(conn.scalars(_PREFIX, {"lo": word, "hi": word + "\U0010ffff"}))
    q = (select(name_terms.c.term).where(name_terms.c.key.startswith(word, autoescape=True),
                                         name_terms.c.key == name_terms.c.term)
         .order_by(name_terms.c.key).limit(PREFIX_TERMS))
    return set(conn.scalars(q))


def candidate_terms(conn: Connection, word: str) -> set[str]:
    """Indexed words that may match ``word``: itself, its prefix extensions, and words that
    share a deletion key with it (checked later by edit distance)."""
    keys = sorted(_keys(word))
    return set(conn.scalars(_BY_KEYS, {"part": keys})) | _prefix(conn, word)


_P1, _P2 = name_postings.alias("p1"), name_postings.alias("p2")
_BOTH = (select(_P1.c.term, _P2.c.term, _P1.c.norm)
         .select_from(_P1.join(_P2, _P1.c.norm == _P2.c.norm))
         .where(_P1.c.term.in_(bindparam("a", expanding=True)),
                _P2.c.term.in_(bindparam("b", expanding=True))).limit(POSTINGS))
_IN_NAMES = select(name_postings.c.term, name_postings.c.norm).where(
    name_postings.c.term.in_(bindparam("terms", expanding=True)), name_postings.c.norm.in_(PART))


def matches(conn: Connection, query: str) -> tuple[list[str], dict[str, dict[int, tuple]]]:
    """(the query's words, normalised name -> {query word position: (similarity, the name's
    word it matched)}). Each query word reads at most ``POSTINGS`` names through the indexed
    words similar to it (:func:`.namescore.similarity`); a word whose names were read only in
    part (a common one) is then looked up in the best ``POSTINGS`` names a rarer word found
    (when every word is common: first the names holding the two longest together, then the
    best of all the names found), so those know all their matching words."""
    from .namescore import similarity
    qwords = query_words(query)
    out: dict[str, dict[int, tuple]] = {}
    partial: dict[int, dict[str, float]] = {}

    def note(qi: int, term: str, norm: str, sim: float) -> None:
        got = out.setdefault(norm, {})
        if qi not in got or sim > got[qi][0]:
            got[qi] = (sim, term)
    for qi, word in enumerate(qwords):
        sims = {t: v for t in candidate_terms(conn, word) if (v := similarity(word, t)) > 0}
        for part in _chunks(sorted(sims)):
            rows = conn.execute(_NORMS_OF, {"part": part}).all()
            if len(rows) >= POSTINGS:
                partial[qi] = sims
            for term, norm in rows:
                note(qi, term, norm, sims[term])
    common = sorted(partial, key=lambda i: (-len(qwords[i]), i))
    if len(common) >= 2 and all(qi in partial for got in out.values() for qi in got):
        # every word is common: the names holding the two longest together come first
        a, b = common[:2]
        for ta, tb, norm in conn.execute(_BOTH, {"a": sorted(partial[a])[:CHUNK],
                                                 "b": sorted(partial[b])[:CHUNK]}):
            note(a, ta, norm, partial[a][ta])
            note(b, tb, norm, partial[b][tb])
    # the names a rarer word found, when there is one (else all the names found)
    # (the best ``POSTINGS`` of them by the letters matched so far)
    rare = [n for n, got in out.items() if any(qi not in partial for qi in got)] or list(out)
    size = [len(q) for q in qwords]
    names = sorted(heapq.nlargest(POSTINGS, rare, key=lambda n: (
        sum(s * size[i] for i, (s, _w) in out[n].items()), -len(n), n)))
    for qi, sims in partial.items():
        for terms in _chunks(sorted(sims)):
            for part in _chunks(names):
                for term, norm in conn.execute(_IN_NAMES, {"terms": terms, "part": part}):
                    note(qi, term, norm, sims[term])
    return qwords, out
