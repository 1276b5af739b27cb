"""Directory: a revision counter bumped by every re-index, so serving processes know when what
they keep of the directory (``directory.kept``) has gone out of date.

Revision ID: 0017_directory_revision
Revises: 0016_referrals_person_merged
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_directory_revision"
down_revision = "0016_referrals_person_merged"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "directory_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_revision")),
    )
    op.bulk_insert(table, [{"id": 1, "revision": 0}])


def downgrade() -> None:
    op.drop_table("directory_revision")
