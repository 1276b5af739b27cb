"""The public "Get advice" page in real headless Chromium: flow, phone size, accessibility."""

import pytest

from advice_fixtures import add_advice_directory
from conftest import axe_violations, make_user, sign_in_browser
from linkwell.db import make_engine, make_sessionmaker
from referrals_factories import accept, make_team, submit

pytestmark = pytest.mark.browser

DONE_WHEN = ("my landlord gave me a section 21 and I'm behind on council tax, "
             "the bailiffs are coming")


@pytest.fixture
def site(browser_settings, live_server):
    engine = make_engine(browser_settings.database_url)
    with make_sessionmaker(engine)() as session, session.begin():
        add_advice_directory(session)
    engine.dispose()
    return live_server.url


def test_get_advice_flow_shows_problem_urgency_and_providers(site, page):
    page.goto(f"{site}/advice")
    assert axe_violations(page) == []
    page.fill("#text", DONE_WHEN)
    page.fill("#postcode", "SE13 5AA")
    page.click("button[type=submit]")
    page.wait_for_selector("#result-heading")
    body = page.inner_text("main")
    assert "This is urgent" in body
    assert "Housing" in body and "Debt" in body
    assert "Lewisham Law Centre" in body
    assert "indication, not legal advice" in body
    assert axe_violations(page) == []

    # The questions adapt: answering "yes" to a notice brings its follow-ups.
    page.check("#a_notice_received-1")
    page.click("button[type=submit]")
    page.wait_for_selector("#a_notice_type")
    page.check("#a_notice_type-1")  # section 21
    page.fill("#a_notice_end_date", "2026-12-31")
    page.click("button[type=submit]")
    page.wait_for_selector("#result-heading")
    main = page.inner_text("main")
    assert "Date your notice says you must leave by" in main
    assert "Thursday 31 December 2026" in main
    assert "What to do today" in main and "mainly about" in main
    assert axe_violations(page) == []


def test_get_advice_errors_are_announced_and_linked(site, page):
    page.goto(f"{site}/advice")
    page.click("button[type=submit]")
    page.wait_for_selector(".nhsuk-error-summary")
    page.click(".nhsuk-error-summary a[href='#text']")
    assert page.evaluate("document.activeElement.id") == "text"
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [375, 1280])
def test_get_advice_puts_the_urgent_case_first_on_a_phone_and_a_desktop(site, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 800},
                                  is_mobile=width < 600, has_touch=width < 600)
    page = context.new_page()
    try:
        page.goto(f"{site}/advice")
        page.fill("#text", "PIP stopped and the bailiffs are coming about council tax")
        page.fill("#postcode", "SE13 5AA")
        page.click("button[type=submit]")
        page.wait_for_selector("#result-heading")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator("#text").bounding_box()["width"] <= width
        main = page.inner_text("main")
        assert main.index("This is urgent") < main.index("What we think the problem is")
        assert "What to do today" in main
        assert axe_violations(page) == []
    finally:
        context.close()


@pytest.fixture
def caseload(browser_settings, site):
    engine = make_engine(browser_settings.database_url)
    with make_sessionmaker(engine)() as session:
        team = make_team(session)
        worker = make_user(session, "link_worker", email="lw@example.org", team_id=team.id)
        referrer = make_user(session, "referrer", password=None)
        episode = accept(session, worker, submit(session, referrer, reasons=("housing",)))
    engine.dispose()
    return episode


def test_link_worker_triages_saves_and_sees_urgent_case(site, page, caseload):
    sign_in_browser(page, site, "lw@example.org")
    page.goto(f"{site}/episodes/{caseload.id}/advice")
    assert axe_violations(page) == []
    page.fill("#text", DONE_WHEN)
    page.fill("#postcode", "SE13 5AA")
    page.click("button:has-text('Continue')")
    page.wait_for_selector("#result-heading")
    assert page.locator("button:has-text('Send warm referral')").count() >= 1
    assert axe_violations(page) == []
    page.click("button:has-text('Save to the person')")
    page.wait_for_url(f"{site}/advice/cases")
    assert "Urgent" in page.inner_text("main")
    assert axe_violations(page) == []
