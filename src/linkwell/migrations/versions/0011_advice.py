"""Advice: saved triages on an episode.

Revision ID: 0011_advice
Revises: 0010_directory_search_stems
"""

import sqlalchemy as sa
from alembic import op

from linkwell.db import UTCDateTime

revision = "0011_advice"
down_revision = "0010_directory_search_stems"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "advice_triage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("urgent_reasons", sa.JSON(), nullable=False),
        sa.Column("deadlines", sa.JSON(), nullable=False),
        sa.Column("next_deadline", sa.Date(), nullable=True),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("legal_aid", sa.String(length=32), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_advice_triage_created_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["episode_id"], ["episode.id"],
                                name=op.f("fk_advice_triage_episode_id_episode"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advice_triage")),
    )
    op.create_index(op.f("ix_advice_triage_episode_id"), "advice_triage", ["episode_id"])
    op.create_index("ix_advice_triage_urgent_next", "advice_triage", ["urgent", "next_deadline"])


def downgrade() -> None:
    op.drop_index("ix_advice_triage_urgent_next", table_name="advice_triage")
    op.drop_index(op.f("ix_advice_triage_episode_id"), table_name="advice_triage")
    op.drop_table("advice_triage")
