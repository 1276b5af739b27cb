"""A referral from the GP to the link worker, the provider and back, with the keyboard only:
Tab (and Shift+Tab) to move, Enter and Space to follow and press, typing to fill in and to
choose from a list. Each control is reached in the page's own focus order and shows where the
focus is. docs/accessibility-keyboard-walk.md records the same walk."""

import pytest

from conftest import TEST_PASSWORD, make_user
from linkwell.db import make_engine, make_sessionmaker
from referrals_factories import make_organization, make_service, make_team

pytestmark = pytest.mark.browser

MAX_TABS = 120  # more presses than any page here needs to reach its last control

FOCUSED = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  return {tag: e.tagName.toLowerCase(), id: e.id, text: (e.innerText || e.value || '').trim(),
          href: e.getAttribute('href') || '',
          visible: style.outlineStyle !== 'none' || style.boxShadow !== 'none'
                   || style.backgroundColor === 'rgb(255, 235, 59)'};
}"""


class Keyboard:
    def __init__(self, page):
        self.page = page
        self.steps: list[str] = []

    def tab_to(self, *, id: str | None = None, text: str | None = None,
               href: str | None = None) -> None:
        """Press Tab until the wanted control has the focus; it must show the focus."""
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Tab")
            focused = self.page.evaluate(FOCUSED)
            if ((id is None or focused["id"] == id)
                    and (text is None or text in focused["text"])
                    and (href is None or focused["href"].startswith(href))):
                assert focused["visible"], f"no visible focus on {focused}"
                self.steps.append(f"Tab to {id or text or href}")
                return
        raise AssertionError(f"Tab never reached {id or text or href} on {self.page.url}")

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def follow(self, key: str = "Enter") -> None:
        """Press a key that follows a link or sends a form, and wait for the next page."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.page.wait_for_load_state()

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def start(self, url: str) -> None:
        """Open a page as a person types its address; focus starts at the top of the page."""
        self.page.goto(url)

    def sign_in(self, base: str, email: str) -> None:
        self.page.context.clear_cookies()
        self.start(f"{base}/login")
        self.tab_to(id="email")
        self.type(email)
        self.tab_to(id="password")
        self.type(TEST_PASSWORD)
        self.follow()


@pytest.fixture
def people(browser_settings, live_server):
    engine = make_engine(browser_settings.database_url)
    with make_sessionmaker(engine)() as session:
        team = make_team(session)
        org = make_organization(session, "Lewisham Befriending")
        make_service(session, org, "Befriending calls")
        make_user(session, "referrer", email="gp@example.org")
        make_user(session, "link_worker", email="lw@example.org", team_id=team.id)
        make_user(session, "provider", email="provider@example.org", organization_id=org.id)
    engine.dispose()


def test_a_referral_goes_round_the_loop_with_the_keyboard_only(page, live_server, people):
    base = live_server.url
    keys = Keyboard(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The GP: the skip link comes first, then the menu's "Make a referral".
    keys.sign_in(base, "gp@example.org")
    keys.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Skip to main content"
    keys.tab_to(text="Make a referral", href="/referrals")
    keys.follow()
    keys.tab_to(text="Make a referral", href="/referrals/new")
    keys.follow()
    assert page.url.endswith("/referrals/new")

    # Sent empty first: the error summary takes the focus and its first link leads to the field.
    keys.tab_to(text="Send referral")
    keys.follow()
    assert page.title().startswith("Error:")
    assert page.evaluate("document.activeElement.classList.contains('nhsuk-error-summary')")
    keys.tab_to(text="Enter the first name")
    keys.press("Enter")  # a link within the page
    assert page.evaluate("document.activeElement.id") == "given_name"
    keys.type("Ada")
    keys.tab_to(id="family_name")
    keys.type("Okafor")
    keys.tab_to(id="birth_day")
    keys.type("15")
    keys.tab_to(id="birth_month")
    keys.type("3")
    keys.tab_to(id="birth_year")
    keys.type("1950")
    keys.tab_to(id="postcode")
    keys.type("SE13 5AA")
    keys.tab_to(id="reason-loneliness")
    keys.press("Space")
    keys.tab_to(id="consent_to_share")
    keys.press("Space")
    keys.tab_to(text="Send referral")
    keys.follow()
    assert page.inner_text("#referral-status") == "Requested"
    referral_url = page.url

    # The link worker: new referrals, accept, what matters, then a service.
    keys.sign_in(base, "lw@example.org")
    keys.tab_to(text="New referrals")
    keys.follow()
    keys.tab_to(text="Ada Okafor")
    keys.follow()
    keys.tab_to(text="Accept referral")
    keys.follow()
    assert "/people/" in page.url
    person_url = page.url
    keys.tab_to(text="What matters to me")
    keys.press("Enter")  # opens the details
    keys.tab_to(id="what_matters_to_me")
    keys.type("Seeing people again")
    keys.tab_to(id="score-loneliness")
    keys.type("5")
    keys.tab_to(text="Save needs")
    keys.follow()
    keys.tab_to(text="Suggest services")
    keys.follow()
    keys.tab_to(text="Refer to Befriending calls")
    keys.follow()
    assert page.inner_text("#onward .onward-status") == "Requested"

    # The provider: the inbox, the referral, "Accept" chosen by typing, then Save.
    keys.sign_in(base, "provider@example.org")
    keys.tab_to(text="Ada (referral")
    keys.follow()
    keys.tab_to(id="action")
    keys.type("Accept")
    keys.tab_to(text="Save")
    keys.follow()
    assert page.inner_text("#onward-status") == "Accepted"

    # Back with the link worker, and the GP sees the progress.
    keys.sign_in(base, "lw@example.org")
    keys.start(person_url)
    assert page.inner_text("#onward .onward-status") == "Accepted"
    keys.sign_in(base, "gp@example.org")
    keys.start(referral_url)
    assert page.inner_text("#referral-status") == "Accepted"
