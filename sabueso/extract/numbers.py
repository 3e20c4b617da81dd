"""Numbers in English and Spanish ("2,700", "2.700", "five", "cinco", "3 million") and
quantity facts ("more than 2,700 members")."""
from __future__ import annotations

import re

from ..core import Quantity
from .lexicon import Lexicon


PEOPLE = {"people", "persons", "personas", "men", "women", "civilians", "hombres", "mujeres",
          "individuals", "suspects", "gunmen", "soldiers", "officers"}


#: Below this, "N men" ("hombres", "gunmen") are people the text goes on to name or to follow,
#: not a group's size ("a band of 300 men").
SMALL_BAND = 20


def parse_number(text: str, lex: Lexicon) -> float | None:
    t = text.strip().lower()
    if t in lex.number_words:
        return float(lex.number_words[t])
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", t):
        return float(re.sub(r"[.,]", "", t))
    if re.fullmatch(r"\d+", t):
        return float(t)
    if re.fullmatch(r"\d+[.,]\d+", t):
        return float(t.replace(",", "."))
    return None


def figure_span(sv, tok_i: int) -> tuple[int, int]:
    """The tokens of a figure's own words: its qualifier ('no fewer than'), the number and
    the words up to the measure it counts ('300 alleged members')."""
    lex, words = sv.ctx.lex, sv.words
    i = tok_i - sv.sent.start
    lo, hi = i, i + 1
    for k in range(max(0, i - 4), i):
        q = lex.qualifiers.match_at(words, k)
        if q and k + q[0] >= i - 1:
            lo = k
            break
    for j in range(i + 1, min(len(words), i + 5)):
        m = lex.measures.match_at(words, j)
        if m:
            hi = j + m[0]
            break
    return sv.sent.start + lo, sv.sent.start + hi


def figure_modality(sv, tok_i: int):
    """How sure the text is of the figure at token ``tok_i``: the modality finder that
    relations use, anchored on the number (cues inside the figure's own words left out)."""
    return sv.mod.find(sv.sent, [tok_i], skip=figure_span(sv, tok_i))


def extract_quantities(sv, subject_for) -> list[Quantity]:
    lex = sv.ctx.lex
    doc, sent, words = sv.doc, sv.sent, sv.words
    out: list[Quantity] = []
    for i, tok in enumerate(sent):
        if not (tok.like_num or words[i] in lex.number_words):
            continue
        if sv.ctx.tok_ent.get(tok.i) is not None:
            continue
        value = parse_number(tok.text, lex)
        if value is None or (1900 <= value <= 2100 and re.fullmatch(r"\d{4}", tok.text)):
            continue
        if i + 1 < len(words) and words[i + 1] in lex.multipliers:
            value *= lex.multipliers[words[i + 1]]
        # a date ("May 4") or an age is no quantity
        if i > 0 and words[i - 1] in lex.months or (i + 1 < len(words) and words[i + 1] in ("-year", "years", "años", "de")):
            continue
        measure, j = None, i + 1
        while j < min(len(words), i + 5):
            m = lex.measures.match_at(words, j)
            if m:
                measure = m[1]
                break
            if sent[j].pos_ in ("VERB", "ADP", "PUNCT") and words[j] not in ("other", "otros") or \
                    words[j] in PEOPLE:
                break
            j += 1
        # '34 alleged members had been arrested', '30 people have been killed': the verb says
        # what was counted
        verb_measure = None
        for k in range(i + 1, min(len(words), i + 12)):
            m2 = lex.measures.match_at(words, k)
            if m2 and m2[1] in ("killed", "arrested") and sent[k].pos_ in ("VERB", "AUX", "NOUN"):
                verb_measure = m2[1]
                break
        if verb_measure and (measure in (None, "members") or
                             (j < len(words) and words[j] in PEOPLE)):
            measure = verb_measure
        if measure is None and j < len(words) and words[j] in PEOPLE:
            continue
        if measure is None:
            continue
        if measure == "members" and words[j] in PEOPLE and value < SMALL_BAND:
            continue          # 'around three men: X, Y and Z' names people, counts no members
        qualifier = None
        for k in range(max(0, i - 4), i):
            q = lex.qualifiers.match_at(words, k)
            if q and k + q[0] >= i - 1:
                qualifier = q[1]      # the first, longest: 'no fewer than', not 'fewer than'
                break
        subj = subject_for(sv, tok.i)
        if subj is None:
            continue
        lead, ev = sv.lead, sv.evidence
        mod = figure_modality(sv, tok.i)
        q = Quantity(subject=subj, measure=str(measure), value=value, evidence=ev,
                     start=sent.start_char + lead, end=sent.start_char + lead + len(ev),
                     qualifier=qualifier, modality=mod.modality, attributed_to=mod.attributed_to)
        q.token = tok.i           # read by the learned quantity scorer (not a stored field)
        out.append(q)
    return out
