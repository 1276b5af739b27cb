"""The system-outcomes upload in real headless Chromium: an administrator uploads a practice's
pseudonymised counts; a file with a bad line is refused whole with each line's reason, then the
corrected file is imported. axe finds nothing and the page fits a 375 px phone."""

import pytest

from conftest import (
    axe_violations,
    make_settings,
    make_user,
    sideways_scroll_on_a_phone,
    sign_in_browser,
)
from insights_factories import months_around, nhs_number, referred_people, seed
from linkwell.db import make_engine, make_sessionmaker
from linkwell.insights import pseudonyms

pytestmark = pytest.mark.browser

KEY = "the key this service shares with its practices"


@pytest.fixture
def browser_settings(sqlite_url):
    return make_settings(sqlite_url, pseudonym_key=KEY)


@pytest.fixture
def site(browser_settings, live_server):
    engine = make_engine(browser_settings.database_url)
    with make_sessionmaker(engine)() as session:
        seed(session, n=60)
        (_, number, referred), = referred_people(session, 1)
        admin = make_user(session, "admin")
    engine.dispose()
    return live_server.url, admin, number, referred


@pytest.mark.parametrize("width", [375, 1280])
def test_an_administrator_uploads_pseudonymised_counts(site, page, tmp_path, width):
    url, admin, number, referred = site
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_browser(page, url, admin.email)
    page.goto(f"{url}/insights/system-outcomes")
    assert "linkwell insights pseudonym" in page.inner_text("main")
    assert axe_violations(page) == []
    known = (f"{pseudonyms.pseudonym(number, KEY)},gp-appointments,"
             f"{months_around(referred, True)},3\n")
    stranger = (f"{pseudonyms.pseudonym(nhs_number(900), KEY)},gp-appointments,"
                f"{months_around(referred, True)},1\n")
    bad = tmp_path / "bad.csv"
    bad.write_text(f"pseudonym,measure,period,count\n{known}{stranger}")
    page.set_input_files("#file", str(bad))
    page.click("button:text('Import')")
    summary = page.inner_text(".nhsuk-error-summary")
    assert "Nothing was imported" in summary
    assert "Line 3: No referred person has this pseudonym" in summary
    assert "Line 2" not in summary
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert sideways_scroll_on_a_phone(page) == 0
    good = tmp_path / "good.csv"
    good.write_text(f"pseudonym,measure,period,count\n{known}")
    page.set_input_files("#file", str(good))
    page.click("button:text('Import')")
    assert "Imported 1 line for 1 person." in page.inner_text("main")
    assert page.locator(".nhsuk-error-summary").count() == 0
