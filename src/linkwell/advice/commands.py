"""Saving a triage to a person's episode: one small command, audited, in the caller's unit
of work (the link worker's page, or the warm referral that carries it)."""

from datetime import date

from sqlalchemy.orm import Session

from linkwell import audit
from linkwell.advice.models import AdviceTriage
from linkwell.advice.triage import TriageResult
from linkwell.auth.models import User


def save_triage(session: Session, *, by: User, episode_id: int, result: TriageResult,
                source_ip: str | None = None) -> AdviceTriage:
    """Record what triage found on the episode (never the person's own words)."""
    from linkwell.referrals.commands import load_episode

    episode = load_episode(session, by=by, episode_id=episode_id)
    row = AdviceTriage(
        episode_id=episode.id, created_by_id=by.id,
        categories=[{"code": c.code, "sub_issues": c.sub_issues,
                     "confidence": round(c.confidence, 2)} for c in result.categories],
        urgent=result.urgent, urgent_reasons=result.urgent_reasons,
        deadlines=[{"what": d.what, "date": d.date.isoformat(), "basis": d.basis}
                   for d in result.deadlines],
        next_deadline=min((d.date for d in result.deadlines if d.date >= result.today),
                          default=None),
        level=result.level.value, legal_aid=result.legal_aid.value,
        answers={k: (v.isoformat() if isinstance(v, date) else v)
                 for k, v in result.answers.items()})
    session.add(row)
    session.flush()
    audit.record(session, action="create", object_type="advice_triage", object_id=row.id,
                 detail={"episode_id": episode.id, "categories": result.codes,
                         "urgent": result.urgent}, **audit.actor(by, source_ip))
    return row
