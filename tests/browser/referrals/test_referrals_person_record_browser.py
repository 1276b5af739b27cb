"""The link worker's person record joins outcome measures and advice triage (Chromium)."""

from datetime import date, timedelta

import pytest

from conftest import axe_violations, make_user, sideways_scroll_on_a_phone, sign_in_browser
from linkwell.db import make_engine, make_sessionmaker
from linkwell.outcomes import commands
from outcomes_factories import make_episode, make_team

pytestmark = pytest.mark.browser


@pytest.fixture
def measured_person(browser_settings, live_server):
    """A person on the worker's caseload with a SWEMWBS baseline and follow-up."""
    engine = make_engine(browser_settings.database_url)
    factory = make_sessionmaker(engine)
    opened = date.today() - timedelta(days=70)
    with factory() as session:
        team = make_team(session)
        worker = make_user(session, "link_worker", email="lw-record@example.org",
                           team_id=team.id)
        episode = make_episode(session, team_id=team.id, opened_on=opened,
                               first_contact_on=opened)
        with session.begin():
            for timepoint, on, answer in (("baseline", opened, 2),
                                          ("follow_up", date.today(), 4)):
                commands.record_measure(
                    session, by=worker, episode_id=episode.id, instrument="swemwbs",
                    timepoint=timepoint, measured_on=on,
                    answers={k: answer for k in ("1", "2", "3", "6", "7", "9", "11")})
    engine.dispose()
    return episode


def test_person_record_shows_chart_and_leads_to_advice_triage(page, live_server,
                                                              measured_person):
    sign_in_browser(page, live_server.url, "lw-record@example.org")
    page.goto(f"{live_server.url}/people/{measured_person.person_id}")
    chart = page.locator("#wellbeing-chart")
    assert chart.locator("svg[role=img]").is_visible()
    assert "Short Warwick-Edinburgh Mental Wellbeing Scale" in chart.inner_text()
    assert "© NHS Health Scotland" in chart.inner_text()
    assert page.locator("text=Record a wellbeing measure").is_visible()
    assert axe_violations(page) == []
    assert sideways_scroll_on_a_phone(page) == 0  # the record and its scores table fit a phone

    page.click("text=Check for a legal problem (advice triage)")
    assert page.url.endswith(f"/episodes/{measured_person.id}/advice")
    page.fill("#text", "My landlord gave me a section 21 eviction notice and I have "
                       "nowhere to go.")
    page.click("button:has-text('Continue')")
    assert page.locator("#result-heading").inner_text() == "What we found"
    assert "Housing" in page.inner_text("main")
    page.click("text=Back to the person")
    assert page.url.endswith(f"/people/{measured_person.person_id}")
