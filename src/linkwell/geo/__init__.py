"""Geography reference data: postcode -> LSOA (2011) -> borough and IMD 2019 decile.

The public API other areas use::

    normalise_postcode(text) -> str              # "se135aa" -> "SE13 5AA"; InvalidInput (422)
    lookup_postcode(session, text) -> PostcodeLocation   # NotFound (404) when unknown
    get_lsoa(session, lsoa11cd) -> Lsoa          # IMD rank/decile, population by age band
    haversine_m(lat1, lon1, lat2, lon2) -> float # metres: the one distance in Linkwell
    haversine_many_m(lat, lon, lats, lons)       # the same, one point to many (NumPy)
    nearest_m(origins, points)                   # each origin to its nearest point (BallTree)
    bounding_box(lat, lon, radius_m) -> BoundingBox      # index pre-filter for radius search
    imd_quintile(decile) -> int                  # 1 = most deprived 20% in England
    borough_shapes(session) -> list[BoroughShape]

Maps are drawn by ``linkwell.charts`` (``point_map``, ``choropleth``), like every chart.

Store a person's ``lsoa11cd`` (a string, never a foreign key: the reference tables are
replaced on re-load) at the time of referral. Loading: ``linkwell geo load`` / ``geo fetch``
(``linkwell.geo.loading``, ``linkwell.geo.fetch``). See docs/geo.md.
"""

from linkwell.geo.distance import (
    BoundingBox,
    bounding_box,
    haversine_m,
    haversine_many_m,
    imd_quintile,
    nearest_m,
)
from linkwell.geo.postcodes import is_postcode, normalise_postcode
from linkwell.geo.queries import (
    PostcodeLocation,
    borough_shapes,
    get_lsoa,
    lookup_postcode,
    reference_counts,
)

__all__ = [
    "BoundingBox",
    "PostcodeLocation",
    "borough_shapes",
    "bounding_box",
    "get_lsoa",
    "haversine_m",
    "haversine_many_m",
    "imd_quintile",
    "is_postcode",
    "lookup_postcode",
    "nearest_m",
    "normalise_postcode",
    "reference_counts",
]
