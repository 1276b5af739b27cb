"""In the demo, closing an episode puts a message for the person's practice in the outbox."""

from datetime import date

from sqlalchemy import select

from linkwell.auth.demo import create_demo_users
from linkwell.auth.models import User
from linkwell.gprecord.demo import create_demo_practices
from linkwell.gprecord.models import GpMessage
from linkwell.referrals import commands
from linkwell.referrals.demo import LINK_WORKER, create_demo_referrals
from linkwell.referrals.models import Episode, Person
from referrals_factories import make_organization, make_service


def test_demo_closing_an_episode_queues_a_message_for_the_practice(session):
    org = make_organization(session)
    make_service(session, org)
    with session.begin():
        create_demo_users(session, provider_organization_id=org.id)
        create_demo_referrals(session, today=date(2026, 3, 2))
        create_demo_practices(session)
    # The demo's closed episode belongs to a person with no NHS number: held, with the alert.
    [held] = session.scalars(select(GpMessage)).all()
    assert held.status == "waiting" and "no NHS number" in held.alert
    session.rollback()

    worker = session.scalar(select(User).where(User.email == LINK_WORKER))
    episode = session.scalar(select(Episode).join(Person, Person.id == Episode.person_id)
                             .where(Person.given_name == "Dev"))
    session.rollback()
    with session.begin():
        commands.close_episode(session, by=worker, episode_id=episode.id, version=None,
                               reason="goals-met")
    message = session.scalars(select(GpMessage).order_by(GpMessage.id.desc())).first()
    assert (message.kind, message.status, message.practice_ods, message.mailbox) == (
        "closure", "queued", "X26", "X26ABC2")
