"""Directory: when each organisation was last nudged about listings nobody has checked.

Revision ID: 0031_directory_listing_nudges
Revises: 0030_auth_invitations
"""

import sqlalchemy as sa
from alembic import op

from linkwell.db import UTCDateTime

revision = "0031_directory_listing_nudges"
down_revision = "0030_auth_invitations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "listing_nudge",
        sa.Column("organization_id", sa.String(36),
                  sa.ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.Column("services", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("listing_nudge")
