"""The service directory's tables: Open Referral UK / HSDS 3.0, with the standard's own names.

Tables and columns follow ``linkwell.directory.standard`` (HSDS 3.0 ``schema/*.json``): ids are
UUID strings, dates are ``Date``, ``last_modified`` is a UTC timestamp, ``opens_at``/``closes_at``
are ``Time``. One deliberate difference: ``cost_option.amount`` is stored as integer minor units
(``amount_pence``), because Linkwell keeps money exact; the HSDS ``amount`` is derived from it.

Foreign keys: the database enforces a link only where HSDS makes it required
(``tabular_required``: service→organization, program→organization, service_at_location→service
and location, cost_option→service, organization_identifier→organization,
attribute→taxonomy_term). HSDS lets every other link point at a record published elsewhere
(the standard's own example datapackage does), so those are indexed columns without a
constraint; ``attribute.link_id`` and ``metadata.resource_id`` are polymorphic.

Linkwell's own extension for social prescribing, not an HSDS field: ``service_capacity``.
"""

from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

# Merges and feed changes record who decided (``users.id``): the users table must be known
# wherever these models are, or a command that imports only the directory (``linkwell
# directory sync``) fails to resolve the foreign key at its first flush.
import linkwell.auth.models  # noqa: F401
from linkwell.db import Base, UTCDateTime, utcnow

UUID_LENGTH = 36


def _id() -> Mapped[str]:
    return mapped_column(String(UUID_LENGTH), primary_key=True)


def _ref(index: bool = True) -> Mapped[str | None]:
    return mapped_column(String(UUID_LENGTH), index=index)


class Organization(Base):
    """An organisation that delivers services (a charity, council, community group, ...)."""

    __tablename__ = "organization"

    id: Mapped[str] = _id()
    name: Mapped[str] = mapped_column(Text)
    alternate_name: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(Text)
    tax_status: Mapped[str | None] = mapped_column(Text)
    tax_id: Mapped[str | None] = mapped_column(Text)
    year_incorporated: Mapped[float | None] = mapped_column(Float)
    legal_status: Mapped[str | None] = mapped_column(Text)
    logo: Mapped[str | None] = mapped_column(Text)
    uri: Mapped[str | None] = mapped_column(Text)
    parent_organization_id: Mapped[str | None] = _ref()


class Program(Base):
    __tablename__ = "program"

    id: Mapped[str] = _id()
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    alternate_name: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)


class Service(Base):
    """A service: what a person can be connected to. ``assured_date`` drives freshness."""

    __tablename__ = "service"

    id: Mapped[str] = _id()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    program_id: Mapped[str | None] = _ref()
    name: Mapped[str] = mapped_column(Text)
    alternate_name: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32), index=True)
    interpretation_services: Mapped[str | None] = mapped_column(Text)
    application_process: Mapped[str | None] = mapped_column(Text)
    fees_description: Mapped[str | None] = mapped_column(Text)
    wait_time: Mapped[str | None] = mapped_column(Text)
    fees: Mapped[str | None] = mapped_column(Text)
    accreditations: Mapped[str | None] = mapped_column(Text)
    eligibility_description: Mapped[str | None] = mapped_column(Text)
    minimum_age: Mapped[float | None] = mapped_column(Float)
    maximum_age: Mapped[float | None] = mapped_column(Float)
    assured_date: Mapped[date | None] = mapped_column(Date, index=True)
    assurer_email: Mapped[str | None] = mapped_column(Text)
    licenses: Mapped[str | None] = mapped_column(Text)
    alert: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    organization: Mapped[Organization] = relationship(lazy="raise")
    capacity: Mapped["ServiceCapacity | None"] = relationship(lazy="raise", viewonly=True)


class Attribute(Base):
    """Links any HSDS object (``link_entity``/``link_id``) to a taxonomy term."""

    __tablename__ = "attribute"

    id: Mapped[str] = _id()
    link_id: Mapped[str] = mapped_column(String(UUID_LENGTH), index=True)
    taxonomy_term_id: Mapped[str] = mapped_column(ForeignKey("taxonomy_term.id"), index=True)
    link_type: Mapped[str | None] = mapped_column(Text)
    link_entity: Mapped[str] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(Text)

    taxonomy_term: Mapped["TaxonomyTerm"] = relationship(lazy="raise")

    __table_args__ = (Index("ix_attribute_link", "link_entity", "link_id"),)


class ServiceAtLocation(Base):
    __tablename__ = "service_at_location"

    id: Mapped[str] = _id()
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[str] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE"), index=True)
    description: Mapped[str | None] = mapped_column(Text)

    service: Mapped[Service] = relationship(lazy="raise")
    location: Mapped["Location"] = relationship(lazy="raise")


class Location(Base):
    """Where a service is delivered; ``latitude``/``longitude`` are WGS84 degrees."""

    __tablename__ = "location"

    id: Mapped[str] = _id()
    location_type: Mapped[str] = mapped_column(String(32))
    url: Mapped[str | None] = mapped_column(Text)
    organization_id: Mapped[str | None] = _ref()
    name: Mapped[str | None] = mapped_column(Text)
    alternate_name: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    transportation: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    external_identifier: Mapped[str | None] = mapped_column(Text)
    external_identifier_type: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_location_lat_long", "latitude", "longitude"),)


class Phone(Base):
    __tablename__ = "phone"

    id: Mapped[str] = _id()
    location_id: Mapped[str | None] = _ref()
    service_id: Mapped[str | None] = _ref()
    organization_id: Mapped[str | None] = _ref()
    contact_id: Mapped[str | None] = _ref()
    service_at_location_id: Mapped[str | None] = _ref()
    number: Mapped[str] = mapped_column(Text)
    extension: Mapped[float | None] = mapped_column(Float)
    type: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)


class Contact(Base):
    __tablename__ = "contact"

    id: Mapped[str] = _id()
    organization_id: Mapped[str | None] = _ref()
    service_id: Mapped[str | None] = _ref()
    service_at_location_id: Mapped[str | None] = _ref()
    location_id: Mapped[str | None] = _ref()
    name: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    department: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)


class Address(Base):
    __tablename__ = "address"

    id: Mapped[str] = _id()
    location_id: Mapped[str | None] = _ref()
    attention: Mapped[str | None] = mapped_column(Text)
    address_1: Mapped[str] = mapped_column(Text)
    address_2: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(Text)
    state_province: Mapped[str] = mapped_column(Text)
    postal_code: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(Text)
    address_type: Mapped[str] = mapped_column(String(32))


class Schedule(Base):
    """Opening times as an iCalendar RRULE (``freq``, ``byday``, ...) plus opens/closes."""

    __tablename__ = "schedule"

    id: Mapped[str] = _id()
    service_id: Mapped[str | None] = _ref()
    location_id: Mapped[str | None] = _ref()
    service_at_location_id: Mapped[str | None] = _ref()
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    dtstart: Mapped[date | None] = mapped_column(Date)
    timezone: Mapped[float | None] = mapped_column(Float)
    until: Mapped[date | None] = mapped_column(Date)
    count: Mapped[float | None] = mapped_column(Float)
    wkst: Mapped[str | None] = mapped_column(String(2))
    freq: Mapped[str | None] = mapped_column(String(16))
    interval: Mapped[float | None] = mapped_column(Float)
    byday: Mapped[str | None] = mapped_column(Text)
    byweekno: Mapped[str | None] = mapped_column(Text)
    bymonthday: Mapped[str | None] = mapped_column(Text)
    byyearday: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    opens_at: Mapped[time | None] = mapped_column(Time)
    closes_at: Mapped[time | None] = mapped_column(Time)
    schedule_link: Mapped[str | None] = mapped_column(Text)
    attending_type: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)


class Funding(Base):
    __tablename__ = "funding"

    id: Mapped[str] = _id()
    organization_id: Mapped[str | None] = _ref()
    service_id: Mapped[str | None] = _ref()
    source: Mapped[str | None] = mapped_column(Text)


class ServiceArea(Base):
    __tablename__ = "service_area"

    id: Mapped[str] = _id()
    service_id: Mapped[str | None] = _ref()
    name: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    extent: Mapped[str | None] = mapped_column(Text)
    extent_type: Mapped[str | None] = mapped_column(Text)
    uri: Mapped[str | None] = mapped_column(Text)


class RequiredDocument(Base):
    __tablename__ = "required_document"

    id: Mapped[str] = _id()
    service_id: Mapped[str | None] = _ref()
    document: Mapped[str | None] = mapped_column(Text)
    uri: Mapped[str | None] = mapped_column(Text)


class Language(Base):
    __tablename__ = "language"

    id: Mapped[str] = _id()
    service_id: Mapped[str | None] = _ref()
    location_id: Mapped[str | None] = _ref()
    phone_id: Mapped[str | None] = _ref()
    name: Mapped[str | None] = mapped_column(Text)
    code: Mapped[str | None] = mapped_column(String(64), index=True)
    note: Mapped[str | None] = mapped_column(Text)


class Accessibility(Base):
    __tablename__ = "accessibility"

    id: Mapped[str] = _id()
    location_id: Mapped[str | None] = _ref()
    description: Mapped[str | None] = mapped_column(Text)
    details: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)


class TaxonomyTerm(Base):
    __tablename__ = "taxonomy_term"

    id: Mapped[str] = _id()
    code: Mapped[str | None] = mapped_column(String(255), index=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[str | None] = _ref()
    taxonomy: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(Text)
    taxonomy_id: Mapped[str | None] = _ref()
    term_uri: Mapped[str | None] = mapped_column(Text)


class Metadata(Base):
    """HSDS change history of any object (``resource_type``/``resource_id``)."""

    __tablename__ = "metadata"

    id: Mapped[str] = _id()
    resource_id: Mapped[str] = mapped_column(String(UUID_LENGTH), index=True)
    resource_type: Mapped[str] = mapped_column(String(64))
    last_action_date: Mapped[date] = mapped_column(Date)
    last_action_type: Mapped[str] = mapped_column(Text)
    field_name: Mapped[str] = mapped_column(Text)
    previous_value: Mapped[str] = mapped_column(Text)
    replacement_value: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(Text)


class MetaTableDescription(Base):
    __tablename__ = "meta_table_description"

    id: Mapped[str] = _id()
    name: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(Text)
    character_set: Mapped[str | None] = mapped_column(Text)


class CostOption(Base):
    """A price; ``amount_pence`` holds HSDS ``amount`` in minor units of ``currency``."""

    __tablename__ = "cost_option"

    id: Mapped[str] = _id()
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    option: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str | None] = mapped_column(String(16))
    amount_pence: Mapped[int | None] = mapped_column(Integer)
    amount_description: Mapped[str | None] = mapped_column(Text)


class OrganizationIdentifier(Base):
    __tablename__ = "organization_identifier"

    id: Mapped[str] = _id()
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    identifier_scheme: Mapped[str | None] = mapped_column(Text)
    identifier_type: Mapped[str] = mapped_column(Text)
    identifier: Mapped[str] = mapped_column(Text)


class Taxonomy(Base):
    __tablename__ = "taxonomy"

    id: Mapped[str] = _id()
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    uri: Mapped[str | None] = mapped_column(Text)
    version: Mapped[str | None] = mapped_column(Text)


# --- Linkwell extension (not part of HSDS) ---------------------------------------------------

CAPACITY_STATUSES = ("open", "paused")


class ServiceCapacity(Base):
    """Whether a service takes referrals now, and how long people wait: a Linkwell extension.

    Link workers need it to suggest services that can actually take someone; HSDS has no such
    field. The acceptance rate is computed from referrals, not stored.
    """

    __tablename__ = "service_capacity"

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(8), index=True)
    waiting_time_days: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint("status IN ('open', 'paused')", name="status"),
        CheckConstraint("waiting_time_days >= 0", name="waiting_time_days"),
    )



class DuplicateCandidate(Base):
    """Two organisations or services that look like one, proposed to an administrator with
    the evidence (``directory.duplicates``): a Linkwell extension, not HSDS.

    ``status`` is ``open`` until an administrator merges the two or dismisses the pair; a
    dismissed pair is not proposed again.
    """

    __tablename__ = "duplicate_candidate"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    first_id: Mapped[str] = mapped_column(String(UUID_LENGTH))
    second_id: Mapped[str] = mapped_column(String(UUID_LENGTH))
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("kind", "first_id", "second_id"),
        CheckConstraint("kind IN ('organization', 'service')", name="kind"),
        CheckConstraint("status IN ('open', 'merged', 'dismissed')", name="status"),
    )


class DirectoryMerge(Base):
    """One record merged into another: the merged id redirects to the survivor while the
    merge stands, and everything moved (referrals, services) is listed so it can be undone.

    The merged record is kept (a merged service is made inactive, its status remembered), so
    undoing restores it exactly.
    """

    __tablename__ = "directory_merge"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    survivor_id: Mapped[str] = mapped_column(String(UUID_LENGTH))
    merged_id: Mapped[str] = mapped_column(String(UUID_LENGTH), index=True)
    previous_status: Mapped[str | None] = mapped_column(String(30))
    moved: Mapped[dict] = mapped_column(JSON, default=dict)
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    merged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (
        CheckConstraint("kind IN ('organization', 'service')", name="kind"),
    )


class ListingNudge(Base):
    """When an organisation was last e-mailed about listings nobody has checked, so a daily
    run nudges it once per ``LINKWELL_NUDGE_EVERY_DAYS``: a Linkwell extension, not HSDS."""

    __tablename__ = "listing_nudge"

    organization_id: Mapped[str] = mapped_column(
        String(UUID_LENGTH), ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    services: Mapped[int] = mapped_column(Integer)


class LinkCheck(Base):
    """The last check of a service's website (``service.url``): a Linkwell extension, not HSDS.
    ``problem`` is ``None`` when the site answered; otherwise it says what went wrong, for
    the administrator's data-quality queue."""

    __tablename__ = "link_check"

    service_id: Mapped[str] = mapped_column(
        String(UUID_LENGTH), ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    status_code: Mapped[int | None] = mapped_column(Integer)
    problem: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FeedSync(Base):
    """When another Open Referral UK feed was last synced in full success, so the next sync
    asks it only for what changed since (``modified_after``): a Linkwell extension."""

    __tablename__ = "feed_sync"

    feed_url: Mapped[str] = mapped_column(String(500), primary_key=True)
    last_synced_at: Mapped[datetime] = mapped_column(UTCDateTime)
    services_read: Mapped[int] = mapped_column(Integer)
    fields_held: Mapped[int] = mapped_column(Integer)


class FeedChange(Base):
    """A feed's change to a field a provider edited here, held for an administrator to accept
    (the feed's value replaces the local one) or keep local: a Linkwell extension."""

    __tablename__ = "feed_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[str] = mapped_column(
        String(UUID_LENGTH), ForeignKey("service.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    local_value: Mapped[str | None] = mapped_column(Text)
    incoming_value: Mapped[str | None] = mapped_column(Text)
    feed_url: Mapped[str] = mapped_column(String(500))
    found_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'accepted', 'kept_local')", name="status"),
    )
