"""The administrator's organisation pages: find any organisation in the directory (there can
be tens of thousands), see who works there, and add an organisation no feed carries; and the
duplicates queue, where look-alike organisations and services are merged or dismissed; and the
feed changes a sync held because a provider had edited the field here."""

from datetime import timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linkwell import audit
from linkwell.auth import queries as auth_queries
from linkwell.auth.models import User
from linkwell.auth.roles import Role
from linkwell.auth.web import csrf_protect, require_roles
from linkwell.db import utcnow
from linkwell.directory import listings, merges, organisations, sync
from linkwell.errors import InvalidInput
from linkwell.web import forms
from linkwell.web.deps import Id, Session, SessionDep, client_ip
from linkwell.web.templating import templates

router = APIRouter(include_in_schema=False)
admin_only = require_roles(Role.ADMIN)
PER_PAGE = 25
FIELDS = ("name", "description", "email", "website", "ods_code")


def _page_number(request: Request) -> int:
    page = request.query_params.get("page", "1")
    return int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1


def _list_page(request: Request, session: Session, values: dict, errors: dict,
               status: int = 200):
    search = request.query_params.get("search", "").strip()[:100]
    page = _page_number(request)
    found, more = organisations.find_organisations(session, search, limit=PER_PAGE,
                                                   offset=(page - 1) * PER_PAGE)
    staff = auth_queries.accounts_per_organisation(session, [o.id for o in found])
    return templates.TemplateResponse(request, "directory/admin_organisations.html", {
        "found": found, "more": more, "page": page, "search": search, "staff": staff,
        "values": values, "errors": errors}, status_code=status)


@router.get("/admin/organisations", response_class=HTMLResponse)
def admin_organisations(request: Request, session: SessionDep, admin: User = Depends(admin_only)):
    return _list_page(request, session, {}, {})


@router.post("/admin/organisations", dependencies=[Depends(csrf_protect)])
async def admin_add_organisation(request: Request, session: SessionDep,
                                 admin: User = Depends(admin_only)):
    form = await request.form()
    values = {name: str(form.get(name, "")) for name in FIELDS}
    try:
        with session.begin():
            organisation = organisations.add_organisation(
                session, by=admin, **values, source_ip=client_ip(request))
    except InvalidInput as exc:
        return _list_page(request, session, values,
                          forms.field_errors(exc, default="name", messages=True),
                          status=exc.status)
    return RedirectResponse(f"/admin/users/new?organization_id={organisation.id}",
                            status_code=303)


@router.get("/admin/organisations/options", response_class=HTMLResponse)
def admin_organisation_options(request: Request, session: SessionDep,
                               admin: User = Depends(admin_only)):
    """The user form's organisation choices matching what the administrator typed (htmx)."""
    search = request.query_params.get("organisation_search", "").strip()[:100]
    selected = request.query_params.get("organization_id", "")
    found, more = organisations.find_organisations(session, search)
    return templates.TemplateResponse(request, "directory/_organisation_options.html", {
        "found": organisations.with_current(session, found, selected), "more": more,
        "selected": selected})


@router.get("/admin/duplicates", response_class=HTMLResponse)
def admin_duplicates(request: Request, session: SessionDep, admin: User = Depends(admin_only)):
    """Look-alike organisations and services with the evidence, and the latest merges."""
    return templates.TemplateResponse(request, "directory/admin_duplicates.html", {
        "pairs": merges.open_candidates(session), "merges": merges.recent_merges(session)})


@router.post("/admin/duplicates/{candidate_id}", dependencies=[Depends(csrf_protect)])
async def admin_decide_duplicate(candidate_id: Id, request: Request, session: SessionDep,
                                 admin: User = Depends(admin_only)):
    """Merge the pair into the survivor chosen, or dismiss it as not duplicates."""
    form = await request.form()
    with session.begin():
        candidate = merges.open_candidate(session, candidate_id)
        if form.get("decision") == "dismiss":
            merges.dismiss(session, by=admin, candidate_id=candidate_id,
                           source_ip=client_ip(request))
        else:
            survivor = str(form.get("survivor_id", ""))
            pair = {candidate.first_id, candidate.second_id}
            if survivor not in pair:
                raise InvalidInput("Choose which record to keep",
                                   errors=[{"field": "survivor_id",
                                            "message": "Choose which record to keep"}])
            merges.merge(session, by=admin, kind=candidate.kind, survivor_id=survivor,
                         merged_id=(pair - {survivor}).pop(), source_ip=client_ip(request))
    return RedirectResponse("/admin/duplicates", status_code=303)


@router.post("/admin/merges/{merge_id}/undo", dependencies=[Depends(csrf_protect)])
def admin_undo_merge(merge_id: Id, request: Request, session: SessionDep,
                     admin: User = Depends(admin_only)):
    with session.begin():
        merges.undo(session, by=admin, merge_id=merge_id, source_ip=client_ip(request))
    return RedirectResponse("/admin/duplicates", status_code=303)


@router.get("/admin/data-quality", response_class=HTMLResponse)
def admin_data_quality(request: Request, session: SessionDep, admin: User = Depends(admin_only)):
    """Listings that need someone: not checked in the freshness window, no way to contact
    them, and look-alikes waiting in the duplicates queue."""
    days = request.app.state.settings.stale_after_days
    stale_before = utcnow().date() - timedelta(days=days)
    queue = listings.quality_queue(session, stale_before=stale_before)
    waiting = merges.open_candidate_count(session)
    return templates.TemplateResponse(request, "directory/admin_data_quality.html", {
        "queue": queue, "duplicates": waiting, "days": days})


@router.get("/admin/feed-changes", response_class=HTMLResponse)
def admin_feed_changes(request: Request, session: SessionDep, admin: User = Depends(admin_only)):
    """Synced feeds' changes to fields providers edited here: accept each or keep local."""
    with session.begin():
        pending = sync.pending_changes(session, by=admin)
        feeds = sync.last_syncs(session)
        audit.record(session, action="read", object_type="feed_change",
                     detail={"pending": len(pending)},
                     **audit.actor(admin, client_ip(request)))
    return templates.TemplateResponse(request, "directory/admin_feed_changes.html", {
        "pending": pending, "feeds": feeds})


@router.post("/admin/feed-changes/{change_id}", dependencies=[Depends(csrf_protect)])
async def admin_decide_feed_change(change_id: Id, request: Request, session: SessionDep,
                                   admin: User = Depends(admin_only)):
    form = await request.form()
    decision = form.get("decision")
    if decision not in ("accept", "keep"):
        raise InvalidInput("Choose whether to take the feed's value or keep the local one",
                           errors=[{"field": "decision", "message": "Choose one"}])
    with session.begin():
        sync.decide_change(session, by=admin, change_id=change_id,
                           accept=decision == "accept", source_ip=client_ip(request))
    return RedirectResponse("/admin/feed-changes", status_code=303)
