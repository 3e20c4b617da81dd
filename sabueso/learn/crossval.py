"""Cross-validation by article: train on the other folds, score the held-out fold with the
reference scorer's rules, per language and overall. Nothing chosen on an article (weights,
thresholds) is ever scored on that article."""
from __future__ import annotations

from collections import defaultdict

from ..analyze.evaluate import _prf, score
from ..extract.learned import apply_models, choose_claims, reset_state
from ..extract.pipeline import finish
from ..ontology import get_ontology

PARTS = ("entities", "relations", "events", "quantities")


def folds(docs, k: int, shift: int = 0):
    """k folds by article, each language spread evenly (articles sorted by name, dealt in turn;
    ``shift`` > 0 deals each round one bin further on, another partition of the same articles)."""
    k = max(2, min(k, len(docs)))
    order = sorted(docs, key=lambda d: (d.lang, d.name))
    bins = [[] for _ in range(k)]
    for n, d in enumerate(order):
        bins[(n + shift * (n // k)) % k].append(d)
    for i in range(k):
        test = bins[i]
        train = [d for j, b in enumerate(bins) if j != i for d in b]
        yield train, test


def score_threshold(held, t: float, rule_t: float | None = None, act_t: float | None = None) -> float:
    tp = pred = gold = 0
    for d, cands, *rest in held:
        _restore(d.state, rest)
        d.state.claims = choose_claims(d.state, cands, t, rule_t, activity_threshold=act_t)
        s = score(d.gold, finish(d.state).to_format(d.text_path.name))["relations"]
        tp, pred, gold = tp + s["tp"], pred + s["pred"], gold + s["gold"]
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def modality_accuracy(held, t: float, rule_t: float | None, overrule: float,
                      act_t: float | None = None) -> float:
    """Modality accuracy over the matched relations with the modality model overruling the
    rules' reading at ``overrule``."""
    right = total = 0
    for d, cands, model, *rest in held:
        _restore(d.state, rest)
        if model is not None:
            model.meta["overrule_at"] = overrule
        d.state.claims = choose_claims(d.state, cands, t, rule_t, model, act_t)
        s = score(d.gold, finish(d.state).to_format(d.text_path.name))["modality"]
        right, total = right + s[0], total + s[1]
    return right / total if total else 0.0


def typing_snapshot(state) -> tuple:
    """The typer's verdicts on a document, to be put back when the same document is scored
    again under another model (repeated inner splits)."""
    return ([(e.type, e.place_kind) for e in state.ents], set(state.dropped))


def _restore(state, rest) -> None:
    if rest and isinstance(rest[-1], tuple):
        types, dropped = rest[-1]
        for e, (t, kind) in zip(state.ents, types):
            e.type, e.place_kind = t, kind
        state.dropped = set(dropped)


class Tally:
    def __init__(self):
        self.parts = defaultdict(lambda: [0, 0, 0])
        self.modality = [0, 0]
        self.by_type = defaultdict(lambda: [0, 0, 0])

    def add(self, gold: dict, pred: dict) -> dict:
        s = score(gold, pred)
        for k in PARTS:
            for i, f in enumerate(("tp", "pred", "gold")):
                self.parts[k][i] += s[k][f]
        self.modality[0] += s["modality"][0]
        self.modality[1] += s["modality"][1]
        for rtype in get_ontology().relations:
            g = {**gold, "relations": [r for r in gold.get("relations", []) if r["type"] == rtype]}
            p = {**pred, "relations": [r for r in pred.get("relations", []) if r["type"] == rtype]}
            if g["relations"] or p["relations"]:
                t = score(g, p)["relations"]
                for i, f in enumerate(("tp", "pred", "gold")):
                    self.by_type[rtype][i] += t[f]
        return s

    def report(self) -> dict:
        out = {k: _prf(*self.parts[k]) for k in PARTS}
        out["modality_accuracy"] = round(self.modality[0] / self.modality[1], 4) if self.modality[1] else 0.0
        out["relation_types"] = {k: _prf(*v) for k, v in sorted(self.by_type.items())}
        return out


def cross_validate(docs, k: int = 5, log=None, baseline: bool = True) -> dict:
    """The held-out figures of the learned extractor (and of the rules alone, for comparison)."""
    from .fit import fit
    learned = defaultdict(Tally)
    rules = defaultdict(Tally)
    split, per_doc = [], {}
    for n, (train, test) in enumerate(folds(docs, k)):
        models = fit(train, tune=True, log=log)
        split.append({"fold": n + 1, "test": [d.name for d in test],
                      "threshold": models.relations.threshold,
                      "rule_threshold": models.relations.meta.get("rule_threshold"),
                      "activity_threshold": models.relations.meta.get("activity_threshold")})
        if log:
            log(f"fold {n + 1}/{k}: trained on {len(train)} articles, scoring {len(test)}")
        for d in test:
            name = d.text_path.name
            apply_models(d.state, models)
            pred = finish(d.state).to_format(name)
            s = learned[d.lang].add(d.gold, pred)
            learned["all"].add(d.gold, pred)
            per_doc[d.name] = {p: s[p]["f1"] for p in PARTS}
            if baseline:
                reset_state(d.state)
                base = finish(d.state).to_format(name)
                rules[d.lang].add(d.gold, base)
                rules["all"].add(d.gold, base)
    out = {"folds": split, "learned": {k2: t.report() for k2, t in learned.items()},
           "per_article": per_doc}
    if baseline:
        out["rules"] = {k2: t.report() for k2, t in rules.items()}
    return out
