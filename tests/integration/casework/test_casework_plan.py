"""The person's plan and the link worker's working day around it: contacts at the time
entered, history kept, "My plan" (page, PDF, e-mail copy through the Notify outbox), triage
reasons, the caseload's "Updated" mark and CSV export, the referrer's list, suggestions per
need and the directory search from the record."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from conftest import make_user
from linkwell.audit.models import AuditEvent
from linkwell.auth.roles import Role
from linkwell.casework import commands as casework_commands
from linkwell.casework.models import PersonMessage
from linkwell.directory.search_index import reindex_services
from linkwell.outcomes import commands as outcomes_commands
from linkwell.referrals import commands, onward_commands
from linkwell.referrals.models import EpisodeContact, Goal, Referral
from referrals_factories import accept, make_organization, make_service, make_team, submit


@pytest.fixture(autouse=True)
def _no_redirects(client):
    client.follow_redirects = False  # each test looks at where an action leads


def _episode(app, login):
    with app.state.sessionmaker() as session:
        team = make_team(session)
    worker = login(Role.LINK_WORKER, team_id=team.id)
    with app.state.sessionmaker() as session:
        referral = submit(session, None, reasons=("loneliness", "debt"),
                          email="ada@example.org")
        episode = accept(session, worker, referral)
    return worker, episode


def _contact(client, episode, day, clock, note):
    return client.post(f"/episodes/{episode.id}/contacts", data={
        "occurred_on": day, "occurred_time": clock, "mode": "telephone",
        "duration_minutes": "20", "note": note})


def test_a_contact_keeps_the_uk_time_entered_and_the_plan_is_in_time_order(client, app,
                                                                            login):
    _worker, episode = _episode(app, login)
    # Entered second, happened first: the plan follows when things happened.
    assert _contact(client, episode, "2026-07-14", "10:00", "Talked about the allotment"
                    ).status_code == 303
    saved = _contact(client, episode, "2026-07-13", "15:30", "First call")
    assert saved.headers["location"].endswith("?saved=contact")
    with app.state.sessionmaker() as session:
        stored = session.scalars(select(EpisodeContact.occurred_at)
                                 .order_by(EpisodeContact.id)).first()
    # 10:00 in British Summer Time is 09:00 UTC (it was stored as 12:00 before).
    assert stored.astimezone(UTC).replace(tzinfo=None) == datetime(2026, 7, 14, 9, 0)
    plan = client.get(f"/people/{episode.person_id}/plan")
    assert plan.status_code == 200
    history = plan.text.split('id="plan-history"')[1]
    assert "14 Jul 2026 10:00" in history and "Talked about the allotment" in history
    assert history.index("13 Jul 2026 15:30") < history.index("14 Jul 2026 10:00")
    record = client.get(f"/people/{episode.person_id}")
    assert "14 Jul 2026 10:00" in record.text and "Talked about the allotment" in record.text


def test_a_measure_entered_later_sits_in_the_history_on_the_day_it_was_taken(client, app,
                                                                             login):
    worker, episode = _episode(app, login)
    taken = date.today() - timedelta(days=10)
    assert _contact(client, episode, (taken + timedelta(days=2)).isoformat(), "11:00",
                    "Second call").status_code == 303
    with app.state.sessionmaker() as session, session.begin():
        session.execute(text("UPDATE episode SET opened_at = :at WHERE id = :id"),
                        {"at": datetime.now(UTC) - timedelta(days=20), "id": episode.id})
    with app.state.sessionmaker() as session, session.begin():
        outcomes_commands.record_measure(
            session, by=worker, episode_id=episode.id, instrument="swemwbs",
            timepoint="baseline", measured_on=taken,
            answers={"1": 3, "2": 4, "3": 2, "6": 5, "7": 3, "9": 4, "11": 4})
    history = client.get(f"/people/{episode.person_id}/plan").text.split(
        'id="plan-history"')[1]
    # Taken on paper ten days ago and typed in today: it happened before the call.
    assert f"{taken:%d %b %Y}</strong> SWEMWBS measure" in history
    assert history.index("SWEMWBS measure") < history.index("Second call")


def test_a_contact_without_a_time_is_refused(client, app, login):
    _worker, episode = _episode(app, login)
    refused = _contact(client, episode, "2026-07-14", "", "x")
    assert refused.status_code == 422
    with app.state.sessionmaker() as session:
        assert session.scalars(select(EpisodeContact)).all() == []


def test_the_plan_shows_what_matters_labelled_needs_goals_progress_and_actions(client, app,
                                                                              login):
    _worker, episode = _episode(app, login)
    client.post(f"/episodes/{episode.id}/needs", data={
        "what_matters_to_me": "Getting back to the allotment", "score-loneliness": "4",
        "score-debt": "5"})
    client.post(f"/episodes/{episode.id}/needs", data={
        "what_matters_to_me": "Seeing my grandchildren", "score-loneliness": "3"})
    client.post(f"/episodes/{episode.id}/goals", data={"description": "Join a walking group",
                                                         "domain": "loneliness"})
    client.post(f"/api/episodes/{episode.id}/tasks",
                json={"title": "Six-week review", "due_date": "2026-12-30"})
    with app.state.sessionmaker() as session:
        goal_id = session.scalar(select(Goal.id))
    assert client.post(f"/goals/{goal_id}/progress", data={"progress": "2", "note": "Went once"}
                       ).status_code == 303
    client.post(f"/goals/{goal_id}/progress", data={"progress": "3"})
    assert client.post(f"/goals/{goal_id}/progress", data={"progress": "9"}).status_code == 422
    page = client.get(f"/people/{episode.person_id}/plan").text
    assert "Seeing my grandchildren" in page
    assert "3 – Some concern" in page  # the latest scores, with the scale's labels
    assert "Join a walking group" in page and "Started" in page and "Getting there" in page
    assert f'<select class="nhsuk-select" id="progress-{goal_id}"' in page
    assert "Six-week review" in page
    # Amendments are history: the earlier words and both progress steps are still there.
    history = page.split('id="plan-history"')[1]
    assert "Getting back to the allotment" in history and "Went once" in history
    record = client.get(f"/people/{episode.person_id}").text
    assert "Seeing my grandchildren" in record and "some concern" in record
    with (app.state.sessionmaker() as session,
          pytest.raises(Exception),  # noqa: B017 - either engine's trigger error
          session.begin()):
        session.execute(text("UPDATE goal_progress SET progress = 4"))


def test_my_plan_is_plain_printable_and_a_pdf(client, app, login):
    _worker, episode = _episode(app, login)
    client.post(f"/episodes/{episode.id}/needs", data={
        "what_matters_to_me": "Getting back to the allotment", "score-debt": "4"})
    page = client.get(f"/people/{episode.person_id}/my-plan")
    assert page.status_code == 200
    assert "What matters to me" in page.text and "Getting back to the allotment" in page.text
    assert "a serious concern" in page.text
    pdf = client.get(f"/people/{episode.person_id}/my-plan.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"


def test_a_copy_of_my_plan_goes_through_the_outbox_only_with_consent(client, app, login):
    _worker, episode = _episode(app, login)
    client.post(f"/episodes/{episode.id}/needs", data={
        "what_matters_to_me": "Getting back to the allotment", "score-debt": "4"})
    refused = client.post(f"/people/{episode.person_id}/my-plan/send")
    assert "refused=consent" in refused.headers["location"]
    assert "have not agreed" in client.get(refused.headers["location"]).text
    client.post(f"/people/{episode.person_id}/message-consent", data={"consent-email": "yes"})
    sent = client.post(f"/people/{episode.person_id}/my-plan/send")
    assert sent.headers["location"].endswith("saved=plan-sent")
    client.post(f"/people/{episode.person_id}/my-plan/send")  # the same plan: queued once
    with app.state.sessionmaker() as session:
        messages = session.scalars(select(PersonMessage)).all()
    assert [(m.kind, m.channel, m.recipient) for m in messages] == [
        ("plan_copy", "email", "ada@example.org")]
    assert "Getting back to the allotment" in messages[0].personalisation["plan"]


def test_a_new_referral_cannot_be_declined_as_goals_met_or_died(client, app, login):
    with app.state.sessionmaker() as session:
        team = make_team(session)
    login(Role.LINK_WORKER, team_id=team.id)
    with app.state.sessionmaker() as session:
        referral = submit(session, None, email="ada@example.org", interpreter_needed=True,
                          language="Polish")
    page = client.get(f"/referrals/{referral.id}").text
    # Triage sees how to reach the person and in what language, before accepting.
    assert "020 7946 0000" in page and "ada@example.org" in page
    assert "Polish" in page and "Interpreter needed" in page
    assert 'value="goals-met"' not in page and 'value="died"' not in page
    for reason in ("goals-met", "died"):
        refused = client.post(f"/referrals/{referral.id}/decline",
                              data={"version": referral.version, "reason": reason})
        assert refused.status_code == 422
    declined = client.post(f"/referrals/{referral.id}/decline",
                           data={"version": referral.version, "reason": "moved-away"})
    assert declined.headers["location"].endswith("saved=declined")
    assert "Referral declined" in client.get(declined.headers["location"]).text


def test_every_action_ends_on_a_success_banner(client, app, login):
    with app.state.sessionmaker() as session:
        team = make_team(session)
    login(Role.LINK_WORKER, team_id=team.id)
    with app.state.sessionmaker() as session:
        referral = submit(session, None)
    accepted = client.post(f"/referrals/{referral.id}/accept",
                           data={"version": referral.version})
    accepted = client.get(accepted.headers["location"])
    assert "Referral accepted onto the caseload" in accepted.text
    assert 'id="saved-banner"' in accepted.text


def test_the_caseload_marks_a_provider_response_as_new_until_looked_at(client, app, login):
    worker, episode = _episode(app, login)
    with app.state.sessionmaker() as session:
        organization = make_organization(session)
        service = make_service(session, organization)
        with session.begin():
            onward = onward_commands.send_onward_referral(
                session, by=worker, episode_id=episode.id, service_id=service.id,
                reason="loneliness")
    client.get(f"/people/{episode.person_id}")
    assert "Updated since you last looked" not in client.get("/caseload").text
    with app.state.sessionmaker() as session:
        provider = make_user(session, Role.PROVIDER, organization_id=organization.id)
        with session.begin():
            for action in ("accept", "complete"):
                onward = onward_commands.respond_to_onward_referral(
                    session, by=provider, onward_referral_id=onward.id,
                    version=onward.version, action=action,
                    outcome_note="Joined the Tuesday group")
    assert "Updated since you last looked" in client.get("/caseload").text
    plan = client.get(f"/people/{episode.person_id}/plan").text
    assert "Joined the Tuesday group" in plan
    client.get(f"/people/{episode.person_id}")
    assert "Updated since you last looked" not in client.get("/caseload").text


def test_the_caseload_marks_a_colleagues_contact_task_or_goal_progress_as_new(client, app,
                                                                              login):
    worker, episode = _episode(app, login)
    assert _contact(client, episode, "2026-07-13", "15:30", "My own call").status_code == 303
    client.post(f"/episodes/{episode.id}/goals", data={"description": "Join a walking group",
                                                       "domain": "loneliness"})
    client.get(f"/people/{episode.person_id}")
    assert "Updated since you last looked" not in client.get("/caseload").text
    with app.state.sessionmaker() as session:
        colleague = make_user(session, Role.LINK_WORKER, team_id=worker.team_id)
        goal_id = session.scalar(select(Goal.id).where(Goal.episode_id == episode.id))
    changes = [
        # A call a colleague logs today about last week still counts as news today.
        lambda session: commands.record_contact(
            session, by=colleague, episode_id=episode.id, mode="telephone",
            duration_minutes=10, note="Covered while you were away",
            occurred_at=datetime.now(UTC) - timedelta(days=7)),
        lambda session: casework_commands.add_task(
            session, by=colleague, episode_id=episode.id, title="Ring the food bank",
            due_date=date.today() + timedelta(days=3)),
        lambda session: casework_commands.record_goal_progress(
            session, by=colleague, goal_id=goal_id, progress=2, note="Started"),
    ]
    for change in changes:
        with app.state.sessionmaker() as session, session.begin():
            change(session)
        assert "Updated since you last looked" in client.get("/caseload").text
        client.get(f"/people/{episode.person_id}")
        assert "Updated since you last looked" not in client.get("/caseload").text


def test_the_caseload_export_is_my_own_caseload_and_audited(client, app, login):
    _worker, episode = _episode(app, login)
    response = client.get("/caseload/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:2] == ["name", "nhs_number"]
    assert rows[1][0] == "Ada Okafor" and len(rows) == 2
    with app.state.sessionmaker() as session:
        assert session.scalar(select(AuditEvent.id).where(
            AuditEvent.action == "export", AuditEvent.object_type == "caseload")) is not None


def test_the_referrers_list_names_the_person_with_a_colour_per_status(client, app, login):
    with app.state.sessionmaker() as session:
        team = make_team(session)
    referrer = login(Role.REFERRER)
    with app.state.sessionmaker() as session:
        first = submit(session, referrer)
        submit(session, referrer, given_name="Bo", family_name="Lind", nhs_number=None)
        worker = make_user(session, Role.LINK_WORKER, team_id=team.id)
        with session.begin():
            commands.decline_referral(session, by=worker, referral_id=first.id,
                                      version=1, reason="moved-away")
    page = client.get("/referrals").text
    assert "Ada Okafor" in page and "Bo Lind" in page and "Referral 1<" not in page
    assert "nhsuk-tag--red" in page and "nhsuk-tag--blue" in page
    filtered = client.get("/referrals?status=rejected").text
    assert "Ada Okafor" in filtered and "Bo Lind" not in filtered


def test_suggestions_cover_every_need_and_the_directory_is_searchable(client, app, login):
    _worker, episode = _episode(app, login)
    with app.state.sessionmaker() as session:
        organization = make_organization(session)
        for n in range(6):
            make_service(session, organization, name=f"Befriending {n}")
        make_service(session, organization, name="Money advice line",
                     codes=("debt-advice",))
        with session.begin():
            reindex_services(session)
    client.post(f"/episodes/{episode.id}/needs", data={"score-loneliness": "5",
                                                       "score-debt": "3"})
    page = client.get(f"/episodes/{episode.id}/suggestions").text
    assert "Money advice line" in page  # the lower-scored need is not crowded out
    assert "Scored 3 of 5 (some concern)" in page
    found = client.get(f"/episodes/{episode.id}/suggestions", params={"q": "money"})
    assert found.status_code == 200
    results = found.text.split('id="search-results"')[1].split("Suggestions for each")[0]
    assert "Money advice line" in results and "Befriending 0" not in results


def test_onward_referral_from_a_search_result(client, app, login):
    _worker, episode = _episode(app, login)
    with app.state.sessionmaker() as session:
        organization = make_organization(session, name="Citizens Advice")
        service = make_service(session, organization, name="Energy bills help",
                               codes=("energy",))
    sent = client.post(f"/episodes/{episode.id}/onward-referrals", data={
        "service_id": service.id, "reason": "other", "summary": "Bills"})
    assert sent.headers["location"].endswith("saved=onward")
    with app.state.sessionmaker() as session:
        assert session.scalar(select(Referral.id)) is not None
    assert "Onward referral sent" in client.get(sent.headers["location"]).text


def test_plan_pages_are_for_the_holding_team_only(client, app, login):
    _worker, episode = _episode(app, login)
    with app.state.sessionmaker() as session:
        other = make_team(session, name="Greenwich PCN", lad_code="E09000011")
    login(Role.LINK_WORKER, team_id=other.id, email="other@example.org")
    assert client.get(f"/people/{episode.person_id}/plan").status_code == 404
    assert client.get(f"/people/{episode.person_id}/my-plan").status_code == 404
    assert client.post(f"/people/{episode.person_id}/my-plan/send").status_code == 404


def test_dates_are_not_in_the_future(client, app, login):
    _worker, episode = _episode(app, login)
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    assert _contact(client, episode, tomorrow, "10:00", "x").status_code == 422


def test_the_person_api_shows_the_casework_as_the_record_page_does(client, app, login):
    _worker, episode = _episode(app, login)
    client.post(f"/episodes/{episode.id}/needs", data={
        "what_matters_to_me": "Getting back to the allotment", "score-debt": "4"})
    _contact(client, episode, "2026-07-14", "10:00", "Talked about the allotment")
    client.post(f"/episodes/{episode.id}/goals", data={"description": "Join a walking group"})
    client.post(f"/api/episodes/{episode.id}/tasks",
                json={"title": "Six-week review", "due_date": "2026-12-30"})
    starts = datetime.now(UTC) + timedelta(days=3)
    client.post(f"/api/episodes/{episode.id}/appointments", json={
        "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(minutes=30)).isoformat(),
        "kind": "phone", "place": ""})
    body = client.get(f"/api/people/{episode.person_id}").json()
    assert body["what_matters_to_me"][0]["text"] == "Getting back to the allotment"
    assert body["needs"] == [{"domain": "debt", "display": "Debt and money", "score": 4,
                              "label": "A serious concern"}]
    assert body["contacts"][0]["note"] == "Talked about the allotment"
    assert body["contacts"][0]["occurred_at"].startswith("2026-07-14T09:00")
    assert body["goals"][0]["description"] == "Join a walking group"
    assert [t["title"] for t in body["tasks"]] == ["Six-week review"]
    assert body["appointments"][0]["kind"] == "phone"
    schema = client.get("/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(schema["/api/episodes/{episode_id}/tasks"])
    assert {"get", "post"} <= set(schema["/api/episodes/{episode_id}/appointments"])
