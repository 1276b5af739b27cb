"""``auth.policy.caseload_condition`` (used for the outbox list) gives the same answers as
``can_manage_caseload`` for every kind of user and episode."""

from sqlalchemy import select, update

from conftest import make_user
from linkwell.auth import policy
from linkwell.auth.roles import Role
from linkwell.referrals.models import Episode
from referrals_factories import accept, make_team, submit


def test_the_sql_condition_matches_the_row_check(session):
    team, other = make_team(session), make_team(session, name="Other PCN")
    worker = make_user(session, Role.LINK_WORKER, team_id=team.id)
    users = [worker, make_user(session, Role.LINK_WORKER, team_id=other.id),
             make_user(session, Role.LINK_WORKER), make_user(session, Role.ADMIN),
             make_user(session, Role.REFERRER), make_user(session, Role.PROVIDER)]
    episodes = [accept(session, worker, submit(session, None, given_name=name))
                for name in ("Ada", "Bo", "Cy")]
    with session.begin():
        session.execute(update(Episode).where(Episode.id == episodes[1].id)
                        .values(team_id=other.id))
        session.execute(update(Episode).where(Episode.id == episodes[2].id)
                        .values(team_id=None))
        teams = dict(session.execute(select(Episode.id, Episode.team_id)).all())
    assert set(teams.values()) == {team.id, other.id, None}
    for user in users:
        with session.begin():
            found = set(session.scalars(select(Episode.id).where(
                policy.caseload_condition(user, Episode))))
        for episode_id, team_id in teams.items():
            assert (episode_id in found) == policy.can_manage_caseload(user, team_id), (
                user.roles, team_id)
