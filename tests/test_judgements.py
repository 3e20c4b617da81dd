"""Claim judgements (confirm, reject, correct type, correct modality, undo), their export as
training examples (`sabueso judgements export`) and `sabueso train extractor --judgements`:
a claim a reviewer rejected or corrected is not extracted again from the same article by the
model retrained with that judgement (compared with the model trained on the same gold files
without it). Invented names only."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sabueso.cli import app
from sabueso.core import Claim, Document, Entity, Extraction, Mention
from sabueso.store import Store
from sabueso.store.judging import JudgementError

from .judged_article import (ARTICLE, GOLD, GROUP, LAWYER, LAWYER_SENTENCE, OTHER_GANG, TRUCE_SENTENCE,
                             baseline_models, found, train)

S1 = "Los Halcones Grises is a criminal gang based in Puerto Niebla, on the coast."
S2 = "Ramiro Vellano Tusca, alias El Tejón, leads Los Halcones Grises, police say."
S3 = "Los Halcones Grises allegedly extorts shopkeepers in Puerto Niebla."
TEXT = "\n\n".join([S1, S2, S3])


def _claim(type_, s, o, sentence, **kw) -> Claim:
    start = TEXT.index(sentence)
    return Claim(type_, s, o, sentence, start, start + len(sentence), **kw)


@pytest.fixture
def store(tmp_path: Path):
    doc = Document(text=TEXT, title="Harbour gangs (invented)", lang="en")
    ents = [Entity("e1", "CriminalGroup", "Los Halcones Grises", ["Halcones Grises"]),
            Entity("e2", "Person", "Ramiro Vellano Tusca", ["El Tejón"]),
            Entity("e3", "Place", "Puerto Niebla")]
    g = TEXT.index("Los Halcones Grises")
    mentions = [Mention(g, g + 19, "Los Halcones Grises", "CriminalGroup", "e1")]
    claims = [_claim("BASED_IN", "e1", "e3", S1, confidence=0.9),
              _claim("LEADER_OF", "e2", "e1", S2, modality="reported", attributed_to="police"),
              _claim("OPERATES_IN", "e1", "e3", S3, modality="hedged"),
              _claim("ACTIVITY", "e1", "extortion", S3, modality="hedged")]
    with Store.open(tmp_path / "j.db") as s:
        s.save_extraction(Extraction(doc, ents, mentions, claims))
        yield s


def claim_id(store: Store, rtype: str) -> str:
    gid = store.find_entities("Los Halcones Grises")[0]["id"]
    return next(c["id"] for c in store.entity_claims(gid) if c["type"] == rtype)


def test_claim_judgements_are_checked_and_fold_into_a_verdict(store: Store) -> None:
    based, leader = claim_id(store, "BASED_IN"), claim_id(store, "LEADER_OF")
    for bad, why in ((("nope", "confirm"), "no claim"),
                     ((based, "approve"), "unknown claim judgement"),
                     ((based, "correct_type", "LEADER_OF"), "does not relate a CriminalGroup to a Place"),
                     ((based, "correct_type", "BASED_IN"), "already of type"),
                     ((based, "correct_type", "SELLS_TO"), "unknown relation type"),
                     ((based, "correct_modality", "rumoured"), "unknown modality"),
                     ((based, "correct_modality"), "needs the corrected value"),
                     ((claim_id(store, "ACTIVITY"), "correct_type", "BASED_IN"), "cannot change type")):
        with pytest.raises(JudgementError, match=why):
            store.judge_claim(*bad, reviewer="Ana")
    assert store.judgements() == []                       # nothing recorded by a refused one
    store.judge_claim(based, "reject", reviewer="Ana")
    store.judge_claim(based, "confirm", reviewer="Beto")    # a later confirm undoes the reject
    store.judge_claim(based, "correct_type", "OPERATES_IN", reviewer="Beto")
    store.judge_claim(leader, "correct_modality", "hedged", reviewer="Ana")
    store.judge_claim(leader, "reject", reviewer="Ana")
    v = store.claim_verdicts()
    assert v[based]["status"] == "corrected" and v[based]["type"] == "OPERATES_IN" and v[based]["valid"]
    assert v[based]["reviewer"] == "Beto" and len(v[based]["ids"]) == 3
    assert v[leader]["status"] == "rejected" and v[leader]["modality"] == "hedged"


def test_undo_deletes_the_judgement(store: Store) -> None:
    based = claim_id(store, "BASED_IN")
    first = store.judge_claim(based, "confirm", reviewer="Ana")
    second = store.judge_claim(based, "reject", reviewer="Ana")
    assert store.claim_verdicts()[based]["status"] == "rejected"
    out = store.undo_judgement(second["id"])
    assert out["kind"] == "reject" and out["a"] == based
    assert [j["id"] for j in store.judgements()] == [first["id"]]
    assert store.claim_verdicts()[based]["status"] == "confirmed"
    store.undo_judgement(first["id"])
    assert based not in store.claim_verdicts() and store.judgements() == []
    with pytest.raises(JudgementError, match="no judgement"):
        store.undo_judgement(first["id"])


def test_undoing_a_merge_separates_the_entities_again(store: Store) -> None:
    a = store.find_entities("Ramiro Vellano Tusca")[0]["id"]
    b = store.find_entities("Puerto Niebla")[0]["id"]
    person, place = store.entity(a), store.entity(b)
    out = store.merge(person["id"], place["id"], reviewer="Ana")
    assert store.entity(a)["id"] == store.entity(b)["id"]
    store.undo_judgement(out["id"])
    assert store.entity(a)["id"] != store.entity(b)["id"] and store.judgements() == []


def test_export_writes_training_examples(store: Store, tmp_path: Path) -> None:
    based, leader, act = (claim_id(store, t) for t in ("BASED_IN", "LEADER_OF", "ACTIVITY"))
    store.judge_claim(based, "correct_type", "OPERATES_IN", reviewer="Ana", note="a base, not named")
    store.judge_claim(leader, "correct_modality", "hedged", reviewer="Ana")
    store.judge_claim(act, "reject", reviewer="Ana")
    store.merge("Los Halcones Grises", "Ramiro Vellano Tusca", reviewer="Ana")
    db = str(tmp_path / "j.db")
    out = tmp_path / "judgements.jsonl"
    res = CliRunner().invoke(app, ["judgements", "export", "--db", db, str(out)])
    assert res.exit_code == 0, res.output
    assert "wrote 3 judged claims (2 corrected, 1 rejected) and 1 judged entity pairs" in res.output
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    claims = {x["claim"]["id"]: x for x in lines if x["kind"] == "claim"}
    assert set(claims) == {based, leader, act}
    for x in claims.values():           # each example is enough to find its sentence again
        assert x["document"]["text"][x["start"]:x["end"]] == x["evidence"]
        assert x["format"] == "sabueso-judgement/1" and x["document"]["lang"] == "en"
    b = claims[based]
    assert b["label"] == {"valid": True, "status": "corrected", "type": "OPERATES_IN",
                          "modality": "asserted"}
    assert b["subject"]["name"] == "Los Halcones Grises" and b["subject"]["type"] == "CriminalGroup"
    assert "Halcones Grises" in b["subject"]["names"] and b["subject"]["mentions"]
    assert b["object"]["name"] == "Puerto Niebla" and b["claim"]["confidence"] == 0.9
    assert b["note"] == "a base, not named" and b["reviewer"] == "Ana"
    assert claims[leader]["label"]["modality"] == "hedged" and claims[leader]["label"]["type"] == "LEADER_OF"
    assert claims[act]["label"]["valid"] is False and claims[act]["object"] is None
    assert claims[act]["claim"]["object_value"] == "extortion"
    pair = next(x for x in lines if x["kind"] == "entity_pair")
    assert pair["label"] == {"same": True} and {pair["a"]["name"], pair["b"]["name"]} == {
        "Los Halcones Grises", "Ramiro Vellano Tusca"}
    # the listing still works beside the export
    listed = json.loads(CliRunner().invoke(app, ["judgements", "--json", "--db", db]).output)
    assert [j["kind"] for j in listed] == ["correct_type", "correct_modality", "reject", "merge"]


def test_export_to_an_unwritable_place_is_one_clear_error(store: Store, tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["judgements", "export", "--db", str(tmp_path / "j.db"),
                                   str(tmp_path / "no" / "such" / "dir" / "out.jsonl")])
    assert res.exit_code == 1 and "cannot write" in res.output and "Traceback" not in res.output


def test_a_broken_judgements_file_is_refused_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind": "entity_pair"}\n{not json\n', encoding="utf-8")
    out = tmp_path / "models"
    res = CliRunner().invoke(app, ["train", "extractor", str(GOLD), "--judgements", str(bad),
                                   "--output", str(out)])
    assert res.exit_code == 1 and "bad.jsonl:2: not JSON" in res.output
    assert not out.exists()                                # nothing trained, nothing written
    bad.write_text('{"kind": "claim", "document": {"id": "d"}}\n', encoding="utf-8")
    res = CliRunner().invoke(app, ["train", "extractor", str(GOLD), "--judgements", str(bad)])
    assert res.exit_code == 1 and "bad.jsonl:1: a claim example without" in res.output


def test_retraining_with_judgements_changes_the_judged_claims(tmp_path: Path, monkeypatch) -> None:
    """Reject the lawyer's membership and correct the gangs' rivalry to an alliance; the model
    retrained with those two judgements (same gold, same settings as the baseline) no longer
    extracts either mistake from the same article, and extracts the alliance."""
    from sabueso.extract import extract_document
    from sabueso.web.review import model_info
    baseline = baseline_models()
    monkeypatch.setenv("SABUESO_MODELS", str(baseline))
    before = extract_document(Document(text=ARTICLE, title="Cuervos (invented)"))
    assert found(before, "MEMBER_OF", LAWYER, GROUP, LAWYER_SENTENCE), "baseline: no mistake to judge"
    assert found(before, "RIVAL_OF", GROUP, OTHER_GANG, TRUCE_SENTENCE)
    with Store.open(tmp_path / "a.db") as store:
        store.save_extraction(before)
        claims = [c for e in store.list_entities() for c in store.entity_claims(e["id"])]
        member = next(c for c in claims if c["type"] == "MEMBER_OF" and c["subject"]["name"] == LAWYER)
        rival = next(c for c in claims if c["type"] == "RIVAL_OF" and c["evidence"].startswith(TRUCE_SENTENCE))
        store.judge_claim(member["id"], "reject", reviewer="Ana", note="he defended them in court")
        store.judge_claim(rival["id"], "correct_type", "ALLY_OF", reviewer="Ana")
    exported = tmp_path / "judgements.jsonl"
    res = CliRunner().invoke(app, ["judgements", "export", "--db", str(tmp_path / "a.db"), str(exported)])
    assert res.exit_code == 0, res.output
    judged = tmp_path / "judged-models"
    output = train(judged, "--judgements", str(exported))
    assert "trained with 2 reviewer judgements (each counting 20 times)" in " ".join(output.split())
    with gzip.open(judged / "relations.json.gz", "rt", encoding="utf-8") as fh:
        meta = json.load(fh)["meta"]
    assert meta["judgements"] == 2 and meta["judgement_weight"] == 20.0
    with gzip.open(baseline / "relations.json.gz", "rt", encoding="utf-8") as fh:
        assert json.load(fh)["meta"]["judgements"] == 0
    monkeypatch.setenv("SABUESO_MODELS", str(judged))
    assert model_info()["judgements"] == 2                   # what the review page shows
    after = extract_document(Document(text=ARTICLE, title="Cuervos (invented)"))
    assert not found(after, "MEMBER_OF", LAWYER, GROUP, LAWYER_SENTENCE)
    assert not found(after, "RIVAL_OF", GROUP, OTHER_GANG, TRUCE_SENTENCE)
    assert found(after, "ALLY_OF", GROUP, OTHER_GANG, TRUCE_SENTENCE)
    # what was not judged still stands
    assert found(after, "LEADER_OF", "Tadeo Marlasca Ruiz", GROUP, "The group is led by")


def test_judged_claims_become_labelled_examples(store: Store, tmp_path: Path) -> None:
    """Found again among the candidates of their sentence: a rejection is a negative example,
    a corrected type gives a negative (old type) and a positive (new type), a corrected
    modality a positive whose modality example carries the corrected label."""
    from sabueso.learn.judged import judged_examples, parse_judged, read_judgements
    based, leader, act = (claim_id(store, t) for t in ("BASED_IN", "LEADER_OF", "ACTIVITY"))
    store.judge_claim(based, "correct_type", "OPERATES_IN", reviewer="Ana")
    store.judge_claim(leader, "correct_modality", "hedged", reviewer="Ana")
    store.judge_claim(act, "reject", reviewer="Ana")
    out = tmp_path / "j.jsonl"
    out.write_text("".join(json.dumps(x) + "\n" for x in store.training_examples()), encoding="utf-8")
    docs, counts = read_judgements([out])
    assert counts == {"claims": 3, "entity_pairs": 0} and len(docs) == 1
    ex = judged_examples(parse_judged(docs), typer=None)
    assert ex.used == 3 and ex.unmatched == 0
    labelled = [(next(k.split("=", 1)[1] for k in f if k.startswith("r=")), y)
                for f, y in zip(ex.X, ex.y)]
    assert ("BASED_IN", 0) in labelled and ("OPERATES_IN", 1) in labelled
    assert ("LEADER_OF", 1) in labelled and ("ACTIVITY", 0) in labelled
    assert ("BASED_IN", 1) not in labelled and ("ACTIVITY", 1) not in labelled
    assert sum(ex.activity) == sum(1 for r, _ in labelled if r == "ACTIVITY")
    assert "hedged" in [m for _, m in ex.modality]            # the corrected modality
