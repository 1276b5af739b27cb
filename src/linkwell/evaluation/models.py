"""A stored evaluation run: the database evaluated once, shown to many.

The result is kept at the evaluator level (aggregates, unsuppressed); every view applies the
disclosure control for its viewer's audience, so one run serves evaluators, commissioners and
the public alike and nobody waits a minute for a page.
"""

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from linkwell.db import Base, UTCDateTime, utcnow


class EvaluationRun(Base):
    __tablename__ = "evaluation_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    programme: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default="running")  # running | done | failed
    result: Mapped[dict | None] = mapped_column(JSON)  # evaluator-level JSON (aggregates only)
    timings: Mapped[dict | None] = mapped_column(JSON)  # seconds per analysis
    error: Mapped[str | None] = mapped_column(Text)  # a message safe to show; never data


class EvaluationReport(Base):
    """A report of one run for one audience, built once and served from here: the page's body
    (``body``), the stand-alone document (``html``) and its print (``pdf``)."""

    __tablename__ = "evaluation_report"
    __table_args__ = (
        UniqueConstraint("run_id", "audience", "kind"),
        CheckConstraint("kind IN ('body', 'html', 'pdf')", name="kind"),
        CheckConstraint("audience IN ('evaluator', 'commissioner', 'public')", name="audience"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("evaluation_run.id", ondelete="CASCADE"))
    audience: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(8))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seconds: Mapped[float] = mapped_column(Float)  # how long the build took
