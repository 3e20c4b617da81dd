"""How sure the text is of a fact: asserted, reported (with its source), hedged or denied.

A cue governs its own clause and the clauses below it in the dependency tree: "police
sources said that X leads Y" reports the embedded clause; "according to X" reports the
clause it attaches to; a hedge or negation only touches the clause it sits in.
"""
from __future__ import annotations

from dataclasses import dataclass

from .context import DocContext
from .sentindex import sent_of

@dataclass
class Modality:
    modality: str = "asserted"
    attributed_to: str | None = None


def _source_text(ctx: DocContext, verb) -> str | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            span = ctx.doc[child.left_edge.i:child.right_edge.i + 1]
            return span.text.strip(" ,")
    return None


def _prep_source(ctx: DocContext, start: int, end: int, sent) -> str:
    """Text after 'according to' / 'según' up to the clause comma."""
    doc = ctx.doc
    j = end
    while j < sent.end and doc[j].text not in (",", ";", ":", "."):
        j += 1
    return doc[end:j].text.strip()


SEGMENT_BREAKS = {",", ";", ":", "(", ")", "—", "–", "«", "»", "“", "”", '"'}
LEADING_FILLERS = {"y", "e", "que", "pero", "además", "también", "incluso", "ya", "en", "cambio",
                   "and", "but", "also", "la", "el", "los", "las"}
AUXILIARIES = {"ha", "han", "había", "habían", "habría", "habrían", "hubo", "haya", "hayan", "has", "have", "had"}


def _unparsed_source(doc, sent, verb: int) -> str | None:
    """Without a parse, who says it: the noun phrase that opens the verb's segment ('Los fiscales
    sostuvieron que ...'), or the one right after the verb ('... señaló la Fiscalía'); "" when the
    verb introduces a clause ('... que') but names nobody; None when it is no attribution."""
    j = verb
    while j > sent.start and doc[j - 1].text not in SEGMENT_BREAKS:
        j -= 1
    before = [t for t in doc[j:verb] if t.lower_ not in AUXILIARIES]
    if not before and j > sent.start + 1 and doc[j - 1].text == ",":   # 'X, su portavoz, dijo'
        i = j - 1
        while i > sent.start and doc[i - 1].text not in SEGMENT_BREAKS:
            i -= 1
        before = list(doc[i:j - 1])
        if any(t.pos_ in ("VERB", "AUX") for t in before):
            before = []          # '..., señaló la Fiscalía': the clause before is what is said
    while before and before[0].lower_ in LEADING_FILLERS and before[0].pos_ != "PROPN":
        before.pop(0)
    if before and len(before) <= 10 and any(t.pos_ in ("NOUN", "PROPN") for t in before) \
            and before[-1].pos_ in ("NOUN", "PROPN", "ADJ"):
        return doc[before[0].i:before[-1].i + 1].text
    after = []
    for t in doc[verb + 1:min(sent.end, verb + 8)]:
        if t.lower_ == "que" or t.text in SEGMENT_BREAKS or t.text == ".":
            break
        after.append(t)
    follows_que = verb + len(after) + 1 < sent.end and doc[verb + len(after) + 1].lower_ == "que"
    if after and after[0].pos_ == "DET" and any(t.pos_ in ("NOUN", "PROPN") for t in after) and len(after) <= 6:
        return doc[after[0].i:after[-1].i + 1].text
    if any(t.lower_ == "que" for t in doc[verb + 1:min(sent.end, verb + 4)]) or follows_que:
        return ""
    return None


NOT_JUST = {"just", "only", "merely", "simply", "solo", "sólo", "solamente", "únicamente"}
CLAUSE_OPENERS = {"donde", "que", "quien", "quienes", "cual", "cuales", "cuando", "mientras", "y",
                  "where", "who", "which", "that", "when", "while", "and"}
CONTRASTIVE = {"but", "although", "though", "whereas", "pero", "aunque", "mientras", "sino"}


def _in_subject(doc, verb, anchor: int) -> bool:
    return any(c.left_edge.i <= anchor <= c.right_edge.i for c in verb.children
               if c.dep_ in ("nsubj", "nsubjpass"))


class ModalityFinder:
    def __init__(self, ctx: DocContext):
        self.ctx = ctx
        self.lex = ctx.lex
        self._cache: dict[int, list] = {}

    def cues(self, sent) -> list[tuple[str, int, int, str | None]]:
        """Every modality cue of the sentence: (kind, start, end, source text or None)."""
        return self._cues(sent)

    def _cues(self, sent) -> list[tuple[str, int, int, str | None]]:
        key = sent.start
        if key in self._cache:
            return self._cache[key]
        doc, lex = self.ctx.doc, self.lex
        words = [t.lower_.replace("’", "'") for t in sent]
        cues: list[tuple[str, int, int, str | None]] = []
        for s, e, _ in lex.attribution_preps.find(words):
            cues.append(("reported-prep", sent.start + s, sent.start + e,
                         _prep_source(self.ctx, sent.start + s, sent.start + e, sent)))
        for k, w in enumerate(words):
            tok = doc[sent.start + k]
            if w not in lex.attribution_verbs:
                continue
            if self.ctx.has_parse:
                src = _source_text(self.ctx, tok) if tok.pos_ in ("VERB", "AUX") else None
                if src and src.lower() not in ("it", "this", "that"):
                    cues.append(("reported", sent.start + k, sent.start + k + 1, src))
            elif tok.pos_ in ("VERB", "AUX"):
                src = _unparsed_source(doc, sent, sent.start + k)
                if src is not None:
                    cues.append(("reported", sent.start + k, sent.start + k + 1, src or None))
        if lex.lang == "es":      # any conditional verb hedges: 'mantendría', 'habría'
            for k, w in enumerate(words):
                if len(w) > 5 and w.endswith(("ría", "rían")) and w not in ("categoría", "mayoría", "policía",
                                                                           "economía", "fiscalía", "compañía"):
                    cues.append(("hedged", sent.start + k, sent.start + k + 1, None))
        for s, e, _ in lex.hedges.find(words):
            if doc[sent.start + s].ent_type_ == "DATE" or (
                    doc[sent.start + s].text[:1].isupper() and words[s] in lex.months):
                continue          # 'May 4, 2019' is a date, not a hedge
            cues.append(("hedged", sent.start + s, sent.start + e, None))
        for s, e, _ in lex.denials.find(words):
            tok = doc[sent.start + s]
            if words[s] in ("no", "not", "n't", "never", "nor", "ni", "nunca") and self.ctx.has_parse \
                    and tok.dep_ not in ("neg", "advmod", "det", "preconj", "cc") and e - s == 1:
                continue
            if words[s] == "no" and e - s == 1 and s + 1 < len(words) and words[s + 1] in ("longer", "official", "one"):
                continue
            if words[s] in ("not", "no") and s + 1 < len(words) and words[s + 1] in NOT_JUST:
                continue          # 'not just X but Y', 'no solo X sino Y' affirms both
            cues.append(("denied", sent.start + s, sent.start + e, None))
        self._cache[key] = cues
        return cues

    def governs(self, cue_start: int, cue_end: int, kind: str, anchor: int) -> bool:
        ctx = self.ctx
        if not ctx.has_parse or ctx.lex.lang != "en":
            if not self._same_segment(cue_start, anchor, kind):
                return False
            if kind == "reported-prep":
                return anchor > cue_start or not self._opens_clause_between(anchor, cue_start)
            if kind == "reported":
                return anchor > cue_start or self._trailing(cue_start)
            return abs(anchor - cue_start) <= 10     # hedges and negations stay local
        doc = ctx.doc
        if kind == "reported" and doc[cue_start].pos_ in ("VERB", "AUX"):
            verb = doc[cue_start]
            return ctx.governs_clause(verb, anchor) and not any(
                doc[anchor] == c or c in doc[anchor].ancestors for c in verb.children
                if c.dep_ in ("nsubj", "nsubjpass"))
        if kind == "reported-prep":
            head = doc[cue_start].head if doc[cue_start].dep_ == "prep" else doc[cue_start]
            head = ctx.clause_head(head.i) if head.i != cue_start else sent_of(doc, cue_start).root
            return ctx.governs_clause(head, anchor)
        head = ctx.clause_head(cue_start)
        if doc[cue_start].pos_ == "VERB" and _in_subject(doc, doc[cue_start], anchor):
            return False          # 'The leader of X, Y, denied any deal': the subject is not denied
        return ctx.governs_clause(head, anchor)

    def _opens_clause_between(self, anchor: int, cue: int) -> bool:
        """'X hace A, donde, según la Fiscalía, cobra B': a clause opened between the fact and
        the 'según' keeps the fact out of its reach (without a parse, the words tell)."""
        doc = self.ctx.doc
        return any(t.lower_ in CLAUSE_OPENERS for t in doc[anchor + 1:cue])

    def _trailing(self, verb: int) -> bool:
        """'..., señaló la Fiscalía.': an attribution verb after a comma that ends its sentence
        reports what came before it."""
        doc = self.ctx.doc
        sent = sent_of(doc, verb)
        rest = doc[verb + 1:sent.end]
        return verb > sent.start and doc[verb - 1].text == "," and len(rest) <= 8 and \
            not any(t.lower_ == "que" or t.text in (",", ";", ":") for t in rest)

    def _same_segment(self, cue: int, anchor: int, kind: str = "") -> bool:
        """Without a reliable parse: a cue reaches to the next ';' or contrastive conjunction;
        a source that opens its sentence ('Según X, A; con el tiempo B') reaches past ';'."""
        doc = self.ctx.doc
        lo, hi = sorted((cue, anchor))
        opener = kind == "reported-prep" and cue - sent_of(doc, cue).start <= 1 and anchor > cue
        return not any((t.text == ";" and not opener) or t.lower_ in CONTRASTIVE
                       for t in doc[lo + 1:hi])

    def find(self, sent, anchors: list[int], skip: tuple[int, int] | None = None) -> Modality:
        """Modality for a fact whose key tokens are ``anchors`` (cue and argument heads);
        a cue inside the token span ``skip`` belongs to the fact's own words and is left out
        (a figure's 'no fewer than 300', 'alleged members')."""
        found = {"denied": None, "hedged": None, "reported": None}
        source = None
        for kind, s, e, src in self._cues(sent):
            if any(s <= a < e for a in anchors) or (skip and skip[0] <= s < skip[1]):
                continue
            # the claim is the cue's when the cue governs any of its key tokens: the subject
            # ('police say X runs ...') or what is said of it ('X, where prosecutors say they
            # profit from extortion'): a fact taken from an attributed clause stays attributed
            if any(self.governs(s, e, kind, a) for a in anchors):
                kind = "reported" if kind == "reported-prep" else kind
                found[kind] = True
                if kind == "reported" and src and source is None:
                    source = src
        for kind in ("denied", "hedged", "reported"):
            if found[kind] or (kind == "reported" and source):
                return Modality(kind, source)
        return Modality()
