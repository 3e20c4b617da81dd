"""Entity references of stored rows, kept as local ids and repointed after a re-resolution.

Mentions keep the local entity id they were extracted with (``local_id``); claims, events and
quantities keep theirs in ``refs`` (JSON: ``subject``/``object``/``from``/``to``,
``place``/``participants``, ``subject``). Each (document, local id) has one
``entity_records`` row, whose ``entity_id`` is the canonical entity: :func:`remap` rewrites the
global columns of a set of documents from it, so entities can be split as well as merged.
"""
from __future__ import annotations

import json
from typing import Iterable

from sqlalchemy import Connection, bindparam, select, update

from .schema import claims, entity_records, events, mentions, quantities

CHUNK = 200


def claim_refs(subject: str, obj: str | None, qualifiers: dict, locals_: set[str]) -> str:
    refs = {"subject": subject, "object": obj}
    refs.update({k: qualifiers[k] for k in ("from", "to")
                 if isinstance(qualifiers.get(k), str) and qualifiers[k] in locals_})
    return json.dumps(refs, ensure_ascii=False)


def _apply(conn: Connection, table, rows: list[dict]) -> None:
    if rows:
        cols = {k: bindparam(k) for k in rows[0] if k != "_id"}
        conn.execute(update(table).where(table.c.id == bindparam("_id")).values(cols), rows)


def remap(conn: Connection, doc_ids: Iterable[str]) -> int:
    """Repoint the references of ``doc_ids`` to their records' current entities; returns the
    number of rows changed."""
    docs, changed = sorted(set(doc_ids)), 0
    for part in [docs[i:i + CHUNK] for i in range(0, len(docs), CHUNK)]:
        ids = {(d, loc): e for d, loc, e in conn.execute(
            select(entity_records.c.doc_id, entity_records.c.local_id, entity_records.c.entity_id)
            .where(entity_records.c.doc_id.in_(part)))}

        def get(doc: str, local, old):
            return ids.get((doc, local), old) if local else old

        rows = []
        for r in conn.execute(select(mentions.c.id, mentions.c.doc_id, mentions.c.local_id,
                                     mentions.c.entity_id).where(mentions.c.doc_id.in_(part))):
            new = get(r.doc_id, r.local_id, r.entity_id)
            if new != r.entity_id:
                rows.append({"_id": r.id, "entity_id": new})
        _apply(conn, mentions, rows)
        changed += len(rows)
        rows = []
        for r in conn.execute(select(claims.c.id, claims.c.doc_id, claims.c.refs, claims.c.subject_id,
                                     claims.c.object_id, claims.c.qualifiers)
                              .where(claims.c.doc_id.in_(part), claims.c.refs.is_not(None))):
            ref = json.loads(r.refs)
            subj = get(r.doc_id, ref.get("subject"), r.subject_id)
            obj = get(r.doc_id, ref.get("object"), r.object_id)
            quals = json.loads(r.qualifiers or "{}")
            for k in ("from", "to"):
                if ref.get(k):
                    quals[k] = get(r.doc_id, ref[k], quals.get(k))
            qtext = json.dumps(quals, ensure_ascii=False, sort_keys=True)
            if (subj, obj) != (r.subject_id, r.object_id) or qtext != (r.qualifiers or "{}"):
                rows.append({"_id": r.id, "subject_id": subj, "object_id": obj, "qualifiers": qtext})
        _apply(conn, claims, rows)
        changed += len(rows)
        rows = []
        for r in conn.execute(select(events.c.id, events.c.doc_id, events.c.refs, events.c.place_id,
                                     events.c.participants)
                              .where(events.c.doc_id.in_(part), events.c.refs.is_not(None))):
            ref = json.loads(r.refs)
            place = get(r.doc_id, ref.get("place"), r.place_id)
            people = list(dict.fromkeys(get(r.doc_id, p, None) for p in ref.get("participants", [])))
            people_text = json.dumps([p for p in people if p])
            if place != r.place_id or people_text != r.participants:
                rows.append({"_id": r.id, "place_id": place, "participants": people_text})
        _apply(conn, events, rows)
        changed += len(rows)
        rows = []
        for r in conn.execute(select(quantities.c.id, quantities.c.doc_id, quantities.c.refs,
                                     quantities.c.subject_id)
                              .where(quantities.c.doc_id.in_(part), quantities.c.refs.is_not(None))):
            subj = get(r.doc_id, json.loads(r.refs).get("subject"), r.subject_id)
            if subj != r.subject_id:
                rows.append({"_id": r.id, "subject_id": subj})
        _apply(conn, quantities, rows)
        changed += len(rows)
    return changed
