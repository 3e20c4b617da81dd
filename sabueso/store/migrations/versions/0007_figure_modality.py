"""Figures carry a modality and an attribution like claims; events an attribution.

``quantities.modality`` (asserted / reported / hedged / denied; rows stored before this
revision read as NULL, shown as "asserted", as claims without one are) and
``quantities.attributed_to``; ``events.attributed_to``.

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("quantities") as batch:
        batch.add_column(sa.Column("modality", sa.String(32), nullable=True))
        batch.add_column(sa.Column("attributed_to", sa.Text(), nullable=True))
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("attributed_to", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("attributed_to")
    with op.batch_alter_table("quantities") as batch:
        batch.drop_column("attributed_to")
        batch.drop_column("modality")
