"""Who did it and to whom, beyond the nearest name: the parsed subject of a cue verb, the
actors listed with a subject, and the first object of an attack with those listed with it."""
from __future__ import annotations

from .context import SM
from .sentence import SentView


def parsed_subject(sv: SentView, a: int, types) -> SM | None:
    """The name that is the grammatical subject of the cue verb, where the parse has one:
    'X, leader of G, killed Y' is X's act, though G is nearer."""
    if not sv.ctx.has_parse or sv.doc[a].pos_ != "VERB":
        return None
    for child in sv.doc[a].children:
        if child.dep_ == "nsubj" and child.i < a:
            return next((m for m in sv.of_types(types) if m.start <= child.i < m.end), None)
    return None


#: What may stand between two subjects joined in one list ('the GNB and the Cicpc', 'agentes
#: del Sebin, de la PNB y del Cicpc').
LIST_GAP = {",", "and", "y", "e", "of", "the", "de", "del", "la", "el", "los", "las", "(", ")"}


def co_subjects(sv: SentView, subj: SM, cue: int, types, exclude: set[int]) -> list[SM]:
    """The actors listed with ``subj`` before the cue ('units of X and Y killed Z'): names of
    ``types`` on either side of it, separated only by list words, with an 'and' among them."""
    cands = sorted(sv.of_types(types, exclude), key=lambda m: m.start)
    out: list[SM] = []
    joined = False
    for side in (reversed([m for m in cands if m.end <= subj.start]),
                 (m for m in cands if subj.end <= m.start and m.end <= cue)):
        cur = subj
        for m in side:
            left, right = (m, cur) if m.end <= cur.start else (cur, m)
            gap = [t.lower_ for t in sv.doc[left.end:right.start]]
            if not all(w in LIST_GAP for w in gap):
                break
            joined = joined or any(w in ("and", "y", "e") for w in gap)
            if m.ent != subj.ent and all(m.ent != o.ent for o in out):
                out.append(m)
            cur = m
    return out if joined else []


def first_object_list(sv: SentView, objs: list[SM]) -> list[SM]:
    """The victim of an attack is the first object (and those listed with it), not the body
    named in its apposition ('killed X, a detective of the Y')."""
    out = objs[:1]
    for o in objs[1:]:
        gap = sv.doc[out[-1].end:o.start].text.strip().lower()
        if gap in (",", "and", "y", ", and", "e"):
            out.append(o)
        else:
            break
    return out
