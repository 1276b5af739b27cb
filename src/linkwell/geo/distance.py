"""Distances on the Earth's surface and deprivation bands: pure functions, no I/O.

Directory search pre-filters candidate locations with an indexed lat/lon ``bounding_box`` and
then ranks them by exact ``haversine_m`` distance.
"""

import math
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius
_METRES_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_M / 180


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS84 points (degrees)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


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
