"""Geography reference tables: LSOA (2011) with IMD 2019, postcode, borough.

They are replaced wholesale by ``linkwell geo load`` / ``geo fetch``, so nothing else may hold a
foreign key to them: other areas store the LSOA code (``lsoa11cd``) as a plain string, taken at
the time of the event (a later postcode change must not rewrite history).
"""

from sqlalchemy import JSON, Float, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from linkwell.db import Base


class Lsoa(Base):
    """A Lower Layer Super Output Area (2011): the unit the English Indices of Deprivation rank."""

    __tablename__ = "lsoa"

    lsoa11cd: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    msoa11cd: Mapped[str | None] = mapped_column(String(9))
    lad_code: Mapped[str] = mapped_column(String(9))
    lad_name: Mapped[str] = mapped_column(String(100))
    centroid_lat: Mapped[float | None] = mapped_column(Float)
    centroid_lon: Mapped[float | None] = mapped_column(Float)
    area_m2: Mapped[float | None] = mapped_column(Float)
    imd_rank: Mapped[int | None] = mapped_column(Integer)
    imd_decile: Mapped[int | None] = mapped_column(SmallInteger)
    population_total: Mapped[int | None] = mapped_column(Integer)
    population_0_15: Mapped[int | None] = mapped_column(Integer)
    population_16_59: Mapped[int | None] = mapped_column(Integer)
    population_60_plus: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_lsoa_lad_code", "lad_code"),
        Index("ix_lsoa_imd_decile", "imd_decile"),
    )


class Postcode(Base):
    """A live postcode's point (ONS Postcode Directory) and the LSOA and district it falls in."""

    __tablename__ = "postcode"

    postcode: Mapped[str] = mapped_column(String(8), primary_key=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    lsoa11cd: Mapped[str | None] = mapped_column(String(9))
    lad_code: Mapped[str | None] = mapped_column(String(9))

    __table_args__ = (Index("ix_postcode_lsoa11cd", "lsoa11cd"),)


class Borough(Base):
    """A local authority district (a London borough) with its simplified boundary for maps."""

    __tablename__ = "borough"

    lad_code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # GeoJSON geometry (Polygon or MultiPolygon, WGS84); None when no boundary file was loaded.
    boundary: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
