"""Every page each kind of user can reach, found by following links (never listed by hand), in
headless Chromium: axe-core (WCAG 2.2 A and AA, and its best practices) finds nothing, the
page fits a 320 px screen, no link shown to someone answers 404 or 403 to them, and every
form sent empty comes back with the one error pattern (summary whose links land on a field
that names the same error, "Error:" in the title).

The crawl is bounded: URLs are grouped by pattern (numbers and ids replaced, query values
dropped) and each role visits at most ``MAX_PAGES`` patterns. A form that may be sent empty
says so by rule: a GET form (search, filters), one with nothing that can be left empty (a
button such as "Sign out", or lists whose every option is an answer), or one marked
``data-accepts-empty`` in its template.
"""

import re
import shutil
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from conftest import AXE_SOURCE, LiveServer, make_settings
from linkwell.db import make_engine, make_sessionmaker
from referrals_factories import make_organization, make_service

pytestmark = pytest.mark.browser

MAX_PAGES = 30  # patterns per role: enough for every page kind, bounded in time
NARROWEST = 320  # CSS pixels: WCAG 1.4.10 reflow
# WCAG 2.2 A and AA, and axe's best practices (such as every part of a page being in a
# landmark, so that screen-reader users who move by landmarks miss nothing).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
ROLES = {
    "anonymous": None,
    "referrer": "gp@linkwell.example",
    "link_worker": "linkworker@linkwell.example",
    "provider": "provider@linkwell.example",
    "commissioner": "commissioner@linkwell.example",
    "evaluator": "evaluator@linkwell.example",
    "admin": "admin@linkwell.example",
}
# Not pages: data, feeds and files a link offers for download; their status is still checked.
NOT_PAGES = re.compile(r"\.(csv|json|ics|pdf)$|^/(api|fhir|oruk|static|openapi)")
ID_SEGMENT = re.compile(r"^(\d+|[0-9a-f]{8,}(-[0-9a-f]{4,})*|[0-9a-f-]{32,36})$", re.I)


def _pattern(url: str) -> str:
    parts = urlsplit(url)
    path = "/".join("{id}" if ID_SEGMENT.match(s) else s for s in parts.path.split("/"))
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return path + ("?" + "&".join(keys) if keys else "")


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)

    def add(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")


@pytest.fixture(scope="module")
def site(sqlite_template, tmp_path_factory, browser):
    """One server for the module, with the demo's people, referrals, tasks, appointments,
    measures, programme and GP practices, so pages with ids exist."""
    from linkwell.auth.demo import create_demo_users
    from linkwell.casework.demo import create_demo_casework
    from linkwell.commissioning import demo as commissioning_demo
    from linkwell.gprecord.demo import create_demo_practices
    from linkwell.outcomes.demo import create_demo_measures
    from linkwell.referrals.demo import create_demo_referrals
    from linkwell.web.app import create_app

    path = tmp_path_factory.mktemp("crawl") / "crawl.db"
    shutil.copy(sqlite_template, path)
    settings = make_settings(f"sqlite:///{path}")
    engine = make_engine(settings.database_url)
    factory = make_sessionmaker(engine)
    with factory() as session:
        org = make_organization(session, "Lewisham Befriending")
        make_service(session, org, "Befriending calls")
        make_service(session, org, "Walking group")
    today = date.today()
    with factory() as session, session.begin():
        create_demo_users(session, provider_organization_id=org.id)
        create_demo_referrals(session, today=today)
        create_demo_casework(session, today=today)
        create_demo_measures(session, today=today)
        commissioning_demo.load_demo(session)
        create_demo_practices(session)
    engine.dispose()
    app = create_app(settings)
    with LiveServer(app) as server:
        yield server
    app.state.engine.dispose()


def _sign_in(page, base: str, email: str | None) -> str:
    from linkwell.auth.demo import DEMO_PASSWORD

    page.context.clear_cookies()
    if email is None:
        page.goto(f"{base}/")
        return page.url
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()
    assert "/login" not in page.url, f"{email} could not sign in"
    return page.url


def _axe(page) -> list[str]:
    """WCAG 2.2 A and AA violations and best practices; a third party's widget marked
    ``data-third-party`` (Swagger UI on /docs) is left out here and named in the accessibility
    statement instead."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate("async (tags) => await axe.run({exclude: [['[data-third-party]']]}, "
                           "{runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [f"{v['id']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
            for v in result["violations"]]


def _too_wide(page) -> int:
    size = page.viewport_size
    page.set_viewport_size({"width": NARROWEST, "height": 720})
    width = page.evaluate("""() => new Promise(resolve => requestAnimationFrame(() =>
        requestAnimationFrame(() => resolve(document.scrollingElement.scrollWidth
                                            - window.innerWidth))))""")
    page.set_viewport_size(size)
    return max(0, width)


LINKS_AND_FORMS = """() => ({
  links: [...document.querySelectorAll('a[href]')].map(a => a.href),
  forms: [...document.forms].map((f, index) => ({
    index, method: (f.getAttribute('method') || 'get').toLowerCase(), action: f.action,
    acceptsEmpty: f.hasAttribute('data-accepts-empty'),
    // Controls that can be left empty: a list whose every choice is an answer (no blank
    // option) cannot, so a form of only those is complete as shown.
    fields: [...f.elements].filter(e => !['hidden', 'submit', 'button', 'reset'].includes(e.type)
                                        && e.tagName !== 'BUTTON' && e.tagName !== 'FIELDSET'
                                        && !e.closest('[aria-hidden="true"]')
                                        && (e.tagName !== 'SELECT'
                                            || [...e.options].some(o => o.value === ''))).length,
  })),
})"""


def _crawl(page, base: str, start: str, role: str, report: Report
           ) -> tuple[set[str], list[tuple[str, dict]]]:
    """Visit pages from ``start``; returns the page patterns seen and the forms found (page
    URL, form), one per method and action pattern."""
    queue, seen, forms, form_patterns = [start], set(), [], set()
    shown_on: dict[str, str] = {start: "(start)"}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        key = _pattern(url)
        if key in seen:
            continue
        seen.add(key)
        path = urlsplit(url).path
        if NOT_PAGES.search(path):
            status = page.request.get(url, max_redirects=0).status
            if status in (403, 404):
                report.add(f"{role} {url}", f"answers {status} (linked from {shown_on[url]})")
            continue
        try:
            response = page.goto(url)
        except PlaywrightError as exc:  # a download (a CSV chosen by its query string)
            if "Download is starting" not in str(exc):
                raise
            response = page.request.get(url, max_redirects=0)
        if response.status in (403, 404):
            report.add(f"{role} {url}", f"answers {response.status} (linked from {shown_on[url]})")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        where = f"{role} {urlsplit(page.url).path}"
        for violation in _axe(page):
            report.add(where, f"axe: {violation}")
        if (extra := _too_wide(page)) > 0:
            report.add(where, f"{extra} px wider than a {NARROWEST} px screen")
        found = page.evaluate(LINKS_AND_FORMS)
        for link in found["links"]:
            target = urljoin(page.url, link).split("#")[0]
            if target.startswith(base) and _pattern(target) not in seen:
                shown_on.setdefault(target, page.url)
                queue.append(target)
        for form in found["forms"]:
            pattern = form["method"] + " " + _pattern(form["action"])
            if pattern not in form_patterns:
                form_patterns.add(pattern)
                forms.append((page.url, form))
    return seen, forms


EMPTY_THE_FORM = """([method, action]) => {
  const form = [...document.forms].find(f => f.action === action
    && (f.getAttribute('method') || 'get').toLowerCase() === method);
  if (!form) return false;
  for (const e of form.elements) {
    if (e.type === 'hidden' || e.type === 'submit' || e.tagName === 'BUTTON') continue;
    if (e.type === 'checkbox' || e.type === 'radio') e.checked = false;
    else if (e.tagName === 'SELECT') {
      const blank = [...e.options].findIndex(o => o.value === '');
      if (blank >= 0) e.selectedIndex = blank;
    } else if (e.type === 'file') e.value = '';
    else e.value = '';
  }
  form.requestSubmit();
  return true;
}"""

HAS_FORM = """([method, action]) => [...document.forms].some(f => f.action === action
  && (f.getAttribute('method') || 'get').toLowerCase() === method)"""

SUMMARY_LINKS = """() => [...document.querySelectorAll('.nhsuk-error-summary a')]
  .map(a => ({href: a.getAttribute('href'), text: a.textContent.trim()}))"""

# After following a summary link: the focused control, and the error messages that describe it
# (its own aria-describedby and its fieldset's).
FOCUSED_MESSAGES = """() => {
  const focused = document.activeElement;
  const ids = [];
  for (let e = focused; e; e = e.parentElement) {
    if (e === focused || e.tagName === 'FIELDSET') {
      ids.push(...(e.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean));
    }
  }
  return {id: focused.id, messages: ids.map(id => document.getElementById(id))
    .filter(e => e && e.classList.contains('nhsuk-error-message'))
    .map(e => e.textContent.replace(/^\\s*Error:\\s*/, '').trim())};
}"""


def _check_empty_submission(page, page_url: str, form: dict, role: str, report: Report) -> None:
    where = f"{role} {form['method'].upper()} {urlsplit(form['action']).path}"
    page.goto(page_url)
    if not page.evaluate(HAS_FORM, [form["method"], form["action"]]):
        return  # shown only in a state an earlier form changed (a button that acted)
    with page.expect_navigation():
        assert page.evaluate(EMPTY_THE_FORM, [form["method"], form["action"]])
    page.wait_for_load_state()
    summary = page.locator(".nhsuk-error-summary")
    if summary.count() == 0:
        report.add(where, f"sent empty, no error summary (now at {page.url})")
        return
    if summary.first.get_attribute("role") != "alert" and summary.locator(
            "[role=alert]").count() == 0:
        report.add(where, "the error summary has no role=alert")
    if not page.title().startswith("Error:"):
        report.add(where, f"the title {page.title()!r} does not start with 'Error:'")
    links = page.evaluate(SUMMARY_LINKS)
    if not links:
        report.add(where, "the error summary links to nothing")
    for link in links:
        page.click(f".nhsuk-error-summary a[href='{link['href']}']")
        focused = page.evaluate(FOCUSED_MESSAGES)
        if f"#{focused['id']}" != link["href"]:
            report.add(where, f"{link['href']} moves focus to #{focused['id']}, not the field")
        elif link["text"] not in focused["messages"]:
            report.add(where, f"{link['href']}: the field's own message is "
                              f"{focused['messages']}, not {link['text']!r}")
    for violation in _axe(page):
        report.add(where + " (errors shown)", f"axe: {violation}")
    if (extra := _too_wide(page)) > 0:
        report.add(where + " (errors shown)", f"{extra} px wider than {NARROWEST} px")


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_and_form_a_role_reaches_is_accessible(site, browser, role):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    report = Report()
    try:
        start = _sign_in(page, site.url, ROLES[role])
        seen, forms = _crawl(page, site.url, start, role, report)
        sent = 0
        for page_url, form in forms:
            if form["method"] == "get" or form["acceptsEmpty"] or form["fields"] == 0:
                continue
            _check_empty_submission(page, page_url, form, role, report)
            sent += 1
        print(f"{role}: {len(seen)} page patterns, {sent} forms sent empty")
        assert len(seen) >= 8, f"the crawl found only {sorted(seen)}"
        assert sent >= 1, "no form was sent empty"
    finally:
        context.close()
    assert report.problems == [], "\n".join(report.problems)
