"""Notifications: a staff e-mail is claimed by one sender before it is sent (so two senders
never send it twice), and one sent through GOV.UK Notify keeps Notify's id.

Revision ID: 0035_notifications_claims
Revises: 0034_casework_contact_recorded
"""

import sqlalchemy as sa
from alembic import op

from linkwell.db import UTCDateTime

revision = "0035_notifications_claims"
down_revision = "0034_casework_contact_recorded"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notification") as batch:
        batch.add_column(sa.Column("claimed_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("notify_id", sa.String(36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notification") as batch:
        batch.drop_column("notify_id")
        batch.drop_column("claimed_at")
