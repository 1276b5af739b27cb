"""HL7 FHIR R4 endpoints (``/fhir``): onward referrals as Tasks, a referral exported as a
Bundle, and referrals imported from a Bundle (the SDOH closed-loop pattern)."""

from datetime import UTC, datetime

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import JSONResponse

from linkwell import audit
from linkwell.auth.models import User
from linkwell.auth.web import csrf_protect
from linkwell.directory import organisations
from linkwell.errors import InvalidInput
from linkwell.referrals import commands, domain, fhir, queries
from linkwell.referrals.models import Referral
from linkwell.referrals.web import (
    CASE_READERS,
    LOOP,
    REFERRERS,
    run,
)
from linkwell.web.deps import Id, Session, SessionDep, client_ip

FHIR_JSON = "application/fhir+json"
router = APIRouter(prefix="/fhir", tags=["fhir"])


def _fhir(body: dict, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status, media_type=FHIR_JSON)


def referral_bundle_resources(session: Session, by: User, referral: Referral) -> list[dict]:
    """Patient, ServiceRequest, Consent, the referral's Task and, for those who may see the
    casework (not the referrer: ADR 0012), its onward Tasks."""
    modified = queries.last_modified(session, "referral", [referral.id])
    requester_ods = organisations.ods_code(session, referral.referrer_organization_id)
    resources = [fhir.patient(referral.person), fhir.service_request(referral, requester_ods),
                 fhir.consent(referral),
                 fhir.referral_task(referral, modified.get(referral.id, referral.created_at))]
    onward = queries.visible_onward_referrals(session, by=by, referral_id=referral.id)
    onward_modified = queries.last_modified(session, "onward_referral", [o.id for o in onward])
    resources += [fhir.onward_task(o, referral.person_id, referral.id,
                                   onward_modified.get(o.id, o.sent_at)) for o in onward]
    return resources


@router.get("/Task")
def fhir_tasks(request: Request, session: SessionDep, user: User = Depends(LOOP),
               owner: str | None = None, status: str | None = None,
               count: int = Query(100, alias="_count", ge=1, le=500)):
    """Poll onward referrals as FHIR Tasks: ``owner=Organization/<id>``, ``status=requested``
    (comma-separated for several). Only Tasks the caller may see are returned."""
    def work():
        wanted = [s.strip() for s in (status or "").split(",") if s.strip()]
        for s in wanted:
            if s not in set(domain.Status):
                raise InvalidInput(f"Unknown Task status '{s}'")
        onward = queries.onward_task_search(session, by=user, owner=owner, statuses=wanted,
                                            count=count)
        modified = queries.last_modified(session, "onward_referral", [o.id for o in onward])
        tasks = [fhir.onward_task(o, o.episode.person_id, o.episode.referral_id,
                                  modified.get(o.id, o.sent_at)) for o in onward]
        audit.record(session, action="export", object_type="fhir_task_search",
                     detail={"count": len(tasks)}, **audit.actor(user, client_ip(request)))
        return fhir.bundle(tasks, kind="searchset", timestamp=datetime.now(UTC))

    return _fhir(run(request, session, work))


@router.get("/Task/onward-{onward_id}")
def fhir_task(request: Request, onward_id: Id, session: SessionDep,
              user: User = Depends(LOOP)):
    def work():
        detail = queries.onward_detail(session, by=user, onward_referral_id=onward_id,
                                       settings=request.app.state.settings,
                                       source_ip=client_ip(request))
        o = detail.onward
        modified = queries.last_modified(session, "onward_referral", [o.id])
        return fhir.onward_task(o, o.episode.person_id, o.episode.referral_id,
                                modified.get(o.id, o.sent_at), detail.service.name)

    task = run(request, session, work)
    return JSONResponse(task, media_type=FHIR_JSON,
                        headers={"ETag": f'W/"{task["meta"]["versionId"]}"'})


@router.get("/ServiceRequest/referral-{referral_id}/$export")
def fhir_export(request: Request, referral_id: Id, session: SessionDep,
                user: User = Depends(CASE_READERS)):
    """One referral as a FHIR collection Bundle (Patient, ServiceRequest, Consent, Tasks)."""
    def work():
        referral, _events = queries.referral_for(session, by=user, referral_id=referral_id,
                                                 source_ip=client_ip(request))
        return fhir.bundle(referral_bundle_resources(session, user, referral),
                           timestamp=datetime.now(UTC))

    return _fhir(run(request, session, work))


@router.post("", dependencies=[Depends(csrf_protect)])
def fhir_import(request: Request, session: SessionDep, data: dict = Body(...),
                user: User = Depends(REFERRERS)):
    """Import a Bundle of referrals (Patient + ServiceRequest + Consent each) in one
    transaction; answers a ``batch-response`` Bundle with where each one was created."""
    parsed = fhir.parse_referrals(data)

    def work():
        locations = []
        for item in parsed:
            req = commands.referral_request(item)
            referral, _created = commands.submit_referral(session, by=user, request=req,
                                                          source_ip=client_ip(request))
            locations.append(f"ServiceRequest/referral-{referral.id}")
        return fhir.batch_response(locations)

    return _fhir(run(request, session, work), status=200)


