"""Casework pages and API: tasks and appointments on an episode, the diary, the calendar
feed, consent to messages and the outbox, and the person record as JSON (``/api/people/{id}``,
which composes the referrals area's record with the casework on it).

Handlers stay thin: one unit of work around one command or query (``referrals.web.run``; a
policy refusal is audited by the application's error handler). The API's POSTs honour
``Idempotency-Key``; its PATCHes take the ``ETag`` back as ``If-Match`` (428 without it).
"""

import hmac
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from linkwell import audit
from linkwell.auth.models import User
from linkwell.auth.roles import Role
from linkwell.auth.web import csrf_protect, require_roles
from linkwell.casework import calendar, commands, domain, plan, queries
from linkwell.casework import pages as plan_pages
from linkwell.casework.domain import AppointmentKind, AppointmentOutcome, Channel, Week
from linkwell.casework.schemas import (
    AppointmentChange,
    AppointmentIn,
    AppointmentOut,
    AppointmentVersionOut,
    DeliveryReceipt,
    TaskChange,
    TaskIn,
    TaskOut,
    TaskVersionOut,
)
from linkwell.errors import Forbidden, InvalidInput, LinkwellError, NotFound
from linkwell.outcomes.schedule import Timepoint
from linkwell.referrals import domain as referral_domain
from linkwell.referrals import queries as referral_queries
from linkwell.referrals.api import referral_out
from linkwell.referrals.commands import load_episode
from linkwell.referrals.queries import episode_for
from linkwell.referrals.schemas import EpisodeOut, OnwardReferralOut
from linkwell.referrals.web import CASE_READERS, IfMatch, etag, if_match, run
from linkwell.web import forms
from linkwell.web.deps import Id, Session, SessionDep, client_ip, form_int
from linkwell.web.templating import templates

router = APIRouter()
api = APIRouter(prefix="/api", tags=["casework"])
pages = APIRouter(include_in_schema=False)

CASEWORK = require_roles(Role.LINK_WORKER)
IdempotencyKey = Annotated[str | None, Header(description="Retry safely: the same key "
                                                          "returns the first result")]
# Why a message was not sent, as the person's record says it.
REFUSALS = {
    "consent": "They have not agreed to messages on that channel: record their consent "
               "under \"Messages\" first.",
    "phone": "Their phone number is missing, not a real number, or not a mobile.",
    "email": "Their e-mail address is missing or not valid.",
    "channel": "Choose e-mail or text message.",
    "measure": "That measure cannot be sent now: see the outcome measures for this episode.",
}
KIND_LABELS = {k.value: k.label.lower() for k in AppointmentKind}
OUTCOME_LABELS = {o.value: o.label for o in AppointmentOutcome}
INSTRUMENTS = [("swemwbs", "SWEMWBS (7 questions)"), ("wemwbs", "WEMWBS (14 questions)"),
               ("ons4", "ONS4 personal wellbeing"), ("ucla3", "UCLA 3-item loneliness")]


def _appointment_out(booking: commands.Booking) -> AppointmentOut:
    out = AppointmentOut.model_validate(booking.appointment)
    out.warnings = [domain.WARNINGS[w] for w in booking.warnings]
    return out


def _listed(request: Request, session: Session, user: User, query: Callable, out,
            **ids) -> list:
    """The list routes differ only in the audited read and the shape of each row."""
    rows = run(request, session, lambda: query(session, by=user, source_ip=client_ip(request),
                                               **ids))
    return [out.model_validate(row) for row in rows]


def _created(body, created: bool, location: str) -> JSONResponse:
    return JSONResponse(body.model_dump(mode="json"), status_code=201 if created else 200,
                        headers={"ETag": etag(body.version), "Location": location})


# --- JSON API --------------------------------------------------------------------------------

@api.get("/people/{person_id}")
def person_api(request: Request, person_id: Id, session: SessionDep,
               user: User = Depends(CASE_READERS)) -> dict:
    """A person's record with the timeline of every event (each read is audited): the
    referrals area's record with the casework on it, as the record page shows them."""
    def work():
        record = referral_queries.person_record(
            session, by=user, person_id=person_id, settings=request.app.state.settings,
            source_ip=client_ip(request))
        return record, queries.casework_of(
            session, [e.id for e in record.episodes], [g.id for g in record.goals])

    record, casework = run(request, session, work)
    p = record.person
    return {
        "person": {"id": p.id, "given_name": p.given_name, "family_name": p.family_name,
                   "birth_date": p.birth_date.isoformat(), "nhs_number": p.nhs_number,
                   "postcode": p.postcode, "lsoa11cd": p.lsoa11cd, "language": p.language,
                   "interpreter_needed": p.interpreter_needed},
        "referrals": [referral_out(r, []).model_dump(mode="json") for r in record.referrals],
        "episodes": [EpisodeOut.model_validate(e).model_dump(mode="json")
                     for e in record.episodes],
        "onward_referrals": [OnwardReferralOut.model_validate(o.onward).model_dump(mode="json")
                             for o in record.onward],
        "possible_duplicates": [d.duplicate_of_id if d.person_id == p.id else d.person_id
                                for d in record.duplicates],
        "timeline": [{"at": t.at.isoformat(), "kind": t.kind, "text": t.text,
                      "snomed_code": t.snomed} for t in record.timeline],
        **_casework_out(record, casework),
    }


def _casework_out(record: referral_queries.PersonRecord, casework) -> dict:
    """What the record page shows of the casework, from the episodes this user may see
    (none for a referrer: ADR 0012)."""
    return {
        "what_matters_to_me": [
            {"episode_id": a.episode_id, "recorded_at": a.assessed_at.isoformat(),
             "text": a.what_matters_to_me} for a in record.assessments if a.what_matters_to_me],
        "needs": [{"domain": code, "display": referral_domain.NEEDS_DOMAINS[code].display,
                   "score": score, "label": referral_domain.NEED_SCALE[score]}
                  for code, score in record.latest_needs.items()],
        "contacts": [{"id": c.id, "episode_id": c.episode_id,
                      "occurred_at": c.occurred_at.isoformat(), "mode": c.mode,
                      "duration_minutes": c.duration_minutes, "note": c.note}
                     for c in record.contacts],
        "goals": [{"id": g.id, "episode_id": g.episode_id, "description": g.description,
                   "domain": g.domain, "agreed_at": g.agreed_at.isoformat(),
                   "progress": [{"progress": r.progress,
                                 "label": plan.GOAL_PROGRESS[r.progress],
                                 "note": r.note, "recorded_at": r.recorded_at.isoformat()}
                                for r in casework.progress.get(g.id, [])]}
                  for g in record.goals],
        "tasks": [TaskOut.model_validate(t).model_dump(mode="json") for t in casework.tasks],
        "appointments": [AppointmentOut.model_validate(a).model_dump(mode="json")
                         for a in casework.appointments],
    }


@api.post("/episodes/{episode_id}/tasks", response_model=TaskOut, status_code=201,
          dependencies=[Depends(csrf_protect)])
def create_task(request: Request, episode_id: Id, data: TaskIn, session: SessionDep,
                user: User = Depends(CASEWORK), idempotency_key: IdempotencyKey = None):
    """Add a task (follow-up call, six-week review…). A retry with the same
    ``Idempotency-Key`` gets the first answer again instead of adding another."""
    task, created = run(request, session, lambda: commands.add_task(
        session, by=user, episode_id=episode_id, title=data.title, due_date=data.due_date,
        assigned_to_id=data.assigned_to_id, idempotency_key=idempotency_key,
        source_ip=client_ip(request)))
    return _created(TaskOut.model_validate(task), created, f"/api/tasks/{task.id}")


@api.get("/episodes/{episode_id}/tasks", response_model=list[TaskOut])
def list_tasks(request: Request, episode_id: Id, session: SessionDep,
               user: User = Depends(CASEWORK)):
    return _listed(request, session, user, queries.episode_tasks, TaskOut,
                   episode_id=episode_id)


@api.patch("/tasks/{task_id}", response_model=TaskOut, dependencies=[Depends(csrf_protect)])
def change_task(request: Request, task_id: Id, data: TaskChange, response: Response,
                session: SessionDep, user: User = Depends(CASEWORK),
                if_match_header: IfMatch = None):
    """Change a task (send its ETag as If-Match); the version before is kept."""
    version = if_match(if_match_header)
    task = run(request, session, lambda: commands.update_task(
        session, by=user, task_id=task_id, version=version, source_ip=client_ip(request),
        **data.model_dump(exclude_unset=True)))
    response.headers["ETag"] = etag(task.version)
    return TaskOut.model_validate(task)


@api.get("/tasks/{task_id}/versions", response_model=list[TaskVersionOut])
def task_versions(request: Request, task_id: Id, session: SessionDep,
                  user: User = Depends(CASEWORK)):
    return _listed(request, session, user, queries.task_history, TaskVersionOut,
                   task_id=task_id)


@api.post("/episodes/{episode_id}/appointments", response_model=AppointmentOut,
          status_code=201, dependencies=[Depends(csrf_protect)])
def create_appointment(request: Request, episode_id: Id, data: AppointmentIn,
                       session: SessionDep, user: User = Depends(CASEWORK),
                       idempotency_key: IdempotencyKey = None):
    """Book an appointment. One in the past, or overlapping another of the link worker's,
    is booked and answered with ``warnings``."""
    booking = run(request, session, lambda: commands.book_appointment(
        session, by=user, episode_id=episode_id, starts_at=data.starts_at,
        ends_at=data.ends_at, kind=data.kind, place=data.place,
        link_worker_id=data.link_worker_id, idempotency_key=idempotency_key,
        source_ip=client_ip(request)))
    return _created(_appointment_out(booking), booking.created,
                    f"/api/appointments/{booking.appointment.id}")


@api.get("/episodes/{episode_id}/appointments", response_model=list[AppointmentOut])
def list_appointments(request: Request, episode_id: Id, session: SessionDep,
                      user: User = Depends(CASEWORK)):
    return _listed(request, session, user, queries.episode_appointments, AppointmentOut,
                   episode_id=episode_id)


@api.patch("/appointments/{appointment_id}", response_model=AppointmentOut,
           dependencies=[Depends(csrf_protect)])
def change_appointment(request: Request, appointment_id: Id, data: AppointmentChange,
                       response: Response, session: SessionDep,
                       user: User = Depends(CASEWORK), if_match_header: IfMatch = None):
    """Move an appointment or record attended, did-not-attend or cancelled (If-Match)."""
    version = if_match(if_match_header)
    booking = run(request, session, lambda: commands.update_appointment(
        session, by=user, appointment_id=appointment_id, version=version,
        source_ip=client_ip(request), **data.model_dump(exclude_unset=True)))
    response.headers["ETag"] = etag(booking.appointment.version)
    return _appointment_out(booking)


@api.get("/appointments/{appointment_id}/versions", response_model=list[AppointmentVersionOut])
def appointment_versions(request: Request, appointment_id: Id, session: SessionDep,
                         user: User = Depends(CASEWORK)):
    return _listed(request, session, user, queries.appointment_history,
                   AppointmentVersionOut, appointment_id=appointment_id)


# --- Pages ------------------------------------------------------------------------------------

# The person page (referrals) includes casework/_person_panel.html, which reads these.
templates.env.globals.update(casework_domain=domain, casework_instruments=INSTRUMENTS,
                             casework_timepoints=list(Timepoint), casework_refusals=REFUSALS)


def page(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, f"casework/{name}",
                                      {"domain": domain, **context}, status_code=status)


def _errors(exc: LinkwellError, default: str) -> dict[str, str]:
    return forms.field_errors(exc, default, messages=True)


def _person_redirect(session: Session, episode_id: Id, **query) -> RedirectResponse:
    """Back to the record, saying what happened with a code (never free text in the URL)."""
    person_id = referral_queries.person_of_episode(session, episode_id)
    return RedirectResponse(f"/people/{person_id}?{urlencode(query, doseq=True)}#casework",
                            status_code=303)


def _date_or_none(value: str) -> date | None:
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _parsed(parse: Callable[[str], date | time], value: str, field: str,
            message: str) -> date | time:
    """A form's date (``date.fromisoformat``) or time (``time.fromisoformat``), or the field's
    error."""
    try:
        return parse(str(value).strip())
    except ValueError:
        raise domain.field_error(field, message) from None


def _episode_form(request: Request, session: Session, user: User, episode_id: Id, name: str,
                  *, values=None, errors: dict | None = None, **context) -> HTMLResponse:
    """A task or appointment form: blank (the episode's read audited), or again with the
    answers and what was wrong (422; that read was audited when the form was first shown)."""
    if errors is None:
        episode = run(request, session, lambda: episode_for(
            session, by=user, episode_id=episode_id, source_ip=client_ip(request)))
        return page(request, name, {"episode": episode, "values": {}, "errors": {}, **context})
    episode = run(request, session, lambda: load_episode(session, by=user, episode_id=episode_id))
    return page(request, name, {"episode": episode, "values": values, "errors": errors,
                                **context}, 422)


@pages.get("/episodes/{episode_id}/tasks/new", response_class=HTMLResponse)
def task_form(request: Request, episode_id: Id, session: SessionDep,
              user: User = Depends(CASEWORK)):
    return _episode_form(request, session, user, episode_id, "task_form.html")


@pages.post("/episodes/{episode_id}/tasks", dependencies=[Depends(csrf_protect)])
async def task_post(request: Request, episode_id: Id, session: SessionDep,
                    user: User = Depends(CASEWORK)):
    form = await request.form()
    try:
        due = _date_or_none(form.get("due_date", ""))
        run(request, session, lambda: commands.add_task(
            session, by=user, episode_id=episode_id, title=form.get("title", ""),
            due_date=due, idempotency_key=form.get("form_token") or None,
            source_ip=client_ip(request)))
    except InvalidInput as exc:
        return _episode_form(request, session, user, episode_id, "task_form.html",
                             values=form, errors=_errors(exc, "title"))
    return _person_redirect(session, episode_id, saved="task")


@pages.post("/tasks/{task_id}/done", dependencies=[Depends(csrf_protect)])
async def task_done(request: Request, task_id: Id, session: SessionDep,
                    user: User = Depends(CASEWORK)):
    form = await request.form()
    task = run(request, session, lambda: commands.update_task(
        session, by=user, task_id=task_id, version=form_int(form.get("version")),
        done=form.get("done", "yes") == "yes", source_ip=client_ip(request)))
    return _person_redirect(session, task.episode_id, saved="task-done")


@pages.get("/episodes/{episode_id}/appointments/new", response_class=HTMLResponse)
def appointment_form(request: Request, episode_id: Id, session: SessionDep,
                     user: User = Depends(CASEWORK)):
    return _episode_form(request, session, user, episode_id, "appointment_form.html",
                         kinds=list(AppointmentKind))


@pages.post("/episodes/{episode_id}/appointments", dependencies=[Depends(csrf_protect)])
async def appointment_post(request: Request, episode_id: Id, session: SessionDep,
                           user: User = Depends(CASEWORK)):
    form = await request.form()
    try:
        when = domain.validated(
            date=lambda: _parsed(date.fromisoformat, form.get("date", ""), "date",
                                 "Enter a real date for the appointment"),
            start=lambda: _parsed(time.fromisoformat, form.get("start_time", ""), "start_time",
                                  "Enter the start time, like 14:30"),
            end=lambda: _parsed(time.fromisoformat, form.get("end_time", ""), "end_time",
                                "Enter the end time, like 15:00"),
            kind=lambda: domain.check_kind(form.get("kind", "")))
        starts = domain.uk_datetime(when["date"], when["start"])
        ends = domain.uk_datetime(when["date"], when["end"])
        booking = run(request, session, lambda: commands.book_appointment(
            session, by=user, episode_id=episode_id, starts_at=starts, ends_at=ends,
            kind=form.get("kind", ""), place=form.get("place", ""),
            idempotency_key=form.get("form_token") or None, source_ip=client_ip(request)))
    except InvalidInput as exc:
        errors = {{"starts_at": "start_time", "ends_at": "end_time"}.get(k, k): v
                  for k, v in _errors(exc, "date").items()}
        return _episode_form(request, session, user, episode_id, "appointment_form.html",
                             values=form, errors=errors, kinds=list(AppointmentKind))
    return _person_redirect(session, episode_id, saved="appointment",
                            warning=booking.warnings)


@pages.post("/appointments/{appointment_id}/outcome", dependencies=[Depends(csrf_protect)])
async def appointment_outcome(request: Request, appointment_id: Id, session: SessionDep,
                              user: User = Depends(CASEWORK)):
    form = await request.form()
    booking = run(request, session, lambda: commands.update_appointment(
        session, by=user, appointment_id=appointment_id,
        version=form_int(form.get("version")), outcome=form.get("outcome", ""),
        source_ip=client_ip(request)))
    return _person_redirect(session, booking.appointment.episode_id, saved="outcome")


# --- Messages ---------------------------------------------------------------------------------

def _refusal_redirect(session: Session, episode_id: Id, exc: LinkwellError):
    """A refused message goes back to the record with the reason (``REFUSALS``) in an error
    summary."""
    fields = [e.get("field") for e in exc.errors if isinstance(e, dict)]
    reason = next((f for f in fields if f in REFUSALS), "measure")
    return _person_redirect(session, episode_id, refused=reason)


@pages.post("/people/{person_id}/message-consent", dependencies=[Depends(csrf_protect)])
async def consent_post(request: Request, person_id: Id, session: SessionDep,
                       user: User = Depends(CASEWORK)):
    form = await request.form()

    def work():
        for channel in Channel:
            commands.record_consent(session, by=user, person_id=person_id, channel=channel,
                                    agreed=form.get(f"consent-{channel.value}") == "yes",
                                    source_ip=client_ip(request))
        return referral_queries.open_episode_of(session, person_id)

    episode_id = run(request, session, work)
    return _person_redirect(session, episode_id, saved="consent")


@pages.post("/appointments/{appointment_id}/reminder", dependencies=[Depends(csrf_protect)])
async def reminder_post(request: Request, appointment_id: Id, session: SessionDep,
                        user: User = Depends(CASEWORK)):
    def work():
        appointment = commands.load_appointment(session, by=user,
                                                appointment_id=appointment_id)
        return appointment.episode_id, appointment

    episode_id, _ = run(request, session, work)
    try:
        run(request, session, lambda: commands.send_reminder(
            session, by=user, appointment=commands.load_appointment(
                session, by=user, appointment_id=appointment_id),
            settings=request.app.state.settings, source_ip=client_ip(request)))
    except InvalidInput as exc:
        return _refusal_redirect(session, episode_id, exc)
    return _person_redirect(session, episode_id, saved="message")


@pages.post("/episodes/{episode_id}/messages/measure", dependencies=[Depends(csrf_protect)])
async def measure_link_post(request: Request, episode_id: Id, session: SessionDep,
                            user: User = Depends(CASEWORK)):
    form = await request.form()
    try:
        run(request, session, lambda: commands.send_measure_link(
            session, by=user, episode_id=episode_id, instrument=form.get("instrument", ""),
            timepoint=form.get("timepoint", ""), settings=request.app.state.settings,
            channel=form.get("channel") or None, source_ip=client_ip(request)))
    except LinkwellError as exc:
        if exc.status == 404:
            raise
        return _refusal_redirect(session, episode_id, exc)
    return _person_redirect(session, episode_id, saved="message")


@pages.get("/messages", response_class=HTMLResponse)
def outbox_page(request: Request, session: SessionDep, user: User = Depends(CASEWORK),
                status: str = ""):
    rows = run(request, session, lambda: queries.outbox(
        session, by=user, status=status or None, source_ip=client_ip(request)))
    return page(request, "outbox.html", {
        "rows": rows, "status": status, "statuses": list(domain.MessageStatus),
        "notify_configured": bool(request.app.state.settings.notify_api_key)})


@pages.post("/messages/{message_id}/retry", dependencies=[Depends(csrf_protect)])
async def retry_post(request: Request, message_id: Id, session: SessionDep,
                     user: User = Depends(CASEWORK)):
    run(request, session, lambda: commands.retry_message(
        session, by=user, message_id=message_id, source_ip=client_ip(request)))
    return RedirectResponse("/messages?status=queued", status_code=303)


# --- The diary and its calendar feed ---------------------------------------------------------

@pages.get("/diary", response_class=HTMLResponse)
def diary_page(request: Request, session: SessionDep, user: User = Depends(CASEWORK),
               week: str = "", worker: int | None = None):
    today = datetime.now(UTC).astimezone(domain.LONDON).date()
    try:
        chosen = Week.parse(week, today)
    except InvalidInput as exc:
        chosen, error = Week.parse(None, today), exc.detail
    else:
        error = None

    def work():
        return (queries.diary(session, by=user, worker_id=worker, week=chosen, today=today,
                              source_ip=client_ip(request)),
                queries.has_feed(session, user.id))

    diary, has_feed = run(request, session, work)
    return page(request, "diary.html", {"diary": diary, "today": today, "error": error,
                                        "has_feed": has_feed,
                                        "kinds": KIND_LABELS, "outcomes": OUTCOME_LABELS})


@pages.post("/diary/feed", response_class=HTMLResponse, dependencies=[Depends(csrf_protect)])
async def feed_post(request: Request, session: SessionDep, user: User = Depends(CASEWORK)):
    """A new secret address for the calendar feed; any earlier one stops working."""
    secret = run(request, session, lambda: commands.new_calendar_secret(
        session, by=user, source_ip=client_ip(request)))
    url = request.app.state.settings.public_link(f"/calendar/{secret}.ics")
    return page(request, "feed.html", {"url": url}, 201)


@router.get("/calendar/{secret}.ics", include_in_schema=False)
def calendar_feed(request: Request, secret: str, session: SessionDep):
    """The link worker's appointments as iCalendar, for their own calendar application.
    The secret in the address is the only key; a revoked or unknown one is 404."""
    with session.begin():
        owner = queries.feed_owner(session, secret)
        if owner is None:
            raise NotFound("There is no calendar at this address")
        body = calendar.feed(session, owner, now=datetime.now(UTC),
                             public_link=request.app.state.settings.public_link)
        audit.record(session, action="export", object_type="calendar_feed",
                     object_id=owner.id, **audit.actor(owner, client_ip(request)))
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, no-store"})


# --- GOV.UK Notify's delivery receipts ------------------------------------------------------

@api.post("/notify/callback", status_code=204, tags=["casework"])
def notify_callback(request: Request, data: DeliveryReceipt, session: SessionDep,
                    authorization: Annotated[str | None, Header()] = None):
    """Delivery receipts from GOV.UK Notify, with the bearer token set in its settings
    (``LINKWELL_NOTIFY_CALLBACK_TOKEN``). Unset, there is no callback (404)."""
    expected = request.app.state.settings.notify_callback_token
    if not expected:
        raise NotFound("There is no callback here")
    given = (authorization or "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise Forbidden("The callback token is not right")
    if data.reference:
        with session.begin():
            commands.record_delivery(session, reference=data.reference,
                                     notify_status=data.status, notify_id=data.id,
                                     source_ip=client_ip(request))
    return Response(status_code=204)


router.include_router(api)
router.include_router(pages)
router.include_router(plan_pages.router)
