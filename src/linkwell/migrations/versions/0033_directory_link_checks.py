"""Directory: the last check of each service's website, for the data-quality queue.

Revision ID: 0033_directory_link_checks
Revises: 0032_directory_sync
"""

import sqlalchemy as sa
from alembic import op

from linkwell.db import UTCDateTime

revision = "0033_directory_link_checks"
down_revision = "0032_directory_sync"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_check",
        sa.Column("service_id", sa.String(36), sa.ForeignKey("service.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.Column("checked_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("link_check")
