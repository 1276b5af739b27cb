"""Issue 16's done-when, in Chromium at 1280 and 375 px with axe: a link worker records what
matters to the person, a contact and a task and sees them on the plan; books an appointment
whose reminder reaches the GOV.UK Notify stand-in; refers onward to a service found by
searching the directory; and sees the provider's outcome come back, marked as new."""

from datetime import UTC, datetime, timedelta

import pytest

from conftest import (
    axe_violations,
    make_user,
    notify_settings,
    sideways_scroll_on_a_phone,
    sign_in_browser,
)
from linkwell.casework import commands as casework
from linkwell.casework import outbox
from linkwell.casework.domain import LONDON
from linkwell.db import make_engine, make_sessionmaker
from linkwell.directory.search_index import reindex_services
from linkwell.referrals import onward_commands
from linkwell.referrals.models import OnwardReferral
from referrals_factories import accept, make_organization, make_service, make_team, submit

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_settings(sqlite_url, notify_standin):
    return notify_settings(sqlite_url, notify_standin)


@pytest.fixture
def world(browser_settings, live_server):
    engine = make_engine(browser_settings.database_url)
    with make_sessionmaker(engine)() as session:
        team = make_team(session)
        worker = make_user(session, "link_worker", email="lw-plan@example.org",
                           team_id=team.id)
        organization = make_organization(session, name="Millfield Money Advice")
        make_service(session, organization, name="Money advice line", codes=("debt-advice",))
        provider = make_user(session, "provider", email="money@example.org",
                             organization_id=organization.id)
        with session.begin():
            reindex_services(session)
        referral = submit(session, None, reasons=("loneliness", "debt"),
                          phone="07911 123456", contact_preference="text")
        episode = accept(session, worker, referral)
    engine.dispose()
    return {"episode": episode, "provider": provider}


def _fits(page) -> None:
    assert axe_violations(page) == []
    assert sideways_scroll_on_a_phone(page) == 0


def _banner(page) -> str:
    return page.inner_text(".nhsuk-notification-banner--success")


def test_the_link_workers_day_on_the_plan(page, live_server, world, browser_settings,
                                          notify_standin):
    episode = world["episode"]
    record = f"{live_server.url}/people/{episode.person_id}"
    today = datetime.now(UTC).astimezone(LONDON).date()
    sign_in_browser(page, live_server.url, "lw-plan@example.org")
    page.goto(record)

    page.click("text=What matters to me")
    page.fill("#what_matters_to_me", "Getting back to my allotment with a friend")
    page.select_option("#score-debt", "4")
    page.click("button:has-text('Save needs')")
    assert "What matters to them" in _banner(page)
    assert "Getting back to my allotment" in page.inner_text("#what-matters")

    # An hour ago in UK time: a fixed "00:05 today" was in the future for the first five
    # minutes of each day, and the test failed when it ran then.
    spoke = datetime.now(UTC).astimezone(LONDON) - timedelta(hours=1)
    page.click("text=Record a contact")
    page.fill("#occurred_on", spoke.date().isoformat())
    page.fill("#occurred_time", f"{spoke:%H:%M}")
    page.select_option("#mode", "telephone")
    page.fill("#contact-note", "Talked through the council tax letter")
    page.click("button:has-text('Save contact')")
    assert "Contact saved" in _banner(page)
    assert f"{spoke:%d %b %Y %H:%M}" in page.inner_text("#contacts")

    page.click("text=Agree a goal")
    page.fill("#description", "Go to the allotment twice a week")
    page.click("button:has-text('Save goal')")
    assert "Goal agreed" in _banner(page)

    page.click("text=Add a task")
    page.fill("#title", "Ring the allotment society")
    page.fill("#due_date", (today + timedelta(days=3)).isoformat())
    page.click("button:has-text('Save task')")
    assert "Task added" in _banner(page)
    _fits(page)

    page.click("text=Open the plan")
    assert "Getting back to my allotment" in page.inner_text("#what-matters + blockquote")
    assert "4 – A serious concern" in page.inner_text("main")
    history = page.inner_text("#plan-history")
    assert "Talked through the council tax letter" in history
    assert "Ring the allotment society" in history
    page.locator("select[name=progress]").first.select_option("2")
    page.locator("input[name=note]").first.fill("Went on Saturday")
    page.click("button:has-text('Save progress')")
    assert "Progress on the goal saved" in _banner(page)
    assert "Went on Saturday" in page.inner_text("#plan-history")
    _fits(page)
    page.click("text=to print")
    assert "Getting back to my allotment" in page.inner_text("main")
    _fits(page)

    # An appointment tomorrow: the reminder goes to the Notify stand-in the day before.
    page.goto(record)
    page.click("text=Book an appointment")
    page.fill("#date", (today + timedelta(days=1)).isoformat())
    page.fill("#start_time", "10:00")
    page.fill("#end_time", "10:30")
    page.check("#kind")  # phone
    page.click("button:has-text('Book appointment')")
    assert "Appointment booked" in _banner(page)
    page.click("text=Messages to Ada")
    page.check("#consent-sms")
    page.click("button:has-text('Save consent')")
    engine = make_engine(browser_settings.database_url)
    sessions = make_sessionmaker(engine)
    with sessions() as session, session.begin():
        assert casework.queue_due_reminders(session, settings=browser_settings).queued == 1
    assert outbox.send_queued(sessions, browser_settings).sent == 1
    (sent,) = notify_standin.notifications.values()
    assert sent["type"] == "sms" and "10:00" in sent["personalisation"]["when"]

    # Onward referral to a service found by searching the whole directory.
    page.goto(record)
    page.click("text=Suggest services")
    page.fill("#q", "money advice")
    page.click("button:has-text('Search')")
    results = page.locator("#search-results")
    assert "Money advice line" in results.inner_text()
    _fits(page)
    results.locator("summary").first.click()
    results.locator("select").first.select_option("debt")
    results.locator("textarea").first.fill("Council tax arrears; prefers texts")
    results.locator("button:has-text('Refer to Money advice line')").click()
    assert "Onward referral sent" in _banner(page)

    # The provider answers; the caseload marks the person as updated.
    with sessions() as session, session.begin():
        onward = session.query(OnwardReferral).one()
        for action in ("accept", "complete"):
            onward = onward_commands.respond_to_onward_referral(
                session, by=world["provider"], onward_referral_id=onward.id,
                version=onward.version, action=action,
                outcome_note="Payment plan agreed with the council")
    engine.dispose()
    page.goto(f"{live_server.url}/caseload")
    assert "Updated since you last looked" in page.inner_text("#caseload")
    _fits(page)
    page.click("#caseload >> text=Ada Okafor")
    assert "Payment plan agreed with the council" in page.inner_text("#onward")
    page.goto(f"{live_server.url}/caseload")
    assert "Updated since you last looked" not in page.inner_text("#caseload")
    page.goto(f"{record}/plan")
    assert "Payment plan agreed with the council" in page.inner_text("main")
