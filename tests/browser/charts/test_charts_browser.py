"""Charts in real Chromium at 320, 375 and 1280 px: the person record's measures, the evaluation
report and /insights. Chart text is never drawn under 12 px (the computed font size times the
SVG's scale), no page scrolls sideways, and axe with the WCAG 2.2 A and AA tags finds nothing."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from conftest import AXE_SOURCE, make_user, sign_in_browser
from evaluation_factories import simulated_cohort
from insights_factories import BOROUGHS, seed
from linkwell.db import make_engine, make_sessionmaker
from linkwell.evaluation import runs
from linkwell.geo.models import Borough, Lsoa
from linkwell.outcomes import commands
from outcomes_factories import make_episode, make_team

pytestmark = pytest.mark.browser
WIDTHS = (320, 375, 1280)
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

SMALLEST_TEXT = """() => {
  let smallest = Infinity, charts = 0;
  for (const svg of document.querySelectorAll('figure.lw-chart > svg[role=img]')) {
    charts += 1;
    const box = svg.getBoundingClientRect(), view = svg.viewBox.baseVal;
    const scale = view && view.width ? box.width / view.width : 1;
    for (const t of svg.querySelectorAll('text')) {
      smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * scale);
    }
  }
  return {charts, smallest};
}"""
UNNAMED = """() => [...document.querySelectorAll('svg[role=img]')]
  .filter(s => !s.getAttribute('aria-labelledby') && !s.getAttribute('aria-label')).length"""
UNCAPTIONED = """() => [...document.querySelectorAll('main table')]
  .filter(t => !t.querySelector('caption') || !t.querySelector('caption').textContent.trim())
  .length"""


def _wcag_violations(page) -> list[dict]:
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async tags => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in result["violations"]]


def _check_at_every_width(page, url: str, *, least_charts: int) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                      "requestAnimationFrame(r)))")
        measured = page.evaluate(SMALLEST_TEXT)
        assert measured["charts"] >= least_charts, (url, width)
        assert measured["smallest"] >= 12 - 0.01, (url, width, measured)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width, (url, width)
        assert page.evaluate(UNNAMED) == 0
        assert page.evaluate(UNCAPTIONED) == 0
        if width in (320, 1280):
            assert _wcag_violations(page) == [], (url, width)


def test_person_record_chart_reads_at_every_width(browser_settings, live_server, page):
    engine = make_engine(browser_settings.database_url)
    opened = date.today() - timedelta(days=70)
    with make_sessionmaker(engine)() as session:
        team = make_team(session)
        worker = make_user(session, "link_worker", email="lw-charts@example.org",
                           team_id=team.id)
        episode = make_episode(session, team_id=team.id, opened_on=opened,
                               first_contact_on=opened)
        with session.begin():
            for timepoint, on in (("baseline", opened), ("follow_up", date.today())):
                # Equal ONS4 scores: the markers must not hide each other.
                commands.record_measure(
                    session, by=worker, episode_id=episode.id, instrument="ons4",
                    timepoint=timepoint, measured_on=on,
                    answers={"life_satisfaction": 6, "worthwhile": 6, "happiness": 6,
                             "anxiety": 3})
    engine.dispose()
    sign_in_browser(page, live_server.url, worker.email)
    _check_at_every_width(page, f"{live_server.url}/people/{episode.person_id}", least_charts=1)
    legend = page.locator("#wellbeing-chart .lw-chart__legend li")
    assert legend.count() == 4


def test_evaluation_report_reads_at_every_width(browser_settings, live_server, page):
    engine = make_engine(browser_settings.database_url)
    factory = make_sessionmaker(engine)
    with factory() as session:
        simulated_cohort(session, people=600, seed=3)
        commissioner = make_user(session, "commissioner")
        with session.begin():
            run = runs.run_now(session)
    engine.dispose()
    sign_in_browser(page, live_server.url, commissioner.email)
    url = f"{live_server.url}/evaluation/runs/{run.id}/report"
    _check_at_every_width(page, url, least_charts=3)
    assert page.locator("a.nhsuk-back-link[href='/evaluation']").is_visible()
    assert page.locator("header.nhsuk-header").is_visible()


def _square(lon: float, lat: float, size: float = 0.05) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.mark.parametrize("role", ["commissioner", "evaluator"])
def test_insights_charts_and_maps_read_at_every_width(browser_settings, live_server, page, role):
    engine = make_engine(browser_settings.database_url)
    with make_sessionmaker(engine)() as session:
        seed(session, n=200)
        with session.begin():  # boundaries and centroids, so both maps are drawn
            for k, (code, name) in enumerate(BOROUGHS):
                session.add(Borough(lad_code=code, name=name,
                                    boundary=_square(-0.1, 51.4 + k / 20)))
            for k, lsoa in enumerate(session.scalars(select(Lsoa).order_by(Lsoa.lsoa11cd))):
                north = lsoa.lad_code == BOROUGHS[1][0]
                lsoa.centroid_lat = 51.405 + north / 20 + (k % 10) * 0.004
                lsoa.centroid_lon = -0.095 + (k % 5) * 0.008
        reader = make_user(session, role)
    engine.dispose()
    sign_in_browser(page, live_server.url, reader.email)
    page.goto(f"{live_server.url}/insights")
    page.click("text=Map and table by neighbourhood (LSOA)")
    assert page.locator("#chart-lsoa-map > svg circle").count() == 20
    _check_at_every_width(page, f"{live_server.url}/insights", least_charts=3)
