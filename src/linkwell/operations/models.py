"""Operations' table: the API clients' retry keys (``operations.idempotency``)."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linkwell.db import Base, UTCDateTime, utcnow


class IdempotencyKey(Base):
    """A client's retry key: the second POST with the same key returns the first result.

    A referral's creation claims its key in its own transaction (``referral_id``); every other
    state-changing API call is answered again from the stored response
    (``operations.idempotency``), which also refuses a key reused for a different request.
    """

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(40))  # "user:<id>" or "public"
    key: Mapped[str] = mapped_column(String(100))
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id",
                                                           ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "POST /api/referrals/7/accept" and the SHA-256 of the body it carried.
    request: Mapped[str | None] = mapped_column(String(300))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_headers: Mapped[dict | None] = mapped_column(JSON)
    response_body: Mapped[str | None] = mapped_column(Text)
