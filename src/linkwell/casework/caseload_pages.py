"""The link worker's pages: the caseload (and its CSV), the person record, and the forms on
the record that change an episode (contacts, needs, goals, onward referrals, hold, hand-over,
close) or settle a possible duplicate; the suggestions page behind "Refer on".

They live in casework, above referrals and outcomes, because the record composes all three:
the referral and its episodes, casework's tasks, appointments and plan, and the outcome
measures and their chart. Templates are the referrals area's (``referrals/person.html``, …)."""

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime, time

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from linkwell.auth import policy
from linkwell.auth.models import User
from linkwell.auth.web import csrf_protect
from linkwell.casework import commands as casework_commands
from linkwell.casework import queries as casework_queries
from linkwell.directory.search import search_services
from linkwell.directory.search_query import SearchQuery
from linkwell.errors import Conflict, InvalidInput, NotFound, PreconditionFailed
from linkwell.outcomes import queries as outcomes_queries
from linkwell.outcomes import web as outcomes_web
from linkwell.outcomes.scoring import Change
from linkwell.referrals import commands, domain, onward_commands, queries, suggestions
from linkwell.referrals.pages import form_version, page
from linkwell.referrals.web import (
    CASE_READERS,
    CASEWORK,
    SETTLER_ROLES,
    SETTLERS,
    run,
)
from linkwell.web import forms
from linkwell.web.deps import Id, PageNumber, Session, SessionDep, client_ip, form_int
from linkwell.web.spreadsheet import safe_cell
from linkwell.web.templating import LONDON

router = APIRouter(include_in_schema=False)


def uk_wall_clock(day: str, clock: str) -> datetime:
    """A date and time as a form gives them, in UK time, as the UTC instant they name (so a
    contact entered for 10:00 in summer is 09:00 UTC and is shown again as 10:00)."""
    when = datetime.combine(date.fromisoformat(str(day).strip()),
                            time.fromisoformat(str(clock).strip()), tzinfo=LONDON)
    return when.astimezone(UTC)


@router.get("/caseload", response_class=HTMLResponse)
def caseload_page(request: Request, session: SessionDep, user: User = Depends(CASEWORK),
                  view: str = "active", sort: str = "name", q: str = "", mine: bool = False,
                  measure: bool = False):
    def work():
        rows = queries.caseload(
            session, by=user, settings=request.app.state.settings, view=view, sort=sort,
            text=q, mine=mine, source_ip=client_ip(request))
        # One batch for the whole caseload: the rows are the episodes this user may see.
        ids = [r.episode_id for r in rows if r.episode_id]
        episodes = queries.episode_rows(session, ids)
        return (rows, outcomes_queries.due_for_episodes(session, episodes),
                casework_queries.caseload_flags(session, ids),
                casework_queries.updated_since_seen(session, by=user,
                                                    person_ids=[r.person_id for r in rows]))

    rows, due, flags, updated = run(request, session, work)
    if measure:
        rows = [r for r in rows if r.episode_id in due and due[r.episode_id].due]
    return page(request, "caseload.html", {
        "rows": rows, "due": due, "view": view if view in queries.CASELOAD_VIEWS else "active",
        "flags": flags, "updated": updated, "sort": sort, "q": q, "mine": mine, "measure": measure,
        "views": queries.CASELOAD_VIEWS})


CSV_COLUMNS = ("name", "nhs_number", "referral_id", "status", "opened", "last_contact",
               "waiting_on_provider", "provider_overdue", "contact_overdue")


@router.get("/caseload/export.csv")
def caseload_csv(request: Request, session: SessionDep, user: User = Depends(CASEWORK)):
    """The signed-in link worker's own open caseload as CSV (audited as an export)."""
    rows = run(request, session, lambda: queries.caseload_export(
        session, by=user, settings=request.app.state.settings, source_ip=client_ip(request)))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r, nhs_number in rows:
        writer.writerow([safe_cell(v) for v in (
            r.name, nhs_number or "", r.referral_id, domain.Status(r.referral_status).label,
            f"{r.opened_at:%Y-%m-%d}" if r.opened_at else "",
            f"{r.last_contact_at:%Y-%m-%d}" if r.last_contact_at else "",
            r.waiting_on_provider, r.provider_overdue, "yes" if r.contact_overdue else "no")])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="my-caseload.csv"',
        "Cache-Control": "no-store"})


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person_page(request: Request, person_id: Id, session: SessionDep,
                user: User = Depends(CASE_READERS)):
    # Access first: a merged id redirects only someone who may see the surviving record.
    current = run(request, session, lambda: queries.current_person_id(
        session, by=user, person_id=person_id))
    if current != person_id:
        return RedirectResponse(f"/people/{current}", status_code=303)
    return _person_response(request, session, user, person_id)


def _person_response(request: Request, session: Session, user: User, person_id: int, *,
                     form: dict | None = None, status: int = 200) -> HTMLResponse:
    """The person record; ``form`` is the episode form that was refused (its ``name``, the
    ``values`` entered and the ``errors``), shown open with its messages."""
    record = run(request, session, lambda: queries.person_record(
        session, by=user, person_id=person_id, settings=request.app.state.settings,
        source_ip=client_ip(request)))
    episode = record.open_episode
    can_manage = episode is not None and policy.can_manage_caseload(user, episode.team_id)
    # Advice triage and outcome measures are casework: only for episodes this user manages.
    casework = [e for e in record.episodes if policy.can_manage_caseload(user, e.team_id)]
    workers, referral, due, chart, casework_panel = [], None, {}, None, None
    with session.begin():
        duplicates = queries.duplicate_views(session, by=user, record=record)
        casework_commands.mark_record_seen(session, by=user, person_id=person_id)
        if can_manage:
            referral = next(r for r in record.referrals if r.id == episode.referral_id)
            workers = [(w.id, w.display_name)
                       for w in queries.link_workers(session, episode.team_id)]
            casework_panel = casework_queries.person_panel(session, by=user, episode=episode,
                                                           source_ip=client_ip(request))
        if casework:
            due = outcomes_queries.due_for_episodes(session, casework)
            # Rendered here, not only fetched by htmx, so the chart shows without JavaScript.
            chart = {**outcomes_web.chart_context(session, user, (episode or casework[-1]).id,
                                                  client_ip(request)),
                     "Change": Change}
    return page(request, "person.html", {"record": record, "episode": episode,
                                         "referral": referral, "worker_options": workers,
                                         "can_manage": can_manage, "casework": casework,
                                         "due": due, "chart": chart,
                                         "duplicates": duplicates,
                                         "can_settle": bool(user.roles & SETTLER_ROLES),
                                         "casework_panel": casework_panel,
                                         "now": datetime.now(UTC),
                                         "failed": (form or {}).get("name"),
                                         "values": (form or {}).get("values", {}),
                                         "errors": (form or {}).get("errors", {})}, status)


@router.post("/duplicates/{flag_id}", dependencies=[Depends(csrf_protect)])
async def duplicate_page(request: Request, flag_id: Id, session: SessionDep,
                         user: User = Depends(SETTLERS)):
    """Settle a possible duplicate: ``decision`` is ``same`` (merge) or ``different``."""
    form = await request.form()
    decision = form.get("decision", "")
    if decision not in ("same", "different"):
        raise InvalidInput("Choose whether the two records are the same person.",
                           errors=[{"field": "decision", "message": "required"}])
    kept = run(request, session, lambda: commands.decide_possible_duplicate(
        session, by=user, flag_id=flag_id, same_person=decision == "same",
        source_ip=client_ip(request)))
    return RedirectResponse(f"/people/{kept.id}?saved=duplicate", status_code=303)


def _back_to_person(episode_id: int, session: Session, saved: str) -> RedirectResponse:
    """Back to the record, where a success banner says what was saved."""
    person_id = queries.person_of_episode(session, episode_id)
    return RedirectResponse(f"/people/{person_id}?saved={saved}", status_code=303)


# Each episode form on the person record: the field a refusal naming none is shown beside,
# and the record's ids for the fields commands name otherwise.
EPISODE_FORMS = {
    "contact": ("occurred_on", {"occurred_at": "occurred_on", "note": "contact-note"}),
    "needs": (f"score-{next(iter(domain.NEEDS_DOMAINS))}",
              {code: f"score-{code}" for code in domain.NEEDS_DOMAINS}),
    "goal": ("description", {"domain_code": "domain"}),
    "link-worker": ("link_worker_id", {}),
    "hold": ("hold-reason", {"reason": "hold-reason"}),
    "close": ("close-reason", {"reason": "close-reason"}),
}


def _on_person_record(request: Request, session: Session, user: User, episode_id: int,
                      name: str, form, command: Callable[[], object], *, saved: str):
    """Run an episode form's command, then go back to the record; if the command refuses
    what was entered, show the record again with that form open, as it was filled in, and
    its errors."""
    try:
        run(request, session, command)
    except (InvalidInput, Conflict, PreconditionFailed) as exc:
        default, ids = EPISODE_FORMS[name]
        errors = {ids.get(field, field): message
                  for field, message in forms.field_errors(exc, default).items()}
        person_id = run(request, session,
                        lambda: queries.person_of_episode(session, episode_id))
        return _person_response(request, session, user, person_id, status=exc.status, form={
            "name": name, "values": dict(form), "errors": errors})
    return _back_to_person(episode_id, session, saved)


def _episode_of_referral(session: Session, referral_id: int) -> int:
    episode = queries.episode_of_referral(session, referral_id)
    if episode is None:
        raise NotFound("No such referral")
    return episode.id


@router.post("/episodes/{episode_id}/contacts", dependencies=[Depends(csrf_protect)])
async def contact_page(request: Request, episode_id: Id, session: SessionDep,
                       user: User = Depends(CASEWORK)):
    form = await request.form()

    def record():
        try:
            occurred = uk_wall_clock(form.get("occurred_on", ""), form.get("occurred_time", ""))
        except ValueError:
            raise InvalidInput("Enter the date and time of the contact (UK time)",
                               field="occurred_on") from None
        minutes = form_int(form.get("duration_minutes"))
        if minutes is None:
            raise InvalidInput("Enter the length of the contact in whole minutes",
                               field="duration_minutes")
        return commands.record_contact(
            session, by=user, episode_id=episode_id, occurred_at=occurred,
            mode=form.get("mode", ""), duration_minutes=minutes, note=form.get("note", ""),
            source_ip=client_ip(request))

    return _on_person_record(request, session, user, episode_id, "contact", form, record,
                             saved="contact")


@router.post("/episodes/{episode_id}/needs", dependencies=[Depends(csrf_protect)])
async def needs_page(request: Request, episode_id: Id, session: SessionDep,
                     user: User = Depends(CASEWORK)):
    form = await request.form()
    scores = {code: int(form[f"score-{code}"]) for code in domain.NEEDS_DOMAINS
              if str(form.get(f"score-{code}", "")).isdigit()}
    return _on_person_record(
        request, session, user, episode_id, "needs", form,
        lambda: commands.record_needs_assessment(
            session, by=user, episode_id=episode_id,
            what_matters_to_me=form.get("what_matters_to_me", ""), scores=scores,
            source_ip=client_ip(request)), saved="needs")


@router.post("/episodes/{episode_id}/goals", dependencies=[Depends(csrf_protect)])
async def goal_page(request: Request, episode_id: Id, session: SessionDep,
                    user: User = Depends(CASEWORK)):
    form = await request.form()
    return _on_person_record(
        request, session, user, episode_id, "goal", form, lambda: commands.agree_goal(
            session, by=user, episode_id=episode_id, description=form.get("description", ""),
            domain_code=form.get("domain") or None, source_ip=client_ip(request)), saved="goal")


@router.get("/episodes/{episode_id}/suggestions", response_class=HTMLResponse)
def suggestions_page(request: Request, episode_id: Id, session: SessionDep,
                     user: User = Depends(CASEWORK), q: str = "", postcode: str = "",
                     page_number: PageNumber = 1):
    """Suggestions for every recorded need, and the whole directory searched as ``/find``
    searches it, each result one click from an onward referral."""
    errors: dict[str, str] = {}

    def work():
        groups = suggestions.suggest_by_need(session, by=user, episode_id=episode_id,
                                             source_ip=client_ip(request))
        found = None
        if q.strip() or postcode.strip():
            query = SearchQuery(text=q.strip()[:200] or None,
                                postcode=postcode.strip()[:10] or None, page=page_number,
                                per_page=10)
            try:
                found = search_services(session, query, stale_after_days=(
                    request.app.state.settings.stale_after_days))
            except NotFound:
                errors["postcode"] = "We do not know this postcode; check it or leave it out"
            except InvalidInput as exc:
                errors["q"] = exc.detail
        return groups, found, queries.load_episode(session, by=user, episode_id=episode_id)

    groups, found, episode = run(request, session, work)
    return page(request, "suggestions.html", {
        "groups": groups, "found": found, "episode": episode, "q": q, "postcode": postcode,
        "errors": errors}, 422 if errors else 200)


@router.post("/episodes/{episode_id}/onward-referrals", dependencies=[Depends(csrf_protect)])
async def onward_page(request: Request, episode_id: Id, session: SessionDep,
                      user: User = Depends(CASEWORK)):
    form = await request.form()
    run(request, session, lambda: onward_commands.send_onward_referral(
        session, by=user, episode_id=episode_id, service_id=form.get("service_id", ""),
        reason=form.get("reason", ""), summary=form.get("summary", ""),
        source_ip=client_ip(request)))
    return _back_to_person(episode_id, session, "onward")


@router.post("/episodes/{episode_id}/close", dependencies=[Depends(csrf_protect)])
async def close_page(request: Request, episode_id: Id, session: SessionDep,
                     user: User = Depends(CASEWORK)):
    form = await request.form()
    return _on_person_record(
        request, session, user, episode_id, "close", form, lambda: commands.close_episode(
            session, by=user, episode_id=episode_id, version=form_version(form),
            reason=form.get("reason", ""), source_ip=client_ip(request)), saved="closed")


@router.post("/referrals/{referral_id}/hold", dependencies=[Depends(csrf_protect)])
async def hold_page(request: Request, referral_id: Id, session: SessionDep,
                    user: User = Depends(CASEWORK)):
    form = await request.form()
    episode_id = run(request, session, lambda: _episode_of_referral(session, referral_id))
    return _on_person_record(
        request, session, user, episode_id, "hold", form, lambda: commands.hold_referral(
            session, by=user, referral_id=referral_id, version=form_version(form),
            reason=form.get("reason", ""), source_ip=client_ip(request)), saved="hold")


@router.post("/referrals/{referral_id}/resume", dependencies=[Depends(csrf_protect)])
async def resume_page(request: Request, referral_id: Id, session: SessionDep,
                      user: User = Depends(CASEWORK)):
    form = await request.form()
    referral = run(request, session, lambda: commands.resume_referral(
        session, by=user, referral_id=referral_id, version=form_version(form),
        source_ip=client_ip(request)))
    return RedirectResponse(f"/people/{referral.person_id}?saved=resumed", status_code=303)


@router.post("/episodes/{episode_id}/link-worker", dependencies=[Depends(csrf_protect)])
async def assign_page(request: Request, episode_id: Id, session: SessionDep,
                      user: User = Depends(CASEWORK)):
    form = await request.form()

    def assign():
        worker = form_int(form.get("link_worker_id"))
        if worker is None:
            raise InvalidInput("Choose the link worker to hand over to", field="link_worker_id")
        return commands.assign_link_worker(
            session, by=user, episode_id=episode_id, link_worker_id=worker,
            version=form_version(form), source_ip=client_ip(request))

    return _on_person_record(request, session, user, episode_id, "link-worker", form, assign,
                             saved="handed-over")


@router.post("/onward-referrals/{onward_id}/cancel", dependencies=[Depends(csrf_protect)])
async def cancel_page(request: Request, onward_id: Id, session: SessionDep,
                      user: User = Depends(CASEWORK)):
    form = await request.form()
    onward = run(request, session, lambda: onward_commands.cancel_onward_referral(
        session, by=user, onward_referral_id=onward_id, version=form_version(form),
        source_ip=client_ip(request)))
    return _back_to_person(onward.episode_id, session, "onward-cancelled")
