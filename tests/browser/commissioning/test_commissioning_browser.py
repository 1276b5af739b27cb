"""The public accountability page in real headless Chromium: as-of picker, answer, accessibility."""

import pytest

from conftest import axe_violations, make_user, sideways_scroll_on_a_phone, sign_in_browser
from linkwell.commissioning import demo
from linkwell.db import make_engine, make_sessionmaker

pytestmark = pytest.mark.browser


@pytest.fixture
def site(browser_settings, live_server):
    engine = make_engine(browser_settings.database_url)
    with make_sessionmaker(engine)() as session, session.begin():
        demo.load_demo(session)
    engine.dispose()
    return live_server.url


def test_public_page_has_no_serious_accessibility_violations(site, page):
    page.goto(f"{site}/accountability/{demo.SLUG}")
    assert page.inner_text("h1") == "Health Inequality Strategy \u2014 social prescribing (2018/19)"
    assert axe_violations(page) == []


def test_as_of_picker_shows_the_position_on_the_day_of_the_question(site, page):
    page.goto(f"{site}/accountability")
    page.click(f'a[href="/accountability/{demo.SLUG}"]')
    page.fill("#as_of", "2019-01-17")
    page.click("text=Show this date")
    page.wait_for_url("**as_of=2019-01-17")
    assert "The position as of 17 January 2019." in page.inner_text("main")
    assert page.locator(".nhsuk-tag--red").count() == 0
    page.click("text=Read this as a plain-English answer")
    page.wait_for_url("**/answer?as_of=2019-01-17")
    body = page.inner_text("main")
    assert "work commissioned has a known value of £86,000" in body
    assert axe_violations(page) == []


def test_public_pages_are_accessible_and_fit_a_phone(site, page):
    for path in ("/accountability", f"/accountability/{demo.SLUG}",
                 f"/accountability/{demo.SLUG}/answer"):
        page.goto(f"{site}{path}")
        assert axe_violations(page) == [], path
        assert sideways_scroll_on_a_phone(page) == 0, f"{path} scrolls sideways on a phone"


def test_commissioner_edits_a_commission_in_the_browser(site, page, browser_settings):
    engine = make_engine(browser_settings.database_url)
    with make_sessionmaker(engine)() as session:
        user = make_user(session, "commissioner")
    engine.dispose()
    sign_in_browser(page, site, user.email)
    page.wait_for_url("**/commissioning")
    assert axe_violations(page) == []
    assert sideways_scroll_on_a_phone(page) == 0
    page.click(f'a[href="/commissioning/{demo.SLUG}"]')
    assert axe_violations(page) == []
    assert sideways_scroll_on_a_phone(page) == 0
    page.click('a:has-text("Change"):has-text("Look at the role of housing associations")')
    assert axe_violations(page) == []
    page.fill("#value", "-1")
    page.click("button:has-text('Save')")
    assert "cannot be negative" in page.inner_text(".nhsuk-error-summary")
    assert axe_violations(page) == []
    page.fill("#value", "12,000")
    page.fill("#valid_from", "2019-06-01")
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**/commissioning/{demo.SLUG}")
    page.goto(f"{site}/accountability/{demo.SLUG}")
    assert "£88,000" in page.inner_text("main")
