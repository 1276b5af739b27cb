"""Advice triage over HTTP: the JSON API, the public "Get advice" page, and the link worker's
advice page with the warm referral.

Nothing here logs the description: it is personal data. Triage writes nothing, so the public
page and the API need no transaction; the warm referral is one unit of work through the
referrals area's own command (consent first, audited there).
"""

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from linkwell.advice import commands as advice_commands
from linkwell.advice import queries, routing
from linkwell.advice.categories import BY_CODE
from linkwell.advice.dates import british
from linkwell.advice.levels import LEGAL_AID_CAVEAT
from linkwell.advice.questions import BY_ID
from linkwell.advice.schemas import TriageIn, TriageOut
from linkwell.advice.triage import TriageResult, triage
from linkwell.auth.models import User
from linkwell.auth.roles import Role
from linkwell.auth.web import csrf_protect, require_roles
from linkwell.directory.presentation import display_name
from linkwell.errors import LinkwellError
from linkwell.geo.postcodes import normalise_postcode
from linkwell.referrals.domain import NOTES_MAX
from linkwell.web.deps import Id, Session, SessionDep, client_ip
from linkwell.web.templating import templates

router = APIRouter()
CASEWORK = require_roles(Role.LINK_WORKER)
ANSWER_PREFIX = "a_"

LEVEL_TEXT = {
    "self_help": "Information you can use yourself",
    "general_advice": "A general adviser",
    "specialist_casework": "A specialist adviser to take on your case",
    "legal_representation": "A lawyer or adviser to represent you",
}
LEGAL_AID_TEXT = {
    "likely_in_scope": "Likely to be covered by legal aid",
    "possibly_in_scope": "Possibly covered by legal aid",
    "likely_out_of_scope": "Not usually covered by legal aid",
    "unknown": "We cannot say",
}
# Advice categories as the referrals area's reasons for an onward referral.
REFERRAL_REASON = {
    "debt": "debt", "welfare_benefits": "benefits", "housing": "housing",
    "employment": "employment", "immigration": "legal", "community_care": "legal",
    "education": "legal", "discrimination": "legal", "other": "other",
}


def run_triage(request: Request, session: Session, *, text: str | None, answers: dict,
               postcode: str | None, language: str | None,
               today: date | None = None) -> TriageResult:
    """Triage, then find providers; a malformed postcode is refused before anything is done."""
    postcode = (postcode or "").strip() or None
    if postcode is not None:
        postcode = normalise_postcode(postcode)
    result = triage(text, answers, today=today or date.today())
    settings = request.app.state.settings
    with session.begin():
        providers, notes = routing.find_providers(
            session, result, postcode=postcode, language=(language or "").strip() or None,
            stale_after_days=settings.stale_after_days)
    result.providers = [p.as_dict() for p in providers]
    result.notes.extend(notes)
    return result


@router.post("/api/advice/triage", tags=["advice"], response_model=TriageOut)
def triage_api(body: TriageIn, request: Request, session: SessionDep) -> dict:
    """Spot the social-welfare legal problem, its urgency and deadlines, and route to help.

    Nothing is stored and the text is never logged. Empty text, unknown question ids and
    malformed dates or postcodes are answered with 422 (application/problem+json).
    """
    result = run_triage(request, session, text=body.text, answers=body.answers,
                        postcode=body.postcode, language=body.language)
    return result.as_dict()


# --- Pages -----------------------------------------------------------------------------------

def _form_answers(form) -> dict[str, str]:
    return {key[len(ANSWER_PREFIX):]: str(value) for key, value in form.multi_items()
            if key.startswith(ANSWER_PREFIX) and key[len(ANSWER_PREFIX):] in BY_ID}


def _error_map(error: LinkwellError) -> dict[str, str]:
    """Form field id -> message, for the error summary and the fields themselves."""
    errors: dict[str, str] = {}
    for item in error.errors or [{"field": "text", "message": error.detail}]:
        field = str(item.get("field", "text"))
        if field.startswith("answers."):
            field = ANSWER_PREFIX + field[len("answers."):]
        errors.setdefault(field, str(item.get("message") or error.detail))
    if list(errors) == ["text"]:
        errors["text"] = error.detail
    return errors


def _questions_only(text: str) -> TriageResult | None:
    """When answers are wrong, still show the questions for the description, if it reads."""
    try:
        return triage(text, {}, today=date.today())
    except LinkwellError:
        return None


def _context(result: TriageResult | None, *, text: str, postcode: str, language: str,
             answers: dict, errors: dict[str, str] | None = None) -> dict:
    return {
        "result": result, "data": result.as_dict() if result else None, "text": text,
        "postcode": postcode, "language": language, "answers": answers,
        "errors": errors or {}, "level_text": LEVEL_TEXT, "legal_aid_text": LEGAL_AID_TEXT,
        "legal_aid_caveat": LEGAL_AID_CAVEAT, "categories": BY_CODE,
        "display_name": display_name,
    }


def _render_triage(request: Request, session: Session, template: str, extra: dict,
                   form) -> HTMLResponse:
    """Triage the submitted form and render the page (runs in the thread pool)."""
    text = str(form.get("text", ""))
    postcode = str(form.get("postcode", ""))
    language = str(form.get("language", ""))
    answers = _form_answers(form)
    try:
        result = run_triage(request, session, text=text, answers=answers, postcode=postcode,
                            language=language)
    except LinkwellError as error:
        context = _context(_questions_only(text), text=text, postcode=postcode,
                           language=language, answers=answers, errors=_error_map(error))
        return templates.TemplateResponse(request, template, {**context, **extra},
                                          status_code=error.status)
    context = _context(result, text=text, postcode=postcode, language=language,
                       answers={k: v for k, v in answers.items() if v})
    return templates.TemplateResponse(request, template, {**context, **extra})


@router.get("/advice", response_class=HTMLResponse, include_in_schema=False)
def advice_page(request: Request):
    return templates.TemplateResponse(
        request, "advice/advice.html",
        _context(None, text="", postcode="", language="", answers={}))


@router.post("/advice", response_class=HTMLResponse, include_in_schema=False,
             dependencies=[Depends(csrf_protect)])
async def advice_submit(request: Request, session: SessionDep):
    form = await request.form()
    return await run_in_threadpool(_render_triage, request, session, "advice/advice.html", {},
                                   form)


# --- The link worker's advice page and the warm referral -------------------------------------

def _episode_person(request: Request, session: Session, user: User, episode_id: int) -> int:
    """The person whose open episode this is, if this link worker may manage it (else 404);
    the read is audited."""
    from linkwell.referrals.queries import episode_for

    with session.begin():
        return episode_for(session, by=user, episode_id=episode_id,
                           source_ip=client_ip(request), page="advice").person_id


@router.get("/episodes/{episode_id}/advice", response_class=HTMLResponse,
            include_in_schema=False)
def episode_advice_page(request: Request, episode_id: Id, session: SessionDep,
                        user: User = Depends(CASEWORK)):
    person_id = _episode_person(request, session, user, episode_id)
    context = _context(None, text="", postcode="", language="", answers={})
    return templates.TemplateResponse(request, "advice/episode_advice.html", {
        **context, "episode_id": episode_id, "person_id": person_id})


@router.post("/episodes/{episode_id}/advice", response_class=HTMLResponse,
             include_in_schema=False, dependencies=[Depends(csrf_protect)])
async def episode_advice_submit(request: Request, episode_id: Id, session: SessionDep,
                                user: User = Depends(CASEWORK)):
    form = await request.form()

    def work() -> HTMLResponse:
        person_id = _episode_person(request, session, user, episode_id)
        return _render_triage(request, session, "advice/episode_advice.html", {
            "episode_id": episode_id, "person_id": person_id,
            "save_action": f"/episodes/{episode_id}/advice/save"}, form)

    return await run_in_threadpool(work)


def referral_summary(result: TriageResult, text: str) -> tuple[str, dict]:
    """The short summary and the attached triage, so the person need not tell it all again."""
    problems = "; ".join(
        f"{c.label}" + (f" ({', '.join(BY_CODE[c.code].sub_issue(s).label for s in c.sub_issues)})"
                        if c.sub_issues else "") for c in result.categories) or "Not classified"
    lines = [f"Advice triage: {problems}.",
             f"Urgent: {'yes - ' + '; '.join(result.urgent_reasons) if result.urgent else 'no'}.",
             f"Level of help: {LEVEL_TEXT[result.level.value]}.",
             f"Legal aid (indication): {LEGAL_AID_TEXT[result.legal_aid.value]}."]
    lines += [f"Deadline: {d.what} {d.date.isoformat()}." for d in result.deadlines]
    summary = " ".join(lines)[:1000]
    attachment = {
        "title": "Advice triage summary",
        "categories": [{"code": c.code, "sub_issues": c.sub_issues,
                        "confidence": round(c.confidence, 2)} for c in result.categories],
        "urgent_reasons": result.urgent_reasons,
        "deadlines": [{"what": d.what, "date": d.date.isoformat()} for d in result.deadlines],
        "level": result.level.value, "legal_aid": result.legal_aid.value,
        "answers": {k: (v.isoformat() if isinstance(v, date) else v)
                    for k, v in result.answers.items()},
        "text": "",
    }
    # The person's own words, as much as fits the referrals area's attachment limit.
    room = NOTES_MAX - len(str(attachment))
    attachment["text"] = text[:max(0, room)]
    while len(str(attachment)) > NOTES_MAX:  # escaping can lengthen the text a little
        attachment["text"] = attachment["text"][:-50]
    return summary, attachment


@router.post("/episodes/{episode_id}/advice/referrals", include_in_schema=False,
             dependencies=[Depends(csrf_protect)])
async def warm_referral(request: Request, episode_id: Id, session: SessionDep,
                        user: User = Depends(CASEWORK)):
    """Send the person to an adviser with the triage attached, once they have consented."""
    form = await request.form()
    return await run_in_threadpool(_send_warm_referral, request, session, user, episode_id,
                                   form)


def _send_warm_referral(request: Request, session: Session, user: User, episode_id: int,
                        form) -> RedirectResponse:
    from linkwell.referrals import onward_commands

    if form.get("consent") != "yes":
        # Say what is missing on the same page, with the triage and what was typed kept.
        person_id = _episode_person(request, session, user, episode_id)
        response = _render_triage(request, session, "advice/episode_advice.html", {
            "episode_id": episode_id, "person_id": person_id,
            "save_action": f"/episodes/{episode_id}/advice/save",
            "consent_missing": str(form.get("service_id", ""))}, form)
        response.status_code = 422
        return response
    text = str(form.get("text", ""))
    result = triage(text, _form_answers(form), today=date.today())
    summary, attachment = referral_summary(result, text)
    service_id = str(form.get("service_id", ""))
    person_id = _episode_person(request, session, user, episode_id)
    with session.begin():
        # The referral's reason is the person's problem that this service advises on.
        covered = routing.categories_of_service(session, service_id)
        main = next((c for c in result.codes if c in covered), None) or \
            (result.codes[0] if result.codes else "other")
        onward_commands.send_onward_referral(
            session, by=user, episode_id=episode_id, service_id=service_id,
            reason=REFERRAL_REASON[main], summary=summary, attachments=[attachment],
            source_ip=client_ip(request))
        advice_commands.save_triage(session, by=user, episode_id=episode_id, result=result,
                                    source_ip=client_ip(request))
    return RedirectResponse(f"/people/{person_id}?saved=onward", status_code=303)


@router.post("/episodes/{episode_id}/advice/save", include_in_schema=False,
             dependencies=[Depends(csrf_protect)])
async def save_triage_page(request: Request, episode_id: Id, session: SessionDep,
                           user: User = Depends(CASEWORK)):
    """Keep the triage on the person's episode, so urgent cases surface on the case list."""
    form = await request.form()
    return await run_in_threadpool(_save_triage, request, session, user, episode_id, form)


def _save_triage(request: Request, session: Session, user: User, episode_id: int,
                 form) -> RedirectResponse:
    result = triage(str(form.get("text", "")), _form_answers(form), today=date.today())
    _episode_person(request, session, user, episode_id)
    with session.begin():
        advice_commands.save_triage(session, by=user, episode_id=episode_id, result=result,
                                    source_ip=client_ip(request))
    return RedirectResponse("/advice/cases", status_code=303)


@router.get("/advice/cases", response_class=HTMLResponse, include_in_schema=False)
def advice_cases_page(request: Request, session: SessionDep, user: User = Depends(CASEWORK)):
    with session.begin():
        cases = queries.advice_cases(session, by=user, source_ip=client_ip(request))
    return templates.TemplateResponse(request, "advice/cases.html", {
        "cases": cases, "level_text": LEVEL_TEXT, "legal_aid_text": LEGAL_AID_TEXT,
        "categories": BY_CODE, "today": date.today(), "british": british})
