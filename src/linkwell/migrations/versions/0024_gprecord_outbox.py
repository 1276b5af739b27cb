"""GP record: practices with their MESH mailboxes, registrations, and the outbox of messages
back to the GP.

Revision ID: 0024_gprecord_outbox
Revises: 0023_casework_tasks
"""

import sqlalchemy as sa
from alembic import op

from linkwell.db import UTCDateTime

revision = "0024_gprecord_outbox"
down_revision = "0023_casework_tasks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gp_practice",
        sa.Column("ods_code", sa.String(10), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("pcn_code", sa.String(10), nullable=True),
        sa.Column("pcn_name", sa.String(200), nullable=True),
        sa.Column("mesh_mailbox", sa.String(20), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("ods_code", name=op.f("pk_gp_practice")),
    )
    op.create_table(
        "gp_registration",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("practice_ods", sa.String(10), nullable=False),
        sa.Column("recorded_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_gp_registration_person_id_person")),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_gp_registration")),
    )
    op.create_index(op.f("ix_gp_registration_practice_ods"), "gp_registration",
                    ["practice_ods"])
    op.create_table(
        "gp_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("local_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=True),
        sa.Column("practice_ods", sa.String(10), nullable=True),
        sa.Column("mailbox", sa.String(20), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("mesh_message_id", sa.String(100), nullable=True),
        sa.Column("alert", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["episode_id"], ["episode.id"],
                                name=op.f("fk_gp_message_episode_id_episode")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_gp_message_person_id_person")),
        sa.ForeignKeyConstraint(["referral_id"], ["referral.id"],
                                name=op.f("fk_gp_message_referral_id_referral")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gp_message")),
        sa.UniqueConstraint("local_id", name=op.f("uq_gp_message_local_id")),
    )
    op.create_index(op.f("ix_gp_message_person_id"), "gp_message", ["person_id"])
    op.create_index("ix_gp_message_status_next", "gp_message", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("gp_message")
    op.drop_table("gp_registration")
    op.drop_table("gp_practice")
