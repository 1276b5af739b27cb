"""/evaluation in real headless Chromium: an evaluator runs the evaluation, the page follows
the background run with htmx and shows the figures; commissioners read it; axe finds nothing."""


import pytest

from conftest import axe_violations, make_user, sideways_scroll_on_a_phone, sign_in_browser
from evaluation_factories import simulated_cohort
from linkwell.db import make_engine, make_sessionmaker

pytestmark = pytest.mark.browser


@pytest.fixture
def site(browser_settings, live_server):
    engine = make_engine(browser_settings.database_url)
    with make_sessionmaker(engine)() as session:
        simulated_cohort(session, people=300, seed=3)
        users = {role: make_user(session, role) for role in ("evaluator", "commissioner")}
    engine.dispose()
    return live_server.url, users


def test_evaluator_runs_the_evaluation_and_reads_it(site, page):
    url, users = site
    sign_in_browser(page, url, users["evaluator"].email)
    page.click("a:text('Evaluation')")
    page.wait_for_url("**/evaluation")
    assert "No evaluation has been run yet" in page.inner_text("main")
    assert axe_violations(page) == []
    page.click("button:text('Run the evaluation')")
    page.wait_for_selector("text=Wellbeing before and after", timeout=60_000)
    main = page.inner_text("main")
    assert "unsuppressed aggregates" in main and "Short WEMWBS" in main
    assert axe_violations(page) == []
    page.click("text=Full report with charts, map and methods")
    page.wait_for_selector("#methods")


def test_commissioner_reads_suppressed_figures(site, page, browser_settings):
    from linkwell.evaluation import runs

    url, users = site
    engine = make_engine(browser_settings.database_url)
    factory = make_sessionmaker(engine)
    with factory() as session, session.begin():
        run, _ = runs.start(session, by=users["evaluator"])
    runs.execute(factory, run.id)
    engine.dispose()
    sign_in_browser(page, url, users["commissioner"].email)
    page.goto(f"{url}/evaluation")
    main = page.inner_text("main")
    assert "Counts under 10 are shown" in main
    assert "Run the evaluation" not in main
    assert axe_violations(page) == []
    assert sideways_scroll_on_a_phone(page) == 0  # its tables fold into cards
