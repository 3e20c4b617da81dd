"""Modality of a claim (asserted / reported / hedged / denied) from the cues around it.

The rule finder's verdict is one feature; the others say which cues the sentence holds (attribution
verbs and prepositions, hedges, the Spanish conditional, negations), where they stand against the
claim's anchors, whether the rules judge each cue to govern them, and the cue words themselves.
"""
from __future__ import annotations

from .features import bucket, lemma

KINDS = ("reported", "reported-prep", "hedged", "denied")


def modality_features(state, sv, anchors: list[int], rtype: str, rule_modality: str) -> dict[str, float]:
    mod, doc = sv.mod, state.doc
    f = {f"rule={rule_modality}": 1.0, f"rtype={rtype}": 1.0, f"lang={state.lex.lang}": 1.0,
         f"lang={state.lex.lang}|rule={rule_modality}": 1.0}
    lo = min(anchors)
    hi = max(anchors)
    for kind, s, e, src in mod.cues(sv.sent):
        where = "before" if e <= lo else ("after" if s > hi else "between")
        f[f"cue={kind}"] = 1.0
        f[f"cue={kind}|{where}"] = 1.0
        f[f"cue={kind}|dist={bucket(min(abs(s - lo), abs(s - hi)), (2, 5, 10, 20))}"] = 1.0
        f[f"cueword={lemma(doc[s])}"] = 1.0
        if src:
            f[f"cue={kind}|source"] = 1.0
        try:
            if mod.governs(s, e, kind, anchors[0]):
                f[f"cue={kind}|governs"] = 1.0
        except (IndexError, AttributeError):
            pass
    if sv.evidence.rstrip().endswith(("”", '"', "»")) or sv.evidence.lstrip().startswith(("“", '"', "«")):
        f["quoted"] = 1.0
    return f


def source_of(sv, anchors: list[int]) -> str | None:
    """The nearest source the sentence names (for a claim judged reported)."""
    best, dist = None, None
    for kind, s, e, src in sv.mod.cues(sv.sent):
        if kind.startswith("reported") and src:
            d = min(abs(s - a) for a in anchors)
            if dist is None or d < dist:
                best, dist = src, d
    return best
