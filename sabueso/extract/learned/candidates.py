"""Candidate generation: generous on purpose, the trained scorer decides.

Relation candidates are every ordered pair of entity mentions in a sentence (names, and the
nominals and pronouns the anaphora step resolved) whose types the relation's domain and range
accept, every actor × activity cue of a sentence, every actor × commodity named in a
sentence, and every claim the rules made. Each candidate carries the rules' verdict as
features, so a rule becomes evidence for the scorer rather than the final word.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import permutations

from ...ontology import get_ontology
from ..context import SM
from ..relations import cue_hits
from .features import activity_base, conjoin, relation_base, relation_types

ACTORS = ("CriminalGroup", "Person", "Organization")


@dataclass
class RelCand:
    rtype: str
    subj: int
    obj: object                 # entity index, or an activity label
    sent: int                   # index of the sentence view
    anchors: list[int]
    feats: dict = field(default_factory=dict)
    rule: object = None         # the rules' claim for the same fact in this sentence, if any
    score: float = 0.0


def _key(rtype: str, a, b, symmetric: set) -> tuple:
    if rtype in symmetric and isinstance(b, int) and b < a:
        a, b = b, a
    return (rtype, a, b)


def _rule_index(state, symmetric):
    by_sent: dict[int, dict[tuple, object]] = defaultdict(dict)
    pairs: dict[int, dict[tuple, set]] = defaultdict(lambda: defaultdict(set))
    doc_keys = set()
    for c in state.base_claims:
        i = state.sentence_of_char(c.start)
        k = _key(c.type, c.subject, c.object, symmetric)
        by_sent[i].setdefault(k, c)
        doc_keys.add(k)
        if isinstance(c.object, int):
            pairs[i][(c.subject, c.object)].add(c.type)
    return by_sent, pairs, doc_keys


def relation_candidates(state) -> list[RelCand]:
    o = get_ontology()
    symmetric = o.symmetric
    rels = relation_types()
    cue_types = [r for r in rels if state.lex.relation_cues.get(r)]
    by_sent, pairs, doc_keys = _rule_index(state, symmetric)
    counts = Counter(m.ent for m in state.ctx.mentions)
    groups = [e for e in counts if state.ents[e].type == "CriminalGroup" and e not in state.dropped]
    main = max(groups, key=lambda e: counts[e]) if groups else None
    out: list[RelCand] = []
    seen: set = set()
    topic, topic_sent = None, -9
    for i, sv in enumerate(state.views):
        ms = [m for m in sv.all_mentions if m.ent not in state.dropped]
        groups_here = [m for m in ms if state.ents[m.ent].type == "CriminalGroup"]
        if groups_here:
            topic, topic_sent = groups_here[-1].ent, i
        elif topic is not None and i - topic_sent <= 3:
            # no group named here: the group of the last sentences is the implicit actor
            # ('It also runs extortion rackets', 'Opera además en ...')
            ms.append(SM(topic, sv.sent.start, sv.sent.start, kind="implicit"))
        ms += _commodity_mentions(state, sv)
        cues_in = {r: h for r in cue_types if (h := cue_hits(sv, r))}
        lists = coordination(state, ms)
        best: dict[tuple, tuple[SM, SM]] = {}
        for a, b in permutations(ms, 2):
            if a.ent == b.ent:
                continue
            d = abs(a.start - b.start)
            k = (a.ent, b.ent)
            if k not in best or d < abs(best[k][0].start - best[k][1].start):
                best[k] = (a, b)
        for (ea, eb), (a, b) in best.items():
            ta, tb = state.ents[ea].type, state.ents[eb].type
            fitting = [r for r, spec in rels.items() if spec.accepts(ta, tb)]
            if not fitting:
                continue
            base = None
            for r in fitting:
                k = _key(r, ea, eb, symmetric)
                if r in symmetric and ea > eb:
                    continue
                if base is None:
                    base = relation_base(state, sv, a, b, cues_in)
                feats = conjoin(r, base, _cue_extra(state, sv, a, b, r, cues_in) + _rule_extra(
                                    r, ea, eb, k, by_sent[i], pairs[i], doc_keys, main, symmetric)
                                + _list_extra(r, a, b, lists, by_sent[i], symmetric))
                rule = by_sent[i].get(k)
                out.append(RelCand(r, ea, eb, i, [a.start, b.start], feats, rule))
                seen.add((k, i))
        out += _activity_candidates(state, sv, i, ms, by_sent[i], doc_keys, main, seen)
    # what the rules said that no candidate covers (across sentences, from the gazetteer)
    for c in state.base_claims:
        if c.subject in state.dropped or c.object in state.dropped:
            continue
        i = state.sentence_of_char(c.start)
        k = _key(c.type, c.subject, c.object, symmetric)
        if (k, i) in seen:
            continue
        seen.add((k, i))
        extra = ["rule_only", "rule_same", f"extractor={c.extractor or 'rules'}"]
        if c.subject == main:
            extra.append("a_main")
        out.append(RelCand(c.type, c.subject, c.object, i, [state.views[i].sent.start], conjoin(c.type, [], extra), c))
    return out


LIST_GLUE = {",", "and", "y", "e", "or", "o", "u", ";", "&", "as", "well", "así", "como"}


def coordination(state, ms: list[SM]) -> dict[int, list[int]]:
    """Mentions listed together ('Carabobo, Sucre, Bolívar and Miranda'): consecutive mentions
    of one type with only commas and conjunctions between them. Mention start -> the list's
    entities (only for lists of two or more)."""
    doc = state.doc
    named = sorted((m for m in ms if m.end > m.start), key=lambda m: m.start)
    out: dict[int, list[int]] = {}
    run = named[:1]
    for m in named[1:] + [None]:
        prev = run[-1] if run else None
        if m is not None and prev is not None and state.ents[m.ent].type == state.ents[prev.ent].type and \
                m.start > prev.end and all(t.lower_ in LIST_GLUE for t in doc[prev.end:m.start]):
            run.append(m)
            continue
        if len(run) > 1:
            ents = [x.ent for x in run]
            for x in run:
                out[x.start] = ents
        run = [m] if m is not None else []
    return out


def _list_extra(r, a, b, lists, here, symmetric) -> list[str]:
    """What the rules said of the other members of a list the mention belongs to."""
    out = []
    for side, m, other in (("b", b, a), ("a", a, b)):
        members = lists.get(m.start)
        if not members:
            continue
        out.append(f"{side}_list={min(len(members), 5)}")
        if m.ent == members[0]:
            out.append(f"{side}_list_first")
        for x in members:
            if x == m.ent:
                continue
            key = (r, other.ent, x) if side == "b" else (r, x, other.ent)
            if r in symmetric and isinstance(key[2], int) and key[2] < key[1]:
                key = (r, key[2], key[1])
            if key in here:
                out.append(f"{side}_list_rule")
                break
    return out


def _cue_extra(state, sv, a, b, r, cues_in) -> list[str]:
    out = []
    first, second = (a, b) if a.start <= b.start else (b, a)
    for s, _ in cues_in.get(r, ()):
        if first.end <= s < second.start:
            out.append("cue_between")
        if min(abs(s - a.start), abs(s - a.end)) <= 3:
            out.append("cue_near_a")
        if min(abs(s - b.start), abs(s - b.end)) <= 3:
            out.append("cue_near_b")
    return out


def _rule_extra(r, ea, eb, k, here, pairs_here, doc_keys, main, symmetric) -> list[str]:
    out = []
    if k in here:
        out.append("rule_same")
    elif k in doc_keys:
        out.append("rule_elsewhere")
    if r not in symmetric and (r, eb, ea) in here:
        out.append("rule_reversed")
    for other in pairs_here.get((ea, eb), set()) | pairs_here.get((eb, ea), set()):
        if other != r:
            out.append(f"rule_other={other}")
    if ea == main:
        out.append("a_main")
    if eb == main:
        out.append("b_main")
    return out


def _commodity_mentions(state, sv) -> list[SM]:
    out = []
    for s, e, _ in state.lex.commodities.find(sv.words):
        a = sv.sent.start + s
        if state.ctx.tok_ent.get(a) is not None:
            continue
        name = state.doc[a:sv.sent.start + e].text.lower()
        idx = state.commodity(name)
        span = (a, sv.sent.start + e)
        if span not in state.ents[idx].spans:
            state.ents[idx].spans.append(span)       # the mention cites where the text names it
        out.append(SM(idx, a, sv.sent.start + e))
    return out


def _activity_candidates(state, sv, i, ms, here, doc_keys, main, seen) -> list[RelCand]:
    hits = state.lex.activities.find(sv.words)
    out = []
    if not hits:
        return out
    chosen: dict[tuple, tuple] = {}
    for s, _, label in hits:
        cue = sv.sent.start + s
        if state.ctx.tok_ent.get(cue) is not None:
            continue
        for m in ms:
            if state.ents[m.ent].type not in ACTORS:
                continue
            k = ("ACTIVITY", m.ent, label)
            d = abs(cue - m.start)
            if k not in chosen or d < chosen[k][0]:
                chosen[k] = (d, m, cue)
    for k, (_, m, cue) in chosen.items():
        extra = []
        if k in here:
            extra.append("rule_same")
        elif k in doc_keys:
            extra.append("rule_elsewhere")
        if m.ent == main:
            extra.append("a_main")
        feats = conjoin("ACTIVITY", activity_base(state, sv, m, k[2], cue), extra)
        out.append(RelCand("ACTIVITY", m.ent, k[2], i, [m.start, cue], feats, here.get(k)))
        seen.add((k, i))
    return out

