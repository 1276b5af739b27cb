"""Reading casework: an episode's tasks and appointments, a link worker's week, the
caseload's flags, the outbox and the calendar feed. Every read of personal data is audited."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import and_, case, func, or_, select, union_all
from sqlalchemy.orm import Session

from linkwell import audit
from linkwell.auth import policy
from linkwell.auth.models import User
from linkwell.casework import domain, plan
from linkwell.casework.domain import AppointmentOutcome, Week
from linkwell.casework.models import (
    Appointment,
    AppointmentVersion,
    CalendarFeed,
    GoalProgress,
    PersonMessage,
    RecordSeen,
    Task,
    TaskVersion,
)
from linkwell.referrals.commands import load_episode
from linkwell.referrals.models import Episode, Person


def episode_tasks(session: Session, *, by: User, episode_id: int,
                  source_ip: str | None = None) -> list[Task]:
    episode = load_episode(session, by=by, episode_id=episode_id)
    tasks = list(session.scalars(select(Task).where(Task.episode_id == episode.id)
                                 .order_by(Task.done, Task.due_date, Task.id)))
    audit.record(session, action="read", object_type="episode_tasks", object_id=episode.id,
                 detail={"count": len(tasks)}, **audit.actor(by, source_ip))
    return tasks


def episode_appointments(session: Session, *, by: User, episode_id: int,
                         source_ip: str | None = None) -> list[Appointment]:
    episode = load_episode(session, by=by, episode_id=episode_id)
    appointments = list(session.scalars(select(Appointment)
                                        .where(Appointment.episode_id == episode.id)
                                        .order_by(Appointment.starts_at, Appointment.id)))
    audit.record(session, action="read", object_type="episode_appointments",
                 object_id=episode.id, detail={"count": len(appointments)},
                 **audit.actor(by, source_ip))
    return appointments


def managed(session: Session, by: User, model, object_type: str, object_id: int):
    """A task or appointment on an episode ``by`` manages; any other is refused as if it did
    not exist."""
    row = session.get(model, object_id)
    episode = row and session.get(Episode, row.episode_id)
    if episode is None or not policy.can_manage_caseload(by, episode.team_id):
        raise policy.Refused(object_type, object_id)
    return row


def task_history(session: Session, *, by: User, task_id: int,
                 source_ip: str | None = None) -> list[TaskVersion]:
    """Every version of a task, oldest first (audited as a read of the task)."""
    return _history(session, by, Task, TaskVersion, "task", task_id, source_ip)


def appointment_history(session: Session, *, by: User, appointment_id: int,
                        source_ip: str | None = None) -> list[AppointmentVersion]:
    return _history(session, by, Appointment, AppointmentVersion, "appointment",
                    appointment_id, source_ip)


def _history(session: Session, by: User, model, versions, object_type: str, object_id: int,
             source_ip: str | None) -> list:
    row = managed(session, by, model, object_type, object_id)
    audit.record(session, action="read", object_type=object_type, object_id=row.id,
                 **audit.actor(by, source_ip))
    owner = getattr(versions, f"{object_type}_id")
    return list(session.scalars(select(versions).where(owner == row.id)
                                .order_by(versions.version)))


# --- The diary --------------------------------------------------------------------------------

@dataclass(slots=True)
class DiaryAppointment:
    id: int
    episode_id: int
    person_id: int
    person_name: str
    starts_at: datetime
    ends_at: datetime
    kind: str
    place: str
    outcome: str
    times: str  # "10:00–10:30" in UK time, worked out once per row for the page
    day: date  # the UK day it starts on
    clash: bool = False


@dataclass(frozen=True)
class DiaryTask:
    id: int
    episode_id: int
    person_id: int
    person_name: str
    title: str
    due_date: date
    version: int


@dataclass
class Diary:
    week: Week
    worker: User
    days: dict[date, list[DiaryAppointment]]
    today: list[DiaryTask]
    overdue: list[DiaryTask]
    this_week: list[DiaryTask] = field(default_factory=list)


def week_appointments(session: Session, worker_id: int, start: datetime, end: datetime
                      ) -> list[DiaryAppointment]:
    """One indexed read (link worker, start time): the week's appointments with names."""
    rows = session.execute(
        select(Appointment.id, Appointment.episode_id, Episode.person_id,
               Person.given_name, Person.family_name, Appointment.starts_at,
               Appointment.ends_at, Appointment.kind, Appointment.place, Appointment.outcome)
        .join(Episode, Episode.id == Appointment.episode_id)
        .join(Person, Person.id == Episode.person_id)
        .where(Appointment.link_worker_id == worker_id, Appointment.starts_at >= start,
               Appointment.starts_at < end)
        .order_by(Appointment.starts_at, Appointment.id)).all()
    items: list[DiaryAppointment] = []
    latest_end = None
    previous = None
    for r in rows:
        start, end = r.starts_at.astimezone(domain.LONDON), r.ends_at.astimezone(domain.LONDON)
        item = DiaryAppointment(r.id, r.episode_id, r.person_id,
                                f"{r.given_name} {r.family_name}", r.starts_at, r.ends_at,
                                r.kind, r.place, r.outcome, f"{start:%H:%M}–{end:%H:%M}",
                                start.date())
        if r.outcome != AppointmentOutcome.CANCELLED:
            if latest_end is not None and r.starts_at < latest_end:
                item.clash = previous.clash = True
            latest_end = r.ends_at if latest_end is None else max(latest_end, r.ends_at)
            previous = item
        items.append(item)
    return items


def _open_tasks(session: Session, worker_id: int, condition) -> list[DiaryTask]:
    rows = session.execute(
        select(Task.id, Task.episode_id, Episode.person_id, Person.given_name,
               Person.family_name, Task.title, Task.due_date, Task.version)
        .join(Episode, Episode.id == Task.episode_id)
        .join(Person, Person.id == Episode.person_id)
        .where(Task.assigned_to_id == worker_id, Task.done.is_(False), condition)
        .order_by(Task.due_date, Task.id)).all()
    return [DiaryTask(r.id, r.episode_id, r.person_id, f"{r.given_name} {r.family_name}",
                      r.title, r.due_date, r.version) for r in rows]


def diary(session: Session, *, by: User, worker_id: int | None, week: Week, today: date,
          source_ip: str | None = None) -> Diary:
    """A link worker's week: appointments by UK day; today's, overdue and this week's tasks.
    A link worker may open the diary of another link worker of the same team."""
    worker = session.get(User, worker_id or by.id)
    if worker is None or not worker.has_role(policy.Role.LINK_WORKER) or not (
            worker.id == by.id or policy.can_manage_caseload(by, worker.team_id)):
        raise policy.Refused("diary", worker_id)
    start, end = week.bounds()
    appointments = week_appointments(session, worker.id, start, end)
    days: dict[date, list[DiaryAppointment]] = {day: [] for day in week.days}
    for a in appointments:
        days[a.day].append(a)
    open_tasks = _open_tasks(session, worker.id, or_(Task.due_date <= today, and_(
        Task.due_date >= week.monday, Task.due_date <= week.days[-1])))
    audit.record(session, action="read", object_type="diary", object_id=worker.id,
                 detail={"week": str(week), "appointments": len(appointments)},
                 **audit.actor(by, source_ip))
    return Diary(week=week, worker=worker, days=days,
                 today=[t for t in open_tasks if t.due_date == today],
                 overdue=[t for t in open_tasks if t.due_date < today],
                 this_week=[t for t in open_tasks if t.due_date > today])


@dataclass(frozen=True)
class Flags:
    overdue_tasks: int = 0
    tasks_today: int = 0
    appointments_today: int = 0

    @property
    def any(self) -> bool:
        return bool(self.overdue_tasks or self.tasks_today or self.appointments_today)


def caseload_flags(session: Session, episode_ids: list[int], today: date | None = None
                   ) -> dict[int, Flags]:
    """Overdue and today's tasks and today's appointments per episode, in two grouped reads
    (the caller has already chosen the episodes the user may see)."""
    today = today or domain.today()
    if not episode_ids:
        return {}
    counts: dict[int, dict[str, int]] = {}
    task_rows = session.execute(
        select(Task.episode_id,
               func.sum(case((Task.due_date < today, 1), else_=0)),
               func.sum(case((Task.due_date == today, 1), else_=0)))
        .where(Task.episode_id.in_(episode_ids), Task.done.is_(False), Task.due_date <= today)
        .group_by(Task.episode_id)).all()
    for episode_id, overdue, due_today in task_rows:
        counts.setdefault(episode_id, {})
        counts[episode_id]["overdue_tasks"] = int(overdue or 0)
        counts[episode_id]["tasks_today"] = int(due_today or 0)
    start, end = domain.uk_day_bounds(today)
    for episode_id, n in session.execute(
            select(Appointment.episode_id, func.count())
            .where(Appointment.episode_id.in_(episode_ids),
                   Appointment.outcome == AppointmentOutcome.BOOKED,
                   Appointment.starts_at >= start, Appointment.starts_at < end)
            .group_by(Appointment.episode_id)):
        counts.setdefault(episode_id, {})["appointments_today"] = n
    return {episode_id: Flags(**values) for episode_id, values in counts.items()}


# --- Calendar feed ----------------------------------------------------------------------------

def feed_owner(session: Session, secret: str) -> User | None:
    """The link worker whose feed this secret opens, or None (a revoked or made-up secret)."""
    from linkwell.auth.tokens import token_hash

    feed = session.scalar(select(CalendarFeed).where(
        CalendarFeed.secret_hash == token_hash(secret)))
    if feed is None:
        return None
    user = session.get(User, feed.user_id)
    return user if user is not None and user.active else None


def has_feed(session: Session, user_id: int) -> bool:
    return session.get(CalendarFeed, user_id) is not None


# --- The outbox -------------------------------------------------------------------------------

@dataclass(frozen=True)
class OutboxRow:
    message: PersonMessage
    person_name: str


def outbox(session: Session, *, by: User, status: str | None = None, limit: int = 200,
           source_ip: str | None = None) -> list[OutboxRow]:
    """Messages to people in the episodes this user manages, newest first."""
    query = (select(PersonMessage, Person.given_name, Person.family_name)
             .join(Episode, Episode.id == PersonMessage.episode_id)
             .join(Person, Person.id == PersonMessage.person_id)
             .where(policy.caseload_condition(by, Episode)))
    if status:
        query = query.where(PersonMessage.status == status)
    rows = session.execute(query.order_by(PersonMessage.id.desc()).limit(limit)).all()
    audit.record(session, action="read", object_type="outbox", detail={"count": len(rows)},
                 **audit.actor(by, source_ip))
    return [OutboxRow(m, f"{given} {family}") for m, given, family in rows]


def person_messages(session: Session, person_id: int) -> list[PersonMessage]:
    return list(session.scalars(select(PersonMessage).where(PersonMessage.person_id == person_id)
                                .order_by(PersonMessage.id.desc())))


# --- The person's record --------------------------------------------------------------------

@dataclass
class PersonPanel:
    """What the person page shows of casework, for an episode the user manages."""

    episode: Episode
    tasks: list[Task]
    appointments: list[Appointment]
    consents: dict
    messages: list[PersonMessage]
    now: datetime
    today: date


def person_panel(session: Session, *, by: User, episode: Episode,
                 source_ip: str | None = None) -> PersonPanel:
    from linkwell.casework.commands import consents_of

    now = datetime.now(UTC)
    return PersonPanel(
        episode=episode,
        tasks=episode_tasks(session, by=by, episode_id=episode.id, source_ip=source_ip),
        appointments=episode_appointments(session, by=by, episode_id=episode.id,
                                          source_ip=source_ip),
        consents=consents_of(session, episode.person_id),
        messages=person_messages(session, episode.person_id)[:10],
        now=now, today=now.astimezone(domain.LONDON).date())


# --- The person's plan ------------------------------------------------------------------------

def person_plan(session: Session, *, by: User, person_id: int, settings,
                source_ip: str | None = None) -> plan.Plan:
    """Everything recorded for the person, from the episodes ``by`` may see (policy decides
    through ``person_record``), as the plan and its history in true time order."""
    from linkwell.outcomes.models import Instrument, Measure
    from linkwell.referrals import domain as referrals_domain
    from linkwell.referrals.queries import person_record

    record = person_record(session, by=by, person_id=person_id, settings=settings,
                           source_ip=source_ip)
    episode_ids = [e.id for e in record.episodes]
    needs = referrals_domain.NEEDS_DOMAINS
    history: list[plan.Entry] = []

    latest = next((a for a in reversed(record.assessments) if a.what_matters_to_me), None)
    scores = [plan.NeedScore(n.domain, needs[n.domain].display, n.score,
                             referrals_domain.NEED_SCALE[n.score])
              for n in next((a.needs for a in reversed(record.assessments) if a.needs), [])]
    for a in record.assessments:
        if a.what_matters_to_me:
            history.append(plan.Entry(a.assessed_at, "what-matters", "What matters to me",
                                      a.what_matters_to_me))
        if a.needs:
            history.append(plan.Entry(a.assessed_at, "needs", "Strengths and needs", "; ".join(
                f"{needs[n.domain].display}: {n.score} ({referrals_domain.NEED_SCALE[n.score]})"
                for n in a.needs)))

    goals = {g.id: plan.GoalView(g.id, g.description,
                                 needs[g.domain].display if g.domain else None, g.agreed_at)
             for g in record.goals}
    for g in goals.values():
        history.append(plan.Entry(g.agreed_at, "goal", "Goal agreed", g.description))
    if goals:
        for row in session.scalars(select(GoalProgress).where(
                GoalProgress.goal_id.in_(list(goals))).order_by(GoalProgress.id)):
            step = plan.Progress(row.recorded_at, row.progress, row.note)
            goals[row.goal_id].progress.append(step)
            history.append(plan.Entry(row.recorded_at, "progress",
                                      f"Progress: {step.label}",
                                      f"{goals[row.goal_id].description}"
                                      + (f" – {row.note}" if row.note else "")))

    tasks = list(session.scalars(select(Task).where(Task.episode_id.in_(episode_ids))
                                 .order_by(Task.due_date, Task.id))) if episode_ids else []
    actions = [plan.Action(t.title, t.due_date, t.done, t.created_at) for t in tasks]
    for t in tasks:
        history.append(plan.Entry(t.created_at, "action", "Action agreed",
                                  f"{t.title}, by {t.due_date:%d %b %Y}"
                                  + (" (done)" if t.done else "")))
    appointments = list(session.scalars(
        select(Appointment).where(Appointment.episode_id.in_(episode_ids))
        .order_by(Appointment.starts_at, Appointment.id))) if episode_ids else []
    meetings = [plan.Meeting(a.starts_at, domain.AppointmentKind(a.kind).label.lower(),
                             a.place or "", a.outcome) for a in appointments]
    for a, m in zip(appointments, meetings, strict=True):
        history.append(plan.Entry(a.starts_at, "appointment", "Appointment",
                                  f"{m.kind}{', ' + m.place if m.place else ''} "
                                  f"({AppointmentOutcome(a.outcome).label.lower()})"))

    for c in record.contacts:
        history.append(plan.Entry(
            c.occurred_at, "contact",
            f"{referrals_domain.CONTACT_MODES[c.mode].display} contact, "
            f"{c.duration_minutes} minutes", c.note or ""))

    onward = []
    for o in record.onward:
        row = o.onward
        note = row.outcome_note or (
            referrals_domain.DECLINE_REASONS[row.decline_reason].display
            if row.decline_reason else "")
        onward.append(plan.OnwardStep(row.sent_at, o.service_name, o.organization_name,
                                      row.status, referrals_domain.Status(row.status).label,
                                      note, row.responded_at))
    for t in record.timeline:
        if t.kind == "status" or t.kind == "episode":
            history.append(plan.Entry(t.at, "onward" if "Onward" in t.text else t.kind,
                                      t.text))

    measures = []
    if episode_ids:
        for m, key in session.execute(
                select(Measure, Instrument.key).join(Instrument,
                                                     Instrument.id == Measure.instrument_id)
                .where(Measure.episode_id.in_(episode_ids))
                .order_by(Measure.measured_on, Measure.id)):
            result = plan.MeasureResult(m.measured_on, key.upper(), m.metric_score, m.band)
            measures.append(result)
            history.append(plan.Entry(plan.start_of_day(m.measured_on), "measure",
                                      f"{key.upper()} measure",
                                      f"Score {m.metric_score:g}" if m.metric_score is not None
                                      else "Recorded", day_only=True))
    audit.record(session, action="read", object_type="plan", object_id=person_id,
                 detail={"entries": len(history)}, **audit.actor(by, source_ip))
    return plan.Plan(record.person.name, latest.what_matters_to_me if latest else "",
                     latest.assessed_at if latest else None, scores, list(goals.values()),
                     actions, meetings, onward, measures, plan.in_time_order(history))


def person_of_goal(session: Session, goal_id: int) -> int | None:
    from linkwell.referrals.models import Goal

    return session.scalar(select(Episode.person_id).join(Goal, Goal.episode_id == Episode.id)
                          .where(Goal.id == goal_id))


def updated_since_seen(session: Session, *, by: User, person_ids: list[int]) -> set[int]:
    """The people whose record changed, by someone else, since ``by`` last opened it (or
    ever, if never opened): a provider's response, a status change, a colleague's contact,
    task, appointment, goal progress, needs assessment or measure. What counts is when the
    change was recorded, not when the event happened (a colleague's note about last week,
    written today, is news today)."""
    from linkwell.outcomes.models import Measure
    from linkwell.referrals.models import EpisodeContact, Goal, NeedsAssessment, StatusEvent

    if not person_ids:
        return set()
    seen = dict(session.execute(select(RecordSeen.person_id, RecordSeen.seen_at).where(
        RecordSeen.user_id == by.id, RecordSeen.person_id.in_(person_ids))).all())

    def by_others(actor):
        return or_(actor.is_(None), actor != by.id)

    def on_episode(at, actor, model, *joins):
        query = select(Episode.person_id.label("person_id"), at.label("at")).select_from(model)
        for target, on in joins:
            query = query.join(target, on)
        return query.where(Episode.person_id.in_(person_ids), by_others(actor))

    changes = [
        select(StatusEvent.person_id.label("person_id"), StatusEvent.occurred_at.label("at"))
        .where(StatusEvent.person_id.in_(person_ids), by_others(StatusEvent.actor_id)),
        on_episode(EpisodeContact.recorded_at, EpisodeContact.recorded_by_id, EpisodeContact,
                   (Episode, Episode.id == EpisodeContact.episode_id)),
        on_episode(NeedsAssessment.assessed_at, NeedsAssessment.recorded_by_id, NeedsAssessment,
                   (Episode, Episode.id == NeedsAssessment.episode_id)),
        on_episode(Measure.created_at, Measure.entered_by_id, Measure,
                   (Episode, Episode.id == Measure.episode_id)),
        on_episode(TaskVersion.recorded_at, TaskVersion.changed_by_id, TaskVersion,
                   (Task, Task.id == TaskVersion.task_id),
                   (Episode, Episode.id == Task.episode_id)),
        on_episode(AppointmentVersion.recorded_at, AppointmentVersion.changed_by_id,
                   AppointmentVersion,
                   (Appointment, Appointment.id == AppointmentVersion.appointment_id),
                   (Episode, Episode.id == Appointment.episode_id)),
        on_episode(GoalProgress.recorded_at, GoalProgress.recorded_by_id, GoalProgress,
                   (Goal, Goal.id == GoalProgress.goal_id),
                   (Episode, Episode.id == Goal.episode_id)),
    ]
    every_change = union_all(*changes).subquery()
    latest = session.execute(select(every_change.c.person_id, func.max(every_change.c.at))
                             .group_by(every_change.c.person_id))
    return {person_id for person_id, at in latest
            if person_id not in seen or at > seen[person_id]}


@dataclass
class EpisodesCasework:
    """Tasks, appointments and goal progress of episodes already chosen through policy (the
    person's record reads them for the JSON API)."""

    tasks: list[Task]
    appointments: list[Appointment]
    progress: dict[int, list[GoalProgress]]


def casework_of(session: Session, episode_ids: list[int], goal_ids: list[int]
                ) -> EpisodesCasework:
    if not episode_ids:
        return EpisodesCasework([], [], {})
    tasks = list(session.scalars(select(Task).where(Task.episode_id.in_(episode_ids))
                                 .order_by(Task.done, Task.due_date, Task.id)))
    appointments = list(session.scalars(select(Appointment).where(
        Appointment.episode_id.in_(episode_ids)).order_by(Appointment.starts_at,
                                                          Appointment.id)))
    progress: dict[int, list[GoalProgress]] = {}
    if goal_ids:
        for row in session.scalars(select(GoalProgress).where(
                GoalProgress.goal_id.in_(goal_ids)).order_by(GoalProgress.id)):
            progress.setdefault(row.goal_id, []).append(row)
    return EpisodesCasework(tasks, appointments, progress)
