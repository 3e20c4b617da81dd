"""Reviewers' judgements of claims: confirm, reject, correct the type, correct the modality;
and undoing any judgement.

A claim judgement names the claim by its id (a hash of the document and the span, so it keeps
its meaning when the document is ingested again); ``correct_type`` and ``correct_modality``
keep the corrected value in ``b``. The judgements of one claim fold, oldest first, into its
*verdict* (:func:`verdicts`): a reject makes it wrong, a confirm or a correction right, and
each correction replaces the type or modality the extractor gave it.

Undoing deletes the judgement row, so the store is as if it had never been made; undoing a
merge, not-same or split re-clusters the entities it touched (:mod:`.resolution`).
"""
from __future__ import annotations

import json
import os

from sqlalchemy import Connection, delete, insert, select

from ..core import MODALITIES
from ..ontology import get_ontology
from . import resolution
from .canon import now
from .judging import JudgementError
from .schema import claims, entities, entity_records, judgements

CLAIM_KINDS = ("confirm", "reject", "correct_type", "correct_modality")
ENTITY_KINDS = ("merge", "not_same", "split")
STATUS = {"confirm": "confirmed", "reject": "rejected", "correct_type": "corrected",
          "correct_modality": "corrected"}


def verdicts(rows: list[dict]) -> dict[str, dict]:
    """claim id -> its verdict: ``{"status": confirmed|rejected|corrected, "valid", "type",
    "modality"`` (the corrected values, None where not corrected), ``"id", "kind", "reviewer",
    "at", "note"`` (of the newest judgement) ``, "ids"}`` (all of them, oldest first)."""
    out: dict[str, dict] = {}
    for j in sorted(rows, key=lambda j: j["id"]):
        if j["kind"] not in CLAIM_KINDS:
            continue
        v = out.setdefault(j["a"], {"valid": True, "type": None, "modality": None, "ids": []})
        v["valid"] = j["kind"] != "reject"
        if j["kind"] == "correct_type":
            v["type"] = j["b"]
        elif j["kind"] == "correct_modality":
            v["modality"] = j["b"]
        v["ids"].append(j["id"])
        v.update(id=j["id"], kind=j["kind"], reviewer=j.get("reviewer"),
                 at=j.get("created_at"), note=j.get("note"))
    for v in out.values():
        v["status"] = ("rejected" if not v["valid"] else
                       "corrected" if v["type"] or v["modality"] else "confirmed")
    return out


def _claim(conn: Connection, claim_id: str):
    subj, obj = entities.alias("s"), entities.alias("o")
    q = (select(claims.c.id, claims.c.type, claims.c.modality, claims.c.object_id,
                subj.c.type.label("subject_type"), obj.c.type.label("object_type"))
         .join(subj, subj.c.id == claims.c.subject_id)
         .outerjoin(obj, obj.c.id == claims.c.object_id)
         .where(claims.c.id == claim_id))
    return conn.execute(q).first()


def check_value(conn: Connection, claim_id: str, kind: str, value: str | None) -> str | None:
    """The corrected value of a correction (checked against the claim), None otherwise."""
    if kind not in CLAIM_KINDS:
        raise JudgementError(f"unknown claim judgement {kind!r}; expected one of "
                             f"{', '.join(CLAIM_KINDS)}")
    c = _claim(conn, claim_id)
    if c is None:
        raise JudgementError(f"no claim {claim_id!r}")
    value = (value or "").strip() or None
    if kind in ("confirm", "reject"):
        return None
    if value is None:
        raise JudgementError(f"{kind} needs the corrected value")
    if kind == "correct_modality":
        if value not in MODALITIES:
            raise JudgementError(f"unknown modality {value!r}; expected one of {', '.join(MODALITIES)}")
        return value
    spec = get_ontology().relations.get(value)
    if spec is None or value == "ACTIVITY":
        raise JudgementError(f"unknown relation type {value!r}")
    if c.object_id is None:
        raise JudgementError("a claim about an activity or a value cannot change type; reject it instead")
    if value == c.type:
        raise JudgementError(f"the claim is already of type {value}")
    if not spec.accepts(c.subject_type, c.object_type):
        raise JudgementError(f"{value} does not relate a {c.subject_type} to a {c.object_type}")
    return value


def judge_claim(conn: Connection, claim_id: str, kind: str, value: str | None = None,
                reviewer: str | None = None, note: str | None = None) -> dict:
    """Record one judgement of a stored claim; returns it."""
    value = check_value(conn, claim_id, kind, value)
    reviewer = reviewer or os.environ.get("USER") or os.environ.get("USERNAME") or None
    jid = conn.execute(insert(judgements).values(
        kind=kind, a=claim_id, b=value, reviewer=reviewer, note=note,
        created_at=now())).inserted_primary_key[0]
    return {"id": int(jid), "kind": kind, "claim": claim_id, "value": value,
            "status": STATUS[kind], "reviewer": reviewer, "note": note}


def get(conn: Connection, jid: int) -> dict | None:
    r = conn.execute(select(judgements).where(judgements.c.id == jid)).first()
    return None if r is None else {**dict(r._mapping), "keys": json.loads(r.keys or "[]")}


def _holder(conn: Connection, key: str | None) -> str | None:
    if not key:
        return None
    return conn.scalar(select(entity_records.c.entity_id).where(entity_records.c.key == key)
                       .limit(1)) or (key if conn.scalar(select(entities.c.id).where(
                           entities.c.id == key)) else None)


def undo(conn: Connection, jid: int) -> dict:
    """Delete judgement ``jid``; an entity judgement's entities are re-clustered without it."""
    j = get(conn, jid)
    if j is None:
        raise JudgementError(f"no judgement {jid}")
    scope: set[str] = set(j["keys"])
    if j["kind"] in ENTITY_KINDS:
        for ref in (j["a"], j["b"]):
            holder = _holder(conn, ref)
            if holder:
                scope |= resolution.keys_of(conn, holder)
    conn.execute(delete(judgements).where(judgements.c.id == jid))
    stats = resolution.recluster(conn, scope) if scope else {}
    return {**j, "undone": True, **stats}
