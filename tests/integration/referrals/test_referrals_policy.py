"""``auth.policy``: the row predicates and the SQL conditions give the same answers."""

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from conftest import make_user
from linkwell.auth import policy
from linkwell.referrals import onward_commands
from linkwell.referrals.models import Episode, OnwardReferral, Referral
from referrals_factories import accept, make_organization, make_service, make_team, submit


@pytest.fixture
def scene(session):
    team_a, team_b = make_team(session, "A", "E09000023"), make_team(session, "B", "E09000011")
    org_a, org_b = make_organization(session, "Org A"), make_organization(session, "Org B")
    service_a, service_b = make_service(session, org_a), make_service(session, org_b)
    users = {
        "referrer": make_user(session, "referrer", password=None),
        "worker_a": make_user(session, "link_worker", team_id=team_a.id, password=None),
        "worker_b": make_user(session, "link_worker", team_id=team_b.id, password=None),
        "provider_a": make_user(session, "provider", organization_id=org_a.id, password=None),
        "provider_b": make_user(session, "provider", organization_id=org_b.id, password=None),
        "commissioner": make_user(session, "commissioner", password=None),
        "evaluator": make_user(session, "evaluator", password=None),
        "admin": make_user(session, "admin", password=None),
        "both": make_user(session, "referrer", roles=["referrer", "provider"],
                          organization_id=org_b.id, password=None),
    }
    referral = submit(session, users["referrer"])
    episode = accept(session, users["worker_a"], referral)
    with session.begin():
        for service in (service_a, service_b):
            onward_commands.send_onward_referral(
                session, by=users["worker_a"], episode_id=episode.id,
                service_id=service.id, reason="loneliness")
    submit(session, users["both"], nhs_number=None)
    return users


def test_policy_referral_predicate_matches_sql_condition(session, scene):
    referrals = session.scalars(select(Referral)).all()
    for name, user in scene.items():
        by_sql = set(session.scalars(select(Referral.id).where(
            policy.referral_condition(user, Referral))))
        by_row = {r.id for r in referrals if policy.can_view_referral(user, r)}
        assert by_sql == by_row, name


def test_policy_onward_predicate_matches_sql_condition(session, scene):
    rows = session.execute(select(OnwardReferral, Episode.team_id).join(
        Episode, Episode.id == OnwardReferral.episode_id)).all()
    for name, user in scene.items():
        by_sql = set(session.scalars(select(OnwardReferral.id).join(
            Episode, Episode.id == OnwardReferral.episode_id).where(
            policy.onward_referral_condition(user, OnwardReferral, Episode))))
        by_row = {o.id for o, team in rows if policy.can_view_onward_referral(user, o, team)}
        assert by_sql == by_row, name


def test_policy_casework_predicate_matches_sql_condition(session, scene):
    with session.begin():  # one episode of no team, as before any team exists
        session.add(Episode(person_id=session.scalars(select(Referral.person_id)).first(),
                            referral_id=session.scalars(select(Referral.id)).all()[-1],
                            team_id=None))
    episodes = session.scalars(select(Episode)).all()
    assert {e.team_id is None for e in episodes} == {True, False}
    for name, user in scene.items():
        by_sql = set(session.scalars(select(Episode.id).where(
            policy.casework_condition(user, Episode))))
        by_row = {e.id for e in episodes if policy.can_view_casework(user, e)}
        assert by_sql == by_row, name


def test_policy_only_the_holding_team_and_administrators_see_casework(session, scene):
    episode = session.scalars(select(Episode)).one()
    seen = {name for name, user in scene.items() if policy.can_view_casework(user, episode)}
    assert seen == {"worker_a", "admin"}  # never the referrer (ADR 0012), nor a provider


def test_policy_provider_sees_only_own_organisation(session, scene):
    visible = set(session.scalars(select(OnwardReferral.organization_id).join(
        Episode, Episode.id == OnwardReferral.episode_id).where(
        policy.onward_referral_condition(scene["provider_a"], OnwardReferral, Episode))))
    assert visible == {scene["provider_a"].organization_id}


def test_policy_commissioner_and_evaluator_see_no_personal_data(session, scene):
    for name in ("commissioner", "evaluator"):
        user = scene[name]
        assert not policy.sees_personal_data(user)
        assert session.scalars(select(Referral.id).where(
            policy.referral_condition(user, Referral))).all() == []


def test_policy_no_user_sees_nothing():
    anonymous = SimpleNamespace(roles=frozenset(), id=None, team_id=None, organization_id=None)
    assert not policy.can_view_referral(anonymous, SimpleNamespace(referrer_id=None, team_id=1))
