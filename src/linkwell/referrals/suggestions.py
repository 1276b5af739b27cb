"""Ranked directory services for a person's needs, read straight from the directory tables.

Active services tagged with a taxonomy term for one of the needs and eligible at the person's
age are read in one of two ways: when few services carry those terms, all of them within
10 km; otherwise nearest first from the location index, widening the circle (1.5, 3, 6, 10 km)
only until there are enough to choose from. Services at a virtual location (phone, online) are
added, and the candidates' accepted and declined onward referrals counted. The pure
``ranking`` module orders them and gives the reasons; opening times are read for the final few.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy import null as sa_null
from sqlalchemy.orm import Session

from linkwell import audit
from linkwell.auth.models import User
from linkwell.directory.models import (
    Attribute,
    Language,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    TaxonomyTerm,
)
from linkwell.geo.distance import bounding_box, haversine_m
from linkwell.referrals import domain, ranking
from linkwell.referrals.commands import load_episode
from linkwell.referrals.domain import Status
from linkwell.referrals.models import NeedsAssessment, OnwardReferral, Person, Referral

RADII_M = (1_500, 3_000, 6_000, 10_000)
# Above this many candidates, one pass over the whole history beats a long IN list.
MAX_ID_LIST = 1_000
# Below this many tagged services, read them all instead of widening circles.
FEW_TAGGED = 2_000
ACCEPTED = (Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED, Status.FAILED)
DAY_NAMES = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat",
             "SU": "Sun"}


def needs_for_episode(session: Session, episode_id: int, referral: Referral) -> dict[str, int]:
    """The latest assessment's scores above 1, or the referral's reasons until there is one."""
    assessment = session.scalars(select(NeedsAssessment).where(
        NeedsAssessment.episode_id == episode_id).order_by(NeedsAssessment.id.desc())).first()
    if assessment is not None:
        return {n.domain: n.score for n in assessment.needs if n.score > 1}
    return {r: 3 for r in referral.reasons if r in domain.NEEDS_DOMAINS}


def suggest_for_episode(session: Session, *, by: User, episode_id: int, limit: int = 10,
                        source_ip: str | None = None) -> list[ranking.Suggestion]:
    episode = load_episode(session, by=by, episode_id=episode_id)
    person = session.get(Person, episode.person_id)
    needs = needs_for_episode(session, episode.id, session.get(Referral, episode.referral_id))
    audit.record(session, action="read", object_type="suggestions", object_id=episode.id,
                 detail={"needs": sorted(needs)}, **audit.actor(by, source_ip))
    return suggest(session, needs=needs, birth_date=person.birth_date, lat=person.latitude,
                   lon=person.longitude, language=person.language, limit=limit)


def suggest(session: Session, *, needs: dict[str, int], birth_date: date | None,
            lat: float | None, lon: float | None, language: str | None = None,
            limit: int = 10, today: date | None = None) -> list[ranking.Suggestion]:
    """The best ``limit`` services for these needs (domain -> 1..5), best first."""
    if not needs:
        return []
    codes = domain.taxonomy_codes_for(list(needs))
    language_key = (language or "").strip().casefold() or None
    if language_key in ("english", "en"):
        language_key = None
    # Term ids first (a handful), then attributes by taxonomy_term_id. Joining
    # attribute.link_id to service.id already limits attributes to services (ids are UUIDs),
    # so link_entity is not filtered.
    terms = {term_id: code for term_id, code in session.execute(
        select(TaxonomyTerm.id, TaxonomyTerm.code).where(TaxonomyTerm.code.in_(list(codes))))}
    if not terms:
        return []
    age = domain.age_on(birth_date, today or date.today()) if birth_date else None
    candidates: dict[str, ranking.Candidate] = {}
    tagged = session.scalar(select(func.count()).select_from(Attribute).where(
        Attribute.taxonomy_term_id.in_(list(terms))))
    if lat is not None and lon is not None and tagged <= FEW_TAGGED:
        # Few services carry these terms: reading them all beats scanning a wide circle.
        radius = RADII_M[-1]
        rows = session.execute(_base(terms, age, language_key).where(
            _in_box(bounding_box(lat, lon, radius))))
        _add_rows(candidates, rows, terms, codes, lat, lon, radius)
    elif lat is not None and lon is not None:
        # Nearest first: widen the circle only until there are enough to choose from, so a
        # dense city directory is never scored in full.
        for radius in RADII_M:
            candidates = {}
            rows = session.execute(_located(terms, age, lat, lon, radius, language_key))
            _add_rows(candidates, rows, terms, codes, lat, lon, radius)
            if len(candidates) >= 2 * limit:
                break
    else:
        rows = session.execute(_base(terms, age, language_key))
        _add_rows(candidates, rows, terms, codes, None, None, None)
    rows = session.execute(_remote(terms, age, language_key))
    _add_rows(candidates, rows, terms, codes, None, None, None)
    if not candidates:
        return []
    history = (select(OnwardReferral.service_id,
                      func.count().filter(OnwardReferral.status.in_(ACCEPTED)),
                      func.count().filter(OnwardReferral.status.in_(
                          (*ACCEPTED, Status.REJECTED))))
               .group_by(OnwardReferral.service_id))
    if len(candidates) <= MAX_ID_LIST:
        history = history.where(OnwardReferral.service_id.in_(list(candidates)))
    for sid, accepted, decided in session.execute(history):
        if sid in candidates:
            candidates[sid].accepted, candidates[sid].decided = accepted, decided
    labels = {k: v.display for k, v in domain.NEEDS_DOMAINS.items()}
    ranked = ranking.rank(list(candidates.values()), needs, labels, language, limit)
    _add_opening_times(session, ranked)
    return ranked


# What ranking needs of each candidate service, whichever way the candidates are found.
_CANDIDATE_COLUMNS = (Service.id, Service.name, Service.organization_id,
                      Attribute.taxonomy_term_id, Location.latitude, Location.longitude,
                      ServiceCapacity.status, ServiceCapacity.waiting_time_days)


def _base(terms: dict[str, str], age: int | None, language: str | None):
    """Active services tagged with one of ``terms``, eligible at ``age``, anywhere."""
    query = (
        select(*_CANDIDATE_COLUMNS)
        .select_from(Attribute)
        .join(Service, Service.id == Attribute.link_id)
        .outerjoin(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
        .outerjoin(Location, Location.id == ServiceAtLocation.location_id)
        .outerjoin(ServiceCapacity, ServiceCapacity.service_id == Service.id)
        .where(Attribute.taxonomy_term_id.in_(list(terms)), Service.status == "active")
    )
    return _eligible(query, age, language)


def _in_box(box):
    return (Location.latitude.between(box.min_lat, box.max_lat)
            & Location.longitude.between(box.min_lon, box.max_lon))


def _located(terms: dict[str, str], age: int | None, lat: float, lon: float, radius: float,
             language: str | None):
    """The same, for locations inside the radius's box, read from the lat/lon index: the term
    and status filters go through ``coalesce`` so SQLite's planner (no statistics) starts from
    the box, not from every active service or tagged attribute."""
    box = bounding_box(lat, lon, radius)
    query = (
        select(*_CANDIDATE_COLUMNS)
        .select_from(Location)
        .join(ServiceAtLocation, ServiceAtLocation.location_id == Location.id)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .join(Attribute, Attribute.link_id == Service.id)
        .outerjoin(ServiceCapacity, ServiceCapacity.service_id == Service.id)
        .where(_in_box(box),
               func.coalesce(Attribute.taxonomy_term_id, "").in_(list(terms)),
               func.coalesce(Service.status, "") == "active")
    )
    return _eligible(query, age, language)


def _remote(terms: dict[str, str], age: int | None, language: str | None):
    """Services delivered with no fixed place: at an HSDS ``virtual`` location (phone, online)
    or one without coordinates. Those few locations drive the query."""
    query = (
        select(Service.id, Service.name, Service.organization_id, Attribute.taxonomy_term_id,
               sa_null(), sa_null(), ServiceCapacity.status, ServiceCapacity.waiting_time_days)
        .select_from(ServiceAtLocation)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .join(Attribute, Attribute.link_id == Service.id)
        .outerjoin(ServiceCapacity, ServiceCapacity.service_id == Service.id)
        .where(ServiceAtLocation.location_id.in_(
                   select(Location.id).where(or_(Location.location_type == "virtual",
                                                 Location.latitude.is_(None)))),
               func.coalesce(Attribute.taxonomy_term_id, "").in_(list(terms)),
               func.coalesce(Service.status, "") == "active")
    )
    return _eligible(query, age, language)


def _eligible(query, age: int | None, language: str | None):
    """Age limits, and whether the service works in the person's language (joined through
    the language table's service_id index, never a scan of every language row)."""
    if age is not None:
        query = query.where(or_(Service.minimum_age.is_(None), Service.minimum_age <= age),
                            or_(Service.maximum_age.is_(None), Service.maximum_age >= age))
    if language is None:
        return query.add_columns(sa_null())
    return query.add_columns(Language.id).outerjoin(Language, and_(
        Language.service_id == Service.id,
        or_(func.lower(Language.name) == language, func.lower(Language.code) == language)))


def _add_rows(candidates: dict[str, ranking.Candidate], rows, terms: dict[str, str],
              codes: dict[str, str], lat: float | None, lon: float | None,
              radius: float | None) -> None:
    for sid, name, org, term_id, llat, llon, cap, wait, speaks in rows:
        distance = (haversine_m(lat, lon, llat, llon)
                    if None not in (lat, lon, llat, llon) else None)
        if distance is not None and radius is not None and distance > radius:
            continue
        candidate = candidates.get(sid)
        if candidate is None:
            candidate = candidates[sid] = ranking.Candidate(sid, name, org, set(), distance,
                                                            cap, wait)
        elif distance is not None and (candidate.distance_m is None
                                       or distance < candidate.distance_m):
            candidate.distance_m = distance
        candidate.needs_met.add(codes[terms[term_id]])
        candidate.speaks_language = candidate.speaks_language or speaks is not None


def _add_opening_times(session: Session, suggestions: list[ranking.Suggestion]) -> None:
    by_service: dict[str, list[str]] = {}
    rows = session.execute(select(Schedule.service_id, Schedule.byday, Schedule.opens_at,
                                  Schedule.closes_at)
                           .where(Schedule.service_id.in_([s.service_id for s in suggestions]))
                           .order_by(Schedule.id))
    for sid, byday, opens, closes in rows:
        days = ", ".join(DAY_NAMES.get(d.strip()[-2:], d) for d in (byday or "").split(",")
                         if d.strip())
        hours = f"{opens:%H:%M}–{closes:%H:%M}" if opens and closes else ""
        text = " ".join(p for p in (days, hours) if p)
        if text:
            by_service.setdefault(sid, []).append(text)
    for suggestion in suggestions:
        if suggestion.service_id in by_service:
            suggestion.reasons.append("Open " + "; ".join(by_service[suggestion.service_id]))


@dataclass
class NeedSuggestions:
    """The services suggested for one recorded need, with why the need is on the list."""

    need: str
    label: str
    score: int
    why: str
    suggestions: list[ranking.Suggestion]


def suggest_by_need(session: Session, *, by: User, episode_id: int, per_need: int = 5,
                    source_ip: str | None = None) -> list[NeedSuggestions]:
    """Suggestions for every recorded need, most pressing first: one ranked list per need,
    so a person's debt is not crowded out by ten services for their loneliness."""
    episode = load_episode(session, by=by, episode_id=episode_id)
    person = session.get(Person, episode.person_id)
    referral = session.get(Referral, episode.referral_id)
    needs = needs_for_episode(session, episode.id, referral)
    assessed = session.scalar(select(NeedsAssessment.id).where(
        NeedsAssessment.episode_id == episode.id).limit(1)) is not None
    audit.record(session, action="read", object_type="suggestions", object_id=episode.id,
                 detail={"needs": sorted(needs), "by_need": True}, **audit.actor(by, source_ip))
    groups = []
    for need, score in sorted(needs.items(), key=lambda item: (-item[1], item[0])):
        label = domain.NEEDS_DOMAINS[need].display
        why = (f"Scored {score} of 5 ({domain.NEED_SCALE[score].lower()}) in the needs "
               "assessment" if assessed else "A reason given in the referral")
        groups.append(NeedSuggestions(need, label, score, why, suggest(
            session, needs={need: score}, birth_date=person.birth_date, lat=person.latitude,
            lon=person.longitude, language=person.language, limit=per_need)))
    return groups
