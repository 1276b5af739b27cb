"""Numbered map markers: results at one place share a marker, the marker's text reads as the
list does, and placement never lets one marker cover another, an obstacle or the map's edge."""

import random
from itertools import combinations

import pytest

from linkwell.charts.markers import (
    HEIGHT,
    Box,
    Located,
    Room,
    combine,
    marker_text,
    marker_width,
    place,
)

LAT, LON = 51.4566, -0.0114
M_LAT = 1 / 111_195  # degrees of latitude per metre


def _boxes(anchors, widths, offsets):
    return [Box(x + dx, y + dy, w, HEIGHT)
            for (x, y), w, (dx, dy) in zip(anchors, widths, offsets, strict=True)]


def _assert_apart_and_inside(boxes, size, obstacles=(), gap=2, margin=2):
    for a, b in combinations(boxes, 2):
        assert not a.overlaps(b, gap), (a, b)
    for box in boxes:
        assert box.inside(size, size, margin), box
        for obstacle in obstacles:
            assert not box.overlaps(obstacle, gap), (box, obstacle)


def test_results_at_one_place_share_a_marker_in_list_order():
    located = [Located(LAT, LON, 3, "Lunch club"), Located(LAT + 40 * M_LAT, LON, 2, "Food bank"),
               Located(LAT + 10 * M_LAT, LON, 1, "Art group"), Located(LAT, LON, 7, "Choir")]
    places = combine(located)
    assert [p.numbers for p in places] == [(1, 3, 7), (2,)]
    assert places[0].labels == ("Art group", "Lunch club", "Choir")
    assert places[0].text == "1, 3, 7"


def test_places_further_apart_than_a_building_keep_their_own_markers():
    located = [Located(LAT, LON, 1, "A"), Located(LAT + 40 * M_LAT, LON, 2, "B")]
    assert [p.numbers for p in combine(located)] == [(1,), (2,)]


@pytest.mark.parametrize(("numbers", "text"), [
    ([5], "5"), ([6, 7], "6, 7"), ([1, 2, 3, 7], "1–3, 7"), ([11, 12, 13, 14, 15], "11–15"),
    ([9, 4, 2], "2, 4, 9"),
])
def test_marker_text_shortens_runs_of_three_or_more(numbers, text):
    assert marker_text(numbers) == text


def test_a_marker_is_a_circle_for_two_digits_and_grows_for_more():
    assert marker_width("7") == marker_width("20") == HEIGHT
    assert marker_width("11–20") > HEIGHT
    assert marker_width("1, 3, 7") > marker_width("1, 3")


def test_a_marker_with_room_stays_on_its_place():
    offsets = place([(50, 50), (200, 200)], [24, 24], width=280, height=280)
    assert offsets == [(0, 0), (0, 0)]


def test_crowded_markers_move_apart_and_the_first_keeps_its_place():
    anchors = [(140 + i % 3, 140 + i // 3) for i in range(20)]
    widths = [marker_width(str(n)) for n in range(1, 21)]
    offsets = place(anchors, widths, width=280, height=280)
    assert offsets[0] == (0, 0)
    _assert_apart_and_inside(_boxes(anchors, widths, offsets), 280)


def test_markers_keep_clear_of_obstacles_and_inside_the_map():
    scale_bar = Box(54, 263, 100, 26)
    home = Box(10, 10, 18, 18)
    anchors = [(54, 263), (10, 10), (279, 140), (0, 0)]
    widths = [24, 60, 24, 40]
    offsets = place(anchors, widths, width=280, height=280, obstacles=[scale_bar, home])
    _assert_apart_and_inside(_boxes(anchors, widths, offsets), 280, [scale_bar, home])


@pytest.mark.parametrize("seed", range(25))
def test_twenty_markers_anywhere_never_cover_one_another(seed):
    rng = random.Random(seed)
    centre = (rng.uniform(40, 240), rng.uniform(40, 240))
    spread = rng.choice([5, 20, 60, 140])
    anchors = [(min(280, max(0, rng.gauss(centre[0], spread))),
                min(280, max(0, rng.gauss(centre[1], spread)))) for _ in range(20)]
    widths = [marker_width(rng.choice(["3", "12", "1, 2", "4–9", "11–20, 23"])) for _ in anchors]
    obstacles = [Box(54, 263, 100, 26)]
    offsets = place(anchors, widths, width=280, height=280, obstacles=obstacles)
    _assert_apart_and_inside(_boxes(anchors, widths, offsets), 280, obstacles)
    assert offsets == place(anchors, widths, width=280, height=280, obstacles=obstacles)


def test_a_map_too_full_for_every_marker_still_places_each_where_it_overlaps_least():
    anchors = [(50, 50)] * 12
    offsets = place(anchors, [24] * 12, width=100, height=100)
    assert len(offsets) == 12
    boxes = _boxes(anchors, [24] * 12, offsets)
    assert all(box.inside(100, 100, 2) for box in boxes)
    assert len({(b.x, b.y) for b in boxes}) == 12, "no two are drawn on the same spot"


def test_room_near_a_place_is_looked_for_only_within_reach():
    crowd = [Box(100 + dx, 100 + dy, 24, HEIGHT) for dx in (-26, 0, 26) for dy in (-26, 0, 26)]
    room = Room(crowd, 60, 280, 280)
    assert room.spot_near(100, 100, reach=20) is None
    dx, dy = room.spot_near(100, 100, reach=80)
    assert not any(Box(100 + dx, 100 + dy, 60, HEIGHT).overlaps(b, 2) for b in crowd)
