"""Insights tables: community outcomes link workers record, system outcomes imported from
practices' CSV files, and who asked for the dashboard by e-mail each month."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linkwell.auth.models import RecordedBy
from linkwell.db import Base, UTCDateTime, utcnow


class CommunityOutcome(RecordedBy, Base):
    """New groups started or volunteers recruited in a month, recorded by a link worker for
    their team (the community outcomes of NHS England's common outcomes framework)."""

    __tablename__ = "community_outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"),
                                                index=True)
    kind: Mapped[str] = mapped_column(String(30))  # new-group | volunteers-recruited
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    count: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")


class SystemOutcome(Base):
    """GP appointments or A&E attendances of one person over a period before or after their
    referral, as a practice counted them (imported from CSV, never typed in)."""

    __tablename__ = "system_outcome"
    __table_args__ = (UniqueConstraint("person_id", "measure", "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    measure: Mapped[str] = mapped_column(String(30))  # gp-appointments | ae-attendances
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    relative: Mapped[str] = mapped_column(String(10))  # before | after (the first referral)
    count: Mapped[int] = mapped_column(Integer)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InsightsSubscription(Base):
    """A user who asked for the dashboard by e-mail each month; ``last_sent`` is the first
    day of the last month sent, so a second run in a month sends nothing twice."""

    __tablename__ = "insights_subscription"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    subscribed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sent: Mapped[date | None] = mapped_column(Date)
