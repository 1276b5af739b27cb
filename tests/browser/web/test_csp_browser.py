"""The Content-Security-Policy in real headless Chromium: the main pages work under it and
the browser reports no violation (no inline script or style, no script from elsewhere)."""

import pytest

from conftest import make_user, sign_in_browser
from linkwell.db import make_engine, make_sessionmaker
from referrals_factories import make_team

pytestmark = pytest.mark.browser

# Each page records what the browser refused, before any of its own scripts run.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""
@pytest.fixture
def users(browser_settings, live_server):
    engine = make_engine(browser_settings.database_url)
    with make_sessionmaker(engine)() as session:
        team = make_team(session)
        make_user(session, "link_worker", email="lw@example.org", team_id=team.id)
        make_user(session, "evaluator", email="evaluator@example.org")
    engine.dispose()


def _violations(page, console: list[str]) -> list[str]:
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__csp") + [m for m in console
                                            if "Content Security Policy" in m]


def test_main_pages_work_with_no_csp_violation(page, live_server, users):
    page.add_init_script(RECORD_VIOLATIONS)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))

    for path in ("/find", "/login", "/advice"):
        page.goto(f"{live_server.url}{path}")
        assert _violations(page, console) == [], path
    # The design system's scripts ran (from files): the body is marked for them.
    assert "nhsuk-frontend-supported" in page.get_attribute("body", "class")

    # htmx still swaps in results, and adds no <style> of its own.
    page.goto(f"{live_server.url}/find")
    page.fill("#search", "befriending")
    page.click("button:has-text('Search')")
    page.wait_for_selector("#results-heading")
    assert page.locator("head style").count() == 0
    assert _violations(page, console) == []

    sign_in_browser(page, live_server.url, "lw@example.org")
    page.goto(f"{live_server.url}/caseload")
    assert _violations(page, console) == [], "/caseload"

    sign_in_browser(page, live_server.url, "evaluator@example.org")
    page.goto(f"{live_server.url}/evaluation")
    assert _violations(page, console) == [], "/evaluation"



def test_api_docs_render_swagger_ui_under_the_policy(page, live_server):
    """/docs is our page around Swagger UI from this server: it renders the API's operations
    with no script or style refused."""
    page.add_init_script(RECORD_VIOLATIONS)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{live_server.url}/docs")
    page.wait_for_selector("#swagger-ui .opblock-summary")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("h1") == "Linkwell JSON API"
    assert page.locator("main:not([role=none])").count() == 1
    assert _violations(page, console) == []
