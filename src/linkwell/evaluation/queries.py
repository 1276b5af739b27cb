"""Evaluation reads: stored reports (aggregates only; no person appears in a report)."""

from sqlalchemy import select
from sqlalchemy.orm import Session, load_only

from linkwell.evaluation.disclosure import Audience
from linkwell.evaluation.models import EvaluationReport


def stored_content(session: Session, *, run_id: int, audience: Audience,
                   kind: str) -> bytes | None:
    """The stored report's bytes, or None before it has been built."""
    return session.scalar(select(EvaluationReport.content).where(
        EvaluationReport.run_id == run_id, EvaluationReport.audience == audience,
        EvaluationReport.kind == kind))


def stored_reports(session: Session, audience: Audience) -> list[EvaluationReport]:
    """Every stored report this audience may download, newest run first (content unloaded)."""
    return list(session.scalars(
        select(EvaluationReport).options(load_only(
            EvaluationReport.run_id, EvaluationReport.kind, EvaluationReport.built_at,
            EvaluationReport.seconds, EvaluationReport.audience))
        .where(EvaluationReport.audience == audience, EvaluationReport.kind != "body")
        .order_by(EvaluationReport.run_id.desc(), EvaluationReport.kind)))
