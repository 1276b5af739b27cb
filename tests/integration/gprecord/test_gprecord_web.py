"""The administrator's GP messages page: the outbox with its alerts, and practice mailboxes."""

from sqlalchemy import select

from conftest import make_user
from linkwell.gprecord.models import GpMessage, GpPractice
from linkwell.referrals import commands
from referrals_factories import accept, make_team, submit


def _waiting_message(app):
    with app.state.sessionmaker() as session:
        team = make_team(session)
        worker = make_user(session, "link_worker", team_id=team.id, password=None)
        referral = submit(session, make_user(session, "referrer", password=None),
                          nhs_number=None)
        episode = accept(session, worker, referral)
        with session.begin():
            commands.close_episode(session, by=worker, episode_id=episode.id,
                                   version=episode.version, reason="goals-met")


def test_admin_sees_a_waiting_message_and_its_alert(client, app, login):
    _waiting_message(app)
    login("admin")
    page = client.get("/admin/gp-messages")
    assert page.status_code == 200
    assert "1 message needs an administrator" in page.text
    assert "no NHS number" in page.text


def test_admin_adds_a_practice_mailbox(client, app, login):
    login("admin")
    response = client.post("/admin/gp-messages/practices", data={
        "ods_code": "x26", "name": "Test Practice", "mesh_mailbox": "X26ABC2"},
        follow_redirects=False)
    assert response.status_code == 303
    with app.state.sessionmaker() as session:
        practice = session.get(GpPractice, "X26")
        assert (practice.name, practice.mesh_mailbox) == ("Test Practice", "X26ABC2")


def test_a_bad_practice_is_re_rendered_with_field_errors(client, app, login):
    login("admin")
    response = client.post("/admin/gp-messages/practices", data={
        "ods_code": "x", "name": "", "mesh_mailbox": "bad box!"})
    assert response.status_code == 422
    assert "an ODS code is 3 to 10 letters or digits" in response.text
    assert "enter the practice name" in response.text
    with app.state.sessionmaker() as session:
        assert session.scalars(select(GpPractice)).all() == []


def test_the_page_is_for_administrators_only(client, app, login):
    _waiting_message(app)
    login("link_worker")
    assert client.get("/admin/gp-messages").status_code in (403, 404)
    with app.state.sessionmaker() as session:
        assert session.scalars(select(GpMessage)).one().status == "waiting"


def test_the_referrer_gets_a_copy_of_the_summary(client, app, login):
    from linkwell.notifications.models import Notification

    referrer = login("referrer")
    with app.state.sessionmaker() as session:
        team = make_team(session)
        worker = make_user(session, "link_worker", team_id=team.id, password=None)
        referral = submit(session, referrer)
        episode = accept(session, worker, referral)
        with session.begin():
            commands.close_episode(session, by=worker, episode_id=episode.id,
                                   version=episode.version, reason="goals-met")
        message = session.scalars(select(GpMessage)).one()
        [mail] = session.scalars(select(Notification).where(
            Notification.recipient == referrer.email,
            Notification.subject.like("The summary of%"))).all()
    assert f"/gp-messages/{message.id}/summary.pdf" in mail.body
    assert "Ada" not in mail.body
    pdf = client.get(f"/gp-messages/{message.id}/summary.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-type"] == "application/pdf"
    page = client.get(f"/referrals/{referral.id}")
    assert "Summary for the GP" in page.text
    assert f'href="/gp-messages/{message.id}/summary.pdf"' in page.text
    assert "to the GP practice: not sent yet, an administrator has been told" in page.text


def test_someone_elses_summary_is_not_found(client, app, login):
    _waiting_message(app)
    with app.state.sessionmaker() as session:
        message_id = session.scalars(select(GpMessage.id)).one()
    login("referrer")
    assert client.get(f"/gp-messages/{message_id}/summary.pdf").status_code == 404


def test_a_local_code_system_is_served_at_the_url_its_codes_carry(client, app):
    from fhir.resources.R4B.codesystem import CodeSystem

    response = client.get("/fhir/CodeSystem/closure-reason")  # no sign-in: codes, no people
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    resource = CodeSystem.model_validate(response.json())
    assert resource.url == app.state.settings.public_link("/fhir/CodeSystem/closure-reason")
    assert {c.code for c in resource.concept} >= {"goals-met", "declined"}


def test_an_unknown_code_system_is_a_fhir_not_found(client):
    response = client.get("/fhir/CodeSystem/no-such-thing")
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"
    assert response.json()["issue"][0]["code"] == "not-found"


def test_admin_sees_that_an_nhs_number_came_from_a_demographic_match(client, app, login):
    from linkwell.gprecord import commands as gp

    with app.state.sessionmaker() as session:
        team = make_team(session)
        worker = make_user(session, "link_worker", team_id=team.id, password=None)
        referrer = make_user(session, "referrer", password=None)
        known = submit(session, referrer, sex="female")
        referral = submit(session, referrer, sex="female", nhs_number=None)
        episode = accept(session, worker, referral)
        with session.begin():
            for person_id in (known.person_id, referral.person_id):
                gp.register(session, person_id=person_id, practice_ods="X26")
            commands.close_episode(session, by=worker, episode_id=episode.id,
                                   version=episode.version, reason="goals-met")
    login("admin")
    page = client.get("/admin/gp-messages")
    assert "NHS number from the record matching all five demographic items" in page.text
    assert f'href="/people/{known.person_id}"' in page.text
