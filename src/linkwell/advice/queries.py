"""The link worker's advice cases: the latest saved triage of each open episode in their
team, urgent cases first, then the nearest deadline."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from linkwell import audit
from linkwell.advice.models import AdviceTriage
from linkwell.auth import policy
from linkwell.auth.models import User


@dataclass(frozen=True)
class AdviceCase:
    triage_id: int
    episode_id: int
    person_id: int
    person_name: str
    categories: list[dict]
    urgent: bool
    urgent_reasons: list[str]
    next_deadline: date | None
    level: str
    legal_aid: str
    saved_at: datetime


def case_order(case: AdviceCase) -> tuple:
    """Urgent first; then the nearest deadline (none last); then the most recently saved."""
    return (not case.urgent, case.next_deadline is None, case.next_deadline or date.max,
            -case.saved_at.timestamp())


def advice_cases(session: Session, *, by: User, source_ip: str | None = None
                 ) -> list[AdviceCase]:
    from linkwell.referrals.models import Episode, Person

    rows = session.execute(
        select(AdviceTriage, Episode.person_id, Person.given_name, Person.family_name)
        .join(Episode, Episode.id == AdviceTriage.episode_id)
        .join(Person, Person.id == Episode.person_id)
        .where(Episode.closed_at.is_(None), policy.casework_condition(by, Episode))
        .order_by(AdviceTriage.created_at.desc(), AdviceTriage.id.desc()))
    latest: dict[int, AdviceCase] = {}
    for triage, person_id, given, family in rows:
        if triage.episode_id in latest:
            continue
        latest[triage.episode_id] = AdviceCase(
            triage.id, triage.episode_id, person_id, f"{given} {family}", triage.categories,
            triage.urgent, triage.urgent_reasons, triage.next_deadline, triage.level,
            triage.legal_aid, triage.created_at)
    cases = sorted(latest.values(), key=case_order)
    audit.record(session, action="read", object_type="advice_cases", object_id=by.team_id,
                 detail={"count": len(cases)}, **audit.actor(by, source_ip))
    return cases
