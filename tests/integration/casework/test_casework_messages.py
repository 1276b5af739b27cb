"""Messages to the person through a local GOV.UK Notify stand-in (a real HTTP server with
JWT checks, not a mock of the client): consent, reminders once, an outbox without a key,
Notify down, a crash in the middle, and delivery status."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from conftest import at_once, make_settings, make_user, notify_settings
from linkwell.auth.roles import Role
from linkwell.casework import commands, outbox
from linkwell.casework.domain import LONDON, ConsentRefused, MessageStatus
from linkwell.casework.models import PersonMessage
from linkwell.errors import InvalidInput
from referrals_factories import accept, make_team, submit


def _tomorrow_at(hour: int) -> datetime:
    day = (datetime.now(UTC).astimezone(LONDON) + timedelta(days=1)).date()
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


@pytest.fixture
def booked(session):
    """A link worker and tomorrow's appointment with a person who agreed to texts."""
    team = make_team(session)
    worker = make_user(session, Role.LINK_WORKER, team_id=team.id)
    referral = submit(session, None, phone="07911 123456", email="ada@example.org",
                      contact_preference="text")
    episode = accept(session, worker, referral)
    with session.begin():
        booking = commands.book_appointment(
            session, by=worker, episode_id=episode.id, starts_at=_tomorrow_at(10),
            ends_at=_tomorrow_at(11), kind="phone")
    return worker, episode, booking.appointment


def _agree(session, worker, episode, channel="sms", agreed=True):
    with session.begin():
        commands.record_consent(session, by=worker, person_id=episode.person_id,
                                channel=channel, agreed=agreed)


def test_a_reminder_without_consent_is_refused_with_the_reason(session, booked, settings):
    worker, _episode, appointment = booked
    with pytest.raises(ConsentRefused, match="not agreed"), session.begin():
        commands.send_reminder(session, by=worker, appointment=appointment, settings=settings)
    with session.begin():
        due = commands.queue_due_reminders(session, settings=settings)
    assert due.queued == 0 and "not agreed" in due.refused[0][1]


def test_an_invalid_phone_number_gets_a_clear_error(session, booked, settings):
    worker, episode, appointment = booked
    _agree(session, worker, episode)
    with session.begin():
        episode.person.phone = "0123"
    with pytest.raises(InvalidInput, match="not a real phone number"), session.begin():
        commands.send_reminder(session, by=worker, appointment=appointment, settings=settings)


def test_without_a_key_messages_wait_in_the_outbox(session, session_factory, booked, settings):
    worker, episode, _appointment = booked
    _agree(session, worker, episode)
    with session.begin():
        assert commands.queue_due_reminders(session, settings=settings).queued == 1
    run = outbox.send_queued(session_factory, settings)
    assert run.waiting == 1 and run.sent == 0
    assert session.scalar(select(PersonMessage.status)) == MessageStatus.QUEUED


def test_reminders_reach_notify_once_and_delivery_is_recorded(
        session, session_factory, booked, database_url, notify_standin):
    worker, episode, _appointment = booked
    _agree(session, worker, episode)
    settings = notify_settings(database_url, notify_standin)
    for _ in range(2):  # send-due run twice: one reminder
        with session.begin():
            commands.queue_due_reminders(session, settings=settings)
        outbox.send_queued(session_factory, settings)
    sent = list(notify_standin.notifications.values())
    assert len(sent) == 1
    assert sent[0]["type"] == "sms" and sent[0]["recipient"] == "+447911123456"
    assert sent[0]["personalisation"]["name"] == "Ada"
    assert outbox.poll_statuses(session_factory, settings) == {"delivered": 1}
    session.expire_all()
    message = session.scalar(select(PersonMessage))
    assert message.status == MessageStatus.DELIVERED and message.notify_id == sent[0]["id"]


def test_notify_down_leaves_the_message_queued_with_the_error(
        session, session_factory, booked, database_url, notify_standin):
    worker, episode, _appointment = booked
    _agree(session, worker, episode)
    settings = notify_settings(database_url, notify_standin)
    with session.begin():
        commands.queue_due_reminders(session, settings=settings)
    notify_standin.fail_with = 500
    run = outbox.send_queued(session_factory, settings)
    assert run.sent == 0 and run.failed == 1
    message = session.scalar(select(PersonMessage))
    assert message.status == MessageStatus.QUEUED and "500" in message.last_error
    notify_standin.fail_with = None
    assert outbox.send_queued(session_factory, settings).sent == 1
    assert len(notify_standin.notifications) == 1


def test_a_wrong_api_key_is_refused_by_the_stand_in(session, session_factory, booked,
                                                    database_url, notify_standin):
    worker, episode, _appointment = booked
    _agree(session, worker, episode)
    key = "linkwell_test-26785a09-ab16-4eb0-8407-a37497a57506-00000000-0000-0000-0000-000000000000"
    settings = notify_settings(database_url, notify_standin, notify_api_key=key)
    with session.begin():
        commands.queue_due_reminders(session, settings=settings)
    run = outbox.send_queued(session_factory, settings)
    assert run.sent == 0 and "403" in run.errors[0]
    assert notify_standin.notifications == {}


def test_a_send_interrupted_after_notify_accepted_is_not_sent_again(
        session, session_factory, booked, database_url, notify_standin):
    """The sender died between Notify's answer and recording it: the row is left
    ``sending``. The next run asks Notify by reference and records it, sending nothing."""
    worker, episode, appointment = booked
    _agree(session, worker, episode)
    settings = notify_settings(database_url, notify_standin)
    with session.begin():
        commands.queue_due_reminders(session, settings=settings)
    with session.begin():
        message = session.scalar(select(PersonMessage))
    from linkwell.notifications.notify import Notify

    Notify(settings).send(channel="sms", recipient=message.recipient, template_id="t",
                          personalisation={}, reference=message.reference)
    with session.begin():
        session.execute(update(PersonMessage).values(
            status="sending", claimed_at=datetime.now(UTC) - timedelta(hours=1)))
    run = outbox.send_queued(session_factory, settings)
    assert run.recovered == 1 and run.sent == 0
    assert notify_standin.by_reference() == {message.reference: 1}
    session.expire_all()
    assert session.scalar(select(PersonMessage.status)) != MessageStatus.QUEUED


def test_a_measure_link_goes_out_on_the_public_address(session, session_factory, booked,
                                                       database_url, notify_standin):
    worker, episode, _appointment = booked
    _agree(session, worker, episode, channel="email")
    settings = notify_settings(database_url, notify_standin)
    with session.begin():
        commands.send_measure_link(session, by=worker, episode_id=episode.id,
                                   instrument="swemwbs", timepoint="baseline",
                                   settings=settings, channel="email")
    outbox.send_queued(session_factory, settings)
    (sent,) = notify_standin.notifications.values()
    assert sent["type"] == "email" and sent["recipient"] == "ada@example.org"
    assert sent["personalisation"]["link"].startswith("https://linkwell.example.org/measure/")


def test_the_outbox_page_shows_waiting_messages(client, app, login):
    with app.state.sessionmaker() as session:
        team = make_team(session)
    worker = login(Role.LINK_WORKER, team_id=team.id)
    with app.state.sessionmaker() as session:
        referral = submit(session, None, phone="07911 123456", contact_preference="text")
        episode = accept(session, worker, referral)
    day = _tomorrow_at(9).date().isoformat()
    client.post(f"/episodes/{episode.id}/appointments",
                data={"date": day, "start_time": "09:00", "end_time": "09:30",
                      "kind": "phone"})
    appointment_id = client.get(f"/api/episodes/{episode.id}/appointments").json()[0]["id"]
    refused = client.post(f"/appointments/{appointment_id}/reminder", follow_redirects=True)
    assert "The message was not sent" in refused.text
    assert "They have not agreed to messages on that channel" in refused.text
    client.post(f"/people/{episode.person_id}/message-consent", data={"consent-sms": "yes"})
    queued = client.post(f"/appointments/{appointment_id}/reminder", follow_redirects=True)
    assert "Message queued to send" in queued.text
    page = client.get("/messages")
    assert "Not sending yet" in page.text and "Appointment reminder" in page.text


def test_public_links_use_the_public_url(database_url):
    settings = make_settings(database_url, public_url="https://linkwell.example.org/")
    assert settings.public_link("/measure/x") == "https://linkwell.example.org/measure/x"
    assert make_settings(database_url).public_link("/a") == "http://127.0.0.1:8000/a"


def _queue_many(session, episode, n):
    from linkwell.casework.domain import MessageKind

    with session.begin():
        for i in range(n):
            commands.queue_message(session, by=None, person=episode.person, episode=episode,
                                   kind=MessageKind.APPOINTMENT_REMINDER,
                                   personalisation={"name": "Ada"}, reference=f"many-{i}")


def test_two_senders_at_once_never_send_a_message_twice(
        session, session_factory, booked, database_url, notify_standin):
    worker, episode, _appointment = booked
    _agree(session, worker, episode)
    _queue_many(session, episode, 60)
    settings = notify_settings(database_url, notify_standin)
    at_once(outbox.send_queued, session_factory, settings, batch=5)
    outbox.send_queued(session_factory, settings)  # whatever a busy sender left
    assert notify_standin.by_reference() == {f"many-{i}": 1 for i in range(60)}


def test_a_missing_template_id_leaves_the_message_queued_with_the_reason(
        session, session_factory, booked, database_url, notify_standin):
    worker, episode, _appointment = booked
    _agree(session, worker, episode)
    _queue_many(session, episode, 1)
    settings = notify_settings(database_url, notify_standin,
                               notify_template_appointment_reminder_sms="")
    run = outbox.send_queued(session_factory, settings)
    assert run.sent == 0 and "LINKWELL_NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_SMS" in run.errors[0]
    message = session.scalar(select(PersonMessage))
    assert message.status == MessageStatus.QUEUED and "no template id" in message.last_error


def test_notifys_delivery_receipt_is_recorded_with_the_right_token(
        session, session_factory, booked, database_url, notify_standin):
    from fastapi.testclient import TestClient

    from linkwell.web.app import create_app

    worker, episode, _appointment = booked
    _agree(session, worker, episode)
    settings = notify_settings(database_url, notify_standin, notify_callback_token="cb-secret")
    with session.begin():
        commands.queue_due_reminders(session, settings=settings)
    outbox.send_queued(session_factory, settings)
    with session.begin():
        message = session.scalar(select(PersonMessage))
    receipt = {"id": message.notify_id, "reference": message.reference,
               "status": "permanent-failure", "to": message.recipient}
    app = create_app(settings)
    with TestClient(app) as client:
        assert client.post("/api/notify/callback", json=receipt,
                           headers={"Authorization": "Bearer wrong"}).status_code == 403
        assert client.post("/api/notify/callback", json=receipt,
                           headers={"Authorization": "Bearer cb-secret"}).status_code == 204
    app.state.engine.dispose()
    session.expire_all()
    assert session.scalar(select(PersonMessage.status)) == MessageStatus.PERMANENT_FAILURE
    off = create_app(make_settings(database_url))
    with TestClient(off) as client:
        assert client.post("/api/notify/callback", json=receipt).status_code == 404
    off.state.engine.dispose()
