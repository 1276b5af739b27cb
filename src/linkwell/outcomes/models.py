"""Outcome tables: Instrument -< InstrumentVersion -< Measure >- Episode; self-completion links
and each team's measurement schedule.

An instrument's definition is never edited in place: a change is a new ``instrument_version``
row, and every measure keeps pointing at the version it was completed on (FHIR
``QuestionnaireResponse.questionnaire`` is ``url|version``).
"""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from linkwell.db import Base, UTCDateTime, utcnow


class Instrument(Base):
    """A questionnaire by its stable key (``swemwbs``); ``local`` when an administrator made it."""

    __tablename__ = "instrument"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    local: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InstrumentVersion(Base):
    """One immutable definition of an instrument (items, options, scoring, bands) as JSON."""

    __tablename__ = "instrument_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instrument.id"), index=True)
    version: Mapped[str] = mapped_column(String(20))
    definition: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))

    instrument: Mapped[Instrument] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("instrument_id", "version"),)


class Measure(Base):
    """One completed instrument in an episode, with its answers and the scores they gave."""

    __tablename__ = "measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episode.id"))
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instrument.id"))
    instrument_version_id: Mapped[int] = mapped_column(ForeignKey("instrument_version.id"))
    timepoint: Mapped[str] = mapped_column(String(20))  # baseline | follow_up | closure
    measured_on: Mapped[date] = mapped_column(Date)
    answers: Mapped[dict] = mapped_column(JSON)  # linkId -> option value (null: unanswered)
    complete: Mapped[bool] = mapped_column(Boolean)
    raw_score: Mapped[int | None] = mapped_column(Integer)
    metric_score: Mapped[float | None] = mapped_column(Float)
    band: Mapped[str | None] = mapped_column(String(80))
    item_scores: Mapped[dict] = mapped_column(JSON)  # linkId -> {score, band}
    source: Mapped[str] = mapped_column(String(20))  # link_worker | self
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[InstrumentVersion] = relationship(lazy="joined")

    __table_args__ = (
        Index("ix_measure_episode", "episode_id", "instrument_id", "measured_on"),
    )


class SelfCompletionLink(Base):
    """A one-time link for a person to complete an instrument themselves, without an account.

    Only the SHA-256 hash of the token is stored; ``used_at`` is set once, by compare-and-set,
    so a second submission of the same link is refused and nothing is recorded twice.
    """

    __tablename__ = "self_completion_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episode.id"), index=True)
    instrument_version_id: Mapped[int] = mapped_column(ForeignKey("instrument_version.id"))
    timepoint: Mapped[str] = mapped_column(String(20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id"))

    version: Mapped[InstrumentVersion] = relationship(lazy="joined")


class MeasurementSchedule(Base):
    """A team's (programme's) schedule; the row without a team is the default for all teams."""

    __tablename__ = "measurement_schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), unique=True)
    instruments: Mapped[list] = mapped_column(JSON)
    baseline_within_days: Mapped[int] = mapped_column(Integer, default=0)
    follow_up_from_weeks: Mapped[int] = mapped_column(Integer, default=8)
    follow_up_to_weeks: Mapped[int] = mapped_column(Integer, default=12)
    at_closure: Mapped[bool] = mapped_column(Boolean, default=True)
    closure_within_days: Mapped[int] = mapped_column(Integer, default=14)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
