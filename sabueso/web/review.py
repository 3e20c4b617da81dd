"""Reviewers' actions from the web app, each stored as a judgement (reviewer and time kept).

* confirm / reject / correct the type / correct the modality of a claim:
  ``Store.judge_claim``; a claim's judgements fold into its verdict (the newest confirm or
  reject decides whether it stands, each correction replaces a value; see
  :mod:`sabueso.store.claim_judging`).
* merge two entities: ``Store.merge`` (recorded and applied at once).
* undo: ``Store.undo_judgement`` deletes a judgement (a merge is re-clustered without it).

Claim ids are hashes of the document and the span, so a verdict survives re-ingestion.
"""
from __future__ import annotations

from typing import Any

ACTIONS = {"confirm": "confirmed", "reject": "rejected", "correct_type": "corrected",
           "correct_modality": "corrected"}
#: what the feedback line says a judgement did
DONE = {"confirm": "Confirmed", "reject": "Rejected", "correct_type": "Type corrected",
        "correct_modality": "Modality corrected", "merge": "Merged", "not_same": "Kept apart",
        "split": "Split"}
#: review queue order: what most needs a reviewer first
MODALITY_ORDER = {"hedged": 0, "reported": 1, "denied": 2, "asserted": 3}
MAX_REVIEWER = 100
MAX_NOTE = 2000


class ReviewError(ValueError):
    """An action that cannot be carried out (unknown claim or entity, bad input)."""


def clean_reviewer(value: str | None) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise ReviewError("a reviewer name is required")
    if len(value) > MAX_REVIEWER:
        raise ReviewError(f"the reviewer name is longer than {MAX_REVIEWER} characters")
    return value


def clean_note(value: str | None) -> str | None:
    value = (value or "").strip()
    if len(value) > MAX_NOTE:
        raise ReviewError(f"the note is longer than {MAX_NOTE} characters")
    return value or None


def claim_statuses(judgements: list[dict]) -> dict[str, dict[str, Any]]:
    """claim id -> its verdict: ``{"status": "confirmed"|"rejected"|"corrected", "type",
    "modality" (corrections), "reviewer", "at", "note", "id"}`` (see ``verdicts``)."""
    from ..store.claim_judging import verdicts
    return verdicts(judgements)


def review_claim(store, claim_id: str, action: str, reviewer: str | None,
                 note: str | None = None, value: str | None = None) -> dict:
    """Record ``action`` (confirm|reject|correct_type|correct_modality, the last two with the
    corrected ``value``) on a stored claim; returns the judgement."""
    from ..store.judging import JudgementError
    if action not in ACTIONS:
        raise ReviewError(f"unknown action {action!r}; expected one of {', '.join(ACTIONS)}")
    reviewer, note = clean_reviewer(reviewer), clean_note(note)
    try:
        return store.judge_claim(claim_id, action, value, reviewer=reviewer, note=note)
    except JudgementError as exc:
        raise ReviewError(str(exc)) from exc


def undo(store, jid: int) -> dict:
    """Delete judgement ``jid`` from the store (re-clustering a merge); returns it."""
    from ..store.judging import JudgementError
    try:
        return store.undo_judgement(jid)
    except JudgementError as exc:
        raise ReviewError(str(exc)) from exc


def merge_entities(store, a: str, b: str, reviewer: str | None,
                   note: str | None = None) -> dict:
    """Judge ``a`` and ``b`` (ids or exact names) one entity; applied where the store can."""
    a, b = (a or "").strip(), (b or "").strip()
    if not a or not b:
        raise ReviewError("merging needs two entities")
    reviewer, note = clean_reviewer(reviewer), clean_note(note)
    merge = getattr(store, "merge", None)
    if merge is None:  # an older store: record the judgement only
        for ref in (a, b):
            if store.entity(ref) is None:
                raise ReviewError(f"no entity {ref!r}")
        jid = store.add_judgement("merge", a, b, reviewer=reviewer, note=note)
        return {"id": jid, "kind": "merge", "a": a, "b": b, "reviewer": reviewer,
                "applied": False, "now": [a]}
    try:
        out = merge(a, b, reviewer=reviewer, note=note)
    except ValueError as exc:  # JudgementError is a ValueError
        raise ReviewError(str(exc)) from exc
    return {**out, "applied": True}


# -- what the review page shows about the reviewer's last action and the trained model ---------
def feedback(store, jid: int | None = None, undone: str | None = None,
             claim_id: str | None = None) -> dict | None:
    """The line shown after an action: ``{"text", "claim", "undo"}`` (the judgement id an Undo
    button deletes; None once undone). Built from the store, never from the request's text."""
    from .queries import claim as get_claim
    if jid is not None:
        j = store.judgement(jid)
        if j is None:
            return None
        kind, claim_id = j["kind"], j["a"] if j["kind"] in ACTIONS else None
    elif undone in DONE:
        kind = undone
    else:
        return None
    c = get_claim(store, claim_id) if claim_id else None
    what = describe(c) if c else ""
    if c and jid is not None and kind == "correct_type":
        what += f" → {relation_label(j['b'])}"
    elif c and jid is not None and kind == "correct_modality":
        what += f" → {j['b']}"
    text = f"{DONE[kind]}: {what}" if what else DONE[kind]
    if jid is None:
        text = f"Undone ({DONE[kind].lower()}): {what}" if what else f"Undone: {DONE[kind].lower()}"
    return {"text": text, "claim": claim_id, "undo": jid, "kind": kind}


def describe(c: dict) -> str:
    """'Subject relation object' in plain words."""
    obj = c["object"]["name"] if c["object"].get("id") else relation_label(c.get("object_value"))
    return f"{c['subject']['name']} {relation_label(c['type'])} {obj}".strip()


def relation_label(code: str | None) -> str:
    from ..ontology import relation_label as label
    return label(code)


_MODEL_META: dict = {}


def model_info() -> dict | None:
    """What the extractor's relation scorer was trained on (articles, reviewer judgements),
    read from its file's meta (cached until the file changes); None without a trained model.
    The folder is the extractor's (``$SABUESO_MODELS``, else the package's models), found
    without importing the extractor (spaCy) into the web app."""
    import gzip
    import json
    import os
    from importlib import resources
    from pathlib import Path
    folder = Path(os.environ["SABUESO_MODELS"]) if os.environ.get("SABUESO_MODELS") else \
        Path(str(resources.files("sabueso").joinpath("models", "extractor")))
    path = folder / "relations.json.gz"
    try:
        stamp = (str(path), path.stat().st_mtime_ns)
    except OSError:
        return None
    if _MODEL_META.get("stamp") != stamp:
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                meta = json.load(fh).get("meta") or {}
        except (OSError, ValueError):
            return None
        _MODEL_META.update(stamp=stamp, info={"articles": meta.get("articles"),
                                              "judgements": int(meta.get("judgements") or 0),
                                              "folder": str(folder)})
    return _MODEL_META["info"]
