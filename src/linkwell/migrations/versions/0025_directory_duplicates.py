"""Directory: duplicate candidates proposed to administrators, and reversible merges.

Revision ID: 0025_directory_duplicates
Revises: 0024_gprecord_outbox
"""

import sqlalchemy as sa
from alembic import op

import linkwell.db

revision = "0025_directory_duplicates"
down_revision = "0024_gprecord_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duplicate_candidate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("first_id", sa.String(length=36), nullable=False),
        sa.Column("second_id", sa.String(length=36), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("found_at", linkwell.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('organization', 'service')",
                           name=op.f("ck_duplicate_candidate_kind")),
        sa.CheckConstraint("status IN ('open', 'merged', 'dismissed')",
                           name=op.f("ck_duplicate_candidate_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_candidate")),
        sa.UniqueConstraint("kind", "first_id", "second_id",
                            name=op.f("uq_duplicate_candidate_kind")),
    )
    op.create_index(op.f("ix_duplicate_candidate_status"), "duplicate_candidate", ["status"])
    op.create_table(
        "directory_merge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("survivor_id", sa.String(length=36), nullable=False),
        sa.Column("merged_id", sa.String(length=36), nullable=False),
        sa.Column("previous_status", sa.String(length=30), nullable=True),
        sa.Column("moved", sa.JSON(), nullable=False),
        sa.Column("merged_at", linkwell.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("merged_by", sa.Integer(), nullable=True),
        sa.Column("undone_at", linkwell.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('organization', 'service')",
                           name=op.f("ck_directory_merge_kind")),
        sa.ForeignKeyConstraint(["merged_by"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_directory_merge_merged_by_users")),
        sa.ForeignKeyConstraint(["undone_by"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_directory_merge_undone_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_merge")),
    )
    op.create_index(op.f("ix_directory_merge_merged_id"), "directory_merge", ["merged_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_directory_merge_merged_id"), table_name="directory_merge")
    op.drop_table("directory_merge")
    op.drop_index(op.f("ix_duplicate_candidate_status"), table_name="duplicate_candidate")
    op.drop_table("duplicate_candidate")
