"""Features for the learned scorers: entity typing, relation candidates, quantities.

The same code serves both languages: words are lower-cased lemmas, the parse is read only
through Universal-Dependencies-like labels where a parse exists, the cue lexicons come from
``ontology.yaml``, and the language is one feature among others.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from ...ontology import get_ontology

DIST_BUCKETS = (0, 2, 5, 10, 20, 40)


def bucket(n: int, edges=DIST_BUCKETS) -> str:
    for e in edges:
        if n <= e:
            return f"<={e}"
    return f">{edges[-1]}"


def lemma(tok) -> str:
    return (tok.lemma_ or tok.text).lower().replace("’", "'")


# -- entities ----------------------------------------------------------------------------
def entity_features(state, e) -> dict[str, float]:
    """What a type decision can read: the rules' type and its reason, the words of every name,
    the NER labels and the words around each mention."""
    doc, lang = state.doc, state.lex.lang
    f: Counter = Counter()
    f[f"rule={e.type}"] = 1
    f[f"why={e.evidence}"] = 1
    f[f"rule={e.type}|why={e.evidence}"] = 1
    f[f"lang={lang}|rule={e.type}"] = 1
    if not e.named:
        f["nominal"] = 1
    if e.place_kind:
        f[f"kind={e.place_kind}"] = 1
    if e.roles:
        f["has_role"] = 1
    names = [*e.names, *e.aliases]
    for n in names[:8]:
        words = n.split()
        if not words:
            continue
        low = [w.lower().strip(".,\"'“”«»") for w in words]
        f[f"first={low[0]}"] = 1
        f[f"last={low[-1]}"] = 1
        for w in low:
            f[f"w={w}"] = 1
        if n.isupper() and len(n.replace(".", "").replace("-", "")) <= 6:
            f["acronym"] = 1
        if any(c.isdigit() for c in n):
            f["digit"] = 1
        if any(c in "-'’" for c in n):
            f["hyphen_or_apostrophe"] = 1
        f[f"nwords={min(len(words), 5)}"] = 1
        if any(w in ("de", "del", "of") for w in low[1:]):
            f["connector"] = 1
    if e.named and names:
        f.update(name_shape(names[0]))
    f[f"mentions={bucket(len(e.spans), (1, 2, 4, 8))}"] = 1
    for s, x in e.spans[:12]:
        span = doc[s:x]
        for t in span:
            if t.ent_type_:
                f[f"ner={t.ent_type_}"] = 1
        for k, tag in ((1, "p1"), (2, "p2")):
            if s - k >= 0:
                f[f"{tag}={lemma(doc[s - k])}"] = 1
        if x < len(doc):
            f[f"n1={lemma(doc[x])}"] = 1
        if x + 1 < len(doc):
            f[f"n2={lemma(doc[x + 1])}"] = 1
        root = span.root
        if root.dep_ and state.ctx.has_parse:
            f[f"dep={root.dep_}"] = 1
            f[f"headlemma={lemma(root.head)}"] = 1
        if span[0].is_sent_start:
            f["sent_start"] = 1
        # the vocabulary class of the words around ('the X triad', 'la banda X'): generalises
        # to head nouns the corpus never showed next to a name
        head_types = state.lex.head_types
        for side, toks in (("before", doc[max(0, s - 3):s]), ("after", doc[x:min(len(doc), x + 3)])):
            for t in toks:
                for typ in head_types.get(t.lower_, ()):
                    f[f"{side}_head={typ}"] = 1
    return dict(f)


@lru_cache(maxsize=20000)
def name_shape(name: str) -> dict[str, float]:
    """What the name itself says, beyond the words the corpus showed: how many of its words
    are known given or family names (rigour's name-part dictionary, drawn from Wikidata), the
    organisation-type words it holds ('ministries', 'company'), a plural last word."""
    from rigour.names import NameTypeTag, analyze_names
    f: dict[str, float] = {}
    words = [w for w in name.split() if any(c.isalpha() for c in w)]
    if not words:
        return f
    try:
        per = next(iter(analyze_names(NameTypeTag.PER, [name])), None)
        org = next(iter(analyze_names(NameTypeTag.ORG, [name])), None)
    except Exception:           # a name rigour cannot read: no such features
        per = org = None
    if per is not None:
        known = {p.form for sp in per.spans if str(sp.symbol).startswith("[NAME:") for p in sp.parts}
        forms = [p.form for p in per.parts]
        if forms:
            share = sum(1 for x in forms if x in known) / len(forms)
            f[f"person_parts={'none' if share == 0 else 'all' if share == 1 else 'some'}"] = 1.0
            f[f"person_first={forms[0] in known}"] = 1.0
            f[f"person_last={forms[-1] in known}"] = 1.0
    if org is not None:
        for sp in org.spans:
            sym = str(sp.symbol)
            if sym.startswith("[SYMBOL:"):
                f[f"org_symbol={sym[8:-1].lower()}"] = 1.0
                f["org_symbol"] = 1.0
    last = words[-1].lower().strip(".,\"'“”«»")
    f[f"plural_last={last.endswith('s')}"] = 1.0
    return f


# -- relations -----------------------------------------------------------------------------
def _path(doc, a, b) -> tuple[str, str | None]:
    """Dependency path between two tokens: labels up from a, labels down to b, and the
    lowest common ancestor's lemma."""
    up = [a, *a.ancestors]
    idx = {t.i: k for k, t in enumerate(up)}
    down = []
    t = b
    while t.i not in idx:
        down.append(t)
        if t.head == t:
            return "", None
        t = t.head
    lca = t
    ups = [x.dep_ for x in up[:idx[lca.i]]]
    downs = [x.dep_ for x in reversed(down)]
    if len(ups) + len(downs) > 6:
        return "long", lemma(lca)
    return "^".join(ups) + ">" + ">".join(downs), lemma(lca)


def relation_base(state, sv, a, b, cues_in: dict) -> list[str]:
    """Features of an ordered mention pair (a, b) in one sentence (any relation type)."""
    ctx, doc = state.ctx, state.doc
    ta, tb = ctx.etype(a), ctx.etype(b)
    first, second = (a, b) if a.start <= b.start else (b, a)
    gap = max(0, second.start - first.end)
    out = [f"ta={ta}", f"tb={tb}", f"ta={ta}|tb={tb}", f"order={'ab' if a.start <= b.start else 'ba'}",
           f"dist={bucket(gap)}", f"ka={a.kind}", f"kb={b.kind}", f"lang={state.lex.lang}"]
    between = doc[first.end:second.start]
    if gap <= 15:
        for t in between:
            out.append(f"bw={lemma(t)}")
    else:
        out.append("bw=far")
    others = [m for m in sv.all_mentions if first.end <= m.start and m.end <= second.start]
    out.append(f"between_ents={min(len(others), 3)}")
    if any(ctx.etype(m) == tb for m in others):
        out.append("closer_same_type")
    for k in (1, 2):
        if first.start - k >= sv.sent.start:
            out.append(f"before{k}={lemma(doc[first.start - k])}")
        if second.end + k - 1 < sv.sent.end:
            out.append(f"after{k}={lemma(doc[second.end + k - 1])}")
    if a.end > a.start and ctx.is_subject(a, sv.sent):
        out.append("a_subject")
    if b.end > b.start and ctx.is_subject(b, sv.sent):
        out.append("b_subject")
    if any(a is s for s in sv.sources):
        out.append("a_source")
    if any(b is s for s in sv.sources):
        out.append("b_source")
    if ctx.has_parse and a.end > a.start and b.end > b.start:
        path, lca = _path(doc, doc[a.start:a.end].root, doc[b.start:b.end].root)
        out.append(f"path={path}")
        if lca:
            out.append(f"lca={lca}")
    for r in cues_in:
        out.append(f"cue_sent={r}")
    e_b = state.ents[b.ent]
    if e_b.place_kind:
        out.append(f"kind_b={e_b.place_kind}")
    if sv.frame is not None and sv.frame.ent == b.ent:
        out.append("b_frame")
    return out


def activity_base(state, sv, m, label: str, cue: int) -> list[str]:
    ctx, doc = state.ctx, state.doc
    out = [f"label={label}", f"ta={ctx.etype(m)}", f"ka={m.kind}", f"lang={state.lex.lang}",
           f"cue={lemma(doc[cue])}", f"order={'ab' if m.start <= cue else 'ba'}",
           f"dist={bucket(abs(cue - m.start))}"]
    if m.end > m.start and ctx.is_subject(m, sv.sent):
        out.append("a_subject")
    if any(m is s for s in sv.sources):
        out.append("a_source")
    actors = [x for x in sv.mentions if ctx.etype(x) in ("CriminalGroup", "Person")]
    out.append(f"actors={min(len({x.ent for x in actors}), 3)}")
    lo, hi = sorted((m.end, cue))
    if hi - lo <= 12:
        for t in doc[lo:hi]:
            out.append(f"bw={lemma(t)}")
    if ctx.has_parse and m.end > m.start:
        path, lca = _path(doc, doc[m.start:m.end].root, doc[cue])
        out.append(f"path={path}")
        if lca:
            out.append(f"lca={lca}")
    return out


def conjoin(rtype: str, base: list[str], extra: list[str]) -> dict[str, float]:
    """Every base feature twice: shared across relation types and specific to ``rtype``."""
    f = {f"r={rtype}": 1.0}
    for x in base:
        f[x] = 1.0
        f[f"{rtype}|{x}"] = 1.0
    for x in extra:
        f[x] = 1.0
        f[f"{rtype}|{x}"] = 1.0
    return f


def relation_types():
    o = get_ontology()
    return {k: r for k, r in o.relations.items() if k != "ACTIVITY"}
