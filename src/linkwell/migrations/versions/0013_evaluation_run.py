"""Evaluation: stored runs of the database evaluation, for the /evaluation pages.

Revision ID: 0013_evaluation_run
Revises: 0012_directory_search_points
"""

import sqlalchemy as sa
from alembic import op

from linkwell.db import UTCDateTime

revision = "0013_evaluation_run"
down_revision = "0012_directory_search_points"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation_run",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("programme", sa.String(length=80), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("timings", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_evaluation_run_requested_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_run")),
    )


def downgrade() -> None:
    op.drop_table("evaluation_run")
