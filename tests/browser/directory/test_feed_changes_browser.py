"""The administrator's review of feed changes held by a sync, in real headless Chromium at
phone and desktop widths."""

import pytest

from conftest import axe_violations, make_user, sideways_scroll_on_a_phone, sign_in_browser
from linkwell.auth.roles import Role
from linkwell.db import make_engine, make_sessionmaker, utcnow
from linkwell.directory.models import FeedChange, FeedSync, Organization, Service

ORG = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
SERVICE = "00000000-0000-4000-8000-000000000001"
FEED = "https://directory.some-long-council-name.example.gov.uk/open-referral/api/v3"


@pytest.fixture
def site(browser_settings, live_server):
    engine = make_engine(browser_settings.database_url)
    factory = make_sessionmaker(engine)
    with factory() as session, session.begin():
        session.add(Organization(id=ORG, name="Riverside Community Association",
                                 description="Community centre"))
        session.flush()
        session.add(Service(id=SERVICE, organization_id=ORG, name="Lunch club",
                            status="active", email="bookings@riverside.example"))
        session.flush()
        session.add_all([
            FeedChange(service_id=SERVICE, field="email",
                       local_value="bookings@riverside.example",
                       incoming_value="old-address-for-the-lunch-club@riverside.example",
                       feed_url=FEED, found_at=utcnow()),
            FeedSync(feed_url=FEED, last_synced_at=utcnow(), services_read=120,
                     fields_held=1)])
    with factory() as session:
        admin = make_user(session, Role.ADMIN)
    yield live_server.url, factory, admin.email
    engine.dispose()


@pytest.mark.parametrize("width", [375, 1280])
def test_an_administrator_keeps_the_providers_value(site, page, width):
    url, factory, admin_email = site
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_browser(page, url, admin_email)
    page.goto(f"{url}/admin/feed-changes")
    assert page.inner_text("h1") == "Feed changes to review"
    assert "old-address-for-the-lunch-club@riverside.example" in page.inner_text("main")
    assert axe_violations(page) == [] and sideways_scroll_on_a_phone(page) == 0

    page.click("button:has-text('Keep the local value')")
    assert "No feed changes are waiting" in page.inner_text("main")
    assert axe_violations(page) == [] and sideways_scroll_on_a_phone(page) == 0
    with factory() as session:
        assert session.get(Service, SERVICE).email == "bookings@riverside.example"
