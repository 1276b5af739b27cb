"""Every read of referral data, scoped by ``linkwell.auth.policy`` and audited.

Reading a person's record writes an audit event in the caller's transaction (the web layer
commits it), so the trail shows who looked at whom, when and from where.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, joinedload

from linkwell import audit
from linkwell.auth import policy
from linkwell.auth.models import User, UserRole
from linkwell.auth.roles import Role
from linkwell.db import utcnow
from linkwell.directory.models import Organization, Service, ServiceCapacity
from linkwell.directory.presentation import display_name
from linkwell.referrals import domain
from linkwell.referrals.domain import Status
from linkwell.referrals.models import (
    Episode,
    EpisodeContact,
    Goal,
    NeedsAssessment,
    OnwardReferral,
    Person,
    PossibleDuplicate,
    Referral,
    StatusEvent,
)
from linkwell.settings import Settings

WAITING = (Status.REQUESTED, Status.RECEIVED)
CASELOAD_VIEWS = ("new", "active", "waiting", "follow-up", "closed")
CASELOAD_SORTS = ("name", "opened", "last-contact", "waiting")


def _read(session: Session, by: User, object_type: str, object_id, source_ip: str | None,
          **detail) -> None:
    audit.record(session, action="read", object_type=object_type, object_id=object_id,
                 detail=detail, **audit.actor(by, source_ip))


# --- One person's record -----------------------------------------------------------------

@dataclass
class TimelineEntry:
    at: datetime
    kind: str
    text: str
    snomed: str | None = None


@dataclass
class OnwardView:
    onward: OnwardReferral
    service_name: str
    organization_name: str
    overdue: bool


@dataclass
class PersonRecord:
    person: Person
    referrals: list[Referral]
    episodes: list[Episode]
    contacts: list[EpisodeContact]
    assessments: list[NeedsAssessment]
    goals: list[Goal]
    onward: list[OnwardView]
    duplicates: list[PossibleDuplicate]
    timeline: list[TimelineEntry] = field(default_factory=list)

    @property
    def open_episode(self) -> Episode | None:
        return next((e for e in self.episodes if e.closed_at is None), None)

    @property
    def latest_needs(self) -> dict[str, int]:
        scored = [a for a in self.assessments if a.needs]
        return {n.domain: n.score for n in scored[-1].needs} if scored else {}


def current_person_id(session: Session, *, by: User, person_id: int) -> int:
    """The id of the record that ``person_id`` now lives in (itself, or the record it was
    merged into), if ``by`` may see that record; else ``Refused``, so that an id out of sight
    reveals neither that it exists nor that it was merged."""
    person = session.get(Person, person_id)
    seen = set()
    while person is not None and person.merged_into_id is not None and person.id not in seen:
        seen.add(person.id)
        person = session.get(Person, person.merged_into_id)
    if person is None or session.scalar(select(Referral.id).where(
            Referral.person_id == person.id, policy.referral_condition(by, Referral))
            .limit(1)) is None:
        raise policy.Refused("person", person_id)
    return person.id


def person_record(session: Session, *, by: User, person_id: int, settings: Settings,
                  source_ip: str | None = None, now: datetime | None = None) -> PersonRecord:
    now = now or utcnow()
    person = session.get(Person, person_id)
    referrals = list(session.scalars(
        select(Referral).where(Referral.person_id == person_id,
                               policy.referral_condition(by, Referral))
        .order_by(Referral.id))) if person else []
    if person is None or not referrals:
        raise policy.Refused("person", person_id)
    # Casework is the holding team's, not the record's: after a merge each team still sees
    # only its own episodes, and everything below is read through those episodes alone.
    episodes = list(session.scalars(select(Episode).where(
        Episode.person_id == person_id, policy.casework_condition(by, Episode))
        .order_by(Episode.id)))
    episode_ids = [e.id for e in episodes]
    contacts = list(session.scalars(select(EpisodeContact).where(
        EpisodeContact.episode_id.in_(episode_ids)).order_by(EpisodeContact.occurred_at)))
    assessments = list(session.scalars(select(NeedsAssessment).where(
        NeedsAssessment.episode_id.in_(episode_ids)).order_by(NeedsAssessment.id)))
    goals = list(session.scalars(select(Goal).where(Goal.episode_id.in_(episode_ids))
                                 .order_by(Goal.id)))
    onward_rows = session.execute(
        select(OnwardReferral, Service.name, Organization.name)
        .join(Service, Service.id == OnwardReferral.service_id)
        .join(Organization, Organization.id == OnwardReferral.organization_id)
        .where(OnwardReferral.episode_id.in_(episode_ids)).order_by(OnwardReferral.id)).all()
    onward = [OnwardView(o, s, org, _response_overdue(o, now, settings))
              for o, s, org in onward_rows]
    duplicates = list(session.scalars(select(PossibleDuplicate).where(
        or_(PossibleDuplicate.person_id == person_id,
            PossibleDuplicate.duplicate_of_id == person_id),
        PossibleDuplicate.resolved.is_(False))))
    record = PersonRecord(person, referrals, episodes, contacts, assessments, goals, onward,
                          duplicates)
    record.timeline = _timeline(session, record)
    _read(session, by, "person", person_id, source_ip)
    return record


@dataclass
class DuplicateView:
    """A flagged pair as one side sees it; ``other`` is None when that record is out of the
    viewer's sight (then only an administrator or the other team can settle it)."""

    flag_id: int
    reason: str
    other_id: int
    other: Person | None


def whole_record(session: Session, *, by: User, person_id: int) -> Person | None:
    """The person if ``by`` may see every one of their referrals, else None: settling a
    duplicate touches the whole record, so a record partly out of sight counts as out of
    sight."""
    referrals = session.scalars(select(Referral).where(Referral.person_id == person_id)).all()
    if not referrals or not all(policy.can_view_referral(by, r) for r in referrals):
        return None
    return session.get(Person, person_id)


def duplicate_views(session: Session, *, by: User, record: PersonRecord) -> list[DuplicateView]:
    views = []
    for flag in record.duplicates:
        other_id = (flag.duplicate_of_id if flag.person_id == record.person.id
                    else flag.person_id)
        views.append(DuplicateView(flag.id, flag.reason, other_id,
                                   whole_record(session, by=by, person_id=other_id)))
    return views


def _timeline(session: Session, record: PersonRecord) -> list[TimelineEntry]:
    """Every event, newest first: status changes from the log, then what was recorded."""
    names = {o.onward.id: o.service_name for o in record.onward}
    visible = {"referral": {r.id for r in record.referrals}, "onward_referral": set(names)}
    entries = []
    merged = select(Person.id).where(Person.merged_into_id == record.person.id)
    for event in session.scalars(select(StatusEvent).where(
            or_(StatusEvent.person_id == record.person.id, StatusEvent.person_id.in_(merged)))
            .order_by(StatusEvent.id)):
        if event.object_id not in visible.get(event.object_type, ()):
            continue
        subject = (f"Referral {event.object_id}" if event.object_type == "referral"
                   else f"Onward referral to {names[event.object_id]}")
        change = (f"{subject}: {Status(event.to_status).label.lower()}" if event.from_status
                  is None else f"{subject}: {Status(event.from_status).label.lower()} → "
                  f"{Status(event.to_status).label.lower()}")
        if event.reason:
            change += f" ({event.reason})"
        entries.append(TimelineEntry(event.occurred_at, "status", change, event.snomed_code))
    for c in record.contacts:
        entries.append(TimelineEntry(c.occurred_at, "contact",
                                     f"{domain.CONTACT_MODES[c.mode].display} contact, "
                                     f"{c.duration_minutes} minutes"))
    for a in record.assessments:
        entries.append(TimelineEntry(a.assessed_at, "assessment", "Needs assessment recorded"))
    for g in record.goals:
        entries.append(TimelineEntry(g.agreed_at, "goal", "Goal agreed"))
    for e in record.episodes:
        entries.append(TimelineEntry(e.opened_at, "episode", "Episode opened"))
        if e.closed_at:
            entries.append(TimelineEntry(
                e.closed_at, "episode",
                f"Episode closed: {domain.CLOSURE_REASONS[e.closure_reason].display}"))
    entries.sort(key=lambda t: t.at, reverse=True)
    return entries


def _response_overdue(onward: OnwardReferral, now: datetime, settings: Settings) -> bool:
    return onward.status in WAITING and domain.provider_response_overdue(
        onward.sent_at, now, settings.provider_response_working_days)


def load_episode(session: Session, *, by: User, episode_id: int) -> Episode:
    """An episode for its team's link workers to act on (commands load it through here)."""
    episode = session.get(Episode, episode_id)
    if episode is None or not policy.can_manage_caseload(by, episode.team_id):
        raise policy.Refused("episode", episode_id)
    return episode


def episode_for(session: Session, *, by: User, episode_id: int, source_ip: str | None = None,
                **detail) -> Episode:
    """The same episode, read to be shown (the API, the measure and advice forms): audited."""
    episode = load_episode(session, by=by, episode_id=episode_id)
    _read(session, by, "episode", episode_id, source_ip, **detail)
    return episode


def referral_for(session: Session, *, by: User, referral_id: int,
                 source_ip: str | None = None) -> tuple[Referral, list[StatusEvent]]:
    """A referral and its status history, for whoever may see it (the referrer included)."""
    referral = session.get(Referral, referral_id)
    if referral is None or not policy.can_view_referral(by, referral):
        raise policy.Refused("referral", referral_id)
    events = list(session.scalars(select(StatusEvent).where(
        StatusEvent.object_type == "referral", StatusEvent.object_id == referral_id)
        .order_by(StatusEvent.id)))
    _read(session, by, "referral", referral_id, source_ip)
    return referral, events


def referrals_sent(session: Session, *, by: User, limit: int = 200, status: str | None = None,
                   source_ip: str | None = None) -> list[Referral]:
    """The referrals ``by`` sent, newest first, with the person (name, NHS number) loaded in
    the same query; ``status`` keeps one status only."""
    query = (select(Referral).where(Referral.referrer_id == by.id)
             .options(joinedload(Referral.person)))
    if status in set(Status):
        query = query.where(Referral.status == status)
    referrals = list(session.scalars(query.order_by(Referral.id.desc()).limit(limit)))
    _read(session, by, "referrals_sent", by.id, source_ip, count=len(referrals))
    return referrals


# --- Caseload --------------------------------------------------------------------------------

@dataclass
class CaseloadRow:
    person_id: int
    name: str
    referral_id: int
    referral_status: str
    referral_version: int
    reasons: list[str]
    received_at: datetime
    episode_id: int | None = None
    link_worker_id: int | None = None
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    last_contact_at: datetime | None = None
    waiting_on_provider: int = 0
    provider_overdue: int = 0
    contact_overdue: bool = False

    @property
    def needs_follow_up(self) -> bool:
        return self.contact_overdue or self.provider_overdue > 0

    @property
    def view(self) -> str:
        if self.episode_id is None:
            return "new" if self.referral_status in WAITING else "closed"
        return "closed" if self.closed_at else "active"


def caseload(session: Session, *, by: User, settings: Settings, view: str = "active",
             sort: str = "name", text: str = "", mine: bool = False,
             now: datetime | None = None, source_ip: str | None = None) -> list[CaseloadRow]:
    """The team's people in one of the five views, with the flags a link worker acts on."""
    if view not in CASELOAD_VIEWS:
        view = "active"
    now = now or utcnow()
    visible = policy.referral_condition(by, Referral)
    query = (select(Referral.id, Referral.status, Referral.version, Referral.reasons,
                    Referral.created_at, Person.id, Person.given_name, Person.family_name,
                    Episode.id, Episode.link_worker_id, Episode.opened_at, Episode.closed_at,
                    Episode.last_contact_at)
             .join(Person, Person.id == Referral.person_id)
             .outerjoin(Episode, Episode.referral_id == Referral.id)
             .where(visible))
    if view == "new":
        query = query.where(Referral.status.in_(WAITING), Episode.id.is_(None))
    elif view == "closed":
        query = query.where(or_(Episode.closed_at.is_not(None),
                                and_(Episode.id.is_(None), Referral.status.not_in(WAITING))))
    else:
        query = query.where(Episode.id.is_not(None), Episode.closed_at.is_(None))
    if mine:
        query = query.where(Episode.link_worker_id == by.id)
    rows = []
    for (rid, status, version, reasons, created, pid, given, family, eid, worker, opened,
         closed, last_contact) in session.execute(query):
        rows.append(CaseloadRow(pid, f"{given} {family}", rid, status, version, reasons or [],
                                created, eid, worker, opened, closed, last_contact))
    open_rows = {r.episode_id: r for r in rows if r.episode_id and r.closed_at is None}
    if open_rows:
        # Joined rather than "episode_id IN (...)": a 300-item IN list costs more to
        # compile than the query takes to run.
        pending = session.execute(
            select(OnwardReferral.episode_id, OnwardReferral.sent_at)
            .join(Episode, Episode.id == OnwardReferral.episode_id)
            .join(Referral, Referral.id == Episode.referral_id)
            .where(visible, Episode.closed_at.is_(None), OnwardReferral.status.in_(WAITING)))
        for episode_id, sent_at in pending:
            row = open_rows.get(episode_id)
            if row is None:
                continue
            row.waiting_on_provider += 1
            if domain.provider_response_overdue(sent_at, now,
                                                settings.provider_response_working_days):
                row.provider_overdue += 1
        for row in open_rows.values():
            row.contact_overdue = domain.contact_overdue(
                row.last_contact_at or row.opened_at, now, settings.contact_gap_weeks)
    if view == "waiting":
        rows = [r for r in rows if r.waiting_on_provider]
    elif view == "follow-up":
        rows = [r for r in rows if r.needs_follow_up]
    needle = text.strip().casefold()
    if needle:
        rows = [r for r in rows if needle in r.name.casefold()]
    far_past = datetime.min.replace(tzinfo=now.tzinfo)
    keys = {
        "name": lambda r: r.name.casefold(),
        "opened": lambda r: r.opened_at or r.received_at,
        "last-contact": lambda r: r.last_contact_at or far_past,
        "waiting": lambda r: (-r.provider_overdue, -r.waiting_on_provider, r.name.casefold()),
    }
    rows.sort(key=keys.get(sort, keys["name"]))
    _read(session, by, "caseload", by.team_id, source_ip, view=view, count=len(rows))
    return rows


# --- Provider inbox --------------------------------------------------------------------------

@dataclass
class InboxRow:
    onward: OnwardReferral
    service_name: str
    given_name: str
    overdue: bool


def inbox(session: Session, *, by: User, settings: Settings, status: str = "open",
          now: datetime | None = None, source_ip: str | None = None) -> list[InboxRow]:
    """Onward referrals to the provider's own services only (policy decides)."""
    now = now or utcnow()
    query = (select(OnwardReferral, Service.name, Service.organization_id, Organization.name,
                    Person.given_name)
             .join(Episode, Episode.id == OnwardReferral.episode_id)
             .join(Person, Person.id == Episode.person_id)
             .join(Service, Service.id == OnwardReferral.service_id)
             .join(Organization, Organization.id == Service.organization_id)
             .where(policy.onward_referral_condition(by, OnwardReferral, Episode))
             .order_by(OnwardReferral.sent_at.desc()))
    if status == "open":
        query = query.where(OnwardReferral.status.not_in(list(domain.FINAL)))
    elif status in set(Status):
        query = query.where(OnwardReferral.status == status)
    # The provider's own services by their own names: the organisation is theirs.
    rows = [InboxRow(o, display_name(name, organisation) if organization_id == by.organization_id
                     else name, given, _response_overdue(o, now, settings))
            for o, name, organization_id, organisation, given in session.execute(query.limit(500))]
    _read(session, by, "inbox", by.organization_id, source_ip, count=len(rows))
    return rows


@dataclass
class OnwardDetail:
    onward: OnwardReferral
    person: Person
    service: Service
    events: list[StatusEvent]
    overdue: bool


def onward_detail(session: Session, *, by: User, onward_referral_id: int, settings: Settings,
                  source_ip: str | None = None, now: datetime | None = None) -> OnwardDetail:
    onward = session.get(OnwardReferral, onward_referral_id)
    if onward is None or not policy.can_view_onward_referral(by, onward, onward.episode.team_id):
        raise policy.Refused("onward_referral", onward_referral_id)
    events = list(session.scalars(select(StatusEvent).where(
        StatusEvent.object_type == "onward_referral",
        StatusEvent.object_id == onward.id).order_by(StatusEvent.id)))
    _read(session, by, "onward_referral", onward.id, source_ip,
          person_id=onward.episode.person_id)
    return OnwardDetail(onward, onward.episode.person, session.get(Service, onward.service_id),
                        events, _response_overdue(onward, now or utcnow(), settings))


def services_of(session: Session, *, by: User) -> list[tuple[Service, ServiceCapacity | None]]:
    """The provider's own services with their capacity, for the capacity form."""
    if by.organization_id is None:
        return []
    rows = session.execute(
        select(Service, ServiceCapacity).outerjoin(ServiceCapacity,
                                                   ServiceCapacity.service_id == Service.id)
        .where(Service.organization_id == by.organization_id).order_by(Service.name))
    return [(service, capacity) for service, capacity in rows]


def organisation_name(session: Session, *, by: User) -> str | None:
    """The name of the provider's organisation, shown once above its services."""
    if by.organization_id is None:
        return None
    return session.scalar(select(Organization.name).where(
        Organization.id == by.organization_id))


def link_workers(session: Session, team_id: int | None) -> list[User]:
    query = (select(User).join(UserRole, UserRole.user_id == User.id)
             .where(UserRole.role == Role.LINK_WORKER, User.active.is_(True)))
    if team_id is not None:
        query = query.where(User.team_id == team_id)
    return list(session.scalars(query.order_by(User.display_name)))


def status_events(session: Session, object_type: str, object_id: int) -> list[StatusEvent]:
    """An object's status history, oldest first."""
    return list(session.scalars(select(StatusEvent).where(
        StatusEvent.object_type == object_type, StatusEvent.object_id == object_id)
        .order_by(StatusEvent.id)))


def last_modified(session: Session, object_type: str, ids: list[int]) -> dict[int, datetime]:
    """When each object's status last changed (FHIR ``meta.lastUpdated``)."""
    if not ids:
        return {}
    rows = session.execute(
        select(StatusEvent.object_id, func.max(StatusEvent.occurred_at))
        .where(StatusEvent.object_type == object_type, StatusEvent.object_id.in_(ids))
        .group_by(StatusEvent.object_id))
    return {object_id: at for object_id, at in rows}


def visible_onward_referrals(session: Session, *, by: User, referral_id: int
                             ) -> list[OnwardReferral]:
    """A referral's onward referrals, when ``by`` may see its casework (ADR 0012)."""
    episode = session.scalar(select(Episode).where(
        Episode.referral_id == referral_id, policy.casework_condition(by, Episode)))
    if episode is None:
        return []
    return list(session.scalars(select(OnwardReferral).where(
        OnwardReferral.episode_id == episode.id).order_by(OnwardReferral.id)))


def onward_task_search(session: Session, *, by: User, owner: str | None,
                       statuses: list[str], count: int) -> list[OnwardReferral]:
    """The onward referrals ``by`` may see, filtered as FHIR Task search parameters ask."""
    query = (select(OnwardReferral).join(Episode, Episode.id == OnwardReferral.episode_id)
             .where(policy.onward_referral_condition(by, OnwardReferral, Episode)))
    if owner:
        query = query.where(OnwardReferral.organization_id == owner.removeprefix("Organization/"))
    if statuses:
        query = query.where(OnwardReferral.status.in_(statuses))
    return list(session.scalars(query.order_by(OnwardReferral.id).limit(count)))


def episode_of_referral(session: Session, referral_id: int) -> Episode | None:
    return session.scalar(select(Episode).where(Episode.referral_id == referral_id))


def episode_rows(session: Session, episode_ids: list[int]) -> list:
    """Plain rows (id, team_id, closed_at), not ORM objects: all a measure schedule needs."""
    if not episode_ids:
        return []
    return session.execute(select(Episode.id, Episode.team_id, Episode.closed_at)
                           .where(Episode.id.in_(episode_ids))).all()


def person_of_episode(session: Session, episode_id: int) -> int | None:
    return session.scalar(select(Episode.person_id).where(Episode.id == episode_id))


def open_episode_of(session: Session, person_id: int) -> int | None:
    """The id of the person's open episode, if one is open."""
    return session.scalar(select(Episode.id).where(Episode.person_id == person_id,
                                                   Episode.closed_at.is_(None)))


def caseload_export(session: Session, *, by: User, settings: Settings,
                    source_ip: str | None = None) -> list[tuple[CaseloadRow, str | None]]:
    """The signed-in link worker's own open caseload with NHS numbers, for a CSV download;
    audited as an export (personal data leaving Linkwell)."""
    rows = caseload(session, by=by, settings=settings, view="active", mine=True,
                    source_ip=source_ip)
    ids = [r.person_id for r in rows]
    numbers = dict(session.execute(select(Person.id, Person.nhs_number)
                                   .where(Person.id.in_(ids))).all()) if ids else {}
    audit.record(session, action="export", object_type="caseload", object_id=by.id,
                 detail={"count": len(rows), "format": "csv"}, **audit.actor(by, source_ip))
    return [(r, numbers.get(r.person_id)) for r in rows]
