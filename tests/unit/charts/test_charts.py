"""The one chart module: every chart is named, described and tabled; text is never under 12
units on a viewBox no wider than a phone's column; equal points stay apart; map colours
contrast by at least 3:1 with the page and with each other."""

from datetime import date
from itertools import combinations
from xml.etree import ElementTree

import pytest

from linkwell.charts import (
    Bars,
    BoroughShape,
    Estimate,
    MapPoint,
    Origin,
    Series,
    bar_chart,
    choropleth,
    contrast,
    figure,
    funnel_chart,
    interval_chart,
    line_chart,
    point_map,
)
from linkwell.charts.look import FONT_SIZE, INK, VIEW_WIDTH
from linkwell.charts.maps import (
    ABOVE_FILL,
    BELOW_FILL,
    BOUNDARY,
    MARKER_FILL,
    MARKER_TEXT,
    NO_DATA_HATCH,
    OUTLINE,
    PLAIN_FILL,
    SCALE_BAR_BOX,
    ZOOM_LEVELS,
    ScaleBar,
)
from linkwell.charts.markers import HEIGHT, Box

SVG = "{http://www.w3.org/2000/svg}"
PAGE_BACKGROUNDS = ("#ffffff", "#f0f4f5")  # the chart's own and the NHS.UK page's


def _square(lon: float, lat: float, size: float = 0.04) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


AREAS = [BoroughShape("E1", "Northbank", _square(-0.12, 51.50)),
         BoroughShape("E2", "Southbank & <Docks>", _square(-0.12, 51.46)),
         BoroughShape("E3", "Eastbank", _square(-0.08, 51.48))]


def _charts():
    return [
        line_chart([Series("Life satisfaction", ((date(2026, 1, 5), 6), (date(2026, 3, 1), 7))),
                    Series("Happiness", ((date(2026, 1, 5), 6), (date(2026, 3, 1), 8)))],
                   chart_id="c-line", title="ONS4 over time", y_min=0, y_max=10),
        bar_chart(["Decile 1", "Decile 2"], [Bars("Population", (10.0, 12.0)),
                                             Bars("Referred", (None, 15.0), ("<10", "15"))],
                  chart_id="c-bar", title="Bars", category_heading="Decile"),
        funnel_chart([("Referred", 100, "100"), ("Contacted", 80, "80"),
                      ("Accepted", None, "<10")], chart_id="c-funnel", title="Funnel"),
        interval_chart([Estimate("Quintile 1", 1.5, 0.2, 2.8), Estimate("Quintile 2", None)],
                       chart_id="c-ci", title="Change", axis_label="Points"),
        choropleth(AREAS, {"E1": 2.0, "E2": 6.0}, chart_id="c-map", title="Rate", threshold=4,
                   below="Below", above="Above", value_heading="Rate"),
    ]


@pytest.mark.parametrize("chart", _charts(), ids=lambda c: c.chart_id)
def test_every_chart_is_named_described_and_tabled(chart):
    root = ElementTree.fromstring(str(chart.svg))
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == chart.title and desc.text
    html = str(figure(chart))
    assert "<figcaption" in html and "<caption" in html and html.count("<table") == 1


@pytest.mark.parametrize("chart", _charts(), ids=lambda c: c.chart_id)
def test_no_text_is_under_12_units_on_a_viewbox_no_wider_than_a_phone(chart):
    root = ElementTree.fromstring(str(chart.svg))
    assert float(root.get("viewBox").split()[2]) == VIEW_WIDTH <= 288  # 320 px less margins
    for node in root.iter():
        size = node.get("font-size")
        if size is not None:
            assert float(size) >= FONT_SIZE
    for node in root.iter(f"{SVG}text"):
        x = float(node.get("x"))
        assert 0 <= x <= VIEW_WIDTH


def test_equal_values_at_the_same_date_are_set_apart():
    day = date(2026, 1, 5)
    chart = line_chart([Series("A", ((day, 6),)), Series("B", ((day, 6),))],
                       chart_id="c", title="t", y_min=0, y_max=10)
    root = ElementTree.fromstring(str(chart.svg))
    circle = root.find(f"{SVG}circle")
    square = root.find(f"{SVG}rect")
    square_centre = float(square.get("x")) + float(square.get("width")) / 2
    assert abs(float(circle.get("cx")) - square_centre) >= 6  # markers 4.5 units wide each
    assert [name for name, _, _ in chart.legend] == ["A", "B"]
    assert chart.legend[0][2] != chart.legend[1][2]  # shapes differ, not colour alone


def test_the_legend_is_html_outside_the_drawing():
    chart = _charts()[0]
    html = str(figure(chart))
    assert html.index("lw-chart__legend") > html.index("</svg>")
    assert "Life satisfaction" not in str(chart.svg).split("<desc")[0]


def test_map_colours_contrast_3_to_1_with_the_page_and_each_other():
    fills = (ABOVE_FILL, BELOW_FILL)
    for colour in (*fills, NO_DATA_HATCH):
        for background in PAGE_BACKGROUNDS:
            assert contrast(colour, background) >= 3, (colour, background)
    for a, b in combinations(fills, 2):
        assert contrast(a, b) >= 3
    assert contrast(OUTLINE, BELOW_FILL) >= 3


def test_choropleth_classes_by_threshold_and_hatches_missing_values():
    chart = _charts()[4]
    fills = {p.get("data-lad-code"): p.get("fill")
             for p in ElementTree.fromstring(str(chart.svg)).iter(f"{SVG}path")}
    assert fills == {"E1": BELOW_FILL, "E2": ABOVE_FILL, "E3": "url(#c-map-hatch)"}
    assert ("Southbank & <Docks>", "6", "Above") in chart.table.rows
    assert "&lt;Docks&gt;" in str(chart.svg)


def test_a_suppressed_bar_draws_nothing_and_shows_its_text():
    chart = _charts()[1]
    root = ElementTree.fromstring(str(chart.svg))
    assert len(root.findall(f"{SVG}rect")) == 3
    assert "<10" in [t.text for t in root.iter(f"{SVG}text")]


def _results_map(points, origin=None):
    return ElementTree.fromstring(str(point_map(AREAS, title="Services", points=points,
                                                origin=origin, chart_id="m")))


def _marker_boxes(root, level=0):
    boxes = []
    for marker in root.iter(f"{SVG}a"):
        dx, dy = (float(v) for v in marker.get("data-offsets").split()[level].split(","))
        x, y = float(marker.get("data-x")) * ZOOM_LEVELS[level], float(marker.get("data-y")) * \
            ZOOM_LEVELS[level]
        badge = marker.find(f"{SVG}rect")
        width = float(badge.get("width")) if badge is not None else HEIGHT
        boxes.append(Box(x + dx, y + dy, width, HEIGHT))
    return boxes


CROWD = [MapPoint(51.47 + (i % 4) * 0.0004, -0.1 + (i // 4) * 0.0005, f"Service {i}", i)
         for i in range(1, 21)]


def test_point_map_numbers_each_place_with_a_link_to_its_result():
    root = _results_map([MapPoint(51.49, -0.1, "Café", 1), MapPoint(51.47, -0.09, "Choir", 2)])
    assert root.find(f"{SVG}title").text == "Services"
    markers = list(root.iter(f"{SVG}a"))
    assert [m.get("href") for m in markers] == ["#result-1", "#result-2"]
    assert [m.find(f"{SVG}text").text for m in markers] == ["1", "2"]
    assert markers[0].get("aria-label") == "1: Café"
    drawn = {p.get("data-lad-code") for p in root.findall(f"{SVG}g/{SVG}g/{SVG}path")}
    assert drawn == {"E2", "E3"}  # Northbank lies wholly north of the view


def test_point_map_combines_results_at_one_place_into_one_marker():
    root = _results_map([MapPoint(51.49, -0.1, "Café", 1), MapPoint(51.47, -0.09, "Choir", 2),
                         MapPoint(51.49, -0.1, "Lunch club", 3)])
    markers = list(root.iter(f"{SVG}a"))
    assert [m.get("data-numbers") for m in markers] == ["1 3", "2"]
    assert markers[0].find(f"{SVG}text").text == "1, 3"
    assert markers[0].get("aria-label") == "1: Café; 3: Lunch club (at the same place)"


def test_point_map_markers_never_cover_each_other_at_any_zoom_level():
    home = Origin(51.4706, -0.099, "Your postcode, SE13 5AA", 2 * 1609.344)
    root = _results_map(CROWD, home)
    size = float(root.get("viewBox").split()[2])
    for level, zoom in enumerate(ZOOM_LEVELS):
        boxes = _marker_boxes(root, level)
        assert len(boxes) == 20
        for a, b in combinations(boxes, 2):
            assert not a.overlaps(b), (zoom, a, b)
        if zoom == 1:
            assert all(box.inside(size, size, 0) for box in boxes)
            assert not any(box.overlaps(SCALE_BAR_BOX) for box in boxes)


def test_point_map_names_the_areas_in_view_clear_of_markers():
    root = _results_map(CROWD[:4], Origin(51.4706, -0.099, "Home", 2 * 1609.344))
    names = {t.text: t for t in root.iter(f"{SVG}text") if t.get("class") == "lw-map__name"}
    assert "Southbank & <Docks>" in names  # the area holding every marker
    markers = _marker_boxes(root)
    for name, text in names.items():
        box = Box(float(text.get("data-x")), float(text.get("data-y")), len(name) * 6.7, 14)
        assert not any(box.overlaps(m) for m in markers), name
        assert not box.overlaps(SCALE_BAR_BOX), name


def test_an_area_whose_middle_is_crowded_goes_unnamed():
    root = _results_map(CROWD, Origin(51.4706, -0.099, "Home", 2 * 1609.344))
    names = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "lw-map__name"]
    assert "Southbank & <Docks>" not in names  # twenty markers fill its middle


def test_point_map_first_view_holds_the_search_circle_and_a_scale_bar():
    home = Origin(51.4706, -0.099, "Your postcode, SE13 5AA", 1609.344)
    root = _results_map(CROWD[:2], home)
    size = float(root.get("viewBox").split()[2])
    reach = root.find(f".//{SVG}circle[@class='lw-map__reach']")
    cx, cy, r = (float(reach.get(k)) for k in ("cx", "cy", "r"))
    assert r <= cx <= size - r and r <= cy <= size - r
    scale = root.find(f".//{SVG}g[@class='lw-map__scale']")
    assert scale.find(f"{SVG}text").text in {"0.25 miles", "0.5 miles", "1 mile"}
    mpu = float(root.get("data-metres-per-unit"))
    assert r * mpu == pytest.approx(1609.344, rel=0.01)


def test_the_scale_bar_is_the_longest_round_distance_that_fits():
    assert ScaleBar.fitting(1609.344 / 100) == ScaleBar(0.5, 50.0)
    assert ScaleBar.fitting(10).text == "0.5 miles"
    assert ScaleBar.fitting(1609.344 / 89).text == "1 mile"


def test_point_map_text_is_never_under_12_units():
    root = _results_map(CROWD, Origin(51.4706, -0.099, "Home", 1609.344))
    assert float(root.get("viewBox").split()[2]) == VIEW_WIDTH
    sizes = [float(n.get("font-size")) for n in root.iter() if n.get("font-size")]
    assert min(sizes) >= FONT_SIZE


def test_map_markers_contrast_3_to_1_with_the_map_and_their_numbers_4_5_to_1():
    for background in (*PAGE_BACKGROUNDS, PLAIN_FILL):
        assert contrast(MARKER_FILL, background) >= 3, background
    assert contrast(MARKER_TEXT, MARKER_FILL) >= 4.5
    assert contrast(BOUNDARY, PLAIN_FILL) >= 3
    assert contrast(INK, PLAIN_FILL) >= 3  # the leader lines and the searcher's ring


def test_point_map_needs_a_point():
    with pytest.raises(ValueError, match="no numbered points"):
        point_map(AREAS, title="Services", points=[])


def test_names_are_escaped():
    chart = line_chart([Series("<script>", ((date(2026, 1, 1), 1),))], chart_id="c",
                       title="a & b", y_min=0, y_max=10)
    html = str(figure(chart))
    assert "<script>" not in html and "&lt;script&gt;" in html and "a &amp; b" in html
