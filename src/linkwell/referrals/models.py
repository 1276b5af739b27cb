"""Referral tables: Person -< Episode -< Contact / NeedsAssessment / Goal / OnwardReferral.

``status`` columns are a cache of the append-only ``status_event`` log (ADR 0011); ``version``
columns make transitions compare-and-set, so two people acting at once never lose an update.
"""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from linkwell.auth.models import RecordedBy
from linkwell.db import Base, UTCDateTime, utcnow

BIGINT = BigInteger().with_variant(Integer, "sqlite")


class Person(Base):
    """The person referred. Their LSOA is stored at referral time; a later move keeps history."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date] = mapped_column(Date)
    nhs_number: Mapped[str | None] = mapped_column(String(10), index=True)
    postcode: Mapped[str | None] = mapped_column(String(8))
    lsoa11cd: Mapped[str | None] = mapped_column(String(9))
    lad_code: Mapped[str | None] = mapped_column(String(9))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    contact_preference: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(60))
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    accessibility_needs: Mapped[str | None] = mapped_column(Text)
    sex: Mapped[str | None] = mapped_column(String(20))
    ethnicity: Mapped[str | None] = mapped_column(String(60))
    # Normalised name + date of birth + postcode: finds likely duplicates with an index.
    match_key: Mapped[str] = mapped_column(String(300), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when a link worker merged this record into another: its referrals moved there, its
    # append-only status events stay here and are read with the surviving record.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class PossibleDuplicate(Base):
    """Two person records that look like the same person; a human decides, never the code."""

    __tablename__ = "possible_duplicate"
    __table_args__ = (UniqueConstraint("person_id", "duplicate_of_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    duplicate_of_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                                 index=True)
    reason: Mapped[str] = mapped_column(String(30))  # nhs_number | name_dob_postcode
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)


class Referral(Base):
    """A request for social prescribing support (FHIR ServiceRequest to the link workers)."""

    __tablename__ = "referral"
    __table_args__ = (Index("ix_referral_team_status", "team_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    referrer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                    index=True)
    referrer_organization_id: Mapped[str | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    consent_to_share: Mapped[bool] = mapped_column(Boolean)
    consent_recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(lazy="joined")


class Episode(Base):
    """One period of support for a person, from acceptance to closure."""

    __tablename__ = "episode"
    __table_args__ = (Index("ix_episode_team_closed", "team_id", "closed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), unique=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    link_worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closure_reason: Mapped[str | None] = mapped_column(String(30))
    version: Mapped[int] = mapped_column(Integer, default=1)

    person: Mapped[Person] = relationship(lazy="joined")


class EpisodeContact(RecordedBy, Base):
    """A conversation between the link worker and the person (date, mode, duration)."""

    __tablename__ = "episode_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episode.id", ondelete="CASCADE"),
                                            index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    mode: Mapped[str] = mapped_column(String(20))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")


class NeedsAssessment(Base):
    """A "what matters to me" conversation, with a score per needs domain."""

    __tablename__ = "needs_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episode.id", ondelete="CASCADE"),
                                            index=True)
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    what_matters_to_me: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))

    needs: Mapped[list["Need"]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                               order_by="Need.id")


class Need(Base):
    __tablename__ = "need"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("needs_assessment.id", ondelete="CASCADE"), index=True)
    domain: Mapped[str] = mapped_column(String(30))
    score: Mapped[int] = mapped_column(Integer)  # 1 (no concern) .. 5 (urgent)


class Goal(Base):
    __tablename__ = "goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episode.id", ondelete="CASCADE"),
                                            index=True)
    domain: Mapped[str | None] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text)
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    achieved: Mapped[bool] = mapped_column(Boolean, default=False)


class OnwardReferral(Base):
    """A referral from the link worker to a directory service (FHIR Task): the closed loop."""

    __tablename__ = "onward_referral"
    __table_args__ = (
        Index("ix_onward_referral_org_status", "organization_id", "status"),
        Index("ix_onward_referral_service_status", "service_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episode.id"), index=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"))
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"))
    reason: Mapped[str] = mapped_column(String(30))
    summary: Mapped[str] = mapped_column(Text, default="")
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str | None] = mapped_column(String(30))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    attended: Mapped[bool | None] = mapped_column(Boolean)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))

    episode: Mapped[Episode] = relationship(lazy="joined")


class StatusEvent(Base):
    """Append-only log of every status change; the timeline, SNOMED codes and FHIR Task
    history read from it. The database refuses UPDATE and DELETE."""

    __tablename__ = "status_event"
    __table_args__ = (Index("ix_status_event_object", "object_type", "object_id", "id"),)

    id: Mapped[int] = mapped_column(BIGINT, primary_key=True)
    object_type: Mapped[str] = mapped_column(String(30))  # referral | onward_referral
    object_id: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_role: Mapped[str | None] = mapped_column(String(20))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str | None] = mapped_column(String(60))
    snomed_code: Mapped[str | None] = mapped_column(String(20))
