"""Finding organisations for the administrator, and adding those no directory feed carries.

Organisations that deliver services arrive with the directory (an Open Referral UK feed).
Referrers' organisations (a GP practice, a hospital team, a council department) often do not,
so an administrator adds them here as HSDS organisations with no services, identified by
their NHS Organisation Data Service (ODS) code where they have one.
"""

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from linkwell import audit
from linkwell.db import get_or_not_found
from linkwell.directory import hsds
from linkwell.directory.models import Organization, OrganizationIdentifier, Service
from linkwell.directory.standard import TABLES
from linkwell.errors import InvalidInput

# The org-id.guide scheme for the NHS Organisation Data Service, as HSDS identifier_scheme.
ODS_SCHEME = "GB-NHS"
ODS_TYPE = "ODS code"
ODS_CODE = re.compile(r"[A-Z0-9]{3,6}")
MAX_FOUND = 50


@dataclass(frozen=True)
class FoundOrganisation:
    id: str
    name: str
    services: int
    ods_code: str | None

    @property
    def label(self) -> str:
        """How a list of choices names it: with its ODS code, which tells namesakes apart."""
        return f"{self.name} ({self.ods_code})" if self.ods_code else self.name


def _ods_code_of(organization_id) -> Select:
    """The organisation's ODS code (the least, should it have several)."""
    return select(func.min(OrganizationIdentifier.identifier)).where(
        OrganizationIdentifier.organization_id == organization_id,
        OrganizationIdentifier.identifier_scheme == ODS_SCHEME)


def find_organisations(session: Session, text: str = "", *, limit: int = MAX_FOUND,
                       offset: int = 0, only_id: str | None = None
                       ) -> tuple[list[FoundOrganisation], bool]:
    """Organisations whose name or ODS code contains ``text`` (or the one ``only_id``), by
    name; and whether there are more after this page. Services and codes are counted and
    read for the page's rows only (correlated on indexed columns), never for the directory."""
    words = (text or "").strip()[:100]
    services = (select(func.count()).where(Service.organization_id == Organization.id)
                .scalar_subquery())
    query = (select(Organization.id, Organization.name, services,
                    _ods_code_of(Organization.id).scalar_subquery())
             .order_by(func.lower(Organization.name), Organization.id)
             .limit(limit + 1).offset(offset))
    if only_id is not None:
        query = query.where(Organization.id == only_id)
    if words:
        pattern = f"%{words.lower()}%"
        with_code = select(OrganizationIdentifier.organization_id).where(
            OrganizationIdentifier.identifier_scheme == ODS_SCHEME,
            func.lower(OrganizationIdentifier.identifier).like(pattern))
        query = query.where(or_(func.lower(Organization.name).like(pattern),
                                Organization.id.in_(with_code)))
    rows = [FoundOrganisation(*row) for row in session.execute(query)]
    return rows[:limit], len(rows) > limit


def organisation(session: Session, organization_id: str) -> Organization:
    return get_or_not_found(session, Organization, organization_id, "No such organisation.")


def ods_code(session: Session, organization_id: str | None) -> str | None:
    """The organisation's ODS code, when it has one."""
    return session.scalar(_ods_code_of(organization_id)) if organization_id else None


def with_current(session: Session, found: list[FoundOrganisation],
                 current_id: str | None) -> list[FoundOrganisation]:
    """``found``, led by the organisation already chosen when the search left it out, so a
    form never drops a choice the administrator did not change."""
    if not current_id or any(o.id == current_id for o in found):
        return found
    current, _ = find_organisations(session, limit=1, only_id=current_id)
    return current + found


def _invalid(table: str, field_name: str, value: str) -> bool:
    """The HSDS row check every import goes through, for one form field."""
    try:
        hsds.parse_value(table, TABLES[table].field(field_name), value)
    except hsds.FieldError:
        return True
    return False


def add_organisation(session: Session, *, by, name: str, description: str = "",
                     email: str = "", website: str = "", ods_code: str = "",
                     source_ip: str | None = None) -> Organization:
    """A new HSDS organisation with no services; refused whole if any field is wrong."""
    errors = []
    name = (name or "").strip()
    if not name or len(name) > 200:
        errors.append({"field": "name", "message": "Enter the organisation's name (up to 200 "
                                                    "characters)"})
    email = (email or "").strip().lower()
    if email and ("@" not in email.strip("@") or len(email) > 254 or " " in email):
        errors.append({"field": "email", "message": "Enter an email address like "
                                                     "name@example.org, or leave it empty"})
    website = (website or "").strip()
    if website and (len(website) > 500 or _invalid("organization", "website", website)):
        errors.append({"field": "website", "message": "Enter a web address starting with "
                                                       "https://, or leave it empty"})
    code = (ods_code or "").replace(" ", "").upper()
    if code and not ODS_CODE.fullmatch(code):
        errors.append({"field": "ods_code", "message": "An ODS code is 3 to 6 letters and "
                                                        "numbers, like G85001"})
    elif code and session.scalar(select(OrganizationIdentifier.id).where(
            OrganizationIdentifier.identifier_scheme == ODS_SCHEME,
            OrganizationIdentifier.identifier == code)):
        errors.append({"field": "ods_code", "message": f"An organisation with ODS code {code} "
                                                        "is already in the directory"})
    if errors:
        raise InvalidInput(errors[0]["message"], errors=errors)
    organisation = Organization(id=str(uuid.uuid4()), name=name,
                                description=(description or "").strip()[:2000],
                                email=email or None, website=website or None)
    session.add(organisation)
    if code:
        session.add(OrganizationIdentifier(id=str(uuid.uuid4()), organization_id=organisation.id,
                                           identifier_scheme=ODS_SCHEME,
                                           identifier_type=ODS_TYPE, identifier=code))
    session.flush()
    audit.record(session, action="create", object_type="organization",
                 object_id=organisation.id, detail={"ods_code": code or None},
                 **audit.actor(by, source_ip))
    return organisation
