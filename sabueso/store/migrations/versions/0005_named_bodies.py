"""Name blocks shared by criminal groups, organisations and government bodies.

Resolution now lets an equal name join a CriminalGroup with an Organization or a
GovernmentBody (``sabueso.resolve.profile.NAMED_BODIES``), so the three share one blocking
class and a group's blocks carry that class's prefix: this revision refiles the stored keys
under the new ``index_keys``. No schema change.

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from sabueso.store.resolution import rebuild_blocks
    rebuild_blocks(op.get_bind())


def downgrade() -> None:
    """The old blocks cannot be rebuilt by this code (its classes are the new ones): the rows
    stay, and the older code's incremental resolution misses stored groups as neighbours of
    a new document until ``sabueso resolve`` runs (which reads every key)."""
