"""Referrals: a person record merged into another keeps a pointer to it.

A plain ADD COLUMN (no table rebuild on SQLite, where status_event's append-only triggers and
foreign keys point at person).

Revision ID: 0016_referrals_person_merged
Revises: 0015_directory_point_terms
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_referrals_person_merged"
down_revision = "0015_directory_point_terms"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # SQLite adds a column's constraint inline only
        op.execute("ALTER TABLE person ADD COLUMN merged_into_id INTEGER "
                   "CONSTRAINT fk_person_merged_into_id_person REFERENCES person (id)")
    else:
        op.add_column("person", sa.Column("merged_into_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_person_merged_into_id_person"), "person", "person",
                              ["merged_into_id"], ["id"])
    op.create_index(op.f("ix_person_merged_into_id"), "person", ["merged_into_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_person_merged_into_id"), table_name="person")
    with op.batch_alter_table("person") as batch:
        batch.drop_column("merged_into_id")
