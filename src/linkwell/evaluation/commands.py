"""Evaluation writes: a run's report built once per audience and kind, and stored.

The report of a run never changes (the run's result is fixed), so it is built the first time it
is asked for (or by ``linkwell evaluate report``) and every later request is served from the
store: a download is a single row read, not a 1.5 to 5 s rebuild.
"""

import time

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linkwell import audit
from linkwell.auth.models import User
from linkwell.evaluation import runs
from linkwell.evaluation.disclosure import Audience
from linkwell.evaluation.models import EvaluationReport

KINDS = ("body", "html", "pdf")


def _build(session: Session, run_id: int, audience: Audience, kind: str) -> bytes:
    import tempfile
    from pathlib import Path

    from linkwell.evaluation.db_inputs import boroughs_from_db
    from linkwell.evaluation.report import render_body, render_html
    from linkwell.web.pdf import write_pdf

    result = runs.result_for(session, run_id, audience)
    boroughs = boroughs_from_db(session)
    if kind == "body":
        return str(render_body(result, boroughs=boroughs)).encode()
    html = render_html(result, boroughs=boroughs)
    if kind == "html":
        return html.encode()
    with tempfile.TemporaryDirectory(prefix="linkwell-report-") as tmp:
        html_path, pdf_path = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        html_path.write_text(html, encoding="utf-8")
        write_pdf(html_path, pdf_path)
        return pdf_path.read_bytes()


def build_report(session: Session, *, run_id: int, audience: Audience, kind: str,
                 by: User | None, source_ip: str | None = None) -> EvaluationReport:
    """The stored report, built and stored (audited) the first time it is asked for."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    stored = session.scalar(select(EvaluationReport).where(
        EvaluationReport.run_id == run_id, EvaluationReport.audience == audience,
        EvaluationReport.kind == kind))
    if stored is not None:
        return stored
    started = time.perf_counter()
    content = _build(session, run_id, audience, kind)
    report = EvaluationReport(run_id=run_id, audience=audience, kind=kind, content=content,
                              seconds=time.perf_counter() - started)
    try:
        with session.begin_nested():  # two first requests at once: the loser uses the winner's
            session.add(report)
            session.flush()
    except IntegrityError:
        return session.scalars(select(EvaluationReport).where(
            EvaluationReport.run_id == run_id, EvaluationReport.audience == audience,
            EvaluationReport.kind == kind)).one()
    audit.record(session, action="create", object_type="evaluation_report", object_id=report.id,
                 actor_id=by.id if by else None, source_ip=source_ip,
                 detail={"run_id": run_id, "audience": audience, "kind": kind})
    return report
