"""A saved advice triage on a person's episode (the DESIGN's ``Episode ──< AdviceTriage``).

It keeps what triage found — categories, urgency, deadlines, level, legal aid and the answers —
but not the person's own words: those travel only inside a warm referral they consented to.
"""

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from linkwell.db import Base, UTCDateTime, utcnow


class AdviceTriage(Base):
    __tablename__ = "advice_triage"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episode.id", ondelete="CASCADE"),
                                            index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    # [{"code": "housing", "sub_issues": [...], "confidence": 0.93}], most confident first.
    categories: Mapped[list] = mapped_column(JSON)
    urgent: Mapped[bool] = mapped_column(Boolean)
    urgent_reasons: Mapped[list] = mapped_column(JSON)
    # [{"what": ..., "date": "YYYY-MM-DD", "basis": ...}]
    deadlines: Mapped[list] = mapped_column(JSON)
    next_deadline: Mapped[date | None] = mapped_column(Date)
    level: Mapped[str] = mapped_column(String(32))
    legal_aid: Mapped[str] = mapped_column(String(32))
    answers: Mapped[dict] = mapped_column(JSON)

    __table_args__ = (Index("ix_advice_triage_urgent_next", "urgent", "next_deadline"),)
