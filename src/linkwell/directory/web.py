"""Public pages: "Find support near you" (``/find``) and a service's page (``/services/{id}``).

Both read the same search as the Open Referral UK API. The search form is a plain GET form
that works without JavaScript; with htmx, submitting it swaps in only the results
(``/find/results``), and a form with errors swaps in the whole form with its error summary.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linkwell.auth import commands as auth_commands
from linkwell.auth import invitations
from linkwell.auth import queries as auth_queries
from linkwell.auth.models import User
from linkwell.auth.roles import Role
from linkwell.auth.web import csrf_protect, require_roles
from linkwell.charts import MapPoint, Origin, point_map
from linkwell.db import utcnow
from linkwell.directory import listings, merges, organisations, places, queries
from linkwell.directory.presentation import (
    costs,
    display_name,
    opening_times_by_place,
    place_name,
    structured_data,
)
from linkwell.directory.search import SearchResult, needs, search_widening
from linkwell.directory.search_query import (
    DAY_NAMES,
    DAYS,
    METRES_PER_MILE,
    SearchQuery,
    describe_distance,
    is_stale,
)
from linkwell.errors import Conflict, InvalidInput, NotFound
from linkwell.geo.postcodes import is_postcode, normalise_postcode, outcode_of
from linkwell.geo.queries import borough_shapes, postcodes_near
from linkwell.notifications import outbox
from linkwell.web import forms
from linkwell.web.deps import Session, SessionDep, client_ip
from linkwell.web.templating import templates

router = APIRouter(include_in_schema=False)
OrganisationId = Annotated[str, Path(min_length=1, max_length=36)]
LocationId = Annotated[str, Path(min_length=1, max_length=36)]

DISTANCES_MILES = (1, 2, 5, 10)
DEFAULT_MILES = 2
PER_PAGE = 20
FORM_FIELDS = ("postcode", "taxonomy_term_id", "search", "age", "day", "open_now", "distance")
POSTCODE_UNKNOWN = "We could not find {postcode}. Check the postcode and try again"
POSTCODE_SUGGEST = "We could not find {postcode}. Did you mean {choices}? Check the postcode"
OUTCODE_UNKNOWN = ("We could not find the postcode area {postcode}. Check it, or enter a full "
                   "postcode")
# "Open now" is now in the directory's own place, whatever the server's clock says.
LOCAL_TIME = ZoneInfo("Europe/London")


@dataclass
class FindForm:
    """What was typed into the search form, kept as text to show back to the person."""

    postcode: str = ""
    taxonomy_term_id: str = ""
    search: str = ""
    age: str = ""
    day: str = ""
    open_now: str = ""
    distance: str = str(DEFAULT_MILES)
    page: int = 1

    @classmethod
    def from_request(cls, request: Request) -> "FindForm":
        params = request.query_params
        values = {name: params.get(name, "").strip()[:200] for name in FORM_FIELDS}
        if values["distance"] not in {str(m) for m in DISTANCES_MILES}:
            values["distance"] = str(DEFAULT_MILES)
        if values["day"] not in DAYS:
            values["day"] = ""
        values["open_now"] = "yes" if values["open_now"] else ""
        page = params.get("page", "1")
        return cls(**values, page=int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1)

    @property
    def submitted(self) -> bool:
        return any(getattr(self, name) for name in FORM_FIELDS if name != "distance")

    def query_string(self, page: int) -> str:
        values = {name: getattr(self, name) for name in FORM_FIELDS if getattr(self, name)}
        return urlencode({**values, "page": page})


def _now() -> datetime:
    return utcnow().astimezone(LOCAL_TIME)


def _query(form: FindForm, errors: dict[str, str]) -> SearchQuery | None:
    age = None
    if form.age:
        if not form.age.isdigit() or int(form.age) > 130:
            errors["age"] = "Enter age as a whole number of years, like 45"
        else:
            age = int(form.age)
    if errors:
        return None
    day, start_time = form.day or None, None
    if form.open_now:
        now = _now()
        day, start_time = DAYS[now.weekday()], now.time().replace(second=0, microsecond=0)
    return SearchQuery(
        text=form.search or None, taxonomy_term_id=form.taxonomy_term_id or None,
        minimum_age=age, maximum_age=age, postcode=form.postcode or None,
        proximity_m=int(form.distance) * METRES_PER_MILE if form.postcode else None,
        day=day, start_time=start_time, page=form.page, per_page=PER_PAGE,
    )


def _unknown_place(session: Session, text: str) -> str:
    """What to tell someone whose postcode is not known, with known ones from its sector."""
    outcode = outcode_of(text)
    if outcode is not None:
        return OUTCODE_UNKNOWN.format(postcode=outcode)
    postcode = normalise_postcode(text)
    near = postcodes_near(session, postcode)
    if not near:
        return POSTCODE_UNKNOWN.format(postcode=postcode)
    choices = near[0] if len(near) == 1 else ", ".join(near[:-1]) + " or " + near[-1]
    return POSTCODE_SUGGEST.format(postcode=postcode, choices=choices)


@dataclass
class Searched:
    result: SearchResult | None
    widened_miles: int | None = None


def _search(request: Request, session: Session, form: FindForm
            ) -> tuple[Searched, dict[str, str]]:
    errors: dict[str, str] = {}
    query = _query(form, errors)
    if query is None or not form.submitted:
        return Searched(None), errors
    try:
        result, radius = search_widening(
            session, query, radii_m=[m * METRES_PER_MILE for m in DISTANCES_MILES],
            stale_after_days=_stale_days(request))
        widened = None if radius is None else round(radius / METRES_PER_MILE)
        return Searched(result, widened), errors
    except NotFound:
        errors["postcode"] = _unknown_place(session, form.postcode)
    except InvalidInput as exc:
        fields = {str(e.get("field") or (e.get("loc") or ["", ""])[-1]) for e in exc.errors}
        if "postcode" in fields:
            errors["postcode"] = exc.detail
        elif "taxonomy_term_id" in fields:
            errors["need"] = "Choose a kind of support from the list"
        else:
            errors["search"] = exc.detail
    return Searched(None), errors


def _stale_days(request: Request) -> int:
    return request.app.state.settings.stale_after_days


def _map(session: Session, searched: Searched, form: FindForm, hits: list[dict]
         ) -> str | None:
    result = searched.result
    points = [MapPoint(h["latitude"], h["longitude"], h["name"], h["number"]) for h in hits
              if h["latitude"] is not None]
    if result is None or not points:
        return None
    origin = None
    if result.origin is not None:
        origin = Origin(result.origin.lat, result.origin.lon, _origin_label(result),
                        _searched_miles(searched, form) * METRES_PER_MILE)
    return point_map(borough_shapes(session), title="Map of the services on this page",
                     points=points, origin=origin, chart_id="results-map")


def _origin_label(result: SearchResult) -> str | None:
    if result.origin is None:
        return None
    if is_postcode(result.origin.postcode):
        return f"your postcode, {result.origin.postcode}"
    return f"the centre of the {result.origin.postcode} postcode area"


def _searched_miles(searched: Searched, form: FindForm) -> int:
    return searched.widened_miles or int(form.distance)


def _context(request: Request, session: Session) -> dict:
    form = FindForm.from_request(request)
    searched, errors = _search(request, session, form)
    result = searched.result
    hits = []
    if result is not None:
        first = (result.page_number - 1) * result.per_page
        hits = [{
            "number": first + i, "service_id": h.service_id,
            "name": display_name(h.name, h.organization_name),
            "organization_name": h.organization_name, "summary": h.summary,
            "distance": describe_distance(h.distance_m),
            "location_name": place_name(h.location_name, h.organization_name),
            "assured_date": h.assured_date, "stale": h.stale,
            "latitude": h.latitude, "longitude": h.longitude,
        } for i, h in enumerate(result.hits, start=1)]
    results = None if result is None else {
        "total_items": result.total_items, "total_pages": result.total_pages,
        "page_number": result.page_number, "hits": hits, "first_number": hits[0]["number"]
        if hits else 1,
        "widened_miles": searched.widened_miles, "chosen_miles": int(form.distance),
        "area": (result.origin.postcode if result.origin is not None
                 and not is_postcode(result.origin.postcode) else None),
        "open_now": bool(form.open_now),
        "origin_label": _origin_label(result), "map_miles": _searched_miles(searched, form),
    }
    return {
        "form": form, "errors": errors, "results": results,
        "needs": needs(session), "days": list(zip(DAYS, DAY_NAMES, strict=True)),
        "distances": DISTANCES_MILES, "stale_after_days": _stale_days(request),
        "map_svg": _map(session, searched, form, hits), "page_query": form.query_string,
    }


@router.get("/find", response_class=HTMLResponse)
def find(request: Request, session: SessionDep):
    context = _context(request, session)
    status = 422 if context["errors"] else 200
    return templates.TemplateResponse(request, "directory/find.html", context,
                                      status_code=status)


@router.get("/find/results", response_class=HTMLResponse)
def find_results(request: Request, session: SessionDep):
    """The results region for htmx; with errors, the whole form so its summary shows."""
    context = {**_context(request, session), "fragment": True}
    page_url = "/find?" + context["form"].query_string(context["form"].page)
    if context["errors"]:
        return templates.TemplateResponse(
            request, "directory/_find.html", context,
            headers={"HX-Retarget": "#find-content", "HX-Reswap": "outerHTML",
                     "HX-Push-Url": page_url})
    return templates.TemplateResponse(request, "directory/_results.html", context,
                                      headers={"HX-Push-Url": page_url})


@router.get("/services/{service_id}", response_class=HTMLResponse)
def service_page(service_id: str, request: Request, session: SessionDep):
    survivor = merges.resolve(session, "service", service_id)
    if survivor != service_id:
        # A merged service's address keeps working: it leads to the one it was merged into.
        return RedirectResponse(f"/services/{survivor}", status_code=308)
    found = queries.services_json(session, [service_id])
    if not found:
        raise NotFound("There is no service with that address in the directory.")
    service = found[0]
    assured = _date(service.get("assured_date"))
    stale = is_stale(assured, today=utcnow().date(), stale_after_days=_stale_days(request))
    organization = (service.get("organization") or {}).get("name")
    return templates.TemplateResponse(request, "directory/service.html", {
        "service": service, "assured_date": assured, "stale": stale,
        "name": display_name(service["name"], organization),
        "opening_times": opening_times_by_place(service),
        "costs": costs(service.get("cost_options") or [], service.get("fees_description")),
        "structured_data": _json_ld(structured_data(service, str(request.url))),
        "stale_after_days": _stale_days(request),
    })


def _json_ld(data: dict) -> str:
    """JSON for a ``<script type="application/ld+json">`` data block: ``<``, ``>`` and ``&``
    escaped, so no text in it can close the element."""
    return (json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
            .replace(">", "\\u003e").replace("&", "\\u0026"))


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# --- Providers keeping their listings current ---------------------------------------------

providers = require_roles(Role.PROVIDER, Role.ADMIN)


@router.get("/provider/services", response_class=HTMLResponse)
def provider_services(request: Request, session: SessionDep, user: User = Depends(providers)):
    """The organisation's services, each with "still correct" and "edit"."""
    organization, services = listings.organisation_services(session, user.organization_id)
    today = utcnow().date()
    return templates.TemplateResponse(request, "directory/provider_services.html", {
        "organization": organization,
        "services": [(s, is_stale(s.service.assured_date, today=today,
                                  stale_after_days=_stale_days(request))) for s in services],
        "confirmed": request.query_params.get("confirmed"),
        "saved": request.query_params.get("saved"), "organization_id": user.organization_id})


@router.post("/provider/services/{service_id}/confirm", dependencies=[Depends(csrf_protect)])
def provider_confirm(service_id: str, request: Request, session: SessionDep,
                     user: User = Depends(providers)):
    with session.begin():
        listings.confirm(session, by=user, service_id=service_id, source_ip=client_ip(request))
    return RedirectResponse(f"/provider/services?confirmed={service_id}", status_code=303)


def _typed(form, fields) -> dict[str, str]:
    """What a provider typed into a listing's or a place's form, each field cut to one length."""
    return {name: str(form.get(name, ""))[:5000] for name in fields}


def _edit_page(request: Request, service_id: str, values: dict, version: str,
               errors: dict, status: int = 200, session: Session | None = None):
    return templates.TemplateResponse(request, "directory/provider_edit.html", {
        "places": places.places_of(session, service_id) if session is not None else [],
        "service_id": service_id, "values": values, "version": version, "errors": errors,
        "days": list(zip(DAYS, DAY_NAMES, strict=True))},
        status_code=status)


@router.get("/provider/services/{service_id}/edit", response_class=HTMLResponse)
def provider_edit(service_id: str, request: Request, session: SessionDep,
                  user: User = Depends(providers)):
    found = listings.listing(session, by=user, service_id=service_id)
    return _edit_page(request, service_id, found.values, found.version, {}, session=session)


@router.post("/provider/services/{service_id}/edit", dependencies=[Depends(csrf_protect)])
async def provider_save(service_id: str, request: Request, session: SessionDep,
                        version: Annotated[str, Form()] = "",
                        user: User = Depends(providers)):
    form = await request.form()
    values = _typed(form, listings.FORM_FIELDS)
    try:
        with session.begin():
            listings.edit(session, by=user, service_id=service_id, values=values,
                          version=version, source_ip=client_ip(request))
    except InvalidInput as exc:
        errors = forms.field_errors(exc, "name", messages=True)
        return _edit_page(request, service_id, values, version, errors, status=422,
                          session=session)
    except Conflict as exc:
        current = listings.listing(session, by=user, service_id=service_id)
        return _edit_page(request, service_id, values, current.version,
                          {"version": exc.detail}, status=409, session=session)
    return RedirectResponse(f"/provider/services?saved={service_id}", status_code=303)


# --- Inviting people to keep an organisation's listings -----------------------------------------

def _invitation_page(request: Request, organization, pending, values: dict, errors: dict,
                     sent: str | None = None, status: int = 200):
    return templates.TemplateResponse(request, "directory/invitations.html", {
        "organization": organization, "pending": pending, "values": values, "errors": errors,
        "sent": sent, "valid_days": invitations.VALID_FOR.days}, status_code=status)


@router.get("/organisations/{organization_id}/invitations", response_class=HTMLResponse)
def organisation_invitations(organization_id: OrganisationId, request: Request,
                             session: SessionDep, user: User = Depends(providers)):
    with session.begin():
        organization = organisations.organisation(session, organization_id)
        pending = auth_queries.pending_invitations(session, by=user,
                                                   organization_id=organization_id)
    return _invitation_page(request, organization, pending, {}, {},
                            sent=request.query_params.get("sent"))


@router.post("/organisations/{organization_id}/invitations",
             dependencies=[Depends(csrf_protect)])
def organisation_invite(organization_id: OrganisationId, request: Request, session: SessionDep,
                        email: Annotated[str, Form()] = "", user: User = Depends(providers)):
    settings = request.app.state.settings
    try:
        with session.begin():
            organization = organisations.organisation(session, organization_id)
            token = auth_commands.invite(session, by=user, organization_id=organization_id,
                                        email=email, source_ip=client_ip(request))
            outbox.queue_message(
                session, auth_queries.normalise_email(email),
                f"Keep {organization.name}'s listings up to date on Linkwell",
                invitation_email(organization.name, settings.public_link(
                    invitations.accept_link(token)), invitations.VALID_FOR.days))
    except (InvalidInput, Conflict) as exc:
        with session.begin():
            organization = organisations.organisation(session, organization_id)
            pending = auth_queries.pending_invitations(session, by=user,
                                                       organization_id=organization_id)
        return _invitation_page(request, organization, pending, {"email": email},
                                {"email": exc.detail}, status=exc.status)
    return RedirectResponse(f"/organisations/{organization_id}/invitations?sent=1",
                            status_code=303)


def invitation_email(organization_name: str, link: str, days: int) -> str:
    return (f"You have been invited to keep {organization_name}'s listings up to date on "
            "Linkwell, the social prescribing directory that link workers and residents use "
            f"to find support.\n\nCreate your account with this link within {days} days:\n"
            f"{link}\n\nThe link works once, for this e-mail address only. If you were not "
            "expecting this invitation, you can ignore this message.\n")


def _accept_page(request: Request, token: str, values: dict, errors: dict, status: int = 200,
                 *, organization: str | None = None, unusable: str | None = None):
    return templates.TemplateResponse(request, "directory/invitation_accept.html", {
        "token": token, "values": values, "errors": errors, "organization": organization,
        "unusable": unusable}, status_code=status)


@router.get("/invitations/accept", response_class=HTMLResponse)
def invitation_accept_form(request: Request, session: SessionDep,
                           token: Annotated[str, Query(max_length=100)] = ""):
    """The sign-up form, naming the organisation; a link that cannot be used (mangled, used,
    expired) says why at once, before anyone chooses a password."""
    with session.begin():
        invitation = auth_queries.invitation_by_token(session, token)
        state = None if invitation is None else invitations.InvitationState(
            invitation.email, invitation.expires_at, invitation.accepted_at)
        reason = invitations.refusal(state, email=state.email if state else "", now=utcnow())
        organization = None if invitation is None else organisations.organisation(
            session, invitation.organization_id).name
    if reason:
        return _accept_page(request, token, {}, {}, 404 if invitation is None else 410,
                            unusable=reason)
    return _accept_page(request, token, {}, {}, organization=organization)


@router.post("/invitations/accept", dependencies=[Depends(csrf_protect)])
def invitation_accept(request: Request, session: SessionDep,
                      token: Annotated[str, Form(max_length=100)] = "",
                      email: Annotated[str, Form(max_length=254)] = "",
                      display_name: Annotated[str, Form(max_length=200)] = "",
                      password: Annotated[str, Form(max_length=200)] = ""):
    values = {"email": email, "display_name": display_name}
    errors = {}
    if not email.strip():
        errors["email"] = "Enter the e-mail address the invitation was sent to"
    if not display_name.strip():
        errors["display_name"] = "Enter your name"
    if not password:
        errors["password"] = "Choose a password"  # noqa: S105 - a message, not a secret
    if errors:
        return _accept_page(request, token, values, errors, status=422)
    try:
        with session.begin():
            auth_commands.accept_invitation(session, token=token, email=email,
                                           display_name=display_name, password=password,
                                           source_ip=client_ip(request))
    except InvalidInput as exc:
        field = next((e.get("field") for e in exc.errors if isinstance(e, dict)), "password")
        return _accept_page(request, token, values, {field: exc.detail}, status=422)
    except Conflict as exc:
        return _accept_page(request, token, values, {"email": exc.detail}, status=409)
    return templates.TemplateResponse(request, "directory/invitation_done.html", {})


# --- Places: where a service is delivered ------------------------------------------------------

def _place_page(request: Request, location_id: str, values: dict, errors: dict,
                status: int = 200):
    return templates.TemplateResponse(request, "directory/provider_place.html", {
        "location_id": location_id, "values": values, "errors": errors}, status_code=status)


@router.get("/provider/places/{location_id}/edit", response_class=HTMLResponse)
def provider_place(location_id: LocationId, request: Request, session: SessionDep,
                   user: User = Depends(providers)):
    found = places.place(session, by=user, location_id=location_id)
    return _place_page(request, location_id, found.values, {})


@router.post("/provider/places/{location_id}/edit", dependencies=[Depends(csrf_protect)])
async def provider_place_save(location_id: LocationId, request: Request, session: SessionDep,
                              user: User = Depends(providers)):
    form = await request.form()
    values = _typed(form, places.FIELDS)
    try:
        with session.begin():
            places.edit_place(session, by=user, location_id=location_id, values=values,
                              source_ip=client_ip(request))
    except InvalidInput as exc:
        errors = forms.field_errors(exc, "name", messages=True)
        return _place_page(request, location_id, values, errors, status=422)
    return RedirectResponse("/provider/services?saved=place", status_code=303)
