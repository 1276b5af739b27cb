"""Evaluation runs: evaluate the database once, store the aggregates, show them per audience.

``start`` records the request (audited) in the caller's transaction; ``execute`` does the work
in sessions of its own, so a run of a million people never holds a web request or a
transaction open, and a failure is stored as a message rather than lost.
"""

import logging
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from linkwell import audit
from linkwell.auth.models import User
from linkwell.errors import LinkwellError, NotFound
from linkwell.evaluation.disclosure import Audience
from linkwell.evaluation.models import EvaluationRun

log = logging.getLogger(__name__)
RUNNING, DONE, FAILED = "running", "done", "failed"
ABANDONED_AFTER = timedelta(hours=1)  # a million people take about a minute


def is_running(run: EvaluationRun | None, now: datetime | None = None) -> bool:
    """Running and not abandoned: a run still "running" long after it began was cut off (the
    server stopped mid-run) and must not block the next one."""
    if run is None or run.status != RUNNING:
        return False
    return (now or datetime.now(UTC)) - run.requested_at < ABANDONED_AFTER


def start(session: Session, *, by: User, programme: str | None = None,
          source_ip: str | None = None) -> tuple[EvaluationRun, bool]:
    """A new run waiting to be executed, and True; or, while one is still running, that
    one and False (two runs of a million people at once would help nobody)."""
    running = session.scalar(select(EvaluationRun).where(EvaluationRun.status == RUNNING)
                             .order_by(EvaluationRun.id.desc()).limit(1))
    if is_running(running):
        return running, False
    if running is not None:
        _finish(running, None, {}, "The run was cut off before it finished (the server "
                                   "stopped); it has been started again.")
    run = EvaluationRun(requested_by_id=by.id, programme=programme, status=RUNNING)
    session.add(run)
    session.flush()
    audit.record(session, action="create", object_type="evaluation_run", object_id=run.id,
                 actor_id=by.id, source_ip=source_ip)
    return run, True


def _evaluate(session: Session, programme: str | None) -> tuple[dict | None, dict, str | None]:
    """(result, seconds per analysis, error message safe to show)."""
    # The statistics stack (pandas, statsmodels, scipy) is imported by the first run, not at
    # start-up: serving pages never needs it.
    from linkwell.evaluation.db_inputs import load_from_db
    from linkwell.evaluation.engine import evaluate
    timings: dict[str, float] = {}
    started = time.perf_counter()
    try:
        frames = load_from_db(session, programme=programme)
        timings["read"] = time.perf_counter() - started
        return evaluate(frames, audience="evaluator", with_psm=False, timings=timings), \
            timings, None
    except LinkwellError as exc:
        return None, timings, str(exc)
    except Exception:  # a run must end as failed, never stay "running" for ever
        log.exception("evaluation run failed")
        return None, timings, "The evaluation failed unexpectedly; the server log has the details."


def _finish(run: EvaluationRun, result: dict | None, timings: dict, error: str | None) -> None:
    from linkwell.evaluation.engine import json_ready

    run.status = FAILED if error else DONE
    run.error, run.result, run.timings = error, json_ready(result), timings
    run.finished_at = datetime.now(UTC)


def execute(factory: sessionmaker[Session], run_id: int) -> None:
    """Evaluate the database and store the result (or the reason it failed) on the run."""
    with factory() as session:
        outcome = _evaluate(session, session.get(EvaluationRun, run_id).programme)
    with factory() as session, session.begin():
        _finish(session.get(EvaluationRun, run_id), *outcome)


def run_now(session: Session, *, programme: str | None = None) -> EvaluationRun:
    """Evaluate in the caller's transaction (for ``demo-data``, which has no web request)."""
    run = EvaluationRun(requested_by_id=None, programme=programme, status=RUNNING)
    session.add(run)
    session.flush()
    _finish(run, *_evaluate(session, programme))
    return run


def latest(session: Session) -> tuple[EvaluationRun | None, EvaluationRun | None]:
    """The newest finished run with a result, and the run in progress (if any)."""
    done = session.scalar(select(EvaluationRun).where(EvaluationRun.status == DONE)
                          .order_by(EvaluationRun.id.desc()).limit(1))
    newest = session.scalar(select(EvaluationRun).order_by(EvaluationRun.id.desc()).limit(1))
    return done, newest if newest is not None and newest.status != DONE else None


def result_for(session: Session, run_id: int, audience: Audience) -> dict:
    """A finished run's result with the disclosure control of ``audience`` applied."""
    run = session.get(EvaluationRun, run_id)
    if run is None or run.status != DONE:
        raise NotFound("No finished evaluation run with that number.")
    from linkwell.evaluation.engine import protect

    return dict(protect(run.result, audience), audience=audience)
