from xml.etree import ElementTree

import pytest

from linkwell.geo.svgmap import NO_DATA_FILL, PALETTE, BoroughShape, MapPoint, render_map

SVG = "{http://www.w3.org/2000/svg}"


def _square(lon: float, lat: float, size: float = 0.04) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


BOROUGHS = [
    BoroughShape("E09999901", "Northbank", _square(-0.12, 51.50)),
    BoroughShape("E09999902", "Southbank", {
        "type": "MultiPolygon",
        "coordinates": [
            _square(-0.12, 51.46)["coordinates"]
            + [[[-0.11, 51.47], [-0.10, 51.47], [-0.10, 51.48], [-0.11, 51.47]]],
            _square(-0.07, 51.46, 0.01)["coordinates"],
        ],
    }),
    BoroughShape("E09999903", "Eastbank & <Docks>", _square(-0.08, 51.48)),
]


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def _paths(root) -> list:
    return root.findall(f"{SVG}g[@class='boroughs']/{SVG}path")


def test_render_map_is_valid_svg_with_one_path_per_borough():
    root = _parse(render_map(BOROUGHS, title="London boroughs"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "London boroughs"
    assert root.find(f"{SVG}title").text == "London boroughs"
    paths = _paths(root)
    assert [p.get("data-lad-code") for p in paths] == ["E09999901", "E09999902", "E09999903"]
    assert [p.find(f"{SVG}title").text for p in paths] == [
        "Northbank", "Southbank", "Eastbank & <Docks>"]


def test_render_map_multipolygon_with_hole_draws_every_ring():
    path = _paths(_parse(render_map(BOROUGHS, title="t")))[1]
    assert path.get("d").count("M") == 3
    assert path.get("fill-rule") == "evenodd"


def test_render_map_keeps_aspect_by_cos_latitude():
    root = _parse(render_map([BOROUGHS[0]], title="t", width=400))
    width, height = float(root.get("width")), float(root.get("height"))
    # 0.04 degrees each way; a degree of longitude is cos(51.5 deg) ~ 0.62 of one of latitude.
    assert (height - 20) / (width - 20) == pytest.approx(1 / 0.6225, rel=0.01)


def test_render_map_choropleth_colours_by_value_with_a_legend():
    svg = render_map(BOROUGHS, title="Referrals per 1,000", value_label="Referrals per 1,000",
                     values={"E09999901": 2.0, "E09999902": 10.0, "E09999903": 6.0})
    root = _parse(svg)
    fills = {p.get("data-lad-code"): p.get("fill") for p in _paths(root)}
    assert fills == {"E09999901": PALETTE[0], "E09999902": PALETTE[-1], "E09999903": PALETTE[2]}
    titles = [p.find(f"{SVG}title").text for p in _paths(root)]
    assert titles[0] == "Northbank: 2"
    legend = root.find(f"{SVG}g[@class='legend']")
    texts = [t.text for t in legend.iter(f"{SVG}text")]
    assert texts[0] == "Referrals per 1,000"
    assert texts[1] == "2 to 3.6" and texts[-1] == "8.4 to 10"
    assert "No data" not in texts


def test_render_map_borough_without_value_is_marked_no_data():
    root = _parse(render_map(BOROUGHS, title="t", values={"E09999901": 1.0}))
    paths = _paths(root)
    assert paths[1].get("fill") == NO_DATA_FILL
    assert paths[1].find(f"{SVG}title").text == "Southbank: no data"
    legend = [t.text for t in root.find(f"{SVG}g[@class='legend']").iter(f"{SVG}text")]
    assert legend[-1] == "No data"


def test_render_map_points_are_drawn_on_top_with_labels():
    points = [MapPoint(51.52, -0.10, "Food bank"), MapPoint(51.47, -0.09, "Lunch club")]
    root = _parse(render_map(BOROUGHS, title="Results", points=points))
    circles = root.findall(f"{SVG}g[@class='points']/{SVG}circle")
    assert [c.find(f"{SVG}title").text for c in circles] == ["Food bank", "Lunch club"]
    assert float(circles[0].get("cy")) < float(circles[1].get("cy"))  # north is up
    assert list(root).index(root.find(f"{SVG}g[@class='points']")) > list(root).index(
        root.find(f"{SVG}g[@class='boroughs']"))


def test_render_map_points_alone_draw_without_boroughs():
    root = _parse(render_map([], title="t", points=[MapPoint(51.5, -0.1, "Only one")]))
    assert len(root.findall(f"{SVG}g[@class='points']/{SVG}circle")) == 1


def test_render_map_is_deterministic_whatever_the_input_order():
    values = {"E09999901": 1.0, "E09999903": 3.0}
    assert render_map(BOROUGHS, title="t", values=values) == render_map(
        list(reversed(BOROUGHS)), title="t", values=values)


def test_render_map_nothing_to_draw_is_refused():
    with pytest.raises(ValueError):
        render_map([], title="t")


def test_render_map_point_geometry_is_refused():
    with pytest.raises(ValueError):
        render_map([BoroughShape("E1", "x", {"type": "Point", "coordinates": [0, 51]})],
                   title="t")
