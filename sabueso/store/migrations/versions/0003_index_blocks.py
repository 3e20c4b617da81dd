"""Incremental resolution's index blocks: typo neighbours by symmetric deletion, acronym holders.

``name_blocks`` used to file each name key under the blocks that bulk resolution compares
(``block_keys``): a new name then read every stored name with the same first letter or sound
in a typo block, and every name giving the same acronym, a neighbourhood that grew with the
store. It now files them under ``index_keys`` (see ``sabueso.resolve.matching``), and this
revision refiles the stored keys. No schema change.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from sabueso.store.resolution import rebuild_blocks
    rebuild_blocks(op.get_bind())


def downgrade() -> None:
    from sabueso.resolve.matching import block_keys
    from sabueso.store.resolution import rebuild_blocks
    rebuild_blocks(op.get_bind(), block_keys)
