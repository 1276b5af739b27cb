"""The referral JSON API (``/api``): referrals, episodes, the caseload, onward referrals and
service capacity, for other systems. State changes take ``If-Match`` (ADR 0011)."""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from linkwell.auth.models import User
from linkwell.auth.web import csrf_protect
from linkwell.referrals import commands, onward_commands, queries, suggestions
from linkwell.referrals.models import Referral, StatusEvent
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
from linkwell.referrals.web import (
    CASE_READERS,
    CASEWORK,
    LOOP,
    PROVIDERS,
    REFERRERS,
    IfMatch,
    etag,
    if_match,
    run,
)
from linkwell.web.deps import Id, Session, SessionDep, client_ip

router = APIRouter(prefix="/api", tags=["referrals"])


def referral_out(referral: Referral, events: list[StatusEvent]) -> ReferralOut:
    return ReferralOut(id=referral.id, person_id=referral.person_id, status=referral.status,
                       version=referral.version, source=referral.source,
                       reasons=referral.reasons, team_id=referral.team_id,
                       created_at=referral.created_at,
                       events=[StatusEventOut.model_validate(e) for e in events])



def _create_referral(request: Request, session: Session, user: User | None, data: ReferralIn,
                     key: str | None) -> Response:
    def work():
        referral, created = commands.submit_referral(
            session, by=user, request=commands.referral_request(data.model_dump()),
            idempotency_key=key, source_ip=client_ip(request))
        # A new referral's history is the one event just written; a retry reads it back.
        events = ([commands.requested_event(referral, user)] if created
                  else queries.status_events(session, "referral", referral.id))
        return referral_out(referral, events), created

    body, created = run(request, session, work)
    return JSONResponse(body.model_dump(mode="json"), status_code=201 if created else 200,
                        headers={"ETag": etag(body.version),
                                 "Location": f"/api/referrals/{body.id}"})


@router.post("/referrals", response_model=ReferralOut, status_code=201,
          dependencies=[Depends(csrf_protect)])
def create_referral(request: Request, data: ReferralIn, session: SessionDep,
                    user: User = Depends(REFERRERS),
                    idempotency_key: Annotated[str | None, Header()] = None):
    """Refer a person to social prescribing. Retrying with the same ``Idempotency-Key``
    returns the original referral (200) instead of creating another (201)."""
    return _create_referral(request, session, user, data, idempotency_key)


@router.post("/self-referrals", status_code=201, dependencies=[Depends(csrf_protect)])
def create_self_referral(request: Request, data: ReferralIn, session: SessionDep,
                         idempotency_key: Annotated[str | None, Header()] = None) -> dict:
    """A resident refers themself, without an account (source is always ``self``).

    The answer is only a reference number: an anonymous caller never reads a referral back.
    """
    referral, created = run(request, session, lambda: commands.submit_referral(
        session, by=None, request=commands.referral_request(data.model_dump()),
        idempotency_key=idempotency_key, source_ip=client_ip(request)))
    return JSONResponse({"reference": referral.id, "received": True},
                        status_code=201 if created else 200)


@router.get("/referrals/{referral_id}", response_model=ReferralOut)
def get_referral(request: Request, referral_id: Id, response: Response, session: SessionDep,
                 user: User = Depends(CASE_READERS)):
    referral, events = run(request, session, lambda: queries.referral_for(
        session, by=user, referral_id=referral_id, source_ip=client_ip(request)))
    response.headers["ETag"] = etag(referral.version)
    return referral_out(referral, events)


@router.post("/referrals/{referral_id}/accept", response_model=EpisodeOut, status_code=201,
          dependencies=[Depends(csrf_protect)])
def accept_referral(request: Request, referral_id: Id, session: SessionDep,
                    data: AcceptIn = Body(default_factory=AcceptIn),
                    user: User = Depends(CASEWORK),
                    if_match_header: IfMatch = None):
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
        return referral_out(referral, queries.status_events(session, "referral", referral.id))

    body = run(request, session, work)
    response.headers["ETag"] = etag(body.version)
    return body


@router.post("/referrals/{referral_id}/decline", response_model=ReferralOut,
          dependencies=[Depends(csrf_protect)])
def decline_referral(request: Request, referral_id: Id, data: DeclineIn, response: Response,
                     session: SessionDep, user: User = Depends(CASEWORK),
                     if_match_header: IfMatch = None):
    return _referral_transition(request, session, response, if_match_header,
                                commands.decline_referral, by=user, referral_id=referral_id,
                                reason=data.reason)


@router.post("/referrals/{referral_id}/hold", response_model=ReferralOut,
          dependencies=[Depends(csrf_protect)])
def hold_referral(request: Request, referral_id: Id, data: HoldIn, response: Response,
                  session: SessionDep, user: User = Depends(CASEWORK),
                  if_match_header: IfMatch = None):
    """Put support on hold (FHIR ``on-hold``); ``/resume`` returns it to where it was."""
    return _referral_transition(request, session, response, if_match_header,
                                commands.hold_referral, by=user, referral_id=referral_id,
                                reason=data.reason)


@router.post("/referrals/{referral_id}/resume", response_model=ReferralOut,
          dependencies=[Depends(csrf_protect)])
def resume_referral(request: Request, referral_id: Id, response: Response,
                    session: SessionDep, user: User = Depends(CASEWORK),
                    if_match_header: IfMatch = None):
    return _referral_transition(request, session, response, if_match_header,
                                commands.resume_referral, by=user, referral_id=referral_id)


@router.get("/episodes/{episode_id}", response_model=EpisodeOut)
def episode_api(request: Request, episode_id: Id, response: Response, session: SessionDep,
                user: User = Depends(CASEWORK)):
    episode = run(request, session, lambda: queries.episode_for(
        session, by=user, episode_id=episode_id, source_ip=client_ip(request)))
    response.headers["ETag"] = etag(episode.version)
    return EpisodeOut.model_validate(episode)


@router.post("/episodes/{episode_id}/link-worker", response_model=EpisodeOut,
          dependencies=[Depends(csrf_protect)])
def assign_api(request: Request, episode_id: Id, data: AssignIn, response: Response,
               session: SessionDep, user: User = Depends(CASEWORK),
               if_match_header: IfMatch = None):
    """Hand the person to another link worker in the team (send the episode's ETag)."""
    version = if_match(if_match_header)
    episode = run(request, session, lambda: commands.assign_link_worker(
        session, by=user, episode_id=episode_id, link_worker_id=data.link_worker_id,
        version=version, source_ip=client_ip(request)))
    response.headers["ETag"] = etag(episode.version)
    return EpisodeOut.model_validate(episode)


@router.get("/caseload", response_model=list[CaseloadRowOut])
def caseload_api(request: Request, session: SessionDep, user: User = Depends(CASEWORK),
                 view: str = "active", sort: str = "name", q: str = "", mine: bool = False):
    rows = run(request, session, lambda: queries.caseload(
        session, by=user, settings=request.app.state.settings, view=view, sort=sort, text=q,
        mine=mine, source_ip=client_ip(request)))
    return [CaseloadRowOut(**{k: getattr(r, k) for k in CaseloadRowOut.model_fields})
            for r in rows]


@router.post("/episodes/{episode_id}/contacts", status_code=201,
          dependencies=[Depends(csrf_protect)])
def contact_api(request: Request, episode_id: Id, data: ContactIn, session: SessionDep,
                user: User = Depends(CASEWORK)) -> dict:
    contact = run(request, session, lambda: commands.record_contact(
        session, by=user, episode_id=episode_id, occurred_at=data.occurred_at, mode=data.mode,
        duration_minutes=data.duration_minutes, note=data.note, source_ip=client_ip(request)))
    return {"id": contact.id}


@router.post("/episodes/{episode_id}/needs-assessments", status_code=201,
          dependencies=[Depends(csrf_protect)])
def needs_api(request: Request, episode_id: Id, data: NeedsAssessmentIn, session: SessionDep,
              user: User = Depends(CASEWORK)) -> dict:
    assessment = run(request, session, lambda: commands.record_needs_assessment(
        session, by=user, episode_id=episode_id, what_matters_to_me=data.what_matters_to_me,
        scores=data.scores, source_ip=client_ip(request)))
    return {"id": assessment.id}


@router.post("/episodes/{episode_id}/goals", status_code=201,
          dependencies=[Depends(csrf_protect)])
def goal_api(request: Request, episode_id: Id, data: GoalIn, session: SessionDep,
             user: User = Depends(CASEWORK)) -> dict:
    goal = run(request, session, lambda: commands.agree_goal(
        session, by=user, episode_id=episode_id, description=data.description,
        domain_code=data.domain, source_ip=client_ip(request)))
    return {"id": goal.id}


@router.get("/episodes/{episode_id}/suggestions", response_model=list[SuggestionOut])
def suggestions_api(request: Request, episode_id: Id, session: SessionDep,
                    user: User = Depends(CASEWORK), limit: int = Query(10, ge=1, le=50)):
    """Ranked services for the person's needs, each with the reasons for it."""
    ranked = run(request, session, lambda: suggestions.suggest_for_episode(
        session, by=user, episode_id=episode_id, limit=limit, source_ip=client_ip(request)))
    return [SuggestionOut(**s.__dict__) for s in ranked]


@router.post("/episodes/{episode_id}/onward-referrals", response_model=OnwardReferralOut,
          status_code=201, dependencies=[Depends(csrf_protect)])
def onward_api(request: Request, episode_id: Id, data: OnwardReferralIn, session: SessionDep,
               user: User = Depends(CASEWORK)):
    onward = run(request, session, lambda: onward_commands.send_onward_referral(
        session, by=user, episode_id=episode_id, service_id=data.service_id,
        reason=data.reason, summary=data.summary, attachments=data.attachments,
        source_ip=client_ip(request)))
    return JSONResponse(OnwardReferralOut.model_validate(onward).model_dump(mode="json"),
                        status_code=201, headers={"ETag": etag(onward.version)})


@router.post("/episodes/{episode_id}/close", response_model=EpisodeOut,
          dependencies=[Depends(csrf_protect)])
def close_api(request: Request, episode_id: Id, data: CloseIn, response: Response,
              session: SessionDep, user: User = Depends(CASEWORK),
              if_match_header: IfMatch = None):
    """Close the episode with a coded reason (send the episode's ETag as If-Match)."""
    version = if_match(if_match_header)
    episode = run(request, session, lambda: commands.close_episode(
        session, by=user, episode_id=episode_id, version=version, reason=data.reason,
        source_ip=client_ip(request)))
    response.headers["ETag"] = etag(episode.version)
    return EpisodeOut.model_validate(episode)


@router.get("/onward-referrals", response_model=list[OnwardReferralOut])
def inbox_api(request: Request, session: SessionDep, user: User = Depends(LOOP),
              status: str = "open"):
    """Onward referrals the caller may see: a provider's own services only."""
    rows = run(request, session, lambda: queries.inbox(
        session, by=user, settings=request.app.state.settings, status=status,
        source_ip=client_ip(request)))
    return [OnwardReferralOut.model_validate(r.onward) for r in rows]


@router.get("/onward-referrals/{onward_id}", response_model=OnwardReferralOut)
def onward_get_api(request: Request, onward_id: Id, response: Response, session: SessionDep,
                   user: User = Depends(LOOP)):
    detail = run(request, session, lambda: queries.onward_detail(
        session, by=user, onward_referral_id=onward_id, settings=request.app.state.settings,
        source_ip=client_ip(request)))
    response.headers["ETag"] = etag(detail.onward.version)
    return OnwardReferralOut.model_validate(detail.onward)


@router.post("/onward-referrals/{onward_id}/{action}", response_model=OnwardReferralOut,
          dependencies=[Depends(csrf_protect)])
def onward_action_api(request: Request, onward_id: Id, action: str, response: Response,
                      session: SessionDep, data: ResponseIn = Body(default_factory=ResponseIn),
                      user: User = Depends(LOOP),
                      if_match_header: IfMatch = None):
    """Provider: receive, accept, decline, attended, did-not-attend, complete.
    Link worker: cancel. Send the ETag you last read as If-Match."""
    version = if_match(if_match_header)

    def work():
        if action == "cancel":
            return onward_commands.cancel_onward_referral(
                session, by=user, onward_referral_id=onward_id, version=version,
                source_ip=client_ip(request))
        return onward_commands.respond_to_onward_referral(
            session, by=user, onward_referral_id=onward_id, version=version, action=action,
            reason=data.reason, outcome_note=data.outcome_note, source_ip=client_ip(request))

    onward = run(request, session, work)
    response.headers["ETag"] = etag(onward.version)
    return OnwardReferralOut.model_validate(onward)


@router.put("/services/{service_id}/capacity", dependencies=[Depends(csrf_protect)])
def capacity_api(request: Request, service_id: str, data: CapacityIn, session: SessionDep,
                 user: User = Depends(PROVIDERS)) -> dict:
    capacity = run(request, session, lambda: onward_commands.update_service_capacity(
        session, by=user, service_id=service_id, status=data.status,
        waiting_time_days=data.waiting_time_days, source_ip=client_ip(request)))
    return {"service_id": capacity.service_id, "status": capacity.status,
            "waiting_time_days": capacity.waiting_time_days}


