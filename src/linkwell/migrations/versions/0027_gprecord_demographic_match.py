"""GP record: the NHS number a message back to the GP carries and where it came from (recorded
on the person, or matched on demographics with another record).

Revision ID: 0027_gprecord_demographic_match
Revises: 0026_casework_plan
"""

import sqlalchemy as sa
from alembic import op

revision = "0027_gprecord_demographic_match"
down_revision = "0026_casework_plan"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("gp_message") as batch:
        batch.add_column(sa.Column("nhs_number", sa.String(10), nullable=True))
        batch.add_column(sa.Column("nhs_number_source", sa.String(20), nullable=True))
        batch.add_column(sa.Column("matched_person_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_gp_message_matched_person_id_person"), "person",
                                 ["matched_person_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("gp_message") as batch:
        batch.drop_constraint(op.f("fk_gp_message_matched_person_id_person"),
                              type_="foreignkey")
        batch.drop_column("matched_person_id")
        batch.drop_column("nhs_number_source")
        batch.drop_column("nhs_number")
