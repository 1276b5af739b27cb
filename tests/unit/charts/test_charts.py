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
from linkwell.charts.look import FONT_SIZE, VIEW_WIDTH
from linkwell.charts.maps import ABOVE_FILL, BELOW_FILL, NO_DATA_HATCH, OUTLINE

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


def test_point_map_numbers_each_point_at_12_units():
    svg = str(point_map(AREAS, title="Services", points=[MapPoint(51.49, -0.1, "Café", 1)]))
    root = ElementTree.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Services"
    assert [t.text for t in root.iter(f"{SVG}text")] == ["1"]
    assert len(root.findall(f"{SVG}g/{SVG}path")) == 3


def test_names_are_escaped():
    chart = line_chart([Series("<script>", ((date(2026, 1, 1), 1),))], chart_id="c",
                       title="a & b", y_min=0, y_max=10)
    html = str(figure(chart))
    assert "<script>" not in html and "&lt;script&gt;" in html and "a &amp; b" in html
