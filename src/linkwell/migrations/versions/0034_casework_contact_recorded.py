"""Casework: when each contact was recorded (not only when it happened), so a colleague's
note about last week still marks the record "Updated" on the caseload today.

Revision ID: 0034_casework_contact_recorded
Revises: 0033_directory_link_checks
"""

import sqlalchemy as sa
from alembic import op

from linkwell.db import UTCDateTime

revision = "0034_casework_contact_recorded"
down_revision = "0033_directory_link_checks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("episode_contact") as batch:
        batch.add_column(sa.Column("recorded_at", UTCDateTime(), nullable=True))
    # Contacts recorded before this column: the best we know is when they happened.
    op.execute("UPDATE episode_contact SET recorded_at = occurred_at")
    with op.batch_alter_table("episode_contact") as batch:
        batch.alter_column("recorded_at", existing_type=UTCDateTime(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("episode_contact") as batch:
        batch.drop_column("recorded_at")
