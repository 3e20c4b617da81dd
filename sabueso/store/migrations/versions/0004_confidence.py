"""Claims and quantities keep the learned scorer's confidence (NULL for rule-only output).

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("claims", "quantities"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    for table in ("claims", "quantities"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("confidence")
