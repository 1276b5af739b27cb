"""Operations: idempotency keys keep the response they were first answered with, so every
state-changing API call (not only a referral's creation) can be replayed.

Revision ID: 0020_operations_idempotency
Revises: 0019_auth_login_throttle
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_operations_idempotency"
down_revision = "0019_auth_login_throttle"
branch_labels = None
depends_on = None

COLUMNS = ("request", "request_hash", "status_code", "response_headers", "response_body")


def upgrade() -> None:
    with op.batch_alter_table("idempotency_key") as batch:
        batch.add_column(sa.Column("request", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("request_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("status_code", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("response_headers", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("response_body", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("idempotency_key") as batch:
        for column in reversed(COLUMNS):
            batch.drop_column(column)
