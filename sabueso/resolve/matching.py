"""Candidate links between name keys: blocking, then conservative type-aware rules.

A :class:`Profile` is everything known under one name key (all records of one type with one
normalised name, and for places one country). :func:`block_keys` files each profile under a
few keys; only profiles sharing a block are compared, so the cost grows with the number of
profiles, not its square (blocks are read in one pass; disagreeing alias holders are compared
pairwise, within ``CAP``; names in a typo block only with those sharing a deletion string,
within ``MAX_TYPO``).

Rules, by block kind (each link is ``(score, key_a, key_b, rule, needs)``; a link whose
``needs`` keys are not all in one cluster by the time it comes is skipped):

- ``x`` same normalised string: two names (compatible types, or two of the ``NAMED_BODIES``
  of :mod:`.profile`: a group typed Organization in one document), or a name and another's alias,
  unless the alias is held by several incompatible entities; alias shared by two entities
  (persons: only with compatible names, "hector x" ~ "hector x y"). A lower-case common noun
  ("police", keyed per document) only joins a proper name it equals, never another noun.
- ``a`` acronym: an all-caps alias equal to the initials of one multiword entity.
- ``p`` partial person name: "hector x" and the one longer person extending it.

"One entity" is checked late: with several candidate names (typo variants of one name, or
really different ones) the link is *pending* (weakest) and needs them all in one cluster.
- ``f`` typo: same tokens but one, that one within 1 (2 if 9+ letters) Levenshtein edits
  (rapidfuzz) and sharing its first letter or its metaphone key (rigour); each name links to
  the most written (then earliest) one that qualifies and is not itself a typo variant (no
  chains).
- ``g`` the same gazetteer record (places).
"""
from __future__ import annotations

from typing import AbstractSet, Collection, Iterable, Iterator

from .names import acronym_variants, person_compatible, sub_names
from .profile import EMPTY, Profile, compatible, joinable, type_class
from .typos import (MAX_TYPO, TYPO_SCORE, budget, deletions, typo_blocks, typo_keys, typo_links,
                    typo_rests)

__all__ = ["CAP", "EMPTY", "MAX_TYPO", "PASSES", "SCORES", "Profile", "block_keys",
           "candidate_links", "compatible", "index_keys", "strongest_first", "type_class",
           "typo_blocks"]

CAP = 64           # alias holders compared pairwise when their names disagree
SCORES = {"same_name": 1.0, "geo": 0.97, "name_alias": 0.95, "shared_alias": 0.9,
          "acronym": 0.9, "typo": TYPO_SCORE, "partial_name": 0.8, "pending": 0.7}


def _names(p: Profile, c: str, toks: tuple[str, ...]) -> list[str]:
    if p.generic:
        return [f"x|{c}|{p.norm}"]
    return [f"x|{c}|{p.norm}", *(f"x|{c}|{a}" for a in p.aliases)]


def _shapes(p: Profile, c: str, toks: tuple[str, ...],
            held: AbstractSet[str] | None = None) -> list[str]:
    """Acronym, partial-name and gazetteer blocks (with ``held``: only the acronym blocks
    among those that can give a link, and the partial-name blocks of the name itself, not of
    its shorter forms: see :func:`_partials`)."""
    if p.generic:
        return []
    out = [f"g|{p.geo}"] if p.geo else []
    if p.type == "Person":
        if len(toks) >= 2:
            out.append(f"p|{p.norm}")
            if held is None:
                out.extend(f"p|{s}" for s in sub_names(toks))
    elif held is None:
        out.extend(f"a|{c}|{a}" for a in p.acronyms | acronym_variants(p.norm))
    else:
        out.extend(b for b in (f"a|{c}|{a}" for a in p.acronyms | _variants(p.norm))
                   if b in held)
    return out


# candidate_links computes each name's variants once: caching them would only add, per name,
# an insertion into an ever bigger cache dict (a cost that grows with the run), never read
_variants = acronym_variants.__wrapped__


def _partials(p: Profile, toks: tuple[str, ...]) -> list[str]:
    """The partial-name blocks of a person's shorter forms."""
    if p.generic or p.type != "Person":
        return []
    return [f"p|{s}" for s in sub_names(toks)]


PASSES = (_names, _shapes, typo_keys)


def block_keys(p: Profile) -> list[str]:
    c, toks = type_class(p.type), p.tokens
    return [b for fn in PASSES for b in fn(p, c, toks)]


def index_keys(p: Profile) -> list[str]:
    """The blocks under which the store files ``p`` for incremental resolution (finding the
    stored names a new one may link with, without reading whole big blocks):

    - name, alias, gazetteer and partial-name blocks, as :func:`block_keys`;
    - acronyms: ``a|`` for each acronym the name or a surface form gives, ``A|`` for those
      written as one (only a block holding an ``A`` can give a link);
    - typos: for each token the typo rule may vary, one ``d|`` block per string its
      deletions within the typo budget make (the rest of the name included), so only names
      within that budget share one, not every name with the same first letter or sound."""
    c, toks = type_class(p.type), p.tokens
    out = [*_names(p, c, toks), *_shapes(p, c, toks)]
    if not p.generic and p.type != "Person":
        out.extend(f"A|{c}|{a}" for a in p.acronyms)
    for i, head, rest in typo_rests(p, c, toks):
        t = toks[i]
        out.extend(f"d|{head}|{d}|{rest}" for d in sorted(deletions(t, budget(len(t)))))
    return out


def _chain(members: list[Profile], score: float, rule: str, out: list) -> None:
    for q in members[1:]:
        if joinable(members[0].type, q.type):
            out.append((score, members[0].key, q.key, rule, ()))


def _names_agree(ps: list[Profile]) -> bool:
    """Non-persons always; persons when each name fits the longest one ("hector x",
    "hector y" and "hector x y" agree; "hector x" and "luis x" do not)."""
    people = [p for p in ps if p.type == "Person"]
    if not people:
        return True
    longest = max(people, key=lambda p: (len(p.tokens), p.key))
    return all(p is longest or person_compatible(p.tokens, longest.tokens) for p in people)


def _exact(s: str, ms: list[Profile], out: list) -> None:
    named = [p for p in ms if p.norm == s and not p.generic]
    generic = [p for p in ms if p.norm == s and p.generic]
    alias = [p for p in ms if p.norm != s]
    _chain(named, SCORES["same_name"], "same_name", out)
    agree = not alias or _names_agree(alias)
    # the alias holders' names disagree ("hector x y" and its typo "hector x yy", or two
    # different "El Gordo"): links wait until the holders are found to be one entity
    need = () if agree else tuple(p.key for p in alias)
    score = SCORES["name_alias" if agree else "pending"]
    target = named[0] if named else (alias[0] if alias else None)
    for g in generic:     # a common noun ("los zafiros" in lower case) joins a proper name
        if target is not None and joinable(g.type, target.type):
            out.append((score if not named else SCORES["name_alias"], g.key, target.key,
                        "name_alias", () if named else need))
    if named:
        for a in alias:
            if joinable(a.type, named[0].type):
                out.append((score, a.key, named[0].key, "name_alias", need))
    elif len(s) >= 3:
        for a in alias[1:]:
            if joinable(a.type, alias[0].type):
                out.append((SCORES["shared_alias"] if agree else score, a.key, alias[0].key,
                            "shared_alias", need))
    if not agree:          # holders whose names agree share the alias anyway
        for i, a in enumerate(alias[:CAP]):
            for b in alias[i + 1:CAP]:
                if _names_agree([a, b]):
                    out.append((SCORES["shared_alias"], a.key, b.key, "shared_alias", ()))


def _unique(rule: str, short: list[Profile], longs: list[Profile], out: list) -> None:
    """Link ``short`` to the one entity ``longs`` stand for (pending if several names)."""
    need = tuple(p.key for p in longs) if len({p.norm for p in longs}) > 1 else ()
    for p in short:
        if p is not longs[0] and compatible(p.type, longs[0].type):
            out.append((SCORES["pending" if need else rule], p.key, longs[0].key, rule, need))


def _acronym(s: str, ms: list[Profile], out: list) -> None:
    holders, longs = [], []
    for p in ms:        # in the block: ``s`` is one of its acronyms, or of its name's variants
        if s not in p.acronyms:
            longs.append(p)
        else:
            holders.append(p)
            if s in acronym_variants(p.norm):
                longs.append(p)
    if holders and longs:
        _unique("acronym", holders, longs, out)


def _partial(s: str, ms: list[Profile], out: list) -> None:
    short = [p for p in ms if p.norm == s]
    longs = [p for p in ms if p.norm != s]
    if short and longs:
        _unique("partial_name", short, longs, out)


def _group(items: Iterable[tuple[str, Profile]]) -> dict[str, Profile | list[Profile]]:
    """Block -> its one profile, or the list of them (in order) once a second one comes: most
    blocks hold one profile and need no list."""
    blocks: dict[str, Profile | list[Profile]] = {}
    put = blocks.setdefault
    for b, p in items:
        ms = put(b, p)
        if ms is not p:
            if isinstance(ms, list):
                ms.append(p)
            else:
                blocks[b] = [ms, p]
    return blocks


def _attach(blocks: dict[str, Profile | list[Profile]], items: Iterable[tuple[str, Profile]]
            ) -> None:
    """Add each profile to its blocks that already hold one (new ones would hold it alone)."""
    get = blocks.get
    for b, p in items:
        ms = get(b)
        if ms is None:
            continue
        if isinstance(ms, list):
            ms.append(p)
        else:
            blocks[b] = [ms, p]


def _shared(blocks: dict[str, Profile | list[Profile]], focus: Collection[str] | None
            ) -> Iterator[tuple[str, list[Profile]]]:
    """The blocks of two or more profiles (with ``focus``: holding one of those keys)."""
    for b, ms in blocks.items():
        if isinstance(ms, list) and (focus is None or any(p.key in focus for p in ms)):
            yield b, ms


def candidate_links(profiles: Iterable[Profile], focus: Collection[str] | None = None
                    ) -> list[tuple[float, str, str, str, tuple]]:
    """Rule links among ``profiles``, strongest first (ties by keys: deterministic); with
    ``focus``, only from blocks holding one of those keys (incremental resolution).

    The blocks are those of :func:`block_keys`, one family at a time (less memory), less the
    ones that cannot give a link: acronym blocks without a holder of the acronym, partial-name
    blocks without a person of that name; typo blocks are filled only for names that share
    all other tokens with another name (found first, by grouping on those): most names share
    them with none, and need no block keys (nor their phonetic key); :func:`~.typos.typo_links` reads
    their first letters and sounds."""
    profiles = list(profiles)
    rows = [(p, type_class(p.type)) for p in profiles]
    out: list[tuple[float, str, str, str, tuple]] = []
    blocks = _group((b, p) for p, c in rows for b in _names(p, c, p.tokens))
    for b, ms in _shared(blocks, focus):
        _exact(b.split("|", 2)[2], ms, out)
    # acronyms that some profile of its class holds: another block has no holder, no link
    held = {f"a|{c}|{a}" for p, c in rows if p.acronyms and not p.generic
            and p.type != "Person" for a in p.acronyms}
    blocks = _group((b, p) for p, c in rows for b in _shapes(p, c, p.tokens, held))
    # a partial-name block links only with the person whose whole name it is: the shorter
    # forms of longer names only join the blocks that such a name opened (in the same order
    # within the two kinds of member, which is all that the rule reads)
    _attach(blocks, ((b, p) for p, _ in rows for b in _partials(p, p.tokens)))
    for b, ms in _shared(blocks, focus):
        kind, _, rest = b.partition("|")
        if kind == "a":
            _acronym(rest.partition("|")[2], ms, out)
        elif kind == "p":
            _partial(rest, ms, out)
        elif kind == "g":
            _chain(ms, SCORES["geo"], "geo", out)
    # typo blocks ("f|class|tokens|i|letter or ~phonetic|rest"), within the names that share
    # everything but token i
    blocks = _group((b, p) for p, c in rows for b in typo_blocks(p, c))
    for b, ms in _shared(blocks, focus):
        typo_links(int(b.split("|", 3)[2]), ms, out, focus)
    del blocks
    return strongest_first(out)


def strongest_first(links: list[tuple[float, str, str, str, tuple]]
                    ) -> list[tuple[float, str, str, str, tuple]]:
    """``links`` ordered by score (highest first), then by their two keys: the order of
    ``sort(key=lambda e: (-e[0], e[1], e[2]))`` (stable too), but with the few scores as
    buckets and each bucket sorted on one string per link (``a NUL b``: compares like the pair
    for keys without NUL), not a 3-tuple: far fewer, cheaper comparisons."""
    by_score: dict[float, list] = {}
    for e in links:
        bucket = by_score.get(e[0])
        if bucket is None:
            bucket = by_score[e[0]] = []
        bucket.append(e)
    out: list[tuple[float, str, str, str, tuple]] = []
    for score in sorted(by_score, reverse=True):
        bucket = by_score[score]
        bucket.sort(key=_pair_key)
        out += bucket
    return out


def _pair_key(link: tuple) -> str:
    return f"{link[1]}\0{link[2]}"
