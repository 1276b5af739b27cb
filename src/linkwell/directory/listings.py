"""Providers keeping their own listings current: edit a service, or confirm it is still
correct in one click.

Commands take ``(session, *, by, ..., source_ip)`` and run in the caller's transaction. Who
may change a service is ``auth.policy.can_edit_service_capacity`` (an administrator, or a
provider of the service's organisation): the same people who say whether it takes referrals.
Every change is versioned as HSDS ``metadata`` rows (field, previous value, new value, date,
by whom as a user id), audited with the field names only, and re-indexed so search finds it
at once. ``last_modified`` is the version: an edit made from an older one is refused.
"""

import re
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from linkwell import audit
from linkwell.auth import policy
from linkwell.auth.models import User, UserRole
from linkwell.auth.roles import Role
from linkwell.db import utcnow
from linkwell.directory import weekly_hours
from linkwell.directory.duplicates import phone_key
from linkwell.directory.hsds import format_datetime
from linkwell.directory.models import (
    Address,
    Language,
    LinkCheck,
    ListingNudge,
    Location,
    Metadata,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from linkwell.directory.presentation import display_name, place_name
from linkwell.directory.queries import stale_services
from linkwell.directory.search_index import reindex_services
from linkwell.errors import Conflict, InvalidInput
from linkwell.notifications import outbox

TEXT_FIELDS = ("name", "description", "eligibility_description", "fees_description",
               "application_process")
FIELDS = (*TEXT_FIELDS, "url", "email", "phone", "minimum_age", "maximum_age")
HOURS_FIELDS = tuple(name for day in weekly_hours.DAYS for name in weekly_hours.field_names(day))
FORM_FIELDS = (*FIELDS, *HOURS_FIELDS, "languages")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_URL = re.compile(r"https?://[^\s/]+\.[^\s]+", re.IGNORECASE)


def _service(session: Session, by, service_id: str) -> Service:
    service = session.get(Service, str(service_id))
    if service is None or not policy.can_edit_service_capacity(by, service.organization_id):
        raise policy.Refused("service", service_id)
    return service


def version_of(service: Service) -> str:
    return format_datetime(service.last_modified) if service.last_modified else ""


def _record_change(session: Session, service: Service, by, field: str, previous, new,
                   action: str) -> None:
    session.add(Metadata(
        id=str(uuid.uuid4()), resource_id=service.id, resource_type="service",
        last_action_date=date.today(), last_action_type=action, field_name=field,
        previous_value="" if previous is None else str(previous),
        replacement_value="" if new is None else str(new),
        updated_by=f"linkwell-user:{by.id}" if by else "linkwell"))


def confirm(session: Session, *, by, service_id: str, source_ip: str | None = None) -> Service:
    """The listing is still correct: ``assured_date`` becomes today."""
    service = _service(session, by, service_id)
    today = utcnow().date()
    _record_change(session, service, by, "assured_date", service.assured_date, today,
                   "confirmed")
    service.assured_date = today
    service.last_modified = utcnow()
    session.flush()
    reindex_services(session, [service.id])
    audit.record(session, action="update", object_type="service", object_id=service.id,
                 detail={"confirmed": today.isoformat()}, **audit.actor(by, source_ip))
    return service


@dataclass(frozen=True)
class Listing:
    """What the edit form shows and takes, as text."""

    values: dict[str, str]
    version: str


def listing(session: Session, *, by, service_id: str) -> Listing:
    service = _service(session, by, service_id)
    phone = session.scalar(select(Phone.number).where(Phone.service_id == service.id)
                           .order_by(Phone.id).limit(1))
    values = {name: "" if getattr(service, name) is None else str(getattr(service, name))
              for name in FIELDS if name != "phone"}
    for name in ("minimum_age", "maximum_age"):
        if getattr(service, name) is not None:
            values[name] = str(int(getattr(service, name)))
    values["phone"] = phone or ""
    values.update(weekly_hours.as_form(_weekly_hours(session, service.id)))
    values["languages"] = ", ".join(language.name for language in _languages(session, service.id))
    return Listing(values, version_of(service))


def _weekly_schedules(session: Session, service_id: str) -> list[Schedule]:
    return list(session.scalars(select(Schedule).where(
        Schedule.service_id == service_id, func.upper(Schedule.freq) == "WEEKLY")
        .order_by(Schedule.id)))


def _weekly_hours(session: Session, service_id: str) -> weekly_hours.WeeklyHours:
    return weekly_hours.from_schedules(
        {"freq": s.freq, "byday": s.byday, "opens_at": s.opens_at, "closes_at": s.closes_at}
        for s in _weekly_schedules(session, service_id))


def _languages(session: Session, service_id: str) -> list[Language]:
    return list(session.scalars(select(Language).where(
        Language.service_id == service_id, Language.location_id.is_(None),
        Language.phone_id.is_(None)).order_by(Language.id)))


def _checked(values: dict[str, str]) -> tuple[dict, list[dict]]:
    """The form's values as stored values, and a field-level error for each bad one."""
    errors, clean = [], {}

    def error(field: str, message: str) -> None:
        errors.append({"field": field, "message": message})

    for name in TEXT_FIELDS:
        text = (values.get(name) or "").strip()
        if len(text) > 4000:
            error(name, "Keep this under 4,000 characters")
        clean[name] = text or None
    if not clean["name"]:
        error("name", "Enter the service's name")
    url = (values.get("url") or "").strip()
    if url and not _URL.fullmatch(url):
        error("url", "Enter a web address starting with https://, like https://example.org")
    clean["url"] = url or None
    email = (values.get("email") or "").strip().lower()
    if email and not _EMAIL.fullmatch(email):
        error("email", "Enter an email address like name@example.org")
    clean["email"] = email or None
    phone = (values.get("phone") or "").strip()
    if phone and (phone_key(phone) is None or not 10 <= len(phone_key(phone)) <= 11
                  or not re.fullmatch(r"[0-9 +()-]+", phone)):
        error("phone", "Enter a UK phone number, like 020 7946 0000")
    clean["phone"] = phone or None
    for name in ("minimum_age", "maximum_age"):
        text = (values.get(name) or "").strip()
        if text and (not text.isdigit() or int(text) > 130):
            error(name, "Enter an age in whole years, from 0 to 130, or leave it empty")
            clean[name] = None
        else:
            clean[name] = float(text) if text else None
    if (clean["minimum_age"] is not None and clean["maximum_age"] is not None
            and clean["minimum_age"] > clean["maximum_age"]):
        error("maximum_age", "The oldest age must not be below the youngest")
    clean["hours"], hour_errors = weekly_hours.from_form(values)
    clean["languages"], language_errors = weekly_hours.languages_from_form(
        values.get("languages") or "")
    return clean, errors + hour_errors + language_errors


def edit(session: Session, *, by, service_id: str, values: dict[str, str], version: str,
         source_ip: str | None = None) -> list[str]:
    """Change a listing; returns the fields changed. Refused whole on any bad field, and with
    a conflict when someone else changed it since ``version`` was read."""
    service = _service(session, by, service_id)
    clean, errors = _checked(values)
    if errors:
        raise InvalidInput(errors[0]["message"], errors=errors)
    if version != version_of(service):
        raise Conflict("Someone else changed this listing since you opened it. Your changes "
                       "were not saved: look at the listing again and make them once more.")
    changed = _replace_weekly_hours(session, service, by, clean.pop("hours"))
    changed += _replace_languages(session, service, by, clean.pop("languages"))
    phone = session.scalar(select(Phone).where(Phone.service_id == service.id)
                           .order_by(Phone.id).limit(1))
    for name, new in clean.items():
        previous = (phone.number if phone else None) if name == "phone" else getattr(
            service, name)
        if previous == new:
            continue
        _record_change(session, service, by, name, previous, new, "edited")
        changed.append(name)
        if name != "phone":
            setattr(service, name, new)
        elif phone is not None and new is None:
            session.delete(phone)
        elif phone is not None:
            phone.number = new
        else:
            session.add(Phone(id=str(uuid.uuid4()), service_id=service.id, number=new))
    if changed:
        service.last_modified = utcnow()
        session.flush()
        reindex_services(session, [service.id])
        audit.record(session, action="update", object_type="service", object_id=service.id,
                     detail={"fields": changed}, **audit.actor(by, source_ip))
    return changed


def _replace_weekly_hours(session: Session, service: Service, by,
                          hours: weekly_hours.WeeklyHours) -> list[str]:
    """The service's WEEKLY schedule rows become ``hours`` (other schedules are kept)."""
    previous = _weekly_hours(session, service.id)
    if previous == hours:
        return []
    for schedule in _weekly_schedules(session, service.id):
        session.delete(schedule)
    for row in weekly_hours.as_schedule_rows(hours):
        session.add(Schedule(id=str(uuid.uuid4()), service_id=service.id, **row))
    _record_change(session, service, by, "schedule", weekly_hours.describe(previous),
                   weekly_hours.describe(hours), "edited")
    return ["schedule"]


def _replace_languages(session: Session, service: Service, by, names: list[str]) -> list[str]:
    """The service's languages become ``names``; a language kept keeps its code."""
    current = _languages(session, service.id)
    if [language.name for language in current] == names:
        return []
    codes = {(language.name or "").lower(): language.code for language in current}
    for language in current:
        session.delete(language)
    for name in names:
        session.add(Language(id=str(uuid.uuid4()), service_id=service.id, name=name,
                             code=codes.get(name.lower())))
    _record_change(session, service, by, "language", ", ".join(
        language.name or "" for language in current), ", ".join(names), "edited")
    return ["language"]


@dataclass(frozen=True)
class OwnListing:
    """One of an organisation's services as "Your listings" shows it: by its own name (the
    organisation is named once, above) and where it happens, which tells apart the same
    service run at several places."""

    service: Service
    name: str
    places: list[str]


def organisation_services(session: Session, organization_id: str | None
                          ) -> tuple[str | None, list[OwnListing]]:
    """The organisation's name and its services, by name."""
    if organization_id is None:
        return None, []
    organization = session.scalar(select(Organization.name).where(
        Organization.id == organization_id))
    services = list(session.scalars(select(Service).where(
        Service.organization_id == organization_id).order_by(func.lower(Service.name),
                                                             Service.id)))
    places: dict[str, list[str]] = {}
    for service_id, name, postcode in session.execute(
            select(ServiceAtLocation.service_id, Location.name, Address.postal_code)
            .join(Location, Location.id == ServiceAtLocation.location_id)
            .outerjoin(Address, Address.location_id == Location.id)
            .where(ServiceAtLocation.service_id.in_([s.id for s in services]))
            .order_by(ServiceAtLocation.service_id, Location.name, Address.postal_code)):
        where = ", ".join(part for part in (place_name(name, organization), postcode) if part)
        if where and where not in places.setdefault(service_id, []):
            places[service_id].append(where)
    return organization, [OwnListing(s, display_name(s.name, organization), places.get(s.id, []))
                          for s in services]


@dataclass(frozen=True)
class QualityProblem:
    service_id: str
    name: str
    organization_id: str
    problem: str


def quality_queue(session: Session, *, stale_before: date, limit: int = 100
                  ) -> dict[str, list[QualityProblem]]:
    """Active services nobody has checked since ``stale_before`` (or ever), and those with
    no way to contact them (no phone, email or website)."""
    active = Service.status == "active"
    stale = select(Service.id, Service.name, Service.organization_id).where(
        active, or_(Service.assured_date.is_(None), Service.assured_date < stale_before)
    ).order_by(Service.assured_date.is_not(None), Service.assured_date, Service.id).limit(limit)
    has_phone = select(Phone.id).where(Phone.service_id == Service.id).exists()
    unreachable = select(Service.id, Service.name, Service.organization_id).where(
        active, Service.email.is_(None), Service.url.is_(None), ~has_phone
    ).order_by(func.lower(Service.name), Service.id).limit(limit)
    broken = select(Service.id, Service.name, Service.organization_id, LinkCheck.problem).join(
        LinkCheck, LinkCheck.service_id == Service.id).where(
        active, LinkCheck.problem.is_not(None), LinkCheck.url == Service.url
    ).order_by(func.lower(Service.name), Service.id).limit(limit)
    return {
        "stale": [QualityProblem(*row, "not checked") for row in session.execute(stale)],
        "no_contact": [QualityProblem(*row, "no phone, email or website")
                       for row in session.execute(unreachable)],
        "broken_link": [QualityProblem(*row) for row in session.execute(broken)],
    }


def websites_to_check(session: Session) -> dict[str, list[str]]:
    """Each active service's website address → the services that list it."""
    found: dict[str, list[str]] = {}
    for service_id, url in session.execute(select(Service.id, Service.url).where(
            Service.status == "active", Service.url.is_not(None), Service.url != "")):
        found.setdefault(url, []).append(service_id)
    return found


def record_link_checks(session: Session, services_by_url: dict[str, list[str]],
                       results: dict, *, now: datetime | None = None) -> int:
    """Store each service's latest check (replacing the previous one); returns how many
    services now have a broken website."""
    now = now or utcnow()
    ids = [service_id for ids in services_by_url.values() for service_id in ids]
    for start in range(0, len(ids), 5000):
        session.execute(delete(LinkCheck).where(LinkCheck.service_id.in_(ids[start:start + 5000])))
    rows = [{"service_id": service_id, "url": url, "status_code": results[url].status_code,
             "problem": results[url].problem, "checked_at": now}
            for url, service_ids in services_by_url.items() if url in results
            for service_id in service_ids]
    if rows:
        session.execute(insert(LinkCheck.__table__), rows)
    broken = sum(1 for row in rows if row["problem"])
    audit.record(session, action="update", object_type="link_check",
                 detail={"services": len(rows), "broken": broken})
    return broken


@dataclass
class NudgeReport:
    sent: list[str]
    recently_nudged: list[str]
    nobody_to_ask: list[tuple[str, str]]  # (organisation id, name): invite someone


def nudge_unchecked_listings(session: Session, *, today: date, stale_after_days: int,
                             every_days: int, link: str, now: datetime | None = None
                             ) -> NudgeReport:
    """E-mail each organisation's providers about its listings nobody has checked, at most
    once every ``every_days``. An organisation with no provider accounts cannot be nudged:
    it is reported, so an administrator can invite someone."""
    now = now or utcnow()
    stale = stale_services(session, today=today, after_days=stale_after_days)
    counts = Counter(s.organization_id for s in stale)
    names = {s.organization_id: s.organization_name for s in stale}
    last = dict(session.execute(select(ListingNudge.organization_id, ListingNudge.sent_at)
                                .where(ListingNudge.organization_id.in_(counts))).all())
    addresses: dict[str, list[str]] = {}
    for email, organization_id in session.execute(
            select(User.email, User.organization_id).join(UserRole, UserRole.user_id == User.id)
            .where(User.organization_id.in_(counts), User.active.is_(True),
                   UserRole.role == Role.PROVIDER.value)):
        addresses.setdefault(organization_id, []).append(email)
    report = NudgeReport([], [], [])
    for organization_id, count in sorted(counts.items(), key=lambda item: names[item[0]]):
        if organization_id in last and last[organization_id] > now - timedelta(days=every_days):
            report.recently_nudged.append(names[organization_id])
            continue
        if not addresses.get(organization_id):
            report.nobody_to_ask.append((organization_id, names[organization_id]))
            continue
        listings_word = "listing needs" if count == 1 else "listings need"
        outbox.queue(session, addresses[organization_id],
                            f"{count} of {names[organization_id]}'s {listings_word} checking",
                            link)
        nudge = session.get(ListingNudge, organization_id)
        if nudge is None:
            session.add(ListingNudge(organization_id=organization_id, sent_at=now,
                                     services=count))
        else:
            nudge.sent_at, nudge.services = now, count
        report.sent.append(names[organization_id])
    audit.record(session, action="update", object_type="listing_nudge",
                 detail={"sent": len(report.sent), "nobody_to_ask": len(report.nobody_to_ask)})
    return report
