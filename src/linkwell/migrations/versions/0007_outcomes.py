"""Outcomes: instruments and their immutable versions, measures per episode, one-time
self-completion links, measurement schedules.

Revision ID: 0007_outcomes
Revises: 0009_commissioning
"""

import sqlalchemy as sa
from alembic import op

from linkwell.db import UTCDateTime

revision = "0007_outcomes"
down_revision = "0009_commissioning"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str | None = None):
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "instrument",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("local", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instrument")),
        sa.UniqueConstraint("key", name=op.f("uq_instrument_key")),
    )
    op.create_table(
        "measurement_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("instruments", sa.JSON(), nullable=False),
        sa.Column("baseline_within_days", sa.Integer(), nullable=False),
        sa.Column("follow_up_from_weeks", sa.Integer(), nullable=False),
        sa.Column("follow_up_to_weeks", sa.Integer(), nullable=False),
        sa.Column("at_closure", sa.Boolean(), nullable=False),
        sa.Column("closure_within_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        _fk("measurement_schedule", "team_id", "team", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurement_schedule")),
        sa.UniqueConstraint("team_id", name=op.f("uq_measurement_schedule_team_id")),
    )
    op.create_table(
        "instrument_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _fk("instrument_version", "created_by_id", "users", "SET NULL"),
        _fk("instrument_version", "instrument_id", "instrument"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instrument_version")),
        sa.UniqueConstraint("instrument_id", "version",
                            name=op.f("uq_instrument_version_instrument_id")),
    )
    op.create_index(op.f("ix_instrument_version_instrument_id"), "instrument_version",
                    ["instrument_id"])
    op.create_table(
        "measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("instrument_version_id", sa.Integer(), nullable=False),
        sa.Column("timepoint", sa.String(length=20), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("raw_score", sa.Integer(), nullable=True),
        sa.Column("metric_score", sa.Float(), nullable=True),
        sa.Column("band", sa.String(length=80), nullable=True),
        sa.Column("item_scores", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        _fk("measure", "entered_by_id", "users", "SET NULL"),
        _fk("measure", "episode_id", "episode"),
        _fk("measure", "instrument_id", "instrument"),
        _fk("measure", "instrument_version_id", "instrument_version"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure")),
    )
    op.create_index("ix_measure_episode", "measure",
                    ["episode_id", "instrument_id", "measured_on"])
    op.create_table(
        "self_completion_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("episode_id", sa.Integer(), nullable=False),
        sa.Column("instrument_version_id", sa.Integer(), nullable=False),
        sa.Column("timepoint", sa.String(length=20), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("measure_id", sa.Integer(), nullable=True),
        _fk("self_completion_link", "created_by_id", "users", "SET NULL"),
        _fk("self_completion_link", "episode_id", "episode"),
        _fk("self_completion_link", "instrument_version_id", "instrument_version"),
        _fk("self_completion_link", "measure_id", "measure"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_completion_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_self_completion_link_token_hash")),
    )
    op.create_index(op.f("ix_self_completion_link_episode_id"), "self_completion_link",
                    ["episode_id"])


def downgrade() -> None:
    op.drop_table("self_completion_link")
    op.drop_table("measure")
    op.drop_table("instrument_version")
    op.drop_table("measurement_schedule")
    op.drop_table("instrument")
