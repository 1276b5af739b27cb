"""Insights: community outcomes, system outcomes imported from CSV, monthly e-mail
subscriptions.

Revision ID: 0029_insights_outcomes
Revises: 0028_evaluation_stored_report
"""

import sqlalchemy as sa
from alembic import op

import linkwell.db

revision = "0029_insights_outcomes"
down_revision = "0028_evaluation_stored_report"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "community_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", linkwell.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="SET NULL",
                                name=op.f("fk_community_outcome_team_id_team")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_community_outcome_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_outcome")),
    )
    op.create_index(op.f("ix_community_outcome_team_id"), "community_outcome", ["team_id"])
    op.create_table(
        "system_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=30), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("relative", sa.String(length=10), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", linkwell.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_system_outcome_person_id_person")),
        sa.ForeignKeyConstraint(["imported_by_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_system_outcome_imported_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_system_outcome")),
        sa.UniqueConstraint("person_id", "measure", "period_start", "period_end",
                            name=op.f("uq_system_outcome_person_id")),
    )
    op.create_index(op.f("ix_system_outcome_person_id"), "system_outcome", ["person_id"])
    op.create_table(
        "insights_subscription",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("subscribed_at", linkwell.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_sent", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_insights_subscription_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_insights_subscription")),
    )


def downgrade() -> None:
    op.drop_table("insights_subscription")
    op.drop_index(op.f("ix_system_outcome_person_id"), table_name="system_outcome")
    op.drop_table("system_outcome")
    op.drop_index(op.f("ix_community_outcome_team_id"), table_name="community_outcome")
    op.drop_table("community_outcome")
