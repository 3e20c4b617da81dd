"""Resolution inside the store: cluster the name keys of ``entity_records`` into entities.

:func:`recluster` loads the profiles of some keys (or all), resolves them with the reviewers'
judgements (:mod:`sabueso.resolve.resolver`), keeps each cluster's id stable where it can
(:func:`~sabueso.resolve.cluster.choose_ids`) and writes the result: entity rows, aliases,
``entity_records.entity_id`` and the references of the documents whose records moved
(:mod:`.canon`). :func:`incremental` is what saving a document runs: the neighbourhood of the
new keys (keys sharing a block, reviewers' merge partners, and every key of the entities they
belong to), with the current entities kept whole.
"""
from __future__ import annotations

import json
from typing import Callable, Collection, Iterable

from sqlalchemy import Connection, bindparam, func, select, update

from ..resolve.cluster import fold
from ..resolve.matching import Profile, index_keys, typo_blocks
from ..resolve.resolver import add_record, choose_ids, resolve
from . import canon
from .bulk import PART, insert_rows
from .schema import entities, entity_records, judgements, name_blocks

CHUNK = 500


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


_JUDGEMENTS = select(judgements.c.kind, judgements.c.a, judgements.c.b,
                     judgements.c["keys"]).order_by(judgements.c.id)


def judgement_rows(conn: Connection) -> list[tuple]:
    return [(k, a, b, json.loads(keys or "[]")) for k, a, b, keys in conn.execute(_JUDGEMENTS)]


_RECORD_COLS = (entity_records.c.key, entity_records.c.type, entity_records.c.name,
                entity_records.c.aliases, entity_records.c.country, entity_records.c.geo_id,
                entity_records.c.entity_id)
_GROUPED = (select(*_RECORD_COLS, func.count().label("n")).group_by(*_RECORD_COLS)
            .order_by(func.min(entity_records.c.id)))
_GROUPED_OF_KEYS = _GROUPED.where(entity_records.c.key.in_(PART))
_KEYS_OF_ENTITIES = select(entity_records.c.key).distinct().where(entity_records.c.entity_id.in_(PART))
_BLOCKS_OF_KEYS = select(name_blocks.c.block, name_blocks.c.key).where(name_blocks.c.key.in_(PART))
_KEYS_IN_BLOCKS = select(name_blocks.c.block, name_blocks.c.key).where(name_blocks.c.block.in_(PART))
_MEMBERS = (select(entity_records.c.key, entity_records.c.entity_id).distinct()
            .where(entity_records.c.entity_id.in_(PART)))


def load_profiles(conn: Connection, keys: Iterable[str] | None = None
                  ) -> tuple[dict[str, Profile], dict[str, str], set[str]]:
    """Profiles of ``keys`` (None: all), each key's current entity id, and the keys that have
    records with no entity yet. Identical records (a popular name, repeated by many
    documents) are read as one row with their count, in order of first appearance."""
    queries = ([(_GROUPED, {})] if keys is None else
               [(_GROUPED_OF_KEYS, {"part": part}) for part in _chunks(sorted(set(keys)))])
    profiles: dict[str, Profile] = {}
    memo: dict = {}
    current: dict[str, str] = {}
    pending: set[str] = set()
    for q, params in queries:
        for key, type_, name, aliases, country, geo, eid, n in conn.execute(q, params):
            add_record(profiles, type_, name, json.loads(aliases or "[]"), country,
                       geo if type_ == "Place" else None, key=key, memo=memo)
            profiles[key].weight += n - 1
            if eid:
                current[key] = eid
            else:
                pending.add(key)
    return profiles, current, pending


def _keys_of_entities(conn: Connection, ids: set[str]) -> set[str]:
    out: set[str] = set()
    for part in _chunks(sorted(ids)):
        out.update(conn.scalars(_KEYS_OF_ENTITIES, {"part": part}))
    return out


def _block_rows(profiles: Iterable[Profile],
                blocks_of: Callable[[Profile], list[str]] = index_keys) -> set[tuple[str, str]]:
    """(block, key) rows filing ``profiles`` (blocks cut to the column's 255 characters)."""
    return {(b[:255], p.key) for p in profiles for b in blocks_of(p)}


def store_blocks(conn: Connection, profiles: Iterable[Profile]) -> None:
    """File the keys under their index blocks (:func:`~sabueso.resolve.matching.index_keys`;
    rows already there are kept)."""
    want = _block_rows(profiles)
    keys = sorted({k for _, k in want})
    for part in _chunks(keys):
        want.difference_update(tuple(r) for r in conn.execute(_BLOCKS_OF_KEYS, {"part": part}))
    if want:
        insert_rows(conn, name_blocks, [{"block": b, "key": k} for b, k in sorted(want)])


def rebuild_blocks(conn: Connection, blocks_of: Callable[[Profile], list[str]] = index_keys) -> int:
    """Refile every stored name key (a migration, when the index blocks change); returns the
    number of rows."""
    conn.execute(name_blocks.delete())
    profiles, _, _ = load_profiles(conn)
    rows = sorted(_block_rows(profiles.values(), blocks_of))
    for part in _chunks(rows, 5000):
        insert_rows(conn, name_blocks, [{"block": b, "key": k} for b, k in part])
    return len(rows)


def _block_members(conn: Connection, blocks: Iterable[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for part in _chunks(sorted(blocks)):
        for block, key in conn.execute(_KEYS_IN_BLOCKS, {"part": part}):
            out.setdefault(block, set()).add(key)
    return out


def neighbours(conn: Connection, profiles: Iterable[Profile]) -> set[str]:
    """The stored keys that share an index block with ``profiles`` and may link with them.
    An acronym block (``a|``) is read only where a profile, or a stored key (``A|``),
    writes that acronym as one: elsewhere, however many names give it, it links nothing."""
    blocks: set[str] = set()
    variants: set[str] = set()
    for b, _ in _block_rows(profiles):
        if b.startswith("a|"):
            variants.add(b)
            blocks.add("A" + b[1:])
        else:
            blocks.add(b)
            if b.startswith("A|"):
                blocks.add("a" + b[1:])
    found = _block_members(conn, blocks)
    held = {"a" + b[1:] for b in found if b.startswith("A|")}
    found.update(_block_members(conn, (variants & held) - blocks))
    return set().union(*found.values()) if found else set()


#: What a record adds to its key's profile (see :func:`load_profiles`).
_PROFILE_COLS = ("key", "type", "name", "aliases", "country", "geo_id")
_ASSIGNED = (select(*[entity_records.c[c] for c in _PROFILE_COLS], entity_records.c.entity_id)
             .distinct().where(entity_records.c.key.in_(PART), entity_records.c.entity_id.is_not(None)))
_UNASSIGNED = (select(entity_records.c.key).distinct()
               .where(entity_records.c.key.in_(PART), entity_records.c.entity_id.is_(None),
                      entity_records.c.doc_id.not_in(bindparam("docs", expanding=True))))
_SETTLE = (update(entity_records)
           .where(entity_records.c.doc_id == bindparam("_doc"),
                  entity_records.c.local_id == bindparam("_local"))
           .values(entity_id=bindparam("eid")))


def settle(conn: Connection, rows: list[dict]) -> tuple[set[str], set[str]]:
    """Assign the new ``rows`` (just inserted, no entity yet) that repeat a stored record of
    their key exactly, as far as resolution sees it (type, name, aliases, country, gazetteer
    link), to that record's entity; returns (their keys, the entities whose attributes may
    have changed). Such a key's profile is unchanged, so resolving it again would find the
    links it already has: at most the entities' attributes need recomputing
    (:func:`.canon.refresh`, left to the caller). Keys with any other new record are left
    to :func:`incremental`."""
    keys = sorted({r["key"] for r in rows})
    docs = sorted({r["doc_id"] for r in rows})
    known: dict[tuple, set[str]] = {}
    open_keys: set[str] = set()     # keys with older records still unassigned: resolve them
    for part in _chunks(keys):
        for *sig, eid in conn.execute(_ASSIGNED, {"part": part}):
            known.setdefault(tuple(sig), set()).add(eid)
        open_keys.update(conn.scalars(_UNASSIGNED, {"part": part, "docs": docs}))
    found: list[tuple[dict, dict]] = []        # (row, assignment)
    for r in rows:
        eids = known.get(tuple(r[c] for c in _PROFILE_COLS), ())
        if len(eids) == 1:
            found.append((r, {"_doc": r["doc_id"], "_local": r["local_id"], "eid": next(iter(eids))}))
        else:
            open_keys.add(r["key"])
    settled = {r["key"] for r in rows} - open_keys
    found = [(r, a) for r, a in found if r["key"] in settled]
    if not found:
        return settled, set()
    conn.execute(_SETTLE, [a for _, a in found])
    # one more vote for what an entity already shows changes none of its attributes (each
    # is its records' most frequent value, or the name that best represents them); only an
    # entity gaining some other value is recomputed (reading all its records)
    eids = sorted({a["eid"] for _, a in found})
    shown = {}
    for part in _chunks(eids):
        shown.update((e.id, e) for e in conn.execute(_SHOWN_OF, {"part": part}))
    return settled, {a["eid"] for r, a in found
                     if a["eid"] not in shown or not _agrees(r, shown[a["eid"]])}


#: Entity columns read off its records by majority (see :func:`.canon.attributes`).
_SHOWN = ("type", "name", "place_kind", "country", "geo_id", "admin_level")
_SHOWN_OF = select(*[entities.c[c] for c in ("id", *_SHOWN)]).where(entities.c.id.in_(PART))


def _agrees(row: dict, entity) -> bool:
    return (row["type"] == entity.type and row["name"] == entity.name
            and all(row[c] in (None, "") or row[c] == getattr(entity, c) for c in _SHOWN[2:]))


def recluster(conn: Connection, keys: Iterable[str] | None = None,
              judged: list[tuple] | None = None) -> dict[str, int]:
    """Resolve ``keys`` (None: every key) from scratch and write the result."""
    profiles, current, pending = load_profiles(conn, keys)
    if not profiles:
        return {"keys": 0, "entities": 0, "created": 0, "removed": 0, "moved": 0}
    clusters = resolve(profiles, judged if judged is not None else judgement_rows(conn))
    ids = choose_ids(clusters, current, {k: p.weight for k, p in profiles.items()})
    return {"keys": len(profiles), "entities": len(clusters),
            **canon.write(conn, ids, current, pending)}


def incremental(conn: Connection, new_keys: set[str], fresh: Collection[str] = (),
                refresh: Collection[str] = ()) -> dict[str, int]:
    """Resolve a document's new keys against what is stored: the keys sharing a block with
    them and the reviewers' merge partners are compared; the entities they belong to are
    kept whole (they may merge). ``fresh``: documents whose references are not written yet
    (they need no repointing); ``refresh``: other entities whose attributes to recompute."""
    profiles, _, _ = load_profiles(conn, new_keys)
    store_blocks(conn, profiles.values())
    keys = set(new_keys) | neighbours(conn, profiles.values())
    judged = judgement_rows(conn)
    if judged:
        merges, _ = fold(judged)
        partners: dict[str, set[str]] = {}
        for a, b in merges:
            partners.setdefault(a, set()).add(b)
            partners.setdefault(b, set()).add(a)
        todo = [k for k in keys if k in partners]
        while todo:                   # merge partners, transitively
            for other in partners.get(todo.pop(), ()):
                if other not in keys:
                    keys.add(other)
                    todo.append(other)
    profiles, current, pending = load_profiles(conn, keys)
    # a stored name within typo reach of a new one is linked only if no older spelling is
    # within its own reach (resolve.typos.typo_links): read those spellings too
    reach = {b for k in new_keys if k in profiles for b in typo_blocks(profiles[k])}
    second = [p for k, p in profiles.items() if k not in new_keys and reach.intersection(typo_blocks(p))]
    extra = neighbours(conn, second) - keys if second else set()
    if extra:
        keys |= extra
        profiles, current, pending = load_profiles(conn, keys)
    members: dict[str, str] = {}      # every key of the entities involved -> entity
    owners = sorted(set(current.values()))
    for part in _chunks(owners):
        members.update(conn.execute(_MEMBERS, {"part": part}).all())
    members.update(current)
    groups: dict[str, list[str]] = {}
    for k, eid in members.items():
        groups.setdefault(eid, []).append(k)
    clusters = resolve(profiles, judged, groups.values(), focus=new_keys, extra=members)
    weight = {k: p.weight for k, p in profiles.items()}
    ids = choose_ids(clusters, members, weight)
    return {"keys": len(profiles), "entities": len(clusters),
            **canon.write(conn, ids, members, pending, fresh, refresh)}


def report(conn: Connection) -> list[dict]:
    """The merges that resolving every key makes and the near-misses it leaves apart, each
    with its rule and why (:func:`~sabueso.resolve.explain.explain`), naming both sides by
    normalised name, type and current entity id: merges first, then near-misses."""
    from ..resolve.explain import explain
    profiles, current, _ = load_profiles(conn)
    rows = []
    for o in explain(profiles, judgement_rows(conn)):
        pa, pb = profiles[o.a], profiles[o.b]
        rows.append({"joined": o.joined, "rule": o.rule, "why": o.why,
                     "a": {"key": o.a, "name": pa.norm, "type": pa.type, "entity": current.get(o.a)},
                     "b": {"key": o.b, "name": pb.norm, "type": pb.type, "entity": current.get(o.b)}})
    rows.sort(key=lambda r: (not r["joined"], r["rule"], r["a"]["name"], r["b"]["name"]))
    return rows


def keys_of(conn: Connection, entity_id: str) -> set[str]:
    return _keys_of_entities(conn, {entity_id})
