"""Casework: goal progress kept as history (the person's plan), and when each user last
opened a record (the caseload's "Updated" mark); staff e-mail folded into digests.

Revision ID: 0026_casework_plan
Revises: 0025_directory_duplicates
"""

import sqlalchemy as sa
from alembic import op

import linkwell.db

revision = "0026_casework_plan"
down_revision = "0025_directory_duplicates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "goal_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", linkwell.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["goal_id"], ["goal.id"], ondelete="CASCADE",
                                name=op.f("fk_goal_progress_goal_id_goal")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_goal_progress_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_progress")),
    )
    op.create_index("ix_goal_progress_goal", "goal_progress", ["goal_id", "id"])
    op.create_table(
        "record_seen",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", linkwell.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_record_seen_user_id_users")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE",
                                name=op.f("fk_record_seen_person_id_person")),
        sa.PrimaryKeyConstraint("user_id", "person_id", name=op.f("pk_record_seen")),
    )
    with op.batch_alter_table("notification") as batch:
        batch.add_column(sa.Column("digest_id", sa.Integer(), nullable=True))
    # Progress is only ever added: an amendment is a new row (a DELETE may still cascade
    # from an erased record). casework_append_only() is migration 0023's.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TRIGGER goal_progress_no_update BEFORE UPDATE ON goal_progress "
                   "FOR EACH ROW EXECUTE FUNCTION casework_append_only()")
    else:
        op.execute("CREATE TRIGGER goal_progress_no_update BEFORE UPDATE ON goal_progress "
                   "BEGIN SELECT RAISE(ABORT, 'goal_progress is append-only'); END")


def downgrade() -> None:
    with op.batch_alter_table("notification") as batch:
        batch.drop_column("digest_id")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER goal_progress_no_update ON goal_progress")
    op.drop_table("record_seen")
    op.drop_table("goal_progress")
