"""/insights in real headless Chromium: a commissioner filters by PCN and downloads a CSV;
axe finds nothing and the page fits a 375 px phone."""

import csv
import io
from pathlib import Path

import pytest

from conftest import axe_violations, make_user, sideways_scroll_on_a_phone, sign_in_browser
from insights_factories import seed, seed_measures
from linkwell.db import make_engine, make_sessionmaker
from linkwell.evaluation.disclosure import CONFIDENTIAL, SUPPRESSED, THRESHOLD

pytestmark = pytest.mark.browser


@pytest.fixture
def site(browser_settings, live_server):
    engine = make_engine(browser_settings.database_url)
    with make_sessionmaker(engine)() as session:
        seeded = seed(session, n=200)
        seed_measures(session)
        commissioner = make_user(session, "commissioner")
    engine.dispose()
    return live_server.url, commissioner, seeded


@pytest.mark.parametrize("width", [375, 1280])
def test_commissioner_filters_by_pcn_and_downloads_the_csv(site, page, width):
    url, commissioner, seeded = site
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_browser(page, url, commissioner.email)
    page.goto(f"{url}/insights")
    main = page.inner_text("main")
    for heading in ("Referrals in, by source", "Did-not-attend rate", "Community outcomes",
                    "Person outcomes: wellbeing before and after", "Cost per person"):
        assert heading in main
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.select_option("#filter-pcn", label="North PCN")
    page.click("button:text('Show figures')")
    page.wait_for_url(f"**/insights?*pcn={seeded.teams['North PCN'].id}*")
    main = page.inner_text("main")
    assert "In summary" in main and "Counts under 10 are shown" in main
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert sideways_scroll_on_a_phone(page) == 0
    with page.expect_download() as info:
        page.click("a:text('Download “Referrals in, by source” as CSV')")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Source", "Code", "Referrals"]
    assert rows[1:] and all(r[2] in (SUPPRESSED, CONFIDENTIAL) or int(r[2]) >= THRESHOLD
                            for r in rows[1:])
    north = [f for f in seeded.referrals if f["team"] == "North PCN"]
    shown = {r[1]: int(r[2]) for r in rows[1:] if r[2].isdigit()}
    assert all(n == sum(f["source"] == code for f in north) for code, n in shown.items())
