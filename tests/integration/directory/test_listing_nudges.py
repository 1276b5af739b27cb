"""Organisations are nudged by e-mail about listings nobody has checked: once per period,
to their providers, and those with nobody to ask are reported for an invitation."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from conftest import invoke_cli, make_user
from linkwell.db import transaction
from linkwell.directory.listings import nudge_unchecked_listings
from linkwell.directory.models import ListingNudge, Organization, Service
from linkwell.notifications.models import Notification
from search_fixtures import ORG, TODAY, add_all, uid

NOW = datetime.combine(TODAY, datetime.min.time(), tzinfo=UTC)
LINK = "https://linkwell.example/provider/services"


def _nudge(session_factory, now=NOW):
    with transaction(session_factory) as session:
        return nudge_unchecked_listings(session, today=TODAY, stale_after_days=365,
                                        every_days=30, link=LINK, now=now)


def _setup(session_factory):
    with transaction(session_factory) as session:
        add_all(session)
        session.add(Organization(id=uid("quiet"), name="Quiet Club", description="Quiet"))
        session.flush()
        session.add(Service(id=uid("never"), organization_id=uid("quiet"), name="Never checked",
                            status="active"))
        # Everything the fixture's organisation lists goes unchecked for two years.
        for service in session.scalars(select(Service).where(Service.organization_id == ORG)):
            service.assured_date = TODAY - timedelta(days=730)
    with session_factory() as session:
        make_user(session, "provider", organization_id=ORG, email="lead@trust.example.org")
        make_user(session, "provider", organization_id=ORG, email="deputy@trust.example.org")


def test_providers_are_nudged_once_per_period_and_the_unreachable_reported(session_factory):
    _setup(session_factory)
    report = _nudge(session_factory)

    assert report.sent == ["Lewisham Community Trust"]
    assert report.nobody_to_ask == [(uid("quiet"), "Quiet Club")]
    with session_factory() as session:
        messages = session.execute(select(Notification.recipient, Notification.subject,
                                          Notification.body)).all()
        stale = session.scalar(select(func.count()).select_from(Service).where(
            Service.organization_id == ORG))
    assert sorted(m.recipient for m in messages) == ["deputy@trust.example.org",
                                                     "lead@trust.example.org"]
    assert all(m.subject == f"{stale} of Lewisham Community Trust's listings need checking"
               and LINK in m.body for m in messages)

    again = _nudge(session_factory, now=NOW + timedelta(days=29))
    assert again.sent == [] and again.recently_nudged == ["Lewisham Community Trust"]
    later = _nudge(session_factory, now=NOW + timedelta(days=31))
    assert later.sent == ["Lewisham Community Trust"]
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Notification)) == 4
        assert session.get(ListingNudge, ORG).sent_at == NOW + timedelta(days=31)


def test_a_checked_listing_is_not_nudged(session_factory):
    _setup(session_factory)
    with transaction(session_factory) as session:
        for service in session.scalars(select(Service)):
            service.assured_date = TODAY
    report = _nudge(session_factory)
    assert report.sent == [] and report.nobody_to_ask == []


def test_the_nudge_command_says_whom_to_invite(session_factory, database_url, monkeypatch):
    _setup(session_factory)
    result = invoke_cli(monkeypatch, "directory", "nudge", database_url=database_url,
                        public_url="https://linkwell.example")
    assert result.exit_code == 0, result.output
    assert "Nudged 1 organisations" in result.output
    assert f"Quiet Club: https://linkwell.example/organisations/{uid('quiet')}/invitations" in (
        result.output)
