"""Directory search: points stored in latitude-band order with the service's stems, keyed to
``service_search`` by its integer id, so a search near a postcode reads neighbouring rows and
looks up only the services that have the words.

The table is derived; its rows are carried over (the band of each point is unchanged).

Revision ID: 0014_directory_point_stems
Revises: 0013_evaluation_run
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_directory_point_stems"
down_revision = "0013_evaluation_run"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    rows = [dict(row) for row in bind.execute(sa.text(
        "SELECT p.lat_band, p.longitude, s.id AS search_id, p.location_id, p.latitude, "
        "s.stems FROM service_search_point p "
        "JOIN service_search s ON s.service_id = p.service_id")).mappings()]
    op.drop_index("ix_service_search_point_band", table_name="service_search_point")
    op.drop_index(op.f("ix_service_search_point_service_id"), table_name="service_search_point")
    op.drop_table("service_search_point")
    points = op.create_table(
        "service_search_point",
        sa.Column("lat_band", sa.Integer(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("search_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.String(length=36), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("stems", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["search_id"], ["service_search.id"], ondelete="CASCADE",
                                name=op.f("fk_service_search_point_search_id_service_search")),
        sa.PrimaryKeyConstraint("lat_band", "longitude", "search_id", "location_id",
                                name=op.f("pk_service_search_point")),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f("ix_service_search_point_search_id"), "service_search_point",
                    ["search_id"])
    for row in rows:
        row["stems"] = (row["stems"] or "") + " "
    if rows:
        op.bulk_insert(points, rows)


def downgrade() -> None:
    bind = op.get_bind()
    rows = [dict(row) for row in bind.execute(sa.text(
        "SELECT s.service_id, p.location_id, p.lat_band, p.latitude, p.longitude "
        "FROM service_search_point p JOIN service_search s ON s.id = p.search_id")).mappings()]
    op.drop_index(op.f("ix_service_search_point_search_id"), table_name="service_search_point")
    op.drop_table("service_search_point")
    points = op.create_table(
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
    if rows:
        op.bulk_insert(points, rows)
