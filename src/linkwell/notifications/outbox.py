"""Staff e-mail: queued in the outbox with the change that caused it, sent later.

A message says that something is waiting and links to it; it never carries a name, a note or
any other personal data, because e-mail is not a safe place for health records.
"""

import smtplib
from datetime import datetime
from email.message import EmailMessage
from functools import lru_cache

from sqlalchemy import Insert, Select, String, bindparam, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from linkwell.db import utcnow
from linkwell.notifications.models import Notification
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
    """Send queued messages; return (sent, failed). A failure stays queued for the next run.

    Each message is marked in its own transaction after the SMTP server accepted it, so an
    outage part-way loses nothing (a crash between send and commit may send one twice).
    """
    if settings.notification_digest:
        with factory() as session, session.begin():
            fold_into_digests(session, now=now)
    with factory() as session:
        pending = session.scalars(
            select(Notification)
            .where(Notification.sent_at.is_(None), Notification.attempts < MAX_ATTEMPTS)
            .order_by(Notification.id).limit(limit)
        ).all()
    sent = failed = 0
    if not pending:
        return sent, failed
    try:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10)
    except OSError as exc:
        _mark_failed(factory, [n.id for n in pending], str(exc))
        return 0, len(pending)
    with smtp:
        for note in pending:
            message = EmailMessage()
            message["From"] = settings.smtp_sender
            message["To"] = note.recipient
            message["Subject"] = note.subject
            message.set_content(note.body)
            try:
                smtp.send_message(message)
            except smtplib.SMTPException as exc:
                _mark_failed(factory, [note.id], str(exc))
                failed += 1
                continue
            with factory() as session, session.begin():
                session.execute(update(Notification).where(Notification.id == note.id)
                                .values(sent_at=now or utcnow(),
                                        attempts=Notification.attempts + 1))
            sent += 1
    return sent, failed


def fold_into_digests(session: Session, *, now: datetime | None = None) -> int:
    """Fold the messages waiting for each recipient into one digest: the originals are marked
    as sent in it (``digest_id``), so one e-mail says everything that changed since the last
    run. Returns how many digests were made."""
    now = now or utcnow()
    waiting: dict[str, list[Notification]] = {}
    for note in session.scalars(select(Notification).where(
            Notification.sent_at.is_(None), Notification.digest_id.is_(None),
            Notification.attempts == 0).order_by(Notification.id)):
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


def _mark_failed(factory, ids: list[int], error: str) -> None:
    with factory() as session, session.begin():
        session.execute(update(Notification).where(Notification.id.in_(ids))
                        .values(attempts=Notification.attempts + 1, last_error=error[:300]))
