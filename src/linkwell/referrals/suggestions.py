"""Ranked directory services for a person's needs, read straight from the directory tables.

One indexed query finds active services tagged with a taxonomy term for one of the needs,
eligible at the person's age, within ``RADIUS_M`` of their postcode (or with no fixed
location); a second counts each candidate's accepted and declined onward referrals. The pure
``ranking`` module orders them and gives the reasons. Opening times are read for the final
few only.
"""

from datetime import date

from sqlalchemy import func, or_, select
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

RADIUS_M = 10_000
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
                 actor_id=by.id, actor_role=str(by.primary_role) if by.primary_role else None,
                 source_ip=source_ip, detail={"needs": sorted(needs)})
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
    query = (
        select(Service.id, Service.name, Service.organization_id, TaxonomyTerm.code,
               Location.latitude, Location.longitude, ServiceCapacity.status,
               ServiceCapacity.waiting_time_days)
        .select_from(Attribute)
        .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
        .join(Service, Service.id == Attribute.link_id)
        .outerjoin(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
        .outerjoin(Location, Location.id == ServiceAtLocation.location_id)
        .outerjoin(ServiceCapacity, ServiceCapacity.service_id == Service.id)
        .where(Attribute.link_entity == "service", TaxonomyTerm.code.in_(list(codes)),
               Service.status == "active")
    )
    if birth_date is not None:
        age = domain.age_on(birth_date, today or date.today())
        query = query.where(or_(Service.minimum_age.is_(None), Service.minimum_age <= age),
                            or_(Service.maximum_age.is_(None), Service.maximum_age >= age))
    if lat is not None and lon is not None:
        box = bounding_box(lat, lon, RADIUS_M)
        query = query.where(or_(Location.id.is_(None), Location.latitude.is_(None),
                                Location.latitude.between(box.min_lat, box.max_lat)
                                & Location.longitude.between(box.min_lon, box.max_lon)))
    candidates: dict[str, ranking.Candidate] = {}
    for sid, name, org, code, llat, llon, cap, wait in session.execute(query):
        candidate = candidates.get(sid)
        distance = (haversine_m(lat, lon, llat, llon)
                    if None not in (lat, lon, llat, llon) else None)
        if distance is not None and distance > RADIUS_M:
            continue
        if candidate is None:
            candidate = candidates[sid] = ranking.Candidate(sid, name, org, set(), distance,
                                                            cap, wait)
        elif distance is not None and (candidate.distance_m is None
                                       or distance < candidate.distance_m):
            candidate.distance_m = distance
        candidate.needs_met.add(codes[code])
    if not candidates:
        return []
    # Whole-table aggregates filtered in Python: cheaper than compiling an IN list of
    # thousands of candidate ids.
    for sid, accepted, decided in session.execute(
            select(OnwardReferral.service_id,
                   func.count().filter(OnwardReferral.status.in_(ACCEPTED)),
                   func.count().filter(OnwardReferral.status.in_(
                       (*ACCEPTED, Status.REJECTED))))
            .group_by(OnwardReferral.service_id)):
        if sid in candidates:
            candidates[sid].accepted, candidates[sid].decided = accepted, decided
    if language_key:
        for (sid,) in session.execute(
                select(Language.service_id).where(
                    or_(func.lower(Language.name) == language_key,
                        func.lower(Language.code) == language_key))):
            if sid in candidates:
                candidates[sid].speaks_language = True
    labels = {k: v.display for k, v in domain.NEEDS_DOMAINS.items()}
    ranked = ranking.rank(list(candidates.values()), needs, labels, language, limit)
    _add_opening_times(session, ranked)
    return ranked


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
