"""A referral travels referrer -> link worker -> provider -> back, in headless Chromium."""

import pytest

from conftest import axe_violations, make_user, sideways_scroll_on_a_phone, sign_in_browser
from linkwell.db import make_engine, make_sessionmaker
from referrals_factories import make_organization, make_service, make_team

pytestmark = pytest.mark.browser


@pytest.fixture
def people(browser_settings, live_server):
    engine = make_engine(browser_settings.database_url)
    factory = make_sessionmaker(engine)
    with factory() as session:
        team = make_team(session)
        org = make_organization(session, "Lewisham Befriending")
        service = make_service(session, org, "Befriending calls")
        users = {
            "referrer": make_user(session, "referrer", email="gp@example.org"),
            "worker": make_user(session, "link_worker", email="lw@example.org",
                                team_id=team.id),
            "provider": make_user(session, "provider", email="provider@example.org",
                                  organization_id=org.id),
        }
    engine.dispose()
    return {"service": service, **users}


def test_referral_travels_round_the_loop(page, live_server, people):
    # The referrer sends a referral.
    sign_in_browser(page, live_server.url, "gp@example.org")
    page.goto(f"{live_server.url}/referrals/new")
    assert axe_violations(page) == []
    page.fill("#given_name", "Ada")
    page.fill("#family_name", "Okafor")
    page.fill("#birth_day", "15")
    page.fill("#birth_month", "3")
    page.fill("#birth_year", "1950")
    page.fill("#nhs_number", "943 476 5919")
    page.fill("#postcode", "SE13 5AA")
    page.check("#reason-loneliness")
    page.fill("#notes", "<script>window.pwned = 1</script> lives alone")
    page.check("#consent_to_share")
    page.click("button:has-text('Send referral')")
    assert page.inner_text("#referral-status") == "Requested"
    assert page.evaluate("window.pwned") is None
    referral_url = page.url

    # The link worker accepts it, assesses needs and refers on to a service.
    sign_in_browser(page, live_server.url, "lw@example.org")
    page.goto(f"{live_server.url}/caseload?view=new")
    assert axe_violations(page) == []
    assert sideways_scroll_on_a_phone(page) == 0
    page.click("text=Ada Okafor")
    page.click("button:has-text('Accept referral')")
    assert "/people/" in page.url
    person_url = page.url
    page.click("text=Record a contact")
    page.select_option("#mode", "telephone")
    page.fill("#duration_minutes", "45")
    page.click("button:has-text('Save contact')")
    page.click("text=What matters to me")
    page.fill("#what_matters_to_me", "Seeing people again")
    page.select_option("#score-loneliness", "5")
    page.click("button:has-text('Save needs')")
    page.click("text=Suggest services")
    assert "Meets loneliness or isolation" in page.inner_text("main")
    page.click("button:has-text('Refer to Befriending calls')")
    assert page.inner_text("#onward .onward-status") == "Requested"
    assert axe_violations(page) == []
    assert sideways_scroll_on_a_phone(page) == 0  # with the Cancel button beside the referral

    # The provider sees it in its inbox, accepts it and reports an outcome.
    sign_in_browser(page, live_server.url, "provider@example.org")
    page.goto(f"{live_server.url}/inbox")
    assert axe_violations(page) == []
    assert sideways_scroll_on_a_phone(page) == 0
    page.click("text=Ada (referral")
    page.select_option("#action", "accept")
    page.click("button:has-text('Save')")
    assert page.inner_text("#onward-status") == "Accepted"
    page.select_option("#action", "attended")
    page.click("button:has-text('Save')")
    page.select_option("#action", "complete")
    page.fill("#outcome_note", "Comes every Tuesday")
    page.click("button:has-text('Save')")
    assert page.inner_text("#onward-status") == "Completed"

    # Back with the link worker: the loop is closed.
    sign_in_browser(page, live_server.url, "lw@example.org")
    page.goto(person_url)
    assert page.inner_text("#onward .onward-status") == "Completed"
    assert "Comes every Tuesday" in page.inner_text("#onward")
    assert "in progress → completed" in page.inner_text("#timeline")
    assert sideways_scroll_on_a_phone(page) == 0

    # The referrer sees the referral's progress, and the provider cannot open the record.
    sign_in_browser(page, live_server.url, "gp@example.org")
    page.goto(referral_url)
    assert page.inner_text("#referral-status") == "In progress"
    assert sideways_scroll_on_a_phone(page) == 0
    page.goto(f"{live_server.url}/referrals")  # what this referrer sent, without names
    assert "In progress" in page.inner_text("main")
    assert axe_violations(page) == []
    assert sideways_scroll_on_a_phone(page) == 0
    sign_in_browser(page, live_server.url, "provider@example.org")
    response = page.goto(person_url)
    assert response.status == 403


def test_self_referral_form_is_accessible_and_thanks_the_resident(page, live_server):
    page.goto(f"{live_server.url}/refer-yourself")
    assert axe_violations(page) == []
    page.fill("#given_name", "Sam")
    page.fill("#family_name", "Lee")
    page.fill("#birth_day", "2")
    page.fill("#birth_month", "4")
    page.fill("#birth_year", "1980")
    page.check("#reason-food")
    page.check("#consent_to_share")
    page.click("button:has-text('Send')")
    assert "Thank you" in page.inner_text("h1")
