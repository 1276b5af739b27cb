"""Every change to referrals, as one small command each.

A command takes the session first and keyword-only arguments naming who acts (``by``, ``None``
for a member of the public), checks access through ``linkwell.auth.policy``, writes an audit
event, and queues any e-mail, all in the caller's one unit of work
(``with session.begin(): commands.accept_referral(session, by=user, ...)``), so a failure
anywhere leaves nothing half-written. Status changes go through ``_transition``: the
state machine decides legality, and a compare-and-set on ``version`` makes concurrent changes
safe (the loser gets 412, never a lost update).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, bindparam, case, delete, false, or_, select, update
from sqlalchemy.orm import Session, lazyload

from linkwell import audit, persistence
from linkwell.auth import policy
from linkwell.auth.models import SIMULATED_TEAM_KIND, Team, User, UserRole
from linkwell.auth.roles import Role
from linkwell.db import utcnow
from linkwell.errors import Conflict, Forbidden, InvalidInput, NotFound, PreconditionFailed
from linkwell.geo.postcodes import normalise_postcode
from linkwell.gprecord import commands as gprecord
from linkwell.notifications import outbox
from linkwell.operations.models import IdempotencyKey
from linkwell.referrals import domain, queries
from linkwell.referrals.domain import Status
from linkwell.referrals.models import (
    Episode,
    EpisodeContact,
    Goal,
    Need,
    NeedsAssessment,
    Person,
    PossibleDuplicate,
    Referral,
    StatusEvent,
)
from linkwell.referrals.queries import load_episode
from linkwell.settings import get_settings


def _link(path: str) -> str:
    return get_settings().public_link(path)


# --- Submitting a referral -------------------------------------------------------------------

@dataclass
class PersonDetails:
    given_name: str
    family_name: str
    birth_date: date
    postcode: str | None = None
    nhs_number: str | None = None
    phone: str | None = None
    email: str | None = None
    contact_preference: str | None = None
    language: str | None = None
    interpreter_needed: bool = False
    accessibility_needs: str | None = None
    sex: str | None = None
    ethnicity: str | None = None


@dataclass
class ReferralRequest:
    person: PersonDetails
    source: str
    reasons: list[str]
    consent_to_share: bool
    notes: str = ""
    extra: dict = field(default_factory=dict)


def referral_request(fields: Mapping) -> ReferralRequest:
    """The one way input becomes a referral request, whether it came as an API body, a FHIR
    ServiceRequest or a form: ``person`` (details or their fields), ``source``, ``reasons``,
    ``notes`` and ``consent_to_share``."""
    person = fields["person"]
    return ReferralRequest(
        person=person if isinstance(person, PersonDetails) else PersonDetails(**person),
        source=fields["source"], reasons=list(fields["reasons"]),
        notes=fields.get("notes") or "", consent_to_share=bool(fields["consent_to_share"]))


def submit_referral(session: Session, *, by: User | None, request: ReferralRequest,
                    idempotency_key: str | None = None, source_ip: str | None = None,
                    now: datetime | None = None) -> tuple[Referral, bool]:
    """Create a person and referral (status ``requested``); return (referral, created).

    ``by`` is the referrer, or ``None`` for a self-referral from the public form. A retry with
    the same idempotency key returns the original referral and creates nothing: the key row is
    inserted first, so of two simultaneous retries the unique constraint lets one through and
    the other waits for it and then finds its referral.
    """
    now = now or utcnow()
    scope = f"user:{by.id}" if by else "public"
    key = (idempotency_key or "").strip()[:100] or None
    key_id = None
    if key:
        key_id = _claim_key(session, scope, key, now)
        if key_id is None:
            existing = _replay(session, scope, key)
            if existing is None:
                raise Conflict("This referral is being submitted twice at once; "
                               "try again in a moment.") from None
            return existing, False
    referral = _submit(session, by=by, request=request, source_ip=source_ip, now=now)
    if key_id is not None:
        session.execute(_SET_KEY_REFERRAL, {"key_id": key_id, "referral_id": referral.id})
    return referral, True


_KEYS = IdempotencyKey.__table__
_SET_KEY_REFERRAL = (update(_KEYS).where(_KEYS.c.id == bindparam("key_id"))
                     .values(referral_id=bindparam("referral_id")))


def _claim_key(session: Session, scope: str, key: str, now: datetime) -> int | None:
    """The key row's id, or None when another request holds the key (a retry)."""
    return persistence.claim(session, _KEYS, ("scope", "key"),
                             {"scope": scope, "key": key, "created_at": now})


def _replay(session: Session, scope: str, key: str) -> Referral | None:
    referral_id = session.scalar(select(IdempotencyKey.referral_id).where(
        IdempotencyKey.scope == scope, IdempotencyKey.key == key))
    return session.get(Referral, referral_id) if referral_id else None


def _submit(session: Session, *, by, request: ReferralRequest, source_ip,
            now: datetime) -> Referral:
    if by is not None and not by.has_role(Role.REFERRER, Role.LINK_WORKER, Role.ADMIN):
        raise Forbidden("Your account cannot make referrals.")
    person = _validated_person(session, request.person, now)
    source = domain.require_code(domain.REFERRAL_SOURCES,
                                 "self" if by is None else request.source, "source")
    reasons = [domain.require_code(domain.REFERRAL_REASONS, r, "reasons")
               for r in dict.fromkeys(request.reasons)]
    if not reasons:
        raise InvalidInput("Choose at least one reason for referral",
                           errors=[{"field": "reasons", "message": "required"}])
    if request.consent_to_share is not True:
        raise InvalidInput("The person must agree to their details being shared with the "
                           "social prescribing service",
                           errors=[{"field": "consent_to_share", "message": "required"}])
    notes = domain.check_text(request.notes, "notes")
    # The person and the referral go in with one flush (the relationship orders them).
    referral = Referral(
        person=person, referrer_id=by.id if by else None,
        referrer_organization_id=by.organization_id if by else None,
        team_id=_route_to_team(session, person), source=source, reasons=reasons, notes=notes,
        consent_to_share=True, consent_recorded_at=now, status=Status.REQUESTED, version=1,
        created_at=now,
    )
    session.add(referral)
    session.flush()
    _flag_duplicates(session, person)
    _log(session, requested_event(referral, by))
    audit.record(session, action="create", object_type="referral", object_id=referral.id,
                 detail={"source": source, "person_id": person.id}, **audit.actor(by, source_ip))
    outbox.queue_for(session, *_team_link_workers(referral.team_id),
                            "A new referral is waiting", _link(f"/referrals/{referral.id}"))
    return referral


def requested_event(referral: Referral, by: User | None) -> StatusEvent:
    """The event every referral's history starts with, as ``submit_referral`` logs it."""
    return StatusEvent(
        object_type="referral", object_id=referral.id, person_id=referral.person_id,
        from_status=None, to_status=Status.REQUESTED, actor_id=by.id if by else None,
        actor_role=str(by.primary_role) if by else None, occurred_at=referral.created_at,
        reason=referral.source, snomed_code=domain.SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING.code)


def _log(session: Session, event: StatusEvent) -> None:
    """Append to the status log (nothing reads the row back here)."""
    persistence.append(session, event)


def _validated_person(session: Session, details: PersonDetails, now: datetime) -> Person:
    given = domain.check_text(details.given_name, "given_name", 100)
    family = domain.check_text(details.family_name, "family_name", 100)
    if not given or not family:
        raise InvalidInput("Enter the person's first name and last name",
                           errors=[{"field": "given_name", "message": "required"}])
    if details.birth_date is None:
        raise InvalidInput("Enter the person's date of birth",
                           errors=[{"field": "birth_date", "message": "required"}])
    birth_date = domain.check_birth_date(details.birth_date, now.date())
    nhs = domain.clean_nhs_number(details.nhs_number)
    postcode = normalise_postcode(details.postcode) if details.postcode else None
    person = Person(
        given_name=given, family_name=family, birth_date=birth_date, nhs_number=nhs,
        postcode=postcode, phone=domain.check_text(details.phone, "phone", 40) or None,
        email=domain.check_text(details.email, "email", 254) or None,
        contact_preference=(domain.require_code(domain.CONTACT_PREFERENCES,
                                                details.contact_preference, "contact_preference")
                            if details.contact_preference else None),
        language=domain.check_text(details.language, "language", 60) or None,
        interpreter_needed=bool(details.interpreter_needed),
        accessibility_needs=domain.check_text(details.accessibility_needs,
                                              "accessibility_needs", 1000) or None,
        sex=domain.require_code(domain.SEXES, details.sex, "sex") if details.sex else None,
        ethnicity=domain.check_text(details.ethnicity, "ethnicity", 60) or None,
        match_key=domain.duplicate_key(given, family, birth_date, postcode),
        created_at=now,
    )
    if postcode:
        from linkwell.geo.queries import lookup_postcode

        try:
            place = lookup_postcode(session, postcode)
        except NotFound:
            place = None
        if place is not None:
            # The LSOA at referral time: a later move must not rewrite where they lived.
            person.lsoa11cd, person.lad_code = place.lsoa11cd, place.lad_code
            person.latitude, person.longitude = place.lat, place.lon
    return person


# Statements run for every referral are built once, with bound parameters.
_ROUTABLE = Team.kind != SIMULATED_TEAM_KIND  # a simulated cohort's team takes no referrals
_FIRST_TEAM = select(Team.id).where(_ROUTABLE).order_by(Team.id).limit(1)
_TEAM_COVERING = (select(Team.id).where(_ROUTABLE)
                  .order_by(case((Team.lad_code == bindparam("lad_code"), 0), else_=1), Team.id)
                  .limit(1))


def _route_to_team(session: Session, person: Person) -> int | None:
    """The team covering the person's borough, else the first team; None while there is none."""
    if person.lad_code:
        return session.scalar(_TEAM_COVERING, {"lad_code": person.lad_code})
    return session.scalar(_FIRST_TEAM)


_SAME_NHS = Person.nhs_number == bindparam("nhs_number")
_SAME_MATCH_KEY = Person.match_key == bindparam("match_key")
_OTHER_PERSON = (Person.id != bindparam("person_id")) & Person.merged_into_id.is_(None)
_DUPLICATES = select(Person.id, false()).where(_SAME_MATCH_KEY, _OTHER_PERSON)
_DUPLICATES_OR_SAME_NHS = select(Person.id, _SAME_NHS).where(or_(_SAME_NHS, _SAME_MATCH_KEY),
                                                             _OTHER_PERSON)


def _flag_duplicates(session: Session, person: Person) -> None:
    """Flag likely duplicates for a person to merge by hand; never merge them here."""
    params = {"match_key": person.match_key, "person_id": person.id}
    if person.nhs_number:
        rows = session.execute(_DUPLICATES_OR_SAME_NHS,
                               {**params, "nhs_number": person.nhs_number})
    else:
        rows = session.execute(_DUPLICATES, params)
    for other, by_nhs in rows:
        session.add(PossibleDuplicate(person_id=person.id, duplicate_of_id=other,
                                      reason="nhs_number" if by_nhs else "name_dob_postcode"))


# Filled from the merged record only where the kept record has nothing.
MERGED_FIELDS = ("nhs_number", "postcode", "lsoa11cd", "lad_code", "latitude", "longitude",
                 "phone", "email", "contact_preference", "language", "accessibility_needs",
                 "sex", "ethnicity")


def _whole_record(session: Session, by: User, person_id: int) -> Person:
    person = queries.whole_record(session, by=by, person_id=person_id)
    if person is None:
        raise policy.Refused("person", person_id)
    return person


def decide_possible_duplicate(session: Session, *, by: User, flag_id: int, same_person: bool,
                              source_ip: str | None = None) -> Person:
    """Settle a flagged pair by hand. Different people: the flag is cleared. The same person:
    the newer record's referrals and episodes move to the older record, which keeps its own
    details and gains only those it lacked; the newer record stays, marked as merged, because
    its status events are append-only history. Returns the record that remains."""
    flag = session.get(PossibleDuplicate, flag_id)
    if flag is None or flag.resolved:
        raise NotFound(f"possible duplicate {flag_id} was not found or is already settled")
    keep = _whole_record(session, by, flag.duplicate_of_id)
    newer = _whole_record(session, by, flag.person_id)
    flag.resolved = True
    actor = audit.actor(by, source_ip)
    if not same_person:
        audit.record(session, action="update", object_type="possible_duplicate",
                     object_id=flag.id, detail={"decision": "different people"}, **actor)
        return keep
    if keep.nhs_number and newer.nhs_number and keep.nhs_number != newer.nhs_number:
        raise Conflict("The two records have different NHS numbers, so they cannot be the "
                       "same person. Check the numbers with the referrers.")
    for name in MERGED_FIELDS:
        if getattr(keep, name) is None and getattr(newer, name) is not None:
            setattr(keep, name, getattr(newer, name))
    newer.merged_into_id = keep.id
    for model in (Referral, Episode):
        session.execute(update(model).where(model.person_id == newer.id)
                        .values(person_id=keep.id))
    others = PossibleDuplicate.id != flag.id
    for column in (PossibleDuplicate.person_id, PossibleDuplicate.duplicate_of_id):
        session.execute(update(PossibleDuplicate).where(column == newer.id, others)
                        .values({column.key: keep.id}))
    session.execute(delete(PossibleDuplicate).where(
        PossibleDuplicate.person_id == PossibleDuplicate.duplicate_of_id))
    audit.record(session, action="update", object_type="person", object_id=keep.id,
                 detail={"merged_person": newer.id, "matched_by": flag.reason}, **actor)
    return keep


_LINK_WORKER_EMAILS = (select(User.email).join(UserRole, UserRole.user_id == User.id)
                       .where(UserRole.role == Role.LINK_WORKER, User.active.is_(True)))
_TEAM_LINK_WORKER_EMAILS = _LINK_WORKER_EMAILS.where(User.team_id == bindparam("team_id"))


def _team_link_workers(team_id: int | None) -> tuple[Select, dict]:
    """The team's link workers' addresses (every link worker's while there is no team), as a
    query and its parameters."""
    if team_id is None:
        return _LINK_WORKER_EMAILS, {}
    return _TEAM_LINK_WORKER_EMAILS, {"team_id": team_id}


# --- Status transitions ----------------------------------------------------------------------

def _transition(session: Session, obj, *, to: Status, by: User | None, expected_version,
                person_id: int, now: datetime, reason: str | None = None,
                snomed: str | None = None, values: dict | None = None,
                source_ip: str | None = None) -> None:
    """Move ``obj`` (Referral or OnwardReferral) to ``to``: legal, compare-and-set, logged."""
    current = obj.status
    version = obj.version if expected_version is None else int(expected_version)
    if version != obj.version:
        # Stale first: a client acting on an old copy must reload, whatever it asked for.
        raise PreconditionFailed(
            f"{obj.__tablename__.replace('_', ' ')} {obj.id} has changed since you loaded it "
            f"(version {obj.version}, not {version}); reload and try again")
    domain.check_transition(current, to)
    if not persistence.compare_and_set(session, obj, version=version,
                                       values={"status": str(to), **(values or {})}):
        raise PreconditionFailed(
            f"{obj.__tablename__.replace('_', ' ')} {obj.id} was changed by someone else "
            "just now; reload and try again")
    _log(session, StatusEvent(
        object_type=obj.__tablename__, object_id=obj.id, person_id=person_id,
        from_status=current, to_status=to, actor_id=by.id if by else None,
        actor_role=str(by.primary_role) if by and by.primary_role else None, occurred_at=now,
        reason=reason, snomed_code=snomed))
    audit.record(session, action="transition", object_type=obj.__tablename__,
                 object_id=obj.id, detail={"from": current, "to": str(to),
                                           **({"reason": reason} if reason else {})},
                 **audit.actor(by, source_ip))


def load_referral(session: Session, *, by: User, referral_id: int) -> Referral:
    # The person is not needed to decide or to change a referral: leave them unloaded.
    referral = session.get(Referral, referral_id, options=[lazyload(Referral.person)])
    if referral is None or not policy.can_view_referral(by, referral):
        raise policy.Refused("referral", referral_id)
    return referral


def accept_referral(session: Session, *, by: User, referral_id: int, version: int | None,
                    link_worker_id: int | None = None, source_ip: str | None = None,
                    now: datetime | None = None) -> Episode:
    """Accept a referral onto the caseload: opens an episode, assigned to a link worker."""
    now = now or utcnow()
    referral = load_referral(session, by=by, referral_id=referral_id)
    if not policy.can_manage_caseload(by, referral.team_id):
        raise policy.Refused("referral", referral_id)
    worker_id = _check_link_worker(session, by, link_worker_id or by.id, referral.team_id)
    _transition(session, referral, to=Status.ACCEPTED, by=by, expected_version=version,
                person_id=referral.person_id, now=now, source_ip=source_ip,
                values={"team_id": referral.team_id or by.team_id})
    episode = Episode(person_id=referral.person_id, referral_id=referral.id,
                      team_id=referral.team_id, link_worker_id=worker_id, opened_at=now,
                      version=1)
    session.add(episode)
    session.flush()
    audit.record(session, action="create", object_type="episode", object_id=episode.id,
                 detail={"referral_id": referral.id}, **audit.actor(by, source_ip))
    return episode


def _check_link_worker(session: Session, by: User, worker_id: int, team_id: int | None) -> int:
    worker = by if worker_id == by.id else session.get(User, worker_id)
    if worker is None or Role.LINK_WORKER not in worker.roles or (
            team_id is not None and worker.team_id != team_id):
        raise InvalidInput("Choose a link worker in this team",
                           errors=[{"field": "link_worker_id", "message": "not in team"}])
    return worker.id


def decline_referral(session: Session, *, by: User, referral_id: int, version: int | None,
                     reason: str, source_ip: str | None = None,
                     now: datetime | None = None) -> Referral:
    """Refuse a referral before an episode opens; 'declined' carries the SNOMED CT code for
    social prescribing declined."""
    referral = load_referral(session, by=by, referral_id=referral_id)
    if not policy.can_manage_caseload(by, referral.team_id):
        raise policy.Refused("referral", referral_id)
    domain.require_code(domain.closure_reasons_for(referral.status), reason, "reason")
    snomed = domain.CLOSURE_REASONS[reason].snomed
    _transition(session, referral, to=Status.REJECTED, by=by, expected_version=version,
                person_id=referral.person_id, now=now or utcnow(), reason=reason,
                snomed=snomed, source_ip=source_ip)
    gprecord.queue_message(session, referral=referral, reason=reason, now=now)
    return referral


def assign_link_worker(session: Session, *, by: User, episode_id: int, link_worker_id: int,
                       version: int | None, source_ip: str | None = None) -> Episode:
    episode = load_episode(session, by=by, episode_id=episode_id)
    worker_id = _check_link_worker(session, by, link_worker_id, episode.team_id)
    _bump_episode(session, episode, version, link_worker_id=worker_id)
    audit.record(session, action="update", object_type="episode", object_id=episode.id,
                 detail={"link_worker_id": worker_id}, **audit.actor(by, source_ip))
    return episode


def hold_referral(session: Session, *, by: User, referral_id: int, version: int | None,
                  reason: str, source_ip: str | None = None,
                  now: datetime | None = None) -> Referral:
    """Pause support (the person is in hospital, away, or asked for a break)."""
    referral = load_referral(session, by=by, referral_id=referral_id)
    if not policy.can_manage_caseload(by, referral.team_id):
        raise policy.Refused("referral", referral_id)
    text = domain.check_text(reason, "reason", 60)
    if not text:
        raise InvalidInput("Say why support is on hold",
                           errors=[{"field": "reason", "message": "required"}])
    _transition(session, referral, to=Status.ON_HOLD, by=by, expected_version=version,
                person_id=referral.person_id, now=now or utcnow(), reason=text,
                source_ip=source_ip)
    return referral


def resume_referral(session: Session, *, by: User, referral_id: int, version: int | None,
                    source_ip: str | None = None, now: datetime | None = None) -> Referral:
    """Take a referral off hold, back to where it was before (read from the event log)."""
    referral = load_referral(session, by=by, referral_id=referral_id)
    if not policy.can_manage_caseload(by, referral.team_id):
        raise policy.Refused("referral", referral_id)
    held_from = session.scalar(
        select(StatusEvent.from_status).where(
            StatusEvent.object_type == "referral", StatusEvent.object_id == referral.id,
            StatusEvent.to_status == Status.ON_HOLD).order_by(StatusEvent.id.desc()).limit(1))
    _transition(session, referral, to=Status(held_from or Status.IN_PROGRESS), by=by,
                expected_version=version, person_id=referral.person_id, now=now or utcnow(),
                reason="resumed", source_ip=source_ip)
    return referral


def _bump_episode(session: Session, episode: Episode, version: int | None, **values) -> None:
    expected = episode.version if version is None else int(version)
    result = session.execute(
        update(Episode).where(Episode.id == episode.id, Episode.version == expected)
        .values(version=Episode.version + 1, **values)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise PreconditionFailed(f"episode {episode.id} was changed by someone else; reload "
                                 "and try again")
    session.refresh(episode)


def _open_episode(session: Session, by: User, episode_id: int) -> Episode:
    episode = load_episode(session, by=by, episode_id=episode_id)
    if episode.closed_at is not None:
        raise Conflict(f"episode {episode_id} is closed")
    return episode


def record_contact(session: Session, *, by: User, episode_id: int, occurred_at: datetime,
                   mode: str, duration_minutes: int, note: str = "",
                   source_ip: str | None = None, now: datetime | None = None
                   ) -> EpisodeContact:
    """A conversation with the person; the first one moves the referral to in-progress."""
    now = now or utcnow()
    episode = _open_episode(session, by, episode_id)
    domain.require_code(domain.CONTACT_MODES, mode, "mode")
    if occurred_at > now:
        raise InvalidInput("A contact cannot be in the future",
                           errors=[{"field": "occurred_at", "message": "in the future"}])
    if not 0 < int(duration_minutes) <= 600:
        raise InvalidInput("Duration must be between 1 and 600 minutes",
                           errors=[{"field": "duration_minutes", "message": "out of range"}])
    contact = EpisodeContact(episode_id=episode.id, occurred_at=occurred_at, mode=mode,
                             duration_minutes=int(duration_minutes),
                             note=domain.check_text(note, "note"), recorded_by_id=by.id,
                             recorded_at=now)
    session.add(contact)
    session.flush()
    if episode.last_contact_at is None or occurred_at > episode.last_contact_at:
        _bump_episode(session, episode, None, last_contact_at=occurred_at)
    referral = session.get(Referral, episode.referral_id)
    if referral.status == Status.ACCEPTED:
        _transition(session, referral, to=Status.IN_PROGRESS, by=by, expected_version=None,
                    person_id=episode.person_id, now=now, reason="first-contact",
                    source_ip=source_ip)
    audit.record(session, action="create", object_type="contact", object_id=contact.id,
                 detail={"episode_id": episode.id, "mode": mode}, **audit.actor(by, source_ip))
    return contact


def record_needs_assessment(session: Session, *, by: User, episode_id: int,
                            what_matters_to_me: str, scores: dict[str, int],
                            source_ip: str | None = None,
                            now: datetime | None = None) -> NeedsAssessment:
    """"What matters to me", scored 1 (no concern) to 5 (urgent) per needs domain."""
    episode = _open_episode(session, by, episode_id)
    needs = []
    for domain_code, score in scores.items():
        domain.require_code(domain.NEEDS_DOMAINS, domain_code, "domain")
        if not 1 <= int(score) <= 5:
            raise InvalidInput(f"Score for {domain_code} must be 1 to 5",
                               errors=[{"field": domain_code, "message": "out of range"}])
        needs.append(Need(domain=domain_code, score=int(score)))
    if not needs:
        raise InvalidInput("Score at least one need (1 no concern to 5 urgent) with what "
                           "matters to them",
                           errors=[{"field": "score-loneliness", "message": "required"}])
    assessment = NeedsAssessment(
        episode_id=episode.id, recorded_by_id=by.id, needs=needs,
        what_matters_to_me=domain.check_text(what_matters_to_me, "what_matters_to_me"),
        assessed_at=now or utcnow())
    session.add(assessment)
    session.flush()
    audit.record(session, action="create", object_type="needs_assessment",
                 object_id=assessment.id, detail={"episode_id": episode.id,
                                                  "domains": sorted(scores)},
                 **audit.actor(by, source_ip))
    return assessment


def agree_goal(session: Session, *, by: User, episode_id: int, description: str,
               domain_code: str | None = None, source_ip: str | None = None,
               now: datetime | None = None) -> Goal:
    episode = _open_episode(session, by, episode_id)
    text = domain.check_text(description, "description", 1000)
    if not text:
        raise InvalidInput("Describe the goal", errors=[{"field": "description",
                                                         "message": "required"}])
    if domain_code:
        domain.require_code(domain.NEEDS_DOMAINS, domain_code, "domain")
    goal = Goal(episode_id=episode.id, description=text, domain=domain_code or None,
                agreed_at=now or utcnow())
    session.add(goal)
    session.flush()
    audit.record(session, action="create", object_type="goal", object_id=goal.id,
                 detail={"episode_id": episode.id}, **audit.actor(by, source_ip))
    return goal


def _notify_link_worker(session: Session, episode: Episode, subject: str, path: str) -> None:
    email = session.scalar(select(User.email).where(User.id == episode.link_worker_id))
    if email:
        outbox.queue(session, [email], subject, _link(path))
    else:
        outbox.queue_for(session, *_team_link_workers(episode.team_id), subject,
                                _link(path))


def close_episode(session: Session, *, by: User, episode_id: int, version: int | None,
                  reason: str, source_ip: str | None = None,
                  now: datetime | None = None) -> Episode:
    """Close the period of support with a coded reason; the referral's status follows."""
    now = now or utcnow()
    episode = _open_episode(session, by, episode_id)
    domain.require_code(domain.CLOSURE_REASONS, reason, "reason")
    _bump_episode(session, episode, version, closed_at=now, closure_reason=reason)
    referral = session.get(Referral, episode.referral_id)
    target = {"declined": Status.CANCELLED, "no-contact": Status.FAILED,
              "died": Status.CANCELLED}.get(reason, Status.COMPLETED)
    if referral.status == Status.ON_HOLD:
        _transition(session, referral, to=Status.IN_PROGRESS, by=by, expected_version=None,
                    person_id=episode.person_id, now=now, reason="closing",
                    source_ip=source_ip)
    _transition(session, referral, to=target, by=by, expected_version=None,
                person_id=episode.person_id, now=now, reason=reason,
                snomed=domain.CLOSURE_REASONS[reason].snomed, source_ip=source_ip)
    audit.record(session, action="update", object_type="episode", object_id=episode.id,
                 detail={"closed": reason}, **audit.actor(by, source_ip))
    gprecord.queue_message(session, referral=referral, reason=reason, episode=episode, now=now)
    return episode
