"""Find support in real headless Chromium: search, keyboard use, errors, accessibility (the
map has its own tests, in test_find_map_browser.py)."""

import pytest

from conftest import axe_violations, sideways_scroll_on_a_phone
from linkwell.db import make_engine, make_sessionmaker
from search_fixtures import BEFRIEND, BEFRIENDING, CITIZENS, FAR, add_all


@pytest.fixture
def site(browser_settings, live_server):
    engine = make_engine(browser_settings.database_url)
    with make_sessionmaker(engine)() as session, session.begin():
        add_all(session)
    engine.dispose()
    return live_server.url


def test_find_by_postcode_and_need_shows_results_and_map(site, page):
    page.goto(f"{site}/find")
    page.fill("#postcode", "se13 5aa")
    page.select_option("#need", BEFRIENDING)
    page.click("button[type=submit]")
    page.wait_for_selector("#results-heading")
    assert page.inner_text("#results-heading") == "1 service found"
    assert page.locator(f'a[href="/services/{BEFRIEND}"]').is_visible()
    assert "miles away" in page.inner_text("#result-list")
    assert page.locator(".lw-map__marker text").all_text_contents() == ["1"]
    assert "postcode=se13+5aa" in page.url


def test_find_form_works_from_the_keyboard(site, page):
    page.goto(f"{site}/find")
    page.focus("a.nhsuk-skip-link")
    order = []
    for _ in range(12):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
        if order[-1] == "postcode":
            break
    assert order[-1] == "postcode", order
    page.keyboard.type("SE13 5AA")
    fields = []
    for _ in range(7):
        page.keyboard.press("Tab")
        fields.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
    assert fields == ["need", "search", "age", "day", "open_now", "distance", "BUTTON"]
    page.focus("#search")
    page.keyboard.type("benifits")
    page.keyboard.press("Enter")
    page.wait_for_selector("#results-heading")
    assert page.locator(f'a[href="/services/{CITIZENS}"]').count() == 1


def test_find_invalid_postcode_shows_the_error_summary(site, page):
    page.goto(f"{site}/find")
    page.fill("#postcode", "not a postcode")
    page.keyboard.press("Enter")
    summary = page.wait_for_selector(".nhsuk-error-summary")
    assert "Enter a full UK postcode" in summary.inner_text()
    page.click(".nhsuk-error-summary a[href='#postcode']")
    assert page.evaluate("document.activeElement.id") == "postcode"
    assert page.title().startswith("Error:")


def test_find_works_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/find")
    page.fill("#postcode", "SE13 5AA")
    page.click("button[type=submit]")
    page.wait_for_selector("#results-heading")
    assert "/find?" in page.url
    assert page.locator(".lw-map svg").count() == 1
    context.close()


def test_find_and_service_pages_have_no_serious_accessibility_violations(site, page):
    page.goto(f"{site}/find?postcode=SE13+5AA&distance=5")
    page.wait_for_selector("#results-heading")
    assert axe_violations(page) == []
    page.goto(f"{site}/find?postcode=nonsense")
    assert axe_violations(page) == []
    page.goto(f"{site}/services/{BEFRIEND}")
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [375, 1280])
def test_find_unknown_postcode_suggests_and_an_outcode_searches_its_area(site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{site}/find")
    page.fill("#postcode", "SE13 5ZZ")
    page.keyboard.press("Enter")
    summary = page.wait_for_selector(".nhsuk-error-summary")
    assert "We could not find SE13 5ZZ. Did you mean SE13 5AA?" in summary.inner_text()
    page.fill("#postcode", "SE13")
    page.keyboard.press("Enter")
    page.wait_for_selector("#area")
    assert "centre of the SE13 postcode area" in page.inner_text("#area")
    assert sideways_scroll_on_a_phone(page) == 0


@pytest.mark.parametrize("width", [375, 1280])
def test_find_widens_and_says_so(site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{site}/find?postcode=SE13+5AA&search=greenwich&distance=2")
    assert "Nothing within 2 miles, showing within 5 miles" in page.inner_text("#widened")
    assert page.locator(f'a[href="/services/{FAR}"]').is_visible()
    assert sideways_scroll_on_a_phone(page) == 0
