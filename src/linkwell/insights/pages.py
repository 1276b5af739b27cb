"""The outcomes framework's forms and the monthly e-mail setting: a link worker records new
groups and volunteers for their team; an administrator uploads a practice's system-outcomes
CSV (all lines or none, each rejected line named); a commissioner subscribes to the monthly
e-mail. Every write is a command (audited); bad input re-renders the form with a 400."""

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import UploadFile

from linkwell.auth.models import User
from linkwell.auth.roles import Role
from linkwell.auth.web import require_roles
from linkwell.db import utcnow
from linkwell.errors import InvalidInput
from linkwell.insights import commands, outcomes
from linkwell.web import forms
from linkwell.web.deps import SessionDep, client_ip
from linkwell.web.templating import templates

router = APIRouter(tags=["insights"])
recorder = require_roles(Role.LINK_WORKER, Role.ADMIN)
importer = require_roles(Role.ADMIN)
subscriber = require_roles(Role.COMMISSIONER, Role.ADMIN)
MAX_UPLOAD = 5 * 1024 * 1024


def _community_page(request: Request, *, values: dict, errors: dict, status: int = 200,
                    saved: bool = False):
    return templates.TemplateResponse(request, "insights/community_outcome.html", {
        "values": values, "errors": errors, "saved": saved,
        "kinds": list(outcomes.COMMUNITY_KINDS.items())}, status_code=status)


@router.get("/insights/community-outcomes/new", response_class=HTMLResponse)
def community_form(request: Request, user: User = Depends(recorder)):
    return _community_page(request, values={}, errors={},
                           saved=request.query_params.get("saved") == "1")


@router.post("/insights/community-outcomes/new", response_class=HTMLResponse)
async def community_save(request: Request, session: SessionDep, user: User = Depends(recorder)):
    form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}

    def save():
        with session.begin():
            commands.record_community_outcome(
                session, by=user, team_id=user.team_id, kind=form.get("kind", ""),
                count=form.get("count", ""), month=form.get("month", ""),
                description=form.get("description", ""), today=utcnow().date(),
                source_ip=client_ip(request))

    try:
        await run_in_threadpool(save)
    except InvalidInput as exc:
        errors = forms.field_errors(exc, "kind", messages=True)
        return _community_page(request, values=form, errors=errors, status=400)
    return RedirectResponse("/insights/community-outcomes/new?saved=1", status_code=303)


def _import_page(request: Request, *, rejected: list[dict], imported=None, status: int = 200):
    return templates.TemplateResponse(request, "insights/system_outcomes.html", {
        "rejected": rejected, "imported": imported, "header": ",".join(outcomes.HEADER),
        "pseudonym_header": ",".join(outcomes.PSEUDONYM_HEADER),
        "pseudonyms": bool(request.app.state.settings.pseudonym_key),
        "measures": outcomes.SYSTEM_MEASURES}, status_code=status)


@router.get("/insights/system-outcomes", response_class=HTMLResponse)
def system_form(request: Request, user: User = Depends(importer)):
    return _import_page(request, rejected=[])


@router.post("/insights/system-outcomes", response_class=HTMLResponse)
async def system_import(request: Request, session: SessionDep, user: User = Depends(importer)):
    file = (await request.form()).get("file")
    content = await file.read(MAX_UPLOAD + 1) if isinstance(file, UploadFile) else b""
    if not content or len(content) > MAX_UPLOAD:
        message = "Choose a CSV file" if not content else "The file must be under 5 MB"
        return _import_page(request, rejected=[{"message": message}], status=400)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return _import_page(request, rejected=[{"message": "The file must be UTF-8 text"}],
                            status=400)

    def save():
        with session.begin():
            return commands.import_system_outcomes(
                session, by=user, text=text, today=utcnow().date(),
                pseudonym_key=request.app.state.settings.pseudonym_key,
                source_ip=client_ip(request))

    try:
        imported = await run_in_threadpool(save)
    except InvalidInput as exc:
        return _import_page(request, rejected=exc.errors or [{"message": exc.detail}],
                            status=400)
    return _import_page(request, rejected=[], imported=imported)


@router.post("/insights/subscription")
async def subscription(request: Request, session: SessionDep, user: User = Depends(subscriber)):
    form = await request.form()

    def save():
        with session.begin():
            commands.set_subscription(session, by=user, subscribed=form.get("monthly") == "1",
                                      source_ip=client_ip(request))

    await run_in_threadpool(save)
    return RedirectResponse("/insights#monthly-email", status_code=303)
