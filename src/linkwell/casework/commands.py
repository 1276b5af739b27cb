"""Every change to casework, as one small command each, in the shape of
``referrals.commands``: ``(session, *, by, …, source_ip)``, access checked through
``auth.policy`` (the episode's team), and an audit event in the caller's transaction.

An edit never overwrites: it is a compare-and-set on the row's ``version`` and a new row in
the version table, so every state a task or appointment was ever in can be shown.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linkwell import audit, persistence
from linkwell.auth import policy
from linkwell.auth.models import User
from linkwell.casework import domain, plan, queries
from linkwell.casework.domain import AppointmentOutcome, Channel, MessageKind, MessageStatus
from linkwell.casework.models import (
    Appointment,
    AppointmentVersion,
    CalendarFeed,
    CaseworkIdempotencyKey,
    GoalProgress,
    MessageConsent,
    PersonMessage,
    RecordSeen,
    Task,
    TaskVersion,
)
from linkwell.db import utcnow
from linkwell.errors import Conflict, InvalidInput
from linkwell.referrals.commands import load_episode
from linkwell.referrals.models import Episode, Person
from linkwell.settings import Settings

# --- Idempotency ------------------------------------------------------------------------------

_KEYS = CaseworkIdempotencyKey.__table__
_CLAIM_KEY = {
    name: dialect.insert(_KEYS).on_conflict_do_nothing(index_elements=["scope", "key"])
    .returning(_KEYS.c.id)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}
_SET_KEY_OBJECT = (update(_KEYS).where(_KEYS.c.id == bindparam("key_id"))
                   .values(object_id=bindparam("object_id")))


def _claim(session: Session, kind: str, by: User, key: str | None, now: datetime
           ) -> tuple[int | None, int | None]:
    """(key row id to fill in, None) for a first request; (None, object id) for a retry."""
    key = (key or "").strip()[:100] or None
    if key is None:
        return None, None
    scope = f"{kind}:user:{by.id}"
    key_id = session.scalar(_CLAIM_KEY[session.get_bind().dialect.name],
                            {"scope": scope, "key": key, "created_at": now})
    if key_id is not None:
        return key_id, None
    object_id = session.scalar(select(CaseworkIdempotencyKey.object_id).where(
        CaseworkIdempotencyKey.scope == scope, CaseworkIdempotencyKey.key == key))
    if object_id is None:
        raise Conflict("This is being submitted twice at once; try again in a moment.")
    return None, object_id


# --- Tasks ------------------------------------------------------------------------------------

def _snapshot_task(session: Session, task: Task, by: User | None, now: datetime) -> None:
    session.add(TaskVersion(task_id=task.id, version=task.version, title=task.title,
                            due_date=task.due_date, done=task.done,
                            assigned_to_id=task.assigned_to_id, recorded_at=now,
                            changed_by_id=by.id if by else None))


def _check_assignee(session: Session, episode: Episode, assigned_to_id: int | None,
                    field: str) -> int | None:
    """Tasks and appointments belong to a link worker of the episode's team."""
    if assigned_to_id is None:
        return None
    user = session.get(User, assigned_to_id)
    if user is None or not policy.can_manage_caseload(user, episode.team_id):
        raise domain.field_error(field, "Choose a link worker in this episode's team")
    return user.id


def add_task(session: Session, *, by: User, episode_id: int, title: str,
             due_date: date | None, assigned_to_id: int | None = None,
             idempotency_key: str | None = None, source_ip: str | None = None,
             now: datetime | None = None) -> tuple[Task, bool]:
    """Add a task to an episode; returns (task, created). A retry with the same
    ``idempotency_key`` returns the first task."""
    now = now or utcnow()
    episode = load_episode(session, by=by, episode_id=episode_id)
    key_id, existing = _claim(session, "task", by, idempotency_key, now)
    if existing is not None:
        return session.get(Task, existing), False
    if episode.closed_at is not None:
        raise Conflict("This episode is closed; reopen support before adding tasks")
    checked = domain.validated(title=lambda: domain.check_title(title),
                               due_date=lambda: domain.check_due_date(due_date, now.date()))
    task = Task(episode_id=episode.id, title=checked["title"], due_date=checked["due_date"],
                assigned_to_id=_check_assignee(session, episode,
                                               assigned_to_id or episode.link_worker_id or by.id,
                                               "assigned_to_id"),
                done=False, version=1, created_at=now)
    session.add(task)
    session.flush()
    _snapshot_task(session, task, by, now)
    if key_id is not None:
        session.execute(_SET_KEY_OBJECT, {"key_id": key_id, "object_id": task.id})
    audit.record(session, action="create", object_type="task", object_id=task.id,
                 detail={"episode_id": episode.id}, **audit.actor(by, source_ip))
    return task, True


def _next_version(session: Session, row: Task | Appointment, values: dict,
                  what: str) -> list[str]:
    """Write ``values`` as the row's next version, compare-and-set on the version it was read
    at (``persistence.compare_and_set``), and return the fields that changed (none: nothing is
    written). The caller snapshots the new version and audits it."""
    changed = [k for k, v in values.items() if getattr(row, k) != v]
    if changed and not persistence.compare_and_set(session, row, version=row.version,
                                                   values=values):
        raise Conflict(f"Someone else changed this {what} at the same time; reload and try "
                       "again")
    return changed


def load_task(session: Session, *, by: User, task_id: int) -> Task:
    return queries.managed(session, by, Task, "task", task_id)


def update_task(session: Session, *, by: User, task_id: int, version: int | None,
                title: str | None = None, due_date: date | None = None,
                done: bool | None = None, assigned_to_id: int | None = None,
                source_ip: str | None = None, now: datetime | None = None) -> Task:
    """Change a task (mark it done, move its date, …): a new version, the old one kept."""
    now = now or utcnow()
    task = load_task(session, by=by, task_id=task_id)
    domain.check_version(version, task.version)
    episode = session.get(Episode, task.episode_id)
    values = {
        "title": domain.check_title(title) if title is not None else task.title,
        "due_date": (domain.check_due_date(due_date, now.date()) if due_date is not None
                     else task.due_date),
        "done": task.done if done is None else bool(done),
        "assigned_to_id": (_check_assignee(session, episode, assigned_to_id, "assigned_to_id")
                           if assigned_to_id is not None else task.assigned_to_id),
    }
    changed = _next_version(session, task, values, "task")
    if not changed:
        return task
    _snapshot_task(session, task, by, now)
    audit.record(session, action="update", object_type="task", object_id=task.id,
                 detail={"fields": changed, "version": task.version},
                 **audit.actor(by, source_ip))
    return task


# --- Appointments -----------------------------------------------------------------------------

@dataclass
class Booking:
    appointment: Appointment
    warnings: list[str]
    created: bool = True


def _snapshot_appointment(session: Session, a: Appointment, by: User | None,
                          now: datetime) -> None:
    session.add(AppointmentVersion(
        appointment_id=a.id, version=a.version, link_worker_id=a.link_worker_id,
        starts_at=a.starts_at, ends_at=a.ends_at, kind=a.kind, place=a.place,
        outcome=a.outcome, recorded_at=now, changed_by_id=by.id if by else None))


def clashes(session: Session, *, link_worker_id: int | None, starts_at: datetime,
            ends_at: datetime, except_id: int | None = None) -> int:
    """How many of the link worker's other live appointments overlap this time."""
    if link_worker_id is None:
        return 0
    query = select(func.count()).select_from(Appointment).where(
        Appointment.link_worker_id == link_worker_id,
        Appointment.outcome != AppointmentOutcome.CANCELLED,
        Appointment.starts_at < ends_at, Appointment.ends_at > starts_at)
    if except_id is not None:
        query = query.where(Appointment.id != except_id)
    return session.scalar(query)


def book_appointment(session: Session, *, by: User, episode_id: int,
                     starts_at: datetime | None, ends_at: datetime | None, kind: str,
                     place: str = "", link_worker_id: int | None = None,
                     idempotency_key: str | None = None, source_ip: str | None = None,
                     now: datetime | None = None) -> Booking:
    """Book an appointment with the person. A time in the past or one that overlaps another
    of the link worker's appointments is booked with a warning, not refused."""
    now = now or utcnow()
    episode = load_episode(session, by=by, episode_id=episode_id)
    key_id, existing = _claim(session, "appointment", by, idempotency_key, now)
    if existing is not None:
        return Booking(session.get(Appointment, existing), [], created=False)
    if episode.closed_at is not None:
        raise Conflict("This episode is closed; reopen support before booking")
    checked = domain.validated(times=lambda: domain.check_times(starts_at, ends_at),
                               kind=lambda: domain.check_kind(kind),
                               place=lambda: domain.check_place(
                                   place, domain.AppointmentKind(kind)
                                   if kind in set(domain.AppointmentKind) else None))
    (start, end), kind_code = checked["times"], checked["kind"]
    worker = _check_assignee(session, episode,
                             link_worker_id or episode.link_worker_id or by.id, "link_worker_id")
    appointment = Appointment(episode_id=episode.id, link_worker_id=worker, starts_at=start,
                              ends_at=end, kind=str(kind_code), place=checked["place"],
                              outcome=str(AppointmentOutcome.BOOKED), version=1,
                              created_at=now)
    warnings = domain.booking_warnings(start, now, clashes(
        session, link_worker_id=worker, starts_at=start, ends_at=end))
    session.add(appointment)
    session.flush()
    _snapshot_appointment(session, appointment, by, now)
    if key_id is not None:
        session.execute(_SET_KEY_OBJECT, {"key_id": key_id, "object_id": appointment.id})
    audit.record(session, action="create", object_type="appointment", object_id=appointment.id,
                 detail={"episode_id": episode.id, "warnings": len(warnings)},
                 **audit.actor(by, source_ip))
    return Booking(appointment, warnings)


def load_appointment(session: Session, *, by: User, appointment_id: int) -> Appointment:
    return queries.managed(session, by, Appointment, "appointment", appointment_id)


def update_appointment(session: Session, *, by: User, appointment_id: int,
                       version: int | None, starts_at: datetime | None = None,
                       ends_at: datetime | None = None, kind: str | None = None,
                       place: str | None = None, outcome: str | None = None,
                       source_ip: str | None = None, now: datetime | None = None) -> Booking:
    """Move an appointment or record how it went (attended, did not attend, cancelled)."""
    now = now or utcnow()
    a = load_appointment(session, by=by, appointment_id=appointment_id)
    domain.check_version(version, a.version)
    start, end = domain.check_times(starts_at or a.starts_at, ends_at or a.ends_at)
    kind_code = domain.check_kind(kind if kind is not None else a.kind)
    values = {"starts_at": start, "ends_at": end, "kind": str(kind_code),
              "place": domain.check_place(place if place is not None else a.place, kind_code),
              "outcome": str(domain.check_outcome(outcome)) if outcome is not None
              else a.outcome}
    if values["outcome"] != AppointmentOutcome.BOOKED and start > now \
            and values["outcome"] != AppointmentOutcome.CANCELLED:
        raise domain.field_error("outcome", "Attendance can be recorded once the "
                                            "appointment has started")
    changed = _next_version(session, a, values, "appointment")
    if not changed:
        return Booking(a, [], created=False)
    _snapshot_appointment(session, a, by, now)
    warnings = []
    if {"starts_at", "ends_at"} & set(changed) and a.outcome == AppointmentOutcome.BOOKED:
        warnings = domain.booking_warnings(a.starts_at, now, clashes(
            session, link_worker_id=a.link_worker_id, starts_at=a.starts_at,
            ends_at=a.ends_at, except_id=a.id))
    audit.record(session, action="update", object_type="appointment", object_id=a.id,
                 detail={"fields": changed, "version": a.version, "outcome": a.outcome},
                 **audit.actor(by, source_ip))
    return Booking(a, warnings, created=False)


# --- The calendar feed ------------------------------------------------------------------------

def new_calendar_secret(session: Session, *, by: User, source_ip: str | None = None,
                        now: datetime | None = None) -> str:
    """A new secret for the link worker's feed; any earlier address stops working. The
    secret is returned once and only its hash is kept."""
    from linkwell.auth.tokens import new_token, token_hash

    if not by.has_role(policy.Role.LINK_WORKER):
        raise policy.Refused("calendar_feed", by.id)
    now = now or utcnow()
    secret = new_token()
    feed = session.get(CalendarFeed, by.id)
    if feed is None:
        session.add(CalendarFeed(user_id=by.id, secret_hash=token_hash(secret), created_at=now))
    else:
        feed.secret_hash, feed.created_at = token_hash(secret), now
    session.flush()
    audit.record(session, action="create" if feed is None else "update",
                 object_type="calendar_feed", object_id=by.id, **audit.actor(by, source_ip))
    return secret


# --- Consent and messages ---------------------------------------------------------------------

def _person_for_casework(session: Session, by: User, person_id: int) -> tuple[Person, Episode]:
    """The person and their open episode, which the caller must manage."""
    episode = session.scalar(select(Episode).where(Episode.person_id == person_id,
                                                   Episode.closed_at.is_(None))
                             .order_by(Episode.id.desc()).limit(1))
    if episode is None or not policy.can_manage_caseload(by, episode.team_id):
        raise policy.Refused("person", person_id)
    return episode.person, episode


def record_consent(session: Session, *, by: User, person_id: int, channel: str, agreed: bool,
                   source_ip: str | None = None, now: datetime | None = None) -> MessageConsent:
    now = now or utcnow()
    person, _episode = _person_for_casework(session, by, person_id)
    try:
        code = Channel(channel)
    except ValueError:
        raise domain.field_error("channel", "Choose e-mail or text message") from None
    consent = MessageConsent(person_id=person.id, channel=str(code), agreed=bool(agreed),
                             recorded_at=now, recorded_by_id=by.id)
    session.add(consent)
    session.flush()
    audit.record(session, action="create", object_type="message_consent", object_id=consent.id,
                 detail={"person_id": person.id, "channel": str(code), "agreed": bool(agreed)},
                 **audit.actor(by, source_ip))
    return consent


def consents_of(session: Session, person_id: int) -> dict[Channel, bool]:
    """The latest answer for each channel (none recorded counts as no)."""
    rows = session.execute(select(MessageConsent.channel, MessageConsent.agreed)
                           .where(MessageConsent.person_id == person_id)
                           .order_by(MessageConsent.id)).all()
    return {Channel(channel): agreed for channel, agreed in rows}


def queue_message(session: Session, *, by: User | None, person: Person, episode: Episode,
                  kind: MessageKind, personalisation: dict, reference: str,
                  channel: Channel | None = None, source_ip: str | None = None,
                  now: datetime | None = None) -> PersonMessage:
    """Put a message in the outbox, or refuse it (with the reason) when the person has not
    agreed to that channel or has no valid address for it. A reference already queued
    returns the message queued before, never a second one."""
    now = now or utcnow()
    existing = session.scalar(select(PersonMessage).where(PersonMessage.reference == reference))
    if existing is not None:
        return existing
    chosen, recipient = domain.choose_channel(
        preference=person.contact_preference, consents=consents_of(session, person.id),
        email=person.email, phone=person.phone, channel=channel)
    message = PersonMessage(person_id=person.id, episode_id=episode.id, kind=str(kind),
                            channel=str(chosen), recipient=recipient,
                            personalisation=personalisation, reference=reference,
                            status=str(MessageStatus.QUEUED), attempts=0, created_at=now,
                            created_by_id=by.id if by else None)
    session.add(message)
    session.flush()
    audit.record(session, action="create", object_type="person_message", object_id=message.id,
                 detail={"person_id": person.id, "kind": str(kind), "channel": str(chosen)},
                 **audit.actor(by, source_ip))
    return message


def _first_name(person: Person) -> str:
    return person.given_name


def send_reminder(session: Session, *, by: User | None, appointment: Appointment,
                  settings: Settings, source_ip: str | None = None,
                  now: datetime | None = None) -> PersonMessage:
    episode = session.get(Episode, appointment.episode_id)
    return queue_message(
        session, by=by, person=episode.person, episode=episode,
        kind=MessageKind.APPOINTMENT_REMINDER,
        personalisation={"name": _first_name(episode.person),
                         "when": domain.uk_when(appointment.starts_at),
                         "how": domain.AppointmentKind(appointment.kind).label.lower(),
                         "place": appointment.place or ""},
        reference=domain.reminder_reference(appointment.id, appointment.starts_at),
        source_ip=source_ip, now=now)


@dataclass
class DueReminders:
    queued: int
    refused: list[tuple[int, str]]  # (appointment id, reason): shown, never silently dropped


def queue_due_reminders(session: Session, *, settings: Settings,
                        now: datetime | None = None) -> DueReminders:
    """Reminders for tomorrow's booked appointments (UK days), once each: the system acts."""
    now = now or utcnow()
    start, end = domain.uk_day_bounds(now.astimezone(domain.LONDON).date() + timedelta(days=1))
    appointments = list(session.scalars(select(Appointment).where(
        Appointment.outcome == AppointmentOutcome.BOOKED,
        Appointment.starts_at >= start, Appointment.starts_at < end).order_by(Appointment.id)))
    queued, refused = 0, []
    for appointment in appointments:
        reference = domain.reminder_reference(appointment.id, appointment.starts_at)
        if session.scalar(select(PersonMessage.id).where(PersonMessage.reference == reference)):
            continue
        try:
            with session.begin_nested():
                send_reminder(session, by=None, appointment=appointment, settings=settings,
                              now=now)
            queued += 1
        except InvalidInput as exc:
            refused.append((appointment.id, exc.detail))
    return DueReminders(queued, refused)


def send_measure_link(session: Session, *, by: User, episode_id: int, instrument: str,
                      timepoint: str, settings: Settings, channel: str | None = None,
                      source_ip: str | None = None, now: datetime | None = None
                      ) -> PersonMessage:
    """A self-completion link for a wellbeing measure, sent to the person (the link itself
    is made by ``outcomes``; its address starts with ``LINKWELL_PUBLIC_URL``)."""
    from linkwell.outcomes.commands import create_self_completion_link

    now = now or utcnow()
    episode = load_episode(session, by=by, episode_id=episode_id)
    person = episode.person
    chosen = _channel(channel)
    # Refuse before making a link nobody will receive.
    domain.choose_channel(preference=person.contact_preference,
                          consents=consents_of(session, person.id), email=person.email,
                          phone=person.phone, channel=chosen)
    link, token = create_self_completion_link(
        session, by=by, episode_id=episode.id, instrument=instrument, timepoint=timepoint,
        now=now, source_ip=source_ip)
    return queue_message(
        session, by=by, person=person, episode=episode, kind=MessageKind.MEASURE_LINK,
        personalisation={"name": _first_name(person),
                         "link": settings.public_link(f"/measure/{token}"),
                         "expires": f"{link.expires_at.astimezone(domain.LONDON):%d %B %Y}"},
        reference=f"measure-link-{link.id}", channel=chosen, source_ip=source_ip, now=now)


def _channel(value: str | None) -> Channel | None:
    if not value:
        return None
    try:
        return Channel(value)
    except ValueError:
        raise domain.field_error("channel", "Choose e-mail or text message") from None


def retry_message(session: Session, *, by: User, message_id: int,
                  source_ip: str | None = None) -> PersonMessage:
    """Put a message that Notify reported as failed back in the queue (a new reference
    suffix, so Notify's record of the failed one stays distinct)."""
    message = session.get(PersonMessage, message_id)
    episode = session.get(Episode, message.episode_id) if message else None
    if message is None or not policy.can_manage_caseload(by, episode.team_id):
        raise policy.Refused("person_message", message_id)
    if message.status not in (MessageStatus.PERMANENT_FAILURE, MessageStatus.TEMPORARY_FAILURE,
                              MessageStatus.TECHNICAL_FAILURE):
        raise Conflict("Only a message that failed can be sent again")
    message.status = str(MessageStatus.QUEUED)
    message.reference = f"{message.reference.split('~')[0]}~{message.attempts + 1}"
    message.notify_id = None
    session.flush()
    audit.record(session, action="update", object_type="person_message", object_id=message.id,
                 detail={"status": "queued"}, **audit.actor(by, source_ip))
    return message


def record_delivery(session: Session, *, reference: str, notify_status: str,
                    notify_id: str | None = None, source_ip: str | None = None,
                    now: datetime | None = None) -> PersonMessage | None:
    """Notify's delivery receipt for a message (by its reference): delivered or failed.
    A receipt for a message not sent yet, or already final, changes nothing."""
    status = domain.NOTIFY_STATUSES.get(notify_status)
    if status is None:
        raise domain.field_error("status", f"unknown Notify status {notify_status!r}")
    message = session.scalar(select(PersonMessage).where(PersonMessage.reference == reference))
    if message is None or message.status not in (MessageStatus.SENDING, MessageStatus.SENT):
        return None
    message.status, message.status_at = str(status), now or utcnow()
    message.notify_id = message.notify_id or notify_id
    session.flush()
    audit.record(session, action="update", object_type="person_message", object_id=message.id,
                 detail={"status": str(status), "source": "notify_callback"},
                 source_ip=source_ip)
    return message


# --- The person's plan ------------------------------------------------------------------------

def record_goal_progress(session: Session, *, by: User, goal_id: int, progress: int,
                         note: str = "", source_ip: str | None = None,
                         now: datetime | None = None) -> GoalProgress:
    """A step on a goal, as agreed with the person: a new row, never an edit of the last."""
    from linkwell.referrals import domain as referrals_domain
    from linkwell.referrals.models import Goal

    goal = session.get(Goal, goal_id)
    if goal is None:
        raise policy.Refused("goal", goal_id)
    episode = load_episode(session, by=by, episode_id=goal.episode_id)
    if episode.closed_at is not None:
        raise Conflict(f"episode {episode.id} is closed")
    if progress not in plan.GOAL_PROGRESS:
        raise domain.field_error("progress", "Choose how far the goal has come")
    row = GoalProgress(goal_id=goal.id, progress=progress, recorded_by_id=by.id,
                       note=referrals_domain.check_text(note, "note", 1000),
                       recorded_at=now or utcnow())
    session.add(row)
    session.flush()
    audit.record(session, action="create", object_type="goal_progress", object_id=row.id,
                 detail={"goal_id": goal.id, "progress": progress},
                 **audit.actor(by, source_ip))
    return row


def send_plan_copy(session: Session, *, by: User, person_id: int, settings: Settings,
                   source_ip: str | None = None, now: datetime | None = None) -> PersonMessage:
    """A copy of "My plan" to the person by e-mail, if they agreed to e-mail. The reference
    is the plan's content: sending the same plan twice queues it once, an amended plan anew."""
    import hashlib

    from linkwell.casework.queries import person_plan

    now = now or utcnow()
    person, episode = _person_for_casework(session, by, person_id)
    text = plan.plain_text(person_plan(session, by=by, person_id=person.id, settings=settings,
                                       source_ip=source_ip), now)
    digest = hashlib.sha256(text.split("\n", 1)[1].encode()).hexdigest()[:16]
    return queue_message(
        session, by=by, person=person, episode=episode, kind=MessageKind.PLAN_COPY,
        personalisation={"name": _first_name(person), "plan": text},
        reference=f"plan-{person.id}-{digest}", channel=Channel.EMAIL, source_ip=source_ip,
        now=now)


def mark_record_seen(session: Session, *, by: User, person_id: int,
                     now: datetime | None = None) -> None:
    """Remember when ``by`` last opened the record (the caseload's "Updated" mark)."""
    now = now or utcnow()
    updated = session.execute(update(RecordSeen).where(
        RecordSeen.user_id == by.id, RecordSeen.person_id == person_id).values(seen_at=now))
    if not updated.rowcount:
        try:
            with session.begin_nested():
                session.add(RecordSeen(user_id=by.id, person_id=person_id, seen_at=now))
        except IntegrityError:
            pass  # the same user's other tab wrote it first: it says the same
