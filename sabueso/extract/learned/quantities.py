"""Figures as candidates: every number of a sentence paired with each entity it may describe.

The rules read a figure only next to a known measure word ('2,700 members'); here every number
that is no year, date or age becomes a candidate, paired with every entity of its sentence (and
the group the last sentences were about), and a trained scorer picks the entity it describes or
none. The measure is the rules' when they read one, else the words that follow the number.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ...core import Quantity
from ..numbers import figure_modality, parse_number
from .features import bucket, lemma

YEAR = re.compile(r"(1[89]|20)\d\d")
SUBJECT_TYPES = ("CriminalGroup", "GovernmentBody", "Place", "Organization", "Prison", "Person")


@dataclass
class QCand:
    subj: int
    value: float
    token: int
    sent: int
    measure: str
    qualifier: str | None
    feats: dict = field(default_factory=dict)
    rule: object = None
    score: float = 0.0


def _numbers(state, sv):
    """(token index, value, last token of the number) of each figure in the sentence."""
    lex, words = state.lex, sv.words
    out = []
    i = 0
    toks = list(sv.sent)
    while i < len(toks):
        tok, w = toks[i], words[i]
        if not (tok.like_num or w in lex.number_words) or state.ctx.tok_ent.get(tok.i) is not None:
            i += 1
            continue
        value = parse_number(tok.text, lex)
        if value is None or (YEAR.fullmatch(tok.text) and i + 1 < len(words) and words[i + 1] not in lex.multipliers):
            i += 1
            continue
        end = i
        if i + 1 < len(words) and words[i + 1] in lex.multipliers:
            value *= lex.multipliers[words[i + 1]]
            end = i + 1
        out.append((tok.i, value, toks[end].i))
        i = end + 1
    return out


def quantity_candidates(state) -> list[QCand]:
    doc, lex = state.doc, state.lex
    rule_at = {(getattr(q, "token", None), q.subject): q for q in state.base_quantities}
    rule_tokens = {getattr(q, "token", None) for q in state.base_quantities}
    out: list[QCand] = []
    topic = None
    counts: dict[int, int] = {}
    for m in state.ctx.mentions:
        counts[m.ent] = counts.get(m.ent, 0) + 1
    groups_all = [e for e in counts if state.ents[e].type == "CriminalGroup" and e not in state.dropped]
    main = max(groups_all, key=lambda e: counts[e]) if groups_all else None
    for i, sv in enumerate(state.views):
        ms = [m for m in sv.all_mentions if m.ent not in state.dropped and m.end > m.start
              and state.ents[m.ent].type in SUBJECT_TYPES]
        groups = [m for m in ms if state.ents[m.ent].type == "CriminalGroup"]
        nums = _numbers(state, sv)
        subjects = {m.ent: m for m in ms}
        # the entities of the two sentences before (a figure often describes what they named)
        before = {m.ent for v in state.views[max(0, i - 2):i] for m in v.all_mentions
                  if m.ent not in state.dropped and state.ents[m.ent].type in SUBJECT_TYPES}
        present = sorted({state.ents[e].type for e in subjects})
        for tok, value, last in nums:
            near = {e: m for e, m in subjects.items()}
            order = _by_distance(subjects, tok, last)
            for e in (topic, main, *sorted(before)):
                if e is not None and e not in near:
                    near[e] = None
            for e, m in near.items():
                rule = rule_at.get((tok, e))
                measure = rule.measure if rule is not None else _measure(doc, last, sv)
                qualifier = rule.qualifier if rule is not None else _qualifier(lex, sv, tok)
                feats = _features(state, sv, tok, last, value, e, m, rule, tok in rule_tokens, qualifier)
                feats[f"salience={bucket(counts.get(e, 0), (1, 3, 8, 20))}"] = 1.0
                if e == main:
                    feats["main_group"] = 1.0
                if e == topic:
                    feats["topic_group"] = 1.0
                if m is None and e in before:
                    feats[f"subj={state.ents[e].type}|previous_sentences"] = 1.0
                _relative(feats, state, e, m, order, present)
                out.append(QCand(e, value, tok, i, measure, qualifier, feats, rule))
        if groups:
            topic = groups[-1].ent
    return out


def _by_distance(subjects: dict, tok: int, last: int) -> dict:
    """Rank of each entity of the sentence by its distance to the figure: overall, and among
    those before and those after it."""
    dist = {e: (m.start - last if m.start > tok else tok - m.end, m.start > tok) for e, m in subjects.items()}
    ranks = {}
    for e, (d, after) in dist.items():
        ranks[e] = (sum(1 for x, _ in dist.values() if x < d),
                    sum(1 for x, a in dist.values() if a == after and x < d), after)
    return ranks


def _relative(f: dict, state, e: int, m, order: dict, present: list) -> None:
    """Features that compare an entity with the others that figure could describe."""
    etype = state.ents[e].type
    f[f"sentence_entities={min(len(order), 3)}"] = 1.0
    if m is None:
        for t in present:
            f[f"outside|sentence_has={t}"] = 1.0
        if not present:
            f["outside|sentence_empty"] = 1.0
        return
    rank, side_rank, after = order[e]
    f[f"rank={min(rank, 2)}"] = 1.0
    f[f"side_rank={'after' if after else 'before'}{min(side_rank, 2)}"] = 1.0
    f[f"subj={etype}|rank={min(rank, 2)}"] = 1.0
    prev = state.doc[m.start - 1] if m.start > 0 else None
    if prev is not None and prev.pos_ == "ADP":
        f[f"prep={prev.lower_}"] = 1.0
        f[f"subj={etype}|prep={prev.lower_}"] = 1.0


def _measure(doc, last: int, sv) -> str:
    words = []
    for t in doc[last + 1:min(sv.sent.end, last + 4)]:
        if t.is_punct or t.pos_ in ("ADP", "VERB", "AUX", "CCONJ", "SCONJ") and words:
            break
        if t.is_alpha and t.pos_ not in ("DET",):
            words.append(t.lower_)
    return "_".join(words[:2]) or "count"


def _qualifier(lex, sv, tok: int) -> str | None:
    k0 = tok - sv.sent.start
    for k in range(max(0, k0 - 4), k0):
        q = lex.qualifiers.match_at(sv.words, k)
        if q and k + q[0] >= k0 - 1:
            return q[1]
    return None


def _features(state, sv, tok, last, value, e, m, rule, rule_tok, qualifier) -> dict[str, float]:
    doc, ctx = state.doc, state.ctx
    etype = state.ents[e].type
    f = {f"lang={state.lex.lang}": 1.0, f"subj={etype}": 1.0, f"mag={int(math.log10(max(value, 1)))}": 1.0}
    if rule is not None:
        f["rule_same"] = 1.0
        f[f"rule_measure={rule.measure}"] = 1.0
    elif rule_tok:
        f["rule_other_subject"] = 1.0
    if qualifier:
        f["qualifier"] = 1.0
    if doc[tok].text.isdigit() and len(doc[tok].text) == 4:
        f["four_digits"] = 1.0
    for k in (1, 2, 3):
        if tok - k >= sv.sent.start:
            f[f"p{k}={lemma(doc[tok - k])}"] = 1.0
        if last + k < sv.sent.end:
            f[f"n{k}={lemma(doc[last + k])}"] = 1.0
            f[f"subj={etype}|n{k}={lemma(doc[last + k])}"] = 1.0
    if m is None:
        f["not_in_sentence"] = 1.0
    else:
        d = m.start - tok if m.start > tok else tok - m.end
        f[f"side={'after' if m.start > tok else 'before'}"] = 1.0
        f[f"dist={bucket(abs(d), (2, 5, 10, 20))}"] = 1.0
        if ctx.is_subject(m, sv.sent):
            f["subj_is_subject"] = 1.0
        others = [x for x in sv.all_mentions if x.ent != e and min(x.start, m.start) < x.start < max(tok, m.start)]
        f[f"between_ents={min(len(others), 3)}"] = 1.0
    return f


def choose_quantities(state, cands: list[QCand], threshold: float) -> list[Quantity]:
    """For each number, the entity it most likely describes, when likely enough."""
    best: dict[int, QCand] = {}
    for c in cands:
        if c.score >= threshold and (c.token not in best or c.score > best[c.token].score):
            best[c.token] = c
    out = []
    for c in sorted(best.values(), key=lambda c: c.token):
        sv = state.views[c.sent]
        q = Quantity(subject=c.subj, measure=c.measure, value=c.value, evidence=sv.evidence,
                     start=sv.sent.start_char + sv.lead, end=sv.sent.start_char + sv.lead + len(sv.evidence),
                     qualifier=c.qualifier, extractor="learned" if c.rule is None else c.rule.extractor)
        q.confidence = round(c.score, 4)
        mod = figure_modality(sv, c.token)
        q.modality, q.attributed_to = mod.modality, mod.attributed_to
        out.append(q)
    return out
