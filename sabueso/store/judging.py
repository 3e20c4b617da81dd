"""Reviewers' judgements: merge, not-same and split, recorded and applied at once.

Judgements refer to *name keys* (every entity id is the name key of one of its records), so
they keep their meaning when the extracted data is deleted and ingested again, or re-resolved:
:mod:`.resolution` folds them in (:func:`~sabueso.resolve.cluster.fold`) every time it runs.
An argument may be an entity id, an older id (any name key: it names the entity holding that
key now) or a name that matches exactly one entity.
"""
from __future__ import annotations

import json
import os

from sqlalchemy import Connection, insert, select

from ..resolve.names import norm_name
from . import queries, resolution
from .canon import now
from .schema import entities, entity_records, judgements


class JudgementError(ValueError):
    """A judgement that cannot be recorded (unknown or ambiguous entity, nothing to do)."""


def find_key(conn: Connection, ref: str) -> tuple[str, str]:
    """(name key, current entity id) that ``ref`` designates."""
    ref = (ref or "").strip()
    if conn.scalar(select(entities.c.id).where(entities.c.id == ref)) is not None:
        return ref, ref
    eid = conn.scalar(select(entity_records.c.entity_id).where(entity_records.c.key == ref).limit(1))
    if eid:
        return ref, eid
    found = [f for f in queries.find_entities(conn, ref, limit=10) if f["score"] == 100]
    if len(found) == 1:          # a name: the key of the records so named, else the entity's
        eid, norm = found[0]["id"], norm_name(ref)
        named = {k for k, n in conn.execute(select(entity_records.c.key, entity_records.c.name)
                                            .where(entity_records.c.entity_id == eid))
                 if norm_name(n) == norm}
        return (named.pop() if len(named) == 1 else eid), eid
    if found:
        listed = ", ".join(f"{f['id']} ({f['type']} {f['name']})" for f in found)
        raise JudgementError(f"{ref!r} names several entities: {listed}; give an id")
    raise JudgementError(f"no entity {ref!r}; see `sabueso entities`")


def judge(conn: Connection, kind: str, a: str, b: str | None = None,
          reviewer: str | None = None, note: str | None = None) -> dict:
    """Record and apply one judgement; returns it with the resolution counts."""
    if kind not in ("merge", "not_same", "split"):
        raise JudgementError(f"unknown judgement {kind!r}")
    ka, ea = find_key(conn, a)
    kb, eb = find_key(conn, b) if kind != "split" else (None, None)
    if kind != "split" and b is None:
        raise JudgementError(f"{kind} needs two entities")
    if kind != "split" and ka == kb:
        raise JudgementError(f"{a!r} and {b!r} are the same record")
    if kind == "merge" and ea == eb:
        raise JudgementError(f"{a!r} and {b!r} are already one entity ({ea})")
    scope = resolution.keys_of(conn, ea) | (resolution.keys_of(conn, eb) if eb else set())
    keys = sorted(resolution.keys_of(conn, ea)) if kind == "split" else None
    if kind == "split" and len(keys) < 2:
        raise JudgementError(f"{a!r} ({ea}) has one name key: nothing to split")
    reviewer = reviewer or os.environ.get("USER") or os.environ.get("USERNAME") or None
    jid = conn.execute(insert(judgements).values(
        kind=kind, a=ea if kind == "split" else ka, b=kb, reviewer=reviewer, note=note,
        created_at=now(), keys=json.dumps(keys) if keys else None)).inserted_primary_key[0]
    stats = resolution.recluster(conn, scope)
    after = {k: conn.scalar(select(entity_records.c.entity_id).where(entity_records.c.key == k)
                            .limit(1)) for k in filter(None, (ka, kb))}
    result = sorted(set(after.values()))
    return {"id": int(jid), "kind": kind, "a": ka, "b": kb, "reviewer": reviewer, **stats,
            "now": result, "blocked": kind == "merge" and len(result) > 1}


def list_judgements(conn: Connection) -> list[dict]:
    rows = conn.execute(select(judgements).order_by(judgements.c.id))
    return [{**dict(r._mapping), "keys": json.loads(r.keys or "[]")} for r in rows]
