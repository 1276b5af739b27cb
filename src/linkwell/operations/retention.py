"""Which people's records have passed the retention period (``LINKWELL_RETENTION_YEARS``).

A person is due when none of their referrals is still open and nothing has happened on any
of them (the status event log) for that many years. Linkwell reports them; erasing them is the
data controller's decision, made by hand: the status event log and the audit trail are
append-only by design (ADR 0011), so no command deletes from them silently.
"""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linkwell.db import utcnow
from linkwell.referrals.domain import FINAL
from linkwell.referrals.models import Referral, StatusEvent


def years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February in a year that has none
        return moment.replace(year=moment.year - years, day=28)


def people_due(session: Session, *, years: int, now: datetime | None = None) -> list[int]:
    """Ids of people whose records are due for review and erasure, oldest id first."""
    cutoff = years_before(now or utcnow(), years)
    still_open = select(Referral.person_id).where(Referral.status.not_in([s.value for s in FINAL]))
    last = (select(StatusEvent.person_id, func.max(StatusEvent.occurred_at).label("last"))
            .group_by(StatusEvent.person_id).subquery())
    return list(session.scalars(
        select(last.c.person_id).where(last.c.last < cutoff,
                                       last.c.person_id.not_in(still_open))
        .order_by(last.c.person_id)))
