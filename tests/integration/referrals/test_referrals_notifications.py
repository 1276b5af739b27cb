"""The e-mail outbox against a local SMTP server (aiosmtpd), on both engines."""

import socket
from datetime import UTC, datetime

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlalchemy import select, update

from conftest import notify_settings
from linkwell.notifications import outbox
from linkwell.notifications.models import Notification
from linkwell.settings import Settings


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def _queue(session_factory, *recipients):
    with session_factory() as session, session.begin():
        outbox.queue(session, list(recipients), "A new referral is waiting",
                            "http://127.0.0.1:8000/referrals/1")


def test_send_pending_delivers_and_marks_sent(session_factory, smtp, database_url):
    controller, inbox = smtp
    _queue(session_factory, "worker@example.org", "other@example.org")
    settings = Settings(database_url=database_url, smtp_host="127.0.0.1",
                        smtp_port=controller.port)
    assert outbox.send_pending(session_factory, settings) == (2, 0)
    assert sorted(m["To"] for m in inbox.messages) == ["other@example.org",
                                                       "worker@example.org"]
    assert "/referrals/1" in inbox.messages[0].get_payload()
    assert outbox.send_pending(session_factory, settings) == (0, 0)


def test_send_pending_mail_outage_keeps_messages_queued(session_factory, database_url):
    _queue(session_factory, "worker@example.org")
    down = Settings(database_url=database_url, smtp_host="127.0.0.1", smtp_port=_free_port())
    assert outbox.send_pending(session_factory, down) == (0, 1)
    with session_factory() as session:
        note = session.scalars(select(Notification)).one()
        assert note.sent_at is None and note.attempts == 1 and note.last_error


def test_changes_for_one_person_go_out_as_one_digest(session_factory, smtp, database_url):
    controller, inbox = smtp
    with session_factory() as session, session.begin():
        for n in (1, 2, 3):
            outbox.queue(session, ["worker@example.org"],
                                "A referral you sent has been updated",
                                f"http://127.0.0.1:8000/people/{n}")
        outbox.queue(session, ["other@example.org"], "A new referral is waiting",
                            "http://127.0.0.1:8000/inbox/9")
    settings = Settings(database_url=database_url, smtp_host="127.0.0.1",
                        smtp_port=controller.port)
    assert outbox.send_pending(session_factory, settings) == (2, 0)
    digest = next(m for m in inbox.messages if m["To"] == "worker@example.org")
    assert digest["Subject"] == "3 updates in Linkwell"
    body = digest.get_payload()
    assert all(f"/people/{n}" in body for n in (1, 2, 3))
    assert outbox.send_pending(session_factory, settings) == (0, 0)


def test_the_digest_can_be_switched_off(session_factory, smtp, database_url):
    controller, inbox = smtp
    _queue(session_factory, "worker@example.org")
    _queue(session_factory, "worker@example.org")
    settings = Settings(database_url=database_url, smtp_host="127.0.0.1",
                        smtp_port=controller.port, notification_digest=False)
    assert outbox.send_pending(session_factory, settings) == (2, 0)
    assert len(inbox.messages) == 2


def test_with_notify_but_no_staff_template_staff_email_goes_over_smtp(
        session_factory, smtp, database_url, notify_standin):
    controller, inbox = smtp
    _queue(session_factory, "worker@example.org")
    settings = notify_settings(database_url, notify_standin, smtp_port=controller.port)
    assert outbox.send_pending(session_factory, settings) == (1, 0)
    assert [m["To"] for m in inbox.messages] == ["worker@example.org"]
    assert notify_standin.notifications == {}


def test_a_message_another_sender_has_claimed_is_not_sent_over_smtp(
        session_factory, smtp, database_url):
    controller, inbox = smtp
    _queue(session_factory, "worker@example.org")
    with session_factory() as session, session.begin():
        session.execute(update(Notification).values(claimed_at=datetime.now(UTC)))
    settings = Settings(database_url=database_url, smtp_host="127.0.0.1",
                        smtp_port=controller.port)
    assert outbox.send_pending(session_factory, settings) == (0, 0)
    assert inbox.messages == []
