"""The review queue in a real browser (Playwright driving Debian's Chromium, as
``test_browser.py``): the reviewer gives a name once; Confirm says what was done and Undo
takes it back (in the store too); a rejection and a type correction made by clicking are
exported (`sabueso judgements export`), `sabueso train extractor --judgements` learns from
them, and re-extracting the same article no longer repeats either mistake; the review page
then says how many judgements the model was trained with. Screenshots go to test-output/.

The article (invented) is extracted with a model trained on ``tests/corpus/en`` alone
(``judged_article.py``), so the mistakes to judge are there; the retrained model is trained
on the same files and settings plus the judgements.
"""
from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from .judged_article import (ARTICLE, GROUP, LAWYER, LAWYER_SENTENCE, OTHER_GANG, TRUCE_SENTENCE,
                             baseline_models, found, train)
from .test_browser import OUT, browser, page, serving  # noqa: F401  (fixtures)

REVIEWER = "Prueba Revisora"


class models_env:
    """``$SABUESO_MODELS`` set to ``folder`` inside the block (restored after)."""

    def __init__(self, folder):
        self.folder, self.old = str(folder), None

    def __enter__(self):
        self.old = os.environ.get("SABUESO_MODELS")
        os.environ["SABUESO_MODELS"] = self.folder

    def __exit__(self, *exc):
        if self.old is None:
            os.environ.pop("SABUESO_MODELS", None)
        else:
            os.environ["SABUESO_MODELS"] = self.old


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from sabueso.core import Document
    from sabueso.extract import extract_document
    from sabueso.store import Store
    from sabueso.web.app import create_app, loopback_hosts

    folder = tmp_path_factory.mktemp("review")
    baseline = baseline_models()
    with models_env(baseline):
        extraction = extract_document(Document(text=ARTICLE, title="River ports (invented)"))
    store = Store.open(folder / "review.db")
    store.save_extraction(extraction)
    app = create_app(store=store, reviewer="", allowed_hosts=loopback_hosts("127.0.0.1"))
    with serving(app) as base, models_env(baseline):
        yield {"base": base, "store": store, "db": folder / "review.db", "folder": folder}
    store.close()


def start_reviewing(page, server) -> None:
    page.goto(f"{server['base']}/review")
    if page.locator(".reviewer-form.reviewer-needed").count():
        assert page.locator("li.claim button.confirm[disabled]").count() >= 1
        page.fill(".reviewer-form input[name=reviewer]", REVIEWER)
        with page.expect_navigation():
            page.click(".reviewer-form button")
    assert page.locator(".reviewer-form input[name=reviewer]").input_value() == REVIEWER
    # the name is asked once: no row carries a name box
    assert page.locator("li.claim input[name=reviewer]").count() == 0


def test_confirm_gives_feedback_and_undo_reverts_it(server, page) -> None:
    start_reviewing(page, server)
    page.reload()                                          # remembered by the browser
    assert page.locator(".reviewer-form input[name=reviewer]").input_value() == REVIEWER
    first = page.locator("li.claim").first
    cid = first.get_attribute("id").removeprefix("claim-")
    subject = first.locator(".claim-head a").first.inner_text()
    relation = first.locator(".claim-head .rel").inner_text()
    total = page.locator("#queue-total").inner_text()
    with page.expect_navigation():
        first.locator("button.confirm").click()
    feedback = page.locator("#feedback")
    assert feedback.is_visible() and feedback.inner_text().startswith("Confirmed: ")
    assert feedback.inner_text().startswith(f"Confirmed: {subject} {relation} ")   # the claim
    assert page.locator(f"#claim-{cid}").count() == 0          # left the queue
    assert page.locator("#queue-total").inner_text() != total
    stored = server["store"].judgements()
    assert [(j["kind"], j["a"], j["reviewer"]) for j in stored] == [("confirm", cid, REVIEWER)]
    page.screenshot(path=str(OUT / "review-feedback.png"))
    with page.expect_navigation():
        feedback.locator("button.undo").click()
    assert page.locator("#feedback").inner_text().startswith("Undone (confirmed): ")
    assert server["store"].judgements() == []                  # reverted in the store
    assert page.locator(f"#claim-{cid}").count() == 1          # back in the queue
    assert page.locator("#queue-total").inner_text() == total
    page.screenshot(path=str(OUT / "review-undone.png"))
    assert not page.problems, page.problems


def test_judgements_clicked_exported_and_learned(server, page) -> None:
    from sabueso.cli import app
    from sabueso.core import Document
    from sabueso.extract import extract_document
    start_reviewing(page, server)
    # reject the lawyer's membership
    page.goto(f"{server['base']}/review?entity={LAWYER.replace(' ', '+')}")
    row = page.locator("li.claim", has_text="once defended members").first
    assert "member of" in row.locator(".rel").inner_text()           # in words, not MEMBER_OF
    with page.expect_navigation():
        row.locator("button.reject").click()
    assert page.locator("#feedback").inner_text().startswith(f"Rejected: {LAWYER}")
    # correct the rivalry of the two gangs that ended their war
    page.goto(f"{server['base']}/review?type=RIVAL_OF")
    row = page.locator("li.claim", has_text="ended its war").first
    row.locator("details.correct summary").click()
    row.locator("form.correct-type select").select_option("ALLY_OF")
    page.screenshot(path=str(OUT / "review-correct.png"))
    with page.expect_navigation():
        row.locator("button.correct-type-button").click()
    assert page.locator("#feedback").inner_text().startswith(f"Type corrected: {GROUP}")
    kinds = sorted(j["kind"] for j in server["store"].judgements())
    assert kinds == ["correct_type", "reject"]
    # export, retrain on the same gold plus the judgements, re-extract the article
    out = server["folder"] / "judgements.jsonl"
    res = CliRunner().invoke(app, ["judgements", "export", "--db", str(server["db"]), str(out)])
    assert res.exit_code == 0, res.output
    judged = server["folder"] / "judged-models"
    said = " ".join(train(judged, "--judgements", str(out)).split())
    assert "trained with 2 reviewer judgements" in said
    with models_env(judged):
        after = extract_document(Document(text=ARTICLE, title="River ports (invented)"))
        page.goto(f"{server['base']}/review")
        assert page.locator("#model-judgements").inner_text() == "2"
    stored = {(c["type"], c["evidence"][:30]) for e in server["store"].list_entities()
              for c in server["store"].entity_claims(e["id"])}
    assert ("MEMBER_OF", LAWYER_SENTENCE[:30]) in stored and ("RIVAL_OF", TRUCE_SENTENCE[:30]) in stored
    assert not found(after, "MEMBER_OF", LAWYER, GROUP, LAWYER_SENTENCE)
    assert not found(after, "RIVAL_OF", GROUP, OTHER_GANG, TRUCE_SENTENCE)
    assert found(after, "ALLY_OF", GROUP, OTHER_GANG, TRUCE_SENTENCE)
    assert not page.problems, page.problems
