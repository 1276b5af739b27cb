import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkwell.geo.distance import EARTH_RADIUS_M, bounding_box, haversine_m, imd_quintile


def _destination(lat: float, lon: float, bearing_deg: float, distance_m: float):
    """The point ``distance_m`` from (lat, lon) along ``bearing_deg`` on the sphere."""
    phi, lam, theta = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    delta = distance_m / EARTH_RADIUS_M
    phi2 = math.asin(math.sin(phi) * math.cos(delta)
                     + math.cos(phi) * math.sin(delta) * math.cos(theta))
    lam2 = lam + math.atan2(math.sin(theta) * math.sin(delta) * math.cos(phi),
                            math.cos(delta) - math.sin(phi) * math.sin(phi2))
    return math.degrees(phi2), math.degrees(lam2)


def test_haversine_m_same_point_is_zero():
    assert haversine_m(51.4596, -0.00594, 51.4596, -0.00594) == 0


def test_haversine_m_london_to_paris_is_about_344_km():
    assert haversine_m(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(343_900, abs=1_000)


def test_haversine_m_one_degree_of_latitude_is_about_111_km():
    assert haversine_m(51.0, 0.0, 52.0, 0.0) == pytest.approx(111_195, abs=5)


@given(st.floats(49, 61), st.floats(-8, 2), st.floats(49, 61), st.floats(-8, 2))
def test_haversine_m_is_symmetric(lat1, lon1, lat2, lon2):
    assert haversine_m(lat1, lon1, lat2, lon2) == pytest.approx(haversine_m(lat2, lon2, lat1, lon1))


@given(st.floats(49.5, 61), st.floats(-8, 2), st.floats(10, 100_000), st.floats(0, 360))
def test_bounding_box_contains_every_point_within_the_radius(lat, lon, radius, bearing):
    box = bounding_box(lat, lon, radius)
    inside_lat, inside_lon = _destination(lat, lon, bearing, radius * 0.999)
    assert box.contains(inside_lat, inside_lon)


def test_bounding_box_is_tight_at_london_latitude():
    box = bounding_box(51.5, -0.1, 1_000)
    assert haversine_m(box.min_lat, -0.1, box.max_lat, -0.1) == pytest.approx(2_000, rel=0.001)
    assert haversine_m(51.5, box.min_lon, 51.5, box.max_lon) == pytest.approx(2_000, rel=0.01)
    assert not box.contains(51.52, -0.1)


def test_bounding_box_negative_radius_is_refused():
    with pytest.raises(ValueError):
        bounding_box(51.5, -0.1, -1)


@pytest.mark.parametrize(("decile", "quintile"), [
    (1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 4), (8, 4), (9, 5), (10, 5),
])
def test_imd_quintile_pairs_deciles(decile, quintile):
    assert imd_quintile(decile) == quintile


@pytest.mark.parametrize("decile", [0, 11, -1, 2.0, True, None, "3"])
def test_imd_quintile_outside_one_to_ten_is_refused(decile):
    with pytest.raises(ValueError):
        imd_quintile(decile)


def test_haversine_many_m_and_nearest_m_agree_with_haversine_m():
    import numpy as np

    from linkwell.geo.distance import haversine_many_m, nearest_m

    lats, lons = np.array([51.5, 51.6, 48.8566]), np.array([-0.1, -0.2, 2.3522])
    many = haversine_many_m(51.4613, -0.0112, lats, lons)
    one = [haversine_m(51.4613, -0.0112, lat, lon) for lat, lon in zip(lats, lons, strict=True)]
    assert many.tolist() == pytest.approx(one)
    origins = np.array([[51.4613, -0.0112], [48.85, 2.35]])
    nearest = nearest_m(origins, np.column_stack([lats, lons]))
    assert nearest.tolist() == pytest.approx([min(one), haversine_m(48.85, 2.35, 48.8566, 2.3522)])
