"""The administrator's GP messages page (the outbox, its alerts and failures, the practices'
MESH mailboxes), and the standard's referral in as a FHIR ServiceRequest."""

import csv
import io
from datetime import UTC, date, datetime, time, timedelta

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from linkwell.auth.models import User
from linkwell.auth.roles import Role
from linkwell.auth.web import csrf_protect, require_roles
from linkwell.codes import clinical as coded
from linkwell.db import utcnow
from linkwell.errors import InvalidInput
from linkwell.gprecord import commands, domain, queries, referral_in
from linkwell.referrals import commands as referrals_commands
from linkwell.web import forms
from linkwell.web.deps import Id, Session, SessionDep, client_ip
from linkwell.web.templating import templates

router = APIRouter()
admin_only = require_roles(Role.ADMIN)
PRACTICE_FIELDS = ("ods_code", "name", "mesh_mailbox", "pcn_code", "pcn_name")
FHIR_JSON = "application/fhir+json"
STATUSES = ("waiting", "failed", "queued", "sending", "sent", "acknowledged")


def _page(request: Request, session: Session, values: dict, errors: dict, status: int = 200):
    chosen = request.query_params.get("status", "")
    with session.begin():
        context = {
            "messages": queries.outbox(session, by=request.state.user, source_ip=client_ip(
                request), status=chosen if chosen in STATUSES else None),
            "counts": queries.outbox_counts(session), "statuses": STATUSES, "chosen": chosen,
            "practices": queries.practices(session), "values": values, "errors": errors}
    return templates.TemplateResponse(request, "gprecord/admin_messages.html", context,
                                      status_code=status)


@router.get("/admin/gp-messages", response_class=HTMLResponse, include_in_schema=False)
def admin_gp_messages(request: Request, session: SessionDep, admin: User = Depends(admin_only)):
    return _page(request, session, {}, {})


@router.post("/admin/gp-messages/practices", dependencies=[Depends(csrf_protect)],
             include_in_schema=False)
async def admin_save_practice(request: Request, session: SessionDep,
                              admin: User = Depends(admin_only)):
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in PRACTICE_FIELDS}
    try:
        with session.begin():
            commands.save_practice(session, by=admin, source_ip=client_ip(request), **values)
    except InvalidInput as exc:
        errors = forms.field_errors(exc, "ods_code", messages=True)
        return _page(request, session, values, errors, status=exc.status)
    return RedirectResponse("/admin/gp-messages", status_code=303)


@router.post("/admin/gp-messages/{message_id}/retry", dependencies=[Depends(csrf_protect)],
             include_in_schema=False)
def admin_retry_message(message_id: Id, request: Request, session: SessionDep,
                        admin: User = Depends(admin_only)):
    with session.begin():
        commands.retry(session, by=admin, message_id=message_id, source_ip=client_ip(request))
    return RedirectResponse("/admin/gp-messages", status_code=303)


@router.get("/gp-messages/{message_id}/summary.pdf", include_in_schema=False)
def gp_message_summary(message_id: Id, request: Request, session: SessionDep,
                       user: User = Depends(require_roles(Role.REFERRER, Role.LINK_WORKER,
                                                          Role.ADMIN))):
    """The referrer's copy of the message back to the GP: the same PDF."""
    with session.begin():  # a refusal is audited by the application's error handler
        message = queries.message_for(session, by=user, message_id=message_id,
                                      source_ip=client_ip(request))
    pdf = domain.render_pdf(queries.message_facts(session, message))
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="summary-{message_id}.pdf"',
        "Cache-Control": "no-store"})


# --- The standard's referral in ----------------------------------------------------------------

@router.post("/fhir/ServiceRequest", tags=["fhir"], dependencies=[Depends(csrf_protect)])
def fhir_service_request(request: Request, session: SessionDep, data: dict = Body(...),
                         user: User = Depends(require_roles(Role.REFERRER, Role.LINK_WORKER,
                                                            Role.ADMIN))):
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
    return JSONResponse(referral_in.received(location), status_code=201, media_type=FHIR_JSON,
                        headers={"Location": location})


@router.get("/fhir/CodeSystem/{code_system_id}", tags=["fhir"])
def fhir_code_system(request: Request, code_system_id: str):
    """One of Linkwell's own code systems, served at the URL its codes carry (this
    deployment's public address, LINKWELL_PUBLIC_URL). Codes, not personal data: anyone may
    read them."""
    resource = domain.code_system(code_system_id, coded.local_system_base(
        request.app.state.settings))
    if resource is None:
        return JSONResponse(referral_in.not_found(f"CodeSystem/{code_system_id}"[:80]),
                            status_code=404, media_type=FHIR_JSON)
    return JSONResponse(resource, media_type=FHIR_JSON)


# --- The MVIS extract for commissioners ---------------------------------------------------------

def _day(text: str | None, fallback: date) -> date | None:
    if not text:
        return fallback
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@router.get("/mvis", response_class=HTMLResponse, include_in_schema=False)
def mvis_page(request: Request, session: SessionDep,
              user: User = Depends(require_roles(Role.COMMISSIONER, Role.ADMIN))):
    """The minimum dataset by month, practice and PCN, small numbers suppressed; the same
    rows as ``linkwell report mvis``, as a page and as CSV (``?format=csv``)."""
    today = utcnow().date()
    first = _day(request.query_params.get("from"), today.replace(day=1) - timedelta(days=92))
    last = _day(request.query_params.get("to"), today)
    errors = {}
    if first is None:
        errors["from"] = "Enter a date as YYYY-MM-DD"
    if last is None:
        errors["to"] = "Enter a date as YYYY-MM-DD"
    if not errors and last < first:
        errors["to"] = "The last day must not be before the first"
    rows = [] if errors else domain.mvis_rows(queries.mvis_counts(
        session, datetime.combine(first, time(), UTC),
        datetime.combine(last + timedelta(days=1), time(), UTC)))
    if not errors and request.query_params.get("format") == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=domain.MVIS_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        return Response(out.getvalue(), media_type="text/csv", headers={
            "Content-Disposition": f'attachment; filename="mvis-{first}-{last}.csv"'})
    return templates.TemplateResponse(request, "gprecord/mvis.html", {
        "rows": rows, "first": first, "last": last, "errors": errors,
        "values": {k: request.query_params.get(k, "") for k in ("from", "to")}},
        status_code=422 if errors else 200)
