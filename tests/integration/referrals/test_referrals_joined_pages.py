"""The person's record and caseload joined to outcome measures and advice triage."""

from datetime import date, timedelta

from linkwell.auth.roles import Role
from linkwell.outcomes import commands
from outcomes_factories import make_episode, make_team

SWEMWBS = {"1": 3, "2": 4, "3": 2, "6": 5, "7": 3, "9": 4, "11": 4}
ATTRIBUTION = ("© NHS Health Scotland, University of Warwick and University of Edinburgh, 2008, "
               "all rights reserved")


def _worker_with_episode(app, login, first_contact_on, role=Role.LINK_WORKER):
    with app.state.sessionmaker() as session:
        team = make_team(session)
        episode = make_episode(session, team_id=team.id, opened_on=first_contact_on,
                               first_contact_on=first_contact_on)
    return login(role, team_id=team.id), episode


def test_person_page_shows_advice_and_measure_links_and_chart_with_attribution(client, app,
                                                                               login):
    user, episode = _worker_with_episode(app, login, date.today() - timedelta(days=14))
    with app.state.sessionmaker() as session, session.begin():
        commands.record_measure(session, by=user, episode_id=episode.id, instrument="swemwbs",
                                timepoint="baseline", measured_on=date.today(),
                                answers=SWEMWBS)
    page = client.get(f"/people/{episode.person_id}")
    assert page.status_code == 200
    assert f'href="/episodes/{episode.id}/advice"' in page.text
    assert "Check for a legal problem (advice triage)" in page.text
    assert f'href="/episodes/{episode.id}/measures"' in page.text
    assert f'href="/episodes/{episode.id}/measures/new?instrument=swemwbs"' in page.text
    assert "Wellbeing over time" in page.text and "<svg" in page.text
    assert ATTRIBUTION in page.text
    assert "htmx" not in page.text.split('id="wellbeing-chart"')[1].split("</section>")[0]


def test_person_page_without_measures_says_so_and_shows_due_baseline(client, app, login):
    _, episode = _worker_with_episode(app, login, date.today() - timedelta(days=30))
    page = client.get(f"/people/{episode.person_id}")
    assert page.status_code == 200
    assert "No measures recorded yet." in page.text
    assert "Measure overdue" in page.text
    assert f"/episodes/{episode.id}/measures/new?instrument=swemwbs&amp;timepoint=baseline" \
        in page.text


def test_person_page_for_an_administrator_has_no_casework_links(client, app, login):
    _, episode = _worker_with_episode(app, login, date.today(), role=Role.ADMIN)
    page = client.get(f"/people/{episode.person_id}")
    assert page.status_code == 200
    assert f"/episodes/{episode.id}/advice" not in page.text
    assert "Wellbeing over time" not in page.text


def test_caseload_tags_overdue_measures_and_filters_people_needing_one(client, app, login):
    user, overdue = _worker_with_episode(app, login, date.today() - timedelta(days=30))
    with app.state.sessionmaker() as session:
        measured = make_episode(session, team_id=user.team_id, opened_on=date.today(),
                                first_contact_on=date.today())
        with session.begin():
            for key, answers in (("swemwbs", SWEMWBS),
                                 ("ons4", {"life_satisfaction": 6, "worthwhile": 7,
                                          "happiness": 6, "anxiety": 3})):
                commands.record_measure(session, by=user, episode_id=measured.id,
                                        instrument=key, timepoint="baseline",
                                        measured_on=date.today(), answers=answers)
    page = client.get("/caseload")
    assert page.status_code == 200
    assert page.text.count("Measure overdue") == 1
    assert page.text.count('href="/people/') == 2
    filtered = client.get("/caseload?measure=true")
    assert 'id="measure" name="measure" type="checkbox" value="true" checked' in filtered.text
    assert f'href="/people/{overdue.person_id}"' in filtered.text
    assert f'href="/people/{measured.person_id}"' not in filtered.text
