"""Casework: tasks and appointments on an episode (every version kept), the link worker's
calendar feed, consent to messages, and the outbox of messages to people (GOV.UK Notify).

The version tables are append-only: the database refuses UPDATE and DELETE on them, as for
``audit_event`` and the commissioning versions (ADR 0010).

Revision ID: 0023_casework_tasks
Revises: 0021_commissioning_cost_category
"""

import sqlalchemy as sa
from alembic import op

from linkwell.db import UTCDateTime

revision = "0023_casework_tasks"
down_revision = "0021_commissioning_cost_category"
branch_labels = None
depends_on = None

APPEND_ONLY = ("task_version", "appointment_version")


def upgrade() -> None:
    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("assigned_to_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["episode_id"], ["episode.id"], ondelete="CASCADE",
                                name=op.f("fk_task_episode_id_episode")),
        sa.ForeignKeyConstraint(["assigned_to_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_task_assigned_to_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task")),
    )
    op.create_index(op.f("ix_task_episode_id"), "task", ["episode_id"])
    op.create_index("ix_task_assignee_due", "task", ["assigned_to_id", "done", "due_date"])
    op.create_table(
        "task_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("assigned_to_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], ondelete="CASCADE",
                                name=op.f("fk_task_version_task_id_task")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_version")),
    )
    op.create_index(op.f("ix_task_version_task_id"), "task_version", ["task_id"])
    op.create_table(
        "appointment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("link_worker_id", sa.Integer(), nullable=True),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["episode_id"], ["episode.id"], ondelete="CASCADE",
                                name=op.f("fk_appointment_episode_id_episode")),
        sa.ForeignKeyConstraint(["link_worker_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_appointment_link_worker_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment")),
    )
    op.create_index(op.f("ix_appointment_episode_id"), "appointment", ["episode_id"])
    op.create_index("ix_appointment_worker_starts", "appointment",
                    ["link_worker_id", "starts_at"])
    op.create_index("ix_appointment_reminder", "appointment", ["outcome", "starts_at"])
    op.create_table(
        "appointment_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("link_worker_id", sa.Integer(), nullable=True),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointment.id"], ondelete="CASCADE",
                                name=op.f("fk_appointment_version_appointment_id_appointment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_version")),
    )
    op.create_index(op.f("ix_appointment_version_appointment_id"), "appointment_version",
                    ["appointment_id"])
    op.create_table(
        "casework_idempotency_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(60), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casework_idempotency_key")),
        sa.UniqueConstraint("scope", "key", name=op.f("uq_casework_idempotency_key_scope")),
    )
    op.create_table(
        "calendar_feed",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_calendar_feed_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_calendar_feed")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_calendar_feed_secret_hash")),
    )
    op.create_table(
        "message_consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("agreed", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE",
                                name=op.f("fk_message_consent_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_consent")),
    )
    op.create_index("ix_message_consent_person", "message_consent",
                    ["person_id", "channel", "id"])
    op.create_table(
        "person_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("personalisation", sa.JSON(), nullable=False),
        sa.Column("reference", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("notify_id", sa.String(36), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("status_at", UTCDateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE",
                                name=op.f("fk_person_message_person_id_person")),
        sa.ForeignKeyConstraint(["episode_id"], ["episode.id"], ondelete="CASCADE",
                                name=op.f("fk_person_message_episode_id_episode")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_message")),
        sa.UniqueConstraint("reference", name=op.f("uq_person_message_reference")),
    )
    op.create_index(op.f("ix_person_message_person_id"), "person_message", ["person_id"])
    op.create_index(op.f("ix_person_message_episode_id"), "person_message", ["episode_id"])
    op.create_index("ix_person_message_status", "person_message", ["status", "id"])
    _append_only()


def _append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION casework_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$"
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION casework_append_only()"
            )
    else:
        for table in APPEND_ONLY:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP FUNCTION casework_append_only()")
    for table in ("person_message", "message_consent", "calendar_feed",
                  "casework_idempotency_key", "appointment_version", "appointment",
                  "task_version", "task"):
        op.drop_table(table)
