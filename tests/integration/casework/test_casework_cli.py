"""``linkwell messages``: send-due, send and status, without a key and against the stand-in."""

from datetime import UTC, datetime, timedelta

import pytest

from conftest import invoke_cli, make_user, notify_settings
from linkwell.auth.roles import Role
from linkwell.casework import commands
from linkwell.casework.domain import LONDON
from referrals_factories import accept, make_team, submit


@pytest.fixture
def tomorrow_booked(session):
    team = make_team(session)
    worker = make_user(session, Role.LINK_WORKER, team_id=team.id)
    episode = accept(session, worker, submit(session, None, phone="07911 123456"))
    day = (datetime.now(UTC).astimezone(LONDON) + timedelta(days=1)).date()
    start = datetime(day.year, day.month, day.day, 15, tzinfo=LONDON)
    with session.begin():
        commands.book_appointment(session, by=worker, episode_id=episode.id, starts_at=start,
                                  ends_at=start + timedelta(minutes=30), kind="phone")
        commands.record_consent(session, by=worker, person_id=episode.person_id,
                                channel="sms", agreed=True)


def test_send_due_without_a_key_leaves_the_reminder_waiting(monkeypatch, database_url,
                                                              tomorrow_booked):
    result = invoke_cli(monkeypatch, "messages", "send-due", database_url=database_url,
                        notify_api_key="")
    assert result.exit_code == 0, result.output
    assert "Queued 1 reminder" in result.output and "1 message(s) wait" in result.output


def test_send_due_then_status_through_the_stand_in(monkeypatch, database_url, tomorrow_booked,
                                                   notify_standin):
    settings = notify_settings(database_url, notify_standin)
    result = invoke_cli(monkeypatch, "messages", "send-due", database_url=database_url,
                        notify_api_key=settings.notify_api_key,
                        notify_base_url=notify_standin.url,
                        notify_template_appointment_reminder_sms=(
                            settings.notify_template_appointment_reminder_sms))
    assert "Sent 1, failed 0" in result.output, result.output
    assert len(notify_standin.notifications) == 1
    assert "Queued 0" in invoke_cli(monkeypatch, "messages", "send-due").output  # never twice
    assert "1 delivered" in invoke_cli(monkeypatch, "messages", "status").output
