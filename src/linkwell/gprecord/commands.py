"""Changes in the GP record area: queueing a message back to the GP in the same transaction as
the event it reports, the practices' MESH mailboxes, registrations, and sending the outbox.

Sending is idempotent. A message is claimed (queued -> sending, compare-and-set, committed)
before anything goes to MESH, with the message's ``local_id`` as the MESH local id. A claim
found stale on a later run (the process died mid-send) is settled by asking MESH whether a
message with that local id left our mailbox: if so it is recorded as sent, never sent again."""

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from linkwell import audit
from linkwell.auth import policy
from linkwell.auth.models import User
from linkwell.codes import clinical as coded
from linkwell.db import utcnow
from linkwell.errors import InvalidInput
from linkwell.gprecord import domain, queries
from linkwell.gprecord.mesh import Mesh, MeshUnavailable
from linkwell.gprecord.models import GpMessage, GpPractice, GpRegistration
from linkwell.notifications import outbox
from linkwell.referrals.models import Person
from linkwell.settings import get_settings

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
    _tell_referrer(session, referral, message)
    return message


def _tell_referrer(session: Session, referral, message: GpMessage) -> None:
    """The referrer's copy: an e-mail (no personal details, as every notification) linking
    to the same summary, which only those who may see the referral can open."""
    if referral.referrer_id is None:
        return
    email = session.scalar(select(User.email).where(User.id == referral.referrer_id))
    if email:
        link = get_settings().public_link(f"/gp-messages/{message.id}/summary.pdf")
        outbox.queue(session, [email], f"The summary of referral {referral.id} is "
                                              "ready", link)


def _check(session: Session, message: GpMessage) -> bool:
    """Resolve the NHS number, practice and mailbox now; hold the message with an alert if it
    cannot go. A person with no NHS number recorded is matched on demographics
    (``domain.match_demographics``) or the message waits, flagged for the administrator."""
    person = session.get(Person, message.person_id)
    ods, practice = queries.practice_for(session, message.person_id)
    nhs_number, source, matched, no_match = person.nhs_number, "recorded", None, None
    if not nhs_number:
        found, no_match = domain.match_demographics(
            queries.demographics(session, person, ods),
            queries.demographic_candidates(session, person))
        if found is not None:
            nhs_number, source, matched = found.nhs_number, "demographics", found.person_id
    alert = no_match or domain.blocker(nhs_number=nhs_number, practice_ods=ods,
                                       practice_known=practice is not None,
                                       mailbox=practice.mesh_mailbox if practice else None)
    message.nhs_number = nhs_number
    message.nhs_number_source = source if nhs_number else None
    message.matched_person_id = matched
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
                limit: int = 10_000, code_systems: str | None = None) -> SendReport:
    """Send every due message: claimed a batch at a time (one committed transaction), built,
    sent over MESH by a few threads at once (the wait is the network's), and the outcomes
    recorded in one transaction per batch. ``code_systems``: where this deployment's own
    code systems live (``codes.local_system_base``; by default from the settings)."""
    now = now or utcnow()
    code_systems = code_systems if code_systems is not None else coded.local_system_base()
    report = SendReport()
    with factory.begin() as session:
        recheck_waiting(session)
        report.waiting = len(session.scalars(select(GpMessage.id)
                                             .where(GpMessage.status == "waiting")).all())
        stale = list(session.execute(select(GpMessage.id, GpMessage.local_id).where(
            GpMessage.status == "sending", GpMessage.claimed_at < now - STALE_CLAIM)))
    for message_id, local_id in stale:
        _recover(factory, mesh, message_id, local_id, report)
    with factory() as session:
        due = list(session.scalars(
            select(GpMessage.id).where(GpMessage.status == "queued",
                                       GpMessage.next_attempt_at <= now)
            .order_by(GpMessage.id).limit(limit)))
    with ThreadPoolExecutor(max_workers=SEND_THREADS) as pool:
        for first in range(0, len(due), BATCH):
            claimed = _claim_batch(factory, due[first:first + BATCH], now)
            futures = [(item, pool.submit(_build_and_send, mesh, item, now, code_systems))
                       for item in claimed]
            _record(factory, [(item, future.exception() or future.result())
                              for item, future in futures], now, report)
    return report


SEND_THREADS = 4
BATCH = 50


@dataclass(frozen=True)
class _Claimed:
    message_id: int
    mailbox: str
    attempts: int
    facts: domain.MessageFacts


def _claim_batch(factory: sessionmaker, ids: list[int], now: datetime) -> list[_Claimed]:
    """Claim (queued -> sending, compare-and-set) and read what each message says, committed
    before anything is sent."""
    claimed = []
    with factory.begin() as session:
        for message_id in ids:
            message = session.get(GpMessage, message_id)
            if not _check(session, message):  # registration or mailbox changed meanwhile
                continue
            if not _claim(session, message_id, now):
                continue  # another sender has it
            session.refresh(message)
            claimed.append(_Claimed(message_id, message.mailbox, message.attempts,
                                    queries.message_facts(session, message)))
    return claimed


def _claim(session: Session, message_id: int, now: datetime) -> bool:
    result = session.execute(
        update(GpMessage).where(GpMessage.id == message_id, GpMessage.status == "queued")
        .values(status="sending", claimed_at=now, attempts=GpMessage.attempts + 1))
    return result.rowcount == 1


def _build_and_send(mesh: Mesh, item: _Claimed, now: datetime, code_systems: str) -> str:
    bundle = domain.build_bundle(item.facts, domain.render_pdf(item.facts), now=now,
                                 code_systems=code_systems)
    body = json.dumps(bundle, separators=(",", ":")).encode()
    return mesh.send(mailbox=item.mailbox, local_id=item.facts.local_id,
                     subject=domain.title(item.facts.kind), body=body).message_id


def _record(factory: sessionmaker, outcomes: list, now: datetime, report: SendReport) -> None:
    with factory.begin() as session:
        for item, outcome in outcomes:
            if isinstance(outcome, str):
                session.execute(update(GpMessage).where(GpMessage.id == item.message_id)
                                .values(status="sent", mesh_message_id=outcome, sent_at=now,
                                        alert=None))
                report.sent += 1
                continue
            if not isinstance(outcome, MeshUnavailable):
                raise outcome  # a bug, not an outage: the claim stays for recovery
            last = item.attempts >= domain.MAX_ATTEMPTS
            session.execute(update(GpMessage).where(GpMessage.id == item.message_id).values(
                status="failed" if last else "queued", claimed_at=None,
                next_attempt_at=now + timedelta(seconds=domain.backoff_seconds(item.attempts)),
                alert=f"MESH send failed ({outcome}) on attempt {item.attempts}"))
            if last:
                report.failed += 1
            else:
                report.retried += 1


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
