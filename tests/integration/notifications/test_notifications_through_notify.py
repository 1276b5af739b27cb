"""Staff e-mail through GOV.UK Notify (the local stand-in, with the official client) when a
staff template is set: claimed before it is sent, so no message goes twice and none is lost."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from conftest import _free_port, at_once, notify_settings
from linkwell.notifications import outbox
from linkwell.notifications.models import Notification
from linkwell.notifications.notify import Notify

STAFF_TEMPLATE = "0b6ad0f4-2d8e-4c3f-9a43-5e1c2f7e9d10"


def _settings(database_url, stand_in, **overrides):
    # No SMTP server listens on this port: a message sent over SMTP would fail.
    return notify_settings(database_url, stand_in, notify_template_staff_email=STAFF_TEMPLATE,
                           smtp_port=_free_port(), notification_digest=False, **overrides)


def _queue(session_factory, *recipients):
    with session_factory() as session, session.begin():
        outbox.queue(session, list(recipients), "A new referral is waiting",
                     "http://127.0.0.1:8000/referrals/1")
    with session_factory() as session:
        return session.scalars(select(Notification).order_by(Notification.id)).all()


def test_staff_email_goes_through_notify_with_the_staff_template(
        session_factory, database_url, notify_standin):
    notes = _queue(session_factory, "worker@example.org", "other@example.org")
    assert outbox.send_pending(session_factory, _settings(database_url, notify_standin)) == (2, 0)
    sent = sorted(notify_standin.notifications.values(), key=lambda n: n["reference"])
    assert [(n["type"], n["recipient"], n["template"]["id"], n["reference"]) for n in sent] == [
        ("email", note.recipient, STAFF_TEMPLATE, f"notification-{note.id}") for note in notes]
    assert sent[0]["personalisation"] == {"subject": "A new referral is waiting",
                                          "body": notes[0].body}
    with session_factory() as session:
        rows = session.scalars(select(Notification).order_by(Notification.id)).all()
        assert all(row.sent_at is not None and row.attempts == 1 for row in rows)
        assert {row.notify_id for row in rows} == {n["id"] for n in sent}
    assert outbox.send_pending(session_factory, _settings(database_url, notify_standin)) == (0, 0)


def test_a_notify_outage_leaves_staff_email_queued_to_retry(
        session_factory, database_url, notify_standin):
    _queue(session_factory, "worker@example.org")
    settings = _settings(database_url, notify_standin)
    notify_standin.fail_with = 500
    assert outbox.send_pending(session_factory, settings) == (0, 1)
    with session_factory() as session:
        note = session.scalars(select(Notification)).one()
        assert note.sent_at is None and note.claimed_at is None and note.attempts == 1
        assert note.last_error.startswith("GOV.UK Notify answered 500")
        assert "worker@example.org" not in note.last_error
    notify_standin.fail_with = None
    assert outbox.send_pending(session_factory, settings) == (1, 0)
    assert list(notify_standin.by_reference().values()) == [1]


def test_a_rate_limit_part_way_through_stops_the_run_and_keeps_the_rest_queued(
        session_factory, database_url, notify_standin):
    """Notify refuses every later message once the rate limit is hit: the run stops there
    instead of asking again for each, and the unsent messages wait for the next run."""
    _queue(session_factory, "a@example.org", "b@example.org", "c@example.org", "d@example.org")
    settings = _settings(database_url, notify_standin)
    notify_standin.accept_only = 1
    assert outbox.send_pending(session_factory, settings) == (1, 3)
    assert notify_standin.posts == 2
    with session_factory() as session:
        unsent = session.scalars(select(Notification).where(Notification.sent_at.is_(None))
                                 .order_by(Notification.id)).all()
        assert [n.recipient for n in unsent] == ["b@example.org", "c@example.org",
                                                 "d@example.org"]
        assert all(n.claimed_at is None and n.last_error.startswith("GOV.UK Notify answered "
                                                                    "429") for n in unsent)
    notify_standin.accept_only = None
    assert outbox.send_pending(session_factory, settings) == (3, 0)


def test_a_message_another_sender_has_claimed_is_left_to_it(
        session_factory, database_url, notify_standin):
    _queue(session_factory, "worker@example.org")
    with session_factory() as session, session.begin():
        session.execute(update(Notification).values(claimed_at=datetime.now(UTC)))
    assert outbox.send_pending(session_factory, _settings(database_url, notify_standin)) == (0, 0)
    assert notify_standin.notifications == {}


def test_a_send_interrupted_after_notify_accepted_is_not_sent_again(
        session_factory, database_url, notify_standin):
    """The sender died between Notify's answer and recording it: the claim is left. Once it
    is old, the next run asks Notify by reference and records the message as sent."""
    note, = _queue(session_factory, "worker@example.org")
    settings = _settings(database_url, notify_standin)
    Notify(settings).send(channel="email", recipient=note.recipient, template_id=STAFF_TEMPLATE,
                          personalisation={}, reference=f"notification-{note.id}")
    with session_factory() as session, session.begin():
        session.execute(update(Notification).values(
            claimed_at=datetime.now(UTC) - timedelta(hours=1), attempts=1))
    assert outbox.send_pending(session_factory, settings) == (0, 0)
    assert notify_standin.by_reference() == {f"notification-{note.id}": 1}
    with session_factory() as session:
        assert session.scalars(select(Notification)).one().sent_at is not None


def test_an_interrupted_send_notify_never_had_is_sent_again(
        session_factory, database_url, notify_standin):
    note, = _queue(session_factory, "worker@example.org")
    with session_factory() as session, session.begin():
        session.execute(update(Notification).values(
            claimed_at=datetime.now(UTC) - timedelta(hours=1), attempts=1))
    assert outbox.send_pending(session_factory, _settings(database_url, notify_standin)) == (1, 0)
    assert notify_standin.by_reference() == {f"notification-{note.id}": 1}


def test_two_senders_at_once_never_send_a_message_twice(
        session_factory, database_url, notify_standin):
    recipients = [f"worker{i}@example.org" for i in range(40)]
    notes = _queue(session_factory, *recipients)
    settings = _settings(database_url, notify_standin)
    at_once(outbox.send_pending, session_factory, settings, limit=5)
    while outbox.send_pending(session_factory, settings)[0]:
        pass  # whatever the two left
    assert notify_standin.by_reference() == {f"notification-{n.id}": 1 for n in notes}
