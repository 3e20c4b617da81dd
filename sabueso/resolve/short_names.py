"""Within one document, a person's shorter name ("Oporto", "Tomás", "Oporto Lid") is the
person whose full name it shortens, when exactly one person of that document fits.

A short name fits a longer one when its words appear in the longer name in order (accents,
case and a leading article ignored): a bare surname, a bare given name, or the surnames
without the given names. With two candidates ("Oporto" beside two brothers who share that
surname) the short name stays its own record, for a reviewer: never a guess.
"""
from __future__ import annotations

from typing import Iterable

from .names import norm_name


def _in_order(short: tuple[str, ...], long_: tuple[str, ...]) -> bool:
    it = iter(long_)
    return all(t in it for t in short)


def short_name_owners(people: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """``(local id, names)`` of one document's persons (name first, then aliases) -> {short
    one's id: the full name's id} for each person whose name, a shorter one, fits longer
    names (a name or an alias) of just one person of the document, or of one person and that
    person's own shorter forms ("x" under "hector x" and "hector x y")."""
    rows = []
    for i, names in people:
        forms = [t for t in (tuple(norm_name(n).split()) for n in names) if t]
        if forms:
            # a one-word nickname with the surnames ("gato oporto" for "ariel tomas
            # oporto", alias "gato") fits too
            rows.append((i, forms + [(*a, *forms[0][1:]) for a in forms[1:]
                                     if len(a) == 1 and len(forms[0]) > 1]))
    fits = {i: {j for j, other in rows if j != i
                and any(len(u) > len(forms[0]) and _in_order(forms[0], u) for u in other)}
            for i, forms in rows}
    longest = {i: max(map(len, forms)) for i, forms in rows}
    owner: dict[str, str] = {}
    for i, _ in sorted(rows, key=lambda r: -longest[r[0]]):   # longest first: owners final
        tops = {owner.get(j, j) for j in fits[i]}
        if len(tops) == 1 and i not in tops:
            owner[i] = next(iter(tops))
    return owner
