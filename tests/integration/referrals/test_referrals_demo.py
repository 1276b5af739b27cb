"""Demo referrals: every stage of the loop, made through the real commands."""

from datetime import date

from sqlalchemy import func, select

from linkwell.auth.demo import create_demo_users
from linkwell.referrals.demo import PEOPLE, create_demo_referrals
from linkwell.referrals.models import OnwardReferral, Referral
from referrals_factories import make_organization, make_service


def test_demo_referrals_cover_the_loop(session):
    org = make_organization(session)
    make_service(session, org)
    with session.begin():
        create_demo_users(session, provider_organization_id=org.id)
        summary = create_demo_referrals(session, today=date(2026, 3, 2))
    assert summary.startswith(f"{len(PEOPLE)} people referred")
    statuses = set(session.scalars(select(OnwardReferral.status)))
    assert statuses == {"requested", "accepted", "in-progress", "completed"}
    assert session.scalar(select(func.count()).select_from(Referral).where(
        Referral.status == "requested")) == 2


def test_demo_referrals_without_users_are_skipped(session):
    with session.begin():
        assert create_demo_referrals(session, today=date(2026, 3, 2)).startswith("skipped")
