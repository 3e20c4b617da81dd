"""One sentence seen by the relation rules: its mentions, its sources, and claim building."""
from __future__ import annotations

from ..core import Claim
from .context import SM, DocContext
from .modality import ModalityFinder
from .sentindex import sent_of
from .temporal import time_bounds


class SentView:
    def __init__(self, ctx: DocContext, mod: ModalityFinder, sent):
        self.ctx, self.mod, self.sent = ctx, mod, sent
        self.doc = ctx.doc
        self.text = sent.text       # built from the tokens on every access: read once
        self.lead = len(self.text) - len(self.text.lstrip())
        self.evidence = self.text.strip()
        self.words = [t.lower_.replace("’", "'") for t in sent]
        all_m = ctx.in_span(sent.start, sent.end)
        self.sources = self._sources(all_m)
        self.mentions = [m for m in all_m if m not in self.sources]
        self.all_mentions = all_m
        self.claims: list[Claim] = []
        # filled by the structure rules, read by the place rules
        self.frame: SM | None = None                  # 'In X, ...' framing place
        self.located_children: set[int] = set()
        self.containers: set[int] = set()
        self.container_of: dict[int, int] = {}
        self.role_places: set[int] = set()
        self.quantities: list = []                    # the rules' figures of this sentence

    # -- sources -------------------------------------------------------------------------
    def _sources(self, mentions: list[SM]) -> list[SM]:
        ctx, lex, sent = self.ctx, self.ctx.lex, self.sent
        out = []
        for s, e, _ in lex.attribution_preps.find(self.words):
            a = sent.start + e
            z = a
            while z < sent.end and self.doc[z].text not in (",", ";", "."):
                z += 1
            out += [m for m in mentions if a <= m.start and m.end <= z]
        if ctx.has_parse:
            for m in mentions:
                tok = self.doc[m.end - 1]
                head = tok.head
                chain = [tok, *tok.ancestors]
                for t in chain[:4]:
                    if t.dep_ in ("nsubj",) and t.head.lower_ in lex.attribution_verbs:
                        out.append(m)
                        break
                if head.lower_ in ("to", "a") and head.head.lower_ in ("told", "said", "confirmed", "dijo", "confirmed"):
                    out.append(m)
        return out

    # -- lookups -------------------------------------------------------------------------
    def of_types(self, types, exclude: set[int] | None = None, sources: bool = False) -> list[SM]:
        exclude = exclude or set()
        pool = self.all_mentions if sources else self.mentions
        return [m for m in pool if self.ctx.etype(m) in types and m.ent not in exclude]

    def nearest(self, types, pos: int, side: str = "any", max_gap: int = 99,
                exclude: set[int] | None = None, sources: bool = False) -> SM | None:
        best, dist = None, None
        for m in self.of_types(types, exclude, sources):
            if side == "before" and m.end > pos:
                continue
            if side == "after" and m.start <= pos:
                continue
            d = pos - m.end + 1 if m.end <= pos else m.start - pos
            d = max(d, 0)
            if d <= max_gap and (dist is None or d < dist):
                best, dist = m, d
        return best

    def previous_entity(self, typ: str, before: int, exclude: set[int]) -> int | None:
        """The entity of ``typ`` a possessive points back to: the latest one that was a
        grammatical subject before this sentence, else the latest one named."""
        found = [m for m in reversed(self.ctx.mentions) if m.end <= before and m.kind == "name"
                 and self.ctx.etype(m) == typ and m.ent not in exclude]
        for m in found:
            if m.start < self.sent.start and self.ctx.is_subject(m, sent_of(self.doc, m.start)):
                return m.ent
        return found[0].ent if found else None

    def main_actor(self, types=("CriminalGroup",), exclude: set[int] | None = None) -> SM | None:
        cands = self.of_types(types, exclude)
        subj = [m for m in cands if self.ctx.is_subject(m, self.sent)]
        return (subj or cands or [None])[0]

    # -- claims --------------------------------------------------------------------------
    def clause_text(self, anchor: int) -> str:
        ctx = self.ctx
        if not ctx.has_parse:
            return self.text
        head = ctx.clause_head(anchor)
        return self.doc[head.left_edge.i:head.right_edge.i + 1].text

    def add(self, rtype: str, subj: int, obj, anchors: list[int], qualifiers: dict | None = None,
            since_until: tuple | None = None, modality=None) -> Claim | None:
        if isinstance(obj, int) and obj == subj:
            return None
        c = self.make_claim(rtype, subj, obj, anchors, qualifiers, since_until, modality)
        for other in self.claims:
            if (other.type, other.subject, other.object, other.modality) == \
                    (c.type, c.subject, c.object, c.modality):
                return other
        self.claims.append(c)
        return c

    def make_claim(self, rtype: str, subj: int, obj, anchors: list[int], qualifiers: dict | None = None,
                   since_until: tuple | None = None, modality=None) -> Claim:
        """A claim of this sentence: its evidence, its clause's modality and time bounds."""
        sent = self.sent
        lead, evidence = self.lead, self.evidence
        mod = modality or self.mod.find(sent, anchors)
        since, until = since_until or time_bounds(self.clause_text(anchors[0]), self.ctx.lex)
        c = Claim(type=rtype, subject=subj, object=obj, evidence=evidence,
                  start=sent.start_char + lead, end=sent.start_char + lead + len(evidence),
                  modality=mod.modality, attributed_to=mod.attributed_to,
                  since=since, until=until, qualifiers=qualifiers or {})
        return c
