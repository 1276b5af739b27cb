"""Accounts: sign-in is throttled per account and address in the serving process instead of
locking the account in the database, so the lockout columns go (docs/adr/0013).

Revision ID: 0019_auth_login_throttle
Revises: 0017_directory_revision
"""

import sqlalchemy as sa
from alembic import op

from linkwell.db import UTCDateTime

revision = "0019_auth_login_throttle"
down_revision = "0017_directory_revision"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_column("users", "failed_logins")
    op.drop_column("users", "locked_until")


def downgrade() -> None:
    op.add_column("users", sa.Column("locked_until", UTCDateTime(), nullable=True))
    op.add_column("users", sa.Column("failed_logins", sa.Integer(), nullable=False,
                                     server_default="0"))
