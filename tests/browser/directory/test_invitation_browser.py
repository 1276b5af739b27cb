"""A provider invited by e-mail signs up, edits a service, and search finds the change, in
real headless Chromium at phone and desktop widths."""

import pytest
import sqlalchemy as sa

from conftest import (
    TEST_PASSWORD,
    axe_violations,
    make_user,
    sideways_scroll_on_a_phone,
    sign_in_browser,
)
from linkwell.auth.roles import Role
from linkwell.db import make_engine, make_sessionmaker
from linkwell.notifications.models import Notification
from search_fixtures import BEFRIEND, ORG, add_all


@pytest.fixture
def site(browser_settings, live_server):
    engine = make_engine(browser_settings.database_url)
    factory = make_sessionmaker(engine)
    with factory() as session, session.begin():
        add_all(session)
    with factory() as session:
        admin = make_user(session, Role.ADMIN)
    yield live_server.url, factory, admin.email
    engine.dispose()


@pytest.mark.parametrize("width", [375, 1280])
def test_an_invited_provider_signs_up_edits_a_listing_and_search_finds_it(site, page, width):
    url, factory, admin_email = site
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_browser(page, url, admin_email)
    page.goto(f"{url}/admin/organisations?search=Lewisham+Community")
    page.click(f'a[href="/organisations/{ORG}/invitations"]')
    page.fill("#email", "volunteer.lead@trust.example.org")
    page.click("button:has-text('Send invitation')")
    assert "The invitation is on its way" in page.inner_text("#sent")
    assert axe_violations(page) == [] and sideways_scroll_on_a_phone(page) == 0
    with factory() as session:
        body = session.scalars(sa.select(Notification.body)).one()
    link = next(line for line in body.splitlines() if "/invitations/accept?token=" in line)

    page.context.clear_cookies()  # the colleague opens the e-mail on their own device
    page.goto(url + link[link.index("/invitations/"):])
    assert axe_violations(page) == [] and sideways_scroll_on_a_phone(page) == 0
    page.click("button:has-text('Create account')")  # empty: every field is named
    summary = page.wait_for_selector(".nhsuk-error-summary")
    assert "Enter your name" in summary.inner_text()
    assert page.title().startswith("Error: Create your") and "Error: Error" not in page.title()
    page.fill("#email", "volunteer.lead@trust.example.org")
    page.fill("#display_name", "Robin Shaw")
    page.fill("#password", TEST_PASSWORD)
    page.click("button:has-text('Create account')")
    assert page.inner_text("h1") == "Your account is ready"

    sign_in_browser(page, url, "volunteer.lead@trust.example.org")
    page.goto(f"{url}/provider/services")
    page.click(f'a[href="/provider/services/{BEFRIEND}/edit"]')
    assert axe_violations(page) == [] and sideways_scroll_on_a_phone(page) == 0
    page.fill("#opens_WE", "18:00")  # one time alone: the summary's link finds the other
    page.click("button:has-text('Save changes')")
    page.click(".nhsuk-error-summary a[href='#closes_WE']")
    assert page.evaluate("document.activeElement.id") == "closes_WE"
    page.fill("#closes_WE", "20:00")
    page.fill("#name", "Millfield Friendship Circle")
    page.click("button:has-text('Save changes')")
    assert "searchable now" in page.inner_text("#saved")

    page.goto(f"{url}/find?postcode=SE13+5AA&search=friendship+circle")
    page.wait_for_selector("#results-heading")
    assert "Millfield Friendship Circle" in page.inner_text("#result-list")
