"""The administrator's pages in headless Chromium: accessible, and usable on a phone."""

import pytest

from conftest import TEST_PASSWORD, axe_violations, make_user, sideways_scroll_on_a_phone
from linkwell.db import make_engine, make_sessionmaker
from referrals_factories import make_organization, make_team

pytestmark = pytest.mark.browser


@pytest.fixture
def admin(browser_settings, live_server):
    engine = make_engine(browser_settings.database_url)
    with make_sessionmaker(engine)() as session:
        team = make_team(session, name="Lewisham and Greenwich North Primary Care Network")
        org = make_organization(session, "Lewisham Befriending and Community Connections")
        make_user(session, "link_worker", email="a.very.long.address.for.a.link.worker@lewisham"
                  "-and-greenwich.nhs.example", display_name="Oluwaseun Adebayo-Richardson",
                  team_id=team.id)
        make_user(session, "provider", email="provider@example.org",
                  organization_id=org.id)
        make_user(session, "admin", email="admin@example.org")
    engine.dispose()


def test_admin_pages_pass_axe_and_fit_a_phone(page, live_server, admin):
    page.goto(f"{live_server.url}/login")
    page.fill("#email", "admin@example.org")
    page.fill("#password", TEST_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.goto(f"{live_server.url}/admin/users/1")  # a read the audit trail then shows

    for path, heading in [("/admin/users", "Users"), ("/admin/teams", "Link-worker teams"),
                          ("/admin/audit", "Audit trail"),
                          ("/admin/instruments", "Wellbeing instruments")]:
        page.goto(f"{live_server.url}{path}")
        assert page.inner_text("h1") == heading
        assert axe_violations(page) == [], path
        assert sideways_scroll_on_a_phone(page) == 0, f"{path} scrolls sideways on a phone"
    assert "Oluwaseun Adebayo-Richardson" in page.goto(
        f"{live_server.url}/admin/users").text()
