"""Spanish NER training: the CoNLL reader, IOB conversion, entity scoring, and a smoke training run."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

from sabueso.nlp import conll

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CONLL_ES = SHARED / "data" / "conll2002"
needs_conll = pytest.mark.skipif(not (CONLL_ES / "esp.train").exists(),
                                 reason="../shared/data/conll2002 is not present beside the repo")

TINY = """\
El DA O
juez NC O
Baltasar NC B-PER
Garzón NC I-PER
visitó VMI O
Bogotá NP B-LOC
( Fpa O
EFE NC B-ORG
) Fpt O
. Fp O

La DA O
Policía NC B-ORG
Nacional AQ I-ORG
y CC O
la DA O
Fiscalía NC B-ORG
. Fp O
"""


# --- reader and IOB ---------------------------------------------------------------------------

def test_parse_conll_reads_words_tags_and_iob2_spans():
    sents = list(conll.parse_conll(TINY.splitlines()))
    assert len(sents) == 2
    first = sents[0]
    assert first.words[:4] == ["El", "juez", "Baltasar", "Garzón"]
    assert first.tags[5] == "NP"
    assert first.spans == [(2, 4, "PER"), (5, 6, "LOC"), (7, 8, "ORG")]
    assert sents[1].spans == [(1, 3, "ORG"), (5, 6, "ORG")]


def test_iob_conversion_iob2_iob1_and_adjacent_entities():
    # IOB2: a B- right after an entity of the same type starts a second entity
    assert conll.iob_to_spans(["B-PER", "I-PER", "B-PER", "O"]) == [(0, 2, "PER"), (2, 3, "PER")]
    # IOB1: I- opens an entity after O or after another type
    assert conll.iob_to_spans(["I-LOC", "I-LOC", "O", "I-ORG", "I-PER"]) == [(0, 2, "LOC"), (3, 4, "ORG"), (4, 5, "PER")]
    assert conll.iob_to_spans(["O", "O"]) == []
    assert conll.iob_to_spans(["B-MISC"]) == [(0, 1, "MISC")]
    with pytest.raises(ValueError):
        conll.iob_to_spans(["X-PER"])


def test_read_conll_latin1_and_docs(tmp_path):
    path = tmp_path / "tiny.conll"
    path.write_bytes(("-DOCSTART- -X- O\n\n" + TINY).encode("latin-1"))
    sents = conll.read_conll(path)  # latin-1 by default
    assert [len(s.words) for s in sents] == [10, 7]
    assert sents[0].words[3] == "Garzón"
    nlp = spacy.blank("es")
    doc = conll.sentence_to_doc(nlp.vocab, sents[0])
    assert [t.text for t in doc] == sents[0].words  # tokens as given
    assert doc.text == "El juez Baltasar Garzón visitó Bogotá (EFE)."
    assert [(e.text, e.label_) for e in doc.ents] == [("Baltasar Garzón", "PER"), ("Bogotá", "LOC"), ("EFE", "ORG")]
    assert doc[5].tag_ == "NP" and doc[0].is_sent_start
    docbin = conll.conll_to_docbin(path, tmp_path / "tiny.spacy")
    back = list(docbin.get_docs(nlp.vocab))
    assert len(back) == 2 and [e.label_ for e in back[1].ents] == ["ORG", "ORG"]
    assert (tmp_path / "tiny.spacy").exists()


# --- scoring ----------------------------------------------------------------------------------

def test_prf_exact_span_and_type():
    gold = [(0, 2, 4, "PER"), (0, 5, 6, "LOC"), (1, 1, 3, "ORG"), (1, 5, 6, "ORG")]
    pred = [(0, 2, 4, "PER"),      # right
            (0, 5, 6, "ORG"),      # wrong type
            (1, 1, 2, "ORG"),      # wrong span
            (1, 5, 6, "ORG")]      # right
    s = conll.prf(gold, pred)
    assert (s["tp"], s["predicted"], s["gold"]) == (2, 4, 4)
    assert s["precision"] == pytest.approx(0.5) and s["recall"] == pytest.approx(0.5) and s["f1"] == pytest.approx(0.5)
    assert s["per_label"]["PER"]["f1"] == pytest.approx(1.0)
    assert s["per_label"]["LOC"]["recall"] == 0.0
    s = conll.prf(gold, pred[:1])
    assert s["precision"] == 1.0 and s["recall"] == pytest.approx(0.25) and s["f1"] == pytest.approx(0.4)
    assert conll.prf(gold, [])["f1"] == 0.0


def test_evaluate_runs_the_pipeline_on_gold_tokens():
    nlp = spacy.blank("es")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "LOC", "pattern": "Bogotá"}, {"label": "PER", "pattern": "Garzón"},
                        {"label": "ORG", "pattern": [{"ORTH": "Policía"}, {"ORTH": "Nacional"}]}])
    s = conll.evaluate_sentences(nlp, list(conll.parse_conll(TINY.splitlines())))
    # predicted: Garzón (wrong span), Bogotá (right), Policía Nacional (right); gold: 5 entities
    assert (s["tp"], s["predicted"], s["gold"]) == (2, 3, 5)
    assert s["precision"] == pytest.approx(2 / 3) and s["recall"] == pytest.approx(0.4)
    assert s["f1"] == pytest.approx(0.5)


# --- smoke training ---------------------------------------------------------------------------

@needs_conll
def test_smoke_training_saves_a_loadable_pipeline(tmp_path):
    from sabueso.cli import app
    from sabueso.nlp.train import train_ner

    out = tmp_path / "es_ner"
    summary = train_ner("es", CONLL_ES / "esp.train", CONLL_ES / "esp.testa", out, max_epochs=2,
                        max_minutes=2, seed=0, limit=30, test_path=CONLL_ES / "esp.testb",
                        overrides={"training.eval_frequency": 10})
    assert (out / "meta.json").exists() and (out / "TRAINING.md").exists()
    assert summary["train_docs"] == 30 and summary["epochs"] == 2
    assert 0.0 <= summary["dev_scores"]["f1"] <= 1.0 and "test_scores" in summary
    from sabueso.nlp.vectors import META_KEY, PACKAGE, load_pipeline
    # the static vectors come from a package: named in meta.json, not saved with the model
    assert json.loads((out / "meta.json").read_text())[META_KEY] == PACKAGE
    assert not (out / "vocab" / "vectors").exists()
    assert sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) < 25e6
    nlp = load_pipeline(out)
    assert nlp.vocab.vectors.shape == (20000, 300)          # attached again at load time
    assert nlp.vocab["Madrid"].has_vector
    assert {"tok2vec", "tagger", "attribute_ruler", "pos_rules", "ner", "sentencizer"} <= set(nlp.pipe_names)
    assert set(nlp.get_pipe("ner").labels) == {"PER", "ORG", "LOC", "MISC"}
    doc = nlp("La Policía detuvo ayer en Madrid a dos hombres. El juez los interrogó.")
    assert all(t.tag_ for t in doc) and all(t.pos_ for t in doc)  # tagger + attribute_ruler
    # tag map, then the PROPN rules: a capitalised noun inside a sentence and an acronym are names
    ruled = nlp.make_doc("Fuentes de la Interpol y la EFE , dijo")
    for token, tag in zip(ruled, ("NC", "SP", "DA", "NC", "CC", "DA", "NC", "Fc", "VMI")):
        token.tag_ = tag
    ruled = nlp.get_pipe("pos_rules")(nlp.get_pipe("attribute_ruler")(ruled))
    assert [t.pos_ for t in ruled] == ["NOUN", "ADP", "DET", "PROPN", "CCONJ", "DET", "PROPN", "PUNCT", "VERB"]
    assert len(list(doc.sents)) == 2

    small = tmp_path / "dev30.conll"
    small.write_text("\n\n".join(s for s in (CONLL_ES / "esp.testa").read_text(encoding="latin-1")
                               .split("\n\n")[:30]) + "\n", encoding="latin-1")
    result = CliRunner().invoke(app, ["eval-ner", str(small), "--lang", "es", "--model", str(out), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert set(scores) == {"precision", "recall", "f1"}
    assert all(0.0 <= v <= 1.0 for v in scores.values())


@needs_conll
def test_final_fit_keeps_the_model_at_the_end(tmp_path):
    """keep="last": the dev file added to the training data, the model after a fixed number of
    steps is saved (not a checkpoint picked on dev), and TRAINING.md says so."""
    from sabueso.nlp.train import train_ner

    with pytest.raises(ValueError, match="keep"):
        train_ner("es", CONLL_ES / "esp.train", CONLL_ES / "esp.testa", tmp_path / "x", keep="first")
    out = tmp_path / "final"
    summary = train_ner("es", CONLL_ES / "esp.train", CONLL_ES / "esp.testa", out, max_epochs=50,
                        max_minutes=2, limit=20, silver=CONLL_ES / "esp.testa", keep="last",
                        overrides={"training.eval_frequency": 4, "training.max_steps": 9})
    assert summary["keep"] == "last" and summary["best"] is None
    assert summary["steps"] == 9 and summary["train_docs"] == 40   # 20 of each file
    assert [row["step"] for row in summary["history"]] == [0, 4, 8]
    text = (out / "TRAINING.md").read_text()
    assert "final fit" in text and "not held out" in text and "best checkpoint" not in text
    assert (out / "meta.json").exists()


def test_missing_vector_package_names_what_to_install():
    from sabueso.nlp.vectors import VectorsMissing, package_vocab
    with pytest.raises(VectorsMissing, match="no_such_vectors_pkg.*make install"):
        package_vocab("no_such_vectors_pkg")


def test_shipped_spanish_pipeline_gets_its_vectors():
    from sabueso.nlp import get_nlp
    nlp = get_nlp("es")
    assert nlp.vocab.vectors.shape[0] > 0 or not nlp.meta.get("sabueso_vectors")
    doc = nlp("La Policía detuvo en Bogotá a Ledo Parvas, alias «el Tuerto».")
    assert doc.ents, "the Spanish NER finds names"
