"""``linkwell directory sync``: another ORUK feed's changes since the last sync, all or nothing,
with changes to fields that providers edited here held for an administrator's review."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from conftest import invoke_cli, make_user
from linkwell.audit.models import AuditEvent
from linkwell.db import transaction
from linkwell.directory import listings, transfer
from linkwell.directory import sync as directory_sync
from linkwell.directory.feeds import FeedError
from linkwell.directory.models import FeedChange, FeedSync, Metadata, Phone, Service
from linkwell.directory.search_index import ServiceSearch
from linkwell.directory.sync import decide_change, sync_feed
from linkwell.errors import Conflict, InvalidInput
from oruk_feed_standin import OrukFeedStandIn

ORGANIZATION_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
JANUARY = "2026-01-31T09:00:00Z"


def _id(n: int, k: int = 0) -> str:
    return f"00000000-{k:04d}-4000-8000-{n:012d}"


def service(n: int, *, name: str | None = None, email: str | None = None,
            phone: str = "020 7946 0001", modified: str = JANUARY) -> dict:
    """Service number n of the remote feed, compiled HSDS."""
    return {
        "id": _id(n), "name": name or f"Lunch club {n}", "status": "active",
        "description": "Hot lunches on weekdays", "email": email or f"club{n}@example.org",
        "assured_date": "2026-01-31", "last_modified": modified,
        "organization": {"id": ORGANIZATION_ID, "name": "Riverside Community Association",
                         "description": "Community centre"},
        "phones": [{"id": _id(n, 1), "number": phone}],
        "schedules": [], "service_at_locations": [],
    }


@pytest.fixture
def feed():
    stand_in = OrukFeedStandIn([service(n) for n in range(1, 6)]).start()
    yield stand_in
    stand_in.stop()


def sync(session_factory, feed, **options):
    with httpx.Client() as client, transaction(session_factory) as session:
        return sync_feed(session, client, feed.url, per_page=2, **options)


def later(minutes: int = 5) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def names(session_factory) -> dict[str, str]:
    with session_factory() as session:
        return dict(session.execute(select(Service.id, Service.name)).all())


def test_first_sync_reads_everything_and_the_next_only_what_changed(session_factory, feed):
    report = sync(session_factory, feed)
    assert report.services == 5 and report.modified_after is None
    assert len(names(session_factory)) == 5
    with session_factory() as session:
        state = session.get(FeedSync, feed.url)
        assert state.services_read == 5
        first_synced = state.last_synced_at
        assert session.scalar(select(func.count()).select_from(ServiceSearch)) == 5
    # Pages asked for full services: no request per service.
    assert not [r for r in feed.requests if r.startswith("/api/services/")]

    feed.put([service(2, name="Lunch club two", modified=later())])
    feed.requests.clear()
    report = sync(session_factory, feed)

    assert report.services == 1
    assert report.modified_after is not None
    assert all("modified_after=" in r for r in feed.requests)
    assert names(session_factory)[_id(2)] == "Lunch club two"
    with session_factory() as session:
        assert session.get(FeedSync, feed.url).last_synced_at > first_synced


def test_a_feed_without_full_pages_is_read_service_by_service(session_factory, feed):
    feed.honours_full = False
    assert sync(session_factory, feed).services == 5
    assert len([r for r in feed.requests if r.startswith("/api/services/")]) == 5
    assert len(names(session_factory)) == 5


def test_full_reads_everything_again(session_factory, feed):
    sync(session_factory, feed)
    assert sync(session_factory, feed, full=True).services == 5


def _snapshot(session_factory):
    with session_factory() as session:
        return (names(session_factory),
                [(s.feed_url, s.last_synced_at) for s in session.scalars(select(FeedSync))],
                session.scalar(select(func.count()).select_from(Metadata)))


@pytest.mark.parametrize("failure", ["outage", "not json", "invalid record"])
def test_a_sync_that_fails_on_page_two_changes_nothing_and_says_why(session_factory, feed,
                                                                    failure, monkeypatch):
    sync(session_factory, feed)
    before = _snapshot(session_factory)
    # Batches of a page: page 1 (services 1 and 2) is written before page 2 fails.
    monkeypatch.setattr(transfer, "SERVICE_BATCH", 2)
    monkeypatch.setattr(directory_sync, "BATCH", 2)
    written = []
    feed.put([service(n, name=f"Renamed {n}", modified=later()) for n in range(1, 6)])
    if failure == "outage":
        feed.fail_on_page, expected = 2, r"/services\?.*page=2: HTTP 500"
    elif failure == "not json":
        feed.broken_page, expected = 2, "not JSON"
    else:
        feed.put([{**service(3, modified=later()), "email": "not an email"}])
        expected = "invalid"

    with pytest.raises((FeedError, InvalidInput), match=expected):
        sync(session_factory, feed, progress=written.append)

    assert written[:1] == [2]
    assert _snapshot(session_factory) == before


@pytest.fixture
def edited(session_factory, feed):
    """The feed synced once, then the provider of its organisation edited service 1's email
    and phone here."""
    sync(session_factory, feed)
    with session_factory() as session:
        provider = make_user(session, "provider", organization_id=ORGANIZATION_ID)
    with transaction(session_factory) as session:
        mine = listings.listing(session, by=provider, service_id=_id(1))
        listings.edit(session, by=provider, service_id=_id(1), version=mine.version,
                      values={**mine.values, "email": "bookings@riverside.example",
                              "phone": "020 7946 0555"})
    return provider


def test_a_feed_change_to_a_field_the_provider_edited_waits_for_review(session_factory, feed,
                                                                       edited):
    feed.put([service(1, name="Riverside lunch club", email="old@riverside.example",
                      phone="020 7946 0999", modified=later())])

    report = sync(session_factory, feed)

    assert report.held == 2
    with session_factory() as session:
        kept = session.get(Service, _id(1))
        assert kept.name == "Riverside lunch club"  # not edited here: applied
        assert kept.email == "bookings@riverside.example"  # edited here: held
        assert session.scalars(select(Phone.number).where(
            Phone.service_id == _id(1))).all() == ["020 7946 0555"]
        held = {c.field: (c.local_value, c.incoming_value, c.status, c.feed_url)
                for c in session.scalars(select(FeedChange))}
        assert held == {
            "email": ("bookings@riverside.example", "old@riverside.example", "pending",
                      feed.url),
            "phone": ("020 7946 0555", "020 7946 0999", "pending", feed.url)}
        # The provider's edit history survives the import of the feed's service object.
        assert session.scalar(select(func.count()).select_from(Metadata).where(
            Metadata.updated_by.like("linkwell-user:%"))) == 2

    # The same change found again updates the pending one, not a second row.
    feed.put([service(1, name="Riverside lunch club", email="older@riverside.example",
                      phone="020 7946 0999", modified=later(10))])
    sync(session_factory, feed)
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(FeedChange)) == 2
        assert session.scalar(select(FeedChange.incoming_value).where(
            FeedChange.field == "email")) == "older@riverside.example"


def test_accepting_takes_the_feeds_value_and_keeping_is_not_asked_again(session_factory,
                                                                        feed, edited):
    feed.put([service(1, email="old@riverside.example", phone="020 7946 0999",
                      modified=later())])
    sync(session_factory, feed)
    with session_factory() as session:
        admin = make_user(session, "admin")
        ids = dict(session.execute(select(FeedChange.field, FeedChange.id)).all())
    with transaction(session_factory) as session:
        decide_change(session, by=admin, change_id=ids["email"], accept=True)
        decide_change(session, by=admin, change_id=ids["phone"], accept=False)
    with session_factory() as session:
        assert session.get(Service, _id(1)).email == "old@riverside.example"
        assert session.scalars(select(Phone.number).where(
            Phone.service_id == _id(1))).all() == ["020 7946 0555"]

    # The feed sends the service again with the same phone and a new email: the email is the
    # feed's again (accepted), the phone was already decided.
    feed.put([service(1, email="new@riverside.example", phone="020 7946 0999",
                      modified=later(10))])
    report = sync(session_factory, feed)
    assert report.held == 0 and report.kept == 1
    with session_factory() as session:
        assert session.get(Service, _id(1)).email == "new@riverside.example"
        assert session.scalars(select(Phone.number).where(
            Phone.service_id == _id(1))).all() == ["020 7946 0555"]


def test_administrators_review_on_the_page_each_decision_audited(app, client, login, feed):
    factory = app.state.sessionmaker
    sync(factory, feed)
    with factory() as session:
        provider = make_user(session, "provider", organization_id=ORGANIZATION_ID)
    with transaction(factory) as session:
        mine = listings.listing(session, by=provider, service_id=_id(1))
        listings.edit(session, by=provider, service_id=_id(1), version=mine.version,
                      values={**mine.values, "email": "bookings@riverside.example"})
    feed.put([service(1, email="old@riverside.example", modified=later())])
    sync(factory, feed)
    with factory() as session:
        change_id = session.scalar(select(FeedChange.id))

    assert client.get("/admin/feed-changes", follow_redirects=False).status_code == 401
    login("provider", organization_id=ORGANIZATION_ID)
    assert client.get("/admin/feed-changes").status_code == 403
    assert client.post(f"/admin/feed-changes/{change_id}",
                       data={"decision": "accept"}).status_code == 403
    admin = login("admin")
    page = client.get("/admin/feed-changes")
    assert page.status_code == 200
    assert "bookings@riverside.example" in page.text and "old@riverside.example" in page.text
    assert feed.url in page.text

    assert client.post(f"/admin/feed-changes/{change_id}", data={"decision": "accept"},
                       headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert client.post(f"/admin/feed-changes/{change_id}",
                       data={"decision": "maybe"}).status_code == 422
    with factory() as session:
        assert session.get(FeedChange, change_id).status == "pending"
    assert client.post("/admin/feed-changes/999999",
                       data={"decision": "accept"}).status_code == 404
    response = client.post(f"/admin/feed-changes/{change_id}", data={"decision": "accept"},
                           follow_redirects=False)
    assert response.status_code == 303
    assert "No feed changes are waiting" in client.get("/admin/feed-changes").text
    with factory() as session:
        assert session.get(Service, _id(1)).email == "old@riverside.example"
        events = session.execute(select(AuditEvent.action, AuditEvent.object_type).where(
            AuditEvent.actor_id == admin.id, AuditEvent.object_type == "feed_change")).all()
        assert ("read", "feed_change") in events and ("update", "feed_change") in events
        # Decided once: deciding again is refused.
    assert client.post(f"/admin/feed-changes/{change_id}",
                       data={"decision": "keep"}).status_code == 404


def test_the_command_syncs_and_a_failure_says_it_changed_nothing(database_url, monkeypatch,
                                                                 feed, session_factory):
    result = invoke_cli(monkeypatch, "directory", "sync", feed.url, database_url=database_url)
    assert result.exit_code == 0, result.output
    assert f"Synced 5 services (all) from {feed.url}." in result.output
    feed.put([service(n, name=f"Renamed {n}", modified=later()) for n in range(1, 6)])
    feed.fail_on_page = 1
    result = invoke_cli(monkeypatch, "directory", "sync", feed.url)
    assert result.exit_code == 2
    assert "the sync failed and changed nothing" in result.output
    assert "HTTP 500" in result.output
    result = invoke_cli(monkeypatch, "directory", "sync", "ftp://example.org")
    assert result.exit_code == 2
    result = invoke_cli(monkeypatch, "directory", "sync", feed.url + "/x" * 300)
    assert result.exit_code == 2 and "longer than 500" in result.output
    assert "Renamed 1" not in names(session_factory).values()


def test_a_held_change_goes_when_the_feed_agrees_again(session_factory, feed, edited):
    feed.put([service(1, email="old@riverside.example", modified=later())])
    sync(session_factory, feed)
    feed.put([service(1, email="bookings@riverside.example", modified=later(10))])
    sync(session_factory, feed)
    with session_factory() as session:
        # The phone the provider edited still differs from the feed's: still held.
        assert session.scalars(select(FeedChange.field)).all() == ["phone"]
        assert session.get(Service, _id(1)).email == "bookings@riverside.example"


def test_accepting_is_refused_when_the_provider_edited_the_field_again(session_factory, feed,
                                                                       edited):
    feed.put([service(1, email="old@riverside.example", modified=later())])
    sync(session_factory, feed)
    with transaction(session_factory) as session:
        mine = listings.listing(session, by=edited, service_id=_id(1))
        listings.edit(session, by=edited, service_id=_id(1), version=mine.version,
                      values={**mine.values, "email": "desk@riverside.example"})
    with session_factory() as session:
        admin = make_user(session, "admin")
        change_id = session.scalar(select(FeedChange.id).where(FeedChange.field == "email"))
    with pytest.raises(Conflict), transaction(session_factory) as session:
        decide_change(session, by=admin, change_id=change_id, accept=True)
    with session_factory() as session:
        assert session.get(Service, _id(1)).email == "desk@riverside.example"
        assert session.get(FeedChange, change_id).status == "pending"


def test_the_command_in_a_process_of_its_own_holds_a_providers_edit(database_url, feed,
                                                                    edited, session_factory):
    """``linkwell directory sync`` as cron runs it: a fresh interpreter that imports only
    what the command needs (it once failed at its first held change, on the foreign key to
    ``users`` that no imported model defined)."""
    feed.put([service(1, email="old@riverside.example", modified=later())])

    done = subprocess.run(
        [str(Path(sys.executable).parent / "linkwell"), "directory", "sync", feed.url],
        env={**os.environ, "LINKWELL_DATABASE_URL": database_url},
        capture_output=True, text=True, check=False)

    assert done.returncode == 0, done.stderr
    assert "2 changes to fields providers edited here wait for review" in done.stdout
    with session_factory() as session:
        assert sorted(session.scalars(select(FeedChange.field))) == ["email", "phone"]
