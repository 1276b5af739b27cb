"""A person completes SWEMWBS and ONS4 on a phone-sized screen in headless Chromium."""

import pytest

from conftest import axe_violations, make_user
from linkwell.auth.roles import Role
from linkwell.outcomes import commands
from linkwell.outcomes.models import Measure
from outcomes_factories import make_episode, make_team

PHONE = {"width": 375, "height": 667}


def _link(app, instrument):
    with app.state.sessionmaker() as session:
        team = make_team(session)
        episode = make_episode(session, team_id=team.id)
        worker = make_user(session, Role.LINK_WORKER, team_id=team.id)
        with session.begin():
            _, token = commands.create_self_completion_link(
                session, by=worker, episode_id=episode.id, instrument=instrument,
                timepoint="baseline")
    return token


def _complete(page, url, choices):
    page.set_viewport_size(PHONE)
    page.goto(url)
    assert axe_violations(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the form scrolls sideways on a phone"
    for field, value in choices.items():
        page.locator(f'input[name="{field}"][value="{value}"]').check()
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url("**/measure/thank-you")
    assert page.get_by_role("heading", name="Thank you").is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize(("instrument", "choices", "check"), [
    ("swemwbs", {"q-1": 3, "q-2": 4, "q-3": 2, "q-6": 5, "q-7": 3, "q-9": 4, "q-11": 4},
     lambda m: (m.raw_score, m.metric_score) == (25, 22.35)),
    ("ons4", {"q-life_satisfaction": 7, "q-worthwhile": 8, "q-happiness": 6, "q-anxiety": 2},
     lambda m: m.item_scores["anxiety"] == {"score": 2, "band": "Low"}),
])
def test_person_completes_on_a_phone(live_server, page, instrument, choices, check):
    token = _link(live_server.app, instrument)
    _complete(page, f"{live_server.url}/measure/{token}", choices)
    with live_server.app.state.sessionmaker() as session:
        (measure,) = session.query(Measure).all()
    assert measure.source == "self"
    assert check(measure)


def test_missing_answer_is_shown_in_an_accessible_error_summary(live_server, page):
    token = _link(live_server.app, "swemwbs")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/measure/{token}")
    page.locator('input[name="q-1"][value="3"]').check()
    page.get_by_role("button", name="Send my answers").click()
    summary = page.get_by_role("alert")
    assert "There is a problem" in summary.inner_text()
    assert "Select an answer for question 2" in summary.inner_text()
    assert page.locator('input[name="q-1"][value="3"]').is_checked()
    assert axe_violations(page) == []
