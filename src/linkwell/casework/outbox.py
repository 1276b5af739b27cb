"""Sending the outbox through Notify, so that no message is lost or sent twice.

Each message moves ``queued`` → ``sending`` → ``sent`` with compare-and-set UPDATEs, each in
its own short transaction:

1. *claim*: a batch of queued rows becomes ``sending`` (a second sender running at the same
   time claims other rows, never the same ones);
2. *send*: one request to Notify per row, carrying the row's unique ``reference``;
3. *record*: ``sent`` with Notify's id, or back to ``queued`` with the error to show.

A sender that dies between 2 and 3 leaves rows ``sending``. ``recover`` asks Notify for each
such reference: found means it was sent (recorded as such), not found means it was not (queued
again). So a crash never sends a message twice and never loses one.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from linkwell.casework.domain import NOTIFY_STATUSES, MessageStatus
from linkwell.casework.models import PersonMessage
from linkwell.db import utcnow
from linkwell.notifications.notify import Notify, NotifyError
from linkwell.settings import Settings

M = PersonMessage.__table__


@dataclass
class Run:
    sent: int = 0
    failed: int = 0
    recovered: int = 0
    waiting: int = 0
    errors: list[str] = field(default_factory=list)


def _claim(session: Session, batch: int, now: datetime) -> list[PersonMessage]:
    # On PostgreSQL a second sender skips the rows the first is claiming instead of waiting
    # for them (SQLite has one writer at a time and no FOR UPDATE).
    ids = (select(M.c.id).where(M.c.status == MessageStatus.QUEUED).order_by(M.c.id)
           .limit(batch).with_for_update(skip_locked=True))
    claimed = session.execute(
        update(M).where(M.c.id.in_(ids.scalar_subquery()), M.c.status == MessageStatus.QUEUED)
        .values(status=str(MessageStatus.SENDING), claimed_at=now, attempts=M.c.attempts + 1)
        .returning(M.c.id)).scalars().all()
    if not claimed:
        return []
    rows = session.execute(select(M).where(M.c.id.in_(claimed)).order_by(M.c.id)).all()
    return rows


def _status(notify_status: str) -> MessageStatus:
    return NOTIFY_STATUSES.get(notify_status, MessageStatus.SENT)


def _record(session: Session, message_id: int, **values) -> None:
    session.execute(update(M).where(M.c.id == message_id,
                                    M.c.status == MessageStatus.SENDING).values(**values))


def recover(sessions: sessionmaker, notify: Notify, *, older_than: timedelta,
            now: datetime | None = None) -> int:
    """Settle rows left ``sending`` by a sender that stopped: ask Notify by reference."""
    now = now or utcnow()
    with sessions() as session, session.begin():
        stale = session.execute(select(M.c.id, M.c.reference).where(
            M.c.status == MessageStatus.SENDING, M.c.claimed_at <= now - older_than)).all()
    for message_id, reference in stale:
        try:
            found = notify.find(reference)
        except NotifyError:
            continue  # Notify unreachable: decide next time, never guess
        with sessions() as session, session.begin():
            if found is None:
                _record(session, message_id, status=str(MessageStatus.QUEUED))
            else:
                _record(session, message_id, status=str(_status(found.status)),
                        notify_id=found.notify_id, sent_at=now, last_error=None)
    return len(stale)


def send_queued(sessions: sessionmaker, settings: Settings, *, batch: int = 100,
                limit: int | None = None, notify: Notify | None = None,
                claim_timeout: timedelta | None = None) -> Run:
    """Send what is queued. Without ``LINKWELL_NOTIFY_API_KEY`` nothing moves: the count of
    waiting messages is reported and they stay in the outbox for staff to see."""
    run = Run()
    if not settings.notify_api_key:
        with sessions() as session:
            run.waiting = session.query(M).filter(M.c.status == MessageStatus.QUEUED).count()
        return run
    notify = notify or Notify(settings)
    timeout = claim_timeout if claim_timeout is not None else timedelta(
        minutes=settings.notify_claim_timeout_minutes)
    run.recovered = recover(sessions, notify, older_than=timeout)
    done = 0
    while limit is None or done < limit:
        size = batch if limit is None else min(batch, limit - done)
        with sessions() as session, session.begin():
            rows = _claim(session, size, utcnow())
        if not rows:
            break
        for row in rows:
            done += 1
            template = settings.notify_template(row.kind, row.channel)
            try:
                if not template:
                    raise NotifyError(0, f"no template id is set for {row.kind} by {row.channel} "
                                         f"(LINKWELL_NOTIFY_TEMPLATE_{row.kind.upper()}_"
                                         f"{row.channel.upper()})")
                sent = notify.send(channel=row.channel, recipient=row.recipient,
                                   template_id=template, personalisation=row.personalisation,
                                   reference=row.reference)
            except NotifyError as exc:
                run.failed += 1
                run.errors.append(str(exc))
                with sessions() as session, session.begin():
                    _record(session, row.id, status=str(MessageStatus.QUEUED),
                            last_error=str(exc))
                continue
            run.sent += 1
            with sessions() as session, session.begin():
                _record(session, row.id, status=str(_status(sent.status)),
                        notify_id=sent.notify_id,
                        sent_at=utcnow(), last_error=None)
        if run.failed and not run.sent:
            break  # Notify is down or refusing everything: leave the rest for the next run
    with sessions() as session:
        run.waiting = session.query(M).filter(M.c.status == MessageStatus.QUEUED).count()
    return run


def poll_statuses(sessions: sessionmaker, settings: Settings, *,
                  notify: Notify | None = None) -> dict[str, int]:
    """Ask Notify how each sent message fared and record delivered or failed."""
    if not settings.notify_api_key:
        return {}
    notify = notify or Notify(settings)
    with sessions() as session:
        pending = session.execute(select(M.c.id, M.c.notify_id).where(
            M.c.status == MessageStatus.SENT, M.c.notify_id.is_not(None))).all()
    counts: dict[str, int] = {}
    for message_id, notify_id in pending:
        try:
            status = _status(notify.status(notify_id))
        except NotifyError:
            continue
        counts[str(status)] = counts.get(str(status), 0) + 1
        if status != MessageStatus.SENT:
            with sessions() as session, session.begin():
                session.execute(update(M).where(M.c.id == message_id,
                                                M.c.status == MessageStatus.SENT)
                                .values(status=str(status), status_at=utcnow()))
    return counts
