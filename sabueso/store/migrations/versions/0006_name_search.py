"""The name index for typo-tolerant search (``sabueso.store.namesearch``).

``name_postings`` files each word of each normalised alias; ``name_terms`` files each
distinct word under itself and its one-deletion variants. Both are keyed by name strings and
filled from the stored aliases here, then kept up to date wherever aliases are written.

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "name_postings",
        sa.Column("term", sa.String(64), primary_key=True),
        sa.Column("norm", sa.Text(), primary_key=True),
    )
    op.create_index("ix_name_postings_norm", "name_postings", ["norm"])
    op.create_table(
        "name_terms",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("term", sa.String(64), primary_key=True),
    )
    from sabueso.store.namesearch import rebuild
    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table("name_terms")
    op.drop_index("ix_name_postings_norm", table_name="name_postings")
    op.drop_table("name_postings")
