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
