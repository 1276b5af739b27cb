"""Factories for outcome tests: a team, its link worker, and an episode with a first contact."""

import uuid
from datetime import UTC, date, datetime, time

from linkwell.auth import commands as auth_commands
from linkwell.auth.roles import Role
from linkwell.referrals.models import Episode, EpisodeContact, Person, Referral


def make_team(session, name=None):
    with session.begin():
        return auth_commands.create_team(session, by=None,
                                         name=name or f"PCN {uuid.uuid4().hex[:6]}")


def make_episode(session, *, team_id=None, opened_on=date(2026, 1, 5),
                 first_contact_on: date | None = date(2026, 1, 5)) -> Episode:
    """A person referred and accepted onto the caseload, optionally with a first contact."""
    opened_at = datetime.combine(opened_on, time(9, 0), tzinfo=UTC)
    with session.begin():
        person = Person(given_name="Ada", family_name="Example", birth_date=date(1960, 2, 1),
                        match_key=f"example-{uuid.uuid4().hex}")
        session.add(person)
        session.flush()
        referral = Referral(person_id=person.id, source="gp", reasons=["loneliness"],
                            consent_to_share=True, consent_recorded_at=opened_at,
                            status="in-progress", team_id=team_id)
        session.add(referral)
        session.flush()
        episode = Episode(person_id=person.id, referral_id=referral.id, team_id=team_id,
                          opened_at=opened_at)
        session.add(episode)
        session.flush()
        if first_contact_on is not None:
            contact_at = datetime.combine(first_contact_on, time(10, 0), tzinfo=UTC)
            session.add(EpisodeContact(episode_id=episode.id, occurred_at=contact_at,
                                       mode="telephone", duration_minutes=30))
            episode.last_contact_at = contact_at
    return episode


def make_link_worker(session, team_id):
    from conftest import make_user

    return make_user(session, Role.LINK_WORKER, team_id=team_id)
