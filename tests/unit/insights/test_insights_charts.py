"""The dashboard's charts never draw a suppressed count, and say what they hide."""

from xml.etree import ElementTree

from linkwell.charts import BoroughShape
from linkwell.evaluation.disclosure import SUPPRESSED
from linkwell.insights import charts

SVG = "{http://www.w3.org/2000/svg}"


def _square(lon: float, lat: float) -> dict:
    ring = [[lon, lat], [lon + 0.04, lat], [lon + 0.04, lat + 0.04], [lon, lat + 0.04], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_a_suppressed_stage_draws_no_bar_and_says_why():
    chart = charts.funnel([{"code": "referred", "group": "Referred", "people": 40},
                           {"code": "completed", "group": "Completed", "people": SUPPRESSED}])
    root = ElementTree.fromstring(str(chart.svg))
    assert len(root.findall(f"{SVG}rect")) == 1  # only the stage with a number
    assert chart.table.rows == (("Referred", "40", "100%"), ("Completed", SUPPRESSED, "–"))
    assert f"Completed: {SUPPRESSED}" in chart.description


def test_the_trend_leaves_out_suppressed_months_and_tables_every_month():
    chart = charts.trend([{"group": "2026-01", "referrals": 12, "accepted": SUPPRESSED},
                          {"group": "2026-02", "referrals": 15, "accepted": 11}])
    assert chart.table.rows == (("2026-01", "12", "–"), ("2026-02", "15", "11"))
    assert len(chart.legend) == 2


def test_the_borough_map_hatches_a_hidden_rate():
    shapes = [BoroughShape("E1", "North", _square(-0.1, 51.5)),
              BoroughShape("E2", "South", _square(-0.1, 51.4))]
    rows = [{"lad_code": "E1", "people": 40, "population": 10_000, "people_per_1000": 4.0},
            {"lad_code": "E2", "people": SUPPRESSED, "population": 10_000,
             "people_per_1000": SUPPRESSED}]
    chart = charts.reach_map(rows, shapes)
    fills = {p.get("data-lad-code"): p.get("fill")
             for p in ElementTree.fromstring(str(chart.svg)).iter(f"{SVG}path")}
    assert fills["E2"] == "url(#chart-reach-map-hatch)" and fills["E1"].startswith("#")
    assert ("South", "hidden (fewer than 10 people)", "No figure") in chart.table.rows
