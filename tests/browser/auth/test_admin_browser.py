"""The administrator's pages in headless Chromium: accessible, and usable on a phone."""

import pytest

from conftest import axe_violations, make_user, sideways_scroll_on_a_phone, sign_in_browser
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
    sign_in_browser(page, live_server.url, "admin@example.org")
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


def test_admin_adds_an_organisation_and_finds_it_from_the_user_form(page, live_server, admin):
    sign_in_browser(page, live_server.url, "admin@example.org")
    page.goto(f"{live_server.url}/admin/organisations")
    assert axe_violations(page) == []
    assert sideways_scroll_on_a_phone(page) == 0
    page.fill("#name", "Lewisham Medical Centre")
    page.fill("#ods_code", "G85001")
    page.click("button:has-text('Add organisation')")
    # The new user form opens with the practice chosen.
    assert page.inner_text("h1") == "Add a user"
    assert page.locator("#organization_id option:checked").inner_text() == (
        "Lewisham Medical Centre (G85001)")
    assert axe_violations(page) == []
    # Typing in the search swaps in the matching organisations (htmx), keeping the choice.
    with page.expect_response("**/admin/organisations/options?**"):
        page.fill("#organisation_search", "befriending")
    # Before the swap the list is by name (Befriending, then Medical Centre); after it the
    # current choice leads.
    page.wait_for_function("document.querySelectorAll('#organization_id option')[1]"
                           ".textContent.startsWith('Lewisham Medical Centre')")
    options = page.locator("#organization_id option").all_inner_texts()
    assert options[:3] == ["No organisation", "Lewisham Medical Centre (G85001)",
                           "Lewisham Befriending and Community Connections"]
    page.select_option("#organization_id", label="Lewisham Befriending and Community "
                                                 "Connections")
    page.fill("#display_name", "Sam Provider")
    page.fill("#email", "sam@befriending.example")
    page.check("#role-provider")
    page.click("button:has-text('Add user')")
    assert page.locator("#organization_id option:checked").inner_text() == (
        "Lewisham Befriending and Community Connections")
