"""Commissioning: what a commission's money pays for, delivery of the service (link worker
posts, grants to providers) or research (research, evaluation, review), so that cost per
person uses delivery cost only. Existing service contracts and grants become delivery; every
other kind, research.

The version table is append-only (triggers on both engines): the new column is filled in
once, with the UPDATE trigger set aside for that statement only. A plain ADD COLUMN keeps the
triggers (a batch table rebuild on SQLite would drop them).

Revision ID: 0021_commissioning_cost_category
Revises: 0020_operations_idempotency
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_commissioning_cost_category"
down_revision = "0020_operations_idempotency"
branch_labels = None
depends_on = None

BACKFILL = ("UPDATE commission_version SET cost_category = 'delivery' "
            "WHERE kind IN ('service', 'grant')")


def upgrade() -> None:
    op.add_column("commission_version",
                  sa.Column("cost_category", sa.String(length=20), nullable=False,
                            server_default="research"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE commission_version DISABLE TRIGGER "
                   "commission_version_append_only")
        op.execute(BACKFILL)
        op.execute("ALTER TABLE commission_version ENABLE TRIGGER "
                   "commission_version_append_only")
        return
    op.execute("DROP TRIGGER commission_version_no_update")
    op.execute(BACKFILL)
    op.execute("CREATE TRIGGER commission_version_no_update BEFORE UPDATE ON "
               "commission_version BEGIN SELECT RAISE(ABORT, 'commission_version is "
               "append-only'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_column("commission_version", "cost_category")
        return
    # SQLite drops a column by rebuilding the table, which loses its triggers: put them back.
    with op.batch_alter_table("commission_version") as batch:
        batch.drop_column("cost_category")
    for verb in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER commission_version_no_{verb.lower()} BEFORE {verb} ON "
                   "commission_version BEGIN SELECT RAISE(ABORT, 'commission_version is "
                   "append-only'); END")
