"""Reading the record for the message back to the GP, and the outbox for administrators."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linkwell import audit
from linkwell.auth.models import User
from linkwell.directory.models import Organization, Service
from linkwell.gprecord import domain
from linkwell.gprecord.models import GpMessage, GpPractice, GpRegistration
from linkwell.referrals.models import (
    Episode,
    Goal,
    Need,
    NeedsAssessment,
    OnwardReferral,
    Person,
    Referral,
    StatusEvent,
)


def practice_for(session: Session, person_id: int) -> tuple[str | None, GpPractice | None]:
    """The person's registered practice's ODS code, and the practice row if it is known."""
    ods = session.scalar(select(GpRegistration.practice_ods)
                        .where(GpRegistration.person_id == person_id))
    return ods, (session.get(GpPractice, ods) if ods else None)


def demographics(session: Session, person: Person, practice_ods: str | None
                 ) -> domain.Demographics:
    return domain.Demographics(person.id, person.given_name, person.family_name,
                               person.birth_date, person.postcode, person.sex,
                               person.nhs_number, practice_ods)


def demographic_candidates(session: Session, person: Person) -> list[domain.Demographics]:
    """Other live records with an NHS number whose normalised name, date of birth and postcode
    (``person.match_key``, indexed) are this person's, with their registered practice."""
    rows = session.execute(
        select(Person.id, Person.given_name, Person.family_name, Person.birth_date,
               Person.postcode, Person.sex, Person.nhs_number, GpRegistration.practice_ods)
        .outerjoin(GpRegistration, GpRegistration.person_id == Person.id)
        .where(Person.match_key == person.match_key, Person.id != person.id,
               Person.merged_into_id.is_(None), Person.nhs_number.is_not(None)))
    return [domain.Demographics(*row) for row in rows]


def message_facts(session: Session, message: GpMessage) -> domain.MessageFacts:
    """Everything the message says, from the record as it stands. Sending checks first that
    the NHS number and practice are present; the referrer's copy may lack them."""
    person = session.get(Person, message.person_id)
    referral = session.get(Referral, message.referral_id)
    practice = session.get(GpPractice, message.practice_ods) if message.practice_ods else None
    episode = session.get(Episode, message.episode_id) if message.episode_id else None
    needs: tuple[domain.Need, ...] = ()
    what_matters = ""
    support: tuple[domain.SupportOffered, ...] = ()
    goals: tuple[tuple[str, bool], ...] = ()
    author = "Social prescribing link worker"
    if episode is not None:
        assessment = session.scalars(
            select(NeedsAssessment).where(NeedsAssessment.episode_id == episode.id)
            .order_by(NeedsAssessment.assessed_at.desc(), NeedsAssessment.id.desc())
            .limit(1)).first()
        if assessment is not None:
            what_matters = assessment.what_matters_to_me
            needs = tuple(domain.Need(n.domain, n.score) for n in assessment.needs
                          if n.score >= 2)
        support = tuple(
            domain.SupportOffered(service, organisation, status, sent_at, attended)
            for service, organisation, status, sent_at, attended in session.execute(
                select(Service.name, Organization.name, OnwardReferral.status,
                       OnwardReferral.sent_at, OnwardReferral.attended)
                .join(Service, Service.id == OnwardReferral.service_id)
                .join(Organization, Organization.id == OnwardReferral.organization_id)
                .where(OnwardReferral.episode_id == episode.id)
                .order_by(OnwardReferral.sent_at)))
        goals = tuple((description, bool(achieved)) for description, achieved in session.execute(
            select(Goal.description, Goal.achieved).where(Goal.episode_id == episode.id)
            .order_by(Goal.agreed_at, Goal.id)))
        if episode.link_worker_id:
            name = session.scalar(select(User.display_name)
                                  .where(User.id == episode.link_worker_id))
            author = f"{name}, social prescribing link worker" if name else author
    ended_at, outcome = _ending(session, message, referral, episode)
    return domain.MessageFacts(
        local_id=message.local_id, kind=message.kind,
        nhs_number=message.nhs_number or person.nhs_number or "not recorded",
        given_name=person.given_name, family_name=person.family_name,
        birth_date=person.birth_date, sex=person.sex, postcode=person.postcode,
        practice_ods=practice.ods_code if practice else (message.practice_ods or "unknown"),
        practice_name=practice.name if practice else "not recorded",
        referral_id=referral.id, referral_source=referral.source,
        referral_reasons=tuple(referral.reasons or ()), referred_at=referral.created_at,
        ended_at=ended_at, outcome=outcome, author=author, what_matters=what_matters,
        needs=needs, support=support, goals=goals)


def _ending(session: Session, message: GpMessage, referral: Referral,
            episode: Episode | None) -> tuple[datetime, str]:
    if episode is not None and episode.closed_at is not None:
        return episode.closed_at, episode.closure_reason or "other"
    event = session.scalars(
        select(StatusEvent).where(StatusEvent.object_type == "referral",
                                  StatusEvent.object_id == referral.id)
        .order_by(StatusEvent.id.desc()).limit(1)).first()
    if event is None:
        return message.created_at, "declined" if message.kind == "declined" else "other"
    return event.occurred_at, event.reason or "other"


def message_for(session: Session, *, by, message_id: int,
                source_ip: str | None = None) -> GpMessage:
    """One message, for someone who may see its referral (the referrer, the team, an
    administrator); anyone else is refused as if it did not exist. The read is audited."""
    from linkwell.auth import policy

    message = session.get(GpMessage, message_id)
    referral = session.get(Referral, message.referral_id) if message else None
    if referral is None or not policy.can_view_referral(by, referral):
        raise policy.Refused("gp_message", message_id)
    audit.record(session, action="read", object_type="gp_message", object_id=message_id,
                 detail={"referral_id": referral.id}, **audit.actor(by, source_ip))
    return message


def outbox(session: Session, *, by, status: str | None = None, limit: int = 200,
           source_ip: str | None = None) -> list[GpMessage]:
    """The outbox as an administrator sees it (it names people): the read is audited."""
    query = select(GpMessage).order_by(GpMessage.id.desc()).limit(limit)
    if status:
        query = query.where(GpMessage.status == status)
    messages = list(session.scalars(query))
    audit.record(session, action="read", object_type="gp_outbox", object_id=None,
                 detail={"status": status, "count": len(messages)},
                 **audit.actor(by, source_ip))
    return messages


def outbox_counts(session: Session) -> dict[str, int]:
    return dict(session.execute(select(GpMessage.status, func.count())
                                .group_by(GpMessage.status)).all())


def practices(session: Session) -> list[GpPractice]:
    return list(session.scalars(select(GpPractice).order_by(GpPractice.ods_code)))


# --- The minimum viable information standard (MVIS) extract -------------------------------------

def _month(column, dialect: str):
    """The UTC calendar month 'YYYY-MM' of a timestamp, in the engine's own SQL."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def mvis_counts(session: Session, start: datetime, end: datetime
                ) -> list[tuple[str, str, str, str, str, int]]:
    """People counted by (month, practice ODS code, PCN code, measure, category), for
    events from ``start`` (inclusive) to ``end`` (exclusive). One GROUP BY per measure, so
    a million episodes take seconds. A person with no registered practice counts under
    'unknown'."""
    dialect = session.get_bind().dialect.name
    practice = func.coalesce(GpRegistration.practice_ods, "unknown")
    # The PCN is looked up afterwards: one join fewer per row over a million rows.
    pcns = dict(session.execute(select(GpPractice.ods_code, GpPractice.pcn_code)).all())

    def grouped(measure: str, at, category, person, query):
        month = _month(at, dialect)
        query = (query.outerjoin(GpRegistration, GpRegistration.person_id == person)
                 .where(at >= start, at < end)
                 .group_by(month, practice, category))
        return [(m, ods, pcns.get(ods) or "unknown", measure, str(c), int(n))
                for m, ods, c, n in session.execute(
                    query.add_columns(month, practice, category,
                                      func.count(func.distinct(person))))]

    rows = grouped("referred", Referral.created_at, Referral.source, Referral.person_id,
                   select().select_from(Referral))
    rows += grouped("need", NeedsAssessment.assessed_at, Need.domain, Episode.person_id,
                    select().select_from(Need)
                    .join(NeedsAssessment, NeedsAssessment.id == Need.assessment_id)
                    .join(Episode, Episode.id == NeedsAssessment.episode_id)
                    .where(Need.score >= 2))
    rows += grouped("support_offered", OnwardReferral.sent_at, OnwardReferral.reason,
                    Episode.person_id, select().select_from(OnwardReferral)
                    .join(Episode, Episode.id == OnwardReferral.episode_id))
    rows += grouped("outcome", Episode.closed_at, Episode.closure_reason, Episode.person_id,
                    select().select_from(Episode).where(Episode.closed_at.is_not(None)))
    rows += grouped("declined", StatusEvent.occurred_at, StatusEvent.to_status,
                    StatusEvent.person_id, select().select_from(StatusEvent).where(
                        StatusEvent.object_type == "referral",
                        StatusEvent.reason == "declined"))
    return sorted(rows)


@dataclass(frozen=True)
class SentSummary:
    """What the referrer's page says about a message back to the GP: the standard's copy to
    the referrer, without opening the PDF."""

    message_id: int
    kind: str  # closure | declined
    created_at: datetime
    status: str
    sent_at: datetime | None


def summaries_for_referral(session: Session, referral_id: int) -> list[SentSummary]:
    """The messages back to the GP about one referral, oldest first. The caller has already
    checked that the reader may see the referral (and audited that read)."""
    return [SentSummary(*row) for row in session.execute(
        select(GpMessage.id, GpMessage.kind, GpMessage.created_at, GpMessage.status,
               GpMessage.sent_at)
        .where(GpMessage.referral_id == referral_id).order_by(GpMessage.id))]
