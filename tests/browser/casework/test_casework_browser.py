"""A link worker adds a task and books an appointment from the person's record, sees both in
the diary, and the reminder reaches the local GOV.UK Notify stand-in (Chromium)."""

from datetime import UTC, datetime, timedelta

import pytest

from conftest import (
    axe_violations,
    make_user,
    notify_settings,
    sideways_scroll_on_a_phone,
    sign_in_browser,
)
from linkwell.casework import commands, outbox
from linkwell.casework.domain import LONDON, Week
from linkwell.db import make_engine, make_sessionmaker
from referrals_factories import accept, make_team, submit

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_settings(sqlite_url, notify_standin):
    return notify_settings(sqlite_url, notify_standin)


@pytest.fixture
def person_in_support(browser_settings, live_server):
    engine = make_engine(browser_settings.database_url)
    with make_sessionmaker(engine)() as session:
        team = make_team(session)
        worker = make_user(session, "link_worker", email="lw-diary@example.org",
                           team_id=team.id)
        referral = submit(session, None, phone="07911 123456", contact_preference="text")
        episode = accept(session, worker, referral)
    engine.dispose()
    return episode


def _fits(page) -> None:
    assert axe_violations(page) == []
    assert sideways_scroll_on_a_phone(page) == 0


def test_task_appointment_diary_and_reminder(page, live_server, person_in_support,
                                             browser_settings, notify_standin):
    today = datetime.now(UTC).astimezone(LONDON).date()
    tomorrow = today + timedelta(days=1)
    sign_in_browser(page, live_server.url, "lw-diary@example.org")
    page.goto(f"{live_server.url}/people/{person_in_support.person_id}")

    page.click("text=Add a task")
    page.click("button:has-text('Save task')")  # nothing filled in: errors, not a crash
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert page.locator("#title-error").is_visible()
    _fits(page)
    page.fill("#title", "Follow-up call about the lunch club")
    page.fill("#due_date", today.isoformat())
    page.click("button:has-text('Save task')")
    assert page.locator(".nhsuk-notification-banner--success").inner_text().count("Task added")
    assert "Follow-up call about the lunch club" in page.inner_text("#tasks")

    page.click("text=Book an appointment")
    _fits(page)
    page.fill("#date", tomorrow.isoformat())
    page.fill("#start_time", "10:00")
    page.fill("#end_time", "10:30")
    page.check("#kind")  # phone
    page.fill("#place", "Ring her mobile")
    page.click("button:has-text('Book appointment')")
    assert "Appointment booked" in page.inner_text(".nhsuk-notification-banner--success")
    assert "Ring her mobile" in page.inner_text("#appointments")

    page.click("text=Messages to Ada")
    page.check("#consent-sms")
    page.click("button:has-text('Save consent')")
    assert "Message consent saved" in page.inner_text(".nhsuk-notification-banner--success")
    _fits(page)

    page.goto(f"{live_server.url}/diary?week={Week.parse(None, tomorrow)}")
    assert "Ring her mobile" in page.inner_text(f"#day-{tomorrow.isoformat()} + ul")
    if Week.parse(None, today) == Week.parse(None, tomorrow):
        assert "Follow-up call about the lunch club" in page.inner_text("#today-tasks")
    _fits(page)
    page.goto(f"{live_server.url}/caseload")
    assert "Due today" in page.inner_text("main")

    # The day before: ``linkwell messages send-due`` queues the reminder and sends it.
    engine = make_engine(browser_settings.database_url)
    sessions = make_sessionmaker(engine)
    with sessions() as session, session.begin():
        assert commands.queue_due_reminders(session, settings=browser_settings).queued == 1
    assert outbox.send_queued(sessions, browser_settings).sent == 1
    engine.dispose()
    (sent,) = notify_standin.notifications.values()
    assert sent["type"] == "sms" and sent["recipient"] == "+447911123456"
    assert "10:00" in sent["personalisation"]["when"]

    page.goto(f"{live_server.url}/messages")
    assert "Appointment reminder" in page.inner_text("#outbox")
    _fits(page)
