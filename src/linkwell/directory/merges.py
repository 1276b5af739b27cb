"""Duplicate organisations and services: proposing them, merging them, undoing a merge.

Commands take ``(session, *, by, ..., source_ip)``, run in the caller's transaction and
audit there. A merge keeps the merged record: its id redirects to the survivor
(``resolve``) while the merge stands; a merged service is made inactive; every onward
referral (and, for an organisation, every service and person) is moved to the survivor, and
what was moved is listed on the merge so that ``undo`` puts each back.
"""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from linkwell import audit
from linkwell.auth.models import User
from linkwell.db import get_or_not_found, utcnow
from linkwell.directory.duplicates import Proposal, Record, phone_key, propose, website_key
from linkwell.directory.models import (
    Address,
    DirectoryMerge,
    DuplicateCandidate,
    Location,
    Organization,
    OrganizationIdentifier,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from linkwell.directory.presentation import display_name
from linkwell.directory.search_index import reindex_services
from linkwell.errors import Conflict, InvalidInput, NotFound
from linkwell.referrals.models import OnwardReferral, Referral

KINDS = {"service": Service, "organization": Organization}
CHARITY_SCHEMES = ("GB-CHC", "GB-SC", "GB-NIC")
INACTIVE = "inactive"
MAX_REDIRECTS = 10


def _postcodes_by(session: Session, key_column, join_on) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for key, postcode in session.execute(
            select(key_column, Address.postal_code).select_from(join_on)
            .join(Address, Address.location_id == Location.id)):
        if key and postcode:
            found[key].add(postcode.replace(" ", "").upper())
    return found


def _phones_by(session: Session, column) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for key, number in session.execute(select(column, Phone.number).where(column.is_not(None))):
        normal = phone_key(number)
        if normal:
            found[key].add(normal)
    return found


def _schedules_by_service(session: Session) -> dict[str, set[str]]:
    """Each service's opening times as comparable keys ("MO,WE 10:00:00-12:00:00")."""
    found: dict[str, set[str]] = defaultdict(set)
    for service_id, byday, opens_at, closes_at in session.execute(
            select(Schedule.service_id, Schedule.byday, Schedule.opens_at, Schedule.closes_at)
            .where(Schedule.service_id.is_not(None))):
        found[service_id].add(f"{byday} {opens_at}-{closes_at}")
    return found


def _merged_away(session: Session, kind: str) -> set[str]:
    return set(session.scalars(select(DirectoryMerge.merged_id).where(
        DirectoryMerge.kind == kind, DirectoryMerge.undone_at.is_(None))))


def service_records(session: Session) -> list[Record]:
    """Every service not merged away, with what identifies it, read in five queries."""
    postcodes = _postcodes_by(
        session, ServiceAtLocation.service_id,
        ServiceAtLocation.__table__.join(Location,
                                         Location.id == ServiceAtLocation.location_id))
    phones = _phones_by(session, Phone.service_id)
    schedules = _schedules_by_service(session)
    away = _merged_away(session, "service")
    # Compared by their own names: "Community choir — Marsh Lane Community Association" and
    # "Community garden — Marsh Lane Community Association" share the organisation, not a name.
    return [Record(service_id, display_name(name, organization),
                   frozenset(postcodes.get(service_id, ())),
                   frozenset(phones.get(service_id, ())),
                   frozenset(w for w in (website_key(url),) if w),
                   organization_id=organization_id,
                   schedules=frozenset(schedules.get(service_id, ())))
            for service_id, name, url, organization, organization_id in session.execute(
                select(Service.id, Service.name, Service.url, Organization.name,
                       Service.organization_id)
                .join(Organization, Organization.id == Service.organization_id)
                .order_by(Service.id))
            if service_id not in away]


def organization_records(session: Session) -> list[Record]:
    """Every organisation not merged away, with what identifies it."""
    postcodes = _postcodes_by(session, Location.organization_id, Location.__table__)
    phones = _phones_by(session, Phone.organization_id)
    charities: dict[str, set[str]] = defaultdict(set)
    for organization_id, number in session.execute(
            select(OrganizationIdentifier.organization_id, OrganizationIdentifier.identifier)
            .where(OrganizationIdentifier.identifier_scheme.in_(CHARITY_SCHEMES))):
        charities[organization_id].add(number.strip().upper())
    away = _merged_away(session, "organization")
    return [Record(organization_id, name, frozenset(postcodes.get(organization_id, ())),
                   frozenset(phones.get(organization_id, ())),
                   frozenset(w for w in (website_key(website),) if w),
                   frozenset(charities.get(organization_id, ())))
            for organization_id, name, website in session.execute(
                select(Organization.id, Organization.name, Organization.website)
                .order_by(Organization.id))
            if organization_id not in away]


def find_duplicates(session: Session) -> dict[str, int]:
    """Propose every look-alike pair afresh; pairs already merged or dismissed stay so.

    Returns how many open proposals each kind now has.
    """
    decided = {(kind, first, second) for kind, first, second in session.execute(
        select(DuplicateCandidate.kind, DuplicateCandidate.first_id,
               DuplicateCandidate.second_id).where(DuplicateCandidate.status != "open"))}
    session.execute(delete(DuplicateCandidate).where(DuplicateCandidate.status == "open"))
    counts = {}
    for kind, records in (("organization", organization_records(session)),
                          ("service", service_records(session))):
        rows = [_candidate(kind, p) for p in propose(records)
                if (kind, p.first_id, p.second_id) not in decided]
        if rows:
            session.execute(DuplicateCandidate.__table__.insert(), rows)
        counts[kind] = len(rows)
    return counts


def _candidate(kind: str, proposal: Proposal) -> dict:
    return {"kind": kind, "first_id": proposal.first_id, "second_id": proposal.second_id,
            "score": proposal.score, "evidence": list(proposal.evidence), "status": "open",
            "found_at": utcnow()}


@dataclass(frozen=True)
class Side:
    id: str
    name: str
    detail: str


@dataclass(frozen=True)
class Pair:
    candidate: DuplicateCandidate
    first: Side
    second: Side


def open_candidates(session: Session, *, limit: int = 50) -> list[Pair]:
    """The open proposals, strongest evidence first, with both records' names."""
    candidates = list(session.scalars(
        select(DuplicateCandidate).where(DuplicateCandidate.status == "open")
        .order_by(DuplicateCandidate.kind, DuplicateCandidate.score.desc(),
                  DuplicateCandidate.id).limit(limit)))
    ids = {c.first_id for c in candidates} | {c.second_id for c in candidates}
    services = {s.id: s for s in session.scalars(select(Service).where(Service.id.in_(ids)))}
    organizations = {o.id: o for o in session.scalars(
        select(Organization).where(Organization.id.in_(
            ids | {s.organization_id for s in services.values()})))}

    def side(kind: str, record_id: str) -> Side:
        if kind == "service" and record_id in services:
            service = services[record_id]
            owner = organizations.get(service.organization_id)
            return Side(record_id, service.name, owner.name if owner else "")
        organization = organizations.get(record_id)
        return Side(record_id, organization.name if organization else record_id, "")

    return [Pair(c, side(c.kind, c.first_id), side(c.kind, c.second_id)) for c in candidates]


def resolve(session: Session, kind: str, record_id: str) -> str:
    """The id a record now lives under: itself, or the survivor of the merges it went into."""
    for _ in range(MAX_REDIRECTS):
        survivor = session.scalar(select(DirectoryMerge.survivor_id).where(
            DirectoryMerge.kind == kind, DirectoryMerge.merged_id == record_id,
            DirectoryMerge.undone_at.is_(None)))
        if survivor is None:
            return record_id
        record_id = survivor
    return record_id


def merge(session: Session, *, by, kind: str, survivor_id: str, merged_id: str,
          source_ip: str | None = None) -> DirectoryMerge:
    """Merge ``merged_id`` into ``survivor_id``: referrals (and an organisation's services and
    people) move to the survivor; the merged record redirects there until undone."""
    model = KINDS.get(kind)
    if model is None:
        raise InvalidInput("kind must be organization or service")
    if survivor_id == merged_id:
        raise InvalidInput("A record cannot be merged into itself",
                           errors=[{"field": "survivor_id", "message": "choose the other one"}])
    survivor, merged = session.get(model, survivor_id), session.get(model, merged_id)
    if survivor is None or merged is None:
        raise NotFound(f"No {kind} has that id.")
    away = _merged_away(session, kind)
    if survivor_id in away or merged_id in away:
        raise Conflict(f"That {kind} has already been merged into another.")
    moved: dict[str, list] = {}
    previous_status = None
    if kind == "service":
        referrals = list(session.execute(
            select(OnwardReferral.id, OnwardReferral.organization_id)
            .where(OnwardReferral.service_id == merged_id)))
        moved["onward_referrals"] = [[rid, org] for rid, org in referrals]
        if referrals:
            session.execute(update(OnwardReferral).where(
                OnwardReferral.id.in_([rid for rid, _ in referrals])).values(
                service_id=survivor_id, organization_id=survivor.organization_id))
        previous_status, merged.status = merged.status, INACTIVE
        reindex_targets = [survivor_id, merged_id]
    else:
        moved["services"] = list(session.scalars(
            select(Service.id).where(Service.organization_id == merged_id)))
        moved["onward_referrals"] = list(session.scalars(
            select(OnwardReferral.id).where(OnwardReferral.organization_id == merged_id)))
        moved["referrals"] = list(session.scalars(
            select(Referral.id).where(Referral.referrer_organization_id == merged_id)))
        moved["users"] = list(session.scalars(
            select(User.id).where(User.organization_id == merged_id)))
        _move_organization(session, moved, to=survivor_id)
        reindex_targets = moved["services"]
    record = DirectoryMerge(kind=kind, survivor_id=survivor_id, merged_id=merged_id,
                            previous_status=previous_status, moved=moved,
                            merged_by=by.id if by else None)
    session.add(record)
    session.execute(update(DuplicateCandidate).where(
        DuplicateCandidate.kind == kind, DuplicateCandidate.status == "open",
        DuplicateCandidate.first_id.in_([survivor_id, merged_id]),
        DuplicateCandidate.second_id.in_([survivor_id, merged_id])).values(status="merged"))
    session.flush()
    reindex_services(session, reindex_targets)
    audit.record(session, action="update", object_type=kind, object_id=merged_id,
                 detail={"merged_into": survivor_id, "merge_id": record.id,
                         **{name: len(ids) for name, ids in moved.items()}},
                 **audit.actor(by, source_ip))
    return record


def _move_organization(session: Session, moved: dict[str, list], *, to: str | None,
                       back: dict[int, str] | None = None) -> None:
    """Point the listed services, referrals and people at organisation ``to``."""
    if moved["services"]:
        session.execute(update(Service).where(Service.id.in_(moved["services"]))
                        .values(organization_id=to))
    if moved["onward_referrals"]:
        session.execute(update(OnwardReferral).where(
            OnwardReferral.id.in_(moved["onward_referrals"])).values(organization_id=to))
    if moved["referrals"]:
        session.execute(update(Referral).where(Referral.id.in_(moved["referrals"]))
                        .values(referrer_organization_id=to))
    if moved["users"]:
        session.execute(update(User).where(User.id.in_(moved["users"]))
                        .values(organization_id=to))


def undo(session: Session, *, by, merge_id: int, source_ip: str | None = None) -> None:
    """Put everything a merge moved back where it was, and stop the redirect."""
    record = get_or_not_found(session, DirectoryMerge, merge_id, "No merge has that id.")
    if record.undone_at is not None:
        raise Conflict("That merge has already been undone.")
    moved = record.moved
    if record.kind == "service":
        by_organization: dict[str, list[int]] = defaultdict(list)
        for referral_id, organization_id in moved.get("onward_referrals", []):
            by_organization[organization_id].append(referral_id)
        for organization_id, referral_ids in by_organization.items():
            session.execute(update(OnwardReferral).where(OnwardReferral.id.in_(referral_ids))
                            .values(service_id=record.merged_id,
                                    organization_id=organization_id))
        merged = session.get(Service, record.merged_id)
        if merged is not None:
            merged.status = record.previous_status or merged.status
        reindex_targets = [record.survivor_id, record.merged_id]
    else:
        _move_organization(session, moved, to=record.merged_id)
        reindex_targets = moved["services"]
    record.undone_at = utcnow()
    record.undone_by = by.id if by else None
    session.execute(update(DuplicateCandidate).where(
        DuplicateCandidate.kind == record.kind, DuplicateCandidate.status == "merged",
        DuplicateCandidate.first_id.in_([record.survivor_id, record.merged_id]),
        DuplicateCandidate.second_id.in_([record.survivor_id, record.merged_id]))
        .values(status="open"))
    session.flush()
    reindex_services(session, reindex_targets)
    audit.record(session, action="update", object_type=record.kind, object_id=record.merged_id,
                 detail={"merge_undone": record.id}, **audit.actor(by, source_ip))


def dismiss(session: Session, *, by, candidate_id: int, source_ip: str | None = None) -> None:
    """Not duplicates: the pair is not proposed again."""
    candidate = session.get(DuplicateCandidate, candidate_id)
    if candidate is None or candidate.status != "open":
        raise NotFound("No open proposal has that id.")
    candidate.status = "dismissed"
    audit.record(session, action="update", object_type="duplicate_candidate",
                 object_id=candidate.id, detail={"status": "dismissed"},
                 **audit.actor(by, source_ip))


def recent_merges(session: Session, *, limit: int = 20) -> list[DirectoryMerge]:
    return list(session.scalars(select(DirectoryMerge).order_by(
        DirectoryMerge.merged_at.desc(), DirectoryMerge.id.desc()).limit(limit)))


def open_candidate(session: Session, candidate_id: int) -> DuplicateCandidate:
    """A proposal still waiting for a decision."""
    candidate = session.get(DuplicateCandidate, candidate_id)
    if candidate is None or candidate.status != "open":
        raise NotFound("No open proposal has that id.")
    return candidate


def open_candidate_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DuplicateCandidate).where(
        DuplicateCandidate.status == "open")) or 0
