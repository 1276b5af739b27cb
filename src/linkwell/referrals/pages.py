"""The referral pages: the referral forms (a referrer's and self-referral), the referrer's
list of referrals sent, and one referral's page, where a link worker accepts or declines it.

The link worker's caseload and the person record are ``casework/caseload_pages.py``; the
provider's inbox and capacity are ``provider_pages.py``. ``page`` renders each of them."""

import secrets
from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linkwell.auth import policy
from linkwell.auth.models import User
from linkwell.auth.web import csrf_protect
from linkwell.errors import Conflict, InvalidInput, PreconditionFailed
from linkwell.gprecord import queries as gprecord_queries
from linkwell.referrals import commands, domain, queries
from linkwell.referrals.web import CASE_READERS, CASEWORK, REFERRERS, run
from linkwell.web import forms
from linkwell.web.deps import Id, Session, SessionDep, client_ip, form_int
from linkwell.web.templating import templates

router = APIRouter(include_in_schema=False)


def _options(codes: dict[str, domain.Code]) -> list[tuple[str, str]]:
    return [(key, code.display) for key, code in codes.items()]


OPTIONS = {
    "contact_preferences": _options(domain.CONTACT_PREFERENCES),
    "closure_reasons": _options(domain.CLOSURE_REASONS),
    "decline_reasons": _options(domain.DECLINE_REASONS),
    "triage_decline_reasons": _options(domain.TRIAGE_DECLINE_REASONS),
    "need_scale": [(str(k), f"{k} – {v}") for k, v in domain.NEED_SCALE.items()],
    "contact_modes": _options(domain.CONTACT_MODES),
    "needs": _options(domain.NEEDS_DOMAINS),
    "reasons": _options(domain.REFERRAL_REASONS),
}


# The error summary links a date to its day and a group of checkboxes to the first box.
PERSON_FIELD_TARGETS = {"birth_date": "birth_day",
                        "reasons": f"reason-{next(iter(domain.REFERRAL_REASONS))}"}
PERSON_REQUIRED = {"given_name": "Enter the first name", "family_name": "Enter the last name",
                   "birth_date": "Enter a real date of birth",
                   "reasons": "Choose at least one reason for referral",
                   "consent_to_share": "Agreement to share the details is needed to send this"}


def page(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, f"referrals/{name}",
                                      {"domain": domain, "options": OPTIONS,
                                       "PERSON_FIELD_TARGETS": PERSON_FIELD_TARGETS, **context},
                                      status_code=status)


def _person_from_form(form) -> commands.PersonDetails:
    birth = None
    try:
        birth = date(int(form.get("birth_year", "")), int(form.get("birth_month", "")),
                     int(form.get("birth_day", "")))
    except ValueError:
        birth = None
    return commands.PersonDetails(
        given_name=form.get("given_name", ""), family_name=form.get("family_name", ""),
        birth_date=birth, postcode=form.get("postcode") or None,
        nhs_number=form.get("nhs_number") or None, phone=form.get("phone") or None,
        email=form.get("email") or None,
        contact_preference=form.get("contact_preference") or None,
        language=form.get("language") or None,
        interpreter_needed=form.get("interpreter_needed") == "yes",
        accessibility_needs=form.get("accessibility_needs") or None,
        sex=form.get("sex") or None)


def _referral_form_submit(request: Request, session: Session, user: User | None, form,
                          template: str, key: str | None):
    details = _person_from_form(form)
    empty = forms.missing({**form, "reasons": form.getlist("reasons"),
                           "birth_date": details.birth_date and "given"}, PERSON_REQUIRED)
    if empty:
        return page(request, template, {"values": form, "errors": empty,
                                        "form_token": form.get("form_token", "")}, 422)
    req = commands.referral_request({
        "person": details, "source": form.get("source", "gp"),
        "reasons": form.getlist("reasons"), "notes": form.get("notes", ""),
        "consent_to_share": form.get("consent_to_share") == "yes"})
    try:
        referral, _created = run(request, session, lambda: commands.submit_referral(
            session, by=user, request=req, idempotency_key=key, source_ip=client_ip(request)))
    except InvalidInput as exc:
        return page(request, template, {"values": form,
                                        "errors": forms.field_errors(exc, "given_name"),
                                        "form_token": form.get("form_token", "")}, 422)
    if user is None:
        return RedirectResponse("/refer-yourself/done", status_code=303)
    return RedirectResponse(f"/referrals/{referral.id}", status_code=303)


def form_version(form) -> int:
    """The record's version a form was drawn from: every state change on a page names it."""
    number = form_int(form.get("version"))
    if number is None:
        raise InvalidInput("This form is missing its version; reload the page and try again")
    return number


@router.get("/referrals/new", response_class=HTMLResponse)
def referral_form(request: Request, user: User = Depends(REFERRERS)):
    return page(request, "referral_form.html", {"values": {}, "errors": {},
                                                "form_token": secrets.token_urlsafe(16)})


@router.post("/referrals/new", dependencies=[Depends(csrf_protect)])
async def referral_form_post(request: Request, session: SessionDep,
                             user: User = Depends(REFERRERS)):
    form = await request.form()
    return _referral_form_submit(request, session, user, form, "referral_form.html",
                                 form.get("form_token") or None)


@router.get("/refer-yourself", response_class=HTMLResponse)
def self_referral_form(request: Request):
    return page(request, "self_referral_form.html",
                {"values": {}, "errors": {}, "form_token": secrets.token_urlsafe(16)})


@router.post("/refer-yourself", dependencies=[Depends(csrf_protect)])
async def self_referral_post(request: Request, session: SessionDep):
    form = await request.form()
    if form.get("website"):
        # The honeypot field is hidden from people; only robots fill it in.
        return RedirectResponse("/refer-yourself/done", status_code=303)
    token = form.get("form_token") or ""
    if len(token) < 16:
        raise InvalidInput("This form has expired; reload the page and try again")
    return _referral_form_submit(request, session, None, form, "self_referral_form.html",
                                 token)


@router.get("/refer-yourself/done", response_class=HTMLResponse)
def self_referral_done(request: Request):
    return page(request, "self_referral_done.html", {})


@router.get("/referrals", response_class=HTMLResponse)
def referrals_sent(request: Request, session: SessionDep, user: User = Depends(REFERRERS),
                   status: str = ""):
    rows = run(request, session, lambda: queries.referrals_sent(
        session, by=user, status=status or None, source_ip=client_ip(request)))
    return page(request, "referrals_sent.html", {
        "referrals": rows, "status": status if status in set(domain.Status) else "",
        "statuses": [(s.value, s.label) for s in domain.Status if s != domain.Status.DRAFT]})


@router.get("/referrals/{referral_id}", response_class=HTMLResponse)
def referral_page(request: Request, referral_id: Id, session: SessionDep,
                  user: User = Depends(CASE_READERS)):
    return _referral_response(request, session, user, referral_id)


def _referral_response(request: Request, session: Session, user: User, referral_id: int,
                       errors: dict | None = None, status: int = 200) -> HTMLResponse:
    def work():
        referral, events = queries.referral_for(session, by=user, referral_id=referral_id,
                                                source_ip=client_ip(request))
        episode = queries.episode_of_referral(session, referral.id)
        workers = (queries.link_workers(session, referral.team_id)
                   if policy.can_manage_caseload(user, referral.team_id) else [])
        sent = gprecord_queries.summaries_for_referral(session, referral.id)
        return referral, events, episode, workers, sent

    referral, events, episode, workers, sent = run(request, session, work)
    return page(request, "referral.html", {
        "referral": referral, "events": events, "episode": episode, "gp_summaries": sent,
        "worker_options": [(w.id, w.display_name) for w in workers],
        "can_manage": policy.can_manage_caseload(user, referral.team_id),
        "errors": errors or {}}, status)


@router.post("/referrals/{referral_id}/accept", dependencies=[Depends(csrf_protect)])
async def accept_page(request: Request, referral_id: Id, session: SessionDep,
                      user: User = Depends(CASEWORK)):
    form = await request.form()
    worker = form.get("link_worker_id")
    episode = run(request, session, lambda: commands.accept_referral(
        session, by=user, referral_id=referral_id, version=form_version(form),
        link_worker_id=form_int(worker),
        source_ip=client_ip(request)))
    return RedirectResponse(f"/people/{episode.person_id}?saved=accepted", status_code=303)


@router.post("/referrals/{referral_id}/decline", dependencies=[Depends(csrf_protect)])
async def decline_page(request: Request, referral_id: Id, session: SessionDep,
                       user: User = Depends(CASEWORK)):
    form = await request.form()
    try:
        if not form.get("reason"):
            raise InvalidInput("Choose why the referral is declined", field="decline-reason")
        run(request, session, lambda: commands.decline_referral(
            session, by=user, referral_id=referral_id, version=form_version(form),
            reason=form.get("reason", ""), source_ip=client_ip(request)))
    except (InvalidInput, Conflict, PreconditionFailed) as exc:
        errors = {"decline-reason" if k == "reason" else k: m
                  for k, m in forms.field_errors(exc, "decline-reason").items()}
        return _referral_response(request, session, user, referral_id, errors, exc.status)
    return RedirectResponse("/caseload?view=new&saved=declined", status_code=303)
