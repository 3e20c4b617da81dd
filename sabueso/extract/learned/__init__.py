"""The learned layer over the rules: candidates -> features -> trained scorers.

``apply_models`` re-types the rules' entities (or drops a name that is no entity), scores every
relation candidate and every figure, and keeps what passes each model's threshold, with the
model's probability as the claim's confidence. Models are JSON files in
``sabueso/models/extractor/`` (shipped, trained on the annotated corpus) or in the folder
named by ``$SABUESO_MODELS`` (what ``sabueso train extractor`` writes).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .candidates import relation_candidates
from .features import entity_features
from .linear import LinearModel
from .modality import modality_features, source_of
from .quantities import choose_quantities, quantity_candidates
from .state import RuleState

NONE = "NONE"
#: A name is dropped as no entity only when the typer is this sure: a dropped entity loses every
#: relation it has, so a doubtful one is kept (chosen by cross-validation, see README).
DROP_AT = float(os.environ.get("SABUESO_DROP_AT", 0.5))
#: ... and re-typed only when the typer gives the new type at least this probability: a doubtful
#: vote leaves the rules' type (a gang the typer splits between Person and Organization stays put).
CHANGE_AT = 0.5
#: The modality model overrules the rules' reading only when this sure of another modality
#: (its ``overrule_at``, chosen by the inner cross-validation when it was trained; this is the
#: fallback for a model saved without one).
MODALITY_AT = 0.75
FILES = {"typer": "typer.json.gz", "relations": "relations.json.gz", "quantities": "quantities.json.gz",
         "modality": "modality.json.gz", "activities": "activities.json.gz"}


@dataclass
class Models:
    typer: LinearModel | None = None
    relations: LinearModel | None = None
    quantities: LinearModel | None = None
    modality: LinearModel | None = None
    activities: LinearModel | None = None    # actor x activity cue; None: the relation scorer's
    min_confidence: float | None = None      # overrides the relation model's own threshold

    def save(self, folder: Path) -> None:
        for name, file in FILES.items():
            m = getattr(self, name)
            if m is not None:
                m.save(Path(folder) / file)


def shipped_folder() -> Path:
    return Path(str(resources.files("sabueso").joinpath("models", "extractor")))


def models_folder() -> Path:
    return Path(os.environ["SABUESO_MODELS"]) if os.environ.get("SABUESO_MODELS") else shipped_folder()


@lru_cache(maxsize=4)
def _load(folder: str) -> Models | None:
    path = Path(folder)
    found = {n: LinearModel.load(path / f) for n, f in FILES.items() if (path / f).exists()}
    return Models(**found) if found else None


def load_models(folder: Path | None = None) -> Models | None:
    """The trained models, or None where none were trained (the rules' output is then final)."""
    if os.environ.get("SABUESO_RULES_ONLY"):
        return None
    return _load(str(folder or models_folder()))


def min_confidence_setting() -> float | None:
    """``$SABUESO_MIN_CONFIDENCE`` (set by ``--min-confidence``), else None: the model's own
    threshold, chosen by cross-validation when it was trained."""
    raw = os.environ.get("SABUESO_MIN_CONFIDENCE", "").strip()
    if not raw:
        return None
    value = float(raw)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"a minimum confidence is between 0 and 1, not {raw}")
    return value


def reset_state(state: RuleState) -> None:
    """Back to what the rules said (types and all), so that models can be applied again."""
    for e, (t, kind) in zip(state.ents, state.base_types):
        e.type, e.place_kind = t, kind
    state.dropped = set()
    state.claims = list(state.base_claims)
    state.quantities = list(state.base_quantities)


def type_entities(state: RuleState, typer: LinearModel) -> None:
    for e in state.ents[:len(state.base_types)]:
        if e.type == "Commodity" and not e.named:
            continue
        p = typer.proba(entity_features(state, e))
        best = max(p, key=p.get)
        if best == NONE:
            if p[NONE] >= DROP_AT and e.named:
                state.dropped.add(e.idx)
            continue
        if best != e.type and p[best] >= CHANGE_AT:
            e.type = best
            if best != "Place":
                e.place_kind = None


def score_relations(state: RuleState, model: LinearModel, activities: LinearModel | None = None) -> list:
    """Every relation candidate scored: an activity by the activity scorer when there is one
    (a cue word and an actor are another kind of candidate than a pair of names), any other
    by the relation scorer."""
    cands = relation_candidates(state)
    for c in cands:
        m = activities if activities is not None and c.rtype == "ACTIVITY" else model
        c.score = m.positive(c.feats)
    return cands


def choose_claims(state: RuleState, cands: list, threshold: float, rule_threshold: float | None = None,
                  modality: LinearModel | None = None, activity_threshold: float | None = None) -> list:
    """One claim per fact (type, subject, object): the best-scored sentence's. A candidate the
    rules also made needs ``rule_threshold`` (when given), any other ``threshold``."""
    best: dict[tuple, object] = {}
    for c in cands:
        k = (c.rtype, c.subj, c.obj)
        if rule_threshold is not None and c.rule is not None:
            bar = rule_threshold
        elif activity_threshold is not None and c.rtype == "ACTIVITY":
            bar = activity_threshold         # activities are scored against their own bar
        else:
            bar = threshold
        if c.score >= bar and (k not in best or c.score > best[k].score):
            best[k] = c
    out = []
    for c in best.values():
        if c.rule is not None:
            claim = replace(c.rule, qualifiers=dict(c.rule.qualifiers))
        else:
            claim = state.views[c.sent].make_claim(c.rtype, c.subj, c.obj, c.anchors)
            claim.extractor = "learned"
        claim.confidence = round(c.score, 4)
        if modality is not None:
            sv = state.views[c.sent]
            p = modality.proba(modality_features(state, sv, c.anchors, c.rtype, claim.modality))
            best = max(p, key=p.get)
            # never the other way: a cue the rules read (a source, a hedge, a denial) is not
            # overruled into a plain fact; allegations are not turned into facts
            bar = modality.meta.get("overrule_at", MODALITY_AT)
            if best != claim.modality and p[best] >= bar and \
                    not (best == "asserted" and claim.modality != "asserted"):
                claim.modality = best
                claim.attributed_to = (claim.attributed_to or source_of(sv, c.anchors)) if best == "reported" else None
        out.append(claim)
    return out


def apply_models(state: RuleState, models: Models, min_confidence: float | None = None) -> None:
    """Re-decide the rule state with the trained models (in place; ``reset_state`` undoes it)."""
    reset_state(state)
    if models.typer is not None:
        type_entities(state, models.typer)
    if models.relations is not None:
        rel = models.relations
        if min_confidence is None:
            min_confidence = models.min_confidence
        if min_confidence is not None:
            threshold, rule_threshold, activity_threshold = min_confidence, None, None
        else:
            threshold, rule_threshold = rel.threshold, rel.meta.get("rule_threshold")
            activity_threshold = rel.meta.get("activity_threshold")
        cands = score_relations(state, rel, models.activities)
        state.claims = choose_claims(state, cands, threshold, rule_threshold, models.modality,
                                     activity_threshold)
    else:
        state.claims = [c for c in state.base_claims
                        if c.subject not in state.dropped and c.object not in state.dropped]
    if models.quantities is not None:
        cands = quantity_candidates(state)
        for c in cands:
            c.score = models.quantities.positive(c.feats)
        state.quantities = choose_quantities(state, cands, models.quantities.threshold)


__all__ = ["Models", "RuleState", "apply_models", "min_confidence_setting", "choose_claims", "load_models", "reset_state", "LinearModel"]
