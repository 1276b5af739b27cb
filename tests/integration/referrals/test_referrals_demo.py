"""Demo referrals: every stage of the loop, made through the real commands."""

from datetime import date

from sqlalchemy import func, select

from linkwell.referrals.demo import PEOPLE, create_demo_referrals
from linkwell.referrals.models import OnwardReferral, Referral
from referrals_factories import demo_referrals


def test_demo_referrals_cover_the_loop(session):
    summary = demo_referrals(session, date(2026, 3, 2))
    assert summary.startswith(f"{len(PEOPLE)} people referred")
    statuses = set(session.scalars(select(OnwardReferral.status)))
    assert statuses == {"requested", "accepted", "in-progress", "completed"}
    assert session.scalar(select(func.count()).select_from(Referral).where(
        Referral.status == "requested")) == 2


def test_demo_referrals_without_users_are_skipped(session):
    with session.begin():
        assert create_demo_referrals(session, today=date(2026, 3, 2)).startswith("skipped")


def test_demo_measures_give_baselines_to_the_caseload_and_change_to_those_further_along(
        session):
    from linkwell.audit.models import AuditEvent
    from linkwell.outcomes.demo import create_demo_measures
    from linkwell.outcomes.models import Measure
    from linkwell.referrals.models import Episode, Person

    today = date(2026, 3, 2)
    demo_referrals(session, today)
    with session.begin():
        summary = create_demo_measures(session, today=today)
    assert summary.startswith("10 baseline and 4 later measures")
    by_person = {}
    for given, timepoint, on in session.execute(
            select(Person.given_name, Measure.timepoint, Measure.measured_on)
            .join(Episode, Episode.id == Measure.episode_id)
            .join(Person, Person.id == Episode.person_id)):
        by_person.setdefault(given, set()).add((timepoint, on <= today))
    assert set(by_person) == {"Ben", "Chioma", "Dev", "Elena", "Femi"}
    assert by_person["Dev"] == {("baseline", True), ("follow_up", True)}
    assert by_person["Elena"] == {("baseline", True), ("closure", True)}
    assert by_person["Ben"] == {("baseline", True)}
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.object_type == "measure", AuditEvent.action == "create")) == 14


def test_demo_measures_without_the_demo_worker_are_skipped(session):
    from linkwell.outcomes.demo import create_demo_measures

    with session.begin():
        assert create_demo_measures(session, today=date(2026, 3, 2)).startswith("skipped")


def test_demo_plans_are_dated_as_the_story_happened(session):
    """What matters, needs and the goal are recorded at the first contact, not when the
    demo was loaded, so each plan's history reads in the order of the story."""
    from datetime import timedelta

    from linkwell.referrals.models import Episode, EpisodeContact, Goal, NeedsAssessment

    demo_referrals(session, date(2026, 3, 2))
    first_contact = dict(session.execute(
        select(EpisodeContact.episode_id, func.min(EpisodeContact.occurred_at))
        .group_by(EpisodeContact.episode_id)).all())
    assert first_contact
    for episode_id, assessed in session.execute(
            select(NeedsAssessment.episode_id, NeedsAssessment.assessed_at)):
        assert first_contact[episode_id] <= assessed <= first_contact[episode_id] + timedelta(
            hours=2)
    for episode_id, agreed in session.execute(select(Goal.episode_id, Goal.agreed_at)):
        opened = session.get(Episode, episode_id).opened_at
        assert opened <= agreed < opened + timedelta(days=2)
