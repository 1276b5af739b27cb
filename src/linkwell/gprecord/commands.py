"""Changes in the GP record area: queueing a message back to the GP in the same transaction as
the event it reports, the practices' MESH mailboxes, registrations, and sending the outbox.

Sending is idempotent. A message is claimed (queued -> sending, compare-and-set, committed)
before anything goes to MESH, with the message's ``local_id`` as the MESH local id. A claim
found stale on a later run (the process died mid-send) is settled by asking MESH whether a
message with that local id left our mailbox: if so it is recorded as sent, never sent again."""

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from linkwell import audit
from linkwell.auth import policy
from linkwell.auth.models import User
from linkwell.db import utcnow
from linkwell.errors import InvalidInput
from linkwell.gprecord import domain, queries
from linkwell.gprecord.mesh import Mesh, MeshUnavailable
from linkwell.gprecord.models import GpMessage, GpPractice, GpRegistration
from linkwell.referrals.models import Person

STALE_CLAIM = timedelta(minutes=10)


def queue_message(session: Session, *, referral, reason: str, episode=None,
                  now: datetime | None = None) -> GpMessage:
    """Called by ``referrals.commands`` when an episode closes or a referral is declined."""
    now = now or utcnow()
    message = GpMessage(
        local_id=str(uuid.uuid4()), kind="declined" if reason == "declined" else "closure",
        person_id=referral.person_id, referral_id=referral.id,
        episode_id=episode.id if episode is not None else None, status="queued",
        attempts=0, next_attempt_at=now, created_at=now)
    session.add(message)
    session.flush()
    _check(session, message)
    return message


def _check(session: Session, message: GpMessage) -> bool:
    """Resolve the practice and mailbox now; hold the message with an alert if it cannot go."""
    nhs_number = session.scalar(select(Person.nhs_number)
                                .where(Person.id == message.person_id))
    ods, practice = queries.practice_for(session, message.person_id)
    alert = domain.blocker(nhs_number=nhs_number, practice_ods=ods,
                           practice_known=practice is not None,
                           mailbox=practice.mesh_mailbox if practice else None)
    message.practice_ods = ods
    message.mailbox = practice.mesh_mailbox if practice else None
    message.alert = alert
    if alert:
        message.status = "waiting"
    elif message.status == "waiting":
        message.status = "queued"
    return alert is None


def _require_admin(by: User) -> None:
    if not policy.can_manage_gp_messages(by):
        raise policy.Refused("gp_practice", "list")


def save_practice(session: Session, *, by: User, ods_code: str, name: str,
                  mesh_mailbox: str | None, pcn_code: str | None = None,
                  pcn_name: str | None = None, source_ip: str | None = None) -> GpPractice:
    """Record a practice and its MESH mailbox; messages waiting for it are released."""
    _require_admin(by)
    ods_code = (ods_code or "").strip().upper()
    errors = []
    if not (3 <= len(ods_code) <= 10 and ods_code.isalnum()):
        errors.append({"field": "ods_code", "message": "an ODS code is 3 to 10 letters or digits"})
    if not (name or "").strip():
        errors.append({"field": "name", "message": "enter the practice name"})
    mailbox = (mesh_mailbox or "").strip().upper() or None
    if mailbox is not None and not (mailbox.isalnum() and len(mailbox) <= 20):
        errors.append({"field": "mesh_mailbox", "message": "a MESH mailbox id is letters and "
                                                           "digits"})
    if errors:
        raise InvalidInput("Check the practice details", errors=errors)
    practice = session.get(GpPractice, ods_code) or GpPractice(ods_code=ods_code)
    practice.name, practice.mesh_mailbox = name.strip(), mailbox
    practice.pcn_code, practice.pcn_name = pcn_code or None, pcn_name or None
    practice.updated_at = utcnow()
    session.add(practice)
    session.flush()
    audit.record(session, action="update", object_type="gp_practice", object_id=ods_code,
                 detail={"mesh_mailbox": mailbox}, **audit.actor(by, source_ip))
    recheck_waiting(session)
    return practice


def register(session: Session, *, person_id: int, practice_ods: str) -> None:
    """Record the practice a person is registered with (from the referral or PDS)."""
    row = session.get(GpRegistration, person_id) or GpRegistration(person_id=person_id)
    row.practice_ods, row.recorded_at = practice_ods.strip().upper(), utcnow()
    session.add(row)
    session.flush()


def recheck_waiting(session: Session) -> int:
    """Release waiting messages whose NHS number, practice or mailbox is now known."""
    released = 0
    for message in session.scalars(select(GpMessage).where(GpMessage.status == "waiting")):
        released += _check(session, message)
    return released


# --- Sending -----------------------------------------------------------------------------------

@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    waiting: int = 0
    recovered: int = 0
    acknowledged: int = 0


def send_outbox(factory: sessionmaker, mesh: Mesh, *, now: datetime | None = None,
                limit: int = 10_000) -> SendReport:
    """Send every due message, each in its own short transactions."""
    now = now or utcnow()
    report = SendReport()
    with factory.begin() as session:
        recheck_waiting(session)
        report.waiting = len(session.scalars(select(GpMessage.id)
                                             .where(GpMessage.status == "waiting")).all())
        stale = list(session.scalars(select(GpMessage).where(
            GpMessage.status == "sending", GpMessage.claimed_at < now - STALE_CLAIM)))
    for message in stale:
        _recover(factory, mesh, message.id, message.local_id, report)
    with factory() as session:
        due = list(session.execute(
            select(GpMessage.id, GpMessage.status).where(
                GpMessage.status == "queued", GpMessage.next_attempt_at <= now)
            .order_by(GpMessage.id).limit(limit)))
    for message_id, _status in due:
        _send_one(factory, mesh, message_id, now, report)
    return report


def _claim(session: Session, message_id: int, now: datetime) -> bool:
    result = session.execute(
        update(GpMessage).where(GpMessage.id == message_id, GpMessage.status == "queued")
        .values(status="sending", claimed_at=now, attempts=GpMessage.attempts + 1))
    return result.rowcount == 1


def _send_one(factory: sessionmaker, mesh: Mesh, message_id: int, now: datetime,
              report: SendReport) -> None:
    with factory.begin() as session:
        message = session.get(GpMessage, message_id)
        if not _check(session, message):  # registration or mailbox changed since queueing
            return
        if not _claim(session, message_id, now):
            return  # another sender has it
        session.refresh(message)
        facts = queries.message_facts(session, message)
        mailbox, local_id, attempts = message.mailbox, message.local_id, message.attempts
    bundle = domain.build_bundle(facts, domain.render_pdf(facts), now=now)
    body = json.dumps(bundle, separators=(",", ":")).encode()
    try:
        sent = mesh.send(mailbox=mailbox, local_id=local_id,
                         subject=domain.title(facts.kind), body=body)
    except MeshUnavailable as exc:
        with factory.begin() as session:
            last = attempts >= domain.MAX_ATTEMPTS
            session.execute(update(GpMessage).where(GpMessage.id == message_id).values(
                status="failed" if last else "queued", claimed_at=None,
                next_attempt_at=now + timedelta(seconds=domain.backoff_seconds(attempts)),
                alert=f"MESH send failed ({exc}) on attempt {attempts}"))
        if last:
            report.failed += 1
        else:
            report.retried += 1
        return
    with factory.begin() as session:
        session.execute(update(GpMessage).where(GpMessage.id == message_id).values(
            status="sent", mesh_message_id=sent.message_id, sent_at=now, alert=None))
    report.sent += 1


def _recover(factory: sessionmaker, mesh: Mesh, message_id: int, local_id: str,
             report: SendReport) -> None:
    try:
        found = mesh.sent_with_local_id(local_id)
    except MeshUnavailable:
        return
    with factory.begin() as session:
        values = ({"status": "sent", "mesh_message_id": found, "sent_at": utcnow()} if found
                  else {"status": "queued", "claimed_at": None})
        session.execute(update(GpMessage).where(GpMessage.id == message_id,
                                                GpMessage.status == "sending").values(**values))
    report.recovered += 1


def track_acknowledgements(factory: sessionmaker, mesh: Mesh) -> int:
    """Ask MESH about sent messages; those the practice has downloaded become acknowledged,
    and those MESH could not deliver become failed with an alert."""
    with factory() as session:
        sent = list(session.execute(select(GpMessage.id, GpMessage.mesh_message_id)
                                    .where(GpMessage.status == "sent")))
    acknowledged = 0
    for message_id, mesh_id in sent:
        try:
            status = mesh.status(mesh_id)
        except MeshUnavailable:
            continue
        with factory.begin() as session:
            if status == "acknowledged":
                acknowledged += session.execute(update(GpMessage).where(
                    GpMessage.id == message_id, GpMessage.status == "sent").values(
                    status="acknowledged", acknowledged_at=utcnow())).rowcount
            elif status in ("undeliverable", "error", "expired"):
                session.execute(update(GpMessage).where(GpMessage.id == message_id).values(
                    status="failed", alert=f"MESH reports the message {status}"))
    return acknowledged


def retry(session: Session, *, by: User, message_id: int, source_ip: str | None = None) -> None:
    """An administrator sends a failed message again (same local id: never a duplicate)."""
    _require_admin(by)
    session.execute(update(GpMessage).where(
        GpMessage.id == message_id, or_(GpMessage.status == "failed",
                                        GpMessage.status == "waiting"))
        .values(status="queued", next_attempt_at=utcnow(), attempts=0))
    audit.record(session, action="retry", object_type="gp_message", object_id=message_id,
                 detail={}, **audit.actor(by, source_ip))
