"""The inline SVG chart: accessible, escaped, and placed on the instrument's scale."""

from datetime import date

from linkwell.outcomes.chart import Series, line_chart


def test_line_chart_has_title_description_and_one_marker_per_point():
    svg = str(line_chart([Series("Metric score", ((date(2026, 1, 5), 18.59),
                                                   (date(2026, 3, 9), 22.35)))],
                         y_min=7, y_max=35, title="SWEMWBS scores over time", chart_id="c1"))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="c1-title">SWEMWBS scores over time</title>' in svg
    assert "18.59 on 05 Jan 2026" in svg and "22.35 on 09 Mar 2026" in svg
    assert svg.count("<circle") == 3  # two points and the legend marker
    assert "<polyline" in svg


def test_line_chart_places_the_minimum_at_the_bottom_and_maximum_at_the_top():
    svg = str(line_chart([Series("s", ((date(2026, 1, 1), 0), (date(2026, 2, 1), 10)))],
                         y_min=0, y_max=10, title="t", chart_id="c", height=280))
    assert 'points="44.0,224.0 624.0,16.0"' in svg


def test_line_chart_escapes_names():
    svg = str(line_chart([Series("<script>", ((date(2026, 1, 1), 1),))], y_min=0, y_max=10,
                         title="a & b", chart_id="c"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a &amp; b" in svg


def test_line_chart_without_points_is_empty():
    assert str(line_chart([Series("s", ())], y_min=0, y_max=1, title="t", chart_id="c")) == ""
