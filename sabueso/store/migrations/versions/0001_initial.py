"""Initial schema: documents, entities, aliases, mentions, claims, events, quantities,
judgements.

Revision ID: 0001
Revises:
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(64)


def _span() -> list[sa.Column]:
    return [sa.Column("evidence", sa.Text), sa.Column("start", sa.Integer),
            sa.Column("end", sa.Integer), sa.Column("extractor", sa.String(64))]


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", ID, primary_key=True),
        sa.Column("title", sa.Text), sa.Column("path", sa.Text), sa.Column("url", sa.Text),
        sa.Column("publisher", sa.String(255)), sa.Column("published", sa.String(64)),
        sa.Column("lang", sa.String(16)), sa.Column("text", sa.Text),
        sa.Column("ingested_at", sa.String(64)))
    op.create_table(
        "entities",
        sa.Column("id", ID, primary_key=True),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("place_kind", sa.String(64)), sa.Column("country", sa.String(64)),
        sa.Column("lat", sa.Float), sa.Column("lon", sa.Float),
        sa.Column("created_at", sa.String(64)))
    op.create_index("ix_entities_type", "entities", ["type"])
    op.create_table(
        "aliases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("entity_id", ID, sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("alias", sa.Text, nullable=False),
        sa.Column("norm", sa.Text, nullable=False),
        sa.UniqueConstraint("entity_id", "norm", name="uq_aliases_entity_norm"))
    op.create_index("ix_aliases_norm", "aliases", ["norm"])
    op.create_table(
        "mentions",
        sa.Column("id", ID, primary_key=True),
        sa.Column("doc_id", ID, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("entity_id", ID, sa.ForeignKey("entities.id")),
        sa.Column("start", sa.Integer), sa.Column("end", sa.Integer),
        sa.Column("text", sa.Text), sa.Column("kind", sa.String(32)))
    op.create_index("ix_mentions_doc_id", "mentions", ["doc_id"])
    op.create_index("ix_mentions_entity_id", "mentions", ["entity_id"])
    op.create_table(
        "claims",
        sa.Column("id", ID, primary_key=True),
        sa.Column("doc_id", ID, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("subject_id", ID, sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("object_id", ID, sa.ForeignKey("entities.id")),
        sa.Column("object_value", sa.Text),
        sa.Column("modality", sa.String(32)), sa.Column("attributed_to", sa.Text),
        sa.Column("since", sa.String(64)), sa.Column("until", sa.String(64)),
        sa.Column("qualifiers", sa.Text), *_span())
    op.create_index("ix_claims_subject_id", "claims", ["subject_id"])
    op.create_index("ix_claims_object_id", "claims", ["object_id"])
    op.create_index("ix_claims_doc_id", "claims", ["doc_id"])
    op.create_table(
        "events",
        sa.Column("id", ID, primary_key=True),
        sa.Column("doc_id", ID, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("date", sa.String(64)),
        sa.Column("place_id", ID, sa.ForeignKey("entities.id")),
        sa.Column("participants", sa.Text), sa.Column("casualties", sa.Integer),
        sa.Column("modality", sa.String(32)), *_span())
    op.create_index("ix_events_doc_id", "events", ["doc_id"])
    op.create_index("ix_events_place_id", "events", ["place_id"])
    op.create_table(
        "quantities",
        sa.Column("id", ID, primary_key=True),
        sa.Column("doc_id", ID, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("subject_id", ID, sa.ForeignKey("entities.id")),
        sa.Column("measure", sa.String(64), nullable=False),
        sa.Column("value", sa.Float), sa.Column("qualifier", sa.String(64)), *_span())
    op.create_index("ix_quantities_doc_id", "quantities", ["doc_id"])
    op.create_index("ix_quantities_subject_id", "quantities", ["subject_id"])
    op.create_table(
        "judgements",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("a", ID, nullable=False), sa.Column("b", ID),
        sa.Column("reviewer", sa.String(255)), sa.Column("note", sa.Text),
        sa.Column("created_at", sa.String(64)))


def downgrade() -> None:
    for table in ("judgements", "quantities", "events", "claims", "mentions", "aliases",
                  "entities", "documents"):
        op.drop_table(table)
