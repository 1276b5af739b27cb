"""What a referrer sees (issue #13, finding 9; ADR 0012): the referral it sent, its status and
outcome, as the PRSB message back to the referrer carries them, and none of the casework."""

from datetime import UTC, datetime

import pytest

from access_fixtures import signed_in, use
from conftest import make_user
from linkwell.referrals import commands, onward_commands
from referrals_factories import accept, make_organization, make_service, make_team, submit

CASEWORK = ("Hidden goal text", "Hidden service", "Hidden organisation", "of 5")


@pytest.fixture
def supported(session):
    """A referral accepted, worked on (contact, needs, goal, onward referral) and closed."""
    team = make_team(session)
    referrer = make_user(session, "referrer", password=None)
    worker = make_user(session, "link_worker", team_id=team.id, password=None)
    service = make_service(session, make_organization(session, "Hidden organisation"),
                           name="Hidden service")
    referral = submit(session, referrer, notes="Sent by the referrer")
    episode = accept(session, worker, referral)
    with session.begin():
        commands.record_contact(session, by=worker, episode_id=episode.id,
                                occurred_at=datetime(2026, 1, 5, 12, tzinfo=UTC),
                                mode="telephone", duration_minutes=40, note="Hidden note")
        commands.record_needs_assessment(session, by=worker, episode_id=episode.id,
                                         what_matters_to_me="Hidden words",
                                         scores={"loneliness": 4})
        commands.agree_goal(session, by=worker, episode_id=episode.id,
                            description="Hidden goal text")
        onward_commands.send_onward_referral(session, by=worker, episode_id=episode.id,
                                             service_id=service.id, reason="loneliness")
    with session.begin():
        episode = commands.load_episode(session, by=worker, episode_id=episode.id)
        commands.close_episode(session, by=worker, episode_id=episode.id,
                               version=episode.version, reason="goals-met")
    return {"referral": referral.id, "person": referral.person_id,
            "referrer": signed_in(session, referrer), "worker": signed_in(session, worker)}


def test_the_referrer_sees_its_referral_and_its_outcome_not_the_casework(client, supported):
    use(client, supported["referrer"])
    page = client.get(f"/people/{supported['person']}")
    assert page.status_code == 200
    assert "Sent by the referrer" in page.text and "Completed" in page.text
    assert [m for m in CASEWORK if m in page.text] == []

    record = client.get(f"/api/people/{supported['person']}").json()
    assert [r["id"] for r in record["referrals"]] == [supported["referral"]]
    assert record["episodes"] == [] and record["onward_referrals"] == []
    assert {t["kind"] for t in record["timeline"]} == {"status"}
    outcome = record["timeline"][0]
    assert outcome["text"].endswith("→ completed (goals-met)")

    referral = client.get(f"/api/referrals/{supported['referral']}").json()
    assert [e["to_status"] for e in referral["events"]][-1] == "completed"
    bundle = client.get(f"/fhir/ServiceRequest/referral-{supported['referral']}/$export").json()
    tasks = [e["resource"]["id"] for e in bundle["entry"]
             if e["resource"]["resourceType"] == "Task"]
    assert tasks == [f"referral-task-{supported['referral']}"]  # its own Task, no onward Tasks


def test_the_link_worker_still_sees_the_whole_casework(client, supported):
    use(client, supported["worker"])
    page = client.get(f"/people/{supported['person']}")
    assert [m for m in CASEWORK if m in page.text] == list(CASEWORK)
    record = client.get(f"/api/people/{supported['person']}").json()
    assert len(record["episodes"]) == len(record["onward_referrals"]) == 1
    bundle = client.get(f"/fhir/ServiceRequest/referral-{supported['referral']}/$export").json()
    assert sum(e["resource"]["resourceType"] == "Task" for e in bundle["entry"]) == 2
