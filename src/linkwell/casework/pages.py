"""The person's plan: the link worker's view (everything, in true time order), "My plan" for
the person (plain English, printable, as a PDF, and sent as a copy through the Notify
outbox), and recording progress on a goal."""

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from linkwell.auth.models import User
from linkwell.auth.web import csrf_protect
from linkwell.casework import commands, plan, queries
from linkwell.errors import InvalidInput
from linkwell.referrals.web import CASEWORK, run
from linkwell.web.deps import Id, SessionDep, client_ip, form_int
from linkwell.web.templating import templates

router = APIRouter(include_in_schema=False)


def _context(request: Request, session, user: User, person_id: int) -> dict:
    """The plan, read (and audited) for ``user``, with what every view of it shows."""
    the_plan = run(request, session, lambda: queries.person_plan(
        session, by=user, person_id=person_id, settings=request.app.state.settings,
        source_ip=client_ip(request)))
    now = datetime.now(UTC)
    return {"plan": the_plan, "person_id": person_id, "now": now, "uk": plan.uk,
            "upcoming": the_plan.upcoming(now), "GOAL_PROGRESS": plan.GOAL_PROGRESS,
            "PLAIN_STATUS": plan.PLAIN_STATUS}


@router.get("/people/{person_id}/plan", response_class=HTMLResponse)
def plan_page(request: Request, person_id: Id, session: SessionDep,
              user: User = Depends(CASEWORK)):
    """The personalised care and support plan, as the link worker works from it."""
    return templates.TemplateResponse(request, "casework/plan.html",
                                      _context(request, session, user, person_id))


@router.get("/people/{person_id}/my-plan", response_class=HTMLResponse)
def my_plan_page(request: Request, person_id: Id, session: SessionDep,
                 user: User = Depends(CASEWORK)):
    """"My plan": the person's own copy, to print or download."""
    return templates.TemplateResponse(request, "casework/my_plan.html",
                                      _context(request, session, user, person_id))


@router.get("/people/{person_id}/my-plan.pdf")
def my_plan_pdf(request: Request, person_id: Id, session: SessionDep,
                user: User = Depends(CASEWORK)):
    """The same "My plan", printed to PDF (``linkwell.web.pdf``: one way to make PDFs from
    HTML in Linkwell)."""
    from linkwell.web.pdf import write_pdf

    html = templates.get_template("casework/my_plan_document.html").render(
        request=request, **_context(request, session, user, person_id))
    with tempfile.TemporaryDirectory(prefix="linkwell-plan-") as folder:
        source, target = Path(folder) / "plan.html", Path(folder) / "plan.pdf"
        source.write_text(html, encoding="utf-8")
        write_pdf(source, target)
        pdf = target.read_bytes()
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": 'attachment; filename="my-plan.pdf"',
        "Cache-Control": "no-store"})


@router.post("/people/{person_id}/my-plan/send", dependencies=[Depends(csrf_protect)])
async def my_plan_send(request: Request, person_id: Id, session: SessionDep,
                       user: User = Depends(CASEWORK)):
    """Queue a copy of "My plan" to the person by e-mail, if they agreed to e-mail."""
    try:
        run(request, session, lambda: commands.send_plan_copy(
            session, by=user, person_id=person_id, settings=request.app.state.settings,
            source_ip=client_ip(request)))
    except InvalidInput as exc:
        field = next((e.get("field") for e in exc.errors if isinstance(e, dict)), "consent")
        refused = field if field in ("consent", "email", "phone", "channel") else "consent"
        return RedirectResponse(f"/people/{person_id}/plan?refused={refused}",
                                status_code=303)
    return RedirectResponse(f"/people/{person_id}/plan?saved=plan-sent", status_code=303)


@router.post("/goals/{goal_id}/progress", dependencies=[Depends(csrf_protect)])
async def goal_progress_post(request: Request, goal_id: Id, session: SessionDep,
                             user: User = Depends(CASEWORK)):
    form = await request.form()
    progress = form_int(form.get("progress"), maximum=9)

    def work():
        row = commands.record_goal_progress(
            session, by=user, goal_id=goal_id, progress=progress, note=form.get("note", ""),
            source_ip=client_ip(request))
        return queries.person_of_goal(session, row.goal_id)

    try:
        person_id = run(request, session, work)
    except InvalidInput:
        # Refused after the access check: the plan again, the goal's form marked (422).
        person_id = run(request, session, lambda: queries.person_of_goal(session, goal_id))
        return templates.TemplateResponse(
            request, "casework/plan.html",
            {**_context(request, session, user, person_id), "progress_missing": str(goal_id)},
            status_code=422)
    return RedirectResponse(f"/people/{person_id}/plan?saved=progress#goals",
                            status_code=303)
