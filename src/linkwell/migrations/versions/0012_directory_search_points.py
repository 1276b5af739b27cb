"""Directory search: service locations in latitude bands, for distance searches.

Filled by ``reindex_services``.

Revision ID: 0012_directory_search_points
Revises: 0011_advice
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_directory_search_points"
down_revision = "0011_advice"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "service_search_point",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("location_id", sa.String(length=36), nullable=False),
        sa.Column("lat_band", sa.Integer(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE",
                                name=op.f("fk_service_search_point_service_id_service")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_search_point")),
    )
    op.create_index(op.f("ix_service_search_point_service_id"), "service_search_point",
                    ["service_id"])
    op.create_index("ix_service_search_point_band", "service_search_point",
                    ["lat_band", "longitude", "latitude", "service_id"])


def downgrade() -> None:
    op.drop_index("ix_service_search_point_band", table_name="service_search_point")
    op.drop_index(op.f("ix_service_search_point_service_id"), table_name="service_search_point")
    op.drop_table("service_search_point")
