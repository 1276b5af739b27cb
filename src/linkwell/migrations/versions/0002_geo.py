"""Geography reference data: LSOA (2011) with IMD 2019 and population, postcode, borough.

Revision ID: 0002_geo
Revises: 0001_audit
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_geo"
down_revision = "0001_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lsoa",
        sa.Column("lsoa11cd", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("msoa11cd", sa.String(length=9), nullable=True),
        sa.Column("lad_code", sa.String(length=9), nullable=False),
        sa.Column("lad_name", sa.String(length=100), nullable=False),
        sa.Column("centroid_lat", sa.Float(), nullable=True),
        sa.Column("centroid_lon", sa.Float(), nullable=True),
        sa.Column("area_m2", sa.Float(), nullable=True),
        sa.Column("imd_rank", sa.Integer(), nullable=True),
        sa.Column("imd_decile", sa.SmallInteger(), nullable=True),
        sa.Column("population_total", sa.Integer(), nullable=True),
        sa.Column("population_0_15", sa.Integer(), nullable=True),
        sa.Column("population_16_59", sa.Integer(), nullable=True),
        sa.Column("population_60_plus", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("lsoa11cd", name=op.f("pk_lsoa")),
    )
    op.create_index("ix_lsoa_lad_code", "lsoa", ["lad_code"])
    op.create_index("ix_lsoa_imd_decile", "lsoa", ["imd_decile"])
    op.create_table(
        "postcode",
        sa.Column("postcode", sa.String(length=8), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lsoa11cd", sa.String(length=9), nullable=True),
        sa.Column("lad_code", sa.String(length=9), nullable=True),
        sa.PrimaryKeyConstraint("postcode", name=op.f("pk_postcode")),
    )
    op.create_index("ix_postcode_lsoa11cd", "postcode", ["lsoa11cd"])
    op.create_table(
        "borough",
        sa.Column("lad_code", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("boundary", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("lad_code", name=op.f("pk_borough")),
    )


def downgrade() -> None:
    op.drop_table("borough")
    op.drop_index("ix_postcode_lsoa11cd", table_name="postcode")
    op.drop_table("postcode")
    op.drop_index("ix_lsoa_imd_decile", table_name="lsoa")
    op.drop_index("ix_lsoa_lad_code", table_name="lsoa")
    op.drop_table("lsoa")
