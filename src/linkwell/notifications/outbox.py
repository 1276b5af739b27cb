"""Staff e-mail: queued in the outbox with the change that caused it, sent later through
GOV.UK Notify (the one adapter, ``notifications.notify``) when it is set up for staff e-mail,
over SMTP otherwise.

A message says that something is waiting and links to it; it never carries a name, a note or
any other personal data, because e-mail is not a safe place for health records.
"""

import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from functools import lru_cache

from sqlalchemy import Insert, Select, String, bindparam, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from linkwell.db import utcnow
from linkwell.notifications.models import Notification
from linkwell.notifications.notify import EMAIL, Notify, NotifyError, Sent
from linkwell.settings import Settings

MAX_ATTEMPTS = 10
# The line before the link in every message ``queue`` writes. Only such messages are folded
# into digests: one with its own wording (an invitation) goes out whole, link and all.
_LINK_LINE = "Sign in to Linkwell to see it:\n"


def queue(session: Session, recipients: list[str], subject: str, link: str) -> None:
    """Add one message per recipient to the caller's transaction."""
    body = _body(subject, link)
    rows = [{"recipient": recipient, "subject": subject, "body": body}
            for recipient in sorted(set(r for r in recipients if r))]
    if rows:
        session.execute(insert(Notification.__table__), rows)


def queue_message(session: Session, recipient: str, subject: str, body: str) -> None:
    """One message with its own wording (an invitation); the same outbox and sender."""
    session.execute(insert(Notification.__table__),
                    [{"recipient": recipient, "subject": subject, "body": body}])


def queue_for(session: Session, recipients: Select, parameters: dict, subject: str,
              link: str) -> None:
    """Like ``queue``, for the addresses a query selects (one column, given its parameters):
    finding them and queuing the messages is then one INSERT ... SELECT."""
    session.execute(_insert_for(recipients), {
        **parameters, "notification_subject": subject, "notification_body": _body(subject, link)})


@lru_cache
def _insert_for(recipients: Select) -> Insert:
    """Built once per recipients query (they are module constants), not once per message."""
    chosen = recipients.subquery()
    address = chosen.c[0]
    return insert(Notification.__table__).from_select(
        ["recipient", "subject", "body"],
        select(address, bindparam("notification_subject", type_=String),
               bindparam("notification_body", type_=String))
        .where(address.is_not(None), address != "").distinct().order_by(address))


def _body(subject: str, link: str) -> str:
    return (f"{subject}.\n\n{_LINK_LINE}{link}\n\n"
            "This message does not contain personal details. Do not reply to it.\n")


def waiting(session: Session, recipient: str | None = None) -> list[Notification]:
    """Messages not sent yet (for one address, given), oldest first: what ``send_pending``
    would send, before any are folded into digests."""
    query = select(Notification).where(Notification.sent_at.is_(None))
    if recipient:
        query = query.where(Notification.recipient == recipient.strip().lower())
    return list(session.scalars(query.order_by(Notification.id)))


def send_pending(factory: sessionmaker[Session], settings: Settings, *, limit: int = 100,
                 now: datetime | None = None) -> tuple[int, int]:
    """Send queued messages through GOV.UK Notify when it is set up for staff e-mail
    (``staff_email_by_notify``), over SMTP otherwise; return (sent, failed).

    Each message is claimed in its own short transaction before it is sent, so a second
    sender running at the same time takes other messages, never the same ones; it is marked
    sent once Notify or the SMTP server accepted it, and a failure releases it with the error,
    to be retried next run. A claim left by a sender that stopped is settled after
    ``notify_claim_timeout_minutes``: through Notify by the message's reference (found: it
    was sent; not found: it is sent again); over SMTP, which cannot be asked, it is sent
    again (the one way an e-mail may go twice).
    """
    if settings.notification_digest:
        with factory() as session, session.begin():
            fold_into_digests(session, now=now)
    sender = _ByNotify(settings) if settings.staff_email_by_notify else _BySmtp(settings)
    _recover(factory, sender, older_than=timedelta(
        minutes=settings.notify_claim_timeout_minutes), now=now or utcnow())
    with factory() as session, session.begin():
        pending = _claim(session, limit, utcnow())
    sent = failed = 0
    if not pending:
        return sent, failed
    try:
        with sender:
            for done, note in enumerate(pending):
                try:
                    notify_id = sender.send(note)
                except _Failed as exc:
                    # An outage, a rate limit or a wrong key refuses the rest of the run
                    # too: they wait for the next run instead of being tried one by one.
                    ids = [n.id for n in pending[done:]] if exc.whole_run else [note.id]
                    _release(factory, ids, str(exc))
                    failed += len(ids)
                    if exc.whole_run:
                        break
                    continue
                with factory() as session, session.begin():
                    _mark_sent(session, note.id, notify_id, now or utcnow())
                sent += 1
    except _Failed as exc:  # no connection
        _release(factory, [n.id for n in pending], str(exc))
        return 0, len(pending)
    return sent, failed


N = Notification.__table__


def reference(notification_id: int) -> str:
    """The reference Notify keeps with a staff e-mail, by which an interrupted send is found."""
    return f"notification-{notification_id}"


class _Failed(Exception):
    """A message was not sent; ``whole_run``: nor will the rest be (an outage, a refusal)."""

    def __init__(self, message: str, *, whole_run: bool):
        super().__init__(message)
        self.whole_run = whole_run


class _BySmtp:
    def __init__(self, settings: Settings):
        self.settings = settings

    def __enter__(self):
        try:
            self.smtp = smtplib.SMTP(self.settings.smtp_host, self.settings.smtp_port,
                                     timeout=10)
        except OSError as exc:
            raise _Failed(str(exc), whole_run=True) from None
        return self

    def __exit__(self, *exc):
        self.smtp.__exit__(*exc)

    def send(self, note) -> None:
        message = EmailMessage()
        message["From"] = self.settings.smtp_sender
        message["To"] = note.recipient
        message["Subject"] = note.subject
        message.set_content(note.body)
        try:
            self.smtp.send_message(message)
        except smtplib.SMTPException as exc:
            raise _Failed(str(exc), whole_run=False) from None

    def find(self, notification_id: int) -> Sent | None:
        return None  # an SMTP server cannot be asked what it was sent


class _ByNotify:
    def __init__(self, settings: Settings):
        self.notify = Notify(settings)
        self.template = settings.notify_template_staff_email

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def send(self, note) -> str:
        try:
            return self.notify.send(channel=EMAIL, recipient=note.recipient,
                                    template_id=self.template,
                                    personalisation={"subject": note.subject, "body": note.body},
                                    reference=reference(note.id)).notify_id
        except NotifyError as exc:
            # 400: Notify refused this message (its address, say); anything else (a wrong
            # key, too many requests, an outage) will refuse the next one too.
            raise _Failed(str(exc), whole_run=exc.status_code != 400) from None

    def find(self, notification_id: int) -> Sent | None:
        try:
            return self.notify.find(reference(notification_id))
        except NotifyError as exc:
            raise _Failed(str(exc), whole_run=True) from None


def _claim(session: Session, limit: int, now: datetime) -> list:
    # On PostgreSQL a second sender skips the rows the first is claiming instead of waiting
    # for them (SQLite has one writer at a time and no FOR UPDATE).
    ids = (select(N.c.id)
           .where(N.c.sent_at.is_(None), N.c.claimed_at.is_(None), N.c.attempts < MAX_ATTEMPTS)
           .order_by(N.c.id).limit(limit).with_for_update(skip_locked=True))
    claimed = session.execute(
        update(N).where(N.c.id.in_(ids.scalar_subquery()), N.c.sent_at.is_(None),
                        N.c.claimed_at.is_(None))
        .values(claimed_at=now, attempts=N.c.attempts + 1).returning(N.c.id)).scalars().all()
    if not claimed:
        return []
    return session.execute(select(N.c.id, N.c.recipient, N.c.subject, N.c.body)
                           .where(N.c.id.in_(claimed)).order_by(N.c.id)).all()


def _recover(factory, sender, *, older_than: timedelta, now: datetime) -> None:
    """Settle the claims of a sender that stopped: sent (Notify has the reference) or released."""
    with factory() as session:
        stale = session.scalars(select(N.c.id).where(
            N.c.sent_at.is_(None), N.c.claimed_at <= now - older_than)).all()
    for notification_id in stale:
        try:
            found = sender.find(notification_id)
        except _Failed:
            return  # Notify cannot be asked now: decide next time, never guess
        with factory() as session, session.begin():
            if found is None:
                session.execute(update(N).where(N.c.id == notification_id,
                                                N.c.sent_at.is_(None))
                                .values(claimed_at=None))
            else:
                _mark_sent(session, notification_id, found.notify_id, now)


def _mark_sent(session: Session, notification_id: int, notify_id: str | None,
               now: datetime) -> None:
    session.execute(update(N).where(N.c.id == notification_id, N.c.sent_at.is_(None))
                    .values(sent_at=now, notify_id=notify_id, last_error=None))


def fold_into_digests(session: Session, *, now: datetime | None = None) -> int:
    """Fold the messages waiting for each recipient into one digest: the originals are marked
    as sent in it (``digest_id``), so one e-mail says everything that changed since the last
    run. Returns how many digests were made."""
    now = now or utcnow()
    waiting: dict[str, list[Notification]] = {}
    # Locked on PostgreSQL, so a sender claiming at the same time skips them (and claimed
    # ones are left out), so no message goes both alone and in a digest.
    for note in session.scalars(select(Notification).where(
            Notification.sent_at.is_(None), Notification.digest_id.is_(None),
            Notification.claimed_at.is_(None), Notification.attempts == 0)
            .order_by(Notification.id).with_for_update(skip_locked=True)):
        if _LINK_LINE not in note.body:
            continue
        waiting.setdefault(note.recipient, []).append(note)
    made = 0
    for recipient, notes in waiting.items():
        if len(notes) < 2:
            continue
        digest = Notification(recipient=recipient, subject=f"{len(notes)} updates in Linkwell",
                              body=_digest_body(notes), created_at=now, attempts=0)
        session.add(digest)
        session.flush()
        session.execute(update(Notification).where(
            Notification.id.in_([n.id for n in notes]))
            .values(sent_at=now, digest_id=digest.id))
        made += 1
    return made


def _digest_body(notes: list[Notification]) -> str:
    items = []
    for note in notes:
        link = note.body.split(_LINK_LINE, 1)[-1].split("\n", 1)[0]
        items.append(f"- {note.subject}:\n  {link}")
    return ("Since the last e-mail:\n\n" + "\n".join(items)
            + "\n\nThis message does not contain personal details. Do not reply to it.\n")


def _release(factory, ids: list[int], error: str) -> None:
    """Give claimed messages back to the queue with the reason they were not sent."""
    with factory() as session, session.begin():
        session.execute(update(N).where(N.c.id.in_(ids), N.c.sent_at.is_(None))
                        .values(claimed_at=None, last_error=error[:300]))
