"""SQLAlchemy Core table definitions (the shape created by ``migrations/versions``).

Only portable types are used (String, Text, Integer, Float); JSON values are stored as Text.
Character offsets keep the model's names ``start`` / ``end``; SQLAlchemy quotes ``end`` where
the dialect needs it. Timestamps are ISO-8601 UTC strings.

Resolution (migration 0002): ``entity_records`` holds every entity as each document names it
(its local id, name key, names, place link) and maps it to the canonical entity; mentions,
claims, events and quantities keep the local ids they were extracted with (``local_id`` /
``refs``) so a re-resolution can point them at new canonical entities; ``name_blocks`` files
name keys under blocking keys for incremental resolution.

This module must match the latest migration: ``tests/test_store.py`` compares the two.
"""
from __future__ import annotations

from sqlalchemy import (Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text,
                        UniqueConstraint)

metadata = MetaData()

ID = String(64)

documents = Table(
    "documents", metadata,
    Column("id", ID, primary_key=True),
    Column("title", Text),
    Column("path", Text),
    Column("url", Text),
    Column("publisher", String(255)),
    Column("published", String(64)),
    Column("lang", String(16)),
    Column("text", Text),
    Column("ingested_at", String(64)),
)

entities = Table(
    "entities", metadata,
    Column("id", ID, primary_key=True),
    Column("type", String(64), nullable=False),
    Column("name", Text, nullable=False),
    Column("place_kind", String(64)),
    Column("country", String(64)),
    Column("lat", Float),
    Column("lon", Float),
    Column("created_at", String(64)),
    Column("geo_id", String(64)),
    Column("admin_level", Integer),
    Index("ix_entities_type", "type"),
)

entity_records = Table(
    "entity_records", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", ID, ForeignKey("documents.id"), nullable=False),
    Column("local_id", ID, nullable=False),
    Column("key", ID, nullable=False),
    Column("entity_id", ID, ForeignKey("entities.id")),
    Column("type", String(64), nullable=False),
    Column("name", Text, nullable=False),
    Column("aliases", Text),
    Column("place_kind", String(64)),
    Column("country", String(64)),
    Column("lat", Float),
    Column("lon", Float),
    Column("geo_id", String(64)),
    Column("admin_level", Integer),
    Column("origin", String(32)),
    UniqueConstraint("doc_id", "local_id", name="uq_entity_records_doc_local"),
    Index("ix_entity_records_key", "key"),
    Index("ix_entity_records_entity_id", "entity_id"),
)

name_blocks = Table(
    "name_blocks", metadata,
    Column("block", String(255), primary_key=True),
    Column("key", ID, primary_key=True),
    Index("ix_name_blocks_key", "key"),
)

#: The name index (migration 0006, :mod:`.namesearch`): each word of each normalised alias,
#: and each distinct word under itself and its one-deletion variants (typo neighbours).
name_postings = Table(
    "name_postings", metadata,
    Column("term", String(64), primary_key=True),
    Column("norm", Text, primary_key=True),
    Index("ix_name_postings_norm", "norm"),
)

name_terms = Table(
    "name_terms", metadata,
    Column("key", String(64), primary_key=True),
    Column("term", String(64), primary_key=True),
)

aliases = Table(
    "aliases", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity_id", ID, ForeignKey("entities.id"), nullable=False),
    Column("alias", Text, nullable=False),
    Column("norm", Text, nullable=False),
    UniqueConstraint("entity_id", "norm", name="uq_aliases_entity_norm"),
    Index("ix_aliases_norm", "norm"),
)

mentions = Table(
    "mentions", metadata,
    Column("id", ID, primary_key=True),
    Column("doc_id", ID, ForeignKey("documents.id"), nullable=False),
    Column("entity_id", ID, ForeignKey("entities.id")),
    Column("start", Integer),
    Column("end", Integer),
    Column("text", Text),
    Column("kind", String(32)),
    Column("local_id", ID),
    Index("ix_mentions_doc_id", "doc_id"),
    Index("ix_mentions_entity_id", "entity_id"),
)

claims = Table(
    "claims", metadata,
    Column("id", ID, primary_key=True),
    Column("doc_id", ID, ForeignKey("documents.id"), nullable=False),
    Column("type", String(64), nullable=False),
    Column("subject_id", ID, ForeignKey("entities.id"), nullable=False),
    Column("object_id", ID, ForeignKey("entities.id")),
    Column("object_value", Text),
    Column("modality", String(32)),
    Column("attributed_to", Text),
    Column("since", String(64)),
    Column("until", String(64)),
    Column("qualifiers", Text),
    Column("evidence", Text),
    Column("start", Integer),
    Column("end", Integer),
    Column("extractor", String(64)),
    Column("confidence", Float),             # the learned scorer's probability; NULL: rules only
    Column("refs", Text),
    Index("ix_claims_subject_id", "subject_id"),
    Index("ix_claims_object_id", "object_id"),
    Index("ix_claims_doc_id", "doc_id"),
)

events = Table(
    "events", metadata,
    Column("id", ID, primary_key=True),
    Column("doc_id", ID, ForeignKey("documents.id"), nullable=False),
    Column("type", String(64), nullable=False),
    Column("date", String(64)),
    Column("place_id", ID, ForeignKey("entities.id")),
    Column("participants", Text),
    Column("casualties", Integer),
    Column("modality", String(32)),
    Column("evidence", Text),
    Column("start", Integer),
    Column("end", Integer),
    Column("extractor", String(64)),
    Column("refs", Text),
    Column("attributed_to", Text),           # who reports it (modality "reported")
    Index("ix_events_doc_id", "doc_id"),
    Index("ix_events_place_id", "place_id"),
)

quantities = Table(
    "quantities", metadata,
    Column("id", ID, primary_key=True),
    Column("doc_id", ID, ForeignKey("documents.id"), nullable=False),
    Column("subject_id", ID, ForeignKey("entities.id")),
    Column("measure", String(64), nullable=False),
    Column("value", Float),
    Column("qualifier", String(64)),
    Column("evidence", Text),
    Column("start", Integer),
    Column("end", Integer),
    Column("extractor", String(64)),
    Column("confidence", Float),
    Column("refs", Text),
    Column("modality", String(32)),          # as a claim's; NULL (stored before 0007): asserted
    Column("attributed_to", Text),
    Index("ix_quantities_doc_id", "doc_id"),
    Index("ix_quantities_subject_id", "subject_id"),
)

judgements = Table(
    "judgements", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("a", ID, nullable=False),
    Column("b", ID),
    Column("reviewer", String(255)),
    Column("note", Text),
    Column("created_at", String(64)),
    Column("keys", Text),
)

TABLES = ("documents", "entities", "aliases", "mentions", "claims", "events", "quantities",
          "judgements", "entity_records", "name_blocks", "name_postings", "name_terms")
#: Tables of extracted data (everything but the reviewers' judgements), children first.
EXTRACTED = ("name_blocks", "name_postings", "name_terms", "mentions", "claims", "events",
             "quantities", "aliases", "entity_records", "entities", "documents")
JUDGEMENT_KINDS = ("merge", "not_same", "split", "confirm", "reject", "correct_type",
                   "correct_modality")
