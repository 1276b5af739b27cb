"""``/evaluation``: the programme's evaluation for evaluators, commissioners and administrators.

The page shows the latest stored run (``runs``), with disclosure control for the viewer:
evaluators see unsuppressed aggregates, commissioners and administrators see cells under 10
suppressed. Nobody sees a person. Evaluators and administrators can start a new run; it runs
in the background and the page follows it with htmx.
"""

import json

from fastapi import APIRouter, BackgroundTasks, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from linkwell.auth.models import User
from linkwell.auth.roles import Role
from linkwell.auth.web import csrf_protect, require_roles
from linkwell.evaluation import commands, queries, runs
from linkwell.evaluation.disclosure import Audience
from linkwell.evaluation.instruments import INSTRUMENTS
from linkwell.evaluation.report import (
    TITLE,
    ci,
    fmt,
    p_value,
    summaries,
)
from linkwell.web.deps import Id, Session, SessionDep, client_ip
from linkwell.web.templating import templates

router = APIRouter(tags=["evaluation"])
RUNNERS = frozenset({Role.EVALUATOR, Role.ADMIN})  # may start a run
reader = require_roles(Role.EVALUATOR, Role.COMMISSIONER, Role.ADMIN)
runner = require_roles(*RUNNERS)
templates.env.filters.update(evaluation_fmt=fmt, evaluation_ci=ci, evaluation_p=p_value)


def audience_of(user: User) -> Audience:
    """Evaluators analyse unsuppressed aggregates; everyone else sees suppressed ones."""
    return "evaluator" if Role.EVALUATOR in user.roles else "commissioner"


def _status(session: Session, user: User) -> dict:
    done, pending = runs.latest(session)
    return {"done": done, "pending": pending, "running": runs.is_running(pending),
            "can_run": bool(user.roles & RUNNERS)}


def _stored(session: Session, request: Request, run_id: int, user: User, kind: str) -> bytes:
    """The run's report for this viewer's audience from the store, built and stored the first
    time anyone asks for it."""
    audience = audience_of(user)
    with session.begin():
        content = queries.stored_content(session, run_id=run_id, audience=audience, kind=kind)
        if content is None:
            content = commands.build_report(session, run_id=run_id, audience=audience,
                                            kind=kind, by=user,
                                            source_ip=client_ip(request)).content
    return content


@router.get("/evaluation", response_class=HTMLResponse)
def evaluation_page(request: Request, session: SessionDep, user: User = Depends(reader)):
    context = _status(session, user)
    audience = audience_of(user)
    context.update(audience=audience, result=None, summaries=None, instruments=INSTRUMENTS,
                   reports=queries.stored_reports(session, audience))
    if context["done"] is not None:
        result = runs.result_for(session, context["done"].id, audience)
        context.update(result=result, summaries=summaries(result))
    return templates.TemplateResponse(request, "evaluation/page.html", context)


@router.get("/evaluation/status", response_class=HTMLResponse)
def run_status(request: Request, session: SessionDep, user: User = Depends(reader)):
    """The run-in-progress panel, polled by htmx; reloads the page when the run ends."""
    context = _status(session, user)
    response = templates.TemplateResponse(request, "evaluation/_status.html", context)
    if not context["running"]:
        response.headers["HX-Refresh"] = "true"
    return response


@router.post("/evaluation/runs", dependencies=[Depends(csrf_protect)])
def start_run(request: Request, background: BackgroundTasks, session: SessionDep,
              user: User = Depends(runner)):
    with session.begin():
        run, created = runs.start(session, by=user, source_ip=client_ip(request))
    if created:
        background.add_task(runs.execute, request.app.state.sessionmaker, run.id)
    return RedirectResponse("/evaluation", status_code=303)


@router.get("/evaluation/runs/{run_id}/report", response_class=HTMLResponse)
def run_report(request: Request, run_id: Id, session: SessionDep, user: User = Depends(reader)):
    """The report in the site layout, with a way back to /evaluation."""
    body = Markup(_stored(session, request, run_id, user, "body").decode())  # noqa: S704 - built by render_body
    return templates.TemplateResponse(request, "evaluation/report_page.html",
                                      {"body": body, "title": TITLE, "run_id": run_id})


@router.get("/evaluation/runs/{run_id}/report.html")
def run_report_document(request: Request, run_id: Id, session: SessionDep,
                        user: User = Depends(reader)):
    """The stand-alone report document (styles inlined), for keeping or sending on."""
    return Response(_stored(session, request, run_id, user, "html"), media_type="text/html",
                    headers={"Content-Disposition":
                             f'attachment; filename="evaluation-{run_id}.html"'})


@router.get("/evaluation/runs/{run_id}/result.json")
def run_json(run_id: Id, session: SessionDep, user: User = Depends(reader)):
    result = runs.result_for(session, run_id, audience_of(user))
    return Response(json.dumps(result, indent=1), media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="evaluation-{run_id}.json"'})


@router.get("/evaluation/runs/{run_id}/report.pdf")
async def run_pdf(request: Request, run_id: Id, session: SessionDep, user: User = Depends(reader)):
    content = await run_in_threadpool(_stored, session, request, run_id, user, "pdf")
    return Response(content, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="evaluation-{run_id}.pdf"'})
