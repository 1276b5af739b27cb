"""GP practices and their MESH mailboxes, each person's registered practice, and the outbox of
messages back to the GP."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from linkwell.db import Base, UTCDateTime, utcnow


class GpPractice(Base):
    """A GP practice by ODS code, with the MESH mailbox an administrator has recorded for it.

    A practice with no mailbox is known but cannot receive messages yet: they wait."""

    __tablename__ = "gp_practice"

    ods_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    pcn_code: Mapped[str | None] = mapped_column(String(10))
    pcn_name: Mapped[str | None] = mapped_column(String(200))
    mesh_mailbox: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GpRegistration(Base):
    """The practice a person is registered with (PRSB: 'GP practice'), by ODS code.

    Not a foreign key to gp_practice: an ODS code the administrator has not set up yet is
    kept, and the message to it waits with an alert instead of being lost."""

    __tablename__ = "gp_registration"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    practice_ods: Mapped[str] = mapped_column(String(10), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GpMessage(Base):
    """One message back to the GP, queued in the same transaction as the event it reports.

    Lifecycle: queued -> sending (claimed) -> sent (MESH message id) -> acknowledged; a
    failed attempt goes back to queued with a later ``next_attempt_at``, and to failed after
    the last attempt. ``waiting`` holds a message that cannot go yet (no NHS number, unknown
    practice, no mailbox) with an ``alert`` for the administrator. ``local_id`` is the MESH
    local id and the Bundle's identifier, so a resend after a crash is recognised."""

    __tablename__ = "gp_message"
    __table_args__ = (Index("ix_gp_message_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    local_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # closure | declined
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"))
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episode.id"))
    practice_ods: Mapped[str | None] = mapped_column(String(10))
    mailbox: Mapped[str | None] = mapped_column(String(20))
    # The NHS number the message carries and where it came from: 'recorded' on the person,
    # or 'demographics' (the one other record matching all five demographic items, at the
    # same practice: ``matched_person_id``). Resolved again before every send.
    nhs_number: Mapped[str | None] = mapped_column(String(10))
    nhs_number_source: Mapped[str | None] = mapped_column(String(20))
    matched_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mesh_message_id: Mapped[str | None] = mapped_column(String(100))
    alert: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
