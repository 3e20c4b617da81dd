"""Reviewers' actions from the web app, each stored as a judgement (reviewer and time kept).

* confirm / reject a claim: ``Store.add_judgement("confirm"|"reject", claim_id, ...)``; the
  newest such judgement of a claim is its status (a later confirm undoes a reject).
* merge two entities: ``Store.merge`` (recorded and applied at once) where the store has it,
  else the judgement is only recorded with ``add_judgement("merge", a, b)``.

Claim ids are hashes of the document and the span, so a status survives re-ingestion.
"""
from __future__ import annotations

from typing import Any

ACTIONS = {"confirm": "confirmed", "reject": "rejected"}
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
    """claim id -> ``{"status": "confirmed"|"rejected", "reviewer", "at", "note", "id"}``
    (the newest confirm/reject judgement of each claim)."""
    out: dict[str, dict[str, Any]] = {}
    for j in sorted(judgements, key=lambda j: j["id"]):
        if j["kind"] in ACTIONS:
            out[j["a"]] = {"status": ACTIONS[j["kind"]], "reviewer": j.get("reviewer"),
                           "at": j.get("created_at"), "note": j.get("note"), "id": j["id"]}
    return out


def review_claim(store, claim_id: str, action: str, reviewer: str | None,
                 note: str | None = None) -> dict:
    """Record ``action`` (confirm|reject) on a stored claim; returns the judgement."""
    from .queries import claim_exists
    if action not in ACTIONS:
        raise ReviewError(f"unknown action {action!r}; expected confirm or reject")
    if not claim_exists(store, claim_id):
        raise ReviewError(f"no claim {claim_id!r}")
    reviewer, note = clean_reviewer(reviewer), clean_note(note)
    jid = store.add_judgement(action, claim_id, None, reviewer=reviewer, note=note)
    return {"id": jid, "kind": action, "claim": claim_id, "status": ACTIONS[action],
            "reviewer": reviewer, "note": note}


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
