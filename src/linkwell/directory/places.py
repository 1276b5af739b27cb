"""Providers keeping their places current: the address a service is delivered at, and what a
visitor needs to know about getting in (HSDS ``location``, ``address`` and ``accessibility``).

A place may be shared by several of the organisation's services, so a change re-indexes every
service there: a new postcode moves them all on the map and in distance searches at once.
Each change is versioned as HSDS ``metadata`` on the location and audited.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from linkwell import audit
from linkwell.auth import policy
from linkwell.db import utcnow
from linkwell.directory.models import (
    Accessibility,
    Address,
    Location,
    Metadata,
    Service,
    ServiceAtLocation,
)
from linkwell.directory.search_index import reindex_services
from linkwell.errors import InvalidInput, NotFound
from linkwell.geo.queries import lookup_postcode

FIELDS = ("name", "address_1", "address_2", "city", "postal_code", "accessibility")
_LIMITS = {"name": 200, "address_1": 200, "address_2": 200, "city": 100, "accessibility": 2000}


@dataclass(frozen=True)
class Place:
    location_id: str
    values: dict[str, str]


def _location(session: Session, by, location_id: str) -> Location:
    """The place, if ``by`` manages its organisation: the location's own, or (a feed may leave
    it out) the one organisation whose services are delivered there."""
    location = session.get(Location, str(location_id))
    owners = {location.organization_id} if location and location.organization_id else set(
        session.scalars(select(Service.organization_id).join(
            ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
            .where(ServiceAtLocation.location_id == str(location_id)).distinct()))
    if location is None or len(owners) != 1 or not policy.can_manage_organisation(
            by, owners.pop()):
        raise policy.Refused("location", location_id)
    return location


def _address(session: Session, location_id: str) -> Address | None:
    return session.scalar(select(Address).where(Address.location_id == location_id)
                          .order_by(Address.id).limit(1))


def _accessibility(session: Session, location_id: str) -> Accessibility | None:
    return session.scalar(select(Accessibility).where(Accessibility.location_id == location_id)
                          .order_by(Accessibility.id).limit(1))


def place(session: Session, *, by, location_id: str) -> Place:
    location = _location(session, by, location_id)
    address = _address(session, location.id)
    access = _accessibility(session, location.id)
    values = {"name": location.name or ""}
    for name in ("address_1", "address_2", "city", "postal_code"):
        values[name] = (getattr(address, name) or "") if address else ""
    values["accessibility"] = (access.description or "") if access else ""
    return Place(location.id, values)


def places_of(session: Session, service_id: str) -> list[tuple[str, str]]:
    """(location id, name) for each place the service is delivered at."""
    return [(row.id, row.name or "Unnamed place") for row in session.execute(
        select(Location.id, Location.name).join(
            ServiceAtLocation, ServiceAtLocation.location_id == Location.id)
        .where(ServiceAtLocation.service_id == service_id).order_by(Location.name))]


def edit_place(session: Session, *, by, location_id: str, values: dict[str, str],
               source_ip: str | None = None) -> list[str]:
    """Change a place; returns the fields changed. Refused whole on any bad field: an address
    needs a first line, a town and a postcode that exists."""
    location = _location(session, by, location_id)
    clean = {name: " ".join((values.get(name) or "").split()) for name in FIELDS}
    clean["accessibility"] = (values.get("accessibility") or "").strip()
    errors = [{"field": name, "message": f"Keep this under {limit:,} characters"}
              for name, limit in _LIMITS.items() if len(clean[name]) > limit]
    for name, message in (("address_1", "Enter the first line of the address"),
                          ("city", "Enter the town or city")):
        if not clean[name]:
            errors.append({"field": name, "message": message})
    found = None
    if not clean["postal_code"]:
        errors.append({"field": "postal_code", "message": "Enter the postcode"})
    else:
        try:
            found = lookup_postcode(session, clean["postal_code"])
        except (InvalidInput, NotFound):
            errors.append({"field": "postal_code", "message": "We could not find that "
                           "postcode. Check it, like SE13 6LH"})
    if errors:
        raise InvalidInput(errors[0]["message"], errors=errors)
    clean["postal_code"] = found.postcode
    before = place(session, by=by, location_id=location.id).values
    changed = [name for name in FIELDS if before[name] != clean[name]]
    if not changed:
        return []
    for name in changed:
        session.add(Metadata(
            id=str(uuid.uuid4()), resource_id=location.id, resource_type="location",
            last_action_date=date.today(), last_action_type="edited", field_name=name,
            previous_value=before[name], replacement_value=clean[name],
            updated_by=f"linkwell-user:{by.id}"))
    location.name = clean["name"] or location.name
    if "postal_code" in changed:
        location.latitude, location.longitude = found.lat, found.lon
    address = _address(session, location.id)
    if address is None:
        address = Address(id=str(uuid.uuid4()), location_id=location.id, state_province="",
                          country="GB", address_type="physical", address_1="", city="",
                          postal_code="")
        session.add(address)
    address.address_1, address.city = clean["address_1"], clean["city"]
    address.address_2 = clean["address_2"] or None
    address.postal_code = clean["postal_code"]
    if "postal_code" in changed and found.lad_name:
        address.region = found.lad_name
    access = _accessibility(session, location.id)
    if clean["accessibility"] and access is None:
        session.add(Accessibility(id=str(uuid.uuid4()), location_id=location.id,
                                  description=clean["accessibility"]))
    elif access is not None and clean["accessibility"]:
        access.description = clean["accessibility"]
    elif access is not None:
        session.delete(access)
    session.flush()
    services = list(session.scalars(select(ServiceAtLocation.service_id).where(
        ServiceAtLocation.location_id == location.id)))
    # Each service's published record changed with its place (ORUK's modified_after).
    session.execute(update(Service).where(Service.id.in_(services))
                    .values(last_modified=utcnow()).execution_options(synchronize_session=False))
    reindex_services(session, services)
    audit.record(session, action="update", object_type="location", object_id=location.id,
                 detail={"fields": changed, "services": len(services)},
                 **audit.actor(by, source_ip))
    return changed
