"""Directory search: porter stems per field, for matching near a postcode without FTS.

Filled by ``reindex_services``. A plain ADD COLUMN, not a batch table copy, so that the FTS5
triggers on ``service_search`` (SQLite) survive.

Revision ID: 0010_directory_search_stems
Revises: 0007_outcomes
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_directory_search_stems"
down_revision = "0007_outcomes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("service_search", sa.Column("stems", sa.Text(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE service_search DROP COLUMN stems")
