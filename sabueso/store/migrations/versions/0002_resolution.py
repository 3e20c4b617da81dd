"""Cross-document resolution: entity_records, name_blocks, local references, place links.

- ``entity_records``: every entity as each document names it (local id, name key, names,
  place link) with the canonical entity it resolved to;
- ``name_blocks``: blocking keys of name keys (incremental resolution);
- ``mentions.local_id`` and ``claims/events/quantities.refs`` (JSON): the local ids the rows
  were extracted with, so a re-resolution can repoint them;
- ``entities.geo_id`` / ``admin_level``: the gazetteer record of a place;
- ``judgements.keys``: the name keys an entity had when it was split.

Rows stored before this revision are backfilled: one record per (document, entity) with the
entity id as local id, so they take part in ``sabueso resolve`` like new ones.

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.String(64)


def upgrade() -> None:
    op.add_column("entities", sa.Column("geo_id", sa.String(64)))
    op.add_column("entities", sa.Column("admin_level", sa.Integer))
    op.add_column("mentions", sa.Column("local_id", ID))
    for table in ("claims", "events", "quantities"):
        op.add_column(table, sa.Column("refs", sa.Text))
    op.add_column("judgements", sa.Column("keys", sa.Text))
    op.create_table(
        "entity_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("doc_id", ID, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("local_id", ID, nullable=False),
        sa.Column("key", ID, nullable=False),
        sa.Column("entity_id", ID, sa.ForeignKey("entities.id")),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("aliases", sa.Text),
        sa.Column("place_kind", sa.String(64)), sa.Column("country", sa.String(64)),
        sa.Column("lat", sa.Float), sa.Column("lon", sa.Float),
        sa.Column("geo_id", sa.String(64)), sa.Column("admin_level", sa.Integer),
        sa.Column("origin", sa.String(32)),
        sa.UniqueConstraint("doc_id", "local_id", name="uq_entity_records_doc_local"))
    op.create_index("ix_entity_records_key", "entity_records", ["key"])
    op.create_index("ix_entity_records_entity_id", "entity_records", ["entity_id"])
    op.create_table(
        "name_blocks",
        sa.Column("block", sa.String(255), primary_key=True),
        sa.Column("key", ID, primary_key=True))
    op.create_index("ix_name_blocks_key", "name_blocks", ["key"])
    _backfill(op.get_bind())


def _backfill(conn) -> None:
    """Old rows: records keyed by the entity id (old ids already were name keys)."""
    pairs = conn.execute(sa.text(
        "SELECT doc_id, entity_id FROM mentions WHERE entity_id IS NOT NULL "
        "UNION SELECT doc_id, subject_id FROM claims "
        "UNION SELECT doc_id, object_id FROM claims WHERE object_id IS NOT NULL "
        "UNION SELECT doc_id, subject_id FROM quantities WHERE subject_id IS NOT NULL "
        "UNION SELECT doc_id, place_id FROM events WHERE place_id IS NOT NULL")).all()
    if not pairs:
        return
    ents = {r.id: r for r in conn.execute(sa.text("SELECT * FROM entities"))}
    names: dict[str, list[str]] = {}
    for eid, alias in conn.execute(sa.text("SELECT entity_id, alias FROM aliases ORDER BY id")):
        names.setdefault(eid, []).append(alias)
    rows = [{"doc_id": d, "local_id": e, "key": e, "entity_id": e, "type": ents[e].type,
             "name": ents[e].name, "aliases": json.dumps(names.get(e, []), ensure_ascii=False),
             "place_kind": ents[e].place_kind, "country": ents[e].country, "lat": ents[e].lat,
             "lon": ents[e].lon, "origin": "migrated"} for d, e in pairs if e in ents]
    conn.execute(sa.text(
        "INSERT INTO entity_records (doc_id, local_id, key, entity_id, type, name, aliases, "
        "place_kind, country, lat, lon, origin) VALUES (:doc_id, :local_id, :key, :entity_id, "
        ":type, :name, :aliases, :place_kind, :country, :lat, :lon, :origin)"), rows)
    conn.execute(sa.text("UPDATE mentions SET local_id = entity_id"))
    for r in conn.execute(sa.text("SELECT id, subject_id, object_id, qualifiers FROM claims")).all():
        refs = {"subject": r.subject_id, "object": r.object_id}
        quals = json.loads(r.qualifiers or "{}")
        refs.update({k: quals[k] for k in ("from", "to") if quals.get(k) in ents})
        conn.execute(sa.text("UPDATE claims SET refs = :refs WHERE id = :id"),
                     {"refs": json.dumps(refs), "id": r.id})
    for r in conn.execute(sa.text("SELECT id, place_id, participants FROM events")).all():
        refs = {"place": r.place_id, "participants": json.loads(r.participants or "[]")}
        conn.execute(sa.text("UPDATE events SET refs = :refs WHERE id = :id"),
                     {"refs": json.dumps(refs), "id": r.id})
    conn.execute(sa.text("UPDATE quantities SET refs = '{\"subject\": \"' || subject_id || '\"}' "
                         "WHERE subject_id IS NOT NULL"))


def downgrade() -> None:
    op.drop_table("name_blocks")
    op.drop_table("entity_records")
    with op.batch_alter_table("judgements") as b:
        b.drop_column("keys")
    for table in ("quantities", "events", "claims"):
        with op.batch_alter_table(table) as b:
            b.drop_column("refs")
    with op.batch_alter_table("mentions") as b:
        b.drop_column("local_id")
    with op.batch_alter_table("entities") as b:
        b.drop_column("admin_level")
        b.drop_column("geo_id")
