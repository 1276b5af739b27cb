"""Distances on the Earth's surface and deprivation bands: pure functions, no I/O.

The one distance in Linkwell is the great-circle (haversine) distance on a sphere of the IUGG
mean radius: ``haversine_m`` for one pair of points, ``haversine_many_m`` for one point to
many (NumPy), and ``nearest_m`` for each of many points to the nearest of many others.
Directory search pre-filters candidate locations with an indexed lat/lon ``bounding_box`` and
then ranks them by exact distance.
"""

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # NumPy is imported where many points are measured, not at start-up
    import numpy as np

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius
_METRES_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_M / 180


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS84 points (degrees)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def haversine_many_m(lat: float, lon: float, lats: "np.ndarray", lons: "np.ndarray"
                     ) -> "np.ndarray":
    """``haversine_m`` from one point to each of many at once."""
    import numpy as np

    phi1, phi2 = math.radians(lat), np.radians(lats)
    a = (np.sin((phi2 - phi1) / 2) ** 2
         + math.cos(phi1) * np.cos(phi2) * np.sin(np.radians(lons - lon) / 2) ** 2)
    return 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def nearest_m(origins: "np.ndarray", points: "np.ndarray") -> "np.ndarray":
    """For each origin (rows of latitude, longitude in degrees), the ``haversine_m`` distance
    to the nearest of ``points``, found with a ball tree (scikit-learn) over the sphere."""
    import numpy as np
    from sklearn.neighbors import BallTree  # slow to import; only evaluation needs it

    tree = BallTree(np.radians(points), metric="haversine")
    angle, _ = tree.query(np.radians(origins), k=1)
    return angle[:, 0] * EARTH_RADIUS_M


@dataclass(frozen=True, slots=True)
class BoundingBox:
    min_lat: float
    min_lon: float
    max_lat: float
    max_lon: float

    def contains(self, lat: float, lon: float) -> bool:
        return self.min_lat <= lat <= self.max_lat and self.min_lon <= lon <= self.max_lon


def bounding_box(lat: float, lon: float, radius_m: float) -> BoundingBox:
    """A lat/lon box that contains every point within ``radius_m`` of (lat, lon).

    It is a superset of the circle (corners included), so filter on it with an index and then
    keep the points whose ``haversine_m`` is within the radius.
    """
    if radius_m < 0:
        raise ValueError("radius_m must not be negative")
    dlat = radius_m / _METRES_PER_DEGREE_LAT
    min_lat, max_lat = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    # Widest longitude span is at the latitude furthest from the equator within the box.
    cos_lat = math.cos(math.radians(max(abs(min_lat), abs(max_lat))))
    if cos_lat <= 1e-12 or radius_m / (_METRES_PER_DEGREE_LAT * cos_lat) >= 180:
        return BoundingBox(min_lat, -180.0, max_lat, 180.0)
    dlon = radius_m / (_METRES_PER_DEGREE_LAT * cos_lat)
    return BoundingBox(min_lat, lon - dlon, max_lat, lon + dlon)


def imd_quintile(decile: int) -> int:
    """IMD decile (1 = most deprived 10% in England) to quintile (1 = most deprived 20%)."""
    if isinstance(decile, bool) or not isinstance(decile, int) or not 1 <= decile <= 10:
        raise ValueError(f"IMD decile must be an integer from 1 to 10, not {decile!r}")
    return (decile + 1) // 2
