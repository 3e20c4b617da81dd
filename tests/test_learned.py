"""The learned layer: linear scorers, the shipped models, training and cross-validation by article."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sabueso.core import Document
from sabueso.extract import extract_document
from sabueso.extract.learned import LinearModel, load_models, shipped_folder
from sabueso.ontology import get_ontology

from .conftest import CORPUS

TINY = sorted((CORPUS / "en").glob("*.gold.json"))[:4] + sorted((CORPUS / "es").glob("*.gold.json"))[:2]


def test_linear_model_learns_and_round_trips(tmp_path: Path):
    X = [{"cue=led": 1.0, "ta=Person": 1.0}, {"cue=led": 1.0, "ta=Place": 1.0},
         {"cue=visited": 1.0, "ta=Person": 1.0}, {"cue=visited": 1.0, "ta=Place": 1.0}] * 5
    y = [1, 1, 0, 0] * 5
    m = LinearModel.fit(X, y, C=10.0)
    assert m.positive({"cue=led": 1.0}) > 0.8 > 0.2 > m.positive({"cue=visited": 1.0})
    m.save(tmp_path / "m.json.gz")
    back = LinearModel.load(tmp_path / "m.json.gz")
    assert back.positive({"cue=led": 1.0, "unknown": 1.0}) == pytest.approx(m.positive({"cue=led": 1.0}))
    with pytest.raises(ValueError):
        LinearModel.fit(X[:2], [1, 1])


def test_shipped_models_exist_and_cover_the_schema():
    models = load_models(shipped_folder())
    assert models is not None and models.typer and models.relations, "the package ships trained models"
    types = set(get_ontology().entity_types)
    assert set(models.typer.classes) - {"NONE"} <= types
    assert {"CriminalGroup", "Person", "Place", "NONE"} <= set(models.typer.classes)
    # every relation type of the schema has its own bias feature (a wrong label map has none)
    rels = {f.split("=", 1)[1] for m in (models.relations, models.activities) for f in m.weights
            if f.startswith("r=")}
    assert {"LEADER_OF", "OPERATES_IN", "ACTIVITY", "ALLY_OF", "RIVAL_OF"} <= rels
    assert 0.0 < models.relations.threshold < 1.0


TEXT = ("The Red Wolves gang, led by Marco Ruiz, alias “El Zorro”, extorts shopkeepers in the port city "
        "of Puerto Ejemplo. Police say the gang also controls drug sales in the nearby town of San Ejemplo. "
        "The Red Wolves are rivals of the Black Hawks, a smaller gang based in Villa Ejemplo.")


def test_the_shipped_extractor_scores_what_it_emits():
    out = extract_document(Document(text=TEXT, lang="en")).to_format("t")
    names = {e["id"]: e["name"] for e in out["entities"]}
    types = {e["name"]: e["type"] for e in out["entities"]}
    assert types.get("Red Wolves") == "CriminalGroup"
    assert types.get("Marco Ruiz") == "Person"
    rels = {(r["type"], names.get(r["subject"]), names.get(r["object"], r["object"])): r for r in out["relations"]}
    lead = rels.get(("LEADER_OF", "Marco Ruiz", "Red Wolves"))
    assert lead is not None, sorted(rels)
    assert 0.0 < lead["confidence"] <= 1.0
    assert all(r["confidence"] is not None for r in out["relations"] if r.get("confidence") is not None)
    assert any(k[0] == "RIVAL_OF" for k in rels), sorted(rels)


def test_the_learned_extractor_keeps_attacks_in_both_voices():
    for text in ("En 2019, sicarios de la banda Los Cometas asesinaron a Ramiro Quintal en Maracay.",
                 "En 2020, Ramiro Quintal fue asesinado por la banda Los Cometas en Maracay."):
        out = extract_document(Document(text=text, lang="es")).to_format("t")
        names = {e["id"]: e["name"] for e in out["entities"]}
        attacks = {(names.get(r["subject"]), names.get(r["object"])) for r in out["relations"] if r["type"] == "ATTACKED"}
        assert ("Los Cometas", "Ramiro Quintal") in attacks, attacks


def test_min_confidence_filters(monkeypatch):
    base = extract_document(Document(text=TEXT, lang="en")).to_format("t")
    monkeypatch.setenv("SABUESO_MIN_CONFIDENCE", "0.999")
    strict = extract_document(Document(text=TEXT, lang="en")).to_format("t")
    assert len(strict["relations"]) < len(base["relations"])
    assert all(r["confidence"] >= 0.999 for r in strict["relations"])


def test_rules_only_switch(monkeypatch):
    monkeypatch.setenv("SABUESO_RULES_ONLY", "1")
    out = extract_document(Document(text=TEXT, lang="en")).to_format("t")
    assert all(r["confidence"] is None for r in out["relations"])


@pytest.fixture(scope="module")
def tiny_docs():
    from sabueso.learn.corpus import find_gold, parse
    return parse(find_gold(TINY))


def test_training_on_a_tiny_corpus_learns_its_facts(tiny_docs):
    from sabueso.analyze.evaluate import score
    from sabueso.extract.learned import apply_models, reset_state
    from sabueso.extract.pipeline import finish
    from sabueso.learn.fit import fit
    models = fit(tiny_docs, tune=False)
    assert models.typer.meta["examples"] > 50
    learned = rules = 0
    for d in tiny_docs:
        reset_state(d.state)
        rules += score(d.gold, finish(d.state).to_format("t"))["relations"]["tp"]
        apply_models(d.state, models)
        learned += score(d.gold, finish(d.state).to_format("t"))["relations"]["tp"]
    # on the articles it was trained on, the scorer must find more than the rules alone
    assert learned > rules


def test_cross_validation_never_scores_a_training_article(tiny_docs, monkeypatch):
    from sabueso.learn import crossval, fit as fitmod
    seen = []
    real = fitmod.fit

    def spy(train, **kw):
        seen.append({d.name for d in train})
        return real(train, tune=False)
    monkeypatch.setattr(fitmod, "fit", spy)
    report = crossval.cross_validate(tiny_docs, k=3)
    assert len(report["folds"]) == 3 == len(seen)
    tested = [n for f in report["folds"] for n in f["test"]]
    assert sorted(tested) == sorted(d.name for d in tiny_docs)       # each article held out once
    for f, train in zip(report["folds"], seen):
        assert not set(f["test"]) & train
    assert {"en", "es", "all"} <= set(report["learned"])
    assert 0.0 <= report["learned"]["all"]["relations"]["f1"] <= 1.0


def test_train_and_eval_cv_commands(tmp_path: Path):
    from sabueso.cli import app
    folder = tmp_path / "gold"
    folder.mkdir()
    for g in TINY[:4]:
        (folder / g.name).write_text(g.read_text(encoding="utf-8"), encoding="utf-8")
        txt = g.with_name(g.name.replace(".gold.json", ".txt"))
        (folder / txt.name).write_text(txt.read_text(encoding="utf-8"), encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "models"
    r = runner.invoke(app, ["train", "extractor", str(folder), "--output", str(out), "--no-tune"])
    assert r.exit_code == 0, r.output
    assert (out / "relations.json.gz").exists() and (out / "typer.json.gz").exists()
    r = runner.invoke(app, ["eval", str(folder), "--cv", "--folds", "2", "--json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout[r.stdout.index("{"):])
    assert len(report["folds"]) == 2 and "rules" in report
    r = runner.invoke(app, ["eval", str(tmp_path / "nothing"), "--cv"])
    assert r.exit_code != 0


def test_activities_have_their_own_scorer_and_threshold():
    from dataclasses import replace
    from sabueso.extract.learned import apply_models
    from sabueso.extract.pipeline import finish, rule_pass
    from sabueso.nlp import get_nlp
    models = load_models(shipped_folder())
    acts = models.activities
    assert acts is not None and any(f.startswith("label=") for f in acts.weights)
    assert 0.0 < models.relations.meta["activity_threshold"] < 1.0
    doc = Document(text=TEXT, lang="en")
    state = rule_pass(doc, get_nlp("en")(TEXT))

    def claims(m):
        apply_models(state, m)
        return {(c.type, c.object) for c in finish(state).claims}
    found = claims(models)
    assert any(t == "ACTIVITY" for t, _ in found), found
    # an activity scorer that says no to everything removes the activities, and only them
    silent = LinearModel(acts.classes, [-60.0], {}, meta=acts.meta)
    without = claims(replace(models, activities=silent))
    assert not any(t == "ACTIVITY" for t, _ in without)
    assert {k for k in found if k[0] != "ACTIVITY"} == without
