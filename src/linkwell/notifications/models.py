"""The outbox's table."""

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from linkwell.db import Base, UTCDateTime, utcnow


class Notification(Base):
    """An e-mail waiting in the outbox, written in the same transaction as its cause."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_pending", "sent_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    # Set by the sender that took the message to send it, so no other sender takes it too;
    # cleared when the send fails (it is then retried). One left old means a sender stopped.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Notify's id for a message sent through GOV.UK Notify.
    notify_id: Mapped[str | None] = mapped_column(String(36))
    # Set when the message went out folded into a digest (that notification's id).
    digest_id: Mapped[int | None] = mapped_column(Integer)
