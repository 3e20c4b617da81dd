"""Writing a resolution: canonical entity rows, their aliases, and repointed references.

An entity's attributes are read off its records: the type most records give (ties: the
more specific of group, government body and organisation, else the first seen), the most representative of their names (rigour's ``pick_name``), every distinct
normalised name or alias once (first surface form seen, the name first), and for places the
gazetteer link most records share (else the first country / coordinates given).
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Collection

from rigour.names import pick_name
from sqlalchemy import Connection, bindparam, delete, func, select, update

from ..resolve.names import norm_name
from . import namesearch, refs
from .bulk import PART, insert_rows
from .schema import aliases, entities, entity_records

CHUNK = 500


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _most(rows: list, attr: str, default=None):
    """Most frequent non-empty value of ``attr`` over ``rows`` (each counting ``row.n``
    records), the first seen winning ties."""
    counts: dict = {}
    for r in rows:
        v = getattr(r, attr)
        if v not in (None, ""):
            counts[v] = counts.get(v, 0) + r.n
    if not counts:
        return default
    best = max(counts.values())
    return next(v for v, c in counts.items() if c == best)


#: On a tie of the records' types, the more specific one: a name that documents call a
#: criminal group as often as an organisation is the group (typing as a group needs evidence
#: of crime; "organisation" is the typer's fallback for a named body).
SPECIFIC = ("CriminalGroup", "GovernmentBody", "Organization")


def _type(rows: list) -> str | None:
    counts: dict = {}
    for r in rows:
        counts[r.type] = counts.get(r.type, 0) + r.n
    if not counts:
        return None
    best = max(counts.values())
    tied = [t for t, c in counts.items() if c == best]
    return next((t for t in SPECIFIC if t in tied), tied[0])


#: At most this many names are handed to ``pick_name`` (it reads every one it is given).
MAX_VOTES = 500


def _votes(rows: list) -> list[str]:
    """Each row's name repeated as often as it was written (``row.n``), scaled down, in
    proportion, for an entity named more than ``MAX_VOTES`` times (a popular one, refreshed
    as each new document names it), so that choosing its name stays cheap."""
    total = sum(r.n for r in rows)
    scale = min(1.0, MAX_VOTES / total) if total else 1.0
    return [r.name for r in rows for _ in range(max(1, round(r.n * scale)))]


def attributes(rows: list) -> tuple[dict, list[str]]:
    """(entity columns, alias surface forms) from an entity's distinct records, in order of
    first appearance, each standing for ``row.n`` identical records."""
    extracted = [r for r in rows if r.origin != "gazetteer"] or rows
    name = pick_name(_votes(extracted)) or extracted[0].name
    forms: dict[str, str] = {norm_name(name) or name: name}
    for r in rows:
        for s in (r.name, *json.loads(r.aliases or "[]")):
            forms.setdefault(norm_name(s) or s, s)
    geo = _most(rows, "geo_id")
    placed = [r for r in rows if r.geo_id == geo] if geo else rows
    located = next((r for r in placed if r.lat is not None), None) or next(
        (r for r in rows if r.lat is not None), None)
    cols = {"type": _type(extracted), "name": name,
            "place_kind": _most(placed, "place_kind") or _most(rows, "place_kind"),
            "country": _most(placed, "country") or _most(rows, "country"),
            "lat": located.lat if located else None, "lon": located.lon if located else None,
            "geo_id": geo, "admin_level": _most(placed, "admin_level")}
    return cols, list(forms.values())


#: What an entity's attributes are read from; records identical in all of these are read once.
_ATTR_COLS = ("entity_id", "type", "name", "aliases", "place_kind", "country", "lat", "lon",
              "geo_id", "admin_level", "origin")


_COLUMNS = [entity_records.c[c] for c in _ATTR_COLS]
_RECORDS_OF = (select(*_COLUMNS, func.count().label("n")).group_by(*_COLUMNS)
               .order_by(func.min(entity_records.c.id)).where(entity_records.c.entity_id.in_(PART)))
_DROP_ALIASES = delete(aliases).where(aliases.c.entity_id.in_(PART))
_EXISTING = select(entities.c.id).where(entities.c.id.in_(PART))
_DOCS_OF_KEYS = select(entity_records.c.doc_id).distinct().where(entity_records.c.key.in_(PART))
_DOCS_OF_NEW = _DOCS_OF_KEYS.where(entity_records.c.entity_id.is_(None))


def refresh(conn: Connection, ids: set[str]) -> None:
    """Recompute the columns and aliases of entities ``ids`` from their records."""
    for part in [sorted(ids)[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]:
        rows: dict[str, list] = {}
        for r in conn.execute(_RECORDS_OF, {"part": part}):
            rows.setdefault(r.entity_id, []).append(r)
        ups, names = [], []
        for eid, rs in rows.items():
            cols, forms = attributes(rs)
            ups.append({"_id": eid, **cols})
            names.extend({"entity_id": eid, "alias": f, "norm": norm_name(f) or f.casefold()}
                         for f in forms)
        conn.execute(_DROP_ALIASES, {"part": part})
        if ups:
            cols = {k: bindparam(k) for k in ups[0] if k != "_id"}
            conn.execute(update(entities).where(entities.c.id == bindparam("_id")).values(cols), ups)
        if names:
            insert_rows(conn, aliases, _unique(names))
            namesearch.index_norms(conn, {n["norm"] for n in names})


def _unique(rows: list[dict]) -> list[dict]:
    seen, out = set(), []
    for r in rows:
        if (r["entity_id"], r["norm"]) not in seen:
            seen.add((r["entity_id"], r["norm"]))
            out.append(r)
    return out


def write(conn: Connection, ids: dict[str, str], current: dict[str, str],
          pending: set[str] = frozenset(), fresh: Collection[str] = (),
          also: Collection[str] = ()) -> dict[str, int]:
    """Make ``ids`` (name key -> canonical id) true in the store; ``pending``: keys with
    records not yet assigned; ``fresh``: documents with no references written yet (not
    repointed); ``also``: other entities whose attributes to recompute. Returns counts."""
    new_ids, old_ids = set(ids.values()), set(current.values())
    have: set[str] = set()
    for part in [sorted(new_ids)[i:i + CHUNK] for i in range(0, len(new_ids), CHUNK)]:
        have.update(conn.scalars(_EXISTING, {"part": part}))
    created = sorted(new_ids - have)
    if created:
        stamp = now()
        insert_rows(conn, entities, [{"id": i, "type": "?", "name": i, "created_at": stamp}
                                     for i in created])
    moved = [{"_key": k, "eid": c} for k, c in ids.items() if current.get(k) != c or k in pending]
    touched = {m["eid"] for m in moved} | {current[m["_key"]] for m in moved
                                           if current.get(m["_key"]) in new_ids}
    docs: set[str] = set()
    # a key whose entity changed: all its records, and the references of all their documents;
    # a key that only gained records (a new document): just those records, whose documents'
    # references are all that can be stale (not every document naming a popular entity)
    repointed = [m for m in moved if current.get(m["_key"]) != m["eid"]]
    filled = [m for m in moved if current.get(m["_key"]) == m["eid"]]
    for rows, only_new in ((repointed, False), (filled, True)):
        if not rows:
            continue
        keys = sorted(m["_key"] for m in rows)
        for part in [keys[i:i + CHUNK] for i in range(0, len(keys), CHUNK)]:
            docs.update(conn.scalars(_DOCS_OF_NEW if only_new else _DOCS_OF_KEYS, {"part": part}))
        where = entity_records.c.key == bindparam("_key")
        if only_new:
            where = where & entity_records.c.entity_id.is_(None)
        conn.execute(update(entity_records).where(where).values(entity_id=bindparam("eid")), rows)
    docs.difference_update(fresh)
    if docs:
        refs.remap(conn, docs)
    refresh(conn, touched | set(also))
    gone = sorted(old_ids - new_ids)
    if gone:
        conn.execute(delete(aliases).where(aliases.c.entity_id.in_(gone)))
        conn.execute(delete(entities).where(entities.c.id.in_(gone)))
    return {"created": len(created), "removed": len(gone), "moved": len(moved)}
