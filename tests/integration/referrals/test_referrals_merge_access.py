"""Issue #13, finding 1: after two records of one person are merged, each team still sees
only its own casework, and a merged id reveals nothing to someone who may not see it."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from conftest import make_user, sign_in
from linkwell.audit.models import AuditEvent
from linkwell.referrals import commands, onward_commands
from linkwell.referrals.models import PossibleDuplicate, Referral
from referrals_factories import accept, make_organization, make_service, make_team, submit


def _casework(session, worker, episode, mark):
    """A contact, "what matters to me" with scores, a goal and an onward referral."""
    service = make_service(session, make_organization(session, f"{mark} organisation"),
                           name=f"{mark} service")
    with session.begin():
        commands.record_contact(session, by=worker, episode_id=episode.id,
                                occurred_at=datetime(2026, 1, 5, 12, tzinfo=UTC), mode="telephone",
                                duration_minutes=37, note=f"{mark} contact note")
        commands.record_needs_assessment(session, by=worker, episode_id=episode.id,
                                         what_matters_to_me=f"{mark} what matters",
                                         scores={"loneliness": 4})
        commands.agree_goal(session, by=worker, episode_id=episode.id,
                            description=f"{mark} goal", domain_code=None)
        onward_commands.send_onward_referral(session, by=worker, episode_id=episode.id,
                                             service_id=service.id, reason="loneliness")


@pytest.fixture
def merged(session):
    """Team 1 supports Ada; team 2's referrer refers her again (a possible duplicate, routed
    to team 2), team 2 records its casework, and an administrator settles "same person"."""
    team1, team2 = make_team(session, "Team one", "E09000023"), make_team(
        session, "Team two", "E09000011")
    users = {
        "referrer1": make_user(session, "referrer"),
        "worker1": make_user(session, "link_worker", team_id=team1.id),
        "referrer2": make_user(session, "referrer"),
        "worker2": make_user(session, "link_worker", team_id=team2.id),
        "admin": make_user(session, "admin"),
    }
    first = submit(session, users["referrer1"], nhs_number=None, notes="TEAM1 referral notes")
    episode1 = accept(session, users["worker1"], first)
    _casework(session, users["worker1"], episode1, "TEAM1")
    second = submit(session, users["referrer2"], nhs_number=None, notes="TEAM2 referral notes")
    with session.begin():  # routed to team 2 (its borough), as geography would
        session.execute(update(Referral).where(Referral.id == second.id)
                        .values(team_id=team2.id))
        second = session.get(Referral, second.id)
    episode2 = accept(session, users["worker2"], second)
    _casework(session, users["worker2"], episode2, "TEAM2")
    flag = session.scalars(select(PossibleDuplicate)).one()
    kept, merged_id = first.person_id, second.person_id
    session.commit()
    with session.begin():
        survivor = commands.decide_possible_duplicate(session, by=users["admin"],
                                                      flag_id=flag.id, same_person=True)
    assert survivor.id == kept
    return {**users, "kept": kept, "merged": merged_id,
            "episodes": {"TEAM1": episode1.id, "TEAM2": episode2.id}}


MARKERS = ("referral notes", "goal", "service", "organisation")


def _leaks(text: str, team: str) -> list[str]:
    return [m for m in MARKERS if f"{team} {m}" in text]


@pytest.mark.parametrize(("viewer", "own", "other"), [
    ("worker1", "TEAM1", "TEAM2"), ("worker2", "TEAM2", "TEAM1")])
def test_a_link_worker_sees_only_its_own_teams_casework_after_a_merge(
        client, merged, viewer, own, other):
    sign_in(client, merged[viewer].email)
    page = client.get(f"/people/{merged['kept']}")
    assert page.status_code == 200
    assert _leaks(page.text, other) == []
    assert _leaks(page.text, own) == list(MARKERS)  # the team's own casework is all there

    record = client.get(f"/api/people/{merged['kept']}").json()
    assert [e["id"] for e in record["episodes"]] == [merged["episodes"][own]]
    assert {o["episode_id"] for o in record["onward_referrals"]} == {merged["episodes"][own]}
    kinds = [t["kind"] for t in record["timeline"]]
    assert (kinds.count("contact"), kinds.count("goal"), kinds.count("episode")) == (1, 1, 1)
    assert not any(other in t["text"] for t in record["timeline"])


@pytest.mark.parametrize(("viewer", "other"), [("referrer1", "TEAM2"), ("referrer2", "TEAM1")])
def test_a_referrer_sees_no_other_teams_casework_after_a_merge(client, merged, viewer, other):
    sign_in(client, merged[viewer].email)
    page = client.get(f"/people/{merged['kept']}")
    assert page.status_code == 200
    assert _leaks(page.text, other) == []
    record = client.get(f"/api/people/{merged['kept']}").json()
    assert record["episodes"] == [] and record["onward_referrals"] == []


def test_a_merged_id_redirects_only_those_who_may_see_the_surviving_record(
        client, merged, session):
    sign_in(client, merged["worker2"].email)
    moved = client.get(f"/people/{merged['merged']}", follow_redirects=False)
    assert moved.status_code == 303
    assert moved.headers["location"] == f"/people/{merged['kept']}"

    outsider = make_user(session, "link_worker",
                         team_id=make_team(session, "Team three", "E09000022").id)
    sign_in(client, outsider.email)
    refused = client.get(f"/people/{merged['merged']}", follow_redirects=False)
    never_existed = client.get("/people/999999", follow_redirects=False)
    assert refused.status_code == never_existed.status_code == 404
    assert "location" not in refused.headers
    session.commit()
    denied = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "denied", AuditEvent.object_type == "person",
        AuditEvent.object_id == str(merged["merged"]))).all()
    assert len(denied) == 1
