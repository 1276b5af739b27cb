"""Outcome pages over HTTP: self-completion links, the entry form, chart, FHIR, admin."""

from datetime import date

from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from sqlalchemy import func, select

from conftest import csrf_token
from linkwell.audit.models import AuditEvent
from linkwell.auth.roles import Role
from linkwell.outcomes import commands
from linkwell.outcomes.models import InstrumentVersion, Measure
from outcomes_factories import make_episode, make_team

SWEMWBS_FORM = {"q-1": "3", "q-2": "4", "q-3": "2", "q-6": "5", "q-7": "3", "q-9": "4",
                "q-11": "4"}


def _signed_in_worker(app, login):
    with app.state.sessionmaker() as session:
        team = make_team(session)
        episode = make_episode(session, team_id=team.id, first_contact_on=date.today())
    user = login(Role.LINK_WORKER, team_id=team.id)
    return user, episode


def _link(app, user, episode, instrument="swemwbs"):
    with app.state.sessionmaker() as session, session.begin():
        _, token = commands.create_self_completion_link(
            session, by=user, episode_id=episode.id, instrument=instrument,
            timepoint="baseline")
    return token


def _measures(app):
    with app.state.sessionmaker() as session:
        return session.scalar(select(func.count()).select_from(Measure))


def test_self_completion_page_shows_items_and_attribution_without_sign_in(client, app, login):
    user, episode = _signed_in_worker(app, login)
    token = _link(app, user, episode)
    client.cookies.clear()
    client.headers.pop("X-CSRF-Token", None)
    page = client.get(f"/measure/{token}")
    assert page.status_code == 200
    assert "I&#39;ve been feeling optimistic about the future" in page.text
    assert ("© NHS Health Scotland, University of Warwick and University of Edinburgh, 2008, "
            "all rights reserved") in page.text
    assert page.text.count('type="radio"') == 35


def test_self_completion_submit_records_once_and_refuses_a_duplicate(client, app, login):
    user, episode = _signed_in_worker(app, login)
    token = _link(app, user, episode)
    client.cookies.clear()
    client.headers.pop("X-CSRF-Token", None)
    form = {**SWEMWBS_FORM, "csrf_token": csrf_token(client)}
    response = client.post(f"/measure/{token}", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/measure/thank-you"
    again = client.post(f"/measure/{token}", data=form, headers={"Accept": "text/html"})
    assert again.status_code == 409
    assert "already been submitted" in again.text
    assert _measures(app) == 1


def test_self_completion_missing_answer_shows_error_and_records_nothing(client, app, login):
    user, episode = _signed_in_worker(app, login)
    token = _link(app, user, episode)
    form = {**SWEMWBS_FORM, "csrf_token": csrf_token(client)}
    del form["q-6"]
    response = client.post(f"/measure/{token}", data=form)
    assert response.status_code == 422
    assert 'href="#q-6"' in response.text and "Select an answer for question 4" in response.text
    assert 'value="3" checked' in response.text
    assert _measures(app) == 0


def test_self_completion_without_csrf_token_is_refused(client, app, login):
    user, episode = _signed_in_worker(app, login)
    token = _link(app, user, episode)
    client.headers.pop("X-CSRF-Token", None)
    assert client.post(f"/measure/{token}", data=SWEMWBS_FORM).status_code == 403
    assert _measures(app) == 0


def test_unknown_link_is_not_found(client):
    assert client.get("/measure/not-a-real-token").status_code == 404


def test_link_worker_records_a_measure_and_sees_the_chart(client, app, login):
    user, episode = _signed_in_worker(app, login)
    page = client.get(f"/episodes/{episode.id}/measures")
    assert page.status_code == 200
    assert "Due now" in page.text and "Overdue" not in page.text
    form = client.get(f"/episodes/{episode.id}/measures/new?instrument=swemwbs"
                      "&timepoint=baseline")
    assert form.status_code == 200 and "University of Warwick" in form.text
    response = client.post(f"/episodes/{episode.id}/measures", data={
        **SWEMWBS_FORM, "instrument": "swemwbs", "timepoint": "baseline",
        "measured_on": date.today().isoformat()}, follow_redirects=False)
    assert response.status_code == 303
    chart = client.get(f"/episodes/{episode.id}/measures/chart")
    assert chart.status_code == 200
    assert "<svg" in chart.text and "22.35" in chart.text and "depression" not in chart.text
    assert "<html" not in chart.text


def test_entry_form_follow_up_before_baseline_is_refused(client, app, login):
    user, episode = _signed_in_worker(app, login)
    response = client.post(f"/episodes/{episode.id}/measures", data={
        **SWEMWBS_FORM, "instrument": "swemwbs", "timepoint": "follow_up",
        "measured_on": date.today().isoformat()})
    assert response.status_code == 409
    assert "baseline before a follow-up" in response.json()["detail"]
    assert _measures(app) == 0


def test_entry_form_bad_date_shows_error(client, app, login):
    user, episode = _signed_in_worker(app, login)
    response = client.post(f"/episodes/{episode.id}/measures", data={
        **SWEMWBS_FORM, "instrument": "swemwbs", "timepoint": "baseline",
        "measured_on": "yesterday"})
    assert response.status_code == 422
    assert "Enter the date" in response.text


def test_other_team_cannot_see_measures_and_refusal_is_audited(client, app, login):
    with app.state.sessionmaker() as session:
        episode = make_episode(session, team_id=make_team(session).id)
    with app.state.sessionmaker() as session:
        other_team = make_team(session)
    login(Role.LINK_WORKER, team_id=other_team.id)
    assert client.get(f"/episodes/{episode.id}/measures").status_code == 404
    with app.state.sessionmaker() as session:
        assert session.scalar(select(AuditEvent).where(
            AuditEvent.action == "denied", AuditEvent.object_type == "episode")) is not None


def test_create_link_page_shows_the_url_once(client, app, login):
    user, episode = _signed_in_worker(app, login)
    response = client.post(f"/episodes/{episode.id}/measures/links",
                           data={"instrument": "ons4", "timepoint": "baseline"})
    assert response.status_code == 201
    assert "/measure/" in response.text


def test_fhir_questionnaire_is_public_and_parses(client):
    response = client.get("/fhir/Questionnaire/swemwbs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    assert len(Questionnaire.model_validate(response.json()).item) == 7
    assert client.get("/fhir/Questionnaire/phq9").status_code == 404


def test_fhir_questionnaire_response_for_a_measure(client, app, login):
    user, episode = _signed_in_worker(app, login)
    with app.state.sessionmaker() as session, session.begin():
        measure = commands.record_measure(
            session, by=user, episode_id=episode.id, instrument="ons4", timepoint="baseline",
            measured_on=date.today(), answers={"life_satisfaction": 6, "worthwhile": 7,
                                              "happiness": 5, "anxiety": 3})
    response = client.get(f"/fhir/QuestionnaireResponse/{measure.id}")
    assert response.status_code == 200
    resource = QuestionnaireResponse.model_validate(response.json())
    assert resource.questionnaire.endswith("/fhir/Questionnaire/ons4|2")
    assert resource.item[3].answer[0].valueCoding.code == "3"


def test_admin_saves_a_local_instrument_and_sees_errors(client, app, login):
    login(Role.ADMIN)
    page = client.get("/admin/instruments")
    assert page.status_code == 200 and "swemwbs" in page.text
    bad = client.post("/admin/instruments", data={"definition": '{"key": "x"}'})
    assert bad.status_code == 422 and "not valid" in bad.text
    not_json = client.post("/admin/instruments", data={"definition": "{"})
    assert not_json.status_code == 422 and "not valid JSON" in not_json.text
    good = client.post("/admin/instruments", data={"definition": """{
        "key": "confidence", "shortName": "Confidence", "name": "Confidence check",
        "options": [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}],
        "items": [{"linkId": "meet", "text": "I feel confident meeting people"}],
        "scoring": {"rule": "single_item", "missingItems": "no_total", "meaningfulChange": 1}
    }"""})
    assert good.status_code == 200 and "Saved confidence version 1" in good.text
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(InstrumentVersion)) == 6


def test_admin_page_is_forbidden_to_link_workers(client, login):
    login(Role.LINK_WORKER)
    assert client.get("/admin/instruments").status_code == 403
