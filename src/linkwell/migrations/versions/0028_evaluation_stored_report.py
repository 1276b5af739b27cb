"""Evaluation: reports built once per run and audience, stored and downloaded from the store.

Revision ID: 0028_evaluation_stored_report
Revises: 0027_gprecord_demographic_match
"""

import sqlalchemy as sa
from alembic import op

import linkwell.db

revision = "0028_evaluation_stored_report"
down_revision = "0027_gprecord_demographic_match"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("built_at", linkwell.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.CheckConstraint("kind IN ('body', 'html', 'pdf')",
                           name=op.f("ck_evaluation_report_kind")),
        sa.CheckConstraint("audience IN ('evaluator', 'commissioner', 'public')",
                           name=op.f("ck_evaluation_report_audience")),
        sa.ForeignKeyConstraint(["run_id"], ["evaluation_run.id"],
                                name=op.f("fk_evaluation_report_run_id_evaluation_run"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_report")),
        sa.UniqueConstraint("run_id", "audience", "kind",
                            name=op.f("uq_evaluation_report_run_id")),
    )


def downgrade() -> None:
    op.drop_table("evaluation_report")
