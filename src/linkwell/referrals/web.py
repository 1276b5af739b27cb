"""Referral pages, the JSON API (``/api``) and the FHIR endpoints (``/fhir``).

Handlers stay thin: each runs one unit of work (``with session.begin()``) around one command
or query, so a refusal or a bad value leaves nothing half-written. A refusal by
``auth.policy`` is answered as 404 and audited by the application's error handler. The API's
state changes take ``If-Match`` with the version from the ``ETag`` (412 when stale, 428 when
missing).
"""

import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, TypeVar

from fastapi import APIRouter, Body, Depends, Header, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linkwell import audit
from linkwell.auth import policy
from linkwell.auth.models import User
from linkwell.auth.roles import Role
from linkwell.auth.web import csrf_protect, require_roles
from linkwell.directory import organisations
from linkwell.errors import InvalidInput, LinkwellError, PreconditionRequired
from linkwell.outcomes import commands as outcomes_commands
from linkwell.outcomes import web as outcomes_web
from linkwell.outcomes.scoring import Change
from linkwell.referrals import commands, domain, fhir, queries, suggestions
from linkwell.referrals.models import Episode, OnwardReferral, Referral, StatusEvent
from linkwell.referrals.schemas import (
    AcceptIn,
    AssignIn,
    CapacityIn,
    CaseloadRowOut,
    CloseIn,
    ContactIn,
    DeclineIn,
    EpisodeOut,
    GoalIn,
    HoldIn,
    NeedsAssessmentIn,
    OnwardReferralIn,
    OnwardReferralOut,
    ReferralIn,
    ReferralOut,
    ResponseIn,
    StatusEventOut,
    SuggestionOut,
)
from linkwell.web.deps import client_ip, get_session
from linkwell.web.templating import templates

T = TypeVar("T")
router = APIRouter()
api = APIRouter(prefix="/api", tags=["referrals"])
fhir_router = APIRouter(prefix="/fhir", tags=["fhir"])
pages = APIRouter(include_in_schema=False)

REFERRERS = require_roles(Role.REFERRER, Role.LINK_WORKER, Role.ADMIN)
CASEWORK = require_roles(Role.LINK_WORKER)
CASE_READERS = require_roles(Role.REFERRER, Role.LINK_WORKER, Role.ADMIN)
SETTLER_ROLES = frozenset({Role.LINK_WORKER, Role.ADMIN})  # decide possible duplicates
SETTLERS = require_roles(*SETTLER_ROLES)
PROVIDERS = require_roles(Role.PROVIDER, Role.ADMIN)
LOOP = require_roles(Role.PROVIDER, Role.LINK_WORKER, Role.ADMIN)
FHIR_JSON = "application/fhir+json"
SessionDep = Annotated[Session, Depends(get_session)]


def run(request: Request, session: Session, work: Callable[[], T]) -> T:
    """One unit of work: committed, or rolled back on any error (a policy refusal is then
    audited by the application's error handler)."""
    with session.begin():
        return work()


def etag(version: int) -> str:
    return f'"{version}"'


def if_match(value: str | None) -> int:
    """The version an API client last saw; state changes must say which one."""
    if value is None:
        raise PreconditionRequired("Send If-Match with the ETag you last read")
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise InvalidInput("If-Match must be an ETag such as \"3\"")
    return int(text)


def _events(session: Session, object_type: str, object_id: int) -> list[StatusEvent]:
    return list(session.scalars(select(StatusEvent).where(
        StatusEvent.object_type == object_type, StatusEvent.object_id == object_id)
        .order_by(StatusEvent.id)))


def _referral_out(referral: Referral, events: list[StatusEvent]) -> ReferralOut:
    return ReferralOut(id=referral.id, person_id=referral.person_id, status=referral.status,
                       version=referral.version, source=referral.source,
                       reasons=referral.reasons, team_id=referral.team_id,
                       created_at=referral.created_at,
                       events=[StatusEventOut.model_validate(e) for e in events])


def _request_from(data: ReferralIn) -> commands.ReferralRequest:
    return commands.ReferralRequest(
        person=commands.PersonDetails(**data.person.model_dump()), source=data.source,
        reasons=data.reasons, notes=data.notes, consent_to_share=data.consent_to_share)


# --- JSON API --------------------------------------------------------------------------------

def _create_referral(request: Request, session: Session, user: User | None, data: ReferralIn,
                     key: str | None) -> Response:
    def work():
        referral, created = commands.submit_referral(
            session, by=user, request=_request_from(data), idempotency_key=key,
            source_ip=client_ip(request))
        # A new referral's history is the one event just written; a retry reads it back.
        events = ([commands.requested_event(referral, user)] if created
                  else _events(session, "referral", referral.id))
        return _referral_out(referral, events), created

    body, created = run(request, session, work)
    return JSONResponse(body.model_dump(mode="json"), status_code=201 if created else 200,
                        headers={"ETag": etag(body.version),
                                 "Location": f"/api/referrals/{body.id}"})


@api.post("/referrals", response_model=ReferralOut, status_code=201,
          dependencies=[Depends(csrf_protect)])
def create_referral(request: Request, data: ReferralIn, session: SessionDep,
                    user: User = Depends(REFERRERS),
                    idempotency_key: Annotated[str | None, Header()] = None):
    """Refer a person to social prescribing. Retrying with the same ``Idempotency-Key``
    returns the original referral (200) instead of creating another (201)."""
    return _create_referral(request, session, user, data, idempotency_key)


@api.post("/self-referrals", status_code=201, dependencies=[Depends(csrf_protect)])
def create_self_referral(request: Request, data: ReferralIn, session: SessionDep,
                         idempotency_key: Annotated[str | None, Header()] = None) -> dict:
    """A resident refers themself, without an account (source is always ``self``).

    The answer is only a reference number: an anonymous caller never reads a referral back.
    """
    referral, created = run(request, session, lambda: commands.submit_referral(
        session, by=None, request=_request_from(data), idempotency_key=idempotency_key,
        source_ip=client_ip(request)))
    return JSONResponse({"reference": referral.id, "received": True},
                        status_code=201 if created else 200)


@api.get("/referrals/{referral_id}", response_model=ReferralOut)
def get_referral(request: Request, referral_id: int, response: Response, session: SessionDep,
                 user: User = Depends(CASE_READERS)):
    referral, events = run(request, session, lambda: queries.referral_for(
        session, by=user, referral_id=referral_id, source_ip=client_ip(request)))
    response.headers["ETag"] = etag(referral.version)
    return _referral_out(referral, events)


@api.post("/referrals/{referral_id}/accept", response_model=EpisodeOut, status_code=201,
          dependencies=[Depends(csrf_protect)])
def accept_referral(request: Request, referral_id: int, session: SessionDep,
                    data: AcceptIn = Body(default_factory=AcceptIn),
                    user: User = Depends(CASEWORK),
                    if_match_header: Annotated[str | None, Header(alias="If-Match")] = None):
    """Accept onto the caseload: opens an episode (send the referral's ETag as If-Match)."""
    version = if_match(if_match_header)
    episode = run(request, session, lambda: commands.accept_referral(
        session, by=user, referral_id=referral_id, version=version,
        link_worker_id=data.link_worker_id, source_ip=client_ip(request)))
    return JSONResponse(EpisodeOut.model_validate(episode).model_dump(mode="json"),
                        status_code=201, headers={"ETag": etag(episode.version)})


def _referral_transition(request: Request, session: Session, response: Response,
                         if_match_header: str | None, command: Callable[..., Referral],
                         **arguments) -> ReferralOut:
    """Run one If-Match-guarded status change on a referral; answer it with its new ETag."""
    version = if_match(if_match_header)

    def work():
        referral = command(session, version=version, source_ip=client_ip(request), **arguments)
        return _referral_out(referral, _events(session, "referral", referral.id))

    body = run(request, session, work)
    response.headers["ETag"] = etag(body.version)
    return body


@api.post("/referrals/{referral_id}/decline", response_model=ReferralOut,
          dependencies=[Depends(csrf_protect)])
def decline_referral(request: Request, referral_id: int, data: DeclineIn, response: Response,
                     session: SessionDep, user: User = Depends(CASEWORK),
                     if_match_header: Annotated[str | None, Header(alias="If-Match")] = None):
    return _referral_transition(request, session, response, if_match_header,
                                commands.decline_referral, by=user, referral_id=referral_id,
                                reason=data.reason)


@api.post("/referrals/{referral_id}/hold", response_model=ReferralOut,
          dependencies=[Depends(csrf_protect)])
def hold_referral(request: Request, referral_id: int, data: HoldIn, response: Response,
                  session: SessionDep, user: User = Depends(CASEWORK),
                  if_match_header: Annotated[str | None, Header(alias="If-Match")] = None):
    """Put support on hold (FHIR ``on-hold``); ``/resume`` returns it to where it was."""
    return _referral_transition(request, session, response, if_match_header,
                                commands.hold_referral, by=user, referral_id=referral_id,
                                reason=data.reason)


@api.post("/referrals/{referral_id}/resume", response_model=ReferralOut,
          dependencies=[Depends(csrf_protect)])
def resume_referral(request: Request, referral_id: int, response: Response,
                    session: SessionDep, user: User = Depends(CASEWORK),
                    if_match_header: Annotated[str | None, Header(alias="If-Match")] = None):
    return _referral_transition(request, session, response, if_match_header,
                                commands.resume_referral, by=user, referral_id=referral_id)


@api.get("/episodes/{episode_id}", response_model=EpisodeOut)
def episode_api(request: Request, episode_id: int, response: Response, session: SessionDep,
                user: User = Depends(CASEWORK)):
    episode = run(request, session, lambda: queries.episode_for(
        session, by=user, episode_id=episode_id, source_ip=client_ip(request)))
    response.headers["ETag"] = etag(episode.version)
    return EpisodeOut.model_validate(episode)


@api.post("/episodes/{episode_id}/link-worker", response_model=EpisodeOut,
          dependencies=[Depends(csrf_protect)])
def assign_api(request: Request, episode_id: int, data: AssignIn, response: Response,
               session: SessionDep, user: User = Depends(CASEWORK),
               if_match_header: Annotated[str | None, Header(alias="If-Match")] = None):
    """Hand the person to another link worker in the team (send the episode's ETag)."""
    version = if_match(if_match_header)
    episode = run(request, session, lambda: commands.assign_link_worker(
        session, by=user, episode_id=episode_id, link_worker_id=data.link_worker_id,
        version=version, source_ip=client_ip(request)))
    response.headers["ETag"] = etag(episode.version)
    return EpisodeOut.model_validate(episode)


@api.get("/caseload", response_model=list[CaseloadRowOut])
def caseload_api(request: Request, session: SessionDep, user: User = Depends(CASEWORK),
                 view: str = "active", sort: str = "name", q: str = "", mine: bool = False):
    rows = run(request, session, lambda: queries.caseload(
        session, by=user, settings=request.app.state.settings, view=view, sort=sort, text=q,
        mine=mine, source_ip=client_ip(request)))
    return [CaseloadRowOut(**{k: getattr(r, k) for k in CaseloadRowOut.model_fields})
            for r in rows]


@api.get("/people/{person_id}")
def person_api(request: Request, person_id: int, session: SessionDep,
               user: User = Depends(CASE_READERS)) -> dict:
    """A person's record with the timeline of every event (each read is audited)."""
    record = run(request, session, lambda: queries.person_record(
        session, by=user, person_id=person_id, settings=request.app.state.settings,
        source_ip=client_ip(request)))
    p = record.person
    return {
        "person": {"id": p.id, "given_name": p.given_name, "family_name": p.family_name,
                   "birth_date": p.birth_date.isoformat(), "nhs_number": p.nhs_number,
                   "postcode": p.postcode, "lsoa11cd": p.lsoa11cd, "language": p.language,
                   "interpreter_needed": p.interpreter_needed},
        "referrals": [_referral_out(r, []).model_dump(mode="json") for r in record.referrals],
        "episodes": [EpisodeOut.model_validate(e).model_dump(mode="json")
                     for e in record.episodes],
        "onward_referrals": [OnwardReferralOut.model_validate(o.onward).model_dump(mode="json")
                             for o in record.onward],
        "possible_duplicates": [d.duplicate_of_id if d.person_id == p.id else d.person_id
                                for d in record.duplicates],
        "timeline": [{"at": t.at.isoformat(), "kind": t.kind, "text": t.text,
                      "snomed_code": t.snomed} for t in record.timeline],
    }


@api.post("/episodes/{episode_id}/contacts", status_code=201,
          dependencies=[Depends(csrf_protect)])
def contact_api(request: Request, episode_id: int, data: ContactIn, session: SessionDep,
                user: User = Depends(CASEWORK)) -> dict:
    contact = run(request, session, lambda: commands.record_contact(
        session, by=user, episode_id=episode_id, occurred_at=data.occurred_at, mode=data.mode,
        duration_minutes=data.duration_minutes, note=data.note, source_ip=client_ip(request)))
    return {"id": contact.id}


@api.post("/episodes/{episode_id}/needs-assessments", status_code=201,
          dependencies=[Depends(csrf_protect)])
def needs_api(request: Request, episode_id: int, data: NeedsAssessmentIn, session: SessionDep,
              user: User = Depends(CASEWORK)) -> dict:
    assessment = run(request, session, lambda: commands.record_needs_assessment(
        session, by=user, episode_id=episode_id, what_matters_to_me=data.what_matters_to_me,
        scores=data.scores, source_ip=client_ip(request)))
    return {"id": assessment.id}


@api.post("/episodes/{episode_id}/goals", status_code=201,
          dependencies=[Depends(csrf_protect)])
def goal_api(request: Request, episode_id: int, data: GoalIn, session: SessionDep,
             user: User = Depends(CASEWORK)) -> dict:
    goal = run(request, session, lambda: commands.agree_goal(
        session, by=user, episode_id=episode_id, description=data.description,
        domain_code=data.domain, source_ip=client_ip(request)))
    return {"id": goal.id}


@api.get("/episodes/{episode_id}/suggestions", response_model=list[SuggestionOut])
def suggestions_api(request: Request, episode_id: int, session: SessionDep,
                    user: User = Depends(CASEWORK), limit: int = Query(10, ge=1, le=50)):
    """Ranked services for the person's needs, each with the reasons for it."""
    ranked = run(request, session, lambda: suggestions.suggest_for_episode(
        session, by=user, episode_id=episode_id, limit=limit, source_ip=client_ip(request)))
    return [SuggestionOut(**s.__dict__) for s in ranked]


@api.post("/episodes/{episode_id}/onward-referrals", response_model=OnwardReferralOut,
          status_code=201, dependencies=[Depends(csrf_protect)])
def onward_api(request: Request, episode_id: int, data: OnwardReferralIn, session: SessionDep,
               user: User = Depends(CASEWORK)):
    onward = run(request, session, lambda: commands.send_onward_referral(
        session, by=user, episode_id=episode_id, service_id=data.service_id,
        reason=data.reason, summary=data.summary, attachments=data.attachments,
        source_ip=client_ip(request)))
    return JSONResponse(OnwardReferralOut.model_validate(onward).model_dump(mode="json"),
                        status_code=201, headers={"ETag": etag(onward.version)})


@api.post("/episodes/{episode_id}/close", response_model=EpisodeOut,
          dependencies=[Depends(csrf_protect)])
def close_api(request: Request, episode_id: int, data: CloseIn, response: Response,
              session: SessionDep, user: User = Depends(CASEWORK),
              if_match_header: Annotated[str | None, Header(alias="If-Match")] = None):
    """Close the episode with a coded reason (send the episode's ETag as If-Match)."""
    version = if_match(if_match_header)
    episode = run(request, session, lambda: commands.close_episode(
        session, by=user, episode_id=episode_id, version=version, reason=data.reason,
        source_ip=client_ip(request)))
    response.headers["ETag"] = etag(episode.version)
    return EpisodeOut.model_validate(episode)


@api.get("/onward-referrals", response_model=list[OnwardReferralOut])
def inbox_api(request: Request, session: SessionDep, user: User = Depends(LOOP),
              status: str = "open"):
    """Onward referrals the caller may see: a provider's own services only."""
    rows = run(request, session, lambda: queries.inbox(
        session, by=user, settings=request.app.state.settings, status=status,
        source_ip=client_ip(request)))
    return [OnwardReferralOut.model_validate(r.onward) for r in rows]


@api.get("/onward-referrals/{onward_id}", response_model=OnwardReferralOut)
def onward_get_api(request: Request, onward_id: int, response: Response, session: SessionDep,
                   user: User = Depends(LOOP)):
    detail = run(request, session, lambda: queries.onward_detail(
        session, by=user, onward_referral_id=onward_id, settings=request.app.state.settings,
        source_ip=client_ip(request)))
    response.headers["ETag"] = etag(detail.onward.version)
    return OnwardReferralOut.model_validate(detail.onward)


@api.post("/onward-referrals/{onward_id}/{action}", response_model=OnwardReferralOut,
          dependencies=[Depends(csrf_protect)])
def onward_action_api(request: Request, onward_id: int, action: str, response: Response,
                      session: SessionDep, data: ResponseIn = Body(default_factory=ResponseIn),
                      user: User = Depends(LOOP),
                      if_match_header: Annotated[str | None, Header(alias="If-Match")] = None):
    """Provider: receive, accept, decline, attended, did-not-attend, complete.
    Link worker: cancel. Send the ETag you last read as If-Match."""
    version = if_match(if_match_header)

    def work():
        if action == "cancel":
            return commands.cancel_onward_referral(session, by=user,
                                                   onward_referral_id=onward_id,
                                                   version=version, source_ip=client_ip(request))
        return commands.respond_to_onward_referral(
            session, by=user, onward_referral_id=onward_id, version=version, action=action,
            reason=data.reason, outcome_note=data.outcome_note, source_ip=client_ip(request))

    onward = run(request, session, work)
    response.headers["ETag"] = etag(onward.version)
    return OnwardReferralOut.model_validate(onward)


@api.put("/services/{service_id}/capacity", dependencies=[Depends(csrf_protect)])
def capacity_api(request: Request, service_id: str, data: CapacityIn, session: SessionDep,
                 user: User = Depends(PROVIDERS)) -> dict:
    capacity = run(request, session, lambda: commands.update_service_capacity(
        session, by=user, service_id=service_id, status=data.status,
        waiting_time_days=data.waiting_time_days, source_ip=client_ip(request)))
    return {"service_id": capacity.service_id, "status": capacity.status,
            "waiting_time_days": capacity.waiting_time_days}


# --- FHIR ------------------------------------------------------------------------------------

def _fhir(body: dict, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status, media_type=FHIR_JSON)


def _last_modified(session: Session, object_type: str, ids: list[int]) -> dict[int, datetime]:
    if not ids:
        return {}
    rows = session.execute(
        select(StatusEvent.object_id, func.max(StatusEvent.occurred_at))
        .where(StatusEvent.object_type == object_type, StatusEvent.object_id.in_(ids))
        .group_by(StatusEvent.object_id))
    return {object_id: at for object_id, at in rows}


def referral_bundle_resources(session: Session, by: User, referral: Referral) -> list[dict]:
    """Patient, ServiceRequest, Consent, the referral's Task and, for those who may see the
    casework (not the referrer: ADR 0012), its onward Tasks."""
    modified = _last_modified(session, "referral", [referral.id])
    requester_ods = organisations.ods_code(session, referral.referrer_organization_id)
    resources = [fhir.patient(referral.person), fhir.service_request(referral, requester_ods),
                 fhir.consent(referral),
                 fhir.referral_task(referral, modified.get(referral.id, referral.created_at))]
    episode = session.scalar(select(Episode).where(
        Episode.referral_id == referral.id, policy.casework_condition(by, Episode)))
    if episode is not None:
        onward = list(session.scalars(select(OnwardReferral).where(
            OnwardReferral.episode_id == episode.id).order_by(OnwardReferral.id)))
        onward_modified = _last_modified(session, "onward_referral", [o.id for o in onward])
        resources += [fhir.onward_task(o, referral.person_id, referral.id,
                                       onward_modified.get(o.id, o.sent_at)) for o in onward]
    return resources


@fhir_router.get("/Task")
def fhir_tasks(request: Request, session: SessionDep, user: User = Depends(LOOP),
               owner: str | None = None, status: str | None = None,
               count: int = Query(100, alias="_count", ge=1, le=500)):
    """Poll onward referrals as FHIR Tasks: ``owner=Organization/<id>``, ``status=requested``
    (comma-separated for several). Only Tasks the caller may see are returned."""
    def work():
        query = (select(OnwardReferral).join(Episode, Episode.id == OnwardReferral.episode_id)
                 .where(policy.onward_referral_condition(user, OnwardReferral, Episode)))
        if owner:
            query = query.where(OnwardReferral.organization_id
                                == owner.removeprefix("Organization/"))
        if status:
            wanted = [s.strip() for s in status.split(",") if s.strip()]
            for s in wanted:
                if s not in set(domain.Status):
                    raise InvalidInput(f"Unknown Task status '{s}'")
            query = query.where(OnwardReferral.status.in_(wanted))
        onward = list(session.scalars(query.order_by(OnwardReferral.id).limit(count)))
        modified = _last_modified(session, "onward_referral", [o.id for o in onward])
        tasks = [fhir.onward_task(o, o.episode.person_id, o.episode.referral_id,
                                  modified.get(o.id, o.sent_at)) for o in onward]
        audit.record(session, action="export", object_type="fhir_task_search",
                     detail={"count": len(tasks)}, **audit.actor(user, client_ip(request)))
        return fhir.bundle(tasks, kind="searchset", timestamp=datetime.now(UTC))

    return _fhir(run(request, session, work))


@fhir_router.get("/Task/onward-{onward_id}")
def fhir_task(request: Request, onward_id: int, session: SessionDep,
              user: User = Depends(LOOP)):
    def work():
        detail = queries.onward_detail(session, by=user, onward_referral_id=onward_id,
                                       settings=request.app.state.settings,
                                       source_ip=client_ip(request))
        o = detail.onward
        modified = _last_modified(session, "onward_referral", [o.id])
        return fhir.onward_task(o, o.episode.person_id, o.episode.referral_id,
                                modified.get(o.id, o.sent_at), detail.service.name)

    task = run(request, session, work)
    return JSONResponse(task, media_type=FHIR_JSON,
                        headers={"ETag": f'W/"{task["meta"]["versionId"]}"'})


@fhir_router.get("/ServiceRequest/referral-{referral_id}/$export")
def fhir_export(request: Request, referral_id: int, session: SessionDep,
                user: User = Depends(CASE_READERS)):
    """One referral as a FHIR collection Bundle (Patient, ServiceRequest, Consent, Tasks)."""
    def work():
        referral, _events = queries.referral_for(session, by=user, referral_id=referral_id,
                                                 source_ip=client_ip(request))
        return fhir.bundle(referral_bundle_resources(session, user, referral),
                           timestamp=datetime.now(UTC))

    return _fhir(run(request, session, work))


@fhir_router.post("", dependencies=[Depends(csrf_protect)])
def fhir_import(request: Request, session: SessionDep, data: dict = Body(...),
                user: User = Depends(REFERRERS)):
    """Import a Bundle of referrals (Patient + ServiceRequest + Consent each) in one
    transaction; answers a ``batch-response`` Bundle with where each one was created."""
    parsed = fhir.parse_referrals(data)

    def work():
        entries = []
        for item in parsed:
            req = commands.ReferralRequest(
                person=commands.PersonDetails(**item["person"]), source=item["source"],
                reasons=item["reasons"], notes=item["notes"],
                consent_to_share=item["consent_to_share"])
            referral, _created = commands.submit_referral(session, by=user, request=req,
                                                          source_ip=client_ip(request))
            entries.append({"response": {
                "status": "201 Created",
                "location": f"ServiceRequest/referral-{referral.id}"}})
        return {"resourceType": "Bundle", "type": "batch-response", "entry": entries}

    return _fhir(run(request, session, work), status=200)


# --- Pages -----------------------------------------------------------------------------------

def _options(codes: dict[str, domain.Code]) -> list[tuple[str, str]]:
    return [(key, code.display) for key, code in codes.items()]


OPTIONS = {
    "contact_preferences": _options(domain.CONTACT_PREFERENCES),
    "closure_reasons": _options(domain.CLOSURE_REASONS),
    "decline_reasons": _options(domain.DECLINE_REASONS),
    "contact_modes": _options(domain.CONTACT_MODES),
    "needs": _options(domain.NEEDS_DOMAINS),
    "reasons": _options(domain.REFERRAL_REASONS),
}


def page(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, f"referrals/{name}",
                                      {"domain": domain, "options": OPTIONS, **context},
                                      status_code=status)


def _form_errors(exc: LinkwellError) -> dict[str, str]:
    errors = {e.get("field", "form"): exc.detail for e in exc.errors if isinstance(e, dict)}
    return errors or {"form": exc.detail}


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
    if details.birth_date is None:
        errors = {"birth_date": "Enter a real date of birth"}
        return page(request, template, {"values": form, "errors": errors,
                                        "form_token": form.get("form_token", "")}, 422)
    req = commands.ReferralRequest(
        person=details, source=form.get("source", "gp"), reasons=form.getlist("reasons"),
        notes=form.get("notes", ""), consent_to_share=form.get("consent_to_share") == "yes")
    try:
        referral, _created = run(request, session, lambda: commands.submit_referral(
            session, by=user, request=req, idempotency_key=key, source_ip=client_ip(request)))
    except InvalidInput as exc:
        return page(request, template, {"values": form, "errors": _form_errors(exc),
                                        "form_token": form.get("form_token", "")}, 422)
    if user is None:
        return RedirectResponse("/refer-yourself/done", status_code=303)
    return RedirectResponse(f"/referrals/{referral.id}", status_code=303)


@pages.get("/referrals/new", response_class=HTMLResponse)
def referral_form(request: Request, user: User = Depends(REFERRERS)):
    return page(request, "referral_form.html", {"values": {}, "errors": {},
                                                "form_token": secrets.token_urlsafe(16)})


@pages.post("/referrals/new", dependencies=[Depends(csrf_protect)])
async def referral_form_post(request: Request, session: SessionDep,
                             user: User = Depends(REFERRERS)):
    form = await request.form()
    return _referral_form_submit(request, session, user, form, "referral_form.html",
                                 form.get("form_token") or None)


@pages.get("/refer-yourself", response_class=HTMLResponse)
def self_referral_form(request: Request):
    return page(request, "self_referral_form.html",
                {"values": {}, "errors": {}, "form_token": secrets.token_urlsafe(16)})


@pages.post("/refer-yourself", dependencies=[Depends(csrf_protect)])
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


@pages.get("/refer-yourself/done", response_class=HTMLResponse)
def self_referral_done(request: Request):
    return page(request, "self_referral_done.html", {})


@pages.get("/referrals", response_class=HTMLResponse)
def referrals_sent(request: Request, session: SessionDep, user: User = Depends(REFERRERS)):
    rows = run(request, session, lambda: queries.referrals_sent(
        session, by=user, source_ip=client_ip(request)))
    return page(request, "referrals_sent.html", {"referrals": rows})


@pages.get("/referrals/{referral_id}", response_class=HTMLResponse)
def referral_page(request: Request, referral_id: int, session: SessionDep,
                  user: User = Depends(CASE_READERS)):
    def work():
        referral, events = queries.referral_for(session, by=user, referral_id=referral_id,
                                                source_ip=client_ip(request))
        episode = session.scalar(select(Episode).where(Episode.referral_id == referral.id))
        workers = (queries.link_workers(session, referral.team_id)
                   if policy.can_manage_caseload(user, referral.team_id) else [])
        return referral, events, episode, workers

    referral, events, episode, workers = run(request, session, work)
    return page(request, "referral.html", {
        "referral": referral, "events": events, "episode": episode,
        "worker_options": [(w.id, w.display_name) for w in workers],
        "can_manage": policy.can_manage_caseload(user, referral.team_id)})


@pages.post("/referrals/{referral_id}/accept", dependencies=[Depends(csrf_protect)])
async def accept_page(request: Request, referral_id: int, session: SessionDep,
                      user: User = Depends(CASEWORK)):
    form = await request.form()
    worker = form.get("link_worker_id")
    episode = run(request, session, lambda: commands.accept_referral(
        session, by=user, referral_id=referral_id, version=_int(form.get("version")),
        link_worker_id=int(worker) if worker and worker.isdigit() else None,
        source_ip=client_ip(request)))
    return RedirectResponse(f"/people/{episode.person_id}", status_code=303)


@pages.post("/referrals/{referral_id}/decline", dependencies=[Depends(csrf_protect)])
async def decline_page(request: Request, referral_id: int, session: SessionDep,
                       user: User = Depends(CASEWORK)):
    form = await request.form()
    run(request, session, lambda: commands.decline_referral(
        session, by=user, referral_id=referral_id, version=_int(form.get("version")),
        reason=form.get("reason", ""), source_ip=client_ip(request)))
    return RedirectResponse("/caseload?view=new", status_code=303)


def _int(value) -> int | None:
    text = str(value or "").strip()
    if not text.isdigit():
        raise InvalidInput("This form is missing its version; reload the page and try again")
    return int(text)


@pages.get("/caseload", response_class=HTMLResponse)
def caseload_page(request: Request, session: SessionDep, user: User = Depends(CASEWORK),
                  view: str = "active", sort: str = "name", q: str = "", mine: bool = False,
                  measure: bool = False):
    def work():
        rows = queries.caseload(
            session, by=user, settings=request.app.state.settings, view=view, sort=sort,
            text=q, mine=mine, source_ip=client_ip(request))
        # One batch for the whole caseload: the rows are the episodes this user may see.
        ids = [r.episode_id for r in rows if r.episode_id]
        # Plain rows (id, team_id, closed_at), not ORM objects: all the schedule needs.
        episodes = session.execute(
            select(Episode.id, Episode.team_id, Episode.closed_at)
            .where(Episode.id.in_(ids))).all() if ids else []
        return rows, outcomes_commands.due_for_episodes(session, episodes)

    rows, due = run(request, session, work)
    if measure:
        rows = [r for r in rows if r.episode_id in due and due[r.episode_id].due]
    return page(request, "caseload.html", {
        "rows": rows, "due": due, "view": view if view in queries.CASELOAD_VIEWS else "active",
        "sort": sort, "q": q, "mine": mine, "measure": measure,
        "views": queries.CASELOAD_VIEWS})


@pages.get("/people/{person_id}", response_class=HTMLResponse)
def person_page(request: Request, person_id: int, session: SessionDep,
                user: User = Depends(CASE_READERS)):
    # Access first: a merged id redirects only someone who may see the surviving record.
    current = run(request, session, lambda: queries.current_person_id(
        session, by=user, person_id=person_id))
    if current != person_id:
        return RedirectResponse(f"/people/{current}", status_code=303)
    record = run(request, session, lambda: queries.person_record(
        session, by=user, person_id=person_id, settings=request.app.state.settings,
        source_ip=client_ip(request)))
    episode = record.open_episode
    can_manage = episode is not None and policy.can_manage_caseload(user, episode.team_id)
    # Advice triage and outcome measures are casework: only for episodes this user manages.
    casework = [e for e in record.episodes if policy.can_manage_caseload(user, e.team_id)]
    workers, referral, due, chart = [], None, {}, None
    with session.begin():
        duplicates = queries.duplicate_views(session, by=user, record=record)
        if can_manage:
            referral = next(r for r in record.referrals if r.id == episode.referral_id)
            workers = [(w.id, w.display_name)
                       for w in queries.link_workers(session, episode.team_id)]
        if casework:
            due = outcomes_commands.due_for_episodes(session, casework)
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
                                         "now": datetime.now(UTC)})


@pages.post("/duplicates/{flag_id}", dependencies=[Depends(csrf_protect)])
async def duplicate_page(request: Request, flag_id: int, session: SessionDep,
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
    return RedirectResponse(f"/people/{kept.id}", status_code=303)


def _back_to_person(episode_id: int, session: Session) -> RedirectResponse:
    person_id = session.scalar(select(Episode.person_id).where(Episode.id == episode_id))
    return RedirectResponse(f"/people/{person_id}", status_code=303)


@pages.post("/episodes/{episode_id}/contacts", dependencies=[Depends(csrf_protect)])
async def contact_page(request: Request, episode_id: int, session: SessionDep,
                       user: User = Depends(CASEWORK)):
    form = await request.form()
    try:
        occurred = datetime.fromisoformat(form.get("occurred_on", "")).replace(tzinfo=UTC)
        if len(form.get("occurred_on", "")) <= 10:
            occurred = occurred.replace(hour=12)
        occurred = min(occurred, datetime.now(UTC))
        minutes = int(form.get("duration_minutes", ""))
    except ValueError:
        raise InvalidInput("Enter the date of the contact and its length in minutes") from None
    run(request, session, lambda: commands.record_contact(
        session, by=user, episode_id=episode_id, occurred_at=occurred,
        mode=form.get("mode", ""), duration_minutes=minutes, note=form.get("note", ""),
        source_ip=client_ip(request)))
    return _back_to_person(episode_id, session)


@pages.post("/episodes/{episode_id}/needs", dependencies=[Depends(csrf_protect)])
async def needs_page(request: Request, episode_id: int, session: SessionDep,
                     user: User = Depends(CASEWORK)):
    form = await request.form()
    scores = {code: int(form[f"score-{code}"]) for code in domain.NEEDS_DOMAINS
              if str(form.get(f"score-{code}", "")).isdigit()}
    run(request, session, lambda: commands.record_needs_assessment(
        session, by=user, episode_id=episode_id,
        what_matters_to_me=form.get("what_matters_to_me", ""), scores=scores,
        source_ip=client_ip(request)))
    return _back_to_person(episode_id, session)


@pages.post("/episodes/{episode_id}/goals", dependencies=[Depends(csrf_protect)])
async def goal_page(request: Request, episode_id: int, session: SessionDep,
                    user: User = Depends(CASEWORK)):
    form = await request.form()
    run(request, session, lambda: commands.agree_goal(
        session, by=user, episode_id=episode_id, description=form.get("description", ""),
        domain_code=form.get("domain") or None, source_ip=client_ip(request)))
    return _back_to_person(episode_id, session)


@pages.get("/episodes/{episode_id}/suggestions", response_class=HTMLResponse)
def suggestions_page(request: Request, episode_id: int, session: SessionDep,
                     user: User = Depends(CASEWORK)):
    def work():
        ranked = suggestions.suggest_for_episode(session, by=user, episode_id=episode_id,
                                                 source_ip=client_ip(request))
        return ranked, session.get(Episode, episode_id)

    ranked, episode = run(request, session, work)
    return page(request, "suggestions.html", {"suggestions": ranked, "episode": episode})


@pages.post("/episodes/{episode_id}/onward-referrals", dependencies=[Depends(csrf_protect)])
async def onward_page(request: Request, episode_id: int, session: SessionDep,
                      user: User = Depends(CASEWORK)):
    form = await request.form()
    run(request, session, lambda: commands.send_onward_referral(
        session, by=user, episode_id=episode_id, service_id=form.get("service_id", ""),
        reason=form.get("reason", ""), summary=form.get("summary", ""),
        source_ip=client_ip(request)))
    return _back_to_person(episode_id, session)


@pages.post("/episodes/{episode_id}/close", dependencies=[Depends(csrf_protect)])
async def close_page(request: Request, episode_id: int, session: SessionDep,
                     user: User = Depends(CASEWORK)):
    form = await request.form()
    run(request, session, lambda: commands.close_episode(
        session, by=user, episode_id=episode_id, version=_int(form.get("version")),
        reason=form.get("reason", ""), source_ip=client_ip(request)))
    return _back_to_person(episode_id, session)


@pages.post("/referrals/{referral_id}/hold", dependencies=[Depends(csrf_protect)])
async def hold_page(request: Request, referral_id: int, session: SessionDep,
                    user: User = Depends(CASEWORK)):
    form = await request.form()
    referral = run(request, session, lambda: commands.hold_referral(
        session, by=user, referral_id=referral_id, version=_int(form.get("version")),
        reason=form.get("reason", ""), source_ip=client_ip(request)))
    return RedirectResponse(f"/people/{referral.person_id}", status_code=303)


@pages.post("/referrals/{referral_id}/resume", dependencies=[Depends(csrf_protect)])
async def resume_page(request: Request, referral_id: int, session: SessionDep,
                      user: User = Depends(CASEWORK)):
    form = await request.form()
    referral = run(request, session, lambda: commands.resume_referral(
        session, by=user, referral_id=referral_id, version=_int(form.get("version")),
        source_ip=client_ip(request)))
    return RedirectResponse(f"/people/{referral.person_id}", status_code=303)


@pages.post("/episodes/{episode_id}/link-worker", dependencies=[Depends(csrf_protect)])
async def assign_page(request: Request, episode_id: int, session: SessionDep,
                      user: User = Depends(CASEWORK)):
    form = await request.form()
    worker = _int(form.get("link_worker_id"))
    run(request, session, lambda: commands.assign_link_worker(
        session, by=user, episode_id=episode_id, link_worker_id=worker,
        version=_int(form.get("version")), source_ip=client_ip(request)))
    return _back_to_person(episode_id, session)


@pages.post("/onward-referrals/{onward_id}/cancel", dependencies=[Depends(csrf_protect)])
async def cancel_page(request: Request, onward_id: int, session: SessionDep,
                      user: User = Depends(CASEWORK)):
    form = await request.form()
    onward = run(request, session, lambda: commands.cancel_onward_referral(
        session, by=user, onward_referral_id=onward_id, version=_int(form.get("version")),
        source_ip=client_ip(request)))
    return _back_to_person(onward.episode_id, session)


@pages.get("/inbox", response_class=HTMLResponse)
def inbox_page(request: Request, session: SessionDep, user: User = Depends(PROVIDERS),
               status: str = "open"):
    rows = run(request, session, lambda: queries.inbox(
        session, by=user, settings=request.app.state.settings, status=status,
        source_ip=client_ip(request)))
    return page(request, "inbox.html", {"rows": rows, "status": status})


@pages.get("/inbox/capacity", response_class=HTMLResponse)
def capacity_page(request: Request, session: SessionDep, user: User = Depends(PROVIDERS)):
    services = run(request, session, lambda: queries.services_of(session, by=user))
    return page(request, "capacity.html", {"services": services})


@pages.post("/services/{service_id}/capacity", dependencies=[Depends(csrf_protect)])
async def capacity_post(request: Request, service_id: str, session: SessionDep,
                        user: User = Depends(PROVIDERS)):
    form = await request.form()
    wait = str(form.get("waiting_time_days", "")).strip()
    if wait and not wait.isdigit():
        raise InvalidInput("Waiting time is a whole number of days")
    run(request, session, lambda: commands.update_service_capacity(
        session, by=user, service_id=service_id, status=form.get("status", ""),
        waiting_time_days=int(wait) if wait else None, source_ip=client_ip(request)))
    return RedirectResponse("/inbox/capacity", status_code=303)


@pages.get("/inbox/{onward_id}", response_class=HTMLResponse)
def inbox_item(request: Request, onward_id: int, session: SessionDep,
               user: User = Depends(PROVIDERS)):
    detail = run(request, session, lambda: queries.onward_detail(
        session, by=user, onward_referral_id=onward_id, settings=request.app.state.settings,
        source_ip=client_ip(request)))
    return page(request, "inbox_item.html", {
        "detail": detail, "actions": _provider_actions(detail.onward.status),
        "can_respond": policy.can_respond_to_onward_referral(user, detail.onward)})


def _provider_actions(status: str) -> list[tuple[str, str]]:
    labels = {"receive": "Mark as received", "accept": "Accept", "attended": "Attended",
              "did-not-attend": "Did not attend", "complete": "Completed",
              "decline": "Decline"}
    current = domain.Status(status)
    return [(action, labels[action]) for action, target in commands.PROVIDER_ACTIONS.items()
            if domain.can_transition(current, target)]


@pages.post("/inbox/{onward_id}/respond", dependencies=[Depends(csrf_protect)])
async def inbox_respond(request: Request, onward_id: int, session: SessionDep,
                        user: User = Depends(PROVIDERS)):
    form = await request.form()
    run(request, session, lambda: commands.respond_to_onward_referral(
        session, by=user, onward_referral_id=onward_id, version=_int(form.get("version")),
        action=form.get("action", ""), reason=form.get("reason") or None,
        outcome_note=form.get("outcome_note") or None, source_ip=client_ip(request)))
    return RedirectResponse(f"/inbox/{onward_id}", status_code=303)


router.include_router(api)
router.include_router(fhir_router)
router.include_router(pages)
