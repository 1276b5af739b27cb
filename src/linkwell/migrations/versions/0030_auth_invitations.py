"""Accounts: invitations to join an organisation as a provider (single use, expiring).

Revision ID: 0030_auth_invitations
Revises: 0029_insights_outcomes
"""

import sqlalchemy as sa
from alembic import op

from linkwell.db import UTCDateTime

revision = "0030_auth_invitations"
down_revision = "0029_insights_outcomes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("organization_id", sa.String(36),
                  sa.ForeignKey("organization.id", ondelete="CASCADE"), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("invited_by_id", sa.Integer(),
                  sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("accepted_at", UTCDateTime(), nullable=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"),
                  nullable=True),
    )
    op.create_index("ix_invitation_organization_id", "invitation", ["organization_id"])


def downgrade() -> None:
    op.drop_index("ix_invitation_organization_id", table_name="invitation")
    op.drop_table("invitation")
