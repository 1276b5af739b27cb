"""Directory: feeds synced on a schedule, and feed changes held for review because a provider
edited the field here.

Revision ID: 0032_directory_sync
Revises: 0031_directory_listing_nudges
"""

import sqlalchemy as sa
from alembic import op

from linkwell.db import UTCDateTime

revision = "0032_directory_sync"
down_revision = "0031_directory_listing_nudges"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feed_sync",
        sa.Column("feed_url", sa.String(500), nullable=False),
        sa.Column("last_synced_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("services_read", sa.Integer(), nullable=False),
        sa.Column("fields_held", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("feed_url", name=op.f("pk_feed_sync")),
    )
    op.create_table(
        "feed_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(36), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("local_value", sa.Text()),
        sa.Column("incoming_value", sa.Text()),
        sa.Column("feed_url", sa.String(500), nullable=False),
        sa.Column("found_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("decided_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'accepted', 'kept_local')",
                           name=op.f("ck_feed_change_status")),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE",
                                name=op.f("fk_feed_change_service_id_service")),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_feed_change_decided_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_change")),
    )
    op.create_index(op.f("ix_feed_change_service_id"), "feed_change", ["service_id"])
    op.create_index(op.f("ix_feed_change_status"), "feed_change", ["status"])


def downgrade() -> None:
    op.drop_table("feed_change")
    op.drop_table("feed_sync")
