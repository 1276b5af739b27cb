"""The administrator's GP messages page (the outbox, its alerts and failures, the practices'
MESH mailboxes), and the standard's referral in as a FHIR ServiceRequest."""

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from sqlalchemy.orm import Session

from linkwell.auth.models import User
from linkwell.auth.roles import Role
from linkwell.auth.web import csrf_protect, require_roles
from linkwell.errors import InvalidInput
from linkwell.gprecord import commands, queries, referral_in
from linkwell.referrals import commands as referrals_commands
from linkwell.web.deps import client_ip, get_session
from linkwell.web.templating import templates

router = APIRouter()
admin_only = require_roles(Role.ADMIN)
PRACTICE_FIELDS = ("ods_code", "name", "mesh_mailbox", "pcn_code", "pcn_name")
FHIR_JSON = "application/fhir+json"
STATUSES = ("waiting", "failed", "queued", "sending", "sent", "acknowledged")


def _page(request: Request, session: Session, values: dict, errors: dict, status: int = 200):
    chosen = request.query_params.get("status", "")
    return templates.TemplateResponse(request, "gprecord/admin_messages.html", {
        "messages": queries.outbox(session, status=chosen if chosen in STATUSES else None),
        "counts": queries.outbox_counts(session), "statuses": STATUSES, "chosen": chosen,
        "practices": queries.practices(session), "values": values, "errors": errors},
        status_code=status)


@router.get("/admin/gp-messages", response_class=HTMLResponse, include_in_schema=False)
def admin_gp_messages(request: Request, admin: User = Depends(admin_only),
                      session: Session = Depends(get_session)):
    return _page(request, session, {}, {})


@router.post("/admin/gp-messages/practices", dependencies=[Depends(csrf_protect)],
             include_in_schema=False)
async def admin_save_practice(request: Request, admin: User = Depends(admin_only),
                              session: Session = Depends(get_session)):
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in PRACTICE_FIELDS}
    try:
        with session.begin():
            commands.save_practice(session, by=admin, source_ip=client_ip(request), **values)
    except InvalidInput as exc:
        errors = {e["field"]: e["message"] for e in exc.errors}
        return _page(request, session, values, errors, status=exc.status)
    return RedirectResponse("/admin/gp-messages", status_code=303)


@router.post("/admin/gp-messages/{message_id}/retry", dependencies=[Depends(csrf_protect)],
             include_in_schema=False)
def admin_retry_message(message_id: int, request: Request, admin: User = Depends(admin_only),
                        session: Session = Depends(get_session)):
    with session.begin():
        commands.retry(session, by=admin, message_id=message_id, source_ip=client_ip(request))
    return RedirectResponse("/admin/gp-messages", status_code=303)


# --- The standard's referral in ----------------------------------------------------------------

@router.post("/fhir/ServiceRequest", tags=["fhir"], dependencies=[Depends(csrf_protect)])
def fhir_service_request(request: Request, data: dict = Body(...),
                         user: User = Depends(require_roles(Role.REFERRER, Role.LINK_WORKER,
                                                            Role.ADMIN)),
                         session: Session = Depends(get_session)):
    """Accept a referral to social prescribing as a FHIR R4 ServiceRequest (the PRSB
    standard's referral message); field-level problems come back as an OperationOutcome."""
    try:
        fields, practice_ods = referral_in.parse(data)
        with session.begin():
            referral, _created = referrals_commands.submit_referral(
                session, by=user, source_ip=client_ip(request),
                request=referrals_commands.ReferralRequest(
                    person=referrals_commands.PersonDetails(**fields["person"]),
                    source=fields["source"], reasons=fields["reasons"], notes=fields["notes"],
                    consent_to_share=fields["consent_to_share"]))
            commands.register(session, person_id=referral.person_id, practice_ods=practice_ods)
    except InvalidInput as exc:
        return JSONResponse(referral_in.operation_outcome(exc), status_code=exc.status,
                            media_type=FHIR_JSON)
    location = f"ServiceRequest/referral-{referral.id}"
    return JSONResponse({"resourceType": "OperationOutcome", "issue": [
        {"severity": "information", "code": "informational",
         "diagnostics": f"Referral received as {location}"}]},
        status_code=201, media_type=FHIR_JSON, headers={"Location": location})
