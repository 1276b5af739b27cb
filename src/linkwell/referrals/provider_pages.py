"""A provider's pages: the inbox of onward referrals to its organisation's services, one
onward referral with the actions its status allows, and each service's capacity."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linkwell.auth import policy
from linkwell.auth.models import User
from linkwell.auth.web import csrf_protect
from linkwell.directory.presentation import display_name
from linkwell.errors import Conflict, InvalidInput, PreconditionFailed
from linkwell.referrals import domain, onward_commands, queries
from linkwell.referrals.pages import form_version, page
from linkwell.referrals.web import PROVIDERS, run
from linkwell.web import forms
from linkwell.web.deps import Id, Session, SessionDep, client_ip, form_int

router = APIRouter(include_in_schema=False)


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(request: Request, session: SessionDep, user: User = Depends(PROVIDERS),
               status: str = "open"):
    rows = run(request, session, lambda: queries.inbox(
        session, by=user, settings=request.app.state.settings, status=status,
        source_ip=client_ip(request)))
    return page(request, "inbox.html", {"rows": rows, "status": status})


@router.get("/inbox/capacity", response_class=HTMLResponse)
def capacity_page(request: Request, session: SessionDep, user: User = Depends(PROVIDERS)):
    return _capacity(request, session, user)


def _capacity(request: Request, session: Session, user: User, refused: dict | None = None,
              status: int = 200) -> HTMLResponse:
    """Each service's capacity form; ``refused`` is the one whose change was refused (its
    ``service_id``, ``values`` and ``errors``)."""
    services, organization = run(request, session, lambda: (
        queries.services_of(session, by=user), queries.organisation_name(session, by=user)))
    refused = refused or {}
    # The forms' fields are numbered by service (status-1, wait-1, ...): the summary links there.
    number = next((n for n, (service, _) in enumerate(services, 1)
                   if service.id == refused.get("service_id")), 0)
    ids = {"status": f"status-{number}", "waiting_time_days": f"wait-{number}"}
    errors = {ids.get(k, f"wait-{number}"): m for k, m in refused.get("errors", {}).items()}
    return page(request, "capacity.html", {
        "services": [(service, capacity, display_name(service.name, organization))
                     for service, capacity in services],
        "organization": organization, "refused_number": number,
        "values": refused.get("values", {}), "errors": errors}, status)


@router.post("/services/{service_id}/capacity", dependencies=[Depends(csrf_protect)])
async def capacity_post(request: Request, service_id: str, session: SessionDep,
                        user: User = Depends(PROVIDERS)):
    form = await request.form()
    wait = str(form.get("waiting_time_days", "")).strip()
    try:
        if wait and form_int(wait) is None:
            raise InvalidInput("Waiting time is a whole number of days",
                               field="waiting_time_days")
        run(request, session, lambda: onward_commands.update_service_capacity(
            session, by=user, service_id=service_id, status=form.get("status", ""),
            waiting_time_days=int(wait) if wait else None, source_ip=client_ip(request)))
    except InvalidInput as exc:
        return _capacity(request, session, user, status=exc.status, refused={
            "service_id": service_id, "values": dict(form),
            "errors": forms.field_errors(exc, "waiting_time_days")})
    return RedirectResponse("/inbox/capacity?saved=capacity", status_code=303)


@router.get("/inbox/{onward_id}", response_class=HTMLResponse)
def inbox_item(request: Request, onward_id: Id, session: SessionDep,
               user: User = Depends(PROVIDERS)):
    return _inbox_item(request, onward_id, session, user)


def _inbox_item(request: Request, onward_id: int, session: Session, user: User,
                values: dict | None = None, errors: dict | None = None,
                status: int = 200) -> HTMLResponse:
    detail = run(request, session, lambda: queries.onward_detail(
        session, by=user, onward_referral_id=onward_id, settings=request.app.state.settings,
        source_ip=client_ip(request)))
    return page(request, "inbox_item.html", {
        "detail": detail, "actions": _provider_actions(detail.onward.status),
        "can_respond": policy.can_respond_to_onward_referral(user, detail.onward),
        "values": values or {}, "errors": errors or {}}, status)


def _provider_actions(status: str) -> list[tuple[str, str]]:
    labels = {"receive": "Mark as received", "accept": "Accept", "attended": "Attended",
              "did-not-attend": "Did not attend", "complete": "Completed",
              "decline": "Decline"}
    current = domain.Status(status)
    return [(action, labels[action]) for action, target in onward_commands.PROVIDER_ACTIONS.items()
            if domain.can_transition(current, target)]


@router.post("/inbox/{onward_id}/respond", dependencies=[Depends(csrf_protect)])
async def inbox_respond(request: Request, onward_id: Id, session: SessionDep,
                        user: User = Depends(PROVIDERS)):
    form = await request.form()
    try:
        if not form.get("action"):
            raise InvalidInput("Choose what happened", field="action")
        run(request, session, lambda: onward_commands.respond_to_onward_referral(
            session, by=user, onward_referral_id=onward_id, version=form_version(form),
            action=form.get("action", ""), reason=form.get("reason") or None,
            outcome_note=form.get("outcome_note") or None, source_ip=client_ip(request)))
    except (InvalidInput, Conflict, PreconditionFailed) as exc:
        return _inbox_item(request, onward_id, session, user, values=dict(form),
                          errors=forms.field_errors(exc, "action"), status=exc.status)
    return RedirectResponse(f"/inbox/{onward_id}?saved=responded", status_code=303)

