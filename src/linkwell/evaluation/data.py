"""Reading the evaluation's reference inputs from the database (the ``--db`` mode): the LSOA
table of the geo area as a frame, and borough boundaries as GeoJSON for the map."""

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from linkwell.geo.models import Lsoa
from linkwell.geo.queries import borough_shapes

LSOA_FIELDS = ("lsoa11cd", "lad_code", "lad_name", "imd_decile", "population_total",
               "population_0_15", "population_16_59", "population_60_plus", "centroid_lat",
               "centroid_lon")


def lsoa_from_db(session: Session) -> pd.DataFrame:
    """The loaded LSOA reference data, in the columns ``inputs.load(lsoa=...)`` expects."""
    columns = [getattr(Lsoa, name) for name in LSOA_FIELDS]
    rows = session.execute(select(*columns).order_by(Lsoa.lsoa11cd)).all()
    return pd.DataFrame(rows, columns=list(LSOA_FIELDS))


def boroughs_from_db(session: Session) -> dict | None:
    """Borough boundaries as a GeoJSON FeatureCollection (None before any are loaded)."""
    shapes = borough_shapes(session)
    if not shapes:
        return None
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"LAD22CD": s.lad_code, "LAD22NM": s.name},
         "geometry": s.geometry} for s in shapes]}
