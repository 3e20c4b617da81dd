"""Training sets from aligned gold files, and the fitting of the three scorers.

Labels: an entity is typed as the gold entity it aligns with, or NONE; a relation candidate is
positive when the gold holds the same (type, subject, object) with evidence in the candidate's
sentence, negative when the gold holds no such fact, and left out when the gold states the fact
elsewhere (its sentence says nothing about it); a figure is kept when the gold has its
(subject, value).
"""
from __future__ import annotations

from ..extract.learned import Models, reset_state
from ..extract.learned import NONE, type_entities, score_relations
from ..extract.learned.quantities import quantity_candidates
from ..extract.learned.candidates import relation_candidates
from ..extract.learned.features import entity_features
from ..extract.learned.linear import LinearModel
from ..extract.learned.modality import modality_features
from .corpus import align, gold_types, relation_key

THRESHOLDS = [round(0.1 + 0.05 * k, 2) for k in range(13)]     # 0.10 .. 0.70
RULE_THRESHOLDS = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, None]         # None: as any other candidate
#: Inner splits of the training articles the thresholds are chosen on (each a different
#: partition): one split's choice swings with which articles fall together.
INNER_REPEATS = 2
OVERRULE_AT = [0.5, 0.6, 0.75, 0.9, 1.01]                         # 1.01: never overrule the rules


def _typed(docs, typer: LinearModel | None):
    """Each article with its rule state re-typed by ``typer`` (the rules' types without one)."""
    for d in docs:
        reset_state(d.state)
        if typer is not None:
            type_entities(d.state, typer)
        yield d, d.state


def typer_examples(docs) -> tuple[list, list]:
    X, y = [], []
    for d in docs:
        st = d.state
        reset_state(st)
        al, gt = align(st, d.gold), gold_types(d.gold)
        for e in st.ents[:len(st.base_types)]:
            if e.type == "Commodity" and not e.named:
                continue
            X.append(entity_features(st, e))
            y.append(gt.get(al.get(e.idx), NONE) or NONE)
    return X, y


def relation_examples(docs, typer: LinearModel | None, modality: list | None = None,
                      kinds: list | None = None) -> tuple[list, list]:
    """Relation candidates and their labels; with ``modality`` (a list), also collects the
    (features, gold modality) of every positive candidate into it; with ``kinds`` (a list),
    whether each example is an activity."""
    X, y = [], []
    for d, st in _typed(docs, typer):
        cands = relation_candidates(st)        # may add commodity entities: align after
        al = align(st, d.gold)
        for c in cands:
            label = candidate_label(d, c, al)
            if label is not None:
                X.append(c.feats)
                y.append(label)
                if kinds is not None:
                    kinds.append(c.rtype == "ACTIVITY")
            if label and modality is not None:
                sv = st.views[c.sent]
                rule_mod = c.rule.modality if c.rule is not None else sv.mod.find(sv.sent, c.anchors).modality
                gold = gold_modality(d, c, d.evidence[_key(c, al)])
                modality.append((modality_features(st, sv, c.anchors, c.rtype, rule_mod), gold))
    return X, y


def _key(c, al):
    return relation_key(c.rtype, al.get(c.subj), c.obj if c.rtype == "ACTIVITY" else al.get(c.obj))


def candidate_label(d, c, al) -> int | None:
    ga = al.get(c.subj)
    gb = c.obj if c.rtype == "ACTIVITY" else al.get(c.obj)
    if ga is None or gb is None:
        return 0
    spans = d.evidence.get(relation_key(c.rtype, ga, gb))
    if not spans:
        return 0
    return 1 if gold_modality(d, c, spans) else None


def gold_modality(d, c, spans) -> str | None:
    """The gold modality of a candidate whose fact the gold states in the candidate's sentence."""
    sent = d.state.views[c.sent].sent
    for s, e, modality in spans:
        if s < 0 or (s < sent.end_char and sent.start_char < e):
            return modality
    return None


def quantity_examples(docs, typer: LinearModel | None) -> tuple[list, list]:
    X, y = [], []
    for d, st in _typed(docs, typer):
        al = align(st, d.gold)
        gold = {(q.get("subject"), _num(q.get("value"))) for q in d.gold.get("quantities", [])}
        for c in quantity_candidates(st):
            X.append(c.feats)
            y.append(int((al.get(c.subj), float(c.value)) in gold))
    return X, y


def _num(v):
    try:
        return float(str(v).replace(",", ""))
    except ValueError:
        return None


def fit(docs, tune: bool = True, inner_folds: int = 3, log=None, judged=None,
        judgement_weight: float | None = None) -> Models:
    """Train the typer, the relation scorer and the figure scorer on ``docs``; with ``tune``,
    choose the relation threshold by an inner cross-validation over the same articles.

    ``judged``: parsed reviewers' judgements (:mod:`.judged`), added to the relation, activity
    and modality examples, each counting ``judgement_weight`` times; the thresholds are still
    chosen on the gold articles alone. The models' meta say how many judgements were used."""
    from .judged import JUDGEMENT_WEIGHT, judged_examples
    Xt, yt = typer_examples(docs)
    typer = LinearModel.fit(Xt, yt, C=1.0, meta={"examples": len(yt)})
    mod_examples: list = []
    kinds: list = []
    Xr, yr = relation_examples(docs, typer, mod_examples, kinds)
    wr, wm = [1.0] * len(yr), [1.0] * len(mod_examples)
    jx = judged_examples(judged, typer) if judged else None
    if jx is not None:
        w = JUDGEMENT_WEIGHT if judgement_weight is None else judgement_weight
        Xr, yr, kinds = Xr + jx.X, yr + jx.y, kinds + jx.activity
        wr += [w] * len(jx.y)
        mod_examples += jx.modality
        wm += [w] * len(jx.modality)
        if log:
            log(f"{jx.used} judged claims taken ({len(jx.y)} examples, each counting {w:g} times); "
                f"{jx.unmatched} not found among the candidates of their sentence")
    pairs = [k for k, act in enumerate(kinds) if not act]
    acts = [k for k, act in enumerate(kinds) if act]
    activities = None
    if len({yr[k] for k in acts}) == 2 and len({yr[k] for k in pairs}) == 2:
        activities = LinearModel.fit([Xr[k] for k in acts], [yr[k] for k in acts], C=0.5,
                                     meta={"examples": len(acts), "positives": sum(yr[k] for k in acts)},
                                     sample_weight=[wr[k] for k in acts])
        Xr, yr, wr = [Xr[k] for k in pairs], [yr[k] for k in pairs], [wr[k] for k in pairs]
    rel = LinearModel.fit(Xr, yr, C=0.5, meta={"examples": len(yr), "positives": sum(yr)},
                          sample_weight=wr)
    modality = None
    if len({m for _, m in mod_examples}) >= 2:
        modality = LinearModel.fit([f for f, _ in mod_examples], [m for _, m in mod_examples], C=0.5,
                                   meta={"examples": len(mod_examples)}, sample_weight=wm)
    quant = None
    Xq, yq = quantity_examples(docs, typer)
    if len(set(yq)) == 2:
        quant = LinearModel.fit(Xq, yq, C=0.2, meta={"examples": len(yq), "positives": sum(yq)})
        # picked among 0.15, 0.25, 0.3 and 0.5 on the outer cross-validation (not nested: see README)
        quant.threshold = 0.15
    models = Models(typer, rel, quant, modality, activities)
    for m in (typer, rel, quant, modality, activities):
        if m is not None:
            m.meta["judgements"] = jx.used if jx is not None else 0
            if jx is not None:
                m.meta["judgement_weight"] = w
    if tune and len(docs) >= 2 * inner_folds:
        rel.threshold, rel.meta["rule_threshold"], rel.meta["activity_threshold"], overrule = \
            tune_threshold(docs, inner_folds)
        if modality is not None:
            modality.meta["overrule_at"] = overrule
        if log:
            log(f"relation thresholds chosen by {inner_folds}-fold inner cross-validation: "
                f"{rel.threshold} (a candidate the rules also made: {rel.meta['rule_threshold']}; "
                f"an activity: {rel.meta['activity_threshold']}); "
                f"the modality model overrules the rules at p >= {overrule}")
    else:
        rel.threshold, rel.meta["rule_threshold"] = 0.35, 0.1
    rel.meta["threshold_from"] = "inner cross-validation" if tune else "default"
    return models


def tune_threshold(docs, k: int) -> tuple[float, float | None, float, float]:
    """Relation thresholds (a new candidate, one the rules also made, an activity) and the
    modality model's overrule level, each the best on articles held out of an inner split."""
    from .crossval import folds, modality_accuracy, score_threshold, typing_snapshot
    held = []
    for shift in range(INNER_REPEATS):
        for train, test in folds(docs, k, shift):
            m = fit(train, tune=False)
            for d in test:
                reset_state(d.state)
                type_entities(d.state, m.typer)
                held.append((d, score_relations(d.state, m.relations, m.activities), m.modality,
                             typing_snapshot(d.state)))
    grid = [(t, r) for t in THRESHOLDS for r in RULE_THRESHOLDS if r is None or r < t]
    t, r = max(grid, key=lambda tr: (score_threshold(held, *tr), -abs(tr[0] - 0.4)))
    # activities (a cue word and an actor) are candidates of another kind: their own bar, so
    # that more or fewer of them do not move the bar of the pair relations
    a = max(THRESHOLDS, key=lambda x: (score_threshold(held, t, r, x), -abs(x - t)))
    # the model must beat the rules' reading by a clear point before it may overrule them
    overrule = max(OVERRULE_AT, key=lambda o: (round(modality_accuracy(held, t, r, o, a), 2), o))
    return t, r, a, overrule
